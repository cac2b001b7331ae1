// Package texttest holds the metamorphic transforms the encoding tests of
// csproj, settings, rewrite and rewrite/rules apply to their hand-written
// fixtures: a fixture written with LF endings, spaces and a final newline
// must migrate the same way once it uses CRLF, a BOM, tabs, no final
// newline or a mix of line endings, with every byte outside the edits kept
// and new lines written in the file's own style.
//
// Each transform maps a fixture's input and expected output alike, so a test
// checks Migrate(T(in)) == T(want). Since the fixture's want already pins
// every byte outside the edits for LF text, equality with T(want) pins them
// for the transformed file too.
package texttest

import (
	"bytes"
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// An Encoding is one metamorphic transform of a fixture's text.
type Encoding struct {
	Name  string
	CRLF  bool   // every line ending becomes CRLF
	BOM   bool   // a UTF-8 BOM goes in front
	Tabs  bool   // each whole unit of leading spaces becomes a tab
	NoEOL bool   // the final newline goes
	Mixed string // majority ending of a mixed file; some kept lines use the other
	Phase int    // which third of the kept lines use the other ending (0, 1, 2)
	// All applies whichever of the transforms above fit the fixture, and
	// lists the others, instead of skipping when one does not fit.
	All bool
}

// Encodings are the transforms every fixture set runs under.
var Encodings = []Encoding{
	{Name: "crlf", CRLF: true},
	{Name: "bom", BOM: true},
	{Name: "tabs", Tabs: true},
	{Name: "noeol", NoEOL: true},
	// Three phases of CRLF with some LF lines: each kept line is tested
	// with the minority ending in one of them.
	{Name: "mixed-crlf-0", Mixed: "\r\n", Phase: 0},
	{Name: "mixed-crlf-1", Mixed: "\r\n", Phase: 1},
	{Name: "mixed-crlf-2", Mixed: "\r\n", Phase: 2},
	{Name: "mixed-lf", Mixed: "\n"},
	{Name: "all", CRLF: true, BOM: true, Tabs: true, NoEOL: true, All: true},
}

// A Base says how a fixture already turns its LF sections into file bytes
// (its own crlf, bom and noeol options).
type Base struct{ CRLF, BOM, NoEOL bool }

// Convert applies the base conversion alone: the bytes the fixture's own
// test runs on.
func (b Base) Convert(text []byte) []byte {
	if b.NoEOL {
		text, _ = DropFinalNewline(text)
	}
	if b.CRLF {
		text = CRLF(text)
	}
	if b.BOM {
		text = AddBOM(text)
	}
	return text
}

// A Pair is one file of a fixture: its LF input and expected output, and
// the lines of each that the tabs transform must leave alone (0-based; nil
// for none), e.g. the inside of multi-line string literals.
type Pair struct {
	In, Want             []byte
	FrozenIn, FrozenWant map[int]bool
}

// Apply transforms the pairs and then applies base, in the order tabs,
// final newline, line endings, BOM. units are the indentation widths the
// tabs transform accepts. It returns a reason to skip instead when the
// encoding cannot apply, only repeats base or changes nothing; with All,
// the transforms that cannot apply are left out and listed in notApplied.
func (e Encoding) Apply(base Base, units []int, pairs ...Pair) (out []Pair, notApplied []string, skip string) {
	switch {
	case e.CRLF && base.CRLF && !e.All:
		return nil, nil, "the fixture is already CRLF"
	case e.BOM && base.BOM && !e.All:
		return nil, nil, "the fixture already has a BOM"
	case e.NoEOL && base.NoEOL && !e.All:
		return nil, nil, "the fixture already has no final newline"
	}
	cannot := func(why string) bool {
		if e.All {
			notApplied = append(notApplied, why)
			return false
		}
		skip = why
		return true
	}
	tabs, noeol := e.Tabs, e.NoEOL || base.NoEOL
	if tabs {
		for _, p := range pairs {
			if why := tabsProblem(p, units); why != "" {
				if cannot("tabs: " + why) {
					return nil, nil, skip
				}
				tabs = false
				break
			}
		}
	}
	if e.NoEOL && !base.NoEOL {
		for _, p := range pairs {
			if !hasFinalNewline(p.In) || !hasFinalNewline(p.Want) {
				if cannot("noeol: no final newline to drop") {
					return nil, nil, skip
				}
				noeol = false
				break
			}
		}
	}
	mixed := false // some pair got a minority ending
	for _, p := range pairs {
		in, want := p.In, p.Want
		if unit, _ := SpaceUnit(in, p.FrozenIn); tabs && unit > 0 {
			in, want = Tabs(in, unit, p.FrozenIn), Tabs(want, unit, p.FrozenWant)
		}
		if noeol {
			in, _ = DropFinalNewline(in)
			want, _ = DropFinalNewline(want)
		}
		switch {
		case e.Mixed != "": // sets every ending itself, whatever base says
			minority := "\n"
			if e.Mixed == "\n" {
				minority = "\r\n"
			}
			var ok bool
			in, want, ok = Mixed(in, want, e.Mixed, minority, e.Phase)
			mixed = mixed || ok
		case e.CRLF || base.CRLF:
			in, want = CRLF(in), CRLF(want)
		}
		if e.BOM || base.BOM {
			in, want = AddBOM(in), AddBOM(want)
		}
		out = append(out, Pair{In: in, Want: want})
	}
	if e.Mixed != "" && !mixed {
		return nil, nil, "mixed: no unchanged, unique line to carry the minority ending, or no other line"
	}
	same := true
	for i, p := range pairs {
		same = same && bytes.Equal(out[i].In, base.Convert(p.In))
	}
	if same {
		return nil, nil, "the transform changes nothing in this fixture's input"
	}
	return out, notApplied, ""
}

// tabsProblem says why the tabs transform does not fit p, or "". A file
// with no indented line is no problem: it stays as it is (and if every
// file does, Apply skips because nothing changes).
func tabsProblem(p Pair, units []int) string {
	unit, why := SpaceUnit(p.In, p.FrozenIn)
	if why == noIndent {
		return ""
	}
	if why != "" {
		return why
	}
	if !slices.Contains(units, unit) {
		return fmt.Sprintf("indented by %d spaces, not %v", unit, units)
	}
	if _, why := SpaceUnit(p.Want, p.FrozenWant); why == "already indented with tabs" {
		return "the expected output has tabs already"
	}
	return ""
}

func hasFinalNewline(b []byte) bool { return bytes.HasSuffix(b, []byte("\n")) }

// BOM is the UTF-8 byte-order mark.
const BOM = "\xef\xbb\xbf"

// A Line is one line of a file: its text and its line ending ("" on a last
// line without one).
type Line struct{ Text, EOL string }

// Split cuts b into lines, keeping each line's own ending.
func Split(b []byte) []Line {
	var out []Line
	for len(b) > 0 {
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			out = append(out, Line{Text: string(b)})
			break
		}
		text, eol := b[:i], "\n"
		if i > 0 && b[i-1] == '\r' {
			text, eol = b[:i-1], "\r\n"
		}
		out = append(out, Line{Text: string(text), EOL: eol})
		b = b[i+1:]
	}
	return out
}

