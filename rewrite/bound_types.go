package rewrite

import (
	"strings"

	sitter "github.com/tree-sitter/go-tree-sitter"

	"github.com/funcmigrate/funcmigrate/rewrite/cs"
)

// BoundTypes returns the types declared in models whose values cross a
// binding or HTTP boundary of some function, keyed by simple name and valued
// with the first boundary found ("the [QueueTrigger] binding of function
// ProcessOrder"), so that a rule can say why a type matters. Those are the
// types whose JSON the in-process host produced with Newtonsoft.Json and the
// isolated worker (or ASP.NET Core) produces with System.Text.Json
// (MAPPING.md §4.9, §8 items 17 and 18).
//
// A type crosses a boundary when it appears, directly or as a generic
// argument or array element, in
//   - the type of a function parameter that carries an attribute (a trigger
//     or binding, out parameters and collectors included);
//   - the return type of a function with a [return: ...] binding, an output
//     attribute, an HTTP trigger or a Durable Functions trigger;
//   - the type argument of a call that reads a payload (ReadAsAsync<T>,
//     ReadFromJsonAsync<T>, Durable GetInput<T>, ...) in a function body;
//   - a value passed in a function body to an HTTP result (new
//     OkObjectResult(...), new JsonResult(...), Ok(...), CreateResponse(status,
//     ...), WriteAsJsonAsync(...)): an object or array creation, or a local
//     whose declared type or `var x = new T` initializer names T.
//
// Then the types of the instance properties and fields, primary constructor
// parameters and base types of a bound type are bound too, transitively,
// across all models: a serializer walks them. Only types declared in models
// are returned; framework and SDK types are not the project's to change.
func BoundTypes(models ...*cs.Model) map[string]string {
	var files []*BoundFile
	for _, m := range models {
		if m != nil {
			files = append(files, BindingsOf(m))
		}
	}
	return ResolveBoundTypes(files)
}

// A BoundFile is what one C# file contributes to BoundTypes, without its
// tree: the types it declares with what their members reach, and the types
// its functions bind, in source order. The migration summarizes each file
// while its tree is open and resolves a project's summaries together.
type BoundFile struct {
	decls []typeDecl
	seeds []boundSeed
}

// BindingsOf summarizes one file for ResolveBoundTypes.
func BindingsOf(m *cs.Model) *BoundFile {
	b := &boundTypes{file: &BoundFile{}}
	b.collectDecls(m.File, m.File.Root)
	for _, fn := range m.Functions {
		b.function(m.File, fn)
	}
	return b.file
}

// ResolveBoundTypes is BoundTypes over the files' summaries, in order.
func ResolveBoundTypes(files []*BoundFile) map[string]string {
	decls := map[string][]typeDecl{}
	found := map[string]boundary{} // every name reached, declared or not
	var queue []string             // names in the order they were found
	add := func(names []string, bd boundary) {
		for _, name := range names {
			if _, ok := found[name]; !ok {
				found[name] = bd
				queue = append(queue, name)
			}
		}
	}
	for _, f := range files {
		for _, d := range f.decls {
			decls[d.name] = append(decls[d.name], d)
		}
	}
	for _, f := range files {
		for _, sd := range f.seeds {
			add(sd.names, sd.why)
		}
	}
	// Breadth first, so a type keeps the shortest path to its boundary.
	for i := 0; i < len(queue); i++ {
		name := queue[i]
		bd := found[name]
		for _, d := range decls[name] {
			for _, r := range d.reaches {
				why := boundary{bd.root, "through " + d.name + "." + r.member}
				if r.base {
					why = boundary{bd.root, "as a base type of " + d.name}
				}
				add(r.names, why)
			}
		}
	}
	out := map[string]string{}
	for name, bd := range found {
		if len(decls[name]) > 0 {
			out[name] = bd.String()
		}
	}
	return out
}

// A typeDecl is a class, record or struct declaration with the type names
// a serializer reaches from it, in member order.
type typeDecl struct {
	name    string
	reaches []reach
}

