package rules

import (
	"cmp"
	"slices"
	"sort"
	"strings"

	sitter "github.com/tree-sitter/go-tree-sitter"

	"github.com/funcmigrate/funcmigrate/rewrite"
	"github.com/funcmigrate/funcmigrate/rewrite/cs"
	"github.com/funcmigrate/funcmigrate/rewrite/edit"
)

// DurableOrchestrator moves orchestrator code to TaskOrchestrationContext.
var DurableOrchestrator = &rewrite.Rule{
	Name: "cs-durable-orchestrator",
	Doc: `migrate Durable Functions orchestrators to TaskOrchestrationContext

Every variable declared as IDurableOrchestrationContext (or the Durable 1.x
DurableOrchestrationContext and DurableOrchestrationContextBase) becomes a
TaskOrchestrationContext, and the calls made on it follow MAPPING.md §7.2.
Calls with the same shape stay as written. CallActivityWithRetryAsync and
CallSubOrchestratorWithRetryAsync become CallActivityAsync and
CallSubOrchestratorAsync with the input before the options, and the
RetryOptions they use become RetryPolicy, whose constructor takes the
attempts first. A sub-orchestration's instance id moves into
SubOrchestrationOptions. ParentInstanceId becomes Parent?.InstanceId.
ContinueAsNew gets preserveUnprocessedEvents: false, because the isolated
default keeps unprocessed events where the in-process one dropped them.
Entity calls go through context.Entities: SignalEntity becomes an awaited
SignalEntityAsync, LockAsync an await using of LockEntitiesAsync and IsLocked
InCriticalSection. A catch of TimeoutException around a WaitForExternalEvent
with a timeout catches TaskCanceledException, which the isolated overload
throws instead, and FunctionFailedException becomes TaskFailedException.

An orchestrator has no injected logger: its ILogger parameter is removed and
CreateReplaySafeLogger(log) creates the logger from the context with the
function name as category; a logger used directly becomes a replay-safe
local of the same name, which no longer repeats its entries on replay.

Reported instead: SetOutput, CreateEntityProxy, StartNewOrchestration, the
WaitForExternalEvent overload with a default value, RetryOptions.Handle (the
isolated HandleFailure sees TaskFailureDetails, not the exception), retry
options changed after they are created, a generic CreateTimer whose state is
read, InnerException of a caught failure, Durable HTTP managed-identity
token sources, and any other member of the context. Replay and payload
compatibility of in-flight instances is noted once per file.`,
	Ref: "MAPPING.md §7.2",
	URL: durableMigrateGuideURL,
	Run: runDurableOrchestrator,
}

type orchestratorPass struct {
	p       *rewrite.Pass
	f       *cs.File
	m       *cs.Model
	vars    []*durableVar
	ctxOf   map[*cs.Function]*durableVar // the last of vars that is a function's parameter
	needNS  map[string]bool
	retries map[uint]bool // RetryOptions creations rewritten as part of a call
	// timedWaits are the WaitForExternalEvent calls with a timeout on vars,
	// by their receiver, in source order; nil until a catch asks.
	timedWaits []cs.Ident
}

func runDurableOrchestrator(p *rewrite.Pass) {
	if !usesDurable(p.Model) {
		return
	}
	o := &orchestratorPass{p: p, f: p.File, m: p.Model, ctxOf: map[*cs.Function]*durableVar{}, needNS: map[string]bool{}, retries: map[uint]bool{}}
	for _, v := range durableVars(p.Model) {
		if v.typ.kind == orchestrationContext {
			o.vars = append(o.vars, v)
			if v.fn != nil {
				o.ctxOf[v.fn] = v
			}
		}
	}
	for _, v := range o.vars {
		p.Fix("Use TaskOrchestrationContext", renameType(o.f, v.typeNode, "TaskOrchestrationContext", durableNamespace))
		o.needNS[durableNamespace] = true
		for _, id := range v.uses(o.f, o.m) {
			if u, ok := memberOf(o.m, id); ok {
				o.member(v, u)
			}
		}
	}
	for _, fn := range o.m.Functions {
		if isOrchestrator(fn) {
			o.logger(fn)
		}
	}
	o.retryOptions()
	o.catches()
	o.httpTypes()
	if len(o.vars) > 0 {
		first := o.vars[0]
		p.Note(int(first.decl.StartByte()),
			"orchestrations started before the migration replay against the new code and payloads now go through System.Text.Json: drain in-flight instances or start the new version on a new task hub (MAPPING.md §7.6)")
	}
	for _, ns := range []string{durableNamespace, durableEntityNamespace, durableHTTPNamespace} {
		if o.needNS[ns] {
			needUsing(p, ns)
		}
	}
}

