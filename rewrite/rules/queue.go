package rules

import (
	"fmt"
	"strings"

	"github.com/funcmigrate/funcmigrate/rewrite"
	"github.com/funcmigrate/funcmigrate/rewrite/cs"
	"github.com/funcmigrate/funcmigrate/rewrite/edit"
)

const queuesPackage = "Microsoft.Azure.Functions.Worker.Extensions.Storage.Queues"

// QueueTrigger migrates [QueueTrigger] functions.
var QueueTrigger = &rewrite.Rule{
	Name: "cs-queue-trigger",
	Doc: `migrate queue triggers

The isolated QueueTrigger has the same constructor and Connection property,
so the attribute stays as written and the using swap moves it to the worker
namespace. Message types from the old storage SDK (CloudQueueMessage) are
reported: the isolated trigger binds string, byte[], BinaryData, POCOs or
Azure.Storage.Queues.Models.QueueMessage. So are Newtonsoft JObject and
dynamic payloads, which the worker's System.Text.Json binding treats
differently. The project gains the Storage.Queues extension package.`,
	Ref: "MAPPING.md §3.4",
	URL: "https://learn.microsoft.com/azure/azure-functions/functions-bindings-storage-queue-trigger",
	Run: func(p *rewrite.Pass) {
		for _, a := range p.Model.Attributes {
			if a.Name != "QueueTrigger" || a.Param == nil {
				continue
			}
			p.Need(queuesPackage)
			switch t := simpleTypeName(a.Param.TypeText); t {
			case "CloudQueueMessage":
				p.Report(int(a.Param.Node.StartByte()), true,
					"CloudQueueMessage comes from the retired storage SDK and is not bindable in the isolated worker",
					"bind Azure.Storage.Queues.Models.QueueMessage (or string/POCO) and update the member uses (MAPPING.md §4.6)")
			case "JObject", "JToken", "JArray", "dynamic":
				p.Report(int(a.Param.Node.StartByte()), true,
					"the message binds to Newtonsoft "+t+"; the isolated worker deserializes with System.Text.Json",
					"bind string and parse it with Newtonsoft yourself, bind a POCO, or set WorkerOptions.Serializer to a Newtonsoft serializer in Program.cs (MAPPING.md §4.9)")
			}
		}
	},
}

// QueueOutput migrates [Queue] output bindings.
var QueueOutput = &rewrite.Rule{
	Name: "cs-queue-output",
	Doc: `move queue outputs to [QueueOutput] return values

Isolated output attributes may only sit on a method or on a property of a
returned object; out parameters and [return:] targets are not supported. A
[return: Queue] attribute becomes a [QueueOutput] on the method. A single
out parameter of a void function becomes the return value: the method
declares a local of the same name, and every return hands it back. Out
parameters beside an HTTP result move into a generated output class named
after the method, placed after the function's class, with [HttpResult] on the
HTTP response property; every return builds that object. Collectors
(ICollector, IAsyncCollector) and client types bound with [Queue] are
reported: rewriting them changes delivery timing or needs an SDK client.`,
	Ref: "MAPPING.md §4.5",
	URL: "https://learn.microsoft.com/azure/azure-functions/migrate-dotnet-to-isolated-model",
	Run: runQueueOutput,
}

func runQueueOutput(p *rewrite.Pass) {
	for _, fn := range p.Model.Functions {
		var outs []*cs.Param
		unsupported := false
		for _, prm := range fn.Params {
			qa := queueAttr(prm.Attrs)
			if qa == nil {
				if prm.Modifier == "out" {
					unsupported = true // an out parameter of another binding: issue for a later rule
				}
				continue
			}
			p.Need(queuesPackage)
			t := simpleTypeName(prm.TypeText)
			switch {
			case t == "ICollector" || t == "IAsyncCollector":
				p.Report(int(prm.Node.StartByte()), true,
					prm.TypeText+" is not supported by the isolated worker; messages are sent only when the function returns, so turning Add calls into a returned array changes delivery timing",
					"collect the messages into a list and return them as an array from a [QueueOutput] method or output property, or inject QueueServiceClient (MAPPING.md §4.5, §8 item 14)")
				unsupported = true
			case t == "CloudQueue" || t == "QueueClient":
				p.Report(int(prm.Node.StartByte()), true,
					"a "+t+" parameter bound with [Queue] is a client, not an output binding, and is not supported by the isolated worker",
					"register QueueServiceClient with AddAzureClients in Program.cs and inject it (MAPPING.md §3.4)")
				unsupported = true
			case prm.Modifier != "out":
				p.Report(int(prm.Node.StartByte()), true,
					"[Queue] on a "+prm.TypeText+" parameter has no isolated equivalent",
					"return the message from a [QueueOutput] method or output property instead (MAPPING.md §4.5)")
				unsupported = true
			case t == "CloudQueueMessage":
				p.Report(int(prm.Node.StartByte()), true,
					"CloudQueueMessage comes from the retired storage SDK; the isolated queue output takes string, byte[] or a POCO",
					"return the message text or a POCO instead (MAPPING.md §4.6)")
				unsupported = true
			default:
				outs = append(outs, prm)
			}
		}
		var retAttr *cs.Attribute
		for _, a := range fn.MethodAttrs {
			if a.Target == "return" && a.Name == "Queue" {
				retAttr = a
				p.Need(queuesPackage)
			}
		}
		switch {
		case retAttr != nil && len(outs) == 0:
			// [return: Queue(...)] → [QueueOutput(...)] on the method.
			args := ""
			if retAttr.ArgList != nil {
				args = p.File.Text(retAttr.ArgList)
			}
			p.Fix("Move [return: Queue] to a [QueueOutput] method attribute", replace(retAttr.List, "[QueueOutput"+args+"]"))
		case len(outs) == 0:
		case unsupported || retAttr != nil:
			for _, o := range outs {
				p.Report(int(o.Node.StartByte()), true,
					"out parameter "+o.Name+" is not supported by the isolated worker and this function has other outputs the tool does not restructure",
					"move every output of this function into an output class with one [*Output] property each (MAPPING.md §4.5)")
			}
		default:
			restructureOutputs(p, fn, outs)
		}
	}
}