// A reach is the type names of one member or base type of a declaration.
type reach struct {
	names  []string
	member string // the property, field or primary-constructor parameter
	base   bool   // a base type, not a member
}

// A boundSeed is types a function binds directly, with the boundary.
type boundSeed struct {
	names []string
	why   boundary
}

// boundTypes summarizes one file.
type boundTypes struct {
	file *BoundFile
}

// A boundary is where a type's values are (de)serialized: root names the
// binding or HTTP body, via the member that leads there from a bound type.
type boundary struct{ root, via string }

func (bd boundary) String() string {
	if bd.via == "" {
		return bd.root
	}
	return bd.root + " (" + bd.via + ")"
}

// add records the type names in type node t as crossing bd.
func (b *boundTypes) add(f *cs.File, t *sitter.Node, bd boundary) {
	if names := typeNames(f, t); len(names) > 0 {
		b.file.seeds = append(b.file.seeds, boundSeed{names, bd})
	}
}

// collectDecls indexes the type declarations under n. Only declaration
// levels are walked: types are not declared inside method bodies.
func (b *boundTypes) collectDecls(f *cs.File, n *sitter.Node) {
	switch n.Kind() {
	case "class_declaration", "record_declaration", "struct_declaration":
		if name := n.ChildByFieldName("name"); name != nil {
			b.file.decls = append(b.file.decls, typeDecl{name: f.Text(name), reaches: reaches(f, n)})
		}
		if body := n.ChildByFieldName("body"); body != nil {
			b.collectDecls(f, body)
		}
		return
	case "compilation_unit", "namespace_declaration", "file_scoped_namespace_declaration", "declaration_list":
	default:
		return
	}
	for i := uint(0); i < n.NamedChildCount(); i++ {
		b.collectDecls(f, n.NamedChild(i))
	}
}

// reaches lists the types a serializer reaches from declaration n: primary
// constructor parameters (records make properties of them), base types,
// and instance properties and fields.
func reaches(f *cs.File, n *sitter.Node) []reach {
	var out []reach
	add := func(t *sitter.Node, member string, base bool) {
		if names := typeNames(f, t); len(names) > 0 {
			out = append(out, reach{names, member, base})
		}
	}
	for i := uint(0); i < n.NamedChildCount(); i++ {
		ch := n.NamedChild(i)
		switch ch.Kind() {
		case "parameter_list":
			for j := uint(0); j < ch.NamedChildCount(); j++ {
				prm := ch.NamedChild(j)
				if t, name := prm.ChildByFieldName("type"), prm.ChildByFieldName("name"); t != nil && name != nil {
					add(t, f.Text(name), false)
				}
			}
		case "base_list":
			for j := uint(0); j < ch.NamedChildCount(); j++ {
				add(ch.NamedChild(j), "", true)
			}
		}
	}
	body := n.ChildByFieldName("body")
	if body == nil {
		return out
	}
	for i := uint(0); i < body.NamedChildCount(); i++ {
		mem := body.NamedChild(i)
		var t *sitter.Node
		var name string
		switch mem.Kind() {
		case "property_declaration":
			t = mem.ChildByFieldName("type")
			if n := mem.ChildByFieldName("name"); n != nil {
				name = f.Text(n)
			}
		case "field_declaration":
			for j := uint(0); j < mem.NamedChildCount(); j++ {
				if v := mem.NamedChild(j); v.Kind() == "variable_declaration" {
					t = v.ChildByFieldName("type")
					if decl := firstChildOfKind(v, "variable_declarator"); decl != nil {
						if n := decl.ChildByFieldName("name"); n != nil {
							name = f.Text(n)
						}
					}
				}
			}
		default:
			continue
		}
		if t == nil || isStaticMember(f, mem) {
			continue // serializers skip static and const members
		}
		add(t, name, false)
	}
	return out
}

func isStaticMember(f *cs.File, mem *sitter.Node) bool {
	for i := uint(0); i < mem.NamedChildCount(); i++ {
		if ch := mem.NamedChild(i); ch.Kind() == "modifier" {
			if s := f.Text(ch); s == "static" || s == "const" {
				return true
			}
		}
	}
	return false
}