func (o *orchestratorPass) report(n *sitter.Node, message, action string) {
	o.p.Report(int(n.StartByte()), true, message, action)
}

// member rewrites one use of a context variable per MAPPING.md §7.2.
func (o *orchestratorPass) member(v *durableVar, u memberUse) {
	f, p := o.f, o.p
	n := len(u.args)
	switch u.member {
	case "GetInput", "InstanceId", "CurrentUtcDateTime", "IsReplaying", "NewGuid", "SetCustomStatus",
		"CallActivityAsync", "Name", "CallHttpAsync":
		// Same name and shape in the isolated API.
	case "CreateTimer":
		if u.typeArgs == "" || n != 3 {
			return
		}
		if !discarded(o.m, u.call) {
			o.report(u.access, "CreateTimer"+u.typeArgs+" returned its state; the isolated CreateTimer has no state and returns a Task",
				"keep the state in a local and call "+v.name+".CreateTimer(fireAt, cancellationToken) (MAPPING.md §7.2)")
			return
		}
		p.Fix("Drop the timer state: the isolated CreateTimer has none",
			replace(u.name, "CreateTimer"), moveArgs(f, u, []int{0, 2}))
	case "WaitForExternalEvent":
		o.waitForExternalEvent(v, u)
	case "ParentInstanceId":
		p.Fix("Read the parent instance id from Parent", replace(u.name, "Parent?.InstanceId"))
	case "ContinueAsNew":
		if n == 1 && !anyNamed(f, u.args) {
			p.Fix("Keep ContinueAsNew dropping unprocessed events, as in-process did",
				insertAt(int(u.args[0].EndByte()), ", preserveUnprocessedEvents: false"))
		}
	case "CallActivityWithRetryAsync", "CallSubOrchestratorWithRetryAsync":
		o.withRetry(v, u)
	case "CallSubOrchestratorAsync":
		if n == 3 && !anyNamed(f, u.args) {
			o.needNS[durableNamespace] = true
			p.Fix("Pass the sub-orchestration's instance id in SubOrchestrationOptions",
				moveArgs(f, u, []int{0, 2}, "new SubOrchestrationOptions { InstanceId = "+f.Text(u.args[1])+" }"))
		}
	case "CallEntityAsync":
		p.Fix("Call entities through the context's Entities", insertAt(int(u.name.StartByte()), "Entities."))
	case "SignalEntity":
		o.signalEntity(v, u)
	case "LockAsync":
		o.lock(u)
	case "IsLocked":
		p.Fix("Ask Entities whether the orchestration holds locks", replace(u.name, "Entities.InCriticalSection"))
	case "CreateReplaySafeLogger":
		// Rewritten with the function's logger parameter (logger).
	case "SetOutput":
		o.report(u.access, "SetOutput has no isolated counterpart",
			"return the value from the orchestrator instead (MAPPING.md §7.2)")
	case "CreateEntityProxy":
		o.report(u.access, "typed entity proxies (CreateEntityProxy) do not exist in the isolated model",
			"call the entity by operation name: await "+v.name+".Entities.CallEntityAsync(new EntityInstanceId(name, key), \"operation\", input) (MAPPING.md §7.2, §8 item 24)")
	case "StartNewOrchestration":
		o.report(u.access, "StartNewOrchestration (fire-and-forget from an orchestrator) has no documented isolated counterpart",
			"start it from a client or an activity, or call it as a sub-orchestration (MAPPING.md §7.2, §8 item 24)")
	default:
		o.report(u.access, v.typeName+"."+u.member+" has no counterpart in MAPPING.md §7.2",
			"rewrite this call against TaskOrchestrationContext (MAPPING.md §7.2)")
	}
}

