package rules

import (
	"bytes"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	sitter "github.com/tree-sitter/go-tree-sitter"

	"github.com/funcmigrate/funcmigrate/internal/apifacts"
	"github.com/funcmigrate/funcmigrate/rewrite/cs"
	"github.com/funcmigrate/funcmigrate/rewrite/report"
)

// The invariants for Durable Functions code (checkInvariants runs them on
// every fixture). Without a type checker, a receiver's type is known from
// a declaration in the file (parameter, local, field, property, catch or
// foreach variable, `var x = <expr>` whose type is known), from a member
// or return type in the facts, or from the lambda parameter of a facts
// method; anything else is not checked.

// chkDurableFacts loads the Durable member facts once: fixtures run in parallel.
var chkDurableFacts = sync.OnceValues(apifacts.Types)

// checkDurableAPI checks the isolated Durable API the output uses against
// the real one (internal/apifacts/members.json), so a rule cannot emit a
// member, overload, constructor or initializer that does not exist:
//   - member accesses and calls on expressions of a copied type (variables
//     declared with one, property chains such as client.Entities, awaited
//     results, `new T(…)`) name an existing member, static or instance as
//     written, and a call's argument count, `name:` labels and type
//     arguments fit an overload; extension methods count only where their
//     namespace is imported;
//   - `T.M(…)` static calls and `new T(…) { P = … }` creations of a copied
//     type fit a static method or constructor, and P is settable (set or
//     init); `x with { P = … }` likewise;
//   - a copied type the tool introduced (its name is not in the input) is
//     in scope: its namespace is imported.
//
// A line that has a finding and that appears verbatim in the input is the
// user's code, left as it was and reported, and is not checked; so is the
// offending expression itself on such a line (`last.CustomStatus` kept and
// reported while another rule renamed `log` on the same line). Types are
// looked up by simple name, only when their namespace is imported (or the
// name is qualified with it) and the file declares no type of that name.
func checkDurableAPI(in []byte, out *cs.File, findings []report.Finding) []string {
	facts, err := chkDurableFacts()
	if err != nil {
		return []string{err.Error()}
	}
	c := newChkDurableAPI(in, out, facts)
	if !c.usesIsolated {
		return nil
	}
	c.collect(out.Root)
	c.check(out.Root)
	reported := map[int]bool{}
	for _, fd := range findings {
		reported[fd.Line] = true
	}
	lines := strings.Split(string(out.Src), "\n")
	var problems []string
	for _, p := range c.problems {
		text := strings.TrimSpace(lines[p.line-1])
		if reported[p.line] && (text != "" && bytes.Contains(in, []byte(text)) || bytes.Contains(in, []byte(p.code))) {
			continue
		}
		problems = append(problems, fmt.Sprintf("line %d: %s", p.line, p.msg))
	}
	return chkDedupe(problems)
}

// checkDurableLeftovers: when the input uses in-process Durable Functions,
// every in-process Durable type name (or [OrchestrationClient]) still in the
// output's code must carry a finding on its line. Whole identifiers only,
// in code only (the tree has no identifiers in comments or strings), and
// only where they name a type: `.EntityId` members, declared names and
// `EntityId = …` initializer members are not types.
func checkDurableLeftovers(in, out *cs.File, findings []report.Finding) []string {
	if !chkInputUsesDurable(in) {
		return nil
	}
	lines := map[int]bool{}
	for _, fd := range findings {
		lines[fd.Line] = true
	}
	src := strings.Split(string(out.Src), "\n")
	var problems []string
	leftover := func(n *sitter.Node, what string) {
		if l := out.Line(int(n.StartByte())); !lines[l] {
			problems = append(problems, fmt.Sprintf("line %d: in-process Durable %s left without a finding: %s", l, what, strings.TrimSpace(src[l-1])))
		}
	}
	chkWalk(out.Root, func(n *sitter.Node) {
		if n.Kind() == "identifier" && chkInProcessDurableNames[out.Text(n)] && chkNamesType(n) {
			leftover(n, out.Text(n))
		}
	})
	for _, a := range cs.Analyze(out).Attributes {
		if a.Name == "OrchestrationClient" {
			leftover(a.Node, "[OrchestrationClient]")
		}
	}
	return chkDedupe(problems)
}

// chkInProcessDurableNames are the in-process Durable types (2.x and 1.x) with
// no isolated type of the same name.
var chkInProcessDurableNames = chkSet(
	"IDurableOrchestrationContext", "IDurableActivityContext", "IDurableEntityContext",
	"IDurableClient", "IDurableOrchestrationClient", "IDurableEntityClient",
	"DurableOrchestrationContext", "DurableOrchestrationContextBase",
	"DurableActivityContext", "DurableActivityContextBase",
	"DurableOrchestrationClient", "DurableOrchestrationClientBase",
	"DurableOrchestrationStatus", "RetryOptions", "EntityId",
	"FunctionFailedException", "EntityStateResponse",
)

// chkDurableV1Names are the Durable 1.x names, which live in the plain
// Microsoft.Azure.WebJobs namespace.
var chkDurableV1Names = chkSet(
	"DurableOrchestrationContext", "DurableOrchestrationContextBase",
	"DurableActivityContext", "DurableActivityContextBase",
	"DurableOrchestrationClient", "DurableOrchestrationClientBase",
	"OrchestrationClient", "OrchestrationTrigger", "ActivityTrigger",
)

// chkSharedDurableNames are type names both Durable sides declare (in-process
// in Microsoft.Azure.WebJobs.Extensions.DurableTask); while the output still
// imports that namespace, they may be the in-process ones.
var chkSharedDurableNames = chkSet(
	"DurableHttpRequest", "DurableHttpResponse", "HttpManagementPayload", "HttpRetryOptions",
	"OrchestrationRuntimeStatus", "EntityQuery", "CleanEntityStorageResult",
)

const chkInProcessDurableNS = "Microsoft.Azure.WebJobs.Extensions.DurableTask"

func chkSet(names ...string) map[string]bool {
	m := map[string]bool{}
	for _, n := range names {
		m[n] = true
	}
	return m
}