func firstChildOfKind(n *sitter.Node, kind string) *sitter.Node {
	for i := uint(0); i < n.NamedChildCount(); i++ {
		if ch := n.NamedChild(i); ch.Kind() == kind {
			return ch
		}
	}
	return nil
}

// function seeds the bound types from one function's signature and body.
func (b *boundTypes) function(f *cs.File, fn *cs.Function) {
	name := functionDisplayName(f, fn)
	trigger := ""
	for _, prm := range fn.Params {
		if len(prm.Attrs) == 0 || prm.Type == nil {
			continue
		}
		a := prm.Attrs[0].Name
		if strings.HasSuffix(a, "Trigger") && trigger == "" {
			trigger = a
		}
		b.add(f, prm.Type, boundary{root: "the [" + a + "] binding of function " + name})
	}
	if fn.ReturnType != nil {
		why := ""
		for _, a := range fn.MethodAttrs {
			switch {
			case a.Target == "return":
				why = "the [return: " + a.Name + "] binding of function " + name
			case a.Target == "" && strings.HasSuffix(a.Name, "Output"):
				why = "the [" + a.Name + "] binding of function " + name
			}
			if why != "" {
				break
			}
		}
		if why == "" {
			switch trigger {
			case "HttpTrigger":
				why = "the HTTP response of function " + name
			case "ActivityTrigger", "OrchestrationTrigger":
				why = "the Durable Functions result of function " + name
			}
		}
		if why != "" {
			b.add(f, fn.ReturnType, boundary{root: why})
		}
	}
	if fn.Body != nil {
		locals := localTypes(f, fn)
		walkNodes(fn.Body, func(n *sitter.Node) {
			switch n.Kind() {
			case "invocation_expression":
				b.invocation(f, n, locals, name)
			case "object_creation_expression":
				t := n.ChildByFieldName("type")
				if t == nil || !isHTTPResultType(simpleName(f, t)) {
					return
				}
				why := boundary{root: "the HTTP response body (" + simpleName(f, t) + ") of function " + name}
				for _, arg := range arguments(n) {
					b.value(f, arg, locals, why, 0)
				}
			}
		})
	}
}

// functionDisplayName is the function's name as the host knows it: the
// [FunctionName] string when it is a literal, else the method name.
func functionDisplayName(f *cs.File, fn *cs.Function) string {
	if fn.NameAttr != nil {
		if pos := fn.NameAttr.Positional(); len(pos) > 0 && pos[0].Value != nil && pos[0].Value.Kind() == "string_literal" {
			return strings.Trim(f.Text(pos[0].Value), `"`)
		}
	}
	return fn.Name
}

// payloadReaders are generic calls whose type argument is deserialized
// from a payload, with what that payload is.
var payloadReaders = map[string]string{
	"ReadAsAsync":                       "the HTTP request body",
	"ReadFromJsonAsync":                 "the HTTP request body",
	"GetInput":                          "the Durable Functions input",
	"CallActivityAsync":                 "the Durable Functions activity result",
	"CallActivityWithRetryAsync":        "the Durable Functions activity result",
	"CallSubOrchestratorAsync":          "the Durable Functions sub-orchestration result",
	"CallSubOrchestratorWithRetryAsync": "the Durable Functions sub-orchestration result",
	"WaitForExternalEvent":              "the Durable Functions external event",
}

// responseWriters are calls whose arguments become an HTTP response body.
var responseWriters = map[string]bool{
	"Ok": true, "Created": true, "Accepted": true, "BadRequest": true, "NotFound": true, "Conflict": true, "Json": true,
	"CreateResponse": true, "WriteAsJsonAsync": true,
}

func isHTTPResultType(name string) bool {
	switch name {
	case "JsonResult", "CreatedResult", "CreatedAtActionResult", "CreatedAtRouteResult",
		"AcceptedResult", "AcceptedAtActionResult", "AcceptedAtRouteResult":
		return true
	}
	return strings.HasSuffix(name, "ObjectResult") // OkObjectResult, BadRequestObjectResult, ObjectResult, ...
}

