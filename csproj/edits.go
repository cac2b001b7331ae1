package csproj

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/funcmigrate/funcmigrate/rewrite/edit"
)

// This file holds the edit primitives. Each returns edit.Edits against
// Doc.Src; none changes the Doc. New text copies what the file already does:
// indentation, line ending, quote character and " />" versus "/>".

// A Node describes an element to insert: attributes, and either text or
// child elements (or neither, which renders self-closing).
type Node struct {
	Name     string
	Attrs    []NodeAttr
	Text     string
	Children []Node
}

// A NodeAttr is one attribute of a Node, unescaped.
type NodeAttr struct{ Name, Value string }

// A Style is how a file writes start tags.
type Style struct {
	Quote      byte // '"' or '\''
	SlashSpace bool // " />" rather than "/>"
}

// StyleOf returns the style of el, falling back to its siblings, then to the
// first element below the root that shows the trait, then to the root (whose
// Sdk attribute often differs from the items), then to `"` and " />".
// StyleOf(nil) is the style of the file.
func (d *Doc) StyleOf(el *Element) Style {
	st := Style{Quote: '"', SlashSpace: true}
	var candidates []*Element
	if el != nil {
		candidates = append(candidates, el)
		if el.Parent != nil {
			candidates = append(candidates, el.Parent.Children...)
		}
	}
	candidates = append(candidates, d.Elements[1:]...)
	candidates = append(candidates, d.Root)
	for _, c := range candidates {
		if len(c.Attrs) > 0 {
			st.Quote = c.Attrs[0].Quote
			break
		}
	}
	for _, c := range candidates {
		if c.SelfClosing {
			st.SlashSpace = c.StartTagEnd-c.Start >= 3 && isSpace(d.Src[c.StartTagEnd-3])
			break
		}
	}
	return st
}

// IndentUnit returns one level of indentation as the file writes it: a tab,
// or a run of spaces (commonly 2 or 4). It is the most common difference
// between the indentation of an element and that of its parent; "  " when
// the file shows none.
func (d *Doc) IndentUnit() string {
	count := map[string]int{}
	var order []string
	for _, el := range d.Elements {
		if el.Parent == nil {
			continue
		}
		in, ok := d.lineIndent(el.Start)
		pin, pok := d.lineIndent(el.Parent.Start)
		if !ok || !pok || len(in) <= len(pin) || !strings.HasPrefix(in, pin) {
			continue
		}
		u := in[len(pin):]
		if count[u] == 0 {
			order = append(order, u)
		}
		count[u]++
	}
	best := "  "
	for _, u := range order {
		if count[u] > count[best] {
			best = u
		}
	}
	return best
}

// IndentOf returns the indentation of el's line when el starts it, or else
// its parent's indentation plus one unit.
func (d *Doc) IndentOf(el *Element) string {
	if in, ok := d.lineIndent(el.Start); ok {
		return in
	}
	if el.Parent == nil {
		return ""
	}
	return d.IndentOf(el.Parent) + d.IndentUnit()
}

// lineIndent returns the whitespace before off on its line, and whether
// only whitespace precedes off there. A leading BOM is not indentation.
func (d *Doc) lineIndent(off int) (string, bool) {
	ls := d.lineStart(off)
	if ls == 0 && d.BOM {
		ls = len(bom)
	}
	if ls > off {
		return "", true
	}
	pre := d.Src[ls:off]
	if !isIndent(pre) {
		return "", false
	}
	return string(pre), true
}

// isIndent reports whether b, part of one line, is only spaces and tabs.
// A bare carriage return inside a line is not: Remove and InsertBefore
// must agree on whether an element stands alone on its line, or one would
// take the whole line while the other breaks it before the element.
func isIndent(b []byte) bool { return len(bytes.Trim(b, " \t")) == 0 }

// lineStart returns the offset of the first byte of off's line.
func (d *Doc) lineStart(off int) int {
	return bytes.LastIndexByte(d.Src[:off], '\n') + 1
}