// discarded reports whether a call's value is not used: a statement of its
// own, awaited or not.
func discarded(m *cs.Model, call *sitter.Node) bool {
	e := call
	if awaited(m, e) {
		e = m.Parent(e)
	}
	p := m.Parent(e)
	return p != nil && p.Kind() == "expression_statement"
}

func (o *orchestratorPass) waitForExternalEvent(v *durableVar, u memberUse) {
	f := o.f
	n := len(u.args)
	if n >= 3 && (n == 4 || !isCancellationToken(f, o.m, argExpr(u.args[2]), v.scope)) {
		o.report(u.access, "the WaitForExternalEvent overload with a default value does not exist in the isolated API",
			"call WaitForExternalEvent"+u.typeArgs+"(name, timeout) in a try block and use the default in catch (TaskCanceledException) (MAPPING.md §7.2)")
		return
	}
	if u.typeArgs == "" {
		o.p.Fix("Use the generic WaitForExternalEvent: the isolated API has no other", insertAt(int(u.name.EndByte()), "<object>"))
	}
}

// isCancellationToken guesses whether e is a CancellationToken rather than a
// default value.
func isCancellationToken(f *cs.File, m *cs.Model, e, scope *sitter.Node) bool {
	if e == nil {
		return false
	}
	t := f.Text(e)
	if strings.HasSuffix(t, ".Token") || strings.Contains(t, "CancellationToken") {
		return true
	}
	if e.Kind() == "identifier" {
		return strings.Contains(declaredTypeOf(f, m, t, e, scope), "CancellationToken")
	}
	return false
}

// withRetry rewrites Call*WithRetryAsync(name, retry[, instanceId], input).
func (o *orchestratorPass) withRetry(v *durableVar, u memberUse) {
	f, p := o.f, o.p
	to := strings.TrimSuffix(u.member, "WithRetryAsync") + "Async"
	n := len(u.args)
	if anyNamed(f, u.args) || n < 3 || n > 4 || (n == 4 && u.member == "CallActivityWithRetryAsync") {
		o.report(u.access, u.member+" with these arguments has no mapping",
			"call "+to+"(name, input, TaskOptions.FromRetryPolicy(new RetryPolicy(maxNumberOfAttempts, firstRetryInterval))) (MAPPING.md §7.2)")
		return
	}
	retry, ok := o.retryPolicy(argExpr(u.args[1]), v.scope)
	if !ok {
		o.report(u.access, u.member+"'s RetryOptions cannot be turned into a RetryPolicy here",
			"call "+to+"(name, input, TaskOptions.FromRetryPolicy(policy)) with a RetryPolicy built from the same values: new RetryPolicy(maxNumberOfAttempts, firstRetryInterval, backoffCoefficient, maxRetryInterval, retryTimeout) (MAPPING.md §7.2)")
		return
	}
	o.needNS[durableNamespace] = true
	options := "TaskOptions.FromRetryPolicy(" + retry + ")"
	order := []int{0, 2}
	if n == 4 {
		options = "new SubOrchestrationOptions(" + options + ", " + f.Text(u.args[2]) + ")"
		order = []int{0, 3}
	}
	p.Fix("Call "+to+" with the input before the retry options", renameMember(u, to), moveArgs(f, u, order, options))
}

