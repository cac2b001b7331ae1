package settings

import (
	"github.com/rogpeppe/go-internal/txtar"

	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/funcmigrate/funcmigrate/rewrite/edit"
	"github.com/funcmigrate/funcmigrate/rewrite/report"
)

var update = flag.Bool("update", false, "rewrite the want, findings and error sections of testdata/*.txtar (never the input)")

// TestFixtures runs every testdata/*.txtar fixture.
//
// A fixture's comment starts with one line saying why the case exists.
// Further comment lines are options, one per line:
//
//	crlf   convert "\n" to "\r\n" in the in and want sections before running,
//	       so the fixture file itself can stay LF-only
//	bom    prepend a UTF-8 byte order mark to in and want
//
// The file name picks the function: host-*.txtar runs MigrateHostJSON on
// "host.json", every other fixture runs MigrateLocalSettings on
// "local.settings.json".
//
// Sections:
//
//	-- in --        the input file (never rewritten by -update)
//	-- want --      the file after the edits (equal to in when nothing changes)
//	-- findings --  one line per finding: "rule line: message", where line is
//	                1-based in the input
//	-- error --     instead of want and findings: the exact error text
//
// Besides comparing, each fixture checks that want parses, that running again
// on want gives no edits (idempotence), that every finding is complete, and for
// crlf fixtures that no bare "\n" line ending was introduced.
func TestFixtures(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no fixtures in testdata")
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) {
			runFixture(t, file)
		})
	}
}

type fixtureOpts struct{ crlf, bom bool }

// apply turns fixture text into the bytes the test runs on.
func (o fixtureOpts) apply(b []byte) []byte {
	if o.crlf {
		b = bytes.ReplaceAll(b, []byte("\n"), []byte("\r\n"))
	}
	if o.bom {
		b = append([]byte(bom), b...)
	}
	return b
}

// undo turns produced bytes back into fixture text for -update.
func (o fixtureOpts) undo(b []byte) []byte {
	if o.bom {
		b = bytes.TrimPrefix(b, []byte(bom))
	}
	if o.crlf {
		b = bytes.ReplaceAll(b, []byte("\r\n"), []byte("\n"))
	}
	return b
}

func runFixture(t *testing.T, file string) {
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	ar := txtar.Parse(data)
	lines := strings.Split(strings.TrimRight(string(ar.Comment), "\n"), "\n")
	if strings.TrimSpace(lines[0]) == "" {
		t.Fatalf("%s: the first comment line must say why the case exists", file)
	}
	var opts fixtureOpts
	for _, l := range lines[1:] {
		switch strings.TrimSpace(l) {
		case "":
		case "crlf":
			opts.crlf = true
		case "bom":
			opts.bom = true
		default:
			t.Fatalf("%s: unknown option %q (want crlf or bom)", file, l)
		}
	}
	sections := map[string][]byte{}
	for _, f := range ar.Files {
		if _, dup := sections[f.Name]; dup {
			t.Fatalf("%s: section %q appears twice", file, f.Name)
		}
		switch f.Name {
		case "in", "want", "findings", "error":
			sections[f.Name] = f.Data
		default:
			t.Fatalf("%s: unknown section %q", file, f.Name)
		}
	}
	in, ok := sections["in"]
	if !ok {
		t.Fatalf("%s: no -- in -- section", file)
	}
	in = opts.apply(in)

	path, migrate := "local.settings.json", MigrateLocalSettings
	if strings.HasPrefix(filepath.Base(file), "host-") {
		path, migrate = "host.json", MigrateHostJSON
	}

	edits, findings, err := migrate(path, in)
	var got, gotFindings, gotErr []byte
	if err != nil {
		gotErr = []byte(err.Error() + "\n")
	} else {
		got, err = edit.Apply(in, edits)
		if err != nil {
			t.Fatalf("invalid edits: %v", err)
		}
		gotFindings = formatFindings(t, in, findings)
	}

	if *update {
		out := &txtar.Archive{Comment: ar.Comment, Files: []txtar.File{{Name: "in", Data: sections["in"]}}}
		if gotErr != nil {
			out.Files = append(out.Files, txtar.File{Name: "error", Data: gotErr})
		} else {
			out.Files = append(out.Files,
				txtar.File{Name: "want", Data: opts.undo(got)},
				txtar.File{Name: "findings", Data: gotFindings})
		}
		if formatted := txtar.Format(out); !bytes.Equal(formatted, data) {
			if err := os.WriteFile(file, formatted, 0o666); err != nil {
				t.Fatal(err)
			}
			t.Logf("updated %s", file)
		}
		sections = map[string][]byte{}
		for _, f := range out.Files {
			sections[f.Name] = f.Data
		}
	}

	if wantErr, ok := sections["error"]; ok {
		if gotErr == nil {
			t.Fatalf("no error, want:\n%s", wantErr)
		}
		if !bytes.Equal(gotErr, wantErr) {
			t.Errorf("error mismatch\ngot:  %s\nwant: %s", gotErr, wantErr)
		}
		if _, ok := sections["want"]; ok {
			t.Errorf("%s: a fixture with an error section has no want section", file)
		}
		return
	}
	if gotErr != nil {
		t.Fatalf("unexpected error: %s", gotErr)
	}
	want, ok := sections["want"]
	if !ok {
		t.Fatalf("%s: no -- want -- section (use the input when nothing changes)", file)
	}
	want = opts.apply(want)
	if !bytes.Equal(got, want) {
		t.Errorf("output mismatch\n--- got ---\n%s\n--- want ---\n%s", got, want)
	}
	if wantFindings := sections["findings"]; !bytes.Equal(gotFindings, wantFindings) {
		t.Errorf("findings mismatch\n--- got ---\n%s--- want ---\n%s", gotFindings, wantFindings)
	}
	if opts.crlf && bytes.Count(got, []byte("\n")) != bytes.Count(got, []byte("\r\n")) {
		t.Errorf("output has a bare \\n line ending in a CRLF file:\n%q", got)
	}

	// The result must parse, and a second run must change nothing.
	if _, err := scan(path, want); err != nil {
		t.Errorf("want does not parse: %v", err)
	}
	again, _, err := migrate(path, want)
	if err != nil {
		t.Fatalf("second run: %v", err)
	}
	if len(again) > 0 {
		out, _ := edit.Apply(want, again)
		t.Errorf("second run is not a no-op: %v\n%s", again, out)
	}
}

