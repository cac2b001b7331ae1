package settings

import (
	"strconv"
	"strings"

	"github.com/funcmigrate/funcmigrate/rewrite/edit"
)

// This file turns "add this member" and "remove that member" into minimal byte
// edits that keep the file's own layout: its indentation, line endings,
// comments and comma style (trailing commas or not).

// lineStart returns the offset of the first byte of the line holding off.
// On the first line a byte order mark is not part of the line.
func lineStart(src []byte, off int) int {
	i := off
	for i > 0 && src[i-1] != '\n' {
		i--
	}
	if i == 0 && len(src) >= len(bom) && string(src[:len(bom)]) == bom {
		return min(len(bom), off)
	}
	return i
}

// lineEnd returns the offset of the line break that ends the line holding
// off (the '\r' of a "\r\n"), or len(src) on the last line.
func lineEnd(src []byte, off int) int {
	i := off
	for i < len(src) && src[i] != '\n' {
		i++
	}
	if i < len(src) && i > off && src[i-1] == '\r' {
		return i - 1
	}
	return i
}

// nextLine returns the offset just past the line break that ends the line
// holding off, or len(src) on the last line.
func nextLine(src []byte, off int) int {
	i := off
	for i < len(src) && src[i] != '\n' {
		i++
	}
	if i < len(src) {
		i++
	}
	return i
}

// isBlank reports whether b holds only spaces and tabs.
func isBlank(b []byte) bool {
	for _, c := range b {
		if c != ' ' && c != '\t' {
			return false
		}
	}
	return true
}

// onlyTrivia reports whether b, which must start between two tokens, holds
// only spaces, tabs and comments that end within b.
func onlyTrivia(b []byte) bool {
	for i := 0; i < len(b); {
		switch {
		case b[i] == ' ' || b[i] == '\t' || b[i] == '\r':
			i++
		case i+1 < len(b) && b[i] == '/' && b[i+1] == '/':
			return true // runs to the end of the line
		case i+1 < len(b) && b[i] == '/' && b[i+1] == '*':
			j := i + 2
			for j+1 < len(b) && !(b[j] == '*' && b[j+1] == '/') {
				j++
			}
			if j+1 >= len(b) {
				return false
			}
			i = j + 2
		default:
			return false
		}
	}
	return true
}

// leadingBlank returns the spaces and tabs that start the line holding off.
func leadingBlank(src []byte, off int) string {
	s := lineStart(src, off)
	e := s
	for e < len(src) && (src[e] == ' ' || src[e] == '\t') {
		e++
	}
	return string(src[s:e])
}

// fileEOL returns the line ending new lines in src use: the majority's,
// not the first line's, so that a file mixing endings agrees with the C#
// and project files (see edit.EOL).
func fileEOL(src []byte) string { return edit.EOL(src) }

// indentUnit guesses one level of indentation: the leading blanks of the
// first indented line, or two spaces when no line is indented.
func indentUnit(src []byte) string {
	for off := 0; off < len(src); off = nextLine(src, off) {
		lead := leadingBlank(src, off)
		rest := off + len(lead)
		if lead != "" && rest < len(src) && src[rest] != '\n' && src[rest] != '\r' {
			return lead
		}
		if nextLine(src, off) == off {
			break
		}
	}
	return "  "
}

// quote returns s as a JSON string literal.
func quote(s string) string {
	// strconv.Quote escapes a superset of what JSON requires and its escapes
	// for the ASCII keys and values written here are valid JSON.
	return strconv.Quote(s)
}

// A layout tells a member renderer where the member will stand.
type layout struct {
	indent string // leading blanks of the member's line (multi-line layout)
	unit   string // one level of indentation in this file
	eol    string // the file's line ending
	inline bool   // the member goes on the same line as its neighbours
}

// insertMember returns the edits that add a member as the last one of obj.
// render returns the member text ("key": value) for the chosen layout.
// The member copies the layout of the current last member: on its own line
// with the same indentation when that member sits on its own line, otherwise
// on the same line after ", ". A trailing comma after the last member is kept
// as a trailing comma after the new one.
func insertMember(src []byte, obj *value, render func(layout) string) []edit.Edit {
	eol, unit := fileEOL(src), indentUnit(src)
	if len(obj.members) == 0 {
		return insertFirstMember(src, obj, eol, unit, render)
	}
	last := obj.members[len(obj.members)-1]
	if !ownLine(src, last) {
		text := render(layout{unit: unit, eol: eol, inline: true})
		if last.comma < 0 {
			return []edit.Edit{{Start: last.val.end, End: last.val.end, New: ", " + text}}
		}
		return []edit.Edit{{Start: last.end, End: last.end, New: " " + text + ","}}
	}
	indent := leadingBlank(src, last.start)
	text := indent + render(layout{indent: indent, unit: unit, eol: eol})
	// The new line goes after the last member's line ending, not before it,
	// so that line keeps its own ending in a file that mixes CRLF and LF.
	// (The member is alone on its line and the closing brace comes later,
	// so the line has an ending.)
	at := nextLine(src, last.end)
	if last.comma >= 0 {
		return []edit.Edit{{Start: at, End: at, New: text + "," + eol}}
	}
	// The comma goes right after the value, before any comment on its line.
	return []edit.Edit{
		{Start: last.val.end, End: last.val.end, New: ","},
		{Start: at, End: at, New: text + eol},
	}
}

