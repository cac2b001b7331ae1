package cs

import (
	"sort"
	"strings"
	"sync"

	sitter "github.com/tree-sitter/go-tree-sitter"
)

// Node kinds used by the model, resolved once to ids: comparing KindId is
// cheap, while Kind() allocates a Go string per call (LIBRARIES.md §1).
var (
	kUsing         = kind("using_directive")
	kClass         = kind("class_declaration")
	kMethod        = kind("method_declaration")
	kCtor          = kind("constructor_declaration")
	kAttrList      = kind("attribute_list")
	kAttr          = kind("attribute")
	kAttrTarget    = kind("attribute_target_specifier")
	kAttrArgList   = kind("attribute_argument_list")
	kAttrArg       = kind("attribute_argument")
	kParamList     = kind("parameter_list")
	kParam         = kind("parameter")
	kModifier      = kind("modifier")
	kIdentifier    = kind("identifier")
	kReturn        = kind("return_statement")
	kLambda        = kind("lambda_expression")
	kAnonMethod    = kind("anonymous_method_expression")
	kLocalFunc     = kind("local_function_statement")
	kTypeParams    = kind("type_parameter_list")
	kArrow         = kind("arrow_expression_clause")
	kNamespace     = kind("namespace_declaration")
	kFileNamespace = kind("file_scoped_namespace_declaration")
	kVarDeclarator = kind("variable_declarator")
	kCreation      = kind("object_creation_expression")
	kCatchDecl     = kind("catch_declaration")
)

func kind(name string) uint16 {
	id := language.IdForNodeKind(name, true)
	if id == 0 {
		panic("cs: unknown node kind " + name)
	}
	return id
}

// Model is what rules read about one C# file: built by a single walk of the
// tree so that no rule re-walks or re-parses it.
type Model struct {
	File       *File
	Usings     []*Using
	Classes    []*Class
	Functions  []*Function    // methods carrying [FunctionName]
	Attributes []*Attribute   // every attribute in the file, in source order
	Idents     []*sitter.Node // every identifier in the file, in source order
	Creations  []*sitter.Node // every object_creation_expression, in source order
	Catches    []*sitter.Node // every catch_declaration, in source order
	Namespace  string         // first namespace declared (block or file-scoped)

	// identList and byName index Idents, so that rules look identifiers up
	// by name instead of scanning the file for each variable or function.
	identList []Ident
	byName    map[string][]Ident
	// parents maps the nodes the walk visited to their parents (see Parent).
	parents map[uintptr]*sitter.Node

	memoMu sync.Mutex // files are migrated concurrently
	memo   map[any]*memoEntry
}

// An Ident is an identifier with its name and byte range, read once: rules
// filter on them without a cgo call or a string copy per identifier.
type Ident struct {
	Node       *sitter.Node
	Name       string
	Start, End uint
}

// Parent returns n.Parent(), from the walk when it visited n. Tree-sitter
// finds a parent by searching down from the root, past every sibling before
// each node on the way: in a class of thousands of members each call costs
// as much as a walk through all of them.
func (m *Model) Parent(n *sitter.Node) *sitter.Node {
	if p, ok := m.parents[n.Id()]; ok {
		return p
	}
	return n.Parent()
}

// IdentList returns Idents with their names and ranges, in source order.
func (m *Model) IdentList() []Ident { return m.identList }

// Named returns the identifiers spelled name, in source order.
func (m *Model) Named(name string) []Ident { return m.byName[name] }

// NamedWithin returns the identifiers spelled name that lie inside n, in
// source order.
func (m *Model) NamedWithin(name string, n *sitter.Node) []Ident {
	list := m.Named(name)
	start, end := n.StartByte(), n.EndByte()
	lo := sort.Search(len(list), func(i int) bool { return list[i].Start >= start })
	hi := lo + sort.Search(len(list)-lo, func(i int) bool { return list[lo+i].Start > end })
	out := list[lo:hi:hi]
	for i, id := range out {
		if id.End > end { // starts where n ends: rare, so filter only then
			kept := append([]Ident(nil), out[:i]...)
			for _, id := range out[i+1:] {
				if id.End <= end {
					kept = append(kept, id)
				}
			}
			return kept
		}
	}
	return out
}