// eolAt returns where the line ending after off starts and its length
// (0 at the end of a file with no final newline).
func (d *Doc) eolAt(off int) (pos, n int) {
	j := bytes.IndexByte(d.Src[off:], '\n')
	if j < 0 {
		return len(d.Src), 0
	}
	j += off
	if j > off && d.Src[j-1] == '\r' {
		return j - 1, 2
	}
	return j, 1
}

// onlySpaceOrComments reports whether b holds only whitespace and complete
// XML comments.
func onlySpaceOrComments(b []byte) bool {
	for {
		b = bytes.TrimLeft(b, " \t\r\n")
		if len(b) == 0 {
			return true
		}
		if !bytes.HasPrefix(b, []byte("<!--")) {
			return false
		}
		end := bytes.Index(b, []byte("-->"))
		if end < 0 {
			return false
		}
		b = b[end+3:]
	}
}

func isBlank(b []byte) bool { return len(bytes.Trim(b, " \t\r\n")) == 0 }

// Remove deletes el. When el is alone on its line(s) the whole lines go,
// with their indentation and one line ending; if that leaves two blank lines
// next to each other, the second goes too. Otherwise only el's bytes go.
func (d *Doc) Remove(el *Element) []edit.Edit {
	ls := d.lineStart(el.Start)
	pos, n := d.eolAt(el.End)
	if !isIndent(d.Src[ls:el.Start]) || !isIndent(d.Src[el.End:pos]) {
		return []edit.Edit{{Start: el.Start, End: el.End}}
	}
	start, end := ls, pos+n
	if n == 0 && ls > 0 {
		// Last line and no final newline: take the previous line ending
		// instead, so the file still ends without one.
		start = ls - 1
		if start > 0 && d.Src[start-1] == '\r' {
			start--
		}
		return []edit.Edit{{Start: start, End: end}}
	}
	if ls > 0 && end < len(d.Src) {
		prevStart := d.lineStart(ls - 1)
		npos, nn := d.eolAt(end)
		if nn > 0 && isBlank(d.Src[prevStart:ls]) && isBlank(d.Src[end:npos]) {
			end = npos + nn
		}
	}
	return []edit.Edit{{Start: start, End: end}}
}

// InsertAfter inserts nodes as new lines after sib, at sib's indentation,
// in sib's style. They go after sib's line when only whitespace or comments
// follow sib there, else directly after sib. A missing final newline stays
// missing.
func (d *Doc) InsertAfter(sib *Element, nodes ...Node) []edit.Edit {
	pos, n := d.eolAt(sib.End)
	indent, unit, st := d.IndentOf(sib), d.IndentUnit(), d.StyleOf(sib)
	var b strings.Builder
	if n > 0 && onlySpaceOrComments(d.Src[sib.End:pos]) {
		// New whole lines after sib's line ending, not before it: sib's
		// line keeps its own ending in a file that mixes CRLF and LF.
		for _, nd := range nodes {
			d.render(&b, nd, indent, unit, st)
			b.WriteString(d.EOL)
		}
		return []edit.Edit{{Start: pos + n, End: pos + n, New: b.String()}}
	}
	at := sib.End
	if onlySpaceOrComments(d.Src[sib.End:pos]) {
		at = pos // the last line, with no line ending
	}
	for _, nd := range nodes {
		b.WriteString(d.EOL)
		d.render(&b, nd, indent, unit, st)
	}
	return []edit.Edit{{Start: at, End: at, New: b.String()}}
}