// retryPolicy returns the RetryPolicy expression for a RetryOptions argument:
// a new RetryOptions(...) rewritten in place, or a variable whose own
// declaration is rewritten (retryOptions).
func (o *orchestratorPass) retryPolicy(e, scope *sitter.Node) (string, bool) {
	if e == nil {
		return "", false
	}
	switch e.Kind() {
	case "object_creation_expression":
		s, ok := o.retryCreation(e)
		if ok {
			o.retries[uint(e.Id())] = true
		}
		return s, ok
	case "identifier":
		if init := o.retryInit(o.f.Text(e), scope); init != nil {
			if _, ok := o.retryCreation(init); ok {
				return o.f.Text(e), true
			}
		} else if t := declaredTypeOf(o.f, o.m, o.f.Text(e), e, scope); simpleTypeName(t) == "RetryOptions" && o.isParameter(o.f.Text(e), scope) {
			return o.f.Text(e), true // the caller passes a RetryPolicy now
		}
	}
	return "", false
}

func (o *orchestratorPass) isParameter(name string, scope *sitter.Node) bool {
	for _, id := range o.m.NamedWithin(name, scope) {
		if par := o.m.Parent(id.Node); par != nil && par.Kind() == "parameter" {
			return true
		}
	}
	return false
}

// retryInit is the RetryOptions creation a local is declared with, when the
// local is never assigned again and its properties are never set.
func (o *orchestratorPass) retryInit(name string, scope *sitter.Node) *sitter.Node {
	var init *sitter.Node
	for _, x := range o.m.NamedWithin(name, scope) {
		id := x.Node
		par := o.m.Parent(id)
		switch {
		case par == nil:
		case par.Kind() == "variable_declarator":
			init = declaratorInit(par)
		case par.Kind() == "assignment_expression":
			if l := par.ChildByFieldName("left"); l != nil && l.Id() == id.Id() {
				return nil
			}
		case par.Kind() == "member_access_expression":
			if gp := o.m.Parent(par); gp != nil && gp.Kind() == "assignment_expression" {
				if l := gp.ChildByFieldName("left"); l != nil && l.Id() == par.Id() {
					return nil
				}
			}
		}
	}
	if !o.isRetryOptionsCreation(init) {
		return nil
	}
	return init
}

// isRetryOptionsCreation reports whether n is new RetryOptions(...).
func (o *orchestratorPass) isRetryOptionsCreation(n *sitter.Node) bool {
	if n == nil || n.Kind() != "object_creation_expression" {
		return false
	}
	t := n.ChildByFieldName("type")
	return t != nil && simpleTypeName(o.f.Text(t)) == "RetryOptions"
}

// retryCreation turns new RetryOptions(first, attempts) { … } into a
// RetryPolicy creation. The constructor's parameters are reversed and the
// settable properties become named constructor arguments; Handle has no
// equivalent with the same meaning.
func (o *orchestratorPass) retryCreation(e *sitter.Node) (string, bool) {
	f := o.f
	t := e.ChildByFieldName("type")
	if t == nil || simpleTypeName(f.Text(t)) != "RetryOptions" {
		return "", false
	}
	args := callArgs(e)
	first, attempts := "", ""
	for i, a := range args {
		name, val := argName(f, a), f.Text(argExpr(a))
		switch {
		case name == "firstRetryInterval" || (name == "" && i == 0):
			first = val
		case name == "maxNumberOfAttempts" || (name == "" && i == 1):
			attempts = val
		default:
			return "", false
		}
	}
	named := []string{}
	if init := e.ChildByFieldName("initializer"); init != nil {
		for i := uint(0); i < init.NamedChildCount(); i++ {
			as := init.NamedChild(i)
			if as.Kind() != "assignment_expression" {
				return "", false
			}
			l, r := as.ChildByFieldName("left"), as.ChildByFieldName("right")
			if l == nil || r == nil {
				return "", false
			}
			switch f.Text(l) {
			case "BackoffCoefficient":
				named = append(named, "backoffCoefficient: "+f.Text(r))
			case "MaxRetryInterval":
				named = append(named, "maxRetryInterval: "+f.Text(r))
			case "RetryTimeout":
				named = append(named, "retryTimeout: "+f.Text(r))
			case "FirstRetryInterval":
				first = f.Text(r)
			case "MaxNumberOfAttempts":
				attempts = f.Text(r)
			default: // Handle: HandleFailure sees TaskFailureDetails, not the exception
				return "", false
			}
		}
	}
	if first == "" || attempts == "" {
		return "", false
	}
	return "new RetryPolicy(" + strings.Join(append([]string{attempts, first}, named...), ", ") + ")", true
}