func (b *boundTypes) invocation(f *cs.File, call *sitter.Node, locals map[string]*sitter.Node, fnName string) {
	callee := call.ChildByFieldName("function")
	if callee == nil {
		return
	}
	if callee.Kind() == "member_access_expression" {
		callee = callee.ChildByFieldName("name")
	}
	if callee == nil {
		return
	}
	var method string
	var typeArgs *sitter.Node
	switch callee.Kind() {
	case "identifier":
		method = f.Text(callee)
	case "generic_name":
		if id := firstChildOfKind(callee, "identifier"); id != nil {
			method = f.Text(id)
		}
		typeArgs = firstChildOfKind(callee, "type_argument_list")
	default:
		return
	}
	if what, ok := payloadReaders[method]; ok && typeArgs != nil {
		why := boundary{root: what + " read by " + f.Text(callee) + " in function " + fnName}
		for i := uint(0); i < typeArgs.NamedChildCount(); i++ {
			b.add(f, typeArgs.NamedChild(i), why)
		}
		return
	}
	if !responseWriters[method] {
		return
	}
	why := boundary{root: "the HTTP response body (" + method + ") of function " + fnName}
	if typeArgs != nil {
		for i := uint(0); i < typeArgs.NamedChildCount(); i++ {
			b.add(f, typeArgs.NamedChild(i), why)
		}
	}
	for _, arg := range arguments(call) {
		b.value(f, arg, locals, why, 0)
	}
}

// value binds the types an expression is known to produce without type
// inference: creations, casts, and locals with a declared type or a creation
// as initializer.
func (b *boundTypes) value(f *cs.File, e *sitter.Node, locals map[string]*sitter.Node, why boundary, depth int) {
	if e == nil || depth > 4 {
		return
	}
	switch e.Kind() {
	case "argument", "parenthesized_expression", "implicit_array_creation_expression", "initializer_expression", "anonymous_object_creation_expression":
		for i := uint(0); i < e.NamedChildCount(); i++ {
			b.value(f, e.NamedChild(i), locals, why, depth+1)
		}
	case "object_creation_expression", "array_creation_expression", "cast_expression":
		b.add(f, e.ChildByFieldName("type"), why)
		if init := e.ChildByFieldName("initializer"); init != nil && e.Kind() == "array_creation_expression" {
			b.value(f, init, locals, why, depth+1)
		}
	case "identifier":
		if t, ok := locals[f.Text(e)]; ok {
			if isTypeNode(t) {
				b.add(f, t, why)
			} else {
				b.value(f, t, locals, why, depth+1)
			}
		}
	}
}

// localTypes maps each local and parameter of fn to its declared type, or
// for `var` to its initializer expression. Scopes are ignored: a name
// declared twice keeps its first declaration.
func localTypes(f *cs.File, fn *cs.Function) map[string]*sitter.Node {
	out := map[string]*sitter.Node{}
	for _, prm := range fn.Params {
		if prm.Type != nil {
			out[prm.Name] = prm.Type
		}
	}
	walkNodes(fn.Body, func(n *sitter.Node) {
		if n.Kind() != "variable_declaration" {
			return
		}
		t := n.ChildByFieldName("type")
		if t == nil {
			return
		}
		for i := uint(0); i < n.NamedChildCount(); i++ {
			d := n.NamedChild(i)
			if d.Kind() != "variable_declarator" {
				continue
			}
			name := d.ChildByFieldName("name")
			if name == nil {
				continue
			}
			key := f.Text(name)
			if _, seen := out[key]; seen {
				continue
			}
			if t.Kind() != "implicit_type" {
				out[key] = t
				continue
			}
			// var x = <initializer>: the last named child after the name.
			if init := d.NamedChild(d.NamedChildCount() - 1); init != nil && init.Id() != name.Id() {
				out[key] = init
			}
		}
	})
	return out
}