// insertFirstMember adds a member to an object that has none.
func insertFirstMember(src []byte, obj *value, eol, unit string, render func(layout) string) []edit.Edit {
	open, close := obj.start, obj.end-1
	inner := src[open+1 : close]
	outer := leadingBlank(src, open)
	if !containsNewline(src) {
		text := render(layout{unit: unit, eol: eol, inline: true})
		if isBlank(inner) {
			return []edit.Edit{{Start: open + 1, End: close, New: " " + text + " "}}
		}
		return []edit.Edit{{Start: open + 1, End: open + 1, New: " " + text}}
	}
	indent := outer + unit
	text := render(layout{indent: indent, unit: unit, eol: eol})
	if isBlankOrNewline(inner) {
		return []edit.Edit{{Start: open + 1, End: close, New: eol + indent + text + eol + outer}}
	}
	// Comments inside the empty object stay where they are, after the member.
	return []edit.Edit{{Start: open + 1, End: open + 1, New: eol + indent + text}}
}

func containsNewline(b []byte) bool {
	for _, c := range b {
		if c == '\n' {
			return true
		}
	}
	return false
}

func isBlankOrNewline(b []byte) bool {
	for _, c := range b {
		if c != ' ' && c != '\t' && c != '\r' && c != '\n' {
			return false
		}
	}
	return true
}

// removeMembers returns the edits that delete the members of obj whose
// indexes are listed in remove (in increasing order).
//
// A member on its own line is removed with its whole line, including a
// comment that follows it on that line; other members are cut out of their
// line with their comma. Commas are fixed up so the object keeps its style:
// when the removed members include the last one and the file has no trailing
// comma there, the comma of the new last member goes too; with a trailing
// comma, the new last member keeps its comma as the trailing one.
func removeMembers(src []byte, obj *value, remove []int) []edit.Edit {
	removed := map[int]bool{}
	for _, i := range remove {
		removed[i] = true
	}
	n := len(obj.members)
	kept := -1 // index of the last member that stays
	for i := n - 1; i >= 0; i-- {
		if !removed[i] {
			kept = i
			break
		}
	}
	trailingComma := obj.members[n-1].comma >= 0
	commaDone := false
	var edits []edit.Edit
	done := 0 // end of the last deletion: later ones start no earlier
	for _, i := range remove {
		m := obj.members[i]
		var start, end int
		switch {
		case ownLine(src, m):
			start, end = lineStart(src, m.start), nextLine(src, m.end)
		case i < kept:
			// "a": 1, "m": 2, "b": 3 → "a": 1, "b": 3
			start, end = m.start, m.end
			for end < len(src) && (src[end] == ' ' || src[end] == '\t') {
				end++
			}
		case i == kept+1 && kept >= 0 && !trailingComma:
			// "a": 1, "m": 2 → "a": 1
			start, end = obj.members[kept].val.end, m.end
			commaDone = true
		case i > 0:
			// "a": 1, "m": 2, → "a": 1,
			start, end = obj.members[i-1].end, m.end
		default:
			start, end = m.start, m.end
		}
		start = max(start, done)
		edits = append(edits, edit.Edit{Start: start, End: end})
		done = end
	}
	if kept >= 0 && kept < n-1 && !trailingComma && !commaDone {
		edits = append(edits, edit.Edit{Start: obj.members[kept].comma, End: obj.members[kept].comma + 1})
	}
	return edits
}

// ownLine reports whether m stands on lines of its own: only blanks before it
// on its first line, only blanks and comments after it on its last.
func ownLine(src []byte, m member) bool {
	return isBlank(src[lineStart(src, m.start):m.start]) && onlyTrivia(src[m.end:lineEnd(src, m.end)])
}

// insertFirst returns the edits that add a member as the first one of obj,
// before any member it has. A first member that starts its own line gets the
// new member on a line of its own above it, with the same indentation;
// otherwise the new member goes in front of it on its line.
func insertFirst(src []byte, obj *value, render func(layout) string) []edit.Edit {
	if len(obj.members) == 0 {
		return insertMember(src, obj, render)
	}
	first := obj.members[0]
	eol, unit := fileEOL(src), indentUnit(src)
	ls := lineStart(src, first.start)
	if ls > obj.start && isBlank(src[ls:first.start]) {
		indent := string(src[ls:first.start])
		return []edit.Edit{{Start: ls, End: ls, New: indent + render(layout{indent: indent, unit: unit, eol: eol}) + "," + eol}}
	}
	return []edit.Edit{{Start: first.start, End: first.start, New: render(layout{unit: unit, eol: eol, inline: true}) + ", "}}
}

// rebase moves the lines of a multi-line text from one indentation to
// another: every line after the first that starts with from has it replaced
// by to. Blank lines and lines indented differently are left as they are.
func rebase(text, from, to string) string {
	if from == to || !strings.Contains(text, "\n") {
		return text
	}
	lines := strings.SplitAfter(text, "\n")
	for i := 1; i < len(lines); i++ {
		l := lines[i]
		if strings.TrimRight(l, " \t\r\n") == "" || !strings.HasPrefix(l, from) {
			continue
		}
		lines[i] = to + l[len(from):]
	}
	return strings.Join(lines, "")
}