// retryOptions rewrites the RetryOptions creations and type names the calls
// did not take in, and reports what cannot become a RetryPolicy.
func (o *orchestratorPass) retryOptions() {
	f, p := o.f, o.p
	var creations []*sitter.Node
	for _, n := range o.m.Creations {
		if o.isRetryOptionsCreation(n) {
			creations = append(creations, n)
		}
	}
	// creations is in source order; reach[i] is the furthest any of the
	// first i+1 extends, so one search tells whether any holds a node.
	starts, reach := make([]uint, len(creations)), make([]uint, len(creations))
	for i, c := range creations {
		starts[i], reach[i] = c.StartByte(), c.EndByte()
		if i > 0 {
			reach[i] = max(reach[i], reach[i-1])
		}
	}
	inCreation := func(id cs.Ident) bool {
		i := sort.Search(len(starts), func(i int) bool { return starts[i] > id.Start }) - 1
		return i >= 0 && reach[i] >= id.End
	}
	for _, c := range creations {
		if o.retries[uint(c.Id())] {
			continue
		}
		s, ok := o.retryCreation(c)
		if !ok {
			o.report(c, "these RetryOptions cannot become a RetryPolicy: Handle has no equivalent with the same meaning (HandleFailure receives TaskFailureDetails, not the exception)",
				"build new RetryPolicy(maxNumberOfAttempts, firstRetryInterval, …) { HandleFailure = failure => … } and test failure.IsCausedBy<T>() instead of the exception (MAPPING.md §7.2, §8 item 24)")
			continue
		}
		o.needNS[durableNamespace] = true
		p.Fix("Build a RetryPolicy: its constructor takes the attempts first", replace(c, s))
	}
	for _, x := range o.m.Named("RetryOptions") {
		id := x.Node
		if !isTypeUse(o.m, id) || inCreation(x) || declaredInFile(o.m, "RetryOptions") {
			continue
		}
		if par := o.m.Parent(id); par != nil && par.Kind() == "member_access_expression" {
			continue // HttpRetryOptions-style static access is somebody else's
		}
		o.needNS[durableNamespace] = true
		p.Fix("Use RetryPolicy", renameType(f, typeNodeOf(o.m, id), "RetryPolicy", durableNamespace))
	}
	// A RetryPolicy cannot be changed after it is built.
	for _, x := range o.m.IdentList() {
		switch x.Name {
		case "BackoffCoefficient", "MaxRetryInterval", "RetryTimeout", "FirstRetryInterval", "MaxNumberOfAttempts", "Handle":
		default:
			continue
		}
		id := x.Node
		par := o.m.Parent(id)
		if par == nil || par.Kind() != "member_access_expression" || par.ChildByFieldName("name") == nil || par.ChildByFieldName("name").Id() != id.Id() {
			continue
		}
		gp := o.m.Parent(par)
		if gp == nil || gp.Kind() != "assignment_expression" {
			continue
		}
		if l := gp.ChildByFieldName("left"); l == nil || l.Id() != par.Id() {
			continue
		}
		recv := par.ChildByFieldName("expression")
		if recv == nil || simpleTypeName(declaredTypeOf(f, o.m, f.Text(recv), recv, f.Root)) != "RetryOptions" && !o.varOfCreation(recv) {
			continue
		}
		o.report(gp, "a RetryPolicy cannot be changed after it is built ("+f.Text(id)+" is set here)",
			"pass this value to the RetryPolicy constructor (MAPPING.md §7.2)")
	}
}

