package rules

import (
	"fmt"
	"slices"
	"strings"

	sitter "github.com/tree-sitter/go-tree-sitter"

	"github.com/funcmigrate/funcmigrate/rewrite"
	"github.com/funcmigrate/funcmigrate/rewrite/cs"
	"github.com/funcmigrate/funcmigrate/rewrite/edit"
)

// Logger replaces ILogger and TraceWriter function parameters.
var Logger = &rewrite.Rule{
	Name: "cs-logger",
	Doc: `replace ILogger and TraceWriter parameters with an injected logger

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
way: host.json filters on Function.<name>.User no longer apply.

The Functions v1 TraceWriter has no isolated equivalent either, so it takes
the same path, and its calls become the ILogger extension methods at the
level the v2 host logged them at: Info, Warning and Error keep their level,
Error(message, ex) becomes LogError(ex, message), and Verbose becomes
LogDebug. The source argument is dropped, as the v2 host dropped it. A
TraceWriter used any other way (passed to a helper, stored, Trace or Level)
is not rewritten at all: each such use is reported, and the parameter is
left to the leftover report.`,
	Ref: "MAPPING.md §4.2",
	URL: "https://learn.microsoft.com/azure/azure-functions/migrate-dotnet-to-isolated-model",
	Run: runLogger,
}

// loggingNamespace holds ILogger and the LogInformation… extension methods
// that rewritten TraceWriter calls need.
const loggingNamespace = "Microsoft.Extensions.Logging"

func isILogger(typeText string) bool {
	t := strings.ReplaceAll(typeText, " ", "")
	return t == "ILogger" || t == "Microsoft.Extensions.Logging.ILogger"
}

func isTraceWriter(typeText string) bool {
	t := strings.ReplaceAll(typeText, " ", "")
	return t == "TraceWriter" || t == "Microsoft.Azure.WebJobs.Host.TraceWriter"
}

// loggerParam returns the function's ILogger or TraceWriter parameter.
func loggerParam(fn *cs.Function) *cs.Param {
	for _, prm := range fn.Params {
		if (isILogger(prm.TypeText) || isTraceWriter(prm.TypeText)) && len(prm.Attrs) == 0 && prm.Modifier == "" {
			return prm
		}
	}
	return nil
}

// paramKind names the parameter's type in messages.
func paramKind(prm *cs.Param) string {
	if isTraceWriter(prm.TypeText) {
		return "TraceWriter"
	}
	return "ILogger"
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
	traceWriters := false
	for _, fn := range p.Model.Functions {
		lp := loggerParam(fn)
		if lp == nil || isOrchestrator(fn) {
			continue // an orchestrator's logger is cs-durable-orchestrator's
		}
		if !usesName(p.Model, fn, lp.Name) {
			p.Fix("Remove the unused "+paramKind(lp)+" parameter", removeParam(fn.ParamList, lp.Node))
			continue
		}
		if isTraceWriter(lp.TypeText) {
			_, blockers := traceWriterUses(p.Model, fn, lp)
			for _, b := range blockers {
				p.Report(b.off, true,
					"TraceWriter "+lp.Name+" "+b.what+", so the function's TraceWriter is not rewritten",
					"move this function's logging to ILogger by hand: "+traceWriterCalls+" (MAPPING.md §4.2)")
			}
			if len(blockers) > 0 {
				continue
			}
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
			for _, fn := range fns {
				traceWriters = traceWriters || isTraceWriter(loggerParam(fn).TypeText)
			}
			continue
		}
		for _, fn := range fns {
			if loggerFromContext(p, fn) {
				traceWriters = traceWriters || isTraceWriter(loggerParam(fn).TypeText)
			}
		}
	}
	// Rewritten TraceWriter calls are ILogger extension methods, and an
	// injected or local ILogger may be written unqualified.
	if traceWriters && !hasUsing(p.Model, loggingNamespace) {
		p.Fix("Import "+loggingNamespace, insertUsingLine(p.File, p.Model, loggingNamespace))
	}
}

