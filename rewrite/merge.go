package rewrite

import (
	"bytes"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/funcmigrate/funcmigrate/rewrite/cs"
	"github.com/funcmigrate/funcmigrate/rewrite/edit"
	"github.com/funcmigrate/funcmigrate/rewrite/report"
)

// commentStyle says how a TODO marker is written in a kind of file.
type commentStyle struct{ open, close string }

var (
	csharpComment = commentStyle{"// ", ""}
	xmlComment    = commentStyle{"<!-- ", " -->"}
)

// markerText is the TODO marker for a finding, without indentation or EOL.
func (c commentStyle) markerText(f report.Finding) string {
	body := "TODO(funcmigrate): " + f.Rule + " " + oneLine(f.Action)
	if c.close != "" { // "--" may not appear inside an XML comment
		for strings.Contains(body, "--") {
			body = strings.ReplaceAll(body, "--", "- -")
		}
	}
	return c.open + body + c.close
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// fileMerge is one file's baseline, the fixes proposed for it and the
// findings about it.
type fileMerge struct {
	path     string // display path
	src      []byte
	fixes    []Fix
	findings []report.Finding
	style    *commentStyle // nil: the format has no comments (JSON)
	markers  bool
	// errors are syntax-error ranges already in src: no edit may touch them.
	errors []cs.ErrorRange
	// valid reports whether out, src with edits applied, is acceptable
	// compared with src.
	valid func(out []byte, edits []edit.Edit) error
	// neutralMarkers says a comment line cannot make the file valid: the
	// C# of a file without syntax errors, where a marker changes no token.
	neutralMarkers bool
	// literalStart, when set, returns the start of the string literal or
	// comment that holds off strictly inside, else off (see markLine).
	literalStart func(off int) int
}

// merge applies fixes in order, dropping whole any fix that overlaps an
// earlier one or touches a syntax-error range, adds TODO markers, validates
// the result (dropping the fixes that break it), and fills each finding's
// Path and Line in the new content.
func (m *fileMerge) merge() ([]byte, []report.Finding, error) {
	var accepted []edit.Edit
	var kept []Fix
	set := &editSet{size: len(m.src)}
	findings := append([]report.Finding(nil), m.findings...)
	for _, fx := range m.fixes {
		if er, ok := m.touchesError(fx.Edits); ok {
			findings = append(findings, report.Finding{Rule: fx.Rule, Offset: fx.Edits[0].Start, Marker: true,
				Message: fmt.Sprintf("not migrated: %s would edit code next to a syntax error (line %d)", fx.Message, lineOf(m.src, er.Start)),
				Action:  "fix the syntax error, then make this change by hand (funcmigrate skips the project once its project file is migrated)", Ref: "MAPPING.md §9"})
			continue
		}
		if !set.fits(fx.Edits) {
			findings = append(findings, report.Finding{Rule: fx.Rule, Offset: fx.Edits[0].Start, Marker: true,
				Message: "not migrated: " + fx.Message + " conflicts with another change to the same code",
				Action:  "migrate this by hand", Ref: "MAPPING.md §9"})
			continue
		}
		accepted = append(accepted, fx.Edits...)
		set.add(fx.Edits...)
		kept = append(kept, fx)
	}

	out, err := edit.Apply(m.src, accepted)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %v", m.path, err)
	}
	validated := false
	if m.valid != nil && m.neutralMarkers && m.style != nil && m.markers {
		// One validation instead of two: the marked content is valid only
		// if the unmarked one is, so when it passes, the fixes and the
		// markers are settled together.
		if marks := m.placeMarkers(findings, set.clone()); len(marks) > 0 {
			all := append(append([]edit.Edit(nil), accepted...), marks...)
			if marked, err := edit.Apply(m.src, all); err == nil && m.valid(marked, all) == nil {
				accepted, out, validated = all, marked, true
			}
		}
	}
	if m.valid != nil && !validated {
		if verr := m.valid(out, accepted); verr != nil {
			// Find the fixes that break the file on their own and drop them.
			accepted = accepted[:0]
			var good []Fix
			for _, fx := range kept {
				alone, _ := edit.Apply(m.src, fx.Edits)
				if m.valid(alone, fx.Edits) != nil {
					findings = append(findings, report.Finding{Rule: fx.Rule, Offset: fx.Edits[0].Start, Marker: true,
						Message: "not migrated: " + fx.Message + " would leave a syntax error",
						Action:  "migrate this by hand", Ref: "MAPPING.md §9"})
					continue
				}
				good = append(good, fx)
				accepted = append(accepted, fx.Edits...)
			}
			out, _ = edit.Apply(m.src, accepted)
			if m.valid(out, accepted) != nil { // fixes that only break together: keep none
				for _, fx := range good {
					findings = append(findings, report.Finding{Rule: fx.Rule, Offset: fx.Edits[0].Start, Marker: true,
						Message: "not migrated: " + fx.Message + " would leave a syntax error together with other changes",
						Action:  "migrate this by hand", Ref: "MAPPING.md §9"})
				}
				accepted = nil
				out = m.src
			}
			set = &editSet{size: len(m.src)}
			set.add(accepted...)
		}
	}

	// TODO markers go above the line they concern, once.
	if m.style != nil && m.markers && !validated {
		if marks := m.placeMarkers(findings, set); len(marks) > 0 {
			all := append(append([]edit.Edit(nil), accepted...), marks...)
			marked, err := edit.Apply(m.src, all)
			if err != nil {
				return nil, nil, fmt.Errorf("%s: %v", m.path, err)
			}
			// A comment line does not make C# worse, but it can change how
			// tree-sitter recovers from an error already in the file, and
			// so the count the validator compares. Then the file gets no
			// markers (the findings still say what to do); a second run
			// decides the same on the same text.
			if m.valid == nil || m.valid(marked, all) == nil {
				accepted = all
				out = marked
			}
		}
	}

	sorted, _ := edit.Validate(len(m.src), append([]edit.Edit(nil), accepted...))
	starts := cs.LineStarts(out)
	shift := newOffsets(sorted)
	for i := range findings {
		findings[i].Path = m.path
		findings[i].Line = cs.LineOf(starts, shift.at(findings[i].Offset))
	}
	return out, findings, nil
}