// varOfCreation reports whether identifier recv is a local initialised with
// new RetryOptions(...).
func (o *orchestratorPass) varOfCreation(recv *sitter.Node) bool {
	if recv.Kind() != "identifier" {
		return false
	}
	scope := enclosingMethod(o.m, recv)
	if scope == nil {
		return false
	}
	for _, x := range o.m.NamedWithin(o.f.Text(recv), scope) {
		if par := o.m.Parent(x.Node); par != nil && par.Kind() == "variable_declarator" && o.isRetryOptionsCreation(declaratorInit(par)) {
			return true
		}
	}
	return false
}

// signalEntity rewrites context.SignalEntity(id, [time,] op[, input]) as an
// awaited call of Entities.SignalEntityAsync.
func (o *orchestratorPass) signalEntity(v *durableVar, u memberUse) {
	f, p := o.f, o.p
	n := len(u.args)
	stmt := o.m.Parent(u.call)
	method := enclosingMethod(o.m, u.call)
	if anyNamed(f, u.args) || n < 2 || n > 4 || stmt == nil || stmt.Kind() != "expression_statement" || !isAsync(f, method) {
		o.report(u.access, "SignalEntity becomes the awaited Entities.SignalEntityAsync, which needs a statement of its own in an async method",
			"write await "+v.name+".Entities.SignalEntityAsync(entityId, operation, input) (MAPPING.md §7.2)")
		return
	}
	scheduled := n == 4
	if n == 3 {
		second := argExpr(u.args[1])
		isStr, known := stringType(f, o.m, second, v.scope)
		switch {
		case known && isStr:
		case strings.Contains(f.Text(second), "DateTime") || strings.Contains(declaredTypeOf(f, o.m, f.Text(second), second, v.scope), "DateTime"):
			scheduled = true
		default:
			o.report(u.access, "cannot tell whether "+f.Text(second)+" is the operation name or the time to deliver the signal",
				"write await "+v.name+".Entities.SignalEntityAsync(entityId, operation, input[, new SignalEntityOptions { SignalTime = time }]) (MAPPING.md §7.2)")
			return
		}
	}
	edits := []edit.Edit{insertAt(int(u.call.StartByte()), "await "), replace(u.name, "Entities.SignalEntityAsync")}
	if scheduled {
		o.needNS[durableEntityNamespace] = true
		input := "null"
		if n == 4 {
			input = f.Text(u.args[3])
		}
		edits = append(edits, moveArgs(f, u, []int{0, 2}, input, "new SignalEntityOptions { SignalTime = "+f.Text(u.args[1])+" }"))
	}
	p.Fix("Signal the entity through the context's Entities", edits...)
}

// lock rewrites using (await context.LockAsync(ids)) as an await using of
// Entities.LockEntitiesAsync, whose lock is IAsyncDisposable.
func (o *orchestratorPass) lock(u memberUse) {
	f, p := o.f, o.p
	var using *sitter.Node
	if awaited(o.m, u.call) {
		aw := o.m.Parent(u.call)
		switch par := o.m.Parent(aw); {
		case par != nil && par.Kind() == "using_statement":
			using = par
		case par != nil && par.Kind() == "variable_declarator":
			if st := o.m.Parent(o.m.Parent(par)); st != nil && st.Kind() == "local_declaration_statement" && strings.HasPrefix(f.Text(st), "using ") {
				using = st
			}
		}
	}
	if using == nil || strings.HasPrefix(f.Text(using), "await ") {
		o.report(u.access, "LockAsync becomes Entities.LockEntitiesAsync, whose lock must be released with await using",
			"write await using (await context.Entities.LockEntitiesAsync(ids)) { … } (MAPPING.md §7.2)")
		return
	}
	p.Fix("Lock entities through Entities; the lock is released with await using",
		insertAt(int(using.StartByte()), "await "), replace(u.name, "Entities.LockEntitiesAsync"))
}

