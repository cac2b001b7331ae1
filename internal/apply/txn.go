package apply

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/funcmigrate/funcmigrate/rewrite"
)

// A migration is written as one transaction, so that a failure or a kill
// at any moment leaves every file either entirely old or entirely new, and
// the next run can tell which:
//
//  1. every file is checked: unchanged since it was read, writable, not a
//     symbolic link, inside the tree;
//  2. a journal listing every file with the hashes of its old and new
//     content is written (phase "prepare");
//  3. each new content is staged in a sidecar beside its file
//     (.NAME.funcmigrate-new), and each old one kept as a hard link (or a
//     copy) in .NAME.funcmigrate-old;
//  4. the files are checked again, then the journal moves to phase "commit";
//  5. each sidecar is renamed over its file (rename is atomic);
//  6. the old copies and the journal are removed.
//
// A journal found by a later run is resolved from the hashes alone: in
// phase "prepare" nothing was renamed yet, so the sidecars are dropped; in
// phase "commit" each file is old, new, or changed by someone since, and
// the run is completed or rolled back.

// JournalName is the file, in the tree's top folder, that records a
// transaction while it runs.
const JournalName = ".funcmigrate-journal.json"

const (
	newSuffix = ".funcmigrate-new"
	oldSuffix = ".funcmigrate-old"
)

// Fault, when set, is called at each step of a transaction (for example
// "staged 2", "renamed 0"); an error it returns fails the step. Tests use it
// to inject failures and to kill the process between steps.
var Fault func(step string) error

func fault(format string, args ...any) error {
	if Fault == nil {
		return nil
	}
	return Fault(fmt.Sprintf(format, args...))
}

// journal is what JournalName holds.
type journal struct {
	Tool  string  `json:"tool"`
	Phase string  `json:"phase"` // "prepare" or "commit"
	Files []entry `json:"files"`

	path string // where it was read from or written to
}

// entry is one file of a transaction. OldSHA is "" for a created file and
// NewSHA "" for a deleted one.
type entry struct {
	Path   string      `json:"path"` // absolute
	OldSHA string      `json:"old_sha256,omitempty"`
	NewSHA string      `json:"new_sha256,omitempty"`
	Mode   fs.FileMode `json:"mode"`
}

func (e entry) created() bool   { return e.OldSHA == "" }
func (e entry) deleted() bool   { return e.NewSHA == "" }
func (e entry) newSide() string { return sidecar(e.Path, newSuffix) }
func (e entry) oldSide() string { return sidecar(e.Path, oldSuffix) }

func sidecar(path, suffix string) string {
	return filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+suffix)
}

func hash(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// Write writes every change of the results as one transaction whose journal
// lives in top; every file written must lie inside top. On error nothing
// was changed, unless the error says otherwise (and then the journal is
// left for the next run to complete or roll back).
func Write(top string, results []*rewrite.Result) error {
	var changes []rewrite.FileChange
	for _, r := range results {
		changes = append(changes, r.Changes...)
	}
	if len(changes) == 0 {
		return nil
	}
	realTop, err := filepath.EvalSymlinks(top)
	if err != nil {
		return fmt.Errorf("%s: %v", top, err)
	}
	j := &journal{Tool: "funcmigrate", Phase: "prepare", path: filepath.Join(top, JournalName)}
	if _, err := os.Lstat(j.path); err == nil {
		return fmt.Errorf("%s: an earlier funcmigrate apply was interrupted; run funcmigrate apply again to finish it, or with --rollback to undo it", j.path)
	}
	for _, c := range changes {
		if err := checkTarget(realTop, c); err != nil {
			return err
		}
		e := entry{Path: c.Abs, Mode: c.Mode.Perm()}
		if !c.Created {
			e.OldSHA = hash(c.Old)
		}
		if !c.Deleted {
			e.NewSHA = hash(c.New)
		}
		j.Files = append(j.Files, e)
	}

	if err := j.save(); err != nil {
		return err
	}
	if err := fault("journal prepare"); err != nil {
		return j.abort(err, "")
	}
	for i, c := range changes {
		if err := stage(c); err != nil {
			return j.abort(err, c.Abs)
		}
		if err := fault("staged %d", i); err != nil {
			return j.abort(err, c.Abs)
		}
	}
	// Someone may have saved a file while the sidecars were written.
	for _, c := range changes {
		if err := unchanged(c); err != nil {
			return j.abort(err, "")
		}
	}
	j.Phase = "commit"
	if err := j.save(); err != nil {
		return j.abort(err, "")
	}
	if err := fault("journal commit"); err != nil {
		return j.abort(err, "")
	}
	for i, e := range j.Files {
		err := e.commit()
		if err == nil {
			err = fault("renamed %d", i)
		}
		if err != nil {
			if rerr := j.rollback(); rerr != nil {
				return fmt.Errorf("%s: %v; restoring the %d file(s) already written failed too (%v): run funcmigrate apply again to finish, or with --rollback to undo", e.Path, err, i, rerr)
			}
			return fmt.Errorf("%s: %v; the %d file(s) already written were restored, nothing changed", e.Path, err, i)
		}
	}
	syncDirs(j.Files)
	if err := fault("committed"); err != nil {
		return err // the journal stays: the next run finds every file new
	}
	return j.finish()
}

// checkTarget refuses a change that would write through a symbolic link,
// outside the tree, over a read-only file, or over content that changed
// since it was read.
func checkTarget(realTop string, c rewrite.FileChange) error {
	if !rewrite.InsideTree(realTop, c.Abs) {
		return fmt.Errorf("%s: is a symbolic link or lies outside %s (through a linked folder); funcmigrate never writes there; nothing was written", c.Abs, realTop)
	}
	fi, err := os.Lstat(c.Abs)
	switch {
	case c.Created && err == nil:
		return fmt.Errorf("%s: already exists; nothing was written", c.Abs)
	case c.Created && errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return fmt.Errorf("%s: %v; nothing was written", c.Abs, err)
	case fi.Mode()&fs.ModeSymlink != 0:
		return fmt.Errorf("%s: is a symbolic link; funcmigrate never writes through links; nothing was written", c.Abs)
	case !fi.Mode().IsRegular():
		return fmt.Errorf("%s: not a regular file; nothing was written", c.Abs)
	case fi.Mode().Perm()&0o200 == 0:
		return fmt.Errorf("%s: is read-only; make it writable (or check it out) and run again; nothing was written", c.Abs)
	}
	return unchanged(c)
}

// unchanged reports an error when a file no longer holds what the
// migration was computed from.
func unchanged(c rewrite.FileChange) error {
	if c.Created {
		if _, err := os.Lstat(c.Abs); err == nil {
			return fmt.Errorf("%s: was created while funcmigrate was running; nothing was written, run again", c.Abs)
		}
		return nil
	}
	cur, err := os.ReadFile(c.Abs)
	if err != nil || !bytes.Equal(cur, c.Old) {
		return fmt.Errorf("%s: changed on disk while funcmigrate was running; nothing was written, run again", c.Abs)
	}
	return nil
}

// stage writes the new content's sidecar and keeps the old content.
func stage(c rewrite.FileChange) error {
	if !c.Deleted {
		if err := writeSynced(sidecar(c.Abs, newSuffix), c.New, c.Mode.Perm()); err != nil {
			return err
		}
	}
	if !c.Created {
		old := sidecar(c.Abs, oldSuffix)
		os.Remove(old)
		// A hard link keeps the old bytes without copying them; some file
		// systems have none.
		if os.Link(c.Abs, old) != nil {
			if err := writeSynced(old, c.Old, c.Mode.Perm()); err != nil {
				return err
			}
		}
	}
	return nil
}

func writeSynced(path string, data []byte, mode fs.FileMode) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, mode)
	if err != nil {
		return err
	}
	_, werr := f.Write(data)
	serr := f.Sync()
	cerr := f.Close()
	// OpenFile's mode is filtered by the umask; the file keeps the original's.
	return errors.Join(werr, serr, cerr, os.Chmod(path, mode))
}