// placeMarkers returns the TODO marker lines for the findings that want
// one, above the line each concerns, once; set holds the accepted edits
// and gets the markers added.
func (m *fileMerge) placeMarkers(findings []report.Finding, set *editSet) []edit.Edit {
	seen := map[string]bool{}
	var marks []edit.Edit
	ordered := append([]report.Finding(nil), findings...)
	sort.SliceStable(ordered, func(i, j int) bool { return ordered[i].Offset < ordered[j].Offset })
	for _, f := range ordered {
		if !f.Marker {
			continue
		}
		// An offset inside a BOM (0: "the file") marks line 1, after the BOM.
		ls := m.markLine(cs.LineStart(m.src, min(max(f.Offset, cs.BOMLen(m.src)), len(m.src))))
		text := m.style.markerText(f)
		key := fmt.Sprint(ls, text)
		if seen[key] || m.markedAbove(ls, text) {
			continue
		}
		seen[key] = true
		mk := edit.Edit{Start: ls, End: ls, New: cs.Indent(m.src, ls) + text + cs.DetectEOL(m.src)}
		if !set.fits([]edit.Edit{mk}) {
			// The line's start is inside a change (a removed argument
			// on its own line): mark the line where that change starts.
			ls = m.markLine(cs.LineStart(m.src, set.coveringStart(ls)))
			mk = edit.Edit{Start: ls, End: ls, New: cs.Indent(m.src, ls) + text + cs.DetectEOL(m.src)}
			if seen[fmt.Sprint(ls, text)] || m.markedAbove(ls, text) || !set.fits([]edit.Edit{mk}) {
				continue
			}
			seen[fmt.Sprint(ls, text)] = true
		}
		marks = append(marks, mk)
		set.add(mk)
	}
	return marks
}

// An editSet holds the edits a merge has accepted so far. Checking a new
// fix against it validates the fix together with only the accepted edits
// it touches (edit.Validate can only object to those), found by binary
// search, so a file with thousands of fixes merges in n log n, not n².
type editSet struct {
	size   int
	sorted []edit.Edit // sorted and free of overlaps, so their ends rise too
	recent []edit.Edit // added since sorted was last rebuilt
}

func (s *editSet) clone() *editSet {
	return &editSet{size: s.size, sorted: slices.Clone(s.sorted), recent: slices.Clone(s.recent)}
}