func isTypeNode(n *sitter.Node) bool {
	switch n.Kind() {
	case "identifier", "qualified_name", "generic_name", "array_type", "nullable_type", "tuple_type", "predefined_type", "alias_qualified_name":
		return true
	}
	return false
}

func arguments(call *sitter.Node) []*sitter.Node {
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

func walkNodes(n *sitter.Node, visit func(*sitter.Node)) {
	visit(n)
	for i := uint(0); i < n.NamedChildCount(); i++ {
		walkNodes(n.NamedChild(i), visit)
	}
}

// simpleName is the last segment of a type name without generic arguments.
func simpleName(f *cs.File, t *sitter.Node) string {
	switch t.Kind() {
	case "qualified_name", "alias_qualified_name":
		if n := t.ChildByFieldName("name"); n != nil {
			return simpleName(f, n)
		}
	case "generic_name":
		if id := firstChildOfKind(t, "identifier"); id != nil {
			return f.Text(id)
		}
	case "identifier":
		return f.Text(t)
	}
	return ""
}

// typeNames returns the simple names of the types a type node mentions,
// generic arguments and array elements included, less framework types.
func typeNames(f *cs.File, t *sitter.Node) []string {
	var out []string
	var walk func(n *sitter.Node, framework bool)
	walk = func(n *sitter.Node, framework bool) {
		if n == nil {
			return
		}
		switch n.Kind() {
		case "identifier":
			if name := f.Text(n); !framework && !frameworkTypes[name] {
				out = append(out, name)
			}
		case "generic_name":
			for i := uint(0); i < n.NamedChildCount(); i++ {
				ch := n.NamedChild(i)
				if ch.Kind() == "type_argument_list" {
					for j := uint(0); j < ch.NamedChildCount(); j++ {
						walk(ch.NamedChild(j), false)
					}
				} else {
					walk(ch, framework)
				}
			}
		case "qualified_name", "alias_qualified_name":
			// System.Collections.Generic.List<Line>: only the last segment
			// names the type, and a framework namespace makes it theirs.
			q := ""
			if qual := n.ChildByFieldName("qualifier"); qual != nil {
				q = f.Text(qual)
			}
			walk(n.ChildByFieldName("name"), framework || frameworkNamespace(q))
		case "array_type", "nullable_type", "pointer_type", "ref_type", "scoped_type":
			walk(n.ChildByFieldName("type"), framework)
		case "tuple_type":
			for i := uint(0); i < n.NamedChildCount(); i++ {
				walk(n.NamedChild(i).ChildByFieldName("type"), framework)
			}
		}
	}
	walk(t, false)
	return out
}

func frameworkNamespace(q string) bool {
	q = strings.TrimPrefix(q, "global::")
	for _, ns := range []string{"System", "Microsoft", "Newtonsoft", "Azure"} {
		if q == ns || strings.HasPrefix(q, ns+".") {
			return true
		}
	}
	return false
}

// frameworkTypes are names that never denote the project's own types:
// BCL types written without their namespace, the collection and task
// wrappers around payloads, and JSON DOM types (reported on their own).
var frameworkTypes = func() map[string]bool {
	m := map[string]bool{}
	for _, s := range strings.Fields(`
		String Object Boolean Byte SByte Char Decimal Double Single Int16 Int32 Int64 UInt16 UInt32 UInt64
		DateTime DateTimeOffset DateOnly TimeOnly TimeSpan Guid Uri Version Nullable Enum Array Type
		dynamic var Task ValueTask IAsyncEnumerable IEnumerable ICollection IList List IReadOnlyList
		IReadOnlyCollection ISet HashSet Dictionary IDictionary IReadOnlyDictionary KeyValuePair Tuple ValueTuple
		IAsyncCollector ICollector Stream BinaryData Memory ReadOnlyMemory
		JObject JToken JArray JValue JsonElement JsonNode JsonObject JsonArray JsonDocument
		IActionResult ActionResult HttpRequest HttpResponse HttpRequestMessage HttpResponseMessage
		HttpRequestData HttpResponseData ILogger ExecutionContext FunctionContext CancellationToken TimerInfo`) {
		m[s] = true
	}
	return m
}()
