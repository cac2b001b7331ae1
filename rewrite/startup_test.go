package rewrite_test

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"

	"github.com/funcmigrate/funcmigrate/rewrite"
	"github.com/funcmigrate/funcmigrate/rewrite/cs"
	"github.com/funcmigrate/funcmigrate/rewrite/rules"
)

// Each archive in testdata/startup/ is a function app whose Startup class
// moves into Program.cs:
//
//	# why the case exists
//	# options: host-builder target=net48 notodo
//	-- in/<path> --      the project's files
//	-- want/<path> --    every C# file the migration creates or changes
//	-- deleted --        C# files it deletes, one per line
//	-- findings --       "path:line: rule: message" for findings on C# files
//
// Run with -update to rewrite the want, deleted and findings sections.
func TestStartupFixtures(t *testing.T) {
	files, _ := filepath.Glob("testdata/startup/*.txtar")
	if len(files) == 0 {
		t.Fatal("no fixtures in testdata/startup")
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) {
			runStartupFixture(t, file)
		})
	}
}

// startupOptions reads a startup fixture's "# options:" line.
func startupOptions(t *testing.T, ar *txtar.Archive) rewrite.Options {
	opt := rewrite.Options{TargetFramework: "net10.0", TODOComments: true, Rules: rules.All}
	for _, l := range strings.Split(string(ar.Comment), "\n") {
		rest, ok := strings.CutPrefix(l, "# options:")
		if !ok {
			continue
		}
		for _, o := range strings.Fields(rest) {
			switch {
			case o == "host-builder":
				opt.HostBuilder = true
			case o == "notodo":
				opt.TODOComments = false
			case strings.HasPrefix(o, "target="):
				opt.TargetFramework = strings.TrimPrefix(o, "target=")
			default:
				t.Fatalf("unknown option %q", o)
			}
		}
	}
	return opt
}

func runStartupFixture(t *testing.T, file string) {
	ar, err := txtar.ParseFile(file)
	if err != nil {
		t.Fatal(err)
	}
	opt := startupOptions(t, ar)
	dir := t.TempDir()
	opt.Base = dir
	for _, f := range ar.Files {
		if rel, ok := strings.CutPrefix(f.Name, "in/"); ok {
			writeFile(t, filepath.Join(dir, rel), f.Data)
		}
	}

	results := migrateTree(t, dir, opt)
	got := map[string]string{}
	var deleted, findings []string
	for _, r := range results {
		for _, c := range r.Changes {
			if !strings.HasSuffix(c.Path, ".cs") {
				continue
			}
			if c.Deleted {
				deleted = append(deleted, c.Path)
				continue
			}
			got[c.Path] = string(c.New)
		}
		for _, f := range r.Findings {
			if strings.HasSuffix(f.Path, ".cs") {
				findings = append(findings, fmt.Sprintf("%s:%d: %s: %s", f.Path, f.Line, f.Rule, f.Message))
			}
		}
	}
	sort.Strings(deleted)

	if startupUpdate.String() == "true" {
		var keep []txtar.File
		for _, f := range ar.Files {
			if strings.HasPrefix(f.Name, "in/") {
				keep = append(keep, f)
			}
		}
		var paths []string
		for p := range got {
			paths = append(paths, p)
		}
		sort.Strings(paths)
		for _, p := range paths {
			keep = append(keep, txtar.File{Name: "want/" + p, Data: []byte(got[p])})
		}
		if len(deleted) > 0 {
			keep = append(keep, txtar.File{Name: "deleted", Data: []byte(strings.Join(deleted, "\n") + "\n")})
		}
		keep = append(keep, txtar.File{Name: "findings", Data: []byte(strings.Join(findings, "\n") + "\n")})
		ar.Files = keep
		if err := os.WriteFile(file, txtar.Format(ar), 0o644); err != nil {
			t.Fatal(err)
		}
	}

	want := map[string]string{}
	var wantDeleted, wantFindings []string
	for _, f := range ar.Files {
		switch {
		case strings.HasPrefix(f.Name, "want/"):
			want[strings.TrimPrefix(f.Name, "want/")] = string(f.Data)
		case f.Name == "deleted":
			wantDeleted = strings.Fields(string(f.Data))
		case f.Name == "findings":
			wantFindings = nonEmptyLines(string(f.Data))
		}
	}
	for p, w := range want {
		if g, ok := got[p]; !ok {
			t.Errorf("%s: want a change, got none", p)
		} else if g != w {
			t.Errorf("%s differs:\n--- got ---\n%s\n--- want ---\n%s", p, g, w)
		}
	}
	for p := range got {
		if _, ok := want[p]; !ok {
			t.Errorf("%s changed but the fixture has no want/%s", p, p)
		}
	}
	if strings.Join(deleted, "\n") != strings.Join(wantDeleted, "\n") {
		t.Errorf("deleted files:\n got %q\nwant %q", deleted, wantDeleted)
	}
	if strings.Join(findings, "\n") != strings.Join(wantFindings, "\n") {
		t.Errorf("findings:\n--- got ---\n%s\n--- want ---\n%s", strings.Join(findings, "\n"), strings.Join(wantFindings, "\n"))
	}

	// Invariants: no written C# file has more syntax errors than it had,
	// and a second run over the migrated tree changes no C# file.
	inputs := map[string][]byte{}
	for _, f := range ar.Files {
		if rel, ok := strings.CutPrefix(f.Name, "in/"); ok {
			inputs[rel] = f.Data
		}
	}
	for p, text := range got {
		if after, before := syntaxErrors(t, p, []byte(text)), syntaxErrors(t, p, inputs[p]); after > before {
			t.Errorf("%s has %d syntax errors, %d before", p, after, before)
		}
	}
	for _, r := range results {
		for _, c := range r.Changes {
			if c.Deleted {
				os.Remove(c.Abs)
			} else {
				writeFile(t, c.Abs, c.New)
			}
		}
	}
	for _, r := range migrateTree(t, dir, opt) {
		for _, c := range r.Changes {
			if strings.HasSuffix(c.Path, ".cs") && !bytes.Equal(c.Old, c.New) {
				t.Errorf("second run changes %s:\n%s", c.Path, c.New)
			}
		}
	}
}

// startupUpdate is -update, looked up because another test file of this
// binary may define the flag first.
var startupUpdate = func() flag.Value {
	if f := flag.Lookup("update"); f != nil {
		return f.Value
	}
	flag.Bool("update", false, "rewrite the expected sections of the txtar fixtures")
	return flag.Lookup("update").Value
}()

func syntaxErrors(t *testing.T, path string, src []byte) int {
	t.Helper()
	f, err := cs.Parse(path, src)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	return len(f.Errors())
}

func migrateTree(t *testing.T, dir string, opt rewrite.Options) []*rewrite.Result {
	t.Helper()
	projects, _, err := rewrite.Discover([]string{dir})
	if err != nil {
		t.Fatal(err)
	}
	results, err := rewrite.MigrateAll(projects, opt)
	if err != nil {
		t.Fatal(err)
	}
	return results
}

func writeFile(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func nonEmptyLines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.TrimSpace(l) != "" {
			out = append(out, l)
		}
	}
	return out
}