// logger removes an orchestrator's ILogger parameter: orchestrators have no
// injected logger and log through a replay-safe logger from the context.
func (o *orchestratorPass) logger(fn *cs.Function) {
	f, p := o.f, o.p
	lp := loggerParam(fn)
	if lp == nil || isTraceWriter(lp.TypeText) {
		return
	}
	ctx := o.ctxOf[fn]
	if ctx == nil {
		return
	}
	category := functionNameText(f, fn)
	edits := []edit.Edit{removeParam(fn.ParamList, lp.Node)}
	direct := false
	var reassigned *sitter.Node // log = context.CreateReplaySafeLogger(log); as the first use
	for _, id := range fn.BodyIdents {
		if f.Text(id) != lp.Name || !isVariableUse(o.m, id) {
			continue
		}
		if reassigned == nil && !direct {
			if st := replaySafeReassignment(o.m, ctx, fn, id); st != nil {
				reassigned = st
				edits = append(edits, replace(st, "ILogger "+lp.Name+" = "+ctx.name+".CreateReplaySafeLogger("+category+");"))
				continue
			}
		}
		if reassigned != nil && within(id, reassigned) {
			continue
		}
		if call := replaySafeCall(o.m, ctx, id); call != nil {
			edits = append(edits, replace(call.ChildByFieldName("arguments"), "("+category+")"))
			continue
		}
		direct = direct || reassigned == nil
	}
	if direct {
		if fn.Body == nil || fn.Body.Kind() != "block" {
			o.report(fn.Node, "the orchestrator's ILogger parameter is used directly in an expression body",
				"create the logger with "+ctx.name+".CreateReplaySafeLogger("+category+") (MAPPING.md §7.2)")
			return
		}
		edits = append(edits, insertFirstStatement(o.m, fn.Body, "ILogger "+lp.Name+" = "+ctx.name+".CreateReplaySafeLogger("+category+");"))
		p.Note(int(lp.Node.StartByte()), lp.Name+" is now a replay-safe logger: its entries are written once, not again on every replay")
	}
	p.Fix("Create the orchestrator's logger from the context", edits...)
}

// replaySafeReassignment returns the statement `log = ctx.CreateReplaySafeLogger(log);`
// when id is its left side and it sits directly in the function body.
func replaySafeReassignment(m *cs.Model, ctx *durableVar, fn *cs.Function, id *sitter.Node) *sitter.Node {
	f := m.File
	as := m.Parent(id)
	if as == nil || as.Kind() != "assignment_expression" {
		return nil
	}
	l, r := as.ChildByFieldName("left"), as.ChildByFieldName("right")
	if l == nil || l.Id() != id.Id() || r == nil || r.Kind() != "invocation_expression" {
		return nil
	}
	args := callArgs(r)
	if len(args) != 1 || f.Text(args[0]) != f.Text(id) || replaySafeCall(m, ctx, argExpr(args[0])) == nil {
		return nil
	}
	st := m.Parent(as)
	if st == nil || st.Kind() != "expression_statement" || m.Parent(st) == nil || fn.Body == nil || m.Parent(st).Id() != fn.Body.Id() {
		return nil
	}
	return st
}

// replaySafeCall returns ctx.CreateReplaySafeLogger(id) when id is its only
// argument.
func replaySafeCall(m *cs.Model, ctx *durableVar, id *sitter.Node) *sitter.Node {
	f := m.File
	arg := m.Parent(id)
	if arg == nil || arg.Kind() != "argument" || m.Parent(arg) == nil {
		return nil
	}
	call := m.Parent(m.Parent(arg))
	if call == nil || call.Kind() != "invocation_expression" || len(callArgs(call)) != 1 {
		return nil
	}
	fnExpr := call.ChildByFieldName("function")
	if fnExpr == nil || fnExpr.Kind() != "member_access_expression" {
		return nil
	}
	recv, name := fnExpr.ChildByFieldName("expression"), fnExpr.ChildByFieldName("name")
	if recv == nil || name == nil || f.Text(recv) != ctx.name || f.Text(name) != "CreateReplaySafeLogger" {
		return nil
	}
	return call
}