func (m *Model) addIdent(n *sitter.Node, start, end uint) {
	id := Ident{Node: n, Start: start, End: end}
	text := m.File.Src[start:end]
	same := m.byName[string(text)] // no copy: the lookup does not keep text
	if len(same) > 0 {
		id.Name = same[0].Name // one string per name, not one per use
	} else {
		id.Name = string(text)
	}
	m.Idents = append(m.Idents, n)
	m.identList = append(m.identList, id)
	m.byName[id.Name] = append(same, id)
}

type memoEntry struct {
	once  sync.Once
	value any
}

// Memo returns what build returns for key, calling build once per file:
// what several rules derive from a model (Durable variables, lookup tables)
// is computed by the first rule that asks for it. It is safe for concurrent
// use; build must not ask for its own key.
func (m *Model) Memo(key any, build func() any) any {
	m.memoMu.Lock()
	e, ok := m.memo[key]
	if !ok {
		if m.memo == nil {
			m.memo = map[any]*memoEntry{}
		}
		e = &memoEntry{}
		m.memo[key] = e
	}
	m.memoMu.Unlock()
	e.once.Do(func() { e.value = build() })
	return e.value
}

// A Using is a using directive.
type Using struct {
	Node   *sitter.Node
	Name   string // the imported namespace or type, e.g. "Microsoft.Azure.WebJobs"
	Alias  string // for `using A = B;`
	Static bool
	Global bool
}

// A Class is a class declaration.
type Class struct {
	Node       *sitter.Node
	Name       string
	Modifiers  []*sitter.Node
	Body       *sitter.Node // declaration_list
	Static     bool
	Partial    bool
	Generic    bool
	HasCtor    bool // declares a constructor or a primary constructor
	HasExtMeth bool // declares extension methods (must stay static)
	Functions  []*Function
	Members    []string // names of declared fields, properties and methods
}

// A Function is a method carrying [FunctionName].
type Function struct {
	Node         *sitter.Node // method_declaration
	Class        *Class       // nil for a method outside a class (records, structs)
	Name         string       // method name
	NameAttr     *Attribute   // the [FunctionName] attribute
	Modifiers    []*sitter.Node
	Static       bool
	Async        bool
	ReturnType   *sitter.Node
	ParamList    *sitter.Node
	Params       []*Param
	Body         *sitter.Node   // block or arrow_expression_clause
	MethodAttrs  []*Attribute   // attributes on the method itself (Target "" or "return")
	Returns      []*sitter.Node // return statements of the method itself (not of nested lambdas or local functions)
	BodyIdents   []*sitter.Node // identifiers inside the body
	Declarations []string       // names declared inside the body (locals, lambda parameters, local functions)

	bodyStart, bodyEnd uint // Body's range, read once for the walk
}

// inBody reports whether the range start…end lies in fn's body.
func (fn *Function) inBody(start, end uint) bool {
	return fn != nil && fn.Body != nil && start >= fn.bodyStart && end <= fn.bodyEnd
}

// A Param is a method parameter.
type Param struct {
	Node     *sitter.Node
	Attrs    []*Attribute
	Type     *sitter.Node
	TypeText string
	Name     string
	Modifier string // "out", "ref", "in", "this", "params" or ""
}

// An Attribute is one attribute inside an attribute list.
type Attribute struct {
	Node      *sitter.Node // attribute
	List      *sitter.Node // enclosing attribute_list
	Target    string       // "return", "assembly", … or "" when none
	NameNode  *sitter.Node
	Name      string // last segment without the "Attribute" suffix: "FunctionName"
	Qualifier string // namespace qualifier as written, "" when unqualified
	ArgList   *sitter.Node
	Args      []*Arg
	Param     *Param    // set when the attribute is on a parameter
	Func      *Function // set when the attribute is on a function method or its parameters
}

// An Arg is an attribute argument: positional (Name == ""), named with
// `Name = value` (Colon false) or `name: value` (Colon true).
type Arg struct {
	Node     *sitter.Node
	Name     string
	NameNode *sitter.Node
	Colon    bool
	Value    *sitter.Node
}

// Analyze builds the model of f in one walk.
func Analyze(f *File) *Model {
	// About half the nodes are named: sized so, the map need not grow.
	m := &Model{File: f, byName: map[string][]Ident{}, parents: make(map[uintptr]*sitter.Node, f.Root.DescendantCount()/2)}
	w := walker{m: m, f: f}
	w.node(f.Root, nil, nil)
	return m
}

