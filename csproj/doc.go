// Package csproj reads MSBuild project files (.csproj, Directory.Packages.props)
// without losing a byte and plans the project-file half of the in-process to
// isolated worker migration.
//
// Parse indexes every element of a file by its byte span, using
// encoding/xml's RawToken and InputOffset; nothing is ever serialised back.
// Changes are edit.Edit splices against the original bytes, so indentation,
// quote style, the space before "/>", a byte-order mark, CRLF line endings
// and a missing final newline all survive, and a diff shows only the lines
// that really change (LIBRARIES.md §2, approach E4).
//
// Migrate applies MAPPING.md §1 and §2 to a parsed project. The package map
// and the versions it emits are data (packages.json), each row citing the
// MAPPING.md section it comes from.
package csproj

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/funcmigrate/funcmigrate/rewrite/edit"
)

// A Doc is a parsed project file: the original bytes and an index of its
// elements. Offsets everywhere in the package refer to Src.
type Doc struct {
	Path     string
	Src      []byte
	BOM      bool       // Src starts with the UTF-8 byte-order mark
	EOL      string     // dominant line ending, "\r\n" or "\n"
	Root     *Element   // the document element (<Project> for MSBuild files)
	Elements []*Element // every element in document order; Elements[0] == Root
}

// An Element is one XML element and where its pieces lie in Doc.Src.
//
// The start tag is Src[Start:StartTagEnd] and the end tag is
// Src[EndTagStart:End]. For a self-closing element (<X/>) the end tag is
// empty: EndTagStart == End == StartTagEnd. Content lies in
// Src[StartTagEnd:EndTagStart].
type Element struct {
	Name        string // as written, with any prefix ("xsi:nil" style)
	Start       int
	StartTagEnd int
	EndTagStart int
	End         int
	SelfClosing bool
	Attrs       []Attr
	Parent      *Element // nil for the root
	Children    []*Element
}

// An Attr is one attribute of a start tag. The raw (still escaped) value is
// Src[ValueStart:ValueEnd], between quotes of kind Quote (' or ").
type Attr struct {
	Name       string
	Value      string // unescaped
	ValueStart int
	ValueEnd   int
	Quote      byte
}

// Attr returns the attribute called name. MSBuild metadata names are case
// insensitive, so the match is too.
func (e *Element) Attr(name string) (Attr, bool) {
	for _, a := range e.Attrs {
		if strings.EqualFold(a.Name, name) {
			return a, true
		}
	}
	return Attr{}, false
}

// attrValue returns the value of attribute name, or "".
func (e *Element) attrValue(name string) string {
	a, _ := e.Attr(name)
	return a.Value
}

// Is reports whether the element is called name (case-insensitively, as
// MSBuild compares property and item names).
func (e *Element) Is(name string) bool { return strings.EqualFold(e.Name, name) }

// Text returns the unescaped character data of a text-only element, as in
// <TargetFramework>net8.0</TargetFramework>. Entities and character
// references are decoded, CDATA sections are unwrapped and comments are
// skipped. Elements with child elements, and empty ones, return "".
func (e *Element) Text(src []byte) string {
	if e.SelfClosing || len(e.Children) > 0 || e.EndTagStart <= e.StartTagEnd {
		return ""
	}
	raw := src[e.StartTagEnd:e.EndTagStart]
	d := xml.NewDecoder(io.MultiReader(strings.NewReader("<x>"), bytes.NewReader(raw), strings.NewReader("</x>")))
	var b strings.Builder
	for {
		t, err := d.Token()
		if err != nil {
			break
		}
		if cd, ok := t.(xml.CharData); ok {
			b.Write(cd)
		}
	}
	return b.String()
}

const bom = "\xef\xbb\xbf"

// Parse indexes src, the content of the file at path. It refuses UTF-16
// files and empty files, and reports malformed XML as
// "path:line:col: what happened".
func Parse(path string, src []byte) (*Doc, error) {
	if len(bytes.TrimSpace(bytes.TrimPrefix(src, []byte(bom)))) == 0 {
		return nil, fmt.Errorf("%s: file is empty; an MSBuild project needs at least a <Project> element", path)
	}
	if isUTF16(src) {
		return nil, fmt.Errorf("%s: file is UTF-16 encoded; save it as UTF-8 and run again", path)
	}
	d := &Doc{Path: path, Src: src, BOM: bytes.HasPrefix(src, []byte(bom)), EOL: dominantEOL(src)}
	if err := d.index(); err != nil {
		return nil, err
	}
	return d, nil
}

// isUTF16 reports whether src starts with a UTF-16 byte-order mark or holds
// NUL bytes near its start, which UTF-8 XML never does.
func isUTF16(src []byte) bool {
	if bytes.HasPrefix(src, []byte{0xFF, 0xFE}) || bytes.HasPrefix(src, []byte{0xFE, 0xFF}) {
		return true
	}
	head := src
	if len(head) > 512 {
		head = head[:512]
	}
	return bytes.IndexByte(head, 0) >= 0
}

// dominantEOL returns the line ending new lines in src use (see edit.EOL).
func dominantEOL(src []byte) string { return edit.EOL(src) }

