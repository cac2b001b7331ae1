package rules

import (
	"fmt"
	"strings"

	sitter "github.com/tree-sitter/go-tree-sitter"

	"github.com/funcmigrate/funcmigrate/rewrite/cs"
	"github.com/funcmigrate/funcmigrate/rewrite/edit"
)

// replace returns an edit that replaces n's text.
func replace(n *sitter.Node, s string) edit.Edit {
	return edit.Edit{Start: int(n.StartByte()), End: int(n.EndByte()), New: s}
}

// removeParam deletes parameter p from its list together with one separating
// comma, so `(a, b, c)` loses `, b`.
func removeParam(list *sitter.Node, p *sitter.Node) edit.Edit {
	var params []*sitter.Node
	idx := -1
	for i := uint(0); i < list.NamedChildCount(); i++ {
		if ch := list.NamedChild(i); ch.Kind() == "parameter" {
			if ch.Id() == p.Id() {
				idx = len(params)
			}
			params = append(params, ch)
		}
	}
	return removeListItems(params, map[int]bool{idx: true})[0]
}

// removeModifier deletes a modifier keyword and the whitespace after it.
func removeModifier(src []byte, mod *sitter.Node) edit.Edit {
	end := int(mod.EndByte())
	for end < len(src) && (src[end] == ' ' || src[end] == '\t') {
		end++
	}
	return edit.Edit{Start: int(mod.StartByte()), End: end}
}

// insertFirstStatement returns an edit that puts stmt (no indentation, no
// line ending) as the first statement of block, in the block's indentation.
func insertFirstStatement(m *cs.Model, block *sitter.Node, stmt string) edit.Edit {
	f := m.File
	open := int(block.StartByte())
	if block.NamedChildCount() > 0 {
		first := block.NamedChild(0)
		at := int(first.StartByte())
		if cs.OnlyWhitespaceBefore(f.Src, at) {
			ls := cs.LineStart(f.Src, at)
			return edit.Edit{Start: ls, End: ls, New: cs.Indent(f.Src, at) + stmt + f.EOL}
		}
		return edit.Edit{Start: at, End: at, New: stmt + " "}
	}
	closeAt := int(block.EndByte()) - 1
	if cs.LineStart(f.Src, closeAt) != cs.LineStart(f.Src, open) && cs.OnlyWhitespaceBefore(f.Src, closeAt) {
		ls := cs.LineStart(f.Src, closeAt)
		return edit.Edit{Start: ls, End: ls, New: cs.Indent(f.Src, closeAt) + indentUnit(m) + stmt + f.EOL}
	}
	return edit.Edit{Start: open + 1, End: open + 1, New: " " + stmt + " "}
}

// insertLastStatement returns an edit that puts stmt just before the block's
// closing brace, indented like the block's statements.
func insertLastStatement(m *cs.Model, block *sitter.Node, stmt string) edit.Edit {
	f := m.File
	closeAt := int(block.EndByte()) - 1
	indent := cs.Indent(f.Src, closeAt) + indentUnit(m)
	if n := block.NamedChildCount(); n > 0 {
		last := block.NamedChild(n - 1)
		if cs.OnlyWhitespaceBefore(f.Src, int(last.StartByte())) {
			indent = cs.Indent(f.Src, int(last.StartByte()))
		}
	}
	if cs.OnlyWhitespaceBefore(f.Src, closeAt) && cs.LineStart(f.Src, closeAt) != cs.LineStart(f.Src, int(block.StartByte())) {
		ls := cs.LineStart(f.Src, closeAt)
		return edit.Edit{Start: ls, End: ls, New: indent + stmt + f.EOL}
	}
	return edit.Edit{Start: closeAt, End: closeAt, New: stmt + " "}
}

// insertMethodAttribute returns an edit that adds attr (e.g.
// `[QueueOutput("q")]`) on its own line just before the method's modifiers,
// after any existing attribute lists.
func insertMethodAttribute(f *cs.File, fn *cs.Function, attr string) edit.Edit {
	at := int(fn.Node.EndByte())
	for i := uint(0); i < fn.Node.NamedChildCount(); i++ {
		ch := fn.Node.NamedChild(i)
		if ch.Kind() != "attribute_list" {
			at = int(ch.StartByte())
			break
		}
	}
	if cs.OnlyWhitespaceBefore(f.Src, at) {
		ls := cs.LineStart(f.Src, at)
		return edit.Edit{Start: ls, End: ls, New: cs.Indent(f.Src, at) + attr + f.EOL}
	}
	return edit.Edit{Start: at, End: at, New: attr + " "}
}

