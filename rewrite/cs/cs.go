// Package cs wraps the tree-sitter C# grammar (v0.23.5, pinned): parsing,
// syntax-error ranges, and the small text helpers rules need to produce byte
// edits that keep a file's own line endings and indentation.
package cs

import (
	"bytes"
	"fmt"
	"sort"
	"strings"
	"sync"
	"unsafe"

	sitter "github.com/tree-sitter/go-tree-sitter"
	csharp "github.com/tree-sitter/tree-sitter-c-sharp/bindings/go"

	"github.com/funcmigrate/funcmigrate/rewrite/edit"
)

var language = sitter.NewLanguage(csharp.Language())

// Parsers are not safe for concurrent use; a pool gives each goroutine its own.
var parsers = sync.Pool{New: func() any {
	p := sitter.NewParser()
	if err := p.SetLanguage(language); err != nil {
		panic(fmt.Sprintf("cs: C# grammar rejected by the runtime: %v", err))
	}
	return p
}}

// A File is a parsed C# source file. Close it when done: tree-sitter trees
// live in C memory and have no finalizers.
type File struct {
	Path string
	Src  []byte // read-only: Text shares its memory
	Tree *sitter.Tree
	Root *sitter.Node
	EOL  string // dominant line ending: "\r\n" or "\n"

	lineStarts []int
}

// Parse parses src. It never fails on syntax errors: those are part of the
// tree (see Errors). It fails only if tree-sitter gives up (e.g. cancelled).
func Parse(path string, src []byte) (*File, error) {
	p := parsers.Get().(*sitter.Parser)
	defer parsers.Put(p)
	tree := p.Parse(src, nil)
	if tree == nil {
		return nil, fmt.Errorf("%s: the C# parser returned no tree", path)
	}
	return &File{Path: path, Src: src, Tree: tree, Root: tree.RootNode(), EOL: DetectEOL(src)}, nil
}

// Reparse parses out, which is f's content with edits applied (edits in
// f's offsets, sorted and non-overlapping as edit.Validate returns them).
// It reuses f's tree, so tree-sitter re-reads only around the edits: a
// migrated file costs a fraction of a second full parse. f stays as it was.
func (f *File) Reparse(out []byte, edits []edit.Edit) (*File, error) {
	if f.Tree == nil {
		return Parse(f.Path, out)
	}
	old := f.Tree.Clone()
	defer old.Close()
	lines := f.lines()
	point := func(off int) sitter.Point {
		l := LineOf(lines, off) - 1
		return sitter.Point{Row: uint(l), Column: uint(off - lines[l])}
	}
	// Last edit first: the offsets of the edits before it stay valid.
	for i := len(edits) - 1; i >= 0; i-- {
		e := edits[i]
		start := point(e.Start)
		end := start
		if nl := strings.Count(e.New, "\n"); nl > 0 {
			end = sitter.Point{Row: start.Row + uint(nl), Column: uint(len(e.New) - strings.LastIndexByte(e.New, '\n') - 1)}
		} else {
			end.Column += uint(len(e.New))
		}
		old.Edit(&sitter.InputEdit{StartByte: uint(e.Start), OldEndByte: uint(e.End), NewEndByte: uint(e.Start + len(e.New)),
			StartPosition: start, OldEndPosition: point(e.End), NewEndPosition: end})
	}
	p := parsers.Get().(*sitter.Parser)
	defer parsers.Put(p)
	tree := p.Parse(out, old)
	if tree == nil {
		return nil, fmt.Errorf("%s: the C# parser returned no tree", f.Path)
	}
	return &File{Path: f.Path, Src: out, Tree: tree, Root: tree.RootNode(), EOL: DetectEOL(out)}, nil
}

// Close releases the tree. A nil File is closed already.
func (f *File) Close() {
	if f != nil && f.Tree != nil {
		f.Tree.Close()
		f.Tree = nil
		f.Root = nil
	}
}

// DetectEOL returns the line ending new lines in src use (see edit.EOL).
func DetectEOL(src []byte) string { return edit.EOL(src) }

// Text returns the source text of n. The string shares Src's memory:
// rules call this for nearly every node, and a copy each time was a tenth
// of the pipeline. Src is never written after Parse.
func (f *File) Text(n *sitter.Node) string {
	start, end := n.StartByte(), n.EndByte()
	if start >= end {
		return ""
	}
	return unsafe.String(&f.Src[start], end-start)
}

// ErrorRange is a byte range covered by an ERROR or MISSING node.
type ErrorRange struct{ Start, End int }

