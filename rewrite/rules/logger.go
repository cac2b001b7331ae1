package rules

import (
	"fmt"
	"strings"

	sitter "github.com/tree-sitter/go-tree-sitter"

	"github.com/funcmigrate/funcmigrate/rewrite"
	"github.com/funcmigrate/funcmigrate/rewrite/cs"
	"github.com/funcmigrate/funcmigrate/rewrite/edit"
)

// Logger replaces ILogger function parameters.
var Logger = &rewrite.Rule{
	Name: "cs-logger",
	Doc: `replace ILogger parameters with an injected logger

The isolated worker does not bind ILogger as a function parameter. Where the
function class allows it, the rule follows the Learn recipe: the class stops
being static (so the worker can construct it), gains a constructor taking
ILogger of the class and a readonly field, the functions become instance
methods, and their uses of the parameter use the field. Where the class
cannot take a constructor (it already has one, is partial or generic, holds
extension methods, or a function is called from elsewhere in the file), the
function instead takes a FunctionContext (reusing an ExecutionContext
parameter if it has one) and creates the same-named logger from it as its
first statement, with the function name as the category. A logger parameter
the function never uses is simply removed. Log categories change either
way: host.json filters on Function.<name>.User no longer apply.`,
	Ref: "MAPPING.md §4.2",
	URL: "https://learn.microsoft.com/azure/azure-functions/migrate-dotnet-to-isolated-model",
	Run: runLogger,
}

func isILogger(typeText string) bool {
	t := strings.ReplaceAll(typeText, " ", "")
	return t == "ILogger" || t == "Microsoft.Extensions.Logging.ILogger"
}

func loggerParam(fn *cs.Function) *cs.Param {
	for _, prm := range fn.Params {
		if isILogger(prm.TypeText) && len(prm.Attrs) == 0 && prm.Modifier == "" {
			return prm
		}
	}
	return nil
}

func contextParam(fn *cs.Function) *cs.Param {
	for _, prm := range fn.Params {
		switch strings.ReplaceAll(prm.TypeText, " ", "") {
		case "ExecutionContext", "Microsoft.Azure.WebJobs.ExecutionContext", "FunctionContext", "Microsoft.Azure.Functions.Worker.FunctionContext":
			return prm
		}
	}
	return nil
}

func runLogger(p *rewrite.Pass) {
	byClass := map[*cs.Class][]*cs.Function{}
	var order []*cs.Class
	for _, fn := range p.Model.Functions {
		lp := loggerParam(fn)
		if lp == nil {
			continue
		}
		if !usesName(p.File, fn, lp.Name) {
			p.Fix("Remove the unused ILogger parameter", removeParam(fn.ParamList, lp.Node))
			continue
		}
		if _, ok := byClass[fn.Class]; !ok {
			order = append(order, fn.Class)
		}
		byClass[fn.Class] = append(byClass[fn.Class], fn)
	}
	for _, cls := range order {
		fns := byClass[cls]
		if cls != nil && canInject(p, cls, fns) {
			injectLogger(p, cls, fns)
			continue
		}
		for _, fn := range fns {
			loggerFromContext(p, fn)
		}
	}
}

// usesName reports whether the function body refers to the variable name.
func usesName(f *cs.File, fn *cs.Function, name string) bool {
	for _, id := range fn.BodyIdents {
		if f.Text(id) == name && isVariableUse(f, id) {
			return true
		}
	}
	return false
}

// canInject reports whether the class can take a logger constructor.
func canInject(p *rewrite.Pass, cls *cs.Class, fns []*cs.Function) bool {
	if cls.HasCtor || cls.Partial || cls.Generic || cls.HasExtMeth || cls.Name == "" || cls.Body == nil {
		return false
	}
	if cs.LineStart(p.File.Src, int(cls.Body.StartByte())) == cs.LineStart(p.File.Src, int(cls.Body.EndByte())-1) {
		return false // a one-line class body: no room to lay out a constructor
	}
	for _, fn := range fns {
		if fn.Body == nil {
			return false
		}
		lp := loggerParam(fn)
		for _, d := range fn.Declarations {
			if d == lp.Name {
				return false
			}
		}
		// A static function called from elsewhere in the file would break
		// once it becomes an instance method.
		if fn.Static && calledInFile(p, fn) {
			return false
		}
	}
	return true
}

func calledInFile(p *rewrite.Pass, fn *cs.Function) bool {
	for _, id := range p.Model.Idents {
		if p.File.Text(id) != fn.Name {
			continue
		}
		if par := id.Parent(); par != nil {
			switch par.Kind() {
			case "invocation_expression", "member_access_expression":
				return true
			}
		}
	}
	return false
}

func freeMemberName(cls *cs.Class, names ...string) string {
	return freeName(setOf(cls.Members), names...)
}

