package csproj

import (
	"bytes"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"

	"github.com/funcmigrate/funcmigrate/internal/texttest"
)

// TestEncodings runs every TestMigrate fixture again under each of
// texttest.Encodings, applied to the in/ and want/ files alike: migrating
// T(in) must give exactly T(want), with the same findings on the same
// lines, and applyChecked's own checks (BOM, line endings, final newline,
// untouched lines) must hold. A fixture's crlf, bom and noeol options stay
// in force; an encoding that only repeats one of them is skipped.
//
// Project files are indented by 2 or 4 spaces, so the tabs transform takes
// either unit. A continuation line aligned under an attribute keeps its
// leftover spaces after the tabs.
func TestEncodings(t *testing.T) {
	texttest.RunFixtures(t, "testdata/*.txtar", "testdata/", false, runEncoding)
}

func runEncoding(t *testing.T, file string, enc texttest.Encoding) {
	ar, err := txtar.ParseFile(file)
	if err != nil {
		t.Fatal(err)
	}
	sec := map[string][]byte{}
	for _, f := range ar.Files {
		sec[f.Name] = f.Data
	}
	fo := parseFixtureOptions(t, string(sec["options"]))
	base := texttest.Base{CRLF: fo.crlf, BOM: fo.bom, NoEOL: fo.noeol}

	// One pair per project file the fixture has, the project first.
	var names []string
	var pairs []texttest.Pair
	for _, name := range []string{projName, propsName} {
		in, ok := sec["in/"+name]
		if !ok {
			continue
		}
		want, ok := sec["want/"+name]
		if !ok {
			want = in
		}
		names = append(names, name)
		pairs = append(pairs, texttest.Pair{In: in, Want: want})
	}
	out, notApplied, skip := enc.Apply(base, []int{2, 4}, pairs...)
	if skip != "" {
		t.Skip(skip)
	}
	if len(notApplied) > 0 {
		t.Logf("not applied: %s", strings.Join(notApplied, "; "))
	}

	docs := make([]*Doc, len(out))
	for i, p := range out {
		if docs[i], err = Parse(names[i], p.In); err != nil {
			t.Fatal(err)
		}
	}
	var central *Doc
	if len(docs) > 1 {
		central = docs[1]
	}
	res, err := Migrate(docs[0], central, fo.opt)
	if err != nil {
		t.Fatal(err)
	}
	got := [][]byte{applyChecked(t, docs[0], res.Project)}
	if central != nil {
		got = append(got, applyChecked(t, central, res.Central))
	}
	for i := range got {
		if !bytes.Equal(got[i], out[i].Want) {
			t.Errorf("%s differs from the transformed want at %s\n--- got ---\n%s--- want ---\n%s", names[i],
				texttest.FirstDiff(got[i], out[i].Want), texttest.Visible(got[i]), texttest.Visible(out[i].Want))
		}
	}
	findings := formatFindings(docs[0], res.ProjectFindings) + formatFindings(central, res.CentralFindings)
	if want := string(sec["want/findings"]); findings != want {
		t.Errorf("findings differ from the fixture's (their lines must not move)\n--- got ---\n%s--- want ---\n%s", findings, want)
	}
}
