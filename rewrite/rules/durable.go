package rules

import (
	"sort"
	"strings"

	sitter "github.com/tree-sitter/go-tree-sitter"

	"github.com/funcmigrate/funcmigrate/rewrite"
	"github.com/funcmigrate/funcmigrate/rewrite/cs"
	"github.com/funcmigrate/funcmigrate/rewrite/edit"
)

// This file holds what the Durable Functions rules (durable_*.go) share:
// the in-process Durable types, where a file declares variables of them,
// and how to find and rewrite the calls made on those variables. Without a
// type checker, a variable is known by its declaration: a parameter, local
// or field written with one of the types below.

// The isolated Durable namespaces (MAPPING.md §7.1).
const (
	durableNamespace       = "Microsoft.DurableTask"
	durableClientNamespace = "Microsoft.DurableTask.Client"
	durableEntityNamespace = "Microsoft.DurableTask.Entities"
	durableHTTPNamespace   = "Microsoft.Azure.Functions.Worker.Extensions.DurableTask.Http"
	inProcessDurableNS     = "Microsoft.Azure.WebJobs.Extensions.DurableTask"
	durableMigrateGuideURL = "https://learn.microsoft.com/azure/azure-functions/durable/durable-functions-migrate"
)

type durableKind int

const (
	orchestrationContext durableKind = iota + 1
	activityContext
	entityContext
	durableClient // orchestration and entity clients alike: DurableTaskClient serves both
)

// A durableType is an in-process Durable type a variable can be declared with.
type durableType struct {
	kind durableKind
	v1   bool   // a Durable Functions 1.x spelling (namespace Microsoft.Azure.WebJobs)
	to   string // the isolated type, "" when there is no one-to-one type
	ns   string // the isolated type's namespace
}

var durableTypes = map[string]durableType{
	"IDurableOrchestrationContext":    {orchestrationContext, false, "TaskOrchestrationContext", durableNamespace},
	"DurableOrchestrationContext":     {orchestrationContext, true, "TaskOrchestrationContext", durableNamespace},
	"DurableOrchestrationContextBase": {orchestrationContext, true, "TaskOrchestrationContext", durableNamespace},
	"IDurableActivityContext":         {activityContext, false, "", ""},
	"DurableActivityContext":          {activityContext, true, "", ""},
	"DurableActivityContextBase":      {activityContext, true, "", ""},
	"IDurableEntityContext":           {entityContext, false, "TaskEntityDispatcher", workerNamespace},
	"IDurableClient":                  {durableClient, false, "DurableTaskClient", durableClientNamespace},
	"IDurableOrchestrationClient":     {durableClient, false, "DurableTaskClient", durableClientNamespace},
	"IDurableEntityClient":            {durableClient, false, "DurableTaskClient", durableClientNamespace},
	"DurableOrchestrationClient":      {durableClient, true, "DurableTaskClient", durableClientNamespace},
	"DurableOrchestrationClientBase":  {durableClient, true, "DurableTaskClient", durableClientNamespace},
}

// usesDurable reports whether the file uses in-process Durable Functions:
// it imports the Durable extension's namespace (2.x), or imports the WebJobs
// namespace where Durable 1.x declared its types and names one of them.
func usesDurable(m *cs.Model) bool {
	return memo(m, memoUsesDurable, func() bool { return findsDurable(m) })
}

func findsDurable(m *cs.Model) bool {
	webJobs := false
	for _, u := range m.Usings {
		if u.Name == inProcessDurableNS {
			return true
		}
		webJobs = webJobs || u.Name == "Microsoft.Azure.WebJobs"
	}
	if !webJobs {
		return false
	}
	for name, t := range durableTypes {
		if t.v1 && len(m.Named(name)) > 0 {
			return true
		}
	}
	for _, a := range m.Attributes {
		switch a.Name {
		case "OrchestrationTrigger", "ActivityTrigger", "OrchestrationClient":
			return true
		}
	}
	return false
}

// declaredInFile reports whether the file declares a type called name, so
// that name is the project's own and not Durable's.
func declaredInFile(m *cs.Model, name string) bool {
	_, ok := classesByName(m)[name]
	return ok
}

// durableTypeName returns the Durable type a type-use identifier names.
func durableTypeName(m *cs.Model, id cs.Ident, imports bool) (durableType, bool) {
	t, ok := durableTypes[id.Name]
	if !ok || !isTypeUse(m, id.Node) {
		return t, false
	}
	if !imports && !qualifiedWithWebJobs(m, id.Node) {
		return t, false
	}
	return t, true
}