// formatFindings renders findings as "rule line: message" lines, checking
// that each one is complete.
func formatFindings(t *testing.T, src []byte, findings []report.Finding) []byte {
	t.Helper()
	var b bytes.Buffer
	for _, f := range findings {
		if f.Rule == "" || f.Message == "" || f.Action == "" || !strings.HasPrefix(f.Ref, "MAPPING.md §") {
			t.Errorf("incomplete finding: %+v", f)
		}
		if !strings.HasPrefix(f.Rule, "settings-") && !strings.HasPrefix(f.Rule, "hostjson-") {
			t.Errorf("rule id %q lacks the settings-/hostjson- prefix", f.Rule)
		}
		if f.Marker {
			t.Errorf("finding %s asks for a TODO marker, which JSON cannot carry", f.Rule)
		}
		if f.Offset < 0 || f.Offset > len(src) {
			t.Errorf("finding %s: offset %d outside the file (%d bytes)", f.Rule, f.Offset, len(src))
		}
		line, _ := position(src, f.Offset)
		fmt.Fprintf(&b, "%s %d: %s\n", f.Rule, line, f.Message)
	}
	return b.Bytes()
}

func TestLocalSetting(t *testing.T) {
	src := []byte("\xef\xbb\xbf{\n  // logic app?\n  \"values\": {\"APP_KIND\": \"workflowApp\", \"FUNCTIONS_WORKER_RUNTIME\": \"node\", \"N\": 1,},\n}\n")
	for _, tc := range []struct {
		key    string
		want   string
		wantOK bool
	}{
		{"APP_KIND", "workflowApp", true},
		{"functions_worker_runtime", "node", true},
		{"N", "", false},       // not a string
		{"Missing", "", false}, // not there
	} {
		got, ok := LocalSetting(src, tc.key)
		if got != tc.want || ok != tc.wantOK {
			t.Errorf("LocalSetting(%q) = %q, %v; want %q, %v", tc.key, got, ok, tc.want, tc.wantOK)
		}
	}
	if _, ok := LocalSetting([]byte("{"), "APP_KIND"); ok {
		t.Error("LocalSetting on malformed JSON reported a value")
	}
	if _, ok := LocalSetting([]byte(`{"Values": []}`), "APP_KIND"); ok {
		t.Error("LocalSetting on a non-object Values reported a value")
	}
}
