package rules

import (
	"bytes"
	"strings"
	"testing"

	"github.com/funcmigrate/funcmigrate/internal/texttest"
	"github.com/funcmigrate/funcmigrate/rewrite"
	"github.com/funcmigrate/funcmigrate/rewrite/cs"
)

// TestEncodings runs every TestFixtures fixture again under each of
// texttest.Encodings: migrating T(in.cs) must give exactly T(want.cs), with
// the same findings on the same lines. A fixture that already has the crlf
// or bom option is its own CRLF or BOM case; the other encodings apply on
// top of its options (the mixed ones replace its crlf option).
//
// Where a transform cannot apply, the subtest is skipped with the reason:
// a file already indented with tabs, or indented by other than 4 spaces,
// has no tabs variant; a mixed variant needs unchanged lines that occur
// once (ignoring indentation) to carry the minority ending, and
// mixedExceptions lists the fixtures where it cannot hold.
//
// Mixed endings: every line the migration leaves as it is keeps its own
// ending, and every new or changed line gets the file's majority ending
// (edit.EOL); between them the three mixed-crlf phases give the minority
// ending to every kept line that occurs once.
//
// No final newline: the output must not gain one either. The rules insert
// only before existing lines or inside them, never after the last one, so
// T(want.cs) is simply want.cs without its final newline.
//
// BOM: it stays the file's first bytes even when a TODO marker goes above
// line 1 or line 1 is removed (cs-usings/first-line-*).
//
// CRLF applies inside multi-line string literals too: that changes the
// strings' values, but it is exactly what a file checked out on Windows
// holds, and the rules must leave those bytes alone either way. The tabs
// transform, on the other hand, leaves the lines inside multi-line string
// literals as they are (frozen), as a person re-indenting a file would, and
// as the rules do when they re-indent moved code.
func TestEncodings(t *testing.T) {
	texttest.RunFixtures(t, "testdata/*/*.txtar", "testdata/", true, runEncoding)
}

// mixedExceptions are fixtures whose mixed-ending variants cannot hold:
// the reason says why.
var mixedExceptions = map[string]string{
	// removeListItems deletes an item with the comma and line break before
	// it, [previous item's end, item's end), so the line before takes the
	// removed line's ending. Deleting [item's line start, next item's line
	// start) instead would keep it, but then two fixes that remove
	// neighbouring items (the logger's log parameter and an output
	// parameter) claim the same comma and overlap, and the merge drops one.
	"testdata/cs-outputs/servicebus-collector-http.txtar": "a parameter on its own line is removed with the line break before it, so the line before takes the removed line's ending",
}

func runEncoding(t *testing.T, file string, enc texttest.Encoding) {
	_, o, sections, in, want := loadFixture(t, file)
	if why, ok := mixedExceptions[file]; ok && enc.Mixed != "" {
		t.Skip("mixed: " + why)
	}
	base := texttest.Base{CRLF: o.crlf, BOM: o.bom}
	pairs, notApplied, skip := enc.Apply(base, []int{4},
		texttest.Pair{In: in, Want: want, FrozenIn: frozenLines(t, in), FrozenWant: frozenLines(t, want)})
	if skip != "" {
		t.Skip(skip)
	}
	if len(notApplied) > 0 {
		t.Logf("not applied: %s", strings.Join(notApplied, "; "))
	}
	tin, twant := pairs[0].In, pairs[0].Want

	opt := rewrite.Options{Rules: All, TODOComments: !o.notodo}
	o.facts.BoundTypes = boundTypesOf(t, tin)
	out, findings, err := rewrite.MigrateSource("in.cs", tin, o.facts, opt)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(out, twant) {
		t.Errorf("output differs from the transformed want.cs at %s\n--- got ---\n%s--- want ---\n%s",
			texttest.FirstDiff(out, twant), texttest.Visible(out), texttest.Visible(twant))
	}
	if got, w := formatFindings(findings), string(sections["findings"]); got != w {
		t.Errorf("findings differ from the fixture's (their lines must not move)\n--- got ---\n%s--- want ---\n%s", got, w)
	}
	checkInvariants(t, tin, out, findings, o, opt)
}

// frozenLines returns the 0-based lines of src that start inside a
// multi-line string literal (cs.File.StringLines).
func frozenLines(t *testing.T, src []byte) map[int]bool {
	f, err := cs.Parse("in.cs", src)
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