// InsertBefore inserts nodes as new lines before el, at el's indentation,
// in el's style.
func (d *Doc) InsertBefore(el *Element, nodes ...Node) []edit.Edit {
	indent, unit, st := d.IndentOf(el), d.IndentUnit(), d.StyleOf(el)
	var b strings.Builder
	if _, ok := d.lineIndent(el.Start); ok {
		for _, n := range nodes {
			d.render(&b, n, indent, unit, st)
			b.WriteString(d.EOL)
		}
		at := d.lineStart(el.Start)
		if at == 0 && d.BOM {
			at = len(bom)
		}
		return []edit.Edit{{Start: at, End: at, New: b.String()}}
	}
	// Something precedes el on its line: break the line before el.
	for _, n := range nodes {
		b.WriteString(d.EOL)
		d.render(&b, n, indent, unit, st)
	}
	b.WriteString(d.EOL + indent)
	return []edit.Edit{{Start: el.Start, End: el.Start, New: b.String()}}
}

// AppendChild adds nodes as the last children of parent: after its last
// child element, or into an empty or self-closing parent one level deeper
// than the parent.
func (d *Doc) AppendChild(parent *Element, nodes ...Node) []edit.Edit {
	if len(parent.Children) > 0 {
		return d.InsertAfter(parent.Children[len(parent.Children)-1], nodes...)
	}
	pin := d.IndentOf(parent)
	unit := d.IndentUnit()
	st := d.StyleOf(parent)
	var b strings.Builder
	for _, n := range nodes {
		b.WriteString(d.EOL)
		d.render(&b, n, pin+unit, unit, st)
	}
	b.WriteString(d.EOL + pin)
	if parent.SelfClosing {
		tag := bytes.TrimRight(d.Src[parent.Start:parent.StartTagEnd-2], " \t\r\n")
		return []edit.Edit{{Start: parent.Start, End: parent.End, New: string(tag) + ">" + b.String() + "</" + parent.Name + ">"}}
	}
	// Replace the whitespace-only content so the closing tag lands on its
	// own line at the parent's indentation.
	if isBlank(d.Src[parent.StartTagEnd:parent.EndTagStart]) {
		return []edit.Edit{{Start: parent.StartTagEnd, End: parent.EndTagStart, New: b.String()}}
	}
	return []edit.Edit{{Start: parent.EndTagStart, End: parent.EndTagStart, New: b.String()}}
}

// AddItemGroups adds groups (normally <ItemGroup> nodes) as new children of
// the root, just before its end tag, one indentation unit deep, in the style
// of the last item in the file. If the file separates the root's children
// with blank lines, so do the new ones.
func (d *Doc) AddItemGroups(groups ...Node) []edit.Edit {
	root := d.Root
	unit := d.IndentUnit()
	indent := d.IndentOf(root) + unit
	// New groups hold items: write them like the nearest existing item.
	st := d.StyleOf(nil)
	for i := len(d.Elements) - 1; i > 0; i-- {
		if el := d.Elements[i]; el.Parent.Is("ItemGroup") && len(el.Attrs) > 0 {
			st = d.StyleOf(el)
			break
		}
	}
	blank := d.blankLineStyle()
	if root.SelfClosing {
		return d.AppendChild(root, groups...)
	}
	var b strings.Builder
	if _, ok := d.lineIndent(root.EndTagStart); ok && d.lineStart(root.EndTagStart) > root.StartTagEnd {
		at := d.lineStart(root.EndTagStart)
		prevBlank := at > 0 && isBlank(d.Src[d.lineStart(at-1):at])
		for i, g := range groups {
			if blank && (i > 0 || !prevBlank) {
				b.WriteString(d.EOL)
			}
			d.render(&b, g, indent, unit, st)
			b.WriteString(d.EOL)
		}
		return []edit.Edit{{Start: at, End: at, New: b.String()}}
	}
	for _, g := range groups {
		b.WriteString(d.EOL)
		d.render(&b, g, indent, unit, st)
	}
	b.WriteString(d.EOL + d.IndentOf(root))
	return []edit.Edit{{Start: root.EndTagStart, End: root.EndTagStart, New: b.String()}}
}