type walker struct {
	m *Model
	f *File
	// path holds the named ancestors of the node visited, innermost last:
	// what Parent would return, without tree-sitter's search from the root,
	// which takes time in proportion to the siblings before the node.
	path []*sitter.Node
}

// ancestor returns the i-th named ancestor of the node visited (1 is its
// parent), or nil.
func (w *walker) ancestor(i int) *sitter.Node {
	if i > len(w.path) {
		return nil
	}
	return w.path[len(w.path)-i]
}

func (w *walker) text(n *sitter.Node) string { return w.f.Text(n) }

// node visits n. cls is the innermost class; fn is the function whose body
// (or nested lambda) we are in.
func (w *walker) node(n *sitter.Node, cls *Class, fn *Function) {
	if p := w.ancestor(1); p != nil {
		w.m.parents[n.Id()] = p
	}
	switch n.KindId() {
	case kUsing:
		w.using(n)
		return
	case kNamespace, kFileNamespace:
		if w.m.Namespace == "" {
			if name := n.ChildByFieldName("name"); name != nil {
				w.m.Namespace = w.text(name)
			}
		}
	case kClass:
		cls = w.class(n)
	case kMethod:
		kids := NamedChildren(n)
		if f := w.method(n, kids, cls); f != nil {
			fn = f
		}
		w.visit(n, kids, cls, fn)
		return
	case kCtor:
		if cls != nil {
			cls.HasCtor = true
		}
	case kAttr:
		w.m.Attributes = append(w.m.Attributes, w.attribute(n, fn))
	case kCreation:
		w.m.Creations = append(w.m.Creations, n)
	case kCatchDecl:
		w.m.Catches = append(w.m.Catches, n)
	case kIdentifier:
		start, end := n.StartByte(), n.EndByte()
		w.m.addIdent(n, start, end)
		if fn.inBody(start, end) {
			fn.BodyIdents = append(fn.BodyIdents, n)
		}
		return
	case kReturn:
		if fn.inBody(n.StartByte(), n.EndByte()) && !w.nestedScope(fn.Body) {
			fn.Returns = append(fn.Returns, n)
		}
	case kVarDeclarator, kLocalFunc, kParam:
		if fn.inBody(n.StartByte(), n.EndByte()) {
			if name := n.ChildByFieldName("name"); name != nil {
				fn.Declarations = append(fn.Declarations, w.text(name))
			}
		}
	}
	w.children(n, cls, fn)
}

func (w *walker) children(n *sitter.Node, cls *Class, fn *Function) {
	w.visit(n, NamedChildren(n), cls, fn)
}

// visit visits kids, the named children of n.
func (w *walker) visit(n *sitter.Node, kids []*sitter.Node, cls *Class, fn *Function) {
	w.path = append(w.path, n)
	for _, ch := range kids {
		w.node(ch, cls, fn)
	}
	w.path = w.path[:len(w.path)-1]
}

// wide is the number of named children from which NamedChildren steps with
// a cursor: tree-sitter finds NamedChild(i) by scanning from the first
// child, so indexing through a class of thousands of members would take
// quadratic time, while a cursor also stops at every anonymous token and so
// costs more cgo calls on the narrow nodes that make up most of a tree.
const wide = 32

// NamedChildren returns n's named children, in order, in time linear in
// their number (see wide).
func NamedChildren(n *sitter.Node) []*sitter.Node {
	count := n.NamedChildCount()
	out := make([]*sitter.Node, 0, count)
	if count < wide {
		for i := uint(0); i < count; i++ {
			out = append(out, n.NamedChild(i))
		}
		return out
	}
	c := n.Walk()
	defer c.Close()
	var visit func()
	visit = func() {
		if !c.GotoFirstChild() {
			return
		}
		for {
			if ch := c.Node(); ch.IsNamed() {
				out = append(out, ch)
			} else {
				visit() // see through it, as NamedChild does
			}
			if !c.GotoNextSibling() {
				break
			}
		}
		c.GotoParent()
	}
	visit()
	return out
}

// nestedScope reports whether the node visited sits inside a lambda,
// anonymous method or local function that is itself inside body.
func (w *walker) nestedScope(body *sitter.Node) bool {
	for i := 1; w.ancestor(i) != nil && w.ancestor(i).StartByte() >= body.StartByte(); i++ {
		p := w.ancestor(i)
		if p.Id() == body.Id() {
			return false
		}
		switch p.KindId() {
		case kLambda, kAnonMethod, kLocalFunc:
			return true
		}
	}
	return false
}

