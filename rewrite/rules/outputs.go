package rules

import (
	"fmt"
	"strings"

	sitter "github.com/tree-sitter/go-tree-sitter"

	"github.com/funcmigrate/funcmigrate/rewrite"
	"github.com/funcmigrate/funcmigrate/rewrite/cs"
	"github.com/funcmigrate/funcmigrate/rewrite/edit"
)

// Outputs moves output bindings to return values.
var Outputs = &rewrite.Rule{
	Name: "cs-outputs",
	Doc: `move output bindings to the method or an output class

Isolated output attributes may only sit on a method or on a property of a
returned object; out parameters, collectors and [return:] targets are not
supported. A lone [return: X] output becomes the row's isolated output
attribute on the method. A single out parameter of a void function becomes
the return value: the method declares a local of the same name, and every
return hands it back. A collector (ICollector, IAsyncCollector) of a binding
that accepts arrays becomes a List of the same name: Add and AddAsync calls
add to it, and the function returns it as an array, so messages are sent
only after the function returns successfully (reported as a note). Several
outputs, or outputs beside an HTTP response or a [return:] value, move into
a generated output class named after the function and placed after its
class, one property per output with its output attribute and [HttpResult]
on the HTTP response; every return builds that object. What would change
behaviour or needs an SDK client stays and is reported: collectors passed
to helpers, flushed, captured in lambdas or used before a throw, stream and
writer outputs, SDK clients bound as outputs.`,
	Ref: "MAPPING.md §4.5",
	URL: "https://learn.microsoft.com/azure/azure-functions/migrate-dotnet-to-isolated-model",
	Run: runOutputs,
}

// An output is one output binding of a function that can move.
type output struct {
	param *cs.Param // nil for [return: X]
	attr  string    // the isolated attribute with its arguments: `[QueueOutput("q")]`
	elem  string    // a collector's element type; "" for out parameters
	adds  []collectorAdd
}

// A collectorAdd is one Add or AddAsync statement expression of a
// collector, rewritten to add to a list of the same name.
type collectorAdd struct {
	node *sitter.Node // the expression to replace (the await, when awaited)
	item string       // the added value as written
}

func (o output) describe() string {
	if o.elem != "" {
		return "collector " + o.param.Name
	}
	return "out parameter " + o.param.Name
}

// valueType is the type the output has once it is returned.
func (o output) valueType(f *cs.File) string {
	if o.elem != "" {
		return o.elem + "[]"
	}
	return f.Text(o.param.Type)
}

// value is the expression that hands the output back.
func (o output) value() string {
	if o.elem != "" {
		return o.param.Name + ".ToArray()"
	}
	return o.param.Name
}

// local declares the variable that replaces the parameter.
func (o output) local(f *cs.File) string {
	if o.elem != "" {
		return "var " + o.param.Name + " = new List<" + o.elem + ">();"
	}
	return f.Text(o.param.Type) + " " + o.param.Name + ";"
}