// functionNameText is the [FunctionName] argument as written ("Hello" or
// nameof(Hello)), used as a logger category.
func functionNameText(f *cs.File, fn *cs.Function) string {
	if fn.NameAttr != nil {
		if pos := fn.NameAttr.Positional(); len(pos) > 0 {
			return f.Text(pos[0].Value)
		}
	}
	return "nameof(" + fn.Name + ")"
}

// catches maps the exceptions the isolated API throws instead.
func (o *orchestratorPass) catches() {
	f, p, m := o.f, o.p, o.m
	if renameDurableTypes(p, map[string]string{"FunctionFailedException": "TaskFailedException"}, durableNamespace) {
		o.needNS[durableNamespace] = true
	}
	for _, n := range m.Catches {
		t := n.ChildByFieldName("type")
		if t == nil {
			continue
		}
		clause := o.m.Parent(n)
		switch simpleTypeName(f.Text(t)) {
		case "FunctionFailedException":
			name := n.ChildByFieldName("name")
			body := clause.ChildByFieldName("body")
			if name == nil || body == nil {
				continue
			}
			for _, x := range m.NamedWithin(f.Text(name), body) {
				if u, ok := memberOf(m, x.Node); ok && u.member == "InnerException" {
					o.report(u.access, "a TaskFailedException carries no InnerException: the activity's error is in FailureDetails",
						"read "+f.Text(name)+".FailureDetails (ErrorType, ErrorMessage, IsCausedBy<T>()) instead (MAPPING.md §7.2, §8 item 24)")
				}
			}
		case "TimeoutException":
			try := o.m.Parent(clause)
			if try == nil || try.Kind() != "try_statement" || !o.waitsWithTimeout(try.ChildByFieldName("body")) {
				continue
			}
			to := "TaskCanceledException"
			if !hasUsing(m, "System.Threading.Tasks") {
				to = "System.Threading.Tasks.TaskCanceledException"
			}
			p.Fix("Catch the TaskCanceledException the isolated WaitForExternalEvent throws on timeout", replace(t, to))
		}
	}
}

// waitsWithTimeout reports whether block calls WaitForExternalEvent with a
// timeout on an orchestration context.
func (o *orchestratorPass) waitsWithTimeout(block *sitter.Node) bool {
	if block == nil {
		return false
	}
	if o.timedWaits == nil {
		o.timedWaits = []cs.Ident{}
		for _, v := range o.vars {
			for _, id := range v.uses(o.f, o.m) {
				if u, ok := memberOf(o.m, id); ok && u.member == "WaitForExternalEvent" && len(u.args) >= 2 {
					o.timedWaits = append(o.timedWaits, cs.Ident{Node: id, Start: id.StartByte(), End: id.EndByte()})
				}
			}
		}
		slices.SortFunc(o.timedWaits, func(a, b cs.Ident) int { return cmp.Compare(a.Start, b.Start) })
	}
	start, end := block.StartByte(), block.EndByte()
	i := sort.Search(len(o.timedWaits), func(i int) bool { return o.timedWaits[i].Start >= start })
	for ; i < len(o.timedWaits) && o.timedWaits[i].Start <= end; i++ {
		if o.timedWaits[i].End <= end {
			return true
		}
	}
	return false
}

// httpTypes: the Durable HTTP types keep their names in another namespace,
// and managed-identity token sources need checking (§8 item 24).
func (o *orchestratorPass) httpTypes() {
	for _, name := range []string{"DurableHttpRequest", "DurableHttpResponse", "HttpRetryOptions"} {
		for _, x := range o.m.Named(name) {
			if isTypeUse(o.m, x.Node) {
				o.needNS[durableHTTPNamespace] = true
			}
		}
	}
	for _, x := range o.m.Named("ManagedIdentityTokenSource") {
		if isTypeUse(o.m, x.Node) {
			o.report(x.Node, "Durable HTTP calls with a managed-identity token source need checking in the isolated extension",
				"confirm the token source type and its namespace in the isolated Durable extension before deploying (MAPPING.md §8 item 24)")
		}
	}
}
