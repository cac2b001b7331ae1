// Package apply writes a migration to disk: all files or none, recoverable
// after a kill (see txn.go), and never over uncommitted work unless told to.
package apply

import (
	"fmt"
	"os/exec"
	"strings"

	"github.com/funcmigrate/funcmigrate/rewrite"
)

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