func runOutputs(p *rewrite.Pass) {
	f := p.File
	collected := false
	for _, fn := range p.Model.Functions {
		var outs []output
		var ret *output
		var retAttr *cs.Attribute
		blocked := false
		for _, prm := range fn.Params {
			for _, a := range prm.Attrs {
				r := bindings.byName[a.Name]
				if r == nil || direction(f, a, r) != "output" {
					continue
				}
				if o, why, do := outputOf(p, fn, a, r); why != "" {
					blocked = true
					p.Report(int(prm.Node.StartByte()), true, why, do)
					keepAccount(p, a, r)
				} else {
					outs = append(outs, o)
				}
			}
			if prm.Modifier == "out" && !hasOutputBinding(f, prm) {
				blocked = true
				p.Report(int(prm.Node.StartByte()), true, "out parameter "+prm.Name+" has no output binding the tool knows", "restructure this output by hand (MAPPING.md §4.5)")
			}
		}
		for _, a := range fn.MethodAttrs {
			r := bindings.byName[a.Name]
			if a.Target != "return" || r == nil || r.Output == "" {
				continue
			}
			o, why, do := outputOf(p, fn, a, r)
			if why != "" {
				blocked = true
				p.Report(int(a.Node.StartByte()), true, why, do)
				continue
			}
			ret, retAttr = &o, a
		}
		switch {
		case blocked || len(outs) == 0:
			for _, o := range outs {
				p.Report(int(o.param.Node.StartByte()), true,
					o.describe()+" is not supported by the isolated worker and this function has outputs the tool does not restructure",
					"move every output of this function into an output class with one *Output property each (MAPPING.md §4.5, §8 item 15)")
			}
			if ret != nil {
				// Moving the attribute is right whatever happens to the others.
				p.Fix("Move [return: "+retAttr.Name+"] to the method", replace(retAttr.List, ret.attr))
			}
			keepHTTPResponseType(p, fn)
		default:
			if !restructureOutputs(p, fn, outs, ret, retAttr) {
				if ret != nil {
					p.Fix("Move [return: "+retAttr.Name+"] to the method", replace(retAttr.List, ret.attr))
				}
				keepHTTPResponseType(p, fn)
			} else {
				for _, o := range outs {
					if o.elem != "" {
						collected = true
						p.Note(int(o.param.Node.StartByte()), "collector "+o.param.Name+" became a returned array: its items are now sent only after the function returns successfully, not as they are added (MAPPING.md §8 item 14)")
					}
				}
			}
		}
	}
	if collected && !hasUsing(p.Model, "System.Collections.Generic") {
		p.Fix("Import System.Collections.Generic for the collected outputs", insertUsingLine(f, p.Model, "System.Collections.Generic"))
	}
}

func hasOutputBinding(f *cs.File, prm *cs.Param) bool {
	for _, a := range prm.Attrs {
		if r := bindings.byName[a.Name]; r != nil && direction(f, a, r) == "output" {
			return true
		}
	}
	return false
}

// outputOf plans one output binding, or says why it cannot move and what
// to do instead.
func outputOf(p *rewrite.Pass, fn *cs.Function, a *cs.Attribute, r *bindingRow) (o output, why, do string) {
	f := p.File
	p.Need(r.Package)
	refs := " (" + r.Ref + ", §4.5)"
	if a.Target == "return" && fn.ReturnType != nil {
		t := f.Text(fn.ReturnType)
		if simpleTypeName(t) == "Task" || simpleTypeName(t) == "ValueTask" {
			t = genericArg(t)
		}
		if n := typeProblem(p, r, t); n != nil {
			return output{}, n.message(t), "use " + n.Use + " (" + n.Ref + ")"
		}
	}
	if a.Param != nil {
		t := a.Param.TypeText
		if n := typeProblem(p, r, t); n != nil {
			return output{}, n.message(t), "use " + n.Use + " (" + n.Ref + ")"
		}
		switch simple := simpleTypeName(t); {
		case isCollector(t):
			elem := genericArg(t)
			if !r.Array || elem == "" {
				return output{}, t + " is not supported by the isolated worker, and [" + r.Output + "] takes one value per invocation",
					"return the value from a method or output property marked [" + r.Output + "], or use the service's SDK client (MAPPING.md §8 item 14, " + strings.TrimPrefix(r.Ref, "MAPPING.md ") + ", §4.5)"
			}
			adds, why := collectorAdds(p.Model, fn, a.Param)
			if why != "" {
				return output{}, t + " " + a.Param.Name + " " + why + "; the isolated worker has no collectors and sends outputs only after the function returns successfully, so turning it into a returned array would change when and whether items are sent",
					"use the service's SDK client registered with AddAzureClients in Program.cs, or restructure by hand into an array returned from a method or output property marked [" + r.Output + "] (MAPPING.md §8 item 14, " + strings.TrimPrefix(r.Ref, "MAPPING.md ") + ", §4.5)"
			}
			o.elem, o.adds = elem, adds
		case a.Param.Modifier != "out":
			return output{}, "[" + a.Name + "] writes through a " + simple + " parameter; isolated outputs are values returned from the function (string, byte[], a POCO or an array)",
				"return the content from a method or output property marked [" + r.Output + "], or write with the service's SDK client" + refs
		}
	}
	plan := planArgs(f, a, r, r.Output, bindingExtras(p, a, r, "output"))
	if plan.ok {
		// The attribute moves onto the method: say so there.
		reportArgProblems(p, plan, int(fn.Node.StartByte()))
	} else {
		reportArgProblems(p, plan, -1)
	}
	if !plan.ok {
		return output{}, "[" + a.Name + "]'s arguments do not fit [" + r.Output + "]", "migrate this output by hand" + refs
	}
	o.param, o.attr = a.Param, "["+r.Output+argsText(f, a, plan)+"]"
	return o, "", ""
}