func (w *walker) using(n *sitter.Node) {
	t := strings.TrimSpace(w.text(n))
	u := &Using{Node: n}
	if strings.HasPrefix(t, "global ") {
		u.Global = true
		t = strings.TrimSpace(strings.TrimPrefix(t, "global "))
	}
	t = strings.TrimSpace(strings.TrimPrefix(t, "using"))
	if strings.HasPrefix(t, "static ") {
		u.Static = true
		t = strings.TrimSpace(strings.TrimPrefix(t, "static "))
	}
	t = strings.TrimSuffix(t, ";")
	if alias, target, ok := strings.Cut(t, "="); ok {
		u.Alias = strings.TrimSpace(alias)
		t = target
	}
	u.Name = strings.Join(strings.Fields(t), "")
	w.m.Usings = append(w.m.Usings, u)
}

func (w *walker) class(n *sitter.Node) *Class {
	c := &Class{Node: n, Body: n.ChildByFieldName("body")}
	if name := n.ChildByFieldName("name"); name != nil {
		c.Name = w.text(name)
	}
	for i := uint(0); i < n.NamedChildCount(); i++ {
		ch := n.NamedChild(i)
		switch ch.KindId() {
		case kModifier:
			c.Modifiers = append(c.Modifiers, ch)
			switch w.text(ch) {
			case "static":
				c.Static = true
			case "partial":
				c.Partial = true
			}
		case kTypeParams:
			c.Generic = true
		case kParamList: // primary constructor
			c.HasCtor = true
		}
	}
	if c.Body != nil {
		for _, mem := range NamedChildren(c.Body) {
			if name := mem.ChildByFieldName("name"); name != nil {
				c.Members = append(c.Members, w.text(name))
			}
			if mem.KindId() == kMethod {
				if pl := mem.ChildByFieldName("parameters"); pl != nil && pl.NamedChildCount() > 0 {
					first := pl.NamedChild(0)
					for j := uint(0); j < first.NamedChildCount(); j++ {
						if m := first.NamedChild(j); m.KindId() == kModifier && w.text(m) == "this" {
							c.HasExtMeth = true
						}
					}
				}
			}
			// Field declarations name their variables one level down.
			if mem.Kind() == "field_declaration" {
				collectDeclarators(mem, func(id *sitter.Node) { c.Members = append(c.Members, w.text(id)) })
			}
		}
	}
	w.m.Classes = append(w.m.Classes, c)
	return c
}

func collectDeclarators(n *sitter.Node, fn func(*sitter.Node)) {
	for i := uint(0); i < n.NamedChildCount(); i++ {
		ch := n.NamedChild(i)
		if ch.KindId() == kVarDeclarator {
			if name := ch.ChildByFieldName("name"); name != nil {
				fn(name)
			}
			continue
		}
		collectDeclarators(ch, fn)
	}
}

// method returns the Function for a method with [FunctionName], else nil;
// kids are the method's named children.
func (w *walker) method(n *sitter.Node, kids []*sitter.Node, cls *Class) *Function {
	kinds := make([]uint16, len(kids))
	for i, ch := range kids {
		kinds[i] = ch.KindId()
	}
	var nameAttr *sitter.Node
	for i, ch := range kids {
		if kinds[i] != kAttrList {
			continue
		}
		for j := uint(0); j < ch.NamedChildCount(); j++ {
			a := ch.NamedChild(j)
			if a.KindId() == kAttr {
				if name, _ := attrName(w.f, a); name == "FunctionName" {
					nameAttr = a
				}
			}
		}
	}
	if nameAttr == nil {
		return nil
	}
	fn := &Function{Node: n, Class: cls, ReturnType: n.ChildByFieldName("returns"),
		ParamList: n.ChildByFieldName("parameters"), Body: n.ChildByFieldName("body")}
	if fn.Body == nil { // expression-bodied: the arrow clause is an unnamed-field child
		for i, ch := range kids {
			if kinds[i] == kArrow {
				fn.Body = ch
			}
		}
	}
	if fn.Body != nil {
		fn.bodyStart, fn.bodyEnd = fn.Body.StartByte(), fn.Body.EndByte()
	}
	if name := n.ChildByFieldName("name"); name != nil {
		fn.Name = w.text(name)
	}
	for i, ch := range kids {
		if kinds[i] == kModifier {
			fn.Modifiers = append(fn.Modifiers, ch)
			switch w.text(ch) {
			case "static":
				fn.Static = true
			case "async":
				fn.Async = true
			}
		}
	}
	if fn.ParamList != nil {
		for i := uint(0); i < fn.ParamList.NamedChildCount(); i++ {
			pn := fn.ParamList.NamedChild(i)
			if pn.KindId() != kParam {
				continue
			}
			p := &Param{Node: pn, Type: pn.ChildByFieldName("type")}
			if p.Type != nil {
				p.TypeText = w.text(p.Type)
			}
			if name := pn.ChildByFieldName("name"); name != nil {
				p.Name = w.text(name)
			}
			for j := uint(0); j < pn.NamedChildCount(); j++ {
				if ch := pn.NamedChild(j); ch.KindId() == kModifier {
					p.Modifier = w.text(ch)
				}
			}
			fn.Params = append(fn.Params, p)
		}
	}
	if cls != nil {
		cls.Functions = append(cls.Functions, fn)
	}
	w.m.Functions = append(w.m.Functions, fn)
	return fn
}

