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
returned object; out parameters and [return:] targets are not supported. A
[return: X] output becomes the row's isolated output attribute on the
method. A single out parameter of a void function becomes the return value:
the method declares a local of the same name, and every return hands it
back. Several out parameters, or out parameters beside an HTTP result, move
into a generated output class named after the function and placed after its
class, one property per output with its output attribute and [HttpResult] on
the HTTP response; every return builds that object. Collectors (ICollector,
IAsyncCollector), stream and writer outputs, and SDK clients bound as outputs
are reported: rewriting them changes delivery timing or needs an SDK client.`,
	Ref: "MAPPING.md §4.5",
	URL: "https://learn.microsoft.com/azure/azure-functions/migrate-dotnet-to-isolated-model",
	Run: runOutputs,
}

// An output is one output binding of a function that can move.
type output struct {
	param *cs.Param // nil for [return: X]
	attr  string    // the isolated attribute with its arguments: `[QueueOutput("q")]`
}

func runOutputs(p *rewrite.Pass) {
	f := p.File
	for _, fn := range p.Model.Functions {
		var outs []output
		var ret *output
		var retList *cs.Attribute
		blocked := false
		for _, prm := range fn.Params {
			for _, a := range prm.Attrs {
				r := bindings.byName[a.Name]
				if r == nil || direction(f, a, r) != "output" {
					continue
				}
				switch o, why, do := outputOf(p, fn, a, r); {
				case why != "":
					blocked = true
					p.Report(int(prm.Node.StartByte()), true, why, do)
					keepAccount(p, a, r)
				case prm.Modifier != "out":
					blocked = true
				default:
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
			ret, retList = &o, a
		}
		switch {
		case ret != nil && len(outs) == 0 && !blocked:
			p.Fix("Move [return: "+retList.Name+"] to the method", replace(retList.List, ret.attr))
		case len(outs) == 0:
		case blocked || ret != nil:
			for _, o := range outs {
				p.Report(int(o.param.Node.StartByte()), true,
					"out parameter "+o.param.Name+" is not supported by the isolated worker and this function has outputs the tool does not restructure",
					"move every output of this function into an output class with one *Output property each (MAPPING.md §4.5)")
			}
		default:
			restructureOutputs(p, fn, outs)
		}
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
			return output{}, t + " is not supported by the isolated worker; messages are sent only when the function returns, so turning Add calls into a returned array changes delivery timing",
				"collect the values into a list and return it as an array from a method or output property marked [" + r.Output + "], or use the service's SDK client when delivery timing matters (MAPPING.md §8 item 14, " + strings.TrimPrefix(r.Ref, "MAPPING.md ") + ", §4.5)"
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
	return output{param: a.Param, attr: "[" + r.Output + argsText(f, a, plan) + "]"}, "", ""
}

// restructureOutputs rewrites a function whose outputs are out parameters.
func restructureOutputs(p *rewrite.Pass, fn *cs.Function, outs []output) {
	f := p.File
	if fn.Body == nil || fn.Body.Kind() != "block" || fn.ReturnType == nil {
		for _, o := range outs {
			p.Report(int(o.param.Node.StartByte()), true, "out parameter "+o.param.Name+" in an expression-bodied function is not restructured",
				"give the function a block body, or return the value from an output method by hand (MAPPING.md §4.5)")
		}
		return
	}
	for _, name := range fn.Declarations {
		for _, o := range outs {
			if name == o.param.Name {
				p.Report(int(o.param.Node.StartByte()), true, "out parameter "+o.param.Name+" is shadowed inside the function", "restructure the outputs by hand (MAPPING.md §4.5)")
				return
			}
		}
	}
	retType := f.Text(fn.ReturnType)
	var edits []edit.Edit
	// Each out parameter becomes a local of the same name, so the body's
	// assignments stay as written; C# already guarantees it is assigned on
	// every path that returns.
	removed := map[int]bool{}
	var items = paramNodes(fn)
	for _, o := range outs {
		for i, n := range items {
			if n.Id() == o.param.Node.Id() {
				removed[i] = true
			}
		}
	}
	edits = append(edits, removeListItems(items, removed)...)
	var locals []string
	for _, o := range outs {
		locals = append(locals, f.Text(o.param.Type)+" "+o.param.Name+";")
	}
	edits = append(edits, insertFirstStatement(f, fn.Body, strings.Join(locals, " ")))

	if retType == "void" && len(outs) == 1 {
		o := outs[0]
		edits = append(edits, insertMethodAttribute(f, fn, o.attr))
		edits = append(edits, replace(fn.ReturnType, f.Text(o.param.Type)))
		for _, r := range fn.Returns {
			edits = append(edits, replace(r, "return "+o.param.Name+";"))
		}
		if !isLastStatementExit(fn.Body) {
			edits = append(edits, insertLastStatement(f, fn.Body, "return "+o.param.Name+";"))
		}
		p.Fix("Return the output from the method", edits...)
		return
	}

	httpResult := isHTTPFunction(fn) && retType != "void"
	if retType != "void" && !httpResult {
		for _, o := range outs {
			p.Report(int(o.param.Node.StartByte()), true,
				"the function returns "+retType+" beside out parameter "+o.param.Name+"; only an HTTP response can share an output class with it",
				"decide which output the return value feeds and restructure by hand (MAPPING.md §4.5)")
		}
		return
	}
	if fn.Class == nil {
		return
	}
	className := uniqueTypeName(p.Model, outputClassName(f, fn))
	indent := cs.Indent(f.Src, int(fn.Class.Node.StartByte()))
	unit := indentUnit(f.Src)
	eol := f.EOL
	var b strings.Builder
	b.WriteString(eol + eol)
	fmt.Fprintf(&b, "%spublic class %s%s%s{%s", indent, className, eol, indent, eol)
	var inits []string
	used := map[string]bool{}
	for i, o := range outs {
		prop := pascal(o.param.Name)
		if used[prop] || prop == className {
			prop += fmt.Sprint(i + 1)
		}
		used[prop] = true
		if i > 0 {
			b.WriteString(eol)
		}
		fmt.Fprintf(&b, "%s%s%s%s", indent, unit, o.attr, eol)
		fmt.Fprintf(&b, "%s%spublic %s %s { get; set; }%s", indent, unit, f.Text(o.param.Type), prop, eol)
		inits = append(inits, prop+" = "+o.param.Name)
	}
	if httpResult {
		prop := "HttpResponse"
		if used[prop] {
			prop = "HttpResult"
		}
		fmt.Fprintf(&b, "%s%s%s[HttpResult]%s", eol, indent, unit, eol)
		fmt.Fprintf(&b, "%s%spublic %s %s { get; set; }%s", indent, unit, retType, prop, eol)
		for _, r := range fn.Returns {
			val := r.NamedChild(0)
			if val == nil {
				continue
			}
			all := append([]string{prop + " = " + f.Text(val)}, inits...)
			edits = append(edits, replace(r, "return new "+className+" { "+strings.Join(all, ", ")+" };"))
		}
	} else {
		for _, r := range fn.Returns {
			edits = append(edits, replace(r, "return new "+className+" { "+strings.Join(inits, ", ")+" };"))
		}
		if !isLastStatementExit(fn.Body) {
			edits = append(edits, insertLastStatement(f, fn.Body, "return new "+className+" { "+strings.Join(inits, ", ")+" };"))
		}
	}
	fmt.Fprintf(&b, "%s}", indent)
	edits = append(edits, insertAt(int(fn.Class.Node.EndByte()), b.String()))
	edits = append(edits, replace(fn.ReturnType, className))
	p.Fix("Move the function's outputs into "+className, edits...)
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
	taken := map[string]bool{}
	for _, c := range m.Classes {
		taken[c.Name] = true
	}
	return freeName(taken, name)
}

// paramNodes returns the function's parameter nodes in order.
func paramNodes(fn *cs.Function) []*sitter.Node {
	var out []*sitter.Node
	for _, prm := range fn.Params {
		out = append(out, prm.Node)
	}
	return out
}