// collectorAdds finds every use of collector prm in the function body. The
// collector can become a list only when each use is an Add or an awaited
// AddAsync statement of the function itself and nothing throws after an
// item is added (in-process may already have sent it; isolated would not).
func collectorAdds(m *cs.Model, fn *cs.Function, prm *cs.Param) ([]collectorAdd, string) {
	f := m.File
	if fn.Body == nil {
		return nil, "has no body to rewrite"
	}
	var adds []collectorAdd
	for _, id := range fn.BodyIdents {
		if f.Text(id) != prm.Name || !isVariableUse(m, id) {
			continue
		}
		add, why := collectorAdd{}, ""
		member := m.Parent(id)
		switch {
		case insideNestedFunction(m, id, fn.Body):
			why = "is used inside a lambda or local function"
		case member.Kind() != "member_access_expression" || member.ChildByFieldName("expression") == nil || member.ChildByFieldName("expression").Id() != id.Id():
			why = usageOf(m, id)
		default:
			add, why = addCall(m, member)
		}
		if why != "" {
			return nil, why
		}
		adds = append(adds, add)
	}
	if len(adds) > 0 && throwsAfter(m, fn.Body, adds) {
		return nil, "is added to before a throw"
	}
	return adds, ""
}

// addCall accepts c.Add(x); and await c.AddAsync(x[, token]); statements.
func addCall(m *cs.Model, member *sitter.Node) (collectorAdd, string) {
	f := m.File
	name := f.Text(member.ChildByFieldName("name"))
	call := m.Parent(member)
	if call == nil || call.Kind() != "invocation_expression" {
		return collectorAdd{}, "is used other than through Add and AddAsync"
	}
	args := callArgs(call)
	stmt := call
	switch name {
	case "Add":
		if len(args) != 1 {
			return collectorAdd{}, "calls Add with other than one argument"
		}
	case "AddAsync":
		if len(args) < 1 || len(args) > 2 {
			return collectorAdd{}, "calls AddAsync with other than an item and a cancellation token"
		}
		// await c.AddAsync(x) or await c.AddAsync(x).ConfigureAwait(false)
		if up := m.Parent(stmt); up != nil && up.Kind() == "member_access_expression" && f.Text(up.ChildByFieldName("name")) == "ConfigureAwait" &&
			m.Parent(up) != nil && m.Parent(up).Kind() == "invocation_expression" {
			stmt = m.Parent(up)
		}
		if m.Parent(stmt) == nil || m.Parent(stmt).Kind() != "await_expression" {
			return collectorAdd{}, "calls AddAsync without awaiting it"
		}
		stmt = m.Parent(stmt)
	case "FlushAsync":
		return collectorAdd{}, "is flushed explicitly (FlushAsync)"
	default:
		return collectorAdd{}, "calls " + name
	}
	if m.Parent(stmt) == nil || m.Parent(stmt).Kind() != "expression_statement" {
		return collectorAdd{}, "uses the result of " + name
	}
	item := args[0]
	if item.ChildByFieldName("name") != nil {
		// A named argument: keep only its value.
		item = item.NamedChild(item.NamedChildCount() - 1)
	}
	return collectorAdd{node: stmt, item: f.Text(item)}, ""
}

