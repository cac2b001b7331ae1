// Package apply writes a migration to disk: each project's files all or
// none, and never over uncommitted work unless told to.
package apply

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/funcmigrate/funcmigrate/rewrite"
)

// unitName names what a result's files belong to in messages.
func unitName(r *rewrite.Result) string {
	if r.Project == nil {
		return "the deployment files"
	}
	return filepath.Base(r.Project.File)
}

// Write writes every changed file of one result, or none: each new content
// goes to a temporary file beside its target first, and only when all are
// written are they renamed into place. A file that changed on disk since it
// was read stops the whole result.
func Write(r *rewrite.Result) error {
	type staged struct {
		tmp, dst string // tmp == "": dst is deleted
	}
	var done []staged
	cleanup := func() {
		for _, s := range done {
			if s.tmp != "" {
				os.Remove(s.tmp)
			}
		}
	}
	for _, c := range r.Changes {
		if !c.Created {
			cur, err := os.ReadFile(c.Abs)
			if err != nil || !bytes.Equal(cur, c.Old) {
				cleanup()
				return fmt.Errorf("%s: changed on disk while funcmigrate was running; nothing in %s was written, run again", c.Abs, unitName(r))
			}
		} else if _, err := os.Lstat(c.Abs); err == nil {
			cleanup()
			return fmt.Errorf("%s: already exists; nothing in %s was written", c.Abs, unitName(r))
		}
		if c.Deleted {
			done = append(done, staged{dst: c.Abs})
			continue
		}
		f, err := os.CreateTemp(filepath.Dir(c.Abs), "."+filepath.Base(c.Abs)+".funcmigrate-*")
		if err != nil {
			cleanup()
			return fmt.Errorf("%s: %v; nothing in %s was written", c.Abs, err, unitName(r))
		}
		done = append(done, staged{f.Name(), c.Abs})
		_, werr := f.Write(c.New)
		serr := f.Sync()
		cerr := f.Close()
		if err := errors.Join(werr, serr, cerr, os.Chmod(f.Name(), c.Mode.Perm())); err != nil {
			cleanup()
			return fmt.Errorf("%s: %v; nothing in %s was written", c.Abs, err, unitName(r))
		}
	}
	for i, s := range done {
		var err error
		if s.tmp == "" {
			err = os.Remove(s.dst)
		} else {
			err = os.Rename(s.tmp, s.dst)
		}
		if err != nil {
			for _, rest := range done[i:] {
				if rest.tmp != "" {
					os.Remove(rest.tmp)
				}
			}
			return fmt.Errorf("%s: %v (after %d of %d files of %s were written)", s.dst, err, i, len(done), unitName(r))
		}
	}
	return nil
}

// RefuseDirty returns an error when git reports uncommitted changes in any
// file the results would write, so the migration can be reviewed and undone
// on its own. Outside a git work tree there is nothing to compare with.
func RefuseDirty(base string, results []*rewrite.Result) error {
	if _, ok := rewrite.GitTop(base); !ok {
		return nil
	}
	var paths []string
	for _, r := range results {
		for _, c := range r.Changes {
			paths = append(paths, c.Path)
		}
	}
	if len(paths) == 0 {
		return nil
	}
	cmd := exec.Command("git", append([]string{"-C", base, "status", "--porcelain", "--untracked-files=no", "--"}, paths...)...)
	out, err := cmd.Output()
	if err != nil {
		return fmt.Errorf("git status in %s failed (%v); commit your work first, or pass --allow-dirty", base, err)
	}
	// Porcelain lines are "XY path": the status columns may be spaces.
	if s := strings.TrimRight(string(out), "\n"); s != "" {
		var files []string
		for _, line := range strings.Split(s, "\n") {
			if len(line) > 3 {
				files = append(files, line[3:])
			}
		}
		return fmt.Errorf("refusing to write over uncommitted changes in %s: commit or stash them first so the migration can be reviewed and undone, or pass --allow-dirty", strings.Join(files, ", "))
	}
	return nil
}