// typeNodeOf climbs from a type identifier to the whole type as written
// (Microsoft.Azure.WebJobs.Extensions.DurableTask.IDurableClient).
func typeNodeOf(m *cs.Model, id *sitter.Node) *sitter.Node {
	n := id
	for p := m.Parent(n); p != nil && p.Kind() == "qualified_name"; p = m.Parent(n) {
		if name := p.ChildByFieldName("name"); name == nil || name.Id() != n.Id() {
			break
		}
		n = p
	}
	return n
}

// renameType replaces the type written at tn (an identifier or a qualified
// name) with the isolated type, keeping it qualified when it was.
func renameType(f *cs.File, tn *sitter.Node, to, ns string) edit.Edit {
	if tn.Kind() == "qualified_name" {
		return replace(tn, ns+"."+to)
	}
	return replace(tn, to)
}

// A durableVar is a variable declared with an in-process Durable type.
type durableVar struct {
	name     string
	typ      durableType
	typeName string       // the in-process type's simple name
	typeNode *sitter.Node // the declared type, possibly qualified
	decl     *sitter.Node // parameter or variable_declarator
	scope    *sitter.Node // where the name is visible
	param    *cs.Param    // set for a [FunctionName] method's parameter
	fn       *cs.Function // set for a [FunctionName] method's parameter
}

// durableVars finds the variables of in-process Durable types in the file,
// once per file: the rules share them and must not change them.
func durableVars(m *cs.Model) []*durableVar {
	return memo(m, memoDurableVars, func() []*durableVar { return findDurableVars(m) })
}

func findDurableVars(m *cs.Model) []*durableVar {
	f := m.File
	imports := usesDurable(m)
	params := functionsOf(m).byParam
	var out []*durableVar
	for _, id := range m.IdentList() {
		t, ok := durableTypeName(m, id, imports)
		if !ok {
			continue
		}
		tn := typeNodeOf(m, id.Node)
		for _, d := range declaredWith(m, tn) {
			v := &durableVar{name: f.Text(d.name), typ: t, typeName: id.Name, typeNode: tn, decl: d.decl, scope: d.scope}
			if fps := params[d.decl.Id()]; len(fps) > 0 {
				last := fps[len(fps)-1]
				v.fn = m.Functions[last.fn]
				v.param = v.fn.Params[last.param]
			}
			out = append(out, v)
		}
	}
	return out
}

// A declared is one variable a type is written for.
type declared struct {
	name  *sitter.Node // the variable's identifier
	decl  *sitter.Node // parameter, variable_declarator or the foreach variable
	scope *sitter.Node // where the name is visible
}

// declaredWith returns the variables declared with type node tn: a
// parameter (visible in its method, local function or lambda), the
// declarators of a local or field declaration (visible in the enclosing
// block or class body) or a foreach variable.
func declaredWith(m *cs.Model, tn *sitter.Node) []declared {
	par := m.Parent(tn)
	if par == nil {
		return nil
	}
	if ty := par.ChildByFieldName("type"); ty == nil || ty.Id() != tn.Id() {
		return nil
	}
	switch par.Kind() {
	case "parameter":
		name := par.ChildByFieldName("name")
		list := m.Parent(par)
		if name == nil || list == nil || m.Parent(list) == nil {
			return nil
		}
		return []declared{{name, par, m.Parent(list)}}
	case "variable_declaration":
		scope := m.Parent(par)
		if scope != nil && scope.Kind() == "field_declaration" {
			scope = m.Parent(scope) // the class body
		} else if scope != nil {
			scope = enclosingBlock(m, scope)
		}
		if scope == nil {
			return nil
		}
		var out []declared
		for i := uint(0); i < par.NamedChildCount(); i++ {
			if d := par.NamedChild(i); d.Kind() == "variable_declarator" && d.ChildByFieldName("name") != nil {
				out = append(out, declared{d.ChildByFieldName("name"), d, scope})
			}
		}
		return out
	case "foreach_statement":
		if left := par.ChildByFieldName("left"); left != nil && left.Kind() == "identifier" {
			return []declared{{left, left, par}}
		}
	}
	return nil
}

// enclosingBlock is the innermost block (or body) around n.
func enclosingBlock(m *cs.Model, n *sitter.Node) *sitter.Node {
	for p := m.Parent(n); p != nil; p = m.Parent(p) {
		switch p.Kind() {
		case "block", "switch_section", "declaration_list":
			return p
		}
	}
	return nil
}

// uses returns the identifiers in v's scope that read the variable.
func (v *durableVar) uses(f *cs.File, m *cs.Model) []*sitter.Node {
	var out []*sitter.Node
	declStart, declEnd := v.decl.StartByte(), v.decl.EndByte()
	for _, id := range m.NamedWithin(v.name, v.scope) {
		if id.Start >= declStart && id.End <= declEnd {
			continue
		}
		if isVariableUse(m, id.Node) {
			out = append(out, id.Node)
		}
	}
	return out
}