// usageOf names a use of a collector other than a member call.
func usageOf(m *cs.Model, id *sitter.Node) string {
	switch par := m.Parent(id); par.Kind() {
	case "argument":
		return "is passed to another method"
	case "assignment_expression", "equals_value_clause", "variable_declarator":
		return "is stored in another variable or field"
	case "return_statement", "arrow_expression_clause":
		return "is returned"
	}
	return "is used other than through Add and AddAsync"
}

func insideNestedFunction(m *cs.Model, n, body *sitter.Node) bool {
	for p := m.Parent(n); p != nil && p.Id() != body.Id(); p = m.Parent(p) {
		if isNestedFunction(p.Kind()) {
			return true
		}
	}
	return false
}

// throwsAfter reports whether a throw of the function itself can run after
// an item was added: it follows the first add, or shares a loop with one.
func throwsAfter(m *cs.Model, body *sitter.Node, adds []collectorAdd) bool {
	first := adds[0].node.StartByte()
	found := false
	var walk func(n *sitter.Node)
	walk = func(n *sitter.Node) {
		if found {
			return
		}
		if isNestedFunction(n.Kind()) {
			return
		}
		switch n.Kind() {
		case "throw_statement", "throw_expression":
			if n.StartByte() > first || sharesLoop(m, n, body, adds) {
				found = true
				return
			}
		}
		for i := uint(0); i < n.NamedChildCount(); i++ {
			walk(n.NamedChild(i))
		}
	}
	walk(body)
	return found
}

func sharesLoop(m *cs.Model, n, body *sitter.Node, adds []collectorAdd) bool {
	for p := m.Parent(n); p != nil && p.Id() != body.Id(); p = m.Parent(p) {
		switch p.Kind() {
		case "for_statement", "foreach_statement", "while_statement", "do_statement":
			for _, a := range adds {
				if within(a.node, p) {
					return true
				}
			}
		}
	}
	return false
}