// isLastStatementExit reports whether block ends with return or throw, so
// that nothing after it is reachable.
func isLastStatementExit(block *sitter.Node) bool {
	for i := int(block.NamedChildCount()) - 1; i >= 0; i-- {
		ch := block.NamedChild(uint(i))
		switch ch.Kind() {
		case "comment":
			continue
		case "return_statement", "throw_statement":
			return true
		}
		return false
	}
	return false
}

// pascal turns a parameter name into a property name: "outMsg" → "OutMsg".
func pascal(s string) string {
	s = strings.TrimPrefix(s, "@")
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// simpleTypeName returns the last segment of a possibly qualified type name,
// without generic arguments: "System.Net.Http.HttpRequestMessage" → "HttpRequestMessage".
func simpleTypeName(t string) string {
	if i := strings.IndexByte(t, '<'); i >= 0 {
		t = t[:i]
	}
	if i := strings.LastIndexByte(t, '.'); i >= 0 {
		t = t[i+1:]
	}
	return strings.TrimSuffix(strings.TrimSpace(t), "?")
}

// genericArg returns the text between the outermost < and > of a type.
func genericArg(t string) string {
	i, j := strings.IndexByte(t, '<'), strings.LastIndexByte(t, '>')
	if i < 0 || j < i {
		return ""
	}
	return strings.TrimSpace(t[i+1 : j])
}

// insertAt returns an insertion of s at off.
func insertAt(off int, s string) edit.Edit { return edit.Edit{Start: off, End: off, New: s} }

// freeName returns the first of names not in taken, else the first name
// with the smallest number from 2 up appended that is free.
func freeName(taken map[string]bool, names ...string) string {
	return freeNameFunc(func(n string) bool { return taken[n] }, names...)
}

// freeNameFunc is freeName for a set of taken names given as a function.
func freeNameFunc(taken func(string) bool, names ...string) string {
	for _, n := range names {
		if !taken(n) {
			return n
		}
	}
	for i := 2; ; i++ {
		if n := fmt.Sprintf("%s%d", names[0], i); !taken(n) {
			return n
		}
	}
}

func setOf(names []string) map[string]bool {
	set := make(map[string]bool, len(names))
	for _, n := range names {
		set[n] = true
	}
	return set
}

// insertFirstStatements puts stmts, one per line, at the top of block.
func insertFirstStatements(m *cs.Model, block *sitter.Node, stmts []string) edit.Edit {
	f := m.File
	sep := " "
	if block.NamedChildCount() > 0 {
		if at := int(block.NamedChild(0).StartByte()); cs.OnlyWhitespaceBefore(f.Src, at) {
			sep = f.EOL + cs.Indent(f.Src, at)
		}
	}
	return insertFirstStatement(m, block, strings.Join(stmts, sep))
}

// callArgs returns the argument nodes of an invocation or object creation.
func callArgs(call *sitter.Node) []*sitter.Node {
	if call == nil {
		return nil
	}
	list := call.ChildByFieldName("arguments")
	if list == nil {
		return nil
	}
	var out []*sitter.Node
	for i := uint(0); i < list.NamedChildCount(); i++ {
		if a := list.NamedChild(i); a.Kind() == "argument" {
			out = append(out, a)
		}
	}
	return out
}

// declaratorInit is the initializer of a variable_declarator: its last
// named child other than its name, or nil when it has none.
func declaratorInit(d *sitter.Node) *sitter.Node {
	name := d.ChildByFieldName("name")
	for i := d.NamedChildCount(); i > 0; i-- {
		if ch := d.NamedChild(i - 1); name == nil || ch.Id() != name.Id() {
			return ch
		}
	}
	return nil
}

// within reports whether n lies inside outer.
func within(n, outer *sitter.Node) bool {
	return n.StartByte() >= outer.StartByte() && n.EndByte() <= outer.EndByte()
}

// isNestedFunction reports whether kind starts a function of its own inside
// a method body, whose returns and throws are not the method's.
func isNestedFunction(kind string) bool {
	switch kind {
	case "lambda_expression", "anonymous_method_expression", "local_function_statement":
		return true
	}
	return false
}