// Join is the inverse of Split.
func Join(lines []Line) []byte {
	var b bytes.Buffer
	for _, l := range lines {
		b.WriteString(l.Text)
		b.WriteString(l.EOL)
	}
	return b.Bytes()
}

// CRLF turns every LF line ending of b into CRLF.
func CRLF(b []byte) []byte {
	lines := Split(b)
	for i := range lines {
		if lines[i].EOL != "" {
			lines[i].EOL = "\r\n"
		}
	}
	return Join(lines)
}

// AddBOM prefixes b with a UTF-8 BOM.
func AddBOM(b []byte) []byte { return append([]byte(BOM), b...) }

// DropFinalNewline removes the line ending of b's last line; ok is false
// when b has none to remove.
func DropFinalNewline(b []byte) (out []byte, ok bool) {
	switch {
	case bytes.HasSuffix(b, []byte("\r\n")):
		return b[:len(b)-2], true
	case bytes.HasSuffix(b, []byte("\n")):
		return b[:len(b)-1], true
	}
	return b, false
}

const noIndent = "no indented line"

// SpaceUnit returns the indentation unit of a file indented with spaces
// only: the shortest leading run of spaces on a non-blank line. frozen
// lines (0-based; e.g. the inside of a multi-line string literal) and block
// comment continuations (" * ...") are not indentation and are ignored.
// It returns 0 and a reason when the file has tabs in its indentation or
// no indented line at all.
func SpaceUnit(b []byte, frozen map[int]bool) (unit int, why string) {
	for i, l := range Split(b) {
		if frozen[i] {
			continue
		}
		rest := strings.TrimLeft(l.Text, " \t")
		lead := l.Text[:len(l.Text)-len(rest)]
		if strings.Contains(lead, "\t") {
			return 0, "already indented with tabs"
		}
		if rest == "" || strings.HasPrefix(rest, "*") {
			continue
		}
		if n := len(lead); n > 0 && (unit == 0 || n < unit) {
			unit = n
		}
	}
	if unit == 0 {
		return 0, noIndent
	}
	return unit, ""
}

// Tabs replaces each whole unit of leading spaces with a tab on every line
// not frozen; spaces left over (alignment) stay after the tabs. Only the
// leading whitespace changes.
func Tabs(b []byte, unit int, frozen map[int]bool) []byte {
	lines := Split(b)
	for i, l := range lines {
		if frozen[i] {
			continue
		}
		rest := strings.TrimLeft(l.Text, " ")
		n := len(l.Text) - len(rest)
		lines[i].Text = strings.Repeat("\t", n/unit) + strings.Repeat(" ", n%unit) + rest
	}
	return Join(lines)
}

