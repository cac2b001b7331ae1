package cs

import (
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/funcmigrate/funcmigrate/rewrite/edit"
)

// snippets are the kinds of text migration edits insert: attributes, type
// names, whole statements and lines, comments, and text that breaks syntax.
var snippets = []string{
	"[Function(\"X\")]", "FunctionContext context", "HttpRequestData", "await ", "\n",
	"        // TODO(funcmigrate): check this\n", "var logger = context.GetLogger(\"F\");\n",
	"using Microsoft.Azure.Functions.Worker;\n", "", "{", "}", "(", ";", "\"", "/*", "@\"a\"\"b\"",
}

// TestReparse checks that an incremental re-parse after edits gives the
// tree a fresh parse gives, which the merge's validator relies on: above
// all, that it never reports a file without syntax errors when a fresh
// parse finds some.
func TestReparse(t *testing.T) {
	var files []string
	filepath.WalkDir("../../testdata/sample", func(p string, d fs.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(p, ".cs") {
			files = append(files, p)
		}
		return nil
	})
	if len(files) < 5 {
		t.Fatalf("found %d sample C# files", len(files))
	}
	r := rand.New(rand.NewPCG(1, 2))
	compared, clean := 0, 0
	for _, path := range files {
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		f, err := Parse(path, src)
		if err != nil {
			t.Fatal(err)
		}
		for trial := range 40 {
			var edits []edit.Edit
			for range 1 + r.IntN(6) {
				if trial%2 == 0 { // edits that keep the file valid
					edits = append(edits, safeEdit(r, src))
					continue
				}
				start := r.IntN(len(src) + 1)
				end := min(len(src), start+r.IntN(3)*r.IntN(40))
				edits = append(edits, edit.Edit{Start: start, End: end, New: snippets[r.IntN(len(snippets))]})
			}
			sorted, err := edit.Validate(len(src), edits)
			if err != nil {
				continue // overlapping: the merge never asks for that
			}
			out, err := edit.Apply(src, sorted)
			if err != nil {
				t.Fatal(err)
			}
			inc, err := f.Reparse(out, sorted)
			if err != nil {
				t.Fatal(err)
			}
			fresh, err := Parse(path, out)
			if err != nil {
				t.Fatal(err)
			}
			if len(inc.Errors()) == 0 {
				clean++
				if len(fresh.Errors()) != 0 {
					t.Errorf("%s trial %d: the re-parse finds no syntax error, a fresh parse does", path, trial)
				}
			}
			if got, want := inc.Root.ToSexp(), fresh.Root.ToSexp(); got != want && len(fresh.Errors()) == 0 {
				t.Errorf("%s trial %d: re-parsed tree differs from a fresh parse", path, trial)
			}
			compared++
			inc.Close()
			fresh.Close()
		}
		if f.Root.ToSexp() == "" || f.Tree == nil {
			t.Fatalf("%s: Reparse changed the original", path)
		}
		f.Close()
	}
	if compared < 100 || clean < 20 {
		t.Fatalf("only %d comparisons, %d without errors", compared, clean)
	}
}

// safeEdit renames a word or inserts a comment line: changes of the size
// rules make that leave valid C# valid.
func safeEdit(r *rand.Rand, src []byte) edit.Edit {
	off := r.IntN(len(src))
	if r.IntN(2) == 0 {
		ls := LineStart(src, off)
		return edit.Edit{Start: ls, End: ls, New: "// inserted\n"}
	}
	isWord := func(b byte) bool { return b == '_' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' }
	for off < len(src) && !isWord(src[off]) {
		off++
	}
	end := off
	for end < len(src) && isWord(src[end]) {
		end++
	}
	return edit.Edit{Start: off, End: end, New: "Renamed"}
}
