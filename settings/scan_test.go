package settings

import (
	"github.com/rogpeppe/go-internal/txtar"

	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/funcmigrate/funcmigrate/rewrite/edit"
	"github.com/funcmigrate/funcmigrate/rewrite/report"
)

// FuzzScan checks the scanner on arbitrary input: it never panics; an error
// is a *SyntaxError inside the input; a successful scan has every span inside
// the input, spans nested and ordered, and decoded strings equal to what
// encoding/json decodes. Input that encoding/json accepts must scan too
// (comments and trailing commas only widen the language).
//
// It also runs MigrateLocalSettings and MigrateHostJSON on what scans: their
// edits must apply, the result must scan again, and a second run must be a
// no-op.
//
// Seeds live in testdata/fuzz/FuzzScan; the fixtures' inputs are added too.
func FuzzScan(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.txtar"))
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		for _, s := range txtar.Parse(data).Files {
			if s.Name == "in" {
				f.Add(s.Data)
			}
		}
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		v, err := scan("fuzz.json", src)
		if err != nil {
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("error is %T, not *SyntaxError: %v", err, err)
			}
			if se.Offset < 0 || se.Offset > len(src) {
				t.Fatalf("error offset %d outside input of %d bytes: %v", se.Offset, len(src), err)
			}
			if json.Valid(src) && !strings.Contains(se.Msg, "nested deeper") {
				t.Fatalf("encoding/json accepts the input but scan fails: %v", err)
			}
			return
		}
		checkSpans(t, src, v, 0, len(src))

		for _, migrate := range []func(string, []byte) ([]edit.Edit, []report.Finding, error){MigrateLocalSettings, MigrateHostJSON} {
			edits, _, err := migrate("fuzz.json", src)
			if err != nil {
				continue // not an object at the top level
			}
			out, err := edit.Apply(src, edits)
			if err != nil {
				t.Fatalf("edits do not apply: %v\n%q", err, src)
			}
			if _, err := scan("out.json", out); err != nil {
				t.Fatalf("migrated output does not scan: %v\nin:  %q\nout: %q", err, src, out)
			}
		}
		for _, migrate := range []func(string, []byte) ([]edit.Edit, []report.Finding, error){MigrateLocalSettings, MigrateHostJSON} {
			if edits, _, err := migrate("fuzz.json", src); err == nil && len(edits) > 0 {
				out, _ := edit.Apply(src, edits)
				again, _, err := migrate("out.json", out)
				if err != nil || len(again) > 0 {
					t.Fatalf("second run is not a no-op (%v, %v)\nin:  %q\nout: %q", again, err, src, out)
				}
			}
		}
	})
}