// index runs the decoder over d.Src and fills d.Root and d.Elements.
func (d *Doc) index() error {
	dec := xml.NewDecoder(bytes.NewReader(d.Src))
	dec.Strict = true
	// Project files declare encodings such as "utf-8" or even "utf-16" while
	// being stored as UTF-8; the decoder still checks that the bytes are valid
	// UTF-8, so passing them through is safe.
	dec.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil }

	var stack []*Element
	for {
		before := dec.InputOffset()
		tok, err := dec.RawToken()
		after := int(dec.InputOffset())
		if err == io.EOF {
			break
		}
		if err != nil {
			// The decoder stops just after the byte that broke the rules;
			// point at that byte, unless the input simply ran out.
			off := int(dec.InputOffset())
			if off > 0 && off < len(d.Src) {
				off--
			}
			var se *xml.SyntaxError
			if errors.As(err, &se) {
				return d.errorf(off, "%s", se.Msg)
			}
			return d.errorf(off, "%v", err)
		}
		start := int(before)
		switch t := tok.(type) {
		case xml.StartElement:
			if len(stack) == 0 && d.Root != nil {
				return d.errorf(start, "second root element <%s>; <%s> already closed", qname(t.Name), d.Root.Name)
			}
			el := &Element{Name: qname(t.Name), Start: start, StartTagEnd: after}
			if err := d.scanAttrs(el, t.Attr); err != nil {
				return err
			}
			if len(stack) > 0 {
				el.Parent = stack[len(stack)-1]
				el.Parent.Children = append(el.Parent.Children, el)
			} else {
				d.Root = el
			}
			d.Elements = append(d.Elements, el)
			stack = append(stack, el)
		case xml.EndElement:
			name := qname(t.Name)
			if len(stack) == 0 {
				return d.errorf(start, "unexpected </%s> with no open element", name)
			}
			el := stack[len(stack)-1]
			if el.Name != name {
				return d.errorf(start, "element <%s> closed by </%s>", el.Name, name)
			}
			stack = stack[:len(stack)-1]
			el.EndTagStart, el.End = start, after
			// RawToken reports <X/> as a start tag followed by a zero-width end tag.
			el.SelfClosing = start == after
		case xml.CharData:
			if len(stack) == 0 {
				text := strings.TrimSpace(strings.TrimPrefix(string(t), "\ufeff"))
				if text != "" {
					return d.errorf(start, "text %q outside the root element", abbrev(text))
				}
			}
		}
	}
	if len(stack) > 0 {
		el := stack[len(stack)-1]
		return d.errorf(el.Start, "element <%s> is never closed", el.Name)
	}
	if d.Root == nil {
		return d.errorf(len(d.Src), "no root element")
	}
	return nil
}

// scanAttrs finds the raw value span and quote of each attribute of el. The
// decoder has already checked the tag, so the scan can be simple; toks are
// the decoded attributes in source order.
func (d *Doc) scanAttrs(el *Element, toks []xml.Attr) error {
	src := d.Src
	i := el.Start + 1 + len(el.Name)
	for _, t := range toks {
		for i < el.StartTagEnd && isSpace(src[i]) {
			i++
		}
		nameStart := i
		for i < el.StartTagEnd && src[i] != '=' && !isSpace(src[i]) {
			i++
		}
		name := string(src[nameStart:i])
		for i < el.StartTagEnd && src[i] != '\'' && src[i] != '"' {
			i++
		}
		if i >= el.StartTagEnd || name != qname(t.Name) {
			return d.errorf(nameStart, "cannot locate attribute %s of <%s>", qname(t.Name), el.Name)
		}
		q := src[i]
		end := bytes.IndexByte(src[i+1:el.StartTagEnd], q)
		if end < 0 {
			return d.errorf(i, "unterminated value of attribute %s", name)
		}
		el.Attrs = append(el.Attrs, Attr{Name: name, Value: t.Value, ValueStart: i + 1, ValueEnd: i + 1 + end, Quote: q})
		i = i + 1 + end + 1
	}
	return nil
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

func qname(n xml.Name) string {
	if n.Space != "" {
		return n.Space + ":" + n.Local
	}
	return n.Local
}

func abbrev(s string) string {
	if len(s) > 20 {
		return s[:20] + "…"
	}
	return s
}

// errorf returns an error "path:line:col: msg" for byte offset off.
func (d *Doc) errorf(off int, format string, args ...any) error {
	line, col := d.Position(off)
	return fmt.Errorf("%s:%d:%d: %s", d.Path, line, col, fmt.Sprintf(format, args...))
}

// Line returns the 1-based line number of byte offset off.
func (d *Doc) Line(off int) int {
	line, _ := d.Position(off)
	return line
}

// Position returns the 1-based line and byte column of byte offset off.
// A leading byte-order mark does not count as a column.
func (d *Doc) Position(off int) (line, col int) {
	if off > len(d.Src) {
		off = len(d.Src)
	}
	if off < 0 {
		off = 0
	}
	line = 1 + bytes.Count(d.Src[:off], []byte("\n"))
	ls := bytes.LastIndexByte(d.Src[:off], '\n') + 1
	if ls == 0 && d.BOM && off >= len(bom) {
		ls = len(bom)
	}
	return line, off - ls + 1
}