// blankLineStyle reports whether most of the root's consecutive children
// are separated by a blank line.
func (d *Doc) blankLineStyle() bool {
	var yes, no int
	cs := d.Root.Children
	for i := 1; i < len(cs); i++ {
		gap := d.Src[cs[i-1].End:cs[i].Start]
		if !isBlank(gap) {
			continue
		}
		if bytes.Count(gap, []byte("\n")) >= 2 {
			yes++
		} else {
			no++
		}
	}
	return yes > no
}

// SetText replaces the content of a text-only element with text (escaped).
// A self-closing element gets an end tag.
func (d *Doc) SetText(el *Element, text string) ([]edit.Edit, error) {
	if len(el.Children) > 0 {
		line, col := d.Position(el.Start)
		return nil, fmt.Errorf("%s:%d:%d: cannot set the text of <%s>: it has child elements", d.Path, line, col, el.Name)
	}
	esc := escapeText(text)
	if el.SelfClosing {
		tag := bytes.TrimRight(d.Src[el.Start:el.StartTagEnd-2], " \t\r\n")
		return []edit.Edit{{Start: el.Start, End: el.End, New: string(tag) + ">" + esc + "</" + el.Name + ">"}}, nil
	}
	return []edit.Edit{{Start: el.StartTagEnd, End: el.EndTagStart, New: esc}}, nil
}

// SetAttr sets attribute name of el to value. An existing attribute keeps
// its quote character and only its value bytes change; a new one is added
// after the last attribute in the file's quote style.
func (d *Doc) SetAttr(el *Element, name, value string) []edit.Edit {
	if a, ok := el.Attr(name); ok {
		return []edit.Edit{{Start: a.ValueStart, End: a.ValueEnd, New: escapeAttr(value, a.Quote)}}
	}
	at := el.Start + 1 + len(el.Name)
	if len(el.Attrs) > 0 {
		at = el.Attrs[len(el.Attrs)-1].ValueEnd + 1
	}
	q := d.StyleOf(el).Quote
	return []edit.Edit{{Start: at, End: at, New: " " + name + "=" + string(q) + escapeAttr(value, q) + string(q)}}
}

// render writes n at indent, children one unit deeper, lines joined by the
// file's line ending. It writes no trailing line ending.
func (d *Doc) render(b *strings.Builder, n Node, indent, unit string, st Style) {
	q := string(st.Quote)
	b.WriteString(indent + "<" + n.Name)
	for _, a := range n.Attrs {
		b.WriteString(" " + a.Name + "=" + q + escapeAttr(a.Value, st.Quote) + q)
	}
	switch {
	case len(n.Children) > 0:
		b.WriteString(">")
		for _, c := range n.Children {
			b.WriteString(d.EOL)
			d.render(b, c, indent+unit, unit, st)
		}
		b.WriteString(d.EOL + indent + "</" + n.Name + ">")
	case n.Text != "":
		b.WriteString(">" + escapeText(n.Text) + "</" + n.Name + ">")
	case st.SlashSpace:
		b.WriteString(" />")
	default:
		b.WriteString("/>")
	}
}

// escapeText escapes only what XML requires in character data.
func escapeText(s string) string { return textEscaper.Replace(s) }

// escapeAttr escapes only what XML requires in an attribute value quoted
// with q, plus the whitespace characters that attribute normalisation would
// otherwise turn into spaces.
func escapeAttr(s string, q byte) string {
	if q == '\'' {
		return singleQuotedEscaper.Replace(s)
	}
	return doubleQuotedEscaper.Replace(s)
}

// Built once: a Replacer builds its lookup table on first use, which cost
// more than the project-file edits themselves.
var (
	textEscaper         = strings.NewReplacer("&", "&amp;", "<", "&lt;")
	singleQuotedEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", "\r", "&#xD;", "\n", "&#xA;", "\t", "&#x9;", "'", "&apos;")
	doubleQuotedEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", "\r", "&#xD;", "\n", "&#xA;", "\t", "&#x9;", `"`, "&quot;")
)