// Errors returns the ranges of syntax errors in the tree, outermost only.
func (f *File) Errors() []ErrorRange {
	if !f.Root.HasError() {
		return nil
	}
	var out []ErrorRange
	var walk func(n *sitter.Node)
	walk = func(n *sitter.Node) {
		if n.IsError() || n.IsMissing() {
			out = append(out, ErrorRange{int(n.StartByte()), int(n.EndByte())})
			return
		}
		if !n.HasError() {
			return
		}
		found := false
		for i := uint(0); i < n.ChildCount(); i++ {
			c := n.Child(i)
			if c.HasError() || c.IsMissing() {
				found = true
				walk(c)
			}
		}
		if !found { // a hidden error: the node has an error but no error child
			out = append(out, ErrorRange{int(n.StartByte()), int(n.EndByte())})
		}
	}
	walk(f.Root)
	return out
}

// Line returns the 1-based line number of a byte offset.
func (f *File) Line(off int) int { return LineOf(f.lines(), off) }

func (f *File) lines() []int {
	if f.lineStarts == nil {
		f.lineStarts = LineStarts(f.Src)
	}
	return f.lineStarts
}

// LineStarts returns the offset at which each line of src starts.
func LineStarts(src []byte) []int {
	starts := []int{0}
	for i, b := range src {
		if b == '\n' {
			starts = append(starts, i+1)
		}
	}
	return starts
}

// LineOf returns the 1-based line containing off, given LineStarts.
func LineOf(starts []int, off int) int {
	return sort.Search(len(starts), func(i int) bool { return starts[i] > off })
}

// BOMLen returns the length of the UTF-8 byte-order mark src starts with:
// 3, or 0 when it has none.
func BOMLen(src []byte) int {
	if bytes.HasPrefix(src, []byte(bom)) {
		return len(bom)
	}
	return 0
}

const bom = "\xef\xbb\xbf"

// LineStart returns the offset of the start of the line containing off.
// The first line of a file with a BOM starts after it (when off does):
// the BOM belongs to the file, not to the line, so code inserted "at the
// start of line 1" or a removed line 1 leaves it the file's first bytes.
func LineStart(src []byte, off int) int {
	i := bytes.LastIndexByte(src[:off], '\n')
	if i < 0 && off >= BOMLen(src) {
		return BOMLen(src)
	}
	return i + 1
}

// LineEnd returns the offset just past the line ending of the line
// containing off (or len(src) on the last line).
func LineEnd(src []byte, off int) int {
	i := bytes.IndexByte(src[off:], '\n')
	if i < 0 {
		return len(src)
	}
	return off + i + 1
}

// StringLines returns the 1-based lines that start inside a multi-line
// string literal (verbatim, raw or interpolated): their leading blanks are
// the string's value, not indentation, so re-indenting must skip them.
func (f *File) StringLines() map[int]bool {
	lines := map[int]bool{}
	var walk func(n *sitter.Node)
	walk = func(n *sitter.Node) {
		if strings.Contains(n.Kind(), "string") {
			for l := f.Line(int(n.StartByte())) + 1; l <= f.Line(int(n.EndByte())); l++ {
				lines[l] = true
			}
			return
		}
		for i := uint(0); i < n.ChildCount(); i++ {
			walk(n.Child(i))
		}
	}
	walk(f.Root)
	return lines
}

// IndentUnit guesses one level of indentation in src: a tab, or the
// smallest non-zero run of leading spaces (4 when nothing is indented).
// The rules indent inserted code with it and the generated Program.cs
// follows the project's (see startup.Plan.Reindent).
func IndentUnit(src []byte) string {
	best := 0
	for _, line := range strings.Split(string(src), "\n") {
		if strings.HasPrefix(line, "\t") {
			return "\t"
		}
		n := len(line) - len(strings.TrimLeft(line, " "))
		if n > 0 && n < len(line) && (best == 0 || n < best) {
			best = n
		}
	}
	if best == 0 {
		best = 4
	}
	return strings.Repeat(" ", best)
}

// Indent returns the leading spaces and tabs of the line containing off.
func Indent(src []byte, off int) string {
	s := LineStart(src, off)
	e := s
	for e < len(src) && (src[e] == ' ' || src[e] == '\t') {
		e++
	}
	return string(src[s:e])
}

// OnlyWhitespaceBefore reports whether nothing but indentation precedes off
// on its line (a BOM is not on the line; see LineStart).
func OnlyWhitespaceBefore(src []byte, off int) bool {
	for i, ls := off-1, LineStart(src, off); i >= ls; i-- {
		if src[i] != ' ' && src[i] != '\t' {
			return false
		}
	}
	return true
}
