package apply

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/funcmigrate/funcmigrate/rewrite"
)

// Top returns the folder a transaction over roots keeps its journal in and
// writes inside: the deepest folder holding every root (a root that is a
// file counts by its folder), with symbolic links resolved.
func Top(roots []string) (string, error) {
	top := ""
	for _, root := range roots {
		abs, err := filepath.Abs(root)
		if err != nil {
			return "", fmt.Errorf("%s: %v", root, err)
		}
		if fi, err := os.Stat(abs); err == nil && !fi.IsDir() {
			abs = filepath.Dir(abs)
		}
		if real, err := filepath.EvalSymlinks(abs); err == nil {
			abs = real
		}
		switch {
		case top == "":
			top = abs
		default:
			for !rewrite.Within(top, abs) && filepath.Dir(top) != top {
				top = filepath.Dir(top)
			}
		}
	}
	return top, nil
}

// An Interrupted is a transaction an earlier run left unfinished.
type Interrupted struct {
	j *journal
}

// FindInterrupted returns the journals left under or above roots by an
// apply that was killed or failed half-way.
func FindInterrupted(roots []string) ([]*Interrupted, error) {
	seen := map[string]bool{}
	var paths []string
	add := func(p string) {
		if !seen[p] {
			seen[p] = true
			paths = append(paths, p)
		}
	}
	for _, root := range roots {
		abs, err := filepath.Abs(root)
		if err != nil {
			continue
		}
		fi, err := os.Stat(abs)
		if err != nil {
			continue // discovery reports a missing root
		}
		if !fi.IsDir() {
			abs = filepath.Dir(abs)
		}
		for d := abs; ; d = filepath.Dir(d) {
			if _, err := os.Lstat(filepath.Join(d, JournalName)); err == nil {
				add(filepath.Join(d, JournalName))
			}
			if filepath.Dir(d) == d {
				break
			}
		}
		filepath.WalkDir(abs, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return nil
			}
			if d.IsDir() && path != abs && rewrite.SkipDir(d.Name()) {
				return filepath.SkipDir
			}
			if d.Name() == JournalName && !d.IsDir() {
				add(path)
			}
			return nil
		})
	}
	sort.Strings(paths)
	var out []*Interrupted
	for _, p := range paths {
		j, err := readJournal(p)
		if err != nil {
			return nil, err
		}
		out = append(out, &Interrupted{j})
	}
	return out, nil
}

func readJournal(path string) (*journal, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	j := &journal{path: path}
	if err := json.Unmarshal(data, j); err != nil || j.Tool != "funcmigrate" || (j.Phase != "prepare" && j.Phase != "commit") {
		return nil, fmt.Errorf("%s: not a journal funcmigrate can read (%v); check the files it names by hand, then delete it", path, err)
	}
	for _, e := range j.Files {
		if !filepath.IsAbs(e.Path) || (e.OldSHA == "" && e.NewSHA == "") {
			return nil, fmt.Errorf("%s: not a journal funcmigrate can read; check the files it names by hand, then delete it", path)
		}
	}
	return j, nil
}

// Journal is the journal's path.
func (in *Interrupted) Journal() string { return in.j.path }

// String says how far the interrupted apply got.
func (in *Interrupted) String() string {
	if in.j.Phase == "prepare" {
		return fmt.Sprintf("%s: an earlier funcmigrate apply was interrupted before it wrote any file", in.j.path)
	}
	written := 0
	for _, e := range in.j.Files {
		if e.state() == stateNew {
			written++
		}
	}
	return fmt.Sprintf("%s: an earlier funcmigrate apply was interrupted after writing %d of %d files", in.j.path, written, len(in.j.Files))
}

// changedSince lists files that are neither old nor new: edited since.
func (in *Interrupted) changedSince() error {
	var bad []string
	for _, e := range in.j.Files {
		if e.state() == stateChanged {
			bad = append(bad, e.Path)
		}
	}
	if len(bad) > 0 {
		return fmt.Errorf("%s: %s changed since the interrupted apply, so funcmigrate cannot tell which content is right; resolve by hand (the .funcmigrate-old and .funcmigrate-new files beside them hold both), then delete the journal", in.j.path, strings.Join(bad, ", "))
	}
	return nil
}

// Complete writes the files the interrupted apply had not written yet.
func (in *Interrupted) Complete() error {
	j := in.j
	if j.Phase == "prepare" {
		return j.finish()
	}
	if err := in.changedSince(); err != nil {
		return err
	}
	var errs []error
	for _, e := range j.Files {
		if e.state() != stateOld {
			continue
		}
		if !e.deleted() && !sidecarHolds(e.newSide(), e.NewSHA) {
			errs = append(errs, fmt.Errorf("%s: its staged new content is gone; roll back with --rollback", e.Path))
			continue
		}
		if err := e.commit(); err != nil {
			errs = append(errs, fmt.Errorf("%s: %v", e.Path, err))
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("%s: %w", j.path, errors.Join(errs...))
	}
	syncDirs(j.Files)
	return j.finish()
}

// Rollback restores the old content of the files the interrupted apply
// had written.
func (in *Interrupted) Rollback() error {
	if in.j.Phase == "prepare" {
		return in.j.finish()
	}
	if err := in.changedSince(); err != nil {
		return err
	}
	if err := in.j.rollback(); err != nil {
		return fmt.Errorf("%s: %w", in.j.path, err)
	}
	return nil
}