func queueAttr(attrs []*cs.Attribute) *cs.Attribute {
	for _, a := range attrs {
		if a.Name == "Queue" {
			return a
		}
	}
	return nil
}

// restructureOutputs rewrites a function whose outputs are out parameters.
func restructureOutputs(p *rewrite.Pass, fn *cs.Function, outs []*cs.Param) {
	f := p.File
	if fn.Body == nil || fn.Body.Kind() != "block" || fn.ReturnType == nil {
		for _, o := range outs {
			p.Report(int(o.Node.StartByte()), true, "out parameter "+o.Name+" in an expression-bodied function is not restructured",
				"give the function a block body, or return the value from a [QueueOutput] method by hand (MAPPING.md §4.5)")
		}
		return
	}
	for _, name := range fn.Declarations {
		for _, o := range outs {
			if name == o.Name {
				p.Report(int(o.Node.StartByte()), true, "out parameter "+o.Name+" is shadowed inside the function", "restructure the outputs by hand (MAPPING.md §4.5)")
				return
			}
		}
	}
	retType := f.Text(fn.ReturnType)
	var edits []edit.Edit
	// Each out parameter becomes a local of the same name, so the body's
	// assignments stay as written; C# already guarantees it is assigned on
	// every path that returns.
	for _, o := range outs {
		edits = append(edits, removeParam(fn.ParamList, o.Node))
	}
	var locals []string
	for _, o := range outs {
		locals = append(locals, f.Text(o.Type)+" "+o.Name+";")
	}
	edits = append(edits, insertFirstStatement(f, fn.Body, strings.Join(locals, " ")))

	if retType == "void" && len(outs) == 1 {
		o := outs[0]
		qa := queueAttr(o.Attrs)
		edits = append(edits, insertMethodAttribute(f, fn, "[QueueOutput"+argText(f, qa)+"]"))
		edits = append(edits, replace(fn.ReturnType, f.Text(o.Type)))
		for _, r := range fn.Returns {
			edits = append(edits, replace(r, "return "+o.Name+";"))
		}
		if !isLastStatementExit(fn.Body) {
			edits = append(edits, insertLastStatement(f, fn.Body, "return "+o.Name+";"))
		}
		p.Fix("Return the queue message from a [QueueOutput] method", edits...)
		return
	}

	httpResult := isHTTPFunction(fn) && retType != "void"
	if retType != "void" && !httpResult {
		for _, o := range outs {
			p.Report(int(o.Node.StartByte()), true,
				"the function returns "+retType+" beside out parameter "+o.Name+"; only an HTTP response can share an output class with it",
				"decide which output the return value feeds and restructure by hand (MAPPING.md §4.5)")
		}
		return
	}
	if fn.Class == nil {
		return
	}
	className := uniqueTypeName(p.Model, outputClassName(p.File, fn))
	indent := cs.Indent(f.Src, int(fn.Class.Node.StartByte()))
	unit := indentUnit(f.Src)
	eol := f.EOL
	var b strings.Builder
	b.WriteString(eol + eol)
	fmt.Fprintf(&b, "%spublic class %s%s%s{%s", indent, className, eol, indent, eol)
	var inits []string
	used := map[string]bool{}
	for i, o := range outs {
		prop := pascal(o.Name)
		if used[prop] || prop == className {
			prop += fmt.Sprint(i + 1)
		}
		used[prop] = true
		if i > 0 {
			b.WriteString(eol)
		}
		fmt.Fprintf(&b, "%s%s[QueueOutput%s]%s", indent, unit, argText(f, queueAttr(o.Attrs)), eol)
		fmt.Fprintf(&b, "%s%spublic %s %s { get; set; }%s", indent, unit, f.Text(o.Type), prop, eol)
		inits = append(inits, prop+" = "+o.Name)
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
	classEnd := int(fn.Class.Node.EndByte())
	edits = append(edits, insertAt(classEnd, b.String()))
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

func argText(f *cs.File, a *cs.Attribute) string {
	if a == nil || a.ArgList == nil {
		return ""
	}
	return f.Text(a.ArgList)
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
	for i := 2; taken[name]; i++ {
		name = fmt.Sprintf("%s%d", strings.TrimRight(name, "0123456789"), i)
	}
	return name
}