func injectLogger(p *rewrite.Pass, cls *cs.Class, fns []*cs.Function) {
	f := p.File
	field := freeMemberName(cls, "_logger", "_functionLogger")
	loggerType := loggerParam(fns[0]).TypeText + "<" + cls.Name + ">"
	var edits []edit.Edit
	if cls.Static {
		for _, m := range cls.Modifiers {
			if f.Text(m) == "static" {
				edits = append(edits, removeModifier(f.Src, m))
			}
		}
	}
	for _, fn := range fns {
		lp := loggerParam(fn)
		if fn.Static {
			for _, m := range fn.Modifiers {
				if f.Text(m) == "static" {
					edits = append(edits, removeModifier(f.Src, m))
				}
			}
		}
		edits = append(edits, removeParam(fn.ParamList, lp.Node))
		for _, id := range fn.BodyIdents {
			if f.Text(id) == lp.Name && isVariableUse(f, id) {
				edits = append(edits, replace(id, field))
			}
		}
	}
	// Field and constructor go first in the class body, in its indentation.
	open := int(cls.Body.StartByte())
	classIndent := cs.Indent(f.Src, int(cls.Node.StartByte()))
	memberIndent := classIndent + indentUnit(f.Src)
	if cls.Body.NamedChildCount() > 0 {
		first := int(cls.Body.NamedChild(0).StartByte())
		if cs.OnlyWhitespaceBefore(f.Src, first) {
			memberIndent = cs.Indent(f.Src, first)
		}
	}
	unit := strings.TrimPrefix(memberIndent, classIndent)
	if unit == "" || unit == memberIndent && classIndent != "" {
		unit = indentUnit(f.Src)
	}
	eol := f.EOL
	var b strings.Builder
	fmt.Fprintf(&b, "%sprivate readonly %s %s;%s%s", memberIndent, loggerType, field, eol, eol)
	fmt.Fprintf(&b, "%spublic %s(%s logger)%s", memberIndent, cls.Name, loggerType, eol)
	fmt.Fprintf(&b, "%s{%s%s%s%s = logger;%s%s}%s", memberIndent, eol, memberIndent, unit, field, eol, memberIndent, eol)
	if cls.Body.NamedChildCount() > 0 {
		b.WriteString(eol)
	}
	at := cs.LineEnd(f.Src, open)
	edits = append(edits, insertAt(at, b.String()))
	p.Fix("Inject ILogger<"+cls.Name+"> through a constructor", edits...)
}

// isVariableUse reports whether identifier id refers to a variable, not to a
// member name (x.log), a named argument label (log: x) or an initializer
// member (new T { log = x }).
func isVariableUse(f *cs.File, id *sitter.Node) bool {
	par := id.Parent()
	if par == nil {
		return false
	}
	switch par.Kind() {
	case "member_access_expression", "member_binding_expression", "qualified_name":
		if n := par.ChildByFieldName("name"); n != nil && n.Id() == id.Id() {
			return false
		}
	case "argument", "name_colon":
		if n := par.ChildByFieldName("name"); n != nil && n.Id() == id.Id() {
			return false
		}
	case "assignment_expression":
		if gp := par.Parent(); gp != nil && (gp.Kind() == "initializer_expression") {
			if l := par.ChildByFieldName("left"); l != nil && l.Id() == id.Id() {
				return false
			}
		}
	}
	return true
}

// loggerFromContext is the fallback: a FunctionContext parameter and a
// local logger created from it.
func loggerFromContext(p *rewrite.Pass, fn *cs.Function) {
	f := p.File
	lp := loggerParam(fn)
	if fn.Body == nil || fn.Body.Kind() != "block" {
		p.Report(int(lp.Node.StartByte()), true,
			"ILogger parameter "+lp.Name+" of an expression-bodied function is not bound by the isolated worker",
			"give the function a block body and create the logger from a FunctionContext parameter (MAPPING.md §4.2)")
		return
	}
	var edits []edit.Edit
	ctxName := ""
	if cp := contextParam(fn); cp != nil {
		ctxName = cp.Name
		edits = append(edits, removeParam(fn.ParamList, lp.Node))
	} else {
		ctxName = freeLocalName(fn, "executionContext", "functionContext")
		edits = append(edits, replace(lp.Node, "FunctionContext "+ctxName))
	}
	category := `"` + fn.Name + `"`
	if fn.NameAttr != nil {
		if pos := fn.NameAttr.Positional(); len(pos) > 0 && pos[0].Value != nil {
			category = f.Text(pos[0].Value)
		}
	}
	edits = append(edits, insertFirstStatement(f, fn.Body, lp.TypeText+" "+lp.Name+" = "+ctxName+".GetLogger("+category+");"))
	p.Fix("Create the logger from FunctionContext", edits...)
}

func freeLocalName(fn *cs.Function, names ...string) string {
	taken := setOf(fn.Declarations)
	for _, prm := range fn.Params {
		taken[prm.Name] = true
	}
	return freeName(taken, names...)
}