// restructureOutputs rewrites a function whose outputs are out parameters
// or collectors, beside at most one returned value (an HTTP response or a
// [return:] output). It reports false, with findings, when it cannot.
func restructureOutputs(p *rewrite.Pass, fn *cs.Function, outs []output, ret *output, retAttr *cs.Attribute) bool {
	f := p.File
	fail := func(why, do string) bool {
		for _, o := range outs {
			p.Report(int(o.param.Node.StartByte()), true, o.describe()+" "+why, do)
		}
		return false
	}
	if fn.Body == nil || fn.Body.Kind() != "block" || fn.ReturnType == nil {
		return fail("in an expression-bodied function is not restructured",
			"give the function a block body, or return the value from an output method by hand (MAPPING.md §4.5)")
	}
	for _, name := range fn.Declarations {
		for _, o := range outs {
			if name == o.param.Name {
				return fail("shares its name with a variable declared inside the function",
					"restructure the outputs by hand (MAPPING.md §4.5)")
			}
		}
	}

	// What the function returns today: nothing, a task of nothing, or a
	// value (perhaps in a task) that becomes one more output.
	retType := f.Text(fn.ReturnType)
	wrapper, inner := "", retType
	switch s := simpleTypeName(retType); {
	case retType == "void":
		inner = ""
		if fn.Async {
			return fail("belongs to an async void function",
				"make the function return Task, then return the outputs (MAPPING.md §4.5)")
		}
	case s == "Task" || s == "ValueTask":
		if !fn.Async {
			return fail("belongs to a function that returns "+retType+" without async",
				"make the function async, or return the outputs by hand (MAPPING.md §4.5)")
		}
		wrapper, _, _ = strings.Cut(retType, "<")
		wrapper = strings.TrimSpace(wrapper)
		inner = genericArg(retType)
	}
	type prop struct{ attr, typ, name, init string }
	var value *prop
	if inner != "" {
		switch {
		case ret != nil:
			value = &prop{attr: ret.attr, typ: inner, name: "ReturnValue"}
		case isHTTPFunction(fn):
			// cs-http-message moves HttpResponseMessage to HttpResponseData.
			value = &prop{attr: "[HttpResult]", typ: httpResponseData(inner), name: "HttpResponse"}
		default:
			return fail("sits beside a returned "+inner+"; only an HTTP response or a [return:] output can share an output class with it", "decide which output the return value feeds and restructure by hand (MAPPING.md §4.5)")
		}
	}
	wrap := func(t string) string {
		if wrapper != "" {
			return wrapper + "<" + t + ">"
		}
		return t
	}

	// The parameters become locals of the same names, so the body's
	// assignments and Add calls stay as written; C# already guarantees an
	// out parameter is assigned on every path that returns.
	var edits []edit.Edit
	removed := map[int]bool{}
	items := paramNodes(fn)
	var locals []string
	for _, o := range outs {
		for i, n := range items {
			if n.Id() == o.param.Node.Id() {
				removed[i] = true
			}
		}
		locals = append(locals, o.local(f))
		for _, a := range o.adds {
			edits = append(edits, replace(a.node, o.param.Name+".Add("+a.item+")"))
		}
	}
	edits = append(edits, removeListItems(items, removed)...)
	edits = append(edits, insertFirstStatements(p.Model, fn.Body, locals))

	if value == nil && len(outs) == 1 {
		o := outs[0]
		edits = append(edits, insertMethodAttribute(f, fn, o.attr))
		edits = append(edits, replace(fn.ReturnType, wrap(o.valueType(f))))
		for _, r := range fn.Returns {
			edits = append(edits, replace(r, "return "+o.value()+";"))
		}
		if !isLastStatementExit(fn.Body) {
			edits = append(edits, insertLastStatement(p.Model, fn.Body, "return "+o.value()+";"))
		}
		p.Fix("Return the output from the method", edits...)
		return true
	}

	if fn.Class == nil {
		return fail("belongs to a function outside a class", "restructure the outputs by hand (MAPPING.md §4.5)")
	}
	className := uniqueTypeName(p.Model, outputClassName(f, fn))
	var props []prop
	used := map[string]bool{className: true}
	name := func(n string) string {
		n = freeName(used, n)
		used[n] = true
		return n
	}
	for _, o := range outs {
		props = append(props, prop{attr: o.attr, typ: o.valueType(f), name: name(pascal(o.param.Name)), init: o.value()})
	}
	if value != nil {
		value.name = name(value.name)
	}
	build := func(returned string) string {
		var inits []string
		if value != nil {
			inits = append(inits, value.name+" = "+returned)
		}
		for _, pr := range props {
			inits = append(inits, pr.name+" = "+pr.init)
		}
		return "return new " + className + " { " + strings.Join(inits, ", ") + " };"
	}
	for _, r := range fn.Returns {
		val := r.NamedChild(0)
		switch {
		case value != nil && val == nil:
			return fail("cannot move: a return without a value cannot fill the output class", "restructure the outputs by hand (MAPPING.md §4.5)")
		case value != nil:
			// Wrap the returned expression without rewriting it, so that
			// other rules may still edit inside it.
			before, after, _ := strings.Cut(build("\x00"), "\x00")
			edits = append(edits,
				edit.Edit{Start: int(r.StartByte()), End: int(val.StartByte()), New: before},
				edit.Edit{Start: int(val.EndByte()), End: int(r.EndByte()), New: after})
		default:
			edits = append(edits, replace(r, build("")))
		}
	}
	if value == nil && !isLastStatementExit(fn.Body) {
		edits = append(edits, insertLastStatement(p.Model, fn.Body, build("")))
	}
	if value != nil {
		props = append(props, *value)
	}

	indent := cs.Indent(f.Src, int(fn.Class.Node.StartByte()))
	unit := indentUnit(p.Model)
	eol := f.EOL
	var b strings.Builder
	b.WriteString(eol + eol)
	fmt.Fprintf(&b, "%spublic class %s%s%s{%s", indent, className, eol, indent, eol)
	for i, pr := range props {
		if i > 0 {
			b.WriteString(eol)
		}
		fmt.Fprintf(&b, "%s%s%s%s", indent, unit, pr.attr, eol)
		fmt.Fprintf(&b, "%s%spublic %s %s { get; set; }%s", indent, unit, pr.typ, pr.name, eol)
	}
	fmt.Fprintf(&b, "%s}", indent)
	edits = append(edits, insertAt(int(fn.Class.Node.EndByte()), b.String()))
	edits = append(edits, replace(fn.ReturnType, wrap(className)))
	if value != nil && ret != nil {
		edits = append(edits, removeLine(f, int(retAttr.List.StartByte()), int(retAttr.List.EndByte())))
	}
	p.Fix("Move the function's outputs into "+className, edits...)
	return true
}

