package rewrite

import (
	"strings"
	"testing"

	"github.com/funcmigrate/funcmigrate/rewrite/cs"
	"github.com/funcmigrate/funcmigrate/rewrite/edit"
	"github.com/funcmigrate/funcmigrate/rewrite/report"
)

const mergeSrc = "class A\n{\n    void M() { }\n}\n"

func newMerge(fixes []Fix, findings []report.Finding) *fileMerge {
	f, _ := cs.Parse("a.cs", []byte(mergeSrc))
	errs := f.Errors()
	f.Close()
	return &fileMerge{path: "a.cs", src: []byte(mergeSrc), fixes: fixes, findings: findings,
		style: &csharpComment, markers: true, errors: errs, valid: csharpValidator("a.cs", errs)}
}

func TestMergeDropsConflictingFixWhole(t *testing.T) {
	at := strings.Index(mergeSrc, "M()")
	fixes := []Fix{
		{Rule: "first", Message: "rename M", Edits: []edit.Edit{{Start: at, End: at + 1, New: "N"}}},
		// Overlaps the first; its other edit must not be applied either.
		{Rule: "second", Message: "rename M again", Edits: []edit.Edit{{Start: at, End: at + 1, New: "O"}, {Start: 0, End: 5, New: "struct"}}},
	}
	out, findings, err := newMerge(fixes, nil).merge()
	if err != nil {
		t.Fatal(err)
	}
	if want := strings.Replace(strings.Replace(mergeSrc, "M()", "N()", 1), "    void N", "    // TODO(funcmigrate): second migrate this by hand\n    void N", 1); string(out) != want {
		t.Fatalf("got\n%s\nwant\n%s", out, want)
	}
	if len(findings) != 1 || findings[0].Rule != "second" || !strings.Contains(findings[0].Message, "conflicts") || findings[0].Line != 4 {
		t.Fatalf("findings: %+v", findings)
	}
}

func TestMergeDropsFixThatBreaksSyntax(t *testing.T) {
	at := strings.Index(mergeSrc, "{ }")
	fixes := []Fix{
		{Rule: "good", Message: "rename A", Edits: []edit.Edit{{Start: 6, End: 7, New: "B"}}},
		{Rule: "bad", Message: "break the body", Edits: []edit.Edit{{Start: at, End: at + 1, New: "("}}},
	}
	out, findings, err := newMerge(fixes, nil).merge()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(out), "class B") || strings.Contains(string(out), "( }") {
		t.Fatalf("want the good fix only, got\n%s", out)
	}
	if len(findings) != 1 || findings[0].Rule != "bad" || !strings.Contains(findings[0].Message, "syntax error") {
		t.Fatalf("findings: %+v", findings)
	}
}

func TestMergeMarkersOnceAndIdempotent(t *testing.T) {
	at := strings.Index(mergeSrc, "void")
	f := report.Finding{Rule: "r", Offset: at, Marker: true, Message: "m", Action: "do -- this"}
	out, findings, err := newMerge(nil, []report.Finding{f, f}).merge()
	if err != nil {
		t.Fatal(err)
	}
	want := "class A\n{\n    // TODO(funcmigrate): r do -- this\n    void M() { }\n}\n"
	if string(out) != want {
		t.Fatalf("got\n%q\nwant\n%q", out, want)
	}
	if findings[0].Line != 4 {
		t.Fatalf("finding should point at the code line 4, got %d", findings[0].Line)
	}
	// On the output the marker is already there: nothing changes.
	m := newMerge(nil, []report.Finding{{Rule: "r", Offset: strings.Index(want, "void"), Marker: true, Action: "do -- this"}})
	m.src = []byte(want)
	again, _, _ := m.merge()
	if string(again) != want {
		t.Fatalf("second run changed the file:\n%s", again)
	}
}

// Two rules marking one line stack their markers; a second run must find
// both, not only the one right above the code.
func TestMergeStackedMarkersIdempotent(t *testing.T) {
	findings := func(src string) []report.Finding {
		at := strings.Index(src, "void")
		return []report.Finding{
			{Rule: "first", Offset: at, Marker: true, Action: "do one"},
			{Rule: "second", Offset: at, Marker: true, Action: "do two"},
		}
	}
	out, _, err := newMerge(nil, findings(mergeSrc)).merge()
	if err != nil {
		t.Fatal(err)
	}
	want := "class A\n{\n    // TODO(funcmigrate): first do one\n    // TODO(funcmigrate): second do two\n    void M() { }\n}\n"
	if string(out) != want {
		t.Fatalf("got\n%q\nwant\n%q", out, want)
	}
	m := newMerge(nil, findings(want))
	m.src = []byte(want)
	if again, _, _ := m.merge(); string(again) != want {
		t.Fatalf("second run changed the file:\n%s", again)
	}
}

func TestXMLMarkerHasNoDoubleHyphen(t *testing.T) {
	got := xmlComment.markerText(report.Finding{Rule: "csproj-x", Action: "use --flag"})
	if strings.Contains(strings.TrimSuffix(strings.TrimPrefix(got, "<!--"), "-->"), "--") {
		t.Fatalf("XML comment body contains --: %s", got)
	}
}

func TestNewOffset(t *testing.T) {
	// "0123456789" becomes "01xx234y89".
	edits := []edit.Edit{{Start: 2, End: 2, New: "xx"}, {Start: 5, End: 8, New: "y"}}
	for _, tc := range []struct{ in, want int }{{0, 0}, {2, 4}, {3, 5}, {6, 7}, {8, 8}, {10, 10}} {
		if got := newOffset(edits, tc.in); got != tc.want {
			t.Errorf("newOffset(%d) = %d, want %d", tc.in, got, tc.want)
		}
	}
}
