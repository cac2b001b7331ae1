package settings

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"

	"github.com/funcmigrate/funcmigrate/internal/texttest"
	"github.com/funcmigrate/funcmigrate/rewrite/edit"
)

// TestEncodings runs every TestFixtures fixture again under each of
// texttest.Encodings: migrating T(in) must give exactly T(want), with the
// same findings on the same lines, and a fixture that expects an error
// must fail with the same error, at the same line and column. A fixture's
// crlf and bom options stay in force; an encoding that only repeats one
// of them is skipped.
//
// JSON files are indented by 2 or 4 spaces, so the tabs transform takes
// either unit. For error fixtures it is skipped: the error's column counts
// the indentation's characters, so tabs move it by design. An error at the
// end of the file is expected at the transformed file's end.
func TestEncodings(t *testing.T) {
	texttest.RunFixtures(t, "testdata/*.txtar", "testdata/", false, runEncoding)
}

func runEncoding(t *testing.T, file string, enc texttest.Encoding) {
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	ar := txtar.Parse(data)
	var base texttest.Base
	for _, l := range strings.Split(strings.TrimRight(string(ar.Comment), "\n"), "\n")[1:] {
		switch strings.TrimSpace(l) {
		case "crlf":
			base.CRLF = true
		case "bom":
			base.BOM = true
		}
	}
	sections := map[string][]byte{}
	for _, f := range ar.Files {
		sections[f.Name] = f.Data
	}
	in := sections["in"]
	want, hasWant := sections["want"]
	wantErr, hasErr := sections["error"]
	if !hasWant {
		want = in
	}
	if hasErr && enc.Tabs && !enc.All {
		t.Skip("tabs: the error's column counts the indentation's characters")
	}
	if hasErr && enc.Tabs {
		enc.Tabs = false
		t.Log("not applied: tabs: the error's column counts the indentation's characters")
	}
	if enc.NoEOL && bytes.Count(in, []byte("\n")) == 1 && bytes.HasSuffix(in, []byte("\n")) {
		// Without its final newline a one-line file has no line break at
		// all: new members then stay on its line by design ("empty root on
		// one line" in TestLocalSettingsEdgeCases), and there is no line
		// ending to follow.
		const why = "noeol: a file with no line break at all is laid out on one line by design"
		if !enc.All {
			t.Skip(why)
		}
		enc.NoEOL = false
		t.Log("not applied: " + why)
	}
	pairs, notApplied, skip := enc.Apply(base, []int{2, 4}, texttest.Pair{In: in, Want: want})
	if skip != "" {
		t.Skip(skip)
	}
	if len(notApplied) > 0 {
		t.Logf("not applied: %s", strings.Join(notApplied, "; "))
	}
	tin, twant := pairs[0].In, pairs[0].Want

	path, migrate := "local.settings.json", MigrateLocalSettings
	if strings.HasPrefix(filepath.Base(file), "host-") {
		path, migrate = "host.json", MigrateHostJSON
	}
	edits, findings, err := migrate(path, tin)
	if hasErr {
		want := strings.TrimSuffix(string(wantErr), "\n")
		// An error at the end of the file is where the file ends, which
		// moves with the final newline: expect it at T(in)'s end.
		var se *SyntaxError
		if _, _, baseErr := migrate(path, base.Convert(in)); errors.As(baseErr, &se) && se.Line > 0 && se.Offset == len(base.Convert(in)) {
			line, col := position(tin, len(tin))
			want = fmt.Sprintf("%s:%d:%d: %s", path, line, col, se.Msg)
		}
		if err == nil || err.Error() != want {
			t.Errorf("error = %v\nwant %s", err, want)
		}
		return
	}
	if err != nil {
		t.Fatalf("unexpected error: %v", err)
	}
	got, err := edit.Apply(tin, edits)
	if err != nil {
		t.Fatalf("invalid edits: %v", err)
	}
	if !bytes.Equal(got, twant) {
		t.Errorf("output differs from the transformed want at %s\n--- got ---\n%s--- want ---\n%s",
			texttest.FirstDiff(got, twant), texttest.Visible(got), texttest.Visible(twant))
	}
	if gotFindings := formatFindings(t, tin, findings); !bytes.Equal(gotFindings, sections["findings"]) {
		t.Errorf("findings differ from the fixture's (their lines must not move)\n--- got ---\n%s--- want ---\n%s", gotFindings, sections["findings"])
	}
	if again, _, err := migrate(path, twant); err != nil || len(again) > 0 {
		t.Errorf("second run on the transformed want: %d edits, error %v", len(again), err)
	}
}