// outputClassName names the output class after the function: function
// names are unique in an app, method names (often "Run") are not.
func outputClassName(f *cs.File, fn *cs.Function) string {
	if fn.NameAttr != nil {
		if pos := fn.NameAttr.Positional(); len(pos) > 0 && pos[0].Value != nil {
			name := strings.Trim(f.Text(pos[0].Value), `"`)
			if strings.HasPrefix(name, "nameof(") {
				name = strings.TrimSuffix(strings.TrimPrefix(name, "nameof("), ")")
			}
			if isIdentifier(name) {
				return pascal(name) + "Output"
			}
		}
	}
	if fn.Class != nil {
		return fn.Class.Name + fn.Name + "Output"
	}
	return fn.Name + "Output"
}

func isIdentifier(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		if !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || i > 0 && r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

func isHTTPFunction(fn *cs.Function) bool {
	for _, prm := range fn.Params {
		for _, a := range prm.Attrs {
			if a.Name == "HttpTrigger" {
				return true
			}
		}
	}
	return false
}

// uniqueTypeName returns name, or name with a number appended when the file
// already declares a class of that name.
func uniqueTypeName(m *cs.Model, name string) string {
	taken := func(n string) bool { _, ok := classesByName(m)[n]; return ok }
	if !taken(name) {
		return name
	}
	for i := 2; ; i++ { // as freeName numbers them
		if n := fmt.Sprintf("%s%d", name, i); !taken(n) {
			return n
		}
	}
}

// paramNodes returns the function's parameter nodes in order.
func paramNodes(fn *cs.Function) []*sitter.Node {
	var out []*sitter.Node
	for _, prm := range fn.Params {
		out = append(out, prm.Node)
	}
	return out
}

// keepHTTPResponseType moves an HttpResponseMessage result to
// HttpResponseData when the outputs beside it stay: cs-http-message leaves
// the return type of such functions to this rule.
func keepHTTPResponseType(p *rewrite.Pass, fn *cs.Function) {
	f := p.File
	if fn.ReturnType == nil || !hasRestructuredOutputs(f, fn) {
		return
	}
	for _, prm := range fn.Params {
		if isHTTPRequestMessage(prm.TypeText) && len(prm.Attrs) > 0 {
			if rt := f.Text(fn.ReturnType); strings.Contains(rt, "HttpResponseMessage") {
				p.Fix("Return HttpResponseData", replace(fn.ReturnType, httpResponseData(rt)))
			}
			return
		}
	}
}