func (s *editSet) add(es ...edit.Edit) {
	s.recent = append(s.recent, es...)
	if len(s.recent) > 64 {
		s.sorted = append(s.sorted, s.recent...)
		edit.Sort(s.sorted)
		s.recent = s.recent[:0]
	}
}

// fits reports whether es can join the set: edit.Validate accepts es with
// every edit of the set.
func (s *editSet) fits(es []edit.Edit) bool {
	var near []int
	for _, e := range es {
		// Touching counts: Validate also objects to two ranges that
		// start at one offset, and drops a repeated insertion.
		i := sort.Search(len(s.sorted), func(i int) bool { return s.sorted[i].End >= e.Start })
		for ; i < len(s.sorted) && s.sorted[i].Start <= e.End; i++ {
			near = append(near, i)
		}
	}
	slices.Sort(near)
	near = slices.Compact(near)
	local := make([]edit.Edit, 0, len(near)+len(s.recent)+len(es))
	for _, i := range near {
		local = append(local, s.sorted[i])
	}
	// Recent edits are newer than sorted ones: appended after them, they
	// keep the order Validate gives insertions at one offset.
	for _, r := range s.recent {
		for _, e := range es {
			if r.Start <= e.End && e.Start <= r.End {
				local = append(local, r)
				break
			}
		}
	}
	_, err := edit.Validate(s.size, append(local, es...))
	return err == nil
}

// coveringStart returns the start of the edit whose range holds off, or off.
func (s *editSet) coveringStart(off int) int {
	for _, e := range s.recent {
		if e.Start < off && off < e.End {
			return e.Start
		}
	}
	i := sort.Search(len(s.sorted), func(i int) bool { return s.sorted[i].End > off })
	if i < len(s.sorted) && s.sorted[i].Start < off {
		return s.sorted[i].Start
	}
	return off
}

// markLine returns the start of the line a marker for the line at ls goes
// above: ls, unless ls lies inside a multi-line string literal or comment
// (the marker would become part of the string, changing the program
// without a trace) or inside a syntax-error range (a comment there changes
// how the parser recovers and can split one error into two); then the line
// where that literal, comment or error starts, found again the same way.
func (m *fileMerge) markLine(ls int) int {
	for {
		to := ls
		if m.literalStart != nil {
			to = m.literalStart(ls)
		}
		for _, r := range m.errors {
			if r.Start < ls && ls < r.End {
				to = min(to, r.Start)
			}
		}
		next := cs.LineStart(m.src, max(to, cs.BOMLen(m.src)))
		if next >= ls {
			return ls
		}
		ls = next
	}
}

// csharpLiteralStart is fileMerge.literalStart for a C# file.
func csharpLiteralStart(f *cs.File) func(off int) int {
	return func(off int) int {
		for n := f.Root.DescendantForByteRange(uint(off), uint(off)); n != nil; n = n.Parent() {
			switch n.Kind() {
			case "string_literal", "verbatim_string_literal", "raw_string_literal", "interpolated_string_expression", "comment":
				if int(n.StartByte()) < off && off < int(n.EndByte()) {
					return int(n.StartByte())
				}
			}
		}
		return off
	}
}

// markedAbove reports whether one of the TODO markers stacked right above
// lineStart already is text: the marker from an earlier run. When the line
// at lineStart is a marker itself (a finding at the very start of the file,
// where an earlier run put its markers), the stack it belongs to counts too.
func (m *fileMerge) markedAbove(lineStart int, text string) bool {
	prefix := m.style.open + "TODO(funcmigrate):"
	for ls := lineStart; ls < len(m.src); {
		le := cs.LineEnd(m.src, ls)
		line := strings.TrimSpace(string(m.src[ls:le]))
		if line == text {
			return true
		}
		if !strings.HasPrefix(line, prefix) {
			break
		}
		ls = le
	}
	for lineStart > cs.BOMLen(m.src) {
		prev := cs.LineStart(m.src, lineStart-1)
		line := strings.TrimSpace(string(m.src[prev:lineStart]))
		if line == text {
			return true
		}
		if !strings.HasPrefix(line, prefix) {
			return false
		}
		lineStart = prev
	}
	return false
}

func (m *fileMerge) touchesError(edits []edit.Edit) (cs.ErrorRange, bool) {
	for _, e := range edits {
		for _, r := range m.errors {
			if e.Start <= r.End && m.errorStart(r) <= e.End {
				return r, true
			}
		}
	}
	return cs.ErrorRange{}, false
}

