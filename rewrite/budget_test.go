package rewrite_test

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"

	"github.com/funcmigrate/funcmigrate/rewrite"
	"github.com/funcmigrate/funcmigrate/rewrite/rules"
)

// TestTreeBudget checks that a project too large to keep its trees open
// (each file parsed again for the rules, the Startup plan reading only the
// files startup.Mentions or Named pick) migrates exactly as one that fits:
// same patch, same findings, on the sample apps and every Startup and
// dependents fixture.
func TestTreeBudget(t *testing.T) {
	dirs := map[string]string{"sample": "../testdata/sample"}
	for _, pattern := range []string{"testdata/startup/*.txtar", "testdata/dependents/*.txtar"} {
		files, _ := filepath.Glob(pattern)
		for _, file := range files {
			ar, err := txtar.ParseFile(file)
			if err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			for _, f := range ar.Files {
				// Startup fixtures put the tree under in/, dependents
				// fixtures at the top beside their findings.
				rel, ok := strings.CutPrefix(f.Name, "in/")
				if !ok && strings.Contains(f.Name, "/") && !strings.HasPrefix(f.Name, "want/") {
					rel, ok = f.Name, true
				}
				if ok {
					p := filepath.Join(dir, filepath.FromSlash(rel))
					if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(p, f.Data, 0o644); err != nil {
						t.Fatal(err)
					}
				}
			}
			dirs[file] = dir
		}
	}
	if len(dirs) < 10 {
		t.Fatalf("only %d trees", len(dirs))
	}
	for name, dir := range dirs {
		abs, _ := filepath.Abs(dir)
		opt := rewrite.Options{TODOComments: true, Base: abs, Rules: rules.All}
		fits, err := rewrite.MigrateTree([]string{abs}, opt)
		if err != nil {
			t.Fatal(err)
		}
		restore := rewrite.SetTreeBudget(0)
		over, err := rewrite.MigrateTree([]string{abs}, opt)
		restore()
		if err != nil {
			t.Fatal(err)
		}
		if len(fits.Changes()) == 0 {
			t.Errorf("%s: no change", name)
		}
		if string(fits.Patch()) != string(over.Patch()) {
			t.Errorf("%s: the patch differs when the trees do not fit", name)
		}
		if !reflect.DeepEqual(fits.Findings, over.Findings) {
			t.Errorf("%s: the findings differ when the trees do not fit", name)
		}
	}
}
