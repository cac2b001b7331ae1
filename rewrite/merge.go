package rewrite

import (
	"bytes"
	"fmt"
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
	// valid reports whether out is acceptable compared with src.
	valid func(out []byte) error
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
	findings := append([]report.Finding(nil), m.findings...)
	for _, fx := range m.fixes {
		if er, ok := m.touchesError(fx.Edits); ok {
			findings = append(findings, report.Finding{Rule: fx.Rule, Offset: fx.Edits[0].Start, Marker: true,
				Message: fmt.Sprintf("not migrated: %s would edit code next to a syntax error (line %d)", fx.Message, lineOf(m.src, er.Start)),
				Action:  "fix the syntax error, then make this change by hand (funcmigrate skips the project once its project file is migrated)", Ref: "MAPPING.md §9"})
			continue
		}
		if _, err := edit.Validate(len(m.src), append(append([]edit.Edit(nil), accepted...), fx.Edits...)); err != nil {
			findings = append(findings, report.Finding{Rule: fx.Rule, Offset: fx.Edits[0].Start, Marker: true,
				Message: "not migrated: " + fx.Message + " conflicts with another change to the same code",
				Action:  "migrate this by hand", Ref: "MAPPING.md §9"})
			continue
		}
		accepted = append(accepted, fx.Edits...)
		kept = append(kept, fx)
	}

	out, err := edit.Apply(m.src, accepted)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %v", m.path, err)
	}
	if m.valid != nil {
		if verr := m.valid(out); verr != nil {
			// Find the fixes that break the file on their own and drop them.
			accepted = accepted[:0]
			var good []Fix
			for _, fx := range kept {
				alone, _ := edit.Apply(m.src, fx.Edits)
				if m.valid(alone) != nil {
					findings = append(findings, report.Finding{Rule: fx.Rule, Offset: fx.Edits[0].Start, Marker: true,
						Message: "not migrated: " + fx.Message + " would leave a syntax error",
						Action:  "migrate this by hand", Ref: "MAPPING.md §9"})
					continue
				}
				good = append(good, fx)
				accepted = append(accepted, fx.Edits...)
			}
			out, _ = edit.Apply(m.src, accepted)
			if m.valid(out) != nil { // fixes that only break together: keep none
				for _, fx := range good {
					findings = append(findings, report.Finding{Rule: fx.Rule, Offset: fx.Edits[0].Start, Marker: true,
						Message: "not migrated: " + fx.Message + " would leave a syntax error together with other changes",
						Action:  "migrate this by hand", Ref: "MAPPING.md §9"})
				}
				accepted = nil
				out = m.src
			}
		}
	}

	// TODO markers go above the line they concern, once.
	if m.style != nil && m.markers {
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
			if m.conflicts(accepted, marks, mk) {
				// The line's start is inside a change (a removed argument
				// on its own line): mark the line where that change starts.
				ls = m.markLine(cs.LineStart(m.src, coveringStart(accepted, ls)))
				mk = edit.Edit{Start: ls, End: ls, New: cs.Indent(m.src, ls) + text + cs.DetectEOL(m.src)}
				if seen[fmt.Sprint(ls, text)] || m.markedAbove(ls, text) || m.conflicts(accepted, marks, mk) {
					continue
				}
				seen[fmt.Sprint(ls, text)] = true
			}
			marks = append(marks, mk)
		}
		if len(marks) > 0 {
			marked, err := edit.Apply(m.src, append(append([]edit.Edit(nil), accepted...), marks...))
			if err != nil {
				return nil, nil, fmt.Errorf("%s: %v", m.path, err)
			}
			// A comment line does not make C# worse, but it can change how
			// tree-sitter recovers from an error already in the file, and
			// so the count the validator compares. Then the file gets no
			// markers (the findings still say what to do); a second run
			// decides the same on the same text.
			if m.valid == nil || m.valid(marked) == nil {
				accepted = append(accepted, marks...)
				out = marked
			}
		}
	}

	sorted, _ := edit.Validate(len(m.src), append([]edit.Edit(nil), accepted...))
	starts := cs.LineStarts(out)
	for i := range findings {
		findings[i].Path = m.path
		findings[i].Line = cs.LineOf(starts, newOffset(sorted, findings[i].Offset))
	}
	return out, findings, nil
}

func (m *fileMerge) conflicts(accepted, marks []edit.Edit, mk edit.Edit) bool {
	_, err := edit.Validate(len(m.src), append(append(append([]edit.Edit(nil), accepted...), marks...), mk))
	return err != nil
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

// coveringStart returns the start of the edit whose range holds off, or off.
func coveringStart(edits []edit.Edit, off int) int {
	for _, e := range edits {
		if e.Start < off && off < e.End {
			return e.Start
		}
	}
	return off
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

// newOffset maps an offset in the original content to the new content.
func newOffset(sorted []edit.Edit, off int) int {
	shift := 0
	for _, e := range sorted {
		if e.Start > off {
			break
		}
		if e.Start == e.End || e.End <= off {
			shift += len(e.New) - (e.End - e.Start)
			continue
		}
		return e.Start + shift // off lies inside a replaced range
	}
	return off + shift
}

func lineOf(src []byte, off int) int { return bytes.Count(src[:min(off, len(src))], []byte("\n")) + 1 }

// csharpValidator accepts new content that has no more syntax errors than
// the original had.
func csharpValidator(path string, orig []cs.ErrorRange) func([]byte) error {
	return func(out []byte) error {
		f, err := cs.Parse(path, out)
		if err != nil {
			return err
		}
		defer f.Close()
		if n := len(f.Errors()); n > len(orig) {
			return fmt.Errorf("%s: the change introduces a syntax error", path)
		}
		return nil
	}
}
