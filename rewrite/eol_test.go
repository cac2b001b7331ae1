package rewrite_test

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"

	"github.com/funcmigrate/funcmigrate/internal/texttest"
	"github.com/funcmigrate/funcmigrate/rewrite/cs"
)

// TestStartupEncodings runs every testdata/startup fixture again under each
// of texttest.Encodings, applied to all its C# files at once: each C# file
// that is changed must come out as T(want), findings and deleted files stay
// as they are. Project and JSON files stay as written.
//
// The generated Program.cs has no bytes of its own to keep. It follows the
// project's C# files: their majority line ending, BOM and indentation (a
// tab-indented project gets a tab-indented Program.cs), and it always ends
// with a newline, so noeol leaves its expected text alone.
func TestStartupEncodings(t *testing.T) {
	texttest.RunFixtures(t, "testdata/startup/*.txtar", "testdata/startup/", false, runStartupEncoding)
}

func runStartupEncoding(t *testing.T, file string, enc texttest.Encoding) {
	ar, err := txtar.ParseFile(file)
	if err != nil {
		t.Fatal(err)
	}
	opt := startupOptions(t, ar)
	in, want := map[string][]byte{}, map[string][]byte{}
	var wantDeleted, wantFindings []string
	for _, f := range ar.Files {
		switch {
		case strings.HasPrefix(f.Name, "in/"):
			in[strings.TrimPrefix(f.Name, "in/")] = f.Data
		case strings.HasPrefix(f.Name, "want/"):
			want[strings.TrimPrefix(f.Name, "want/")] = f.Data
		case f.Name == "deleted":
			wantDeleted = strings.Fields(string(f.Data))
		case f.Name == "findings":
			wantFindings = nonEmptyLines(string(f.Data))
		}
	}

	// One pair per C# input; created files are transformed after.
	var names []string
	var pairs []texttest.Pair
	for name := range in {
		if strings.HasSuffix(name, ".cs") {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	for _, name := range names {
		w, ok := want[name]
		if !ok {
			w = in[name]
		}
		pairs = append(pairs, texttest.Pair{In: in[name], Want: w, FrozenIn: stringLines(t, in[name]), FrozenWant: stringLines(t, w)})
	}
	out, notApplied, skip := enc.Apply(texttest.Base{}, []int{4}, pairs...)
	if skip != "" {
		t.Skip(skip)
	}
	if len(notApplied) > 0 {
		t.Logf("not applied: %s", strings.Join(notApplied, "; "))
	}
	tabs := enc.Tabs && !strings.Contains(strings.Join(notApplied, ";"), "tabs:")
	for i, name := range names {
		in[name] = out[i].In
		if _, ok := want[name]; ok {
			want[name] = out[i].Want
		}
	}
	for name, w := range want {
		if _, ok := in[name]; ok {
			continue
		}
		// A created file: the majority style of the inputs, with its final
		// newline whatever they do.
		if tabs {
			w = texttest.Tabs(w, 4, stringLines(t, w))
		}
		if enc.CRLF || enc.Mixed == "\r\n" {
			w = texttest.CRLF(w)
		}
		if enc.BOM {
			w = texttest.AddBOM(w)
		}
		want[name] = w
	}

	dir := t.TempDir()
	opt.Base = dir
	for name, src := range in {
		writeFile(t, filepath.Join(dir, name), src)
	}
	got := map[string][]byte{}
	var deleted, findings []string
	for _, r := range migrateTree(t, dir, opt) {
		for _, c := range r.Changes {
			switch {
			case !strings.HasSuffix(c.Path, ".cs"):
			case c.Deleted:
				deleted = append(deleted, c.Path)
			default:
				got[c.Path] = c.New
			}
		}
		for _, f := range r.Findings {
			if strings.HasSuffix(f.Path, ".cs") {
				findings = append(findings, fmt.Sprintf("%s:%d: %s: %s", f.Path, f.Line, f.Rule, f.Message))
			}
		}
	}
	sort.Strings(deleted)
	for name, w := range want {
		if g, ok := got[name]; !ok {
			t.Errorf("%s: want a change, got none", name)
		} else if string(g) != string(w) {
			t.Errorf("%s differs from the transformed want at %s\n--- got ---\n%s--- want ---\n%s",
				name, texttest.FirstDiff(g, w), texttest.Visible(g), texttest.Visible(w))
		}
	}
	for name := range got {
		if _, ok := want[name]; !ok {
			t.Errorf("%s changed but the fixture has no want/%s", name, name)
		}
	}
	if strings.Join(deleted, "\n") != strings.Join(wantDeleted, "\n") {
		t.Errorf("deleted files:\n got %q\nwant %q", deleted, wantDeleted)
	}
	if strings.Join(findings, "\n") != strings.Join(wantFindings, "\n") {
		t.Errorf("findings differ from the fixture's (their lines must not move)\n--- got ---\n%s\n--- want ---\n%s", strings.Join(findings, "\n"), strings.Join(wantFindings, "\n"))
	}
}

// stringLines returns the 0-based lines of src that start inside a
// multi-line string literal (cs.File.StringLines).
func stringLines(t *testing.T, src []byte) map[int]bool {
	f, err := cs.Parse("x.cs", src)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	frozen := map[int]bool{}
	for l := range f.StringLines() {
		frozen[l-1] = true
	}
	return frozen
}
