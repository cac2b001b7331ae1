package rewrite_test

import (
	"bytes"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"

	"github.com/funcmigrate/funcmigrate/rewrite"
	"github.com/funcmigrate/funcmigrate/rewrite/report"
	"github.com/funcmigrate/funcmigrate/rewrite/rules"
)

// update is -update. Another test file of this binary may define the flag
// first; defining it twice would panic, so it is looked up.
var update = func() flag.Value {
	if f := flag.Lookup("update"); f != nil {
		return f.Value
	}
	flag.Bool("update", false, "rewrite the findings sections of testdata/dependents/*.txtar (never the repository files)")
	return flag.Lookup("update").Value
}()

// TestDependents runs each testdata/dependents/*.txtar: a small repository
// with in-process function apps and the test projects and libraries around
// them. DiscoverAll finds them, MigrateAll migrates the apps with every rule,
// and ScanDependents reports on the rest.
//
//	# why the case exists (required)
//	-- App/App.csproj --   the repository, any number of files
//	-- findings --         one finding per line (see formatDependentFindings)
func TestDependents(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "dependents", "*.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no fixtures in testdata/dependents")
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) {
			t.Parallel()
			runDependents(t, file)
		})
	}
}

func runDependents(t *testing.T, file string) {
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	ar := txtar.Parse(data)
	if first, _, _ := strings.Cut(string(ar.Comment), "\n"); !strings.HasPrefix(first, "# ") {
		t.Fatalf("%s: the comment must start with a '# why the case exists' line", file)
	}
	root := t.TempDir()
	var want []byte
	for _, f := range ar.Files {
		if f.Name == "findings" {
			want = f.Data
			continue
		}
		path := filepath.Join(root, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	before := snapshot(t, root)

	d, err := rewrite.DiscoverAll([]string{root})
	if err != nil {
		t.Fatal(err)
	}
	opt := rewrite.Options{Rules: rules.All, Base: root, TODOComments: true}
	results, err := rewrite.MigrateAll(d.Projects, opt)
	if err != nil {
		t.Fatal(err)
	}
	found, err := rewrite.ScanDependents(d.Dependents, results, opt)
	if err != nil {
		t.Fatal(err)
	}
	got := formatDependentFindings(found)

	again, err := rewrite.ScanDependents(d.Dependents, results, opt)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(found, again) {
		t.Errorf("a second scan gave different findings")
	}
	if after := snapshot(t, root); !reflect.DeepEqual(before, after) {
		t.Errorf("scanning changed files on disk")
	}
	deps := map[string]bool{}
	for _, dep := range d.Dependents {
		for _, src := range dep.Sources {
			deps[src] = true
		}
		deps[dep.File] = true
	}
	for _, r := range results {
		for _, c := range r.Changes {
			if deps[c.Abs] {
				t.Errorf("the migration changed %s, a file of a dependent", c.Path)
			}
		}
	}
	for _, f := range found {
		if (f.Rule != "test-project" && f.Rule != "shared-library") || f.Project == "" || f.Path == "" || f.Line < 1 ||
			f.Message == "" || f.Action == "" || !strings.HasPrefix(f.Ref, "MAPPING.md §8 item ") {
			t.Errorf("incomplete finding: %+v", f)
		}
	}

	if update.String() == "true" {
		var files []txtar.File
		for _, f := range ar.Files {
			if f.Name != "findings" {
				files = append(files, f)
			}
		}
		ar.Files = append(files, txtar.File{Name: "findings", Data: []byte(got)})
		if out := txtar.Format(ar); !bytes.Equal(out, data) {
			if err := os.WriteFile(file, out, 0o644); err != nil {
				t.Fatal(err)
			}
			t.Logf("updated %s", file)
		}
		return
	}
	if got != string(want) {
		t.Errorf("findings differ (run with -update to accept)\n--- got ---\n%s--- want ---\n%s", got, want)
	}
}

// formatDependentFindings renders one finding per line:
// "project path:line rule: message => action [ref]".
func formatDependentFindings(fs []report.Finding) string {
	var b strings.Builder
	for _, f := range fs {
		fmt.Fprintf(&b, "%s %s:%d %s: %s => %s [%s]\n", f.Project, f.Path, f.Line, f.Rule, f.Message, f.Action, f.Ref)
	}
	return b.String()
}

// snapshot maps every file under root to its content.
func snapshot(t *testing.T, root string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		out[path] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