// checkSpans checks that v lies within [lo, hi) and that its parts nest and
// follow each other in source order.
func checkSpans(t *testing.T, src []byte, v *value, lo, hi int) {
	t.Helper()
	if v.start < lo || v.end > hi || v.start >= v.end {
		t.Fatalf("%s span [%d,%d) outside [%d,%d)", v.kind, v.start, v.end, lo, hi)
	}
	text := src[v.start:v.end]
	switch v.kind {
	case kindString:
		var want string
		if err := json.Unmarshal(text, &want); err == nil && want != v.str && !strings.ContainsRune(want, '\uFFFD') {
			t.Fatalf("string %s decoded as %q, encoding/json says %q", text, v.str, want)
		}
		if text[0] != '"' || text[len(text)-1] != '"' {
			t.Fatalf("string span %q is not quoted", text)
		}
	case kindObject:
		if text[0] != '{' || text[len(text)-1] != '}' {
			t.Fatalf("object span %q is not braced", text)
		}
		prev := v.start + 1
		for _, m := range v.members {
			if m.start < prev || m.start != m.keyStart || m.keyStart >= m.keyEnd ||
				m.keyEnd > m.val.start || m.val.end > m.end || m.end > v.end-1 {
				t.Fatalf("member %q spans out of order: start %d key [%d,%d) value [%d,%d) end %d, previous end %d, object end %d",
					m.key, m.start, m.keyStart, m.keyEnd, m.val.start, m.val.end, m.end, prev, v.end)
			}
			if m.comma >= 0 && (src[m.comma] != ',' || m.end != m.comma+1 || m.comma < m.val.end) {
				t.Fatalf("member %q: bad comma at %d (end %d)", m.key, m.comma, m.end)
			}
			if m.comma < 0 && m.end != m.val.end {
				t.Fatalf("member %q: no comma but end %d != value end %d", m.key, m.end, m.val.end)
			}
			checkSpans(t, src, &value{kind: kindString, start: m.keyStart, end: m.keyEnd, str: m.key}, m.keyStart, m.keyEnd)
			checkSpans(t, src, m.val, m.keyEnd, m.end)
			prev = m.end
		}
	case kindArray:
		if text[0] != '[' || text[len(text)-1] != ']' {
			t.Fatalf("array span %q is not bracketed", text)
		}
		prev := v.start + 1
		for _, e := range v.elems {
			checkSpans(t, src, e, prev, v.end-1)
			prev = e.end
		}
	case kindNumber, kindBool, kindNull:
		if !json.Valid(text) {
			t.Fatalf("%s span %q is not valid JSON", v.kind, text)
		}
	default:
		t.Fatalf("unknown kind %d", v.kind)
	}
}

func TestScanSpans(t *testing.T) {
	src := []byte("\xef\xbb\xbf{ \"a\" : 1 /* c */ , \"b\":[true,null,-0.5e+3,],\"c\":\"\\u00e9\\ud83d\\ude00\\n\", }")
	v, err := scan("x.json", src)
	if err != nil {
		t.Fatal(err)
	}
	checkSpans(t, src, v, 0, len(src))
	if len(v.members) != 3 {
		t.Fatalf("got %d members, want 3", len(v.members))
	}
	a := v.members[0]
	if got := string(src[a.start:a.end]); got != `"a" : 1 /* c */ ,` {
		t.Errorf("member a spans %q", got)
	}
	if c := v.members[2]; c.val.str != "é😀\n" || c.comma < 0 {
		t.Errorf("member c: str %q comma %d", c.val.str, c.comma)
	}
	if b := v.lookup("B"); b == nil || len(b.val.elems) != 3 {
		t.Errorf("lookup(B) = %+v", b)
	}
}

func TestScanErrors(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		{"", "x.json: empty file, expected a JSON object"},
		{"\xef\xbb\xbf", "x.json: empty file, expected a JSON object"},
		{"  \n ", "x.json:2:2: no JSON value, expected a JSON object"},
		{"{\"a\": 01}", "x.json:1:7: invalid number"},
		{"{\"a\": -}", "x.json:1:7: invalid number"},
		{"{\"a\": 1.}", "x.json:1:7: invalid number"},
		{"{\"a\": tru}", `x.json:1:7: unexpected word "tru", expected a value (strings need double quotes)`},
		{"{\"a\": \"\\x\"}", `x.json:1:8: invalid escape \x in string`},
		{"{\"a\": \"\\u12\"}", `x.json:1:8: invalid \u escape: expected 4 hex digits`},
		{"{\"a\": [1 2]}", "x.json:1:10: expected ',' or ']' after array element"},
		{"{\"a\": [1,", "x.json:1:10: unexpected end of file: array opened at 1:7 is not closed"},
		{"{\"a\" / 1}", "x.json:1:6: unexpected '/': comments start with // or /*"},
		{"{\"é\": é}", "x.json:1:7: unexpected 'é', expected a value"},
		{"{\"a\":" + strings.Repeat("[", maxDepth+1), "x.json:1:261: values nested deeper than 256 levels"},
	} {
		_, err := scan("x.json", []byte(tc.src))
		if err == nil || err.Error() != tc.want {
			t.Errorf("scan(%q) error = %v, want %s", tc.src, err, tc.want)
		}
	}
}