// Mixed gives in and want mixed line endings: every line ends in majority
// except every third line fit for it, from the phase'th (0, 1 or 2), which
// ends in minority. Those are lines that stay as they are in want, so their
// ending must be kept there too, even when new lines are inserted next to
// them; every other line of want, changed or new, must end in majority,
// the file's dominant ending. The lines chosen are non-blank and unique in
// both in and want, even ignoring indentation, so which line of want each
// is cannot be in doubt. in and want are LF text; a final line without an
// ending keeps none. ok is false when in has no line fit to carry the
// minority ending, or too few lines for it to stay a minority.
func Mixed(in, want []byte, majority, minority string, phase int) (tin, twant []byte, ok bool) {
	a, b := Split(in), Split(want)
	pairs := matchLines(a, b)
	aToB := make([]int, len(a))
	for i := range aToB {
		aToB[i] = -1
	}
	for _, p := range pairs {
		aToB[p[0]] = p[1]
	}
	// Compare without indentation: a "{" that moved one level in would
	// otherwise match another "{" now at its old indentation.
	count := map[string]int{}
	for _, l := range a {
		count["in "+strings.TrimSpace(l.Text)]++
	}
	for _, l := range b {
		count["want "+strings.TrimSpace(l.Text)]++
	}
	var eligible []int
	for i, l := range a {
		key := strings.TrimSpace(l.Text)
		if aToB[i] >= 0 && l.EOL != "" && key != "" && count["in "+key] == 1 && count["want "+key] == 1 {
			eligible = append(eligible, i)
		}
	}
	// A third of the fit lines at most, so the minority stays one.
	chosen := map[int]bool{}
	for k := phase; k < len(eligible); k += 3 {
		chosen[eligible[k]] = true
	}
	for i := range a {
		if a[i].EOL == "" {
			continue
		}
		a[i].EOL = majority
		if chosen[i] {
			a[i].EOL = minority
		}
	}
	bFromA := map[int]int{}
	for i, j := range aToB {
		if j >= 0 {
			bFromA[j] = i
		}
	}
	for j := range b {
		if b[j].EOL == "" {
			continue
		}
		b[j].EOL = majority
		if i, ok := bFromA[j]; ok && chosen[i] {
			b[j].EOL = minority
		}
	}
	ended := 0 // lines with an ending
	for _, l := range a {
		if l.EOL != "" {
			ended++
		}
	}
	return Join(a), Join(b), len(chosen) > 0 && len(chosen)*2 < ended
}

// matchLines returns the index pairs of a longest common subsequence of the
// lines of a and b (by text), in order.
func matchLines(a, b []Line) [][2]int {
	// n[i][j] is the LCS length of a[i:] and b[j:].
	n := make([][]int, len(a)+1)
	for i := range n {
		n[i] = make([]int, len(b)+1)
	}
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i].Text == b[j].Text {
				n[i][j] = n[i+1][j+1] + 1
			} else {
				n[i][j] = max(n[i+1][j], n[i][j+1])
			}
		}
	}
	var pairs [][2]int
	for i, j := 0, 0; i < len(a) && j < len(b); {
		switch {
		case a[i].Text == b[j].Text:
			pairs = append(pairs, [2]int{i, j})
			i++
			j++
		case n[i+1][j] >= n[i][j+1]:
			i++
		default:
			j++
		}
	}
	return pairs
}

// Visible shows BOMs, CRs, tabs and a missing final newline in failure
// output.
func Visible(b []byte) string {
	s := strings.NewReplacer(BOM, "[BOM]", "\r", "␍", "\t", "→   ").Replace(string(b))
	if !strings.HasSuffix(s, "\n") {
		s += "⏎(no final newline)\n"
	}
	return s
}

// FirstDiff describes where got first differs from want, by line, with
// both lines quoted so invisible bytes show.
func FirstDiff(got, want []byte) string {
	g, w := Split(got), Split(want)
	for i := 0; i < max(len(g), len(w)); i++ {
		var gl, wl Line
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl || i >= len(g) || i >= len(w) {
			return "line " + strconv.Itoa(i+1) + ":\n  got  " + quoteLine(gl, i < len(g)) + "\n  want " + quoteLine(wl, i < len(w))
		}
	}
	return "no difference by line (BOM?)"
}

func quoteLine(l Line, present bool) string {
	if !present {
		return "(no line)"
	}
	return strconv.Quote(l.Text + l.EOL) // shows \r, \t and a BOM (\ufeff)
}

// RunFixtures runs check for every fixture matching pattern under every
// encoding, as subtests named FIXTURE/ENCODING (the fixture path relative
// to trim, without .txtar). It fails when the pattern matches nothing, so
// a moved fixture folder cannot pass silently.
func RunFixtures(t *testing.T, pattern, trim string, parallel bool, check func(t *testing.T, file string, enc Encoding)) {
	t.Helper()
	files, err := filepath.Glob(pattern)
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixtures match %s: %v", pattern, err)
	}
	for _, file := range files {
		name := strings.TrimSuffix(strings.TrimPrefix(filepath.ToSlash(file), trim), ".txtar")
		for _, enc := range Encodings {
			t.Run(name+"/"+enc.Name, func(t *testing.T) {
				if parallel {
					t.Parallel()
				}
				check(t, file, enc)
			})
		}
	}
}