// errorStart returns where touchesError takes error range r to start: TODO
// markers stacked right above the line it starts count as part of it. A
// run that refuses a change next to an error marks it there; without this
// the next run would find the change no longer next to the error, past the
// markers, and make it: the second run would not be a no-op.
func (m *fileMerge) errorStart(r cs.ErrorRange) int {
	if m.style == nil || !cs.OnlyWhitespaceBefore(m.src, r.Start) {
		return r.Start
	}
	start, prefix := r.Start, m.style.open+"TODO(funcmigrate):"
	for ls := cs.LineStart(m.src, r.Start); ls > cs.BOMLen(m.src); {
		prev := cs.LineStart(m.src, ls-1)
		if !strings.HasPrefix(strings.TrimSpace(string(m.src[prev:ls])), prefix) {
			break
		}
		start, ls = prev, prev
	}
	return start
}

// offsetMap maps offsets in the original content to the new content, by
// binary search over the sorted edits and the size change before each.
type offsetMap struct {
	sorted []edit.Edit
	shift  []int // shift[i]: the size change of sorted[:i]
}

func newOffsets(sorted []edit.Edit) offsetMap {
	shift := make([]int, len(sorted)+1)
	for i, e := range sorted {
		shift[i+1] = shift[i] + len(e.New) - (e.End - e.Start)
	}
	return offsetMap{sorted, shift}
}

// at maps off: an offset inside a replaced range maps to where its
// replacement starts. Edits never overlap, so only the last edit starting
// at or before off can hold it.
func (m offsetMap) at(off int) int {
	k := sort.Search(len(m.sorted), func(i int) bool { return m.sorted[i].Start > off })
	if k > 0 {
		if e := m.sorted[k-1]; e.Start != e.End && e.End > off {
			return e.Start + m.shift[k-1]
		}
	}
	return off + m.shift[k]
}

func lineOf(src []byte, off int) int { return bytes.Count(src[:min(off, len(src))], []byte("\n")) + 1 }

// A csharpCheck is the validator of a C# file's merge: new content may
// not have more syntax errors than the original had. It re-parses
// incrementally from the original's tree where that is sound (see
// validate), and keeps the tree of the last content it accepted for the
// caller (the dependents' index reads the migrated file from it).
type csharpCheck struct {
	orig *cs.File
	errs []cs.ErrorRange
	last *cs.File // the last content accepted, parsed; nil when none
}

func (c *csharpCheck) valid(out []byte, edits []edit.Edit) error {
	f, err := c.parse(out, edits)
	if err != nil {
		return err
	}
	if n := len(f.Errors()); n > len(c.errs) {
		f.Close()
		return fmt.Errorf("%s: the change introduces a syntax error", c.orig.Path)
	}
	c.last.Close()
	c.last = f
	return nil
}

// parse parses out. From an error-free original the re-parse reuses its
// tree; a result with errors is confirmed by a fresh parse, since error
// recovery is where an incremental parse may differ, and the next run of
// funcmigrate parses the file afresh (TestReparse checks that a re-parse
// without errors is a fresh parse without errors).
func (c *csharpCheck) parse(out []byte, edits []edit.Edit) (*cs.File, error) {
	if len(c.errs) == 0 && c.orig.Tree != nil {
		sorted, err := edit.Validate(len(c.orig.Src), append([]edit.Edit(nil), edits...))
		if err == nil {
			f, err := c.orig.Reparse(out, sorted)
			if err != nil || len(f.Errors()) == 0 {
				return f, err
			}
			f.Close()
		}
	}
	return cs.Parse(c.orig.Path, out)
}

// take returns the tree of out if it is the content last accepted, and
// hands it over to the caller; else nil.
func (c *csharpCheck) take(out []byte) *cs.File {
	f := c.last
	c.last = nil
	if f != nil && !bytes.Equal(f.Src, out) {
		f.Close()
		return nil
	}
	return f
}

// checkCSharp reports a syntax error in generated C# (Program.cs).
func checkCSharp(path string, src []byte) error {
	f, err := cs.Parse(path, src)
	if err != nil {
		return err
	}
	defer f.Close()
	if len(f.Errors()) > 0 {
		return fmt.Errorf("%s: the change introduces a syntax error", path)
	}
	return nil
}
