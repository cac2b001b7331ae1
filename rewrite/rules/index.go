package rules

import (
	"slices"
	"sync"

	sitter "github.com/tree-sitter/go-tree-sitter"

	"github.com/funcmigrate/funcmigrate/rewrite/cs"
)

// This file holds the per-file lookup tables the rules share. Each is built
// once per file, on first use, through cs.Model.Memo: a rule asking "which
// function holds this node" or "which class is called X" once per function
// would otherwise scan the whole file each time, and a file with thousands
// of functions would take minutes.

// A memoKey names one table in cs.Model.Memo.
type memoKey int

const (
	memoUsesDurable memoKey = iota
	memoDurableVars
	memoClientUses
	memoClasses
	memoFunctions
	memoAttrsByHolder
	memoIndentUnit
	memoClassMembers
	memoMemberDeclarations
)

// memo returns build's result for key on m, built once per file.
func memo[T any](m *cs.Model, key memoKey, build func() T) T {
	return m.Memo(key, func() any { return build() }).(T)
}

// classesByName maps each class name to the first class of that name.
func classesByName(m *cs.Model) map[string]*cs.Class {
	return memo(m, memoClasses, func() map[string]*cs.Class {
		out := make(map[string]*cs.Class, len(m.Classes))
		for _, c := range m.Classes {
			if _, ok := out[c.Name]; !ok {
				out[c.Name] = c
			}
		}
		return out
	})
}

// classMembers returns the set of c.Members.
func classMembers(m *cs.Model, c *cs.Class) map[string]bool {
	return memo(m, memoClassMembers, func() map[*cs.Class]map[string]bool {
		out := make(map[*cs.Class]map[string]bool, len(m.Classes))
		for _, c := range m.Classes {
			out[c] = setOf(c.Members)
		}
		return out
	})[c]
}

// functionIndex finds the [FunctionName] methods around a node by walking
// up from it, instead of testing every function of the file.
type functionIndex struct {
	byNode  map[uintptr]int   // method node → index in Model.Functions
	byBody  map[uintptr][]int // body node → indexes
	byParam map[uintptr][]funcParam
}

type funcParam struct {
	fn, param int // indexes in Model.Functions and Function.Params
}

func functionsOf(m *cs.Model) *functionIndex {
	return memo(m, memoFunctions, func() *functionIndex {
		x := &functionIndex{byNode: map[uintptr]int{}, byBody: map[uintptr][]int{}, byParam: map[uintptr][]funcParam{}}
		for i, fn := range m.Functions {
			x.byNode[fn.Node.Id()] = i
			if fn.Body != nil {
				x.byBody[fn.Body.Id()] = append(x.byBody[fn.Body.Id()], i)
			}
			for j, prm := range fn.Params {
				x.byParam[prm.Node.Id()] = append(x.byParam[prm.Node.Id()], funcParam{i, j})
			}
		}
		return x
	})
}

// ancestors calls visit with n and each node above it.
func ancestors(m *cs.Model, n *sitter.Node, visit func(*sitter.Node)) {
	for ; n != nil; n = m.Parent(n) {
		visit(n)
	}
}

// A zero-width node (one tree-sitter inserted for a syntax error) can lie
// within a node that is not its ancestor; the lookups below then test every
// function, as a plain scan would.
func zeroWidth(n *sitter.Node) bool { return n.StartByte() == n.EndByte() }

// functionsAround returns the functions whose method node contains n, in
// Model.Functions order.
func functionsAround(m *cs.Model, n *sitter.Node) []*cs.Function {
	if zeroWidth(n) {
		var out []*cs.Function
		for _, fn := range m.Functions {
			if within(n, fn.Node) {
				out = append(out, fn)
			}
		}
		return out
	}
	x := functionsOf(m)
	var idx []int
	ancestors(m, n, func(a *sitter.Node) {
		if i, ok := x.byNode[a.Id()]; ok {
			idx = append(idx, i)
		}
	})
	slices.Sort(idx)
	out := make([]*cs.Function, len(idx))
	for k, i := range idx {
		out[k] = m.Functions[i]
	}
	return out
}

