package deploy

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"

	"github.com/funcmigrate/funcmigrate/rewrite/edit"
)

// FuzzMigrateFile checks every kind on arbitrary input: no panic, no error
// (input is never an error, only a bad target is), edits that apply, and a
// second run on the result that edits nothing. The fixtures' inputs seed it,
// each under every fixture path, so each kind sees every other kind's text.
func FuzzMigrateFile(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*", "*.txtar"))
	var paths []string
	var inputs [][]byte
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		for _, s := range txtar.Parse(data).Files {
			if strings.HasPrefix(s.Name, "in/") {
				paths = append(paths, strings.TrimPrefix(s.Name, "in/"))
				inputs = append(inputs, s.Data)
			}
		}
	}
	for i, in := range inputs {
		f.Add(uint8(i), in)
	}
	f.Fuzz(func(t *testing.T, which uint8, src []byte) {
		if !isText(src) {
			return
		}
		p := paths[int(which)%len(paths)]
		for _, tfm := range []string{"net10.0", "net48"} {
			opt := Options{TargetFramework: tfm}
			edits, findings, err := MigrateFile(p, src, opt)
			if err != nil {
				t.Fatalf("%s (%s): %v", p, tfm, err)
			}
			for _, fd := range findings {
				if fd.Offset < 0 || fd.Offset > len(src) {
					t.Fatalf("%s: finding offset %d outside %d bytes", p, fd.Offset, len(src))
				}
			}
			out, err := edit.Apply(src, edits)
			if err != nil {
				t.Fatalf("%s (%s): %v", p, tfm, err)
			}
			again, _, err := MigrateFile(p, out, opt)
			if err != nil {
				t.Fatalf("%s (%s) second run: %v", p, tfm, err)
			}
			if len(again) > 0 {
				t.Fatalf("%s (%s): second run edits %v\n%s", p, tfm, again, out)
			}
		}
	})
}