// usesName reports whether the function body refers to the variable name.
func usesName(m *cs.Model, fn *cs.Function, name string) bool {
	f := m.File
	for _, id := range fn.BodyIdents {
		if f.Text(id) == name && isVariableUse(m, id) {
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
	for _, id := range p.Model.Named(fn.Name) {
		if par := p.Model.Parent(id.Node); par != nil {
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
	loggerType := "ILogger<" + cls.Name + ">"
	for _, fn := range fns {
		if lp := loggerParam(fn); isILogger(lp.TypeText) {
			loggerType = lp.TypeText + "<" + cls.Name + ">"
			break
		}
	}
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
			if f.Text(id) == lp.Name && isVariableUse(p.Model, id) {
				edits = append(edits, replace(id, field))
			}
		}
		edits = append(edits, traceWriterCallEdits(p.Model, fn, lp)...)
	}
	// Field and constructor go first in the class body, in its indentation.
	open := int(cls.Body.StartByte())
	classIndent := cs.Indent(f.Src, int(cls.Node.StartByte()))
	memberIndent := classIndent + indentUnit(p.Model)
	if cls.Body.NamedChildCount() > 0 {
		first := int(cls.Body.NamedChild(0).StartByte())
		if cs.OnlyWhitespaceBefore(f.Src, first) {
			memberIndent = cs.Indent(f.Src, first)
		}
	}
	unit := strings.TrimPrefix(memberIndent, classIndent)
	if unit == "" || unit == memberIndent && classIndent != "" {
		unit = indentUnit(p.Model)
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
	p.Fix("Inject "+strings.TrimPrefix(loggerType, loggingNamespace+".")+" through a constructor", edits...)
}

// isVariableUse reports whether identifier id refers to a variable, not to a
// member name (x.log), a named argument label (log: x) or an initializer
// member (new T { log = x }).
func isVariableUse(m *cs.Model, id *sitter.Node) bool {
	par := m.Parent(id)
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
		if gp := m.Parent(par); gp != nil && (gp.Kind() == "initializer_expression") {
			if l := par.ChildByFieldName("left"); l != nil && l.Id() == id.Id() {
				return false
			}
		}
	}
	return true
}

// loggerFromContext is the fallback: a FunctionContext parameter and a
// local logger created from it. It returns whether it proposed a fix.
func loggerFromContext(p *rewrite.Pass, fn *cs.Function) bool {
	f := p.File
	lp := loggerParam(fn)
	if fn.Body == nil || fn.Body.Kind() != "block" {
		p.Report(int(lp.Node.StartByte()), true,
			paramKind(lp)+" parameter "+lp.Name+" of an expression-bodied function is not bound by the isolated worker",
			"give the function a block body and create the logger from a FunctionContext parameter (MAPPING.md §4.2)")
		return false
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
	loggerType := lp.TypeText
	if isTraceWriter(loggerType) {
		loggerType = "ILogger"
	}
	edits = append(edits, insertFirstStatement(p.Model, fn.Body, loggerType+" "+lp.Name+" = "+ctxName+".GetLogger("+category+");"))
	edits = append(edits, traceWriterCallEdits(p.Model, fn, lp)...)
	p.Fix("Create the logger from FunctionContext", edits...)
	return true
}

func freeLocalName(fn *cs.Function, names ...string) string {
	taken := setOf(fn.Declarations)
	for _, prm := range fn.Params {
		taken[prm.Name] = true
	}
	return freeName(taken, names...)
}

// traceWriterMethods maps the TraceWriter methods this rule rewrites to the
// ILogger extension method at the level the v2 host logged them at
// (LoggerTraceWriter.GetLogLevel in azure-webjobs-sdk: Verbose is Debug).
var traceWriterMethods = map[string]string{
	"Info":    "LogInformation",
	"Warning": "LogWarning",
	"Error":   "LogError",
	"Verbose": "LogDebug",
}

// traceWriterCalls is the mapping as advice for findings.
const traceWriterCalls = "Info→LogInformation, Warning→LogWarning, Error(message, ex)→LogError(ex, message), Verbose→LogDebug"

// A traceCall is log.Info(…), log.Warning(…), log.Error(…) or
// log.Verbose(…) on the TraceWriter parameter, with its arguments sorted
// into TraceWriter's parameters: message, ex (Error only) and source.
type traceCall struct {
	name         *sitter.Node   // Info, Warning, Error or Verbose
	args         []*sitter.Node // argument nodes as written
	msg, ex, src int            // indexes into args, -1 when absent
}

// A traceBlocker is a use of the TraceWriter parameter the rule cannot
// rewrite; what completes "TraceWriter log …".
type traceBlocker struct {
	off  int
	what string
}

// traceWriterUses sorts the body's uses of TraceWriter parameter lp into
// rewritable calls and blockers. Any blocker means the function's
// TraceWriter is left alone, so no function is ever half rewritten; the
// leftover rule relies on this to know which parameters this rule handles.
func traceWriterUses(m *cs.Model, fn *cs.Function, lp *cs.Param) (calls []traceCall, blockers []traceBlocker) {
	f := m.File
	if off := redeclaration(m, fn, lp.Name); off >= 0 {
		// Some uses of the name may be another variable.
		return nil, []traceBlocker{{off, "shares its name with a variable declared here"}}
	}
	var receivers []*sitter.Node // of calls
	for _, id := range fn.BodyIdents {
		if f.Text(id) != lp.Name || !isVariableUse(m, id) {
			continue
		}
		switch c, ok := traceWriterCall(m, id); {
		case ok:
			calls = append(calls, c)
			receivers = append(receivers, id)
		case c.name != nil:
			blockers = append(blockers, traceBlocker{int(id.StartByte()), "calls " + f.Text(c.name) + " with arguments this version does not map"})
		default:
			blockers = append(blockers, traceBlocker{int(id.StartByte()), describeUse(m, id)})
		}
	}
	// The exception argument moves and the source argument goes: a call
	// inside either would be edited twice.
	for _, c := range calls {
		for _, i := range []int{c.ex, c.src} {
			if i < 0 {
				continue
			}
			for _, id := range receivers {
				if within(id, c.args[i]) {
					blockers = append(blockers, traceBlocker{int(id.StartByte()), "is used inside the exception or source argument of " + f.Text(c.name)})
				}
			}
		}
	}
	return calls, blockers
}

// redeclaration returns the offset where the function body declares name
// again (a local, parameter or local function, a lambda's implicit
// parameter, a foreach or catch variable, an out var, a pattern or tuple
// variable, a query range variable), or -1.
func redeclaration(m *cs.Model, fn *cs.Function, name string) int {
	f := m.File
	for _, id := range fn.BodyIdents {
		par := m.Parent(id)
		if f.Text(id) != name || par == nil {
			continue
		}
		field := "name"
		switch par.Kind() {
		case "foreach_statement":
			field = "left"
		case "variable_declarator", "parameter", "local_function_statement",
			"catch_declaration", "declaration_expression", "declaration_pattern", "tuple_pattern",
			"from_clause", "let_clause", "join_clause", "join_into_clause", "query_continuation":
		default:
			continue
		}
		if n := par.ChildByFieldName(field); n != nil && n.Id() == id.Id() {
			return int(id.StartByte())
		}
	}
	var implicit func(n *sitter.Node) int
	implicit = func(n *sitter.Node) int {
		if n.Kind() == "implicit_parameter" && f.Text(n) == name {
			return int(n.StartByte())
		}
		for i := uint(0); i < n.NamedChildCount(); i++ {
			if off := implicit(n.NamedChild(i)); off >= 0 {
				return off
			}
		}
		return -1
	}
	if fn.Body == nil {
		return -1
	}
	return implicit(fn.Body)
}

// traceWriterCall matches id as the receiver of a TraceWriter call this rule
// maps. When the method matches but the arguments do not, it returns the
// call with ok false.
func traceWriterCall(m *cs.Model, id *sitter.Node) (c traceCall, ok bool) {
	f := m.File
	ma := m.Parent(id)
	if ma == nil || ma.Kind() != "member_access_expression" {
		return c, false
	}
	if e := ma.ChildByFieldName("expression"); e == nil || e.Id() != id.Id() {
		return c, false
	}
	name := ma.ChildByFieldName("name")
	inv := m.Parent(ma)
	if name == nil || name.Kind() != "identifier" || inv == nil || inv.Kind() != "invocation_expression" {
		return c, false
	}
	if fnNode := inv.ChildByFieldName("function"); fnNode == nil || fnNode.Id() != ma.Id() {
		return c, false
	}
	method := f.Text(name)
	if _, mapped := traceWriterMethods[method]; !mapped {
		return c, false
	}
	c = traceCall{name: name, msg: -1, ex: -1, src: -1}
	list := inv.ChildByFieldName("arguments")
	if list == nil {
		return c, false
	}
	params := []string{"message", "source"}
	if method == "Error" {
		params = []string{"message", "ex", "source"}
	}
	slots := map[string]int{}
	for i := uint(0); i < list.NamedChildCount(); i++ {
		arg := list.NamedChild(i)
		if arg.Kind() != "argument" {
			return c, false
		}
		pos := len(c.args)
		c.args = append(c.args, arg)
		if argExpr(arg) == nil {
			return c, false
		}
		param := ""
		if n := arg.ChildByFieldName("name"); n != nil {
			param = f.Text(n)
		} else if pos < len(params) {
			param = params[pos]
		}
		if _, dup := slots[param]; dup || param == "" || !slices.Contains(params, param) {
			return c, false
		}
		slots[param] = pos
	}
	i, hasMsg := slots["message"]
	if !hasMsg {
		return c, false
	}
	c.msg = i
	if i, has := slots["ex"]; has {
		c.ex = i
	}
	if i, has := slots["source"]; has {
		c.src = i
	}
	return c, true
}

// argExpr returns an argument's expression: its last named child that is
// not the name label.
func argExpr(arg *sitter.Node) *sitter.Node {
	name := arg.ChildByFieldName("name")
	for i := int(arg.NamedChildCount()) - 1; i >= 0; i-- {
		ch := arg.NamedChild(uint(i))
		if name == nil || ch.Id() != name.Id() {
			return ch
		}
	}
	return nil
}

// describeUse says how id is used, to complete "TraceWriter log …".
func describeUse(m *cs.Model, id *sitter.Node) string {
	f := m.File
	par := m.Parent(id)
	switch par.Kind() {
	case "member_access_expression":
		if name := par.ChildByFieldName("name"); name != nil {
			if gp := m.Parent(par); gp != nil && gp.Kind() == "invocation_expression" {
				return "calls " + f.Text(name) + ", which this version does not map to ILogger"
			}
			if _, mapped := traceWriterMethods[f.Text(name)]; mapped {
				return "hands out its " + f.Text(name) + " method as a delegate"
			}
			return "uses its member " + f.Text(name)
		}
	case "argument":
		if list := m.Parent(par); list != nil {
			if call := m.Parent(list); call != nil {
				switch call.Kind() {
				case "invocation_expression":
					if callee := call.ChildByFieldName("function"); callee != nil {
						return "is passed to " + oneLineText(f, callee)
					}
				case "object_creation_expression":
					if t := call.ChildByFieldName("type"); t != nil {
						return "is passed to new " + oneLineText(f, t)
					}
				}
			}
		}
		return "is passed as an argument"
	case "assignment_expression":
		if r := par.ChildByFieldName("right"); r != nil && r.Id() == id.Id() {
			if l := par.ChildByFieldName("left"); l != nil {
				return "is stored in " + oneLineText(f, l)
			}
		}
	case "variable_declarator":
		if n := par.ChildByFieldName("name"); n != nil {
			return "is stored in " + f.Text(n)
		}
	case "conditional_access_expression":
		return "is used with ?."
	}
	return "is used other than through Info, Warning, Error and Verbose calls"
}

func oneLineText(f *cs.File, n *sitter.Node) string {
	return strings.Join(strings.Fields(f.Text(n)), " ")
}

// traceWriterCallEdits rewrites the TraceWriter calls of a function whose
// parameter lp has no blockers: the method becomes the ILogger extension,
// the source argument and a null exception go, a kept exception moves in
// front of the message, and argument labels go since ILogger's differ.
// The message itself is never touched, so rules rewriting inside it (an
// ExecutionContext member, say) do not conflict with this one.
func traceWriterCallEdits(m *cs.Model, fn *cs.Function, lp *cs.Param) []edit.Edit {
	f := m.File
	if !isTraceWriter(lp.TypeText) {
		return nil
	}
	calls, blockers := traceWriterUses(m, fn, lp)
	if len(blockers) > 0 {
		panic("rules: traceWriterCallEdits called on a function with TraceWriter blockers")
	}
	var edits []edit.Edit
	for _, c := range calls {
		edits = append(edits, replace(c.name, traceWriterMethods[f.Text(c.name)]))
		drop := map[int]bool{}
		if c.src >= 0 {
			drop[c.src] = true
		}
		exText := ""
		if c.ex >= 0 {
			if e := argExpr(c.args[c.ex]); e.Kind() == "null_literal" {
				drop[c.ex] = true
			} else if c.ex > c.msg {
				drop[c.ex] = true
				exText = f.Text(e) + ", "
			}
		}
		for i, arg := range c.args {
			if drop[i] {
				continue
			}
			at := int(arg.StartByte())
			labelEnd := at
			if arg.ChildByFieldName("name") != nil {
				labelEnd = int(argExpr(arg).StartByte())
			}
			if i == c.msg && exText != "" {
				edits = append(edits, edit.Edit{Start: at, End: labelEnd, New: exText})
			} else if labelEnd > at {
				edits = append(edits, edit.Edit{Start: at, End: labelEnd})
			}
		}
		edits = append(edits, removeListItems(c.args, drop)...)
	}
	return edits
}