func chkDedupe(list []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, s := range list {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// chkInputUsesDurable reports whether the input uses in-process Durable
// Functions: it imports (or writes out) the 2.x namespace, or imports
// Microsoft.Azure.WebJobs and names a 1.x type or attribute.
func chkInputUsesDurable(in *cs.File) bool {
	m := cs.Analyze(in)
	webJobs := false
	for _, u := range m.Usings {
		switch {
		case u.Name == chkInProcessDurableNS || strings.HasPrefix(u.Name, chkInProcessDurableNS+"."):
			return true
		case u.Name == "Microsoft.Azure.WebJobs":
			webJobs = true
		}
	}
	for _, id := range m.Idents {
		if webJobs && chkDurableV1Names[in.Text(id)] {
			return true
		}
		if p := id.Parent(); p != nil && p.Kind() == "qualified_name" && strings.HasPrefix(strings.Join(strings.Fields(in.Text(p)), ""), chkInProcessDurableNS) {
			return true
		}
	}
	return false
}

// chkNamesType reports whether identifier id can name a type where it stands:
// not a member after a dot, a declaration's own name, an argument label or
// the member an initializer assigns.
func chkNamesType(id *sitter.Node) bool {
	par := id.Parent()
	if par == nil {
		return false
	}
	switch par.Kind() {
	case "member_access_expression":
		return !chkSame(par.ChildByFieldName("name"), id)
	case "member_binding_expression", "with_initializer":
		return false
	case "qualified_name", "generic_name":
		return true
	case "assignment_expression":
		if g := par.Parent(); g != nil && g.Kind() == "initializer_expression" && chkSame(par.ChildByFieldName("left"), id) {
			return false
		}
	}
	return !chkSame(par.ChildByFieldName("name"), id)
}

func chkSame(a, b *sitter.Node) bool { return a != nil && b != nil && a.Id() == b.Id() }

// chkWalk calls fn on n and every named node below it.
func chkWalk(n *sitter.Node, fn func(*sitter.Node)) {
	fn(n)
	for i := uint(0); i < n.NamedChildCount(); i++ {
		chkWalk(n.NamedChild(i), fn)
	}
}

func chkChild(n *sitter.Node, kind string) *sitter.Node {
	for i := uint(0); i < n.NamedChildCount(); i++ {
		if ch := n.NamedChild(i); ch.Kind() == kind {
			return ch
		}
	}
	return nil
}

// A chkDurableAPI is one run of checkDurableAPI over an output file.
type chkDurableAPI struct {
	f            *cs.File
	facts        map[string]apifacts.Type
	imports      map[string]bool
	namespaces   []string        // namespaces the file declares
	declared     map[string]bool // types the file declares
	inIdents     map[string]bool // identifiers of the input
	inProcess    bool            // the output still imports the in-process Durable namespace
	usesIsolated bool
	decls        map[uintptr]map[string]*chkDecl // by scope node
	depth        int                             // guards inferring a var from itself
	problems     []chkProblem
}

type chkProblem struct {
	line int
	code string // the expression the problem is about, as written
	msg  string
}

// A chkDecl is a declared variable. Its type is typ as written, or
// inferred from value (`var x = …`) or from the call its lambda is passed
// to (an untyped lambda parameter at position index).
type chkDecl struct {
	typ, value, lambda *sitter.Node
	index              int
}

// A chkExpr is the type of an expression: as written, whether that
// text comes from the facts (so needs no import to resolve), and whether
// the expression names the type itself (a static access).
type chkExpr struct {
	written   string
	fromFacts bool
	static    bool
}

var chkIdentRE = regexp.MustCompile(`[A-Za-z_][A-Za-z0-9_]*`)

func newChkDurableAPI(in []byte, f *cs.File, facts map[string]apifacts.Type) *chkDurableAPI {
	c := &chkDurableAPI{f: f, facts: facts, imports: map[string]bool{}, declared: map[string]bool{},
		inIdents: map[string]bool{}, decls: map[uintptr]map[string]*chkDecl{}}
	for _, u := range cs.Analyze(f).Usings {
		if u.Alias != "" || u.Static {
			continue
		}
		c.imports[u.Name] = true
		c.inProcess = c.inProcess || u.Name == chkInProcessDurableNS
		c.usesIsolated = c.usesIsolated || u.Name == workerNamespace || strings.HasPrefix(u.Name, "Microsoft.DurableTask")
	}
	for _, id := range chkIdentRE.FindAll(in, -1) {
		c.inIdents[string(id)] = true
	}
	return c
}

// report records a problem about the code of node n, on the line where at
// starts (the member name of a long chain).
func (c *chkDurableAPI) report(n, at *sitter.Node, format string, args ...any) {
	c.problems = append(c.problems, chkProblem{c.f.Line(int(at.StartByte())), c.f.Text(n), fmt.Sprintf(format, args...)})
}

// inScope reports whether the file can name a type of namespace ns without
// qualifying it.
func (c *chkDurableAPI) inScope(ns string) bool {
	if c.imports[ns] {
		return true
	}
	for _, d := range c.namespaces {
		if d == ns || strings.HasPrefix(d, ns+".") {
			return true
		}
	}
	return false
}

// resolve finds the copied type a type written in the file names.
func (c *chkDurableAPI) resolve(written string) (apifacts.Type, bool) {
	name, args := apifacts.SplitGeneric(written)
	qual, simple := "", name
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		qual, simple = name[:i], name[i+1:]
	}
	key := simple
	if len(args) > 0 {
		key = fmt.Sprintf("%s`%d", simple, len(args))
	}
	t, ok := c.facts[key]
	switch {
	case !ok:
		return t, false
	case qual != "":
		return t, qual == t.Namespace
	case c.declared[simple] || !c.inScope(t.Namespace) || c.inProcess && chkSharedDurableNames[simple]:
		return t, false
	}
	return t, true
}

func (c *chkDurableAPI) resolveExpr(e chkExpr) (apifacts.Type, bool) {
	if e.written == "" {
		return apifacts.Type{}, false
	}
	if e.fromFacts {
		t, ok := c.facts[apifacts.TypeKey(e.written)]
		return t, ok
	}
	return c.resolve(e.written)
}

var chkTypeDeclKinds = chkSet("class_declaration", "struct_declaration", "record_declaration",
	"record_struct_declaration", "interface_declaration", "enum_declaration", "delegate_declaration")

// collect records the file's namespaces, declared types and variables.
func (c *chkDurableAPI) collect(root *sitter.Node) {
	declare := func(scope, name *sitter.Node, d *chkDecl) {
		if scope == nil || name == nil {
			return
		}
		m := c.decls[scope.Id()]
		if m == nil {
			m = map[string]*chkDecl{}
			c.decls[scope.Id()] = m
		}
		m[c.f.Text(name)] = d
	}
	explicit := func(typ *sitter.Node) *sitter.Node {
		if typ == nil || typ.Kind() == "implicit_type" {
			return nil
		}
		return typ
	}
	chkWalk(root, func(n *sitter.Node) {
		kind := n.Kind()
		switch {
		case kind == "namespace_declaration" || kind == "file_scoped_namespace_declaration":
			if name := n.ChildByFieldName("name"); name != nil {
				c.namespaces = append(c.namespaces, strings.Join(strings.Fields(c.f.Text(name)), ""))
			}
		case chkTypeDeclKinds[kind]:
			if name := n.ChildByFieldName("name"); name != nil {
				c.declared[c.f.Text(name)] = true
			}
		case kind == "parameter":
			list := n.Parent()
			if list == nil {
				return
			}
			d := &chkDecl{typ: n.ChildByFieldName("type")}
			if d.typ == nil && list.Parent() != nil && list.Parent().Kind() == "lambda_expression" {
				d.lambda = list.Parent()
				for i := uint(0); i < list.NamedChildCount(); i++ {
					if chkSame(list.NamedChild(i), n) {
						d.index = int(i)
					}
				}
			}
			declare(list.Parent(), n.ChildByFieldName("name"), d)
		case kind == "implicit_parameter":
			declare(n.Parent(), n, &chkDecl{lambda: n.Parent()})
		case kind == "variable_declaration":
			scope := n.Parent()
			switch scope.Kind() {
			case "local_declaration_statement":
				scope = scope.Parent()
			case "field_declaration", "event_field_declaration":
				scope = chkEnclosingType(scope)
			}
			typ := explicit(n.ChildByFieldName("type"))
			for i := uint(0); i < n.NamedChildCount(); i++ {
				v := n.NamedChild(i)
				if v.Kind() != "variable_declarator" {
					continue
				}
				name := v.ChildByFieldName("name")
				d := &chkDecl{typ: typ}
				for j := uint(0); j < v.NamedChildCount(); j++ {
					if ch := v.NamedChild(j); !chkSame(ch, name) {
						d.value = ch
					}
				}
				declare(scope, name, d)
			}
		case kind == "property_declaration":
			declare(chkEnclosingType(n), n.ChildByFieldName("name"), &chkDecl{typ: n.ChildByFieldName("type")})
		case kind == "foreach_statement":
			declare(n, n.ChildByFieldName("left"), &chkDecl{typ: explicit(n.ChildByFieldName("type"))})
		case kind == "catch_declaration":
			declare(n.Parent(), n.ChildByFieldName("name"), &chkDecl{typ: n.ChildByFieldName("type")})
		case kind == "declaration_expression" || kind == "declaration_pattern":
			// `out var x`, `is T x`: in scope for the rest of the block.
			scope := n.Parent()
			for scope != nil && scope.Kind() != "block" && scope.Parent() != nil {
				scope = scope.Parent()
			}
			declare(scope, n.ChildByFieldName("name"), &chkDecl{typ: explicit(n.ChildByFieldName("type"))})
		}
	})
}

func chkEnclosingType(n *sitter.Node) *sitter.Node {
	for p := n; p != nil; p = p.Parent() {
		if chkTypeDeclKinds[p.Kind()] {
			return p
		}
	}
	return nil
}

// lookup finds the declaration of variable name visible at n.
func (c *chkDurableAPI) lookup(n *sitter.Node, name string) (*chkDecl, bool) {
	for p := n; p != nil; p = p.Parent() {
		if d, ok := c.decls[p.Id()][name]; ok {
			return d, true
		}
	}
	return nil, false
}

func (c *chkDurableAPI) declType(d *chkDecl) chkExpr {
	if c.depth > 20 {
		return chkExpr{}
	}
	c.depth++
	defer func() { c.depth-- }()
	switch {
	case d.typ != nil:
		return chkExpr{written: c.f.Text(d.typ)}
	case d.value != nil:
		return c.typeOf(d.value)
	case d.lambda != nil:
		return c.lambdaParam(d.lambda, d.index)
	}
	return chkExpr{}
}

// memberName returns a member name node's name and its number of type
// arguments (CallActivityAsync<int> gives "CallActivityAsync", 1).
func (c *chkDurableAPI) memberName(n *sitter.Node) (string, int) {
	if n.Kind() == "generic_name" {
		name := ""
		if id := chkChild(n, "identifier"); id != nil {
			name = c.f.Text(id)
		}
		args := 0
		if l := chkChild(n, "type_argument_list"); l != nil {
			args = int(l.NamedChildCount())
		}
		return name, args
	}
	return c.f.Text(n), 0
}

// qualifiedType reports whether a member access spells a copied type with
// its namespace (Microsoft.DurableTask.TaskOptions).
func (c *chkDurableAPI) qualifiedType(n *sitter.Node) (string, bool) {
	text := strings.Join(strings.Fields(c.f.Text(n)), "")
	i := strings.LastIndexByte(text, '.')
	if i < 0 || strings.ContainsAny(text, "()<>?[]") {
		return "", false
	}
	t, ok := c.facts[text[i+1:]]
	return text, ok && t.Namespace == text[:i]
}

// typeOf returns the type of expression e, when it can be known.
func (c *chkDurableAPI) typeOf(e *sitter.Node) chkExpr {
	if e == nil {
		return chkExpr{}
	}
	field := func(name string) string {
		if n := e.ChildByFieldName(name); n != nil {
			return c.f.Text(n)
		}
		return ""
	}
	switch e.Kind() {
	case "identifier":
		name := c.f.Text(e)
		if d, ok := c.lookup(e, name); ok {
			return c.declType(d)
		}
		if _, ok := c.resolve(name); ok {
			return chkExpr{written: name, static: true}
		}
	case "member_access_expression":
		if text, ok := c.qualifiedType(e); ok {
			return chkExpr{written: text, static: true}
		}
		recv, name := e.ChildByFieldName("expression"), e.ChildByFieldName("name")
		if recv == nil || name == nil {
			return chkExpr{}
		}
		member, _ := c.memberName(name)
		if recv.Kind() == "this" {
			if d, ok := c.decls[chkID(chkEnclosingType(e))][member]; ok {
				return c.declType(d)
			}
			return chkExpr{}
		}
		r := c.typeOf(recv)
		if t, ok := c.resolveExpr(r); ok {
			return chkMemberType(t, r.static, member)
		}
	case "conditional_access_expression":
		b := chkChild(e, "member_binding_expression")
		if b == nil || b.ChildByFieldName("name") == nil {
			return chkExpr{}
		}
		if t, ok := c.resolveExpr(c.typeOf(e.ChildByFieldName("condition"))); ok {
			member, _ := c.memberName(b.ChildByFieldName("name"))
			return chkMemberType(t, false, member)
		}
	case "parenthesized_expression":
		if e.NamedChildCount() == 1 {
			return c.typeOf(e.NamedChild(0))
		}
	case "postfix_unary_expression": // x!
		if strings.HasSuffix(strings.TrimSpace(c.f.Text(e)), "!") && e.NamedChildCount() == 1 {
			return c.typeOf(e.NamedChild(0))
		}
	case "await_expression":
		if e.NamedChildCount() == 1 {
			r := c.typeOf(e.NamedChild(0))
			name, args := apifacts.SplitGeneric(r.written)
			if name = strings.TrimPrefix(name, "System.Threading.Tasks."); (name == "Task" || name == "ValueTask") && len(args) == 1 {
				return chkExpr{written: args[0], fromFacts: r.fromFacts}
			}
		}
	case "invocation_expression":
		return c.returnOf(e)
	case "object_creation_expression", "cast_expression", "default_expression":
		return chkExpr{written: field("type")}
	case "as_expression":
		return chkExpr{written: field("right")}
	case "with_expression":
		if e.NamedChildCount() > 0 {
			return c.typeOf(e.NamedChild(0))
		}
	}
	return chkExpr{}
}

func chkID(n *sitter.Node) uintptr {
	if n == nil {
		return 0
	}
	return n.Id()
}

// chkMemberType is the type of member name of t.
func chkMemberType(t apifacts.Type, static bool, name string) chkExpr {
	if p, ok := t.Property(name); ok && p.Static == static {
		return chkExpr{written: p.Type, fromFacts: true}
	}
	for _, f := range t.Fields {
		if f.Name == name && f.Static == static {
			return chkExpr{written: f.Type, fromFacts: true}
		}
	}
	if static && slices.Contains(t.EnumMembers, name) {
		return chkExpr{written: t.Name, fromFacts: true}
	}
	return chkExpr{}
}

// A chkCall is a call (or member access) on an expression of a copied
// type.
type chkCall struct {
	t        apifacts.Type
	static   bool
	name     string
	typeArgs int
	nameNode *sitter.Node
}

// callee resolves the receiver of a member access or conditional access.
func (c *chkDurableAPI) callee(n *sitter.Node) (chkCall, bool) {
	var recv, name *sitter.Node
	switch n.Kind() {
	case "member_access_expression":
		recv, name = n.ChildByFieldName("expression"), n.ChildByFieldName("name")
	case "conditional_access_expression":
		recv = n.ChildByFieldName("condition")
		if b := chkChild(n, "member_binding_expression"); b != nil {
			name = b.ChildByFieldName("name")
		}
	}
	if recv == nil || name == nil || recv.Kind() == "this" || recv.Kind() == "base" {
		return chkCall{}, false
	}
	if _, ok := c.qualifiedType(n); ok {
		return chkCall{}, false // the whole access names a type
	}
	r := c.typeOf(recv)
	t, ok := c.resolveExpr(r)
	if !ok {
		return chkCall{}, false
	}
	member, typeArgs := c.memberName(name)
	return chkCall{t: t, static: r.static, name: member, typeArgs: typeArgs, nameNode: name}, true
}

// overloads splits the methods a call may bind to from the extension
// methods it cannot see because their namespace is not imported.
func (c *chkDurableAPI) overloads(k chkCall) (in, hidden []apifacts.Method, otherKind bool) {
	for _, m := range k.t.Methods {
		if m.Name != k.name {
			continue
		}
		if m.Static == k.static {
			in = append(in, m)
		} else {
			otherKind = true
		}
	}
	if !k.static {
		for _, m := range k.t.Extensions {
			if m.Name != k.name {
				continue
			}
			if c.inScope(m.Namespace) {
				in = append(in, m)
			} else {
				hidden = append(hidden, m)
			}
		}
	}
	return in, hidden, otherKind
}

func (c *chkDurableAPI) args(list *sitter.Node) (n int, named []string) {
	if list == nil {
		return 0, nil
	}
	for i := uint(0); i < list.NamedChildCount(); i++ {
		a := list.NamedChild(i)
		if a.Kind() != "argument" {
			continue
		}
		n++
		if label := a.ChildByFieldName("name"); label != nil {
			named = append(named, c.f.Text(label))
		}
	}
	return n, named
}

// chkInvoked returns the argument list when n is the function of a call.
func chkInvoked(n *sitter.Node) (*sitter.Node, bool) {
	p := n.Parent()
	if p == nil || p.Kind() != "invocation_expression" || !chkSame(p.ChildByFieldName("function"), n) {
		return nil, false
	}
	return p.ChildByFieldName("arguments"), true
}

// fitting returns the overloads the call binds to.
func (c *chkDurableAPI) fitting(k chkCall, list *sitter.Node) []apifacts.Method {
	in, _, _ := c.overloads(k)
	nargs, named := c.args(list)
	var out []apifacts.Method
	for _, m := range in {
		if m.Fits(k.typeArgs, nargs, named) {
			out = append(out, m)
		}
	}
	return out
}

// returnOf is the return type of a call, when every overload it fits
// agrees on it.
func (c *chkDurableAPI) returnOf(inv *sitter.Node) chkExpr {
	fn := inv.ChildByFieldName("function")
	if fn == nil {
		return chkExpr{}
	}
	k, ok := c.callee(fn)
	if !ok {
		return chkExpr{}
	}
	ret := ""
	for _, m := range c.fitting(k, inv.ChildByFieldName("arguments")) {
		if ret != "" && m.Returns != ret {
			return chkExpr{}
		}
		ret = m.Returns
	}
	return chkExpr{written: ret, fromFacts: true}
}

// lambdaParam types an untyped lambda parameter from the delegate type of
// the parameter its lambda is passed to (dispatcher.DispatchAsync(op => …)
// makes op a TaskEntityOperation).
func (c *chkDurableAPI) lambdaParam(lambda *sitter.Node, index int) chkExpr {
	arg := lambda.Parent()
	if arg == nil || arg.Kind() != "argument" || arg.Parent() == nil || arg.Parent().Parent() == nil {
		return chkExpr{}
	}
	list, inv := arg.Parent(), arg.Parent().Parent()
	if inv.Kind() != "invocation_expression" {
		return chkExpr{}
	}
	k, ok := c.callee(inv.ChildByFieldName("function"))
	if !ok {
		return chkExpr{}
	}
	pos, label := 0, ""
	for i := uint(0); i < list.NamedChildCount(); i++ {
		if chkSame(list.NamedChild(i), arg) {
			pos = int(i)
		}
	}
	if l := arg.ChildByFieldName("name"); l != nil {
		label = c.f.Text(l)
	}
	found := ""
	for _, m := range c.fitting(k, list) {
		var p apifacts.Param
		switch {
		case label != "":
			if i := slices.IndexFunc(m.Params, func(p apifacts.Param) bool { return p.Name == label }); i >= 0 {
				p = m.Params[i]
			}
		case pos < len(m.Params) && !m.Params[pos].Params:
			p = m.Params[pos]
		}
		name, args := apifacts.SplitGeneric(p.Type)
		name = strings.TrimPrefix(name, "System.")
		if name == "Func" {
			args = args[:max(len(args)-1, 0)] // the last is the result
		} else if name != "Action" {
			continue
		}
		if index >= len(args) || found != "" && found != args[index] {
			return chkExpr{}
		}
		found = args[index]
	}
	return chkExpr{written: found, fromFacts: true}
}

// check walks the output and records every problem.
func (c *chkDurableAPI) check(root *sitter.Node) {
	chkWalk(root, func(n *sitter.Node) {
		switch n.Kind() {
		case "member_access_expression", "conditional_access_expression":
			if k, ok := c.callee(n); ok {
				list, call := chkInvoked(n)
				code := n
				if call {
					code = n.Parent()
				}
				c.checkMember(code, k, list, call)
			}
		case "object_creation_expression":
			if typ := n.ChildByFieldName("type"); typ != nil {
				c.checkCreation(n, c.f.Text(typ), n.ChildByFieldName("arguments"), n.ChildByFieldName("initializer"))
			}
		case "implicit_object_creation_expression": // T x = new(…)
			if v := n.Parent(); v != nil && v.Kind() == "variable_declarator" && v.Parent() != nil {
				if typ := v.Parent().ChildByFieldName("type"); typ != nil && typ.Kind() != "implicit_type" {
					c.checkCreation(n, c.f.Text(typ), chkChild(n, "argument_list"), chkChild(n, "initializer_expression"))
				}
			}
		case "with_expression":
			c.checkWith(n)
		case "identifier":
			c.checkInScope(n)
		}
	})
}

// checkMember checks k, a call when call is set; code is the whole
// access or call.
func (c *chkDurableAPI) checkMember(code *sitter.Node, k chkCall, list *sitter.Node, call bool) {
	where, t := k.nameNode, k.t
	kind := map[bool]string{true: "static", false: "instance"}
	if call {
		in, hidden, otherKind := c.overloads(k)
		if len(in) == 0 {
			if p, ok := t.Property(k.name); ok && p.Static == k.static {
				return // a delegate-typed property, invoked
			}
			switch {
			case len(hidden) > 0:
				c.report(code, where, "%s.%s is an extension method in namespace %s, which the file does not import", t.Name, k.name, hidden[0].Namespace)
			case otherKind:
				c.report(code, where, "%s.%s is not an %s method", t.Name, k.name, kind[k.static])
			default:
				c.report(code, where, "%s has no method %s (it has %s)", t.Name, k.name, chkMemberList(t))
			}
			return
		}
		nargs, named := c.args(list)
		for _, m := range in {
			if m.Fits(k.typeArgs, nargs, named) {
				return
			}
		}
		var sigs []string
		for _, m := range in {
			sigs = append(sigs, chkMethodSig(m))
		}
		c.report(code, where, "%s.%s called with %s fits no overload: %s", t.Name, k.name, chkDescribeArgs(k.typeArgs, nargs, named), strings.Join(sigs, "; "))
		return
	}
	if p, ok := t.Property(k.name); ok {
		if p.Static != k.static {
			c.report(code, where, "%s.%s is not an %s property", t.Name, k.name, kind[k.static])
		}
		return
	}
	for _, f := range t.Fields {
		if f.Name == k.name {
			if f.Static != k.static {
				c.report(code, where, "%s.%s is not an %s field", t.Name, k.name, kind[k.static])
			}
			return
		}
	}
	if slices.Contains(t.EnumMembers, k.name) {
		if !k.static {
			c.report(code, where, "enum member %s.%s used on a value", t.Name, k.name)
		}
		return
	}
	if in, _, _ := c.overloads(k); len(in) > 0 {
		return // a method group (nameof, a delegate)
	}
	c.report(code, where, "%s has no member %s (it has %s)", t.Name, k.name, chkMemberList(t))
}

func (c *chkDurableAPI) checkCreation(n *sitter.Node, typ string, list, init *sitter.Node) {
	t, ok := c.resolve(typ)
	if !ok {
		return
	}
	if !t.Constructible() {
		what := "a" + map[bool]string{true: "n", false: ""}[strings.ContainsAny(t.Kind[:1], "aeiou")] + " " + t.Kind
		switch {
		case t.Abstract:
			what = "abstract"
		case t.Static:
			what = "static"
		}
		c.report(n, n, "new %s: %s is %s and cannot be created", t.Name, t.Name, what)
		return
	}
	nargs, named := c.args(list)
	if !t.FitsConstructor(nargs, named) {
		var sigs []string
		for _, ps := range t.Constructors {
			sigs = append(sigs, chkParamSig(ps))
		}
		if len(t.Constructors) == 0 {
			sigs = append(sigs, "()")
		}
		c.report(n, n, "new %s called with %s fits no constructor: %s", t.Name, chkDescribeArgs(0, nargs, named), strings.Join(sigs, "; "))
	}
	if init == nil {
		return
	}
	for i := uint(0); i < init.NamedChildCount(); i++ {
		a := init.NamedChild(i)
		if a.Kind() != "assignment_expression" {
			continue
		}
		if left := a.ChildByFieldName("left"); left != nil && left.Kind() == "identifier" {
			c.checkSettable(n, left, t, c.f.Text(left))
		}
	}
}

func (c *chkDurableAPI) checkSettable(code, n *sitter.Node, t apifacts.Type, prop string) {
	if t.Settable(prop) {
		return
	}
	if _, ok := t.Property(prop); ok {
		c.report(code, n, "%s.%s cannot be set in an initializer (no public set or init)", t.Name, prop)
		return
	}
	var settable []string
	for _, p := range t.Properties {
		if t.Settable(p.Name) {
			settable = append(settable, p.Name)
		}
	}
	c.report(code, n, "%s has no property %s (settable: %s)", t.Name, prop, strings.Join(settable, ", "))
}

// checkWith checks `x with { P = … }` on a copied record.
func (c *chkDurableAPI) checkWith(n *sitter.Node) {
	if n.NamedChildCount() == 0 {
		return
	}
	t, ok := c.resolveExpr(c.typeOf(n.NamedChild(0)))
	if !ok {
		return
	}
	chkWalk(n, func(w *sitter.Node) {
		if w.Kind() == "with_initializer" && w.NamedChildCount() > 0 && w.NamedChild(0).Kind() == "identifier" {
			c.checkSettable(n, w.NamedChild(0), t, c.f.Text(w.NamedChild(0)))
		}
	})
}

// checkInScope reports a copied type the tool wrote without importing its
// namespace. Names the input already has are the user's and left alone.
func (c *chkDurableAPI) checkInScope(id *sitter.Node) {
	name := c.f.Text(id)
	key := name
	par := id.Parent()
	if par != nil && par.Kind() == "generic_name" {
		if l := chkChild(par, "type_argument_list"); l != nil {
			key = fmt.Sprintf("%s`%d", name, l.NamedChildCount())
		}
	}
	t, ok := c.facts[key]
	if !ok || c.inIdents[name] || c.declared[name] || !chkNamesType(id) || c.inScope(t.Namespace) {
		return
	}
	if par != nil && par.Kind() == "qualified_name" {
		return // qualified: says its namespace itself
	}
	for p := par; p != nil; p = p.Parent() {
		if p.Kind() == "using_directive" {
			return
		}
	}
	if _, ok := c.lookup(id, name); ok {
		return // a variable
	}
	c.report(id, id, "%s is in namespace %s, which the file does not import", name, t.Namespace)
}

// chkMemberList names t's public members for a message, briefly.
func chkMemberList(t apifacts.Type) string {
	seen := map[string]bool{}
	var names []string
	add := func(n string) {
		if !seen[n] {
			seen[n] = true
			names = append(names, n)
		}
	}
	for _, m := range t.Methods {
		if m.DeclaringType != "" {
			add(m.Name)
		}
	}
	for _, m := range t.Extensions {
		add(m.Name)
	}
	for _, p := range t.Properties {
		add(p.Name)
	}
	for _, f := range t.Fields {
		add(f.Name)
	}
	for _, e := range t.EnumMembers {
		add(e)
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

func chkMethodSig(m apifacts.Method) string {
	tp := ""
	if m.TypeParams > 0 {
		tp = "<" + strings.TrimSuffix(strings.Repeat("T,", m.TypeParams), ",") + ">"
	}
	return m.Name + tp + chkParamSig(m.Params)
}

func chkParamSig(ps []apifacts.Param) string {
	var parts []string
	for _, p := range ps {
		s := p.Name
		switch {
		case p.Params:
			s = "params " + s
		case p.Optional:
			s += "?"
		}
		parts = append(parts, s)
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

func chkDescribeArgs(typeArgs, nargs int, named []string) string {
	s := fmt.Sprintf("%d argument(s)", nargs)
	if len(named) > 0 {
		s += " (named: " + strings.Join(named, ", ") + ")"
	}
	if typeArgs > 0 {
		s = fmt.Sprintf("%d type argument(s) and %s", typeArgs, s)
	}
	return s
}

func parseForCheck(t *testing.T, src string) *cs.File {
	t.Helper()
	f, err := cs.Parse("x.cs", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(f.Close)
	return f
}

// expectProblems asserts that every wanted fragment is in some problem and
// that there are no other problems.
func expectProblems(t *testing.T, problems []string, want ...string) {
	t.Helper()
	used := make([]bool, len(problems))
	for _, w := range want {
		i := slices.IndexFunc(problems, func(p string) bool { return strings.Contains(p, w) })
		if i < 0 {
			t.Errorf("no problem mentions %q", w)
			continue
		}
		used[i] = true
	}
	for i, p := range problems {
		if !used[i] {
			t.Errorf("unexpected problem: %s", p)
		}
	}
}

const durableCheckIn = `using Microsoft.Azure.WebJobs;
using Microsoft.Azure.WebJobs.Extensions.DurableTask;
`

func TestCheckDurableAPICatchesBadOutput(t *testing.T) {
	out := parseForCheck(t, `using System;
using System.Threading.Tasks;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

public class Functions
{
    private readonly DurableTaskClient _client;

    [Function("Orchestrator")]
    public async Task Run([OrchestrationTrigger] TaskOrchestrationContext ctx)
    {
        await ctx.CallActivityWithRetryAsync<int>("A", null, 1);
        var policy = new RetryPolicy(3);
        var options = new SubOrchestrationOptions { Foo = 1 };
        await ctx.CallActivityAsync<int>("A", input: 1, retryOptions: null);
        var parent = ctx.Parent?.Instance;
        ctx.GetInput();
        await ctx.CreateTimer<object>(ctx.CurrentUtcDateTime, default);
        TaskOptions.FromRetryPolicy();
        ctx.FromRetryPolicy(policy);
        var fixedPolicy = new RetryPolicy(3, TimeSpan.FromSeconds(1)) { MaxNumberOfAttempts = 4 };
        var sub = options with { Bar = 2 };
        await ctx.Entities.CallEntityAsync(new EntityInstanceId("Counter", "k"), "add");
        ctx.LoggerFactory.CreateLogger("x");
        var ctxOptions = TaskOptions.FromRetryPolicy(fixedPolicy).WithInstanceId();
    }

    [Function("Start")]
    public async Task<string> Start([DurableClient] DurableTaskClient client)
    {
        string id = await client.StartNewAsync("Orchestrator", null);
        await client.Entities.SignalEntityAsync();
        var status = await client.GetInstanceAsync(id, getInputsAndOutputs: true);
        await _client.PurgeInstanceHistoryAsync(id);
        OrchestrationRuntimeStatus s = OrchestrationRuntimeStatus.Unknown;
        return status.Output;
    }

    [Function("Counter")]
    public Task Counter([EntityTrigger] TaskEntityDispatcher dispatcher)
        => dispatcher.DispatchAsync(operation => { operation.State.SetState(); return default; });
}
`)
	expectProblems(t, checkDurableAPI([]byte(durableCheckIn), out, nil),
		"line 14: TaskOrchestrationContext has no method CallActivityWithRetryAsync",
		"line 15: new RetryPolicy called with 1 argument(s) fits no constructor",
		"line 16: SubOrchestrationOptions has no property Foo",
		"line 17: TaskOrchestrationContext.CallActivityAsync called with 1 type argument(s) and 3 argument(s) (named: input, retryOptions) fits no overload",
		"line 18: ParentOrchestrationInstance has no member Instance",
		"line 19: TaskOrchestrationContext.GetInput called with 0 argument(s) fits no overload",
		"line 20: TaskOrchestrationContext.CreateTimer called with 1 type argument(s)",
		"line 21: TaskOptions.FromRetryPolicy called with 0 argument(s)",
		"line 22: TaskOrchestrationContext has no method FromRetryPolicy",
		"line 23: RetryPolicy.MaxNumberOfAttempts cannot be set",
		"line 24: SubOrchestrationOptions has no property Bar",
		"line 25: EntityInstanceId is in namespace Microsoft.DurableTask.Entities, which the file does not import",
		"line 26: TaskOrchestrationContext has no member LoggerFactory", // protected
		"line 27: TaskOptions.WithInstanceId called with 0 argument(s)",
		"line 33: DurableTaskClient has no method StartNewAsync",
		"line 34: DurableEntityClient.SignalEntityAsync called with 0 argument(s)",
		"line 36: DurableTaskClient has no method PurgeInstanceHistoryAsync",
		"line 37: OrchestrationRuntimeStatus has no member Unknown",
		"line 38: OrchestrationMetadata has no member Output",
		"line 43: TaskEntityState.SetState called with 0 argument(s)",
	)
}

func TestCheckDurableAPIExtensionNeedsItsNamespace(t *testing.T) {
	out := parseForCheck(t, `using Microsoft.Azure.Functions.Worker.Http;
using Microsoft.DurableTask.Client;

public static class Start
{
    public static Task<HttpResponseData> Run(HttpRequestData req, DurableTaskClient client, string id)
        => client.CreateCheckStatusResponseAsync(req, id);
}
`)
	expectProblems(t, checkDurableAPI(nil, out, nil),
		"line 7: DurableTaskClient.CreateCheckStatusResponseAsync is an extension method in namespace Microsoft.Azure.Functions.Worker, which the file does not import")
}

// The forms the Durable rules emit (MAPPING.md §7) must all pass.
func TestCheckDurableAPIAcceptsRealAPI(t *testing.T) {
	out := parseForCheck(t, `using System;
using System.Collections.Generic;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Extensions.DurableTask.Http;
using Microsoft.Azure.Functions.Worker.Http;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Client.Entities;
using Microsoft.DurableTask.Entities;
using Microsoft.Extensions.Logging;

namespace Sample
{
    public class Functions
    {
        private readonly DurableTaskClient client;

        [Function("Orchestrator")]
        public async Task<string> Run([OrchestrationTrigger] TaskOrchestrationContext context)
        {
            ILogger logger = context.CreateReplaySafeLogger(nameof(Run));
            ILogger typed = context.CreateReplaySafeLogger<Functions>();
            string input = context.GetInput<string>();
            var policy = new RetryPolicy(3, TimeSpan.FromSeconds(5), backoffCoefficient: 2.0);
            string a = await context.CallActivityAsync<string>("A", input, TaskOptions.FromRetryPolicy(policy));
            await context.CallActivityAsync("B");
            await context.CallSubOrchestratorAsync<string>("Sub", input, new SubOrchestrationOptions { InstanceId = "child" });
            await context.CallSubOrchestratorAsync<string>("Sub", input, new SubOrchestrationOptions(TaskOptions.FromRetryPolicy(policy), "child2"));
            await context.CallSubOrchestratorAsync("Sub", input, new TaskOptions().WithInstanceId("child3"));
            await context.CallActivityAsync("C", options: new TaskOptions(new TaskRetryOptions(policy)));
            string parent = context.Parent?.InstanceId;
            string parentName = context.Parent!.Name;
            DateTime now = context.CurrentUtcDateTime;
            await context.CreateTimer(now.AddMinutes(1), CancellationToken.None);
            await context.CreateTimer(TimeSpan.FromMinutes(1), default);
            bool approved = await context.WaitForExternalEvent<bool>("Approval", TimeSpan.FromHours(1));
            var id = new EntityInstanceId("Counter", "key");
            int value = await context.Entities.CallEntityAsync<int>(id, "get");
            await context.Entities.SignalEntityAsync(id, "add", 1, new SignalEntityOptions { SignalTime = now.AddMinutes(5) });
            await using (await context.Entities.LockEntitiesAsync(id, new EntityInstanceId("Counter", "other")))
            {
                if (context.Entities.InCriticalSection(out var locked)) { }
            }
            DurableHttpResponse response = await context.CallHttpAsync(System.Net.Http.HttpMethod.Get, new Uri("https://example.com"));
            context.SetCustomStatus(new { id.Name, id.Key });
            Guid g = context.NewGuid();
            if (!context.IsReplaying) { logger.LogInformation(context.InstanceId); }
            context.ContinueAsNew(input, preserveUnprocessedEvents: false);
            try { await context.CallActivityAsync("D"); }
            catch (TaskFailedException ex) when (ex.FailureDetails.IsCausedBy<InvalidOperationException>())
            {
                logger.LogError(ex.Message + ex.TaskName + ex.InnerException);
            }
            return a;
        }

        [Function("Start")]
        public async Task<HttpResponseData> Start(
            [HttpTrigger(AuthorizationLevel.Function, "post")] HttpRequestData req,
            [DurableClient] DurableTaskClient starter)
        {
            string instanceId = await starter.ScheduleNewOrchestrationInstanceAsync("Orchestrator", "input");
            await starter.ScheduleNewOrchestrationInstanceAsync(nameof(Run), new StartOrchestrationOptions(instanceId));
            await starter.ScheduleNewOrchestrationInstanceAsync(nameof(Run), "input", new StartOrchestrationOptions { InstanceId = "x", StartAt = DateTimeOffset.UtcNow });
            OrchestrationMetadata? status = await starter.GetInstanceAsync(instanceId, getInputsAndOutputs: true);
            if (status?.RuntimeStatus == OrchestrationRuntimeStatus.Completed && status.IsCompleted)
            {
                string output = status.ReadOutputAs<string>() + status.SerializedCustomStatus + status.CreatedAt;
            }
            var metadata = await starter.WaitForInstanceCompletionAsync(instanceId, getInputsAndOutputs: true);
            string o = metadata.ReadOutputAs<string>();
            await starter.RaiseEventAsync(instanceId, "Approval", true);
            await starter.TerminateInstanceAsync(instanceId, "reason");
            await starter.SuspendInstanceAsync(instanceId, "reason");
            await starter.ResumeInstanceAsync(instanceId, "reason");
            await starter.RestartAsync(instanceId, restartWithNewInstanceId: true);
            PurgeResult purged = await starter.PurgeInstanceAsync(instanceId);
            int count = purged.PurgedInstanceCount;
            await starter.PurgeAllInstancesAsync(new PurgeInstancesFilter(DateTimeOffset.UtcNow.AddDays(-30), null, new[] { OrchestrationRuntimeStatus.Failed }));
            await foreach (OrchestrationMetadata m in starter.GetAllInstancesAsync(new OrchestrationQuery { InstanceIdPrefix = "a", FetchInputsAndOutputs = true }))
            {
                string n = m.Name;
            }
            await starter.Entities.SignalEntityAsync(new EntityInstanceId("Counter", "k"), "add", 1);
            EntityMetadata<int>? state = await starter.Entities.GetEntityAsync<int>(new EntityInstanceId("Counter", "k"));
            int current = state?.State ?? 0;
            var entityState = await starter.Entities.GetEntityAsync<int>(new EntityInstanceId("Counter", "k"));
            bool exists = entityState != null && entityState.State > 0;
            await starter.Entities.CleanEntityStorageAsync(new CleanEntityStorageRequest { RemoveEmptyEntities = true, ReleaseOrphanedLocks = true });
            var query = new EntityQuery { InstanceIdStartsWith = "@counter@", IncludeTransient = true };
            string hub = starter.Name;
            var payload = starter.CreateHttpManagementPayload(instanceId);
            await client.ScheduleNewOrchestrationInstanceAsync("Orchestrator");
            await this.client.ScheduleNewOrchestrationInstanceAsync("Orchestrator");
            return await starter.CreateCheckStatusResponseAsync(req, instanceId);
        }

        [Function("Counter")]
        public Task Counter([EntityTrigger] TaskEntityDispatcher dispatcher)
        {
            return dispatcher.DispatchAsync(operation =>
            {
                switch (operation.Name.ToLowerInvariant())
                {
                    case "add":
                        operation.State.SetState(operation.State.GetState<int>() + operation.GetInput<int>());
                        break;
                    case "delete":
                        operation.State.SetState(null);
                        break;
                    case "key":
                        return new ValueTask<object?>(operation.Context.Id.Key);
                }
                operation.Context.SignalEntity(new EntityInstanceId("Other", "k"), "ping");
                operation.Context.ScheduleNewOrchestration("Orchestrator", null, new StartOrchestrationOptions("id"));
                return default;
            });
        }

        [Function(nameof(Typed))]
        public Task Typed([EntityTrigger] TaskEntityDispatcher dispatcher) => dispatcher.DispatchAsync<CounterEntity>();
    }

    public class CounterEntity : TaskEntity<int>
    {
        public void Add(int amount) => State += amount;
    }
}
`)
	expectProblems(t, checkDurableAPI(nil, out, nil))
}

// User code left as it was with a finding is not the tool's output.
func TestCheckDurableAPIExemptsReportedUserCode(t *testing.T) {
	in := durableCheckIn + `        string id = await client.StartNewAsync("O", null);
        log.LogInformation(status.CustomStatus.ToString());
`
	out := parseForCheck(t, `using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

public class F
{
    public async Task Run(DurableTaskClient client, OrchestrationMetadata status)
    {
        string id = await client.StartNewAsync("O", null);
        _logger.LogInformation(status.CustomStatus.ToString());
        string id2 = await client.StartNewAsync("O", null);
    }
}
`)
	findings := []report.Finding{{Line: 8}, {Line: 9}}
	expectProblems(t, checkDurableAPI([]byte(in), out, findings),
		"line 10: DurableTaskClient has no method StartNewAsync")
	expectProblems(t, checkDurableAPI([]byte(in), out, nil),
		"line 8: DurableTaskClient has no method StartNewAsync",
		"line 9: OrchestrationMetadata has no member CustomStatus",
		"line 10: DurableTaskClient has no method StartNewAsync")
}

// A type of the file's own that shares a Durable name is not checked, and
// nothing is checked without an isolated using.
func TestCheckDurableAPIOwnTypes(t *testing.T) {
	out := parseForCheck(t, `using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;

public class RetryPolicy { public RetryPolicy(int a) {} public int Foo { get; set; } }

public class F
{
    public void Run() { var p = new RetryPolicy(1) { Foo = 2 }; }
}
`)
	expectProblems(t, checkDurableAPI(nil, out, nil))
	out = parseForCheck(t, `using Azure;

public class F
{
    public void Run(Page<int> page) { var x = page.Values; var y = page.Foo; }
}
`)
	expectProblems(t, checkDurableAPI(nil, out, nil))
}

func TestCheckDurableLeftovers(t *testing.T) {
	in := parseForCheck(t, durableCheckIn+"class C {}\n")
	out := parseForCheck(t, `using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Entities;

public class F
{
    // IDurableClient was here; so was "EntityId"
    public async Task Run(IDurableClient client,
        [OrchestrationClient] DurableTaskClient other,
        Microsoft.Azure.WebJobs.Extensions.DurableTask.IDurableOrchestrationContext ctx)
    {
        var id = new EntityId("Counter", "k");
        EntityInstanceId ok = new EntityInstanceId("Counter", "k");
        var name = state.EntityId.EntityName + nameof(IDurableEntityContextual);
        var req = new Request { EntityId = "x" };
        RetryOptions retry = null;
        catch (FunctionFailedException) { }
        EntityStateResponse<int> s = default;
        DurableOrchestrationStatus st = null;
    }
}
`)
	findings := []report.Finding{{Line: 9}, {Line: 18}}
	expectProblems(t, checkDurableLeftovers(in, out, findings),
		"line 7: in-process Durable IDurableClient",
		"line 8: in-process Durable [OrchestrationClient]",
		"line 11: in-process Durable EntityId",
		"line 15: in-process Durable RetryOptions",
		"line 16: in-process Durable FunctionFailedException",
		"line 17: in-process Durable EntityStateResponse",
	)

	// Durable 1.x: the WebJobs namespace and a 1.x type.
	v1 := parseForCheck(t, "using Microsoft.Azure.WebJobs;\nclass C { void M(DurableOrchestrationClient c) {} }\n")
	left := parseForCheck(t, "using Microsoft.Azure.Functions.Worker;\nclass C { void M(DurableOrchestrationClient c) {} }\n")
	expectProblems(t, checkDurableLeftovers(v1, left, nil), "line 2: in-process Durable DurableOrchestrationClient")

	// An input without Durable: the names may be the user's own.
	plain := parseForCheck(t, "using Microsoft.Azure.WebJobs;\nclass C { void M(RetryOptions o) {} }\n")
	expectProblems(t, checkDurableLeftovers(plain, parseForCheck(t, "class C { void M(RetryOptions o) {} }\n"), nil))
}

// Each way the checker learns a receiver's type, proved by a wrong member.
func TestCheckDurableAPIFollowsDeclarations(t *testing.T) {
	out := parseForCheck(t, `using System.Threading.Tasks;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Entities;

public class F
{
    private readonly DurableTaskClient client;
    private TaskOrchestrationContext Context { get; }

    public async Task Run(string id)
    {
        await this.client.StartNewAsync("O");
        await client.StartNewAsync("O");
        Context.SetOutput(1);
        var metadata = await client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true);
        var output = metadata.Output;
        var entity = await client.Entities.GetEntityAsync<int>(new EntityInstanceId("C", "k"));
        bool exists = entity.EntityExists;
        await foreach (OrchestrationMetadata m in client.GetAllInstancesAsync()) { var h = m.History; }
        try { } catch (TaskFailedException ex) { var d = ex.Details; }
        if (Context.Parent!.ParentId == null) { }
        var name = ((TaskOrchestrationContext)Context).Nam;
        var sub = new SubOrchestrationOptions { InstanceId = "x" };
        var copy = sub with { InstanceId = "y" };
        string i = copy.Instance;
        TaskOrchestrationContext other = new();
        Microsoft.DurableTask.TaskOptions.FromRetry(null);
        var e = Microsoft.DurableTask.Client.OrchestrationRuntimeStatus.Completed.Foo;
    }
}
`)
	expectProblems(t, checkDurableAPI(nil, out, nil),
		"line 14: DurableTaskClient has no method StartNewAsync",      // this.field
		"line 15: DurableTaskClient has no method StartNewAsync",      // field
		"line 16: TaskOrchestrationContext has no method SetOutput",   // property
		"line 18: OrchestrationMetadata has no member Output",         // var from an awaited call
		"line 20: EntityMetadata has no member EntityExists",          // generic return type
		"line 21: OrchestrationMetadata has no member History",        // foreach
		"line 22: TaskFailedException has no member Details",          // catch
		"line 23: ParentOrchestrationInstance has no member ParentId", // x!
		"line 24: TaskOrchestrationContext has no member Nam",         // cast
		"line 27: SubOrchestrationOptions has no member Instance",     // with
		"line 28: new TaskOrchestrationContext: TaskOrchestrationContext is abstract and cannot be created",
		"line 29: TaskOptions has no method FromRetry", // qualified type
		"line 30: OrchestrationRuntimeStatus has no member Foo",
	)
}
