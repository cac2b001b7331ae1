package rewrite

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/funcmigrate/funcmigrate/rewrite/cs"
	"github.com/funcmigrate/funcmigrate/rewrite/edit"
	"github.com/funcmigrate/funcmigrate/rewrite/report"
)

const mergeSrc = "class A\n{\n    void M() { }\n}\n"

func newMerge(fixes []Fix, findings []report.Finding) *fileMerge {
	// The tree stays open for the validator's incremental re-parse; a
	// test's few trees are freed when the process ends.
	f, _ := cs.Parse("a.cs", []byte(mergeSrc))
	errs := f.Errors()
	check := &csharpCheck{orig: f, errs: errs}
	return &fileMerge{path: "a.cs", src: []byte(mergeSrc), fixes: fixes, findings: findings,
		style: &csharpComment, markers: true, errors: errs, valid: check.valid}
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
	for _, tc := range []struct{ in, want int }{{0, 0}, {2, 4}, {3, 5}, {5, 7}, {6, 7}, {8, 8}, {10, 10}} {
		if got := newOffsets(edits).at(tc.in); got != tc.want {
			t.Errorf("at(%d) = %d, want %d", tc.in, got, tc.want)
		}
	}
	// Insertions and a replacement at one offset, a deletion, an insertion
	// at a replacement's end: every offset against a linear scan.
	edits = []edit.Edit{{Start: 1, End: 1, New: "a"}, {Start: 1, End: 1, New: "bb"}, {Start: 1, End: 4, New: ""},
		{Start: 4, End: 4, New: "c"}, {Start: 6, End: 9, New: "dddd"}, {Start: 12, End: 12, New: "e"}}
	linear := func(off int) int {
		shift := 0
		for _, e := range edits {
			if e.Start > off {
				break
			}
			if e.Start == e.End || e.End <= off {
				shift += len(e.New) - (e.End - e.Start)
				continue
			}
			return e.Start + shift // inside a replaced range
		}
		return off + shift
	}
	for off := 0; off <= 14; off++ {
		want := linear(off)
		if got := newOffsets(edits).at(off); got != want {
			t.Errorf("at(%d) = %d, want %d", off, got, want)
		}
	}
}

// TestEditSet checks the merge's indexed overlap check against the plain
// one it replaces, edit.Validate over every edit accepted so far, on random
// fixes of one to three edits, insertions and repeats included.
func TestEditSet(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for trial := range 200 {
		const size = 200
		set := &editSet{size: size}
		var accepted []edit.Edit
		for range 150 {
			var fx []edit.Edit
			for range 1 + r.IntN(3) {
				start := r.IntN(size + 1)
				end := min(size, start+r.IntN(2)*r.IntN(6))
				fx = append(fx, edit.Edit{Start: start, End: end, New: []string{"", "x", "yy"}[r.IntN(3)]})
			}
			_, err := edit.Validate(size, append(append([]edit.Edit(nil), accepted...), fx...))
			if got := set.fits(fx); got != (err == nil) {
				t.Fatalf("trial %d: fits(%v) = %v with %v accepted; Validate says %v", trial, fx, got, accepted, err)
			}
			if err == nil {
				accepted = append(accepted, fx...)
				set.add(fx...)
			}
		}
		for off := 0; off <= size; off++ {
			want := off
			for _, e := range accepted {
				if e.Start < off && off < e.End {
					want = e.Start
					break
				}
			}
			if got := set.coveringStart(off); got != want {
				t.Fatalf("trial %d: coveringStart(%d) = %d, want %d", trial, off, got, want)
			}
		}
	}
}