// attrName returns the attribute's simple name without an "Attribute"
// suffix, and the namespace qualifier as written.
func attrName(f *File, a *sitter.Node) (name, qualifier string) {
	nn := a.ChildByFieldName("name")
	if nn == nil {
		return "", ""
	}
	full := f.Text(nn)
	if i := strings.IndexByte(full, '<'); i >= 0 { // generic attribute
		full = full[:i]
	}
	if i := strings.LastIndexByte(full, '.'); i >= 0 {
		qualifier, full = full[:i], full[i+1:]
	}
	if i := strings.LastIndex(full, "::"); i >= 0 {
		full = full[i+2:]
	}
	return strings.TrimSuffix(full, "Attribute"), qualifier
}

func (w *walker) attribute(n *sitter.Node, fn *Function) *Attribute {
	a := &Attribute{Node: n, List: w.ancestor(1), NameNode: n.ChildByFieldName("name")}
	a.Name, a.Qualifier = attrName(w.f, n)
	if a.List != nil {
		for i := uint(0); i < a.List.NamedChildCount(); i++ {
			if t := a.List.NamedChild(i); t.KindId() == kAttrTarget {
				a.Target = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(w.text(t)), ":"))
			}
		}
	}
	for i := uint(0); i < n.NamedChildCount(); i++ {
		if ch := n.NamedChild(i); ch.KindId() == kAttrArgList {
			a.ArgList = ch
			for j := uint(0); j < ch.NamedChildCount(); j++ {
				if an := ch.NamedChild(j); an.KindId() == kAttrArg {
					a.Args = append(a.Args, w.arg(an))
				}
			}
		}
	}
	// Attach to the function or parameter that carries it.
	if holder := w.ancestor(2); holder != nil && fn != nil {
		if holder.Id() == fn.Node.Id() {
			a.Func = fn
			fn.MethodAttrs = append(fn.MethodAttrs, a)
			if a.Name == "FunctionName" && a.Target == "" {
				fn.NameAttr = a
			}
		} else if holder.KindId() == kParam {
			for _, p := range fn.Params {
				if p.Node.Id() == holder.Id() {
					a.Param, a.Func = p, fn
					p.Attrs = append(p.Attrs, a)
				}
			}
		}
	}
	return a
}

func (w *walker) arg(n *sitter.Node) *Arg {
	a := &Arg{Node: n}
	name := n.ChildByFieldName("name")
	for i := uint(0); i < n.ChildCount(); i++ {
		ch := n.Child(i)
		if name != nil && ch.Id() == name.Id() {
			continue
		}
		if !ch.IsNamed() {
			if t := w.text(ch); t == ":" {
				a.Colon = true
			}
			continue
		}
		a.Value = ch
	}
	if name != nil {
		a.Name, a.NameNode = w.text(name), name
	}
	return a
}

// Positional returns the positional arguments.
func (a *Attribute) Positional() []*Arg {
	var out []*Arg
	for _, x := range a.Args {
		if x.Name == "" || x.Colon {
			out = append(out, x)
		}
	}
	return out
}

// Named returns the `Name = value` argument called name, or nil.
func (a *Attribute) Named(name string) *Arg {
	for _, x := range a.Args {
		if x.Name == name && !x.Colon {
			return x
		}
	}
	return nil
}