// functionWithBodyAround returns the last function (in Model.Functions
// order) whose body contains n, or nil.
func functionWithBodyAround(m *cs.Model, n *sitter.Node) *cs.Function {
	if zeroWidth(n) {
		var found *cs.Function
		for _, fn := range m.Functions {
			if fn.Body != nil && within(n, fn.Body) {
				found = fn
			}
		}
		return found
	}
	x := functionsOf(m)
	last := -1
	ancestors(m, n, func(a *sitter.Node) {
		for _, i := range x.byBody[a.Id()] {
			last = max(last, i)
		}
	})
	if last < 0 {
		return nil
	}
	return m.Functions[last]
}

// paramsAround returns the function parameters whose node contains n, in
// the order of Model.Functions and then of each function's Params.
func paramsAround(m *cs.Model, n *sitter.Node) []funcParam {
	if zeroWidth(n) {
		var out []funcParam
		for i, fn := range m.Functions {
			for j, prm := range fn.Params {
				if within(n, prm.Node) {
					out = append(out, funcParam{i, j})
				}
			}
		}
		return out
	}
	x := functionsOf(m)
	var out []funcParam
	ancestors(m, n, func(a *sitter.Node) { out = append(out, x.byParam[a.Id()]...) })
	slices.SortFunc(out, func(a, b funcParam) int {
		if a.fn != b.fn {
			return a.fn - b.fn
		}
		return a.param - b.param
	})
	return out
}

// attrsOn returns the attributes written on the declaration holder (whose
// attribute lists are its children), in Model.Attributes order.
func attrsOn(m *cs.Model, holder *sitter.Node) []*cs.Attribute {
	byHolder := memo(m, memoAttrsByHolder, func() map[uintptr][]*cs.Attribute {
		out := map[uintptr][]*cs.Attribute{}
		for _, a := range m.Attributes {
			if a.List == nil {
				continue
			}
			if h := m.Parent(a.List); h != nil {
				out[h.Id()] = append(out[h.Id()], a)
			}
		}
		return out
	})
	return byHolder[holder.Id()]
}

// indentUnit is one level of indentation in the file (see cs.IndentUnit),
// read once: it scans the whole file, and rules ask once per function.
func indentUnit(m *cs.Model) string {
	return memo(m, memoIndentUnit, func() string { return cs.IndentUnit(m.File.Src) })
}

// memberDeclarations maps the names of the fields and properties declared
// in the declaration list body to the first declaration of each that
// carries their type: a variable_declaration or a property_declaration.
// It is built once per body, when first asked.
func memberDeclarations(m *cs.Model, body *sitter.Node) map[string]*sitter.Node {
	cache := memo(m, memoMemberDeclarations, func() *declarationsCache {
		return &declarationsCache{byBody: map[uintptr]map[string]*sitter.Node{}}
	})
	cache.mu.Lock()
	defer cache.mu.Unlock()
	if out, ok := cache.byBody[body.Id()]; ok {
		return out
	}
	f := m.File
	out := map[string]*sitter.Node{}
	first := func(name, typed *sitter.Node) {
		if key := f.Text(name); out[key] == nil {
			out[key] = typed
		}
	}
	for _, mem := range cs.NamedChildren(body) {
		switch mem.Kind() {
		case "field_declaration":
			for j := uint(0); j < mem.NamedChildCount(); j++ {
				decl := mem.NamedChild(j)
				if decl.Kind() != "variable_declaration" {
					continue
				}
				for k := uint(0); k < decl.NamedChildCount(); k++ {
					if d := decl.NamedChild(k); d.Kind() == "variable_declarator" && d.ChildByFieldName("name") != nil {
						first(d.ChildByFieldName("name"), decl)
					}
				}
			}
		case "property_declaration":
			if n := mem.ChildByFieldName("name"); n != nil {
				first(n, mem)
			}
		}
	}
	cache.byBody[body.Id()] = out
	return out
}

type declarationsCache struct {
	mu     sync.Mutex
	byBody map[uintptr]map[string]*sitter.Node
}