// commit puts one file's new content in place.
func (e entry) commit() error {
	if e.deleted() {
		return os.Remove(e.Path)
	}
	return os.Rename(e.newSide(), e.Path)
}

// save writes the journal atomically.
func (j *journal) save() error {
	data, err := json.MarshalIndent(j, "", "  ")
	if err != nil {
		return err
	}
	tmp := j.path + ".tmp"
	if err := writeSynced(tmp, append(data, '\n'), 0o644); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("%s: %v; nothing was written", j.path, err)
	}
	if err := os.Rename(tmp, j.path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("%s: %v; nothing was written", j.path, err)
	}
	syncDir(filepath.Dir(j.path))
	return nil
}

// abort undoes a transaction that renamed nothing yet.
func (j *journal) abort(cause error, path string) error {
	j.removeSidecars()
	os.Remove(j.path)
	if path != "" && !strings.Contains(cause.Error(), path) {
		return fmt.Errorf("%s: %v; nothing was written", path, cause)
	}
	if strings.Contains(cause.Error(), "nothing was written") {
		return cause
	}
	return fmt.Errorf("%v; nothing was written", cause)
}

func (j *journal) removeSidecars() {
	for _, e := range j.Files {
		os.Remove(e.newSide())
		os.Remove(e.oldSide())
	}
}

// finish removes what a completed or rolled-back transaction leaves.
func (j *journal) finish() error {
	j.removeSidecars()
	if err := os.Remove(j.path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%s: %v", j.path, err)
	}
	syncDir(filepath.Dir(j.path))
	return nil
}

// fileState is where one file of a committing transaction stands.
type fileState int

const (
	stateOld     fileState = iota // not written yet
	stateNew                      // written
	stateChanged                  // neither: edited by someone since
)

func (e entry) state() fileState {
	data, err := os.ReadFile(e.Path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if e.created() {
			return stateOld
		}
		if e.deleted() {
			return stateNew
		}
	case err != nil:
		return stateChanged
	case hash(data) == e.OldSHA:
		return stateOld
	case hash(data) == e.NewSHA:
		return stateNew
	}
	return stateChanged
}

// sidecarHolds reports whether a sidecar exists with the given content hash.
func sidecarHolds(path, sha string) bool {
	data, err := os.ReadFile(path)
	return err == nil && hash(data) == sha
}

// rollback restores the old content of every file already written.
func (j *journal) rollback() error {
	var errs []error
	for _, e := range j.Files {
		if e.state() != stateNew {
			continue
		}
		var err error
		switch {
		case e.created():
			err = os.Remove(e.Path)
		case !sidecarHolds(e.oldSide(), e.OldSHA):
			err = fmt.Errorf("%s: the copy of its old content is gone", e.Path)
		default:
			err = os.Rename(e.oldSide(), e.Path)
		}
		if err != nil {
			errs = append(errs, err)
		}
	}
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	syncDirs(j.Files)
	return j.finish()
}

func syncDirs(files []entry) {
	seen := map[string]bool{}
	for _, e := range files {
		if d := filepath.Dir(e.Path); !seen[d] {
			seen[d] = true
			syncDir(d)
		}
	}
}

// syncDir makes renames in dir durable; where folders cannot be synced
// (Windows) the rename is as durable as the platform makes it.
func syncDir(dir string) {
	if f, err := os.Open(dir); err == nil {
		f.Sync()
		f.Close()
	}
}