// A memberUse is v.Name or v.Name(args) or v.Name<T>(args).
type memberUse struct {
	access   *sitter.Node // member_access_expression
	name     *sitter.Node // the member's identifier (or generic_name)
	member   string       // the member's name without type arguments
	typeArgs string       // "<T>" as written, "" when none
	call     *sitter.Node // invocation_expression, nil for a property read
	args     []*sitter.Node
}

// memberOf returns the member use whose receiver is identifier id, if any.
func memberOf(m *cs.Model, id *sitter.Node) (memberUse, bool) {
	f := m.File
	acc := m.Parent(id)
	if acc == nil || acc.Kind() != "member_access_expression" {
		return memberUse{}, false
	}
	if e := acc.ChildByFieldName("expression"); e == nil || e.Id() != id.Id() {
		return memberUse{}, false
	}
	name := acc.ChildByFieldName("name")
	if name == nil {
		return memberUse{}, false
	}
	u := memberUse{access: acc, name: name, member: f.Text(name)}
	if name.Kind() == "generic_name" {
		if n := name.NamedChild(0); n != nil {
			u.member = f.Text(n)
			u.typeArgs = strings.TrimPrefix(f.Text(name), u.member)
		}
	}
	if call := m.Parent(acc); call != nil && call.Kind() == "invocation_expression" {
		if fn := call.ChildByFieldName("function"); fn != nil && fn.Id() == acc.Id() {
			u.call = call
			u.args = callArgs(call)
		}
	}
	return u, true
}

// argName is the name: label of an argument, "" when positional.
func argName(f *cs.File, arg *sitter.Node) string {
	if n := arg.ChildByFieldName("name"); n != nil {
		return f.Text(n)
	}
	return ""
}

// anyNamed reports whether some argument is written name: value.
func anyNamed(f *cs.File, args []*sitter.Node) bool {
	for _, a := range args {
		if argName(f, a) != "" {
			return true
		}
	}
	return false
}

// renameMember replaces the member's name, keeping its type arguments.
func renameMember(u memberUse, to string) edit.Edit {
	return edit.Edit{Start: int(u.name.StartByte()), End: int(u.name.StartByte()) + len(u.member), New: to}
}

// moveArgs rewrites the argument list of a call: order lists the indexes of
// the original arguments to keep, in their new order, and extra is appended.
// Arguments are copied as written.
func moveArgs(f *cs.File, u memberUse, order []int, extra ...string) edit.Edit {
	var parts []string
	for _, i := range order {
		parts = append(parts, f.Text(u.args[i]))
	}
	parts = append(parts, extra...)
	list := u.call.ChildByFieldName("arguments")
	return replace(list, "("+strings.Join(parts, ", ")+")")
}

// stringType guesses the static type of expression e as C# overload
// resolution sees it: isString when it is a string, known when the guess is
// certain either way. scope is where local declarations are looked up.
func stringType(f *cs.File, m *cs.Model, e, scope *sitter.Node) (isString, known bool) {
	if e == nil {
		return false, false
	}
	switch e.Kind() {
	case "string_literal", "verbatim_string_literal", "raw_string_literal", "interpolated_string_expression":
		return true, true
	case "integer_literal", "real_literal", "boolean_literal", "character_literal",
		"object_creation_expression", "anonymous_object_creation_expression", "array_creation_expression",
		"implicit_array_creation_expression", "implicit_object_creation_expression", "lambda_expression":
		return false, true
	case "parenthesized_expression":
		return stringType(f, m, e.NamedChild(0), scope)
	case "cast_expression":
		if t := e.ChildByFieldName("type"); t != nil {
			return isStringTypeText(f.Text(t)), !isDynamicText(f.Text(t))
		}
	case "binary_expression":
		if op := e.ChildByFieldName("operator"); op != nil && f.Text(op) == "+" {
			l, lk := stringType(f, m, e.ChildByFieldName("left"), scope)
			r, rk := stringType(f, m, e.ChildByFieldName("right"), scope)
			if (l && lk) || (r && rk) {
				return true, true
			}
		}
	case "invocation_expression":
		if fn := e.ChildByFieldName("function"); fn != nil && fn.Kind() == "member_access_expression" {
			if n := fn.ChildByFieldName("name"); n != nil {
				switch f.Text(n) {
				case "ToString", "Format", "Concat", "Join", "ToLowerInvariant", "ToUpperInvariant", "Trim", "Substring", "Replace":
					return true, true
				}
			}
		}
	case "member_access_expression":
		if x := e.ChildByFieldName("expression"); x != nil && (f.Text(x) == "string" || f.Text(x) == "String") {
			return true, true // string.Empty
		}
	case "identifier":
		t := declaredTypeOf(f, m, f.Text(e), e, scope)
		switch {
		case t == "":
			return false, false
		case t == "var":
			return false, false
		case isDynamicText(t):
			return false, false
		}
		return isStringTypeText(t), true
	}
	return false, false
}

func isStringTypeText(t string) bool {
	t = strings.TrimSuffix(strings.ReplaceAll(t, " ", ""), "?")
	return t == "string" || t == "String" || t == "System.String"
}

func isDynamicText(t string) bool { return strings.TrimSpace(t) == "dynamic" }

// declaredTypeOf finds the type written at the declaration of the local
// variable or parameter name visible at use, or "" when not found. A local
// declared with var is looked through to its initializer when that is a
// literal.
func declaredTypeOf(f *cs.File, m *cs.Model, name string, use, scope *sitter.Node) string {
	if scope == nil {
		return ""
	}
	// The last declaration before use counts: search back from use, so a
	// name used all over a big scope is not read from the start each time.
	ids := m.NamedWithin(name, scope)
	useStart := use.StartByte()
	before := sort.Search(len(ids), func(i int) bool { return ids[i].Start >= useStart })
	for i := before - 1; i >= 0; i-- {
		if t, ok := declarationType(f, m, ids[i].Node, scope); ok {
			return t
		}
	}
	return ""
}

// declarationType returns the type written at id when id names a parameter
// or a local (see declaredTypeOf), and whether it does.
func declarationType(f *cs.File, m *cs.Model, id, scope *sitter.Node) (string, bool) {
	par := m.Parent(id)
	if par == nil {
		return "", false
	}
	if n := par.ChildByFieldName("name"); n == nil || n.Id() != id.Id() {
		return "", false
	}
	switch par.Kind() {
	case "parameter":
		if t := par.ChildByFieldName("type"); t != nil {
			return f.Text(t), true
		}
	case "variable_declarator":
		decl := m.Parent(par)
		if decl == nil || decl.Kind() != "variable_declaration" {
			return "", false
		}
		t := decl.ChildByFieldName("type")
		if t == nil {
			return "", false
		}
		found := f.Text(t)
		if init := declaratorInit(par); found == "var" && init != nil {
			if s, k := stringType(f, m, init, scope); k {
				if s {
					found = "string"
				} else {
					found = "object"
				}
			}
		}
		return found, true
	}
	return "", false
}

// enclosingMethod is the method, local function or lambda around n.
func enclosingMethod(m *cs.Model, n *sitter.Node) *sitter.Node {
	for p := m.Parent(n); p != nil; p = m.Parent(p) {
		switch p.Kind() {
		case "method_declaration", "local_function_statement", "lambda_expression", "anonymous_method_expression",
			"constructor_declaration", "accessor_declaration":
			return p
		}
	}
	return nil
}

// isAsync reports whether the method or lambda node carries async.
func isAsync(f *cs.File, fn *sitter.Node) bool {
	if fn == nil {
		return false
	}
	for i := uint(0); i < fn.ChildCount(); i++ {
		ch := fn.Child(i)
		if ch.Kind() == "modifier" && f.Text(ch) == "async" {
			return true
		}
		if ch.Kind() == "async" {
			return true
		}
	}
	return false
}

// awaited reports whether expression e is the operand of await.
func awaited(m *cs.Model, e *sitter.Node) bool {
	p := m.Parent(e)
	return p != nil && p.Kind() == "await_expression"
}

// needUsing adds using ns to the file unless it is already there.
func needUsing(p *rewrite.Pass, ns string) {
	if hasUsing(p.Model, ns) {
		return
	}
	p.Fix("Import "+ns, insertUsingLine(p.File, p.Model, ns))
}

// renameDurableTypes renames every use of the given in-process type names
// in the file to their isolated names (a qualified use keeps a qualifier)
// and returns whether any was found.
func renameDurableTypes(p *rewrite.Pass, names map[string]string, ns string) bool {
	f, m := p.File, p.Model
	imports := usesDurable(m)
	found := false
	for _, x := range m.IdentList() {
		id := x.Node
		to, ok := names[x.Name]
		if !ok || !isTypeUse(m, id) || declaredInFile(m, x.Name) {
			continue
		}
		if !imports && !qualifiedWithWebJobs(m, id) {
			continue
		}
		tn := typeNodeOf(m, id)
		if tn.Kind() == "qualified_name" && !strings.HasPrefix(f.Text(tn), "Microsoft.Azure.WebJobs") {
			continue // somebody else's type of that name
		}
		found = true
		p.Fix("Use the isolated "+to, renameType(f, tn, to, ns))
	}
	return found
}

// isOrchestrator reports whether the function has an [OrchestrationTrigger]
// parameter.
func isOrchestrator(fn *cs.Function) bool {
	for _, prm := range fn.Params {
		for _, a := range prm.Attrs {
			if a.Name == "OrchestrationTrigger" {
				return true
			}
		}
	}
	return false
}
