package rules

import (
	"strconv"
	"strings"

	sitter "github.com/tree-sitter/go-tree-sitter"

	"github.com/funcmigrate/funcmigrate/rewrite"
	"github.com/funcmigrate/funcmigrate/rewrite/cs"
	"github.com/funcmigrate/funcmigrate/rewrite/edit"
)

// DurableEntity migrates Durable entity functions (MAPPING.md §7.5).
var DurableEntity = &rewrite.Rule{
	Name: "cs-durable-entity",
	Doc: `migrate Durable Functions entities to TaskEntityDispatcher

An [EntityTrigger] IDurableEntityContext parameter becomes a
TaskEntityDispatcher named dispatcher. A class-based entity keeps its
dispatch: dispatcher.DispatchAsync<T>() treats a class that is not an
ITaskEntity as the entity's state and calls its public methods, as the
in-process DispatchAsync<T> did. DispatchAsync<T> with constructor
arguments, which the isolated method does not take, is reported and the
function left alone. A state class whose constructors all take parameters is
reported (only an ITaskEntity is created through dependency injection), and
so are its Newtonsoft.Json attributes, since state is now stored with
System.Text.Json.

A function-based entity's body moves into the delegate of
dispatcher.DispatchAsync(operation => ...), one indentation level deeper,
and the method returns that Task; an async body becomes an async delegate.
Context members map to the TaskEntityOperation: OperationName to Name,
GetState, SetState and HasState to State's, DeleteState() to
State.SetState(null), GetInput to GetInput, EntityName, EntityKey and
EntityId to Context.Id, SignalEntity to Context.SignalEntity (a scheduled
signal passes SignalEntityOptions with SignalTime; an input that could bind
to the options is labelled input:) and StartNewOrchestration to
Context.ScheduleNewOrchestration with StartOrchestrationOptions. Return(x)
followed by break or return, or ending the method, becomes the delegate's
return value (new ValueTask<object>(x) on .NET Framework, whose C# has no
target-typed new). A GetState initializer becomes the default value only
when it returns a constant, and a class state read in an operation that
never calls SetState is pointed out: the isolated worker saves only what
SetState is given. Where the body does anything else with the context
(passes it on, uses it in a lambda, reads BatchSize, BatchPosition or
FunctionBindingContext, calls Return with code still to run after it, jumps
with goto), the function stays as it is and each obstacle is reported.

EntityId becomes EntityInstanceId, its EntityName and EntityKey become Name
and Key, and its constructor's argument labels follow. Entity.Current and
IDurableEntityContext outside entity functions have no isolated counterpart
and are reported with the member map. Every migrated entity also gets a
finding about state stored before the migration, which Newtonsoft.Json wrote.`,
	Ref: "MAPPING.md §7.5",
	URL: durableMigrateGuideURL,
	Run: runDurableEntity,
}

// entityMemberMap is MAPPING.md §7.5's member map as reports quote it.
const entityMemberMap = "OperationName → operation.Name, GetState<T>() → operation.State.GetState<T>(), " +
	"SetState(x) → operation.State.SetState(x), HasState → operation.State.HasState, DeleteState() → operation.State.SetState(null), " +
	"GetInput<T>() → operation.GetInput<T>(), Return(x) → the delegate's return value, " +
	"EntityName/EntityKey/EntityId → operation.Context.Id.Name/.Key/operation.Context.Id, " +
	"SignalEntity(id, op, input) → operation.Context.SignalEntity(id, op, input) (scheduled: new SignalEntityOptions { SignalTime = t } as the last argument), " +
	"StartNewOrchestration(name, input, id) → operation.Context.ScheduleNewOrchestration(name, input, new StartOrchestrationOptions(id))"

// keepNewtonsoftForState is the alternative offered for stored state: the
// Durable worker serializes through the worker's serializer (MAPPING.md §7.6).
const keepNewtonsoftForState = "or keep Newtonsoft for the worker, and so for entity state, with WorkerOptions.Serializer = new NewtonsoftJsonObjectSerializer() (package Microsoft.Azure.Core.NewtonsoftJson)"

// entityPass is one run of the rule over a file.
type entityPass struct {
	p       *rewrite.Pass
	f       *cs.File
	m       *cs.Model
	durable bool            // the file imports the Durable 2.x namespace
	handled map[uint]bool   // type nodes of entity-trigger parameters dealt with
	states  map[string]bool // state classes of class-based entities
	marked  map[int]bool    // lines that already carry one of this rule's markers
	usings  map[string]bool // namespaces the migrated code names
}

func runDurableEntity(p *rewrite.Pass) {
	m := p.Model
	e := &entityPass{p: p, f: p.File, m: m, handled: map[uint]bool{}, states: map[string]bool{},
		marked: map[int]bool{}, usings: map[string]bool{}}
	for _, u := range m.Usings {
		if u.Name == inProcessDurableNS && u.Alias == "" && !u.Static {
			e.durable = true
		}
	}
	// Durable 1.x had no entities: a 1.x file's EntityId or Entity is not Durable's.
	if !e.durable && usesDurable(m) {
		return
	}
	for _, v := range durableVars(m) {
		if v.typ.kind != entityContext || v.fn == nil || !entityParamHasAttr(v.param, "EntityTrigger") {
			continue
		}
		e.handled[uint(v.typeNode.Id())] = true
		e.entityFunction(v)
	}
	e.otherContexts()
	e.entityCurrent()
	e.entityIDs()
	e.stateSerialization()
	for _, ns := range []string{"System.Threading.Tasks", durableNamespace, durableEntityNamespace} {
		if e.usings[ns] {
			needUsing(p, ns)
		}
	}
}

func entityParamHasAttr(prm *cs.Param, name string) bool {
	for _, a := range prm.Attrs {
		if a.Name == name {
			return true
		}
	}
	return false
}

// report puts at most one of this rule's markers on a line: the first
// finding there says what to do, more would stack up repeats.
func (e *entityPass) report(off int, marker bool, message, action string) {
	line := e.f.Line(off)
	e.p.Report(off, marker && !e.marked[line], message, action)
	if marker {
		e.marked[line] = true
	}
}

// entityName is the name the host knows the entity function by.
func entityName(f *cs.File, fn *cs.Function) string {
	if fn.NameAttr != nil {
		if pos := fn.NameAttr.Positional(); len(pos) > 0 && pos[0].Value != nil {
			v := pos[0].Value
			switch {
			case v.Kind() == "string_literal":
				return strings.Trim(f.Text(v), `"`)
			case v.Kind() == "invocation_expression" && strings.HasPrefix(f.Text(v), "nameof("):
				return simpleTypeName(strings.TrimSuffix(strings.TrimPrefix(f.Text(v), "nameof("), ")"))
			}
		}
	}
	return fn.Name
}

// entityFreeName picks a name for the dispatcher parameter or the
// delegate's operation parameter that nothing in the method or its class
// uses.
func entityFreeName(m *cs.Model, fn *cs.Function, names ...string) string {
	taken := setOf(fn.Declarations)
	for _, prm := range fn.Params {
		taken[prm.Name] = true
	}
	for _, id := range fn.BodyIdents {
		taken[m.File.Text(id)] = true
	}
	var members map[string]bool
	if fn.Class != nil {
		members = classMembers(m, fn.Class)
	}
	return freeNameFunc(func(n string) bool { return taken[n] || members[n] }, names...)
}

// storedState reports, once per migrated entity, that the state already
// stored was written by Newtonsoft.Json (MAPPING.md §7.6).
func (e *entityPass) storedState(fn *cs.Function) {
	at := int(fn.Node.StartByte())
	if n := fn.Node.ChildByFieldName("name"); n != nil {
		at = int(n.StartByte())
	}
	name := entityName(e.f, fn)
	e.p.Report(at, false,
		"state that entity "+name+" stored in-process was written with Newtonsoft.Json and is now read with System.Text.Json",
		"check that the stored state of "+name+" still deserializes (property names and casing, non-public members, converters), "+keepNewtonsoftForState+" (MAPPING.md §7.6)")
}

// An entityBlocker is a use the function-based rewrite cannot carry over.
type entityBlocker struct {
	at           int
	what, action string
}

// entityFunction migrates one [EntityTrigger] IDurableEntityContext function.
func (e *entityPass) entityFunction(v *durableVar) {
	f := e.f
	uses := v.uses(f, e.m)
	if len(uses) == 1 {
		if u, ok := memberOf(e.m, uses[0]); ok && u.member == "DispatchAsync" && u.typeArgs != "" && u.call != nil {
			e.classBased(v, uses[0], u)
			return
		}
	}
	e.functionBased(v, uses)
}

// dispatchByDelegate is the target of a function-based entity.
const dispatchByDelegate = "bind [EntityTrigger] TaskEntityDispatcher dispatcher and return dispatcher.DispatchAsync(operation => ...) with " + entityMemberMap

// blocked reports why an entity function stays in-process, and its context
// parameter once with target, what the function becomes.
func (e *entityPass) blocked(v *durableVar, bs []entityBlocker, target string) {
	for _, b := range bs {
		e.report(b.at, true, b.what, b.action+" (MAPPING.md §7.5)")
	}
	e.report(int(v.typeNode.StartByte()), true,
		v.typeName+" stays until the uses reported in entity "+entityName(e.f, v.fn)+" are rewritten",
		"rewrite the reported uses, then "+target+" (MAPPING.md §7.5)")
}

// classBased rewrites `ctx.DispatchAsync<T>()`: only the parameter changes.
func (e *entityPass) classBased(v *durableVar, use *sitter.Node, u memberUse) {
	f := e.f
	state := simpleTypeName(strings.TrimSuffix(strings.TrimPrefix(u.typeArgs, "<"), ">"))
	if len(u.args) > 0 {
		e.blocked(v, []entityBlocker{{int(u.call.StartByte()),
			"DispatchAsync" + u.typeArgs + " passes constructor arguments, which the isolated DispatchAsync<T>() does not take",
			"derive " + state + " from TaskEntity<TState> (its stored fields moving to the TState class) and take these values as constructor parameters from dependency injection, registering them in Program.cs; the dispatcher activates an ITaskEntity from dependency injection"}},
			"bind [EntityTrigger] TaskEntityDispatcher dispatcher and return dispatcher.DispatchAsync<"+state+">()")
		return
	}
	name := entityFreeName(e.m, v.fn, "dispatcher", "entityDispatcher")
	edits := []edit.Edit{renameType(f, v.typeNode, "TaskEntityDispatcher", workerNamespace)}
	if n := v.decl.ChildByFieldName("name"); n != nil && name != v.name {
		edits = append(edits, replace(n, name), replace(use, name))
	}
	e.p.Fix("Bind TaskEntityDispatcher and dispatch to "+state, edits...)
	e.states[state] = true
	if c := entityClassNamed(e.m, state); c != nil && entityInjectedCtor(f, c) {
		e.report(int(u.call.StartByte()), false,
			"the constructor of "+state+" takes parameters, which in-process DispatchAsync filled from dependency injection; the isolated DispatchAsync<"+state+">() creates a class that is not an ITaskEntity by deserializing its state",
			"derive "+state+" from TaskEntity<TState>, moving its stored fields to the TState class, so the dispatcher activates it from dependency injection (MAPPING.md §7.5)")
	}
	e.storedState(v.fn)
}

func entityClassNamed(m *cs.Model, name string) *cs.Class { return classesByName(m)[name] }

// entityInjectedCtor reports whether every constructor of c takes
// parameters, so only dependency injection could create it.
func entityInjectedCtor(f *cs.File, c *cs.Class) bool {
	withParams, without := false, false
	for i := uint(0); i < c.Node.NamedChildCount(); i++ {
		if ch := c.Node.NamedChild(i); ch.Kind() == "parameter_list" { // a primary constructor
			if ch.NamedChildCount() > 0 {
				withParams = true
			} else {
				without = true
			}
		}
	}
	if c.Body != nil {
		for i := uint(0); i < c.Body.NamedChildCount(); i++ {
			mem := c.Body.NamedChild(i)
			if mem.Kind() != "constructor_declaration" || hasModifier(f, entityModifiers(mem), "static") {
				continue
			}
			if pl := mem.ChildByFieldName("parameters"); pl != nil && pl.NamedChildCount() > 0 {
				withParams = true
			} else {
				without = true
			}
		}
	}
	return withParams && !without
}

func entityModifiers(n *sitter.Node) []*sitter.Node {
	var out []*sitter.Node
	for i := uint(0); i < n.NamedChildCount(); i++ {
		if ch := n.NamedChild(i); ch.Kind() == "modifier" {
			out = append(out, ch)
		}
	}
	return out
}

// fnEntity is the rewrite of one function-based entity: the edits that
// move its body into the dispatcher's delegate, or why it cannot move.
type fnEntity struct {
	e        *entityPass
	v        *durableVar
	fn       *cs.Function
	body     *sitter.Node
	name     string // the entity's name, for messages
	op       string // the delegate's TaskEntityOperation parameter
	uses     []*sitter.Node
	edits    []edit.Edit
	blockers []entityBlocker
	notes    []entityBlocker // advice on code that is rewritten
	removed  map[int]bool    // starts of lines deleted whole
	skipped  map[uint]bool   // statements deleted (a break or return after Return)
	returns  map[uint]bool   // Return(x) statements that became returns
	seen     map[string]bool // blockers already given, by message
}

// functionBased moves the body of a function-based entity into
// dispatcher.DispatchAsync(operation => { ... }).
func (e *entityPass) functionBased(v *durableVar, uses []*sitter.Node) {
	f, fn := e.f, v.fn
	x := &fnEntity{e: e, v: v, fn: fn, body: fn.Body, name: entityName(f, fn), uses: uses,
		removed: map[int]bool{}, skipped: map[uint]bool{}, returns: map[uint]bool{}, seen: map[string]bool{}}
	if fn.Body == nil || fn.Body.Kind() != "block" {
		at := int(fn.Node.StartByte())
		if fn.Body != nil {
			at = int(fn.Body.StartByte())
		}
		e.blocked(v, []entityBlocker{{at, "entity " + x.name + " is expression-bodied and does not just return " + v.name + ".DispatchAsync<T>()",
			"give the function a block body and run funcmigrate again"}}, dispatchByDelegate)
		return
	}
	rt := ""
	if fn.ReturnType != nil {
		rt = strings.ReplaceAll(f.Text(fn.ReturnType), " ", "")
	}
	isTask := rt == "Task" || rt == "System.Threading.Tasks.Task"
	if rt != "void" && !(fn.Async && isTask) {
		x.block(fn.ReturnType, "entity "+x.name+" returns "+rt+" without being async, so its returns cannot become the dispatcher delegate's",
			"make the function void (or async Task) and run funcmigrate again")
	}
	x.op = entityFreeName(e.m, fn, "operation", "entityOperation")
	walkNodes(x.body, func(n *sitter.Node) {
		if n.Kind() == "goto_statement" {
			x.block(n, "entity "+x.name+" jumps with goto, which the move into the dispatcher's delegate does not follow",
				"replace the goto with structured code and run funcmigrate again")
		}
	})
	for _, use := range uses {
		x.use(use)
	}
	if len(x.blockers) > 0 {
		e.blocked(v, x.blockers, dispatchByDelegate)
		return
	}
	for _, r := range fn.Returns {
		if !x.skipped[uint(r.Id())] {
			x.edits = append(x.edits, replace(r, x.returnNothing()))
		}
	}
	d := entityFreeName(e.m, fn, "dispatcher", "entityDispatcher")
	x.wrap(d)
	x.edits = append(x.edits, renameType(f, v.typeNode, "TaskEntityDispatcher", workerNamespace))
	if n := v.decl.ChildByFieldName("name"); n != nil && d != v.name {
		x.edits = append(x.edits, replace(n, d))
	}
	if rt == "void" {
		x.edits = append(x.edits, replace(fn.ReturnType, "Task"))
		e.usings["System.Threading.Tasks"] = true
	}
	for _, mod := range fn.Modifiers {
		if f.Text(mod) == "async" {
			x.edits = append(x.edits, removeModifier(f.Src, mod))
		}
	}
	if _, err := edit.Validate(len(f.Src), append([]edit.Edit(nil), x.edits...)); err != nil {
		// Two uses of the context inside one another: not a shape worth a
		// rewrite of its own.
		e.blocked(v, []entityBlocker{{int(x.body.StartByte()), "entity " + x.name + " nests its uses of " + v.name + " in a way funcmigrate does not rewrite",
			"rewrite it by hand"}}, dispatchByDelegate)
		return
	}
	e.p.Fix("Dispatch the operations of entity "+x.name+" through TaskEntityDispatcher", x.edits...)
	for _, n := range x.notes {
		e.report(n.at, false, n.what, n.action+" (MAPPING.md §7.5)")
	}
	e.storedState(fn)
}

// block records why the function cannot be rewritten, once per message.
func (x *fnEntity) block(n *sitter.Node, what, action string) {
	if x.seen[what] {
		return
	}
	x.seen[what] = true
	x.blockers = append(x.blockers, entityBlocker{int(n.StartByte()), what, action})
}

// returnNothing is the delegate's return for an operation without result.
func (x *fnEntity) returnNothing() string {
	if x.fn.Async {
		return "return null;"
	}
	return "return default;"
}

// use maps one use of the context variable.
func (x *fnEntity) use(id *sitter.Node) {
	f, ctx, op := x.e.f, x.v.name, x.op
	if insideNestedFunction(x.e.m, id, x.body) {
		x.block(id, ctx+" is used inside a lambda or local function of entity "+x.name,
			"use "+ctx+" in the entity's body itself and pass the nested function the values it needs, then run funcmigrate again")
		return
	}
	u, ok := memberOf(x.e.m, id)
	if !ok {
		x.block(id, ctx+" (the entity context) is passed on or used as a value in entity "+x.name,
			"pass the values the callee needs instead, or, after migrating by hand, the delegate's TaskEntityOperation: "+entityMemberMap)
		return
	}
	if u.call != nil && anyNamed(f, u.args) {
		x.block(u.call, ctx+"."+u.member+" is called with named arguments in entity "+x.name,
			"write the arguments positionally and run funcmigrate again")
		return
	}
	property := map[string]string{
		"OperationName": ".Name",
		"EntityName":    ".Context.Id.Name",
		"EntityKey":     ".Context.Id.Key",
		"EntityId":      ".Context.Id",
		"HasState":      ".State.HasState",
	}
	if to, ok := property[u.member]; ok && u.call == nil && u.typeArgs == "" {
		x.edits = append(x.edits, replace(u.access, op+to))
		if u.member == "EntityId" {
			if outer, ok := entityMemberOfExpr(x.e.m, u.access); ok {
				switch outer.member {
				case "EntityName":
					x.edits = append(x.edits, renameMember(outer, "Name"))
				case "EntityKey":
					x.edits = append(x.edits, renameMember(outer, "Key"))
				}
			}
		}
		return
	}
	switch {
	case u.member == "GetState" && u.call != nil && len(u.args) <= 1:
		x.edits = append(x.edits, replace(id, op+".State"))
		if len(u.args) == 1 {
			init := argExpr(u.args[0])
			val := entityConstantInitializer(f, init)
			if val == nil {
				x.block(u.call, "the GetState initializer in entity "+x.name+" computes the initial state, which the isolated GetState<T>(defaultValue) neither runs lazily nor stores",
					"read the state with "+op+".State.GetState<T>(), and when !"+op+".State.HasState create the initial state and store it with "+op+".State.SetState(state); then run funcmigrate again")
				return
			}
			x.edits = append(x.edits, replace(init, f.Text(val)))
		}
		x.mutableState(u)
	case u.member == "SetState" && u.call != nil && len(u.args) == 1:
		x.edits = append(x.edits, replace(id, op+".State"))
	case u.member == "DeleteState" && u.call != nil && len(u.args) == 0:
		x.edits = append(x.edits, replace(u.call, op+".State.SetState(null)"))
	case u.member == "GetInput" && u.call != nil:
		x.edits = append(x.edits, replace(id, op))
	case u.member == "Return" && u.call != nil && len(u.args) == 1:
		x.returnValue(u)
	case u.member == "SignalEntity" && u.call != nil:
		x.signal(id, u)
	case u.member == "StartNewOrchestration" && u.call != nil && len(u.args) >= 2 && len(u.args) <= 3:
		x.startOrchestration(id, u)
	case u.member == "BatchSize" || u.member == "BatchPosition":
		x.block(u.access, ctx+"."+u.member+" has no isolated equivalent",
			"remove it: isolated entities do not see how operations are batched, then run funcmigrate again")
	case u.member == "FunctionBindingContext":
		x.block(u.access, ctx+".FunctionBindingContext has no isolated equivalent",
			"add a FunctionContext parameter to the function and use it instead, then run funcmigrate again")
	case u.member == "DispatchAsync":
		x.block(u.access, ctx+".DispatchAsync is mixed with other uses of the context in entity "+x.name,
			"return dispatcher.DispatchAsync<T>() alone and move the other code into the entity class, or handle every operation in the function")
	default:
		x.block(u.access, ctx+"."+u.member+" is not a use of the entity context that funcmigrate maps",
			"rewrite the entity by hand: "+entityMemberMap)
	}
}

// entityMemberOfExpr returns the member use whose receiver is expression n.
func entityMemberOfExpr(m *cs.Model, n *sitter.Node) (memberUse, bool) {
	f := m.File
	acc := m.Parent(n)
	if acc == nil || acc.Kind() != "member_access_expression" {
		return memberUse{}, false
	}
	if e := acc.ChildByFieldName("expression"); e == nil || e.Id() != n.Id() {
		return memberUse{}, false
	}
	name := acc.ChildByFieldName("name")
	if name == nil || name.Kind() != "identifier" {
		return memberUse{}, false
	}
	return memberUse{access: acc, name: name, member: f.Text(name)}, true
}

// entityConstantInitializer returns the value of a GetState initializer
// written as () => constant, else nil: only a constant can become the default
// value without running code the in-process context ran only when there was
// no state.
func entityConstantInitializer(f *cs.File, init *sitter.Node) *sitter.Node {
	if init == nil || init.Kind() != "lambda_expression" {
		return nil
	}
	if ps := init.ChildByFieldName("parameters"); ps == nil || ps.NamedChildCount() > 0 {
		return nil
	}
	body := init.ChildByFieldName("body")
	if body == nil || !entityConstant(f, body) {
		return nil
	}
	return body
}

func entityConstant(f *cs.File, n *sitter.Node) bool {
	switch n.Kind() {
	case "integer_literal", "real_literal", "string_literal", "verbatim_string_literal", "raw_string_literal",
		"character_literal", "boolean_literal", "null_literal", "default_expression":
		return true
	case "prefix_unary_expression", "parenthesized_expression":
		return n.NamedChildCount() == 1 && entityConstant(f, n.NamedChild(0))
	case "member_access_expression":
		t := strings.ReplaceAll(f.Text(n), " ", "")
		return t == "string.Empty" || t == "String.Empty"
	}
	return false
}

// entityImmutableState are state types whose values GetState hands out by copy
// or that cannot change, so there are no in-place changes to lose.
var entityImmutableState = setOf([]string{"int", "long", "short", "byte", "sbyte", "uint", "ulong", "ushort",
	"float", "double", "decimal", "bool", "char", "string", "String", "Int16", "Int32", "Int64", "UInt16",
	"UInt32", "UInt64", "Byte", "SByte", "Single", "Double", "Decimal", "Boolean", "Char",
	"DateTime", "DateTimeOffset", "TimeSpan", "Guid"})

// mutableState notes a GetState<T> of a class-like T whose operation (the
// block around it) never calls SetState: in-process the context saved changes made to the object
// GetState returned; the isolated worker saves only what SetState is given.
func (x *fnEntity) mutableState(u memberUse) {
	t := strings.TrimSuffix(strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(u.typeArgs, "<"), ">")), "?")
	if t == "" || entityImmutableState[simpleTypeName(t)] {
		return
	}
	// The operation is the innermost block or switch section around it.
	scope := x.body
	for p := x.e.m.Parent(u.call); p != nil && p.Id() != x.body.Id(); p = x.e.m.Parent(p) {
		if p.Kind() == "switch_section" || p.Kind() == "block" {
			scope = p
			break
		}
	}
	for _, use := range x.uses {
		if within(use, scope) {
			if m, ok := memberOf(x.e.m, use); ok && m.member == "SetState" {
				return
			}
		}
	}
	x.notes = append(x.notes, entityBlocker{int(u.call.StartByte()),
		"the isolated worker stores the " + t + " that GetState returns only when it is passed to SetState; in-process, changes made to that object were saved",
		"if the operation changes the " + t + ", store it with " + x.op + ".State.SetState(...) before returning"})
}

// returnValue turns `ctx.Return(x);` followed by break or return (or ending
// the method) into the delegate's `return`.
func (x *fnEntity) returnValue(u memberUse) {
	stmt := x.e.m.Parent(u.call)
	if stmt == nil || stmt.Kind() != "expression_statement" {
		x.block(u.call, x.v.name+".Return is used inside an expression in entity "+x.name,
			"call Return as a statement of its own and run funcmigrate again")
		return
	}
	next := entityNextStatement(x.e.m, stmt)
	switch {
	case next == nil && endsEntityMethod(x.e.m, stmt, x.body):
	case next != nil && next.Kind() == "break_statement":
		t := entityBreakTarget(x.e.m, next)
		if t == nil || t.Kind() != "switch_statement" || !endsEntityMethod(x.e.m, t, x.body) {
			x.block(u.call, x.v.name+".Return in entity "+x.name+" is followed by a break after which more of the method runs, and returning there would skip it",
				"move the code that runs after the switch or loop into the operations that need it, and run funcmigrate again")
			return
		}
		x.drop(stmt, next)
	case next != nil && next.Kind() == "return_statement" && next.NamedChildCount() == 0:
		x.drop(stmt, next)
	default:
		x.block(u.call, x.v.name+".Return in entity "+x.name+" is not followed by break or return, so returning there would skip the code after it",
			"make Return the last statement of its operation, followed by break or return, and run funcmigrate again")
		return
	}
	x.returns[uint(stmt.Id())] = true
	arg := argExpr(u.args[0])
	switch {
	case arg == nil:
		return
	case arg.Kind() == "null_literal":
		x.edits = append(x.edits, replace(u.call, strings.TrimSuffix(x.returnNothing(), ";")))
	case x.fn.Async:
		x.edits = append(x.edits,
			edit.Edit{Start: int(u.call.StartByte()), End: int(arg.StartByte()), New: "return "},
			edit.Edit{Start: int(arg.EndByte()), End: int(u.call.EndByte())})
	case x.e.p.Facts.NetFramework:
		// C# 7.3, the .NET Framework default, has no target-typed new.
		x.edits = append(x.edits, replace(u.access, "return new ValueTask<object>"))
		x.e.usings["System.Threading.Tasks"] = true
	default:
		x.edits = append(x.edits, replace(u.access, "return new"))
	}
}

// drop deletes the break or return that followed a Return.
func (x *fnEntity) drop(stmt, next *sitter.Node) {
	src := x.e.f.Src
	x.skipped[uint(next.Id())] = true
	if cs.LineStart(src, int(next.StartByte())) == cs.LineStart(src, int(stmt.EndByte())) {
		x.edits = append(x.edits, edit.Edit{Start: int(stmt.EndByte()), End: int(next.EndByte())})
		return
	}
	e := removeLine(x.e.f, int(next.StartByte()), int(next.EndByte()))
	if e.Start == cs.LineStart(src, int(next.StartByte())) {
		x.removed[e.Start] = true
	}
	x.edits = append(x.edits, e)
}

// entityNextStatement is the statement after n in its block or switch section;
// an embedded statement (an if's branch) has none.
func entityNextStatement(m *cs.Model, n *sitter.Node) *sitter.Node {
	if p := m.Parent(n); p == nil || (p.Kind() != "block" && p.Kind() != "switch_section") {
		return nil
	}
	for s := n.NextNamedSibling(); s != nil; s = s.NextNamedSibling() {
		if s.Kind() != "comment" {
			return s
		}
	}
	return nil
}

// endsEntityMethod reports whether nothing of the method runs after statement
// n completes: it is last in its block, and so is every statement around it
// up to the body (an if, using or lock ends with its embedded statement).
func endsEntityMethod(m *cs.Model, n, body *sitter.Node) bool {
	for n.Id() != body.Id() {
		par := m.Parent(n)
		if par == nil {
			return false
		}
		switch par.Kind() {
		case "block":
			if entityNextStatement(m, n) != nil {
				return false
			}
		case "if_statement", "using_statement", "lock_statement", "checked_statement", "unsafe_statement", "fixed_statement":
		default:
			return false
		}
		n = par
	}
	return true
}

// entityBreakTarget is the switch or loop a break leaves.
func entityBreakTarget(m *cs.Model, brk *sitter.Node) *sitter.Node {
	for p := m.Parent(brk); p != nil; p = m.Parent(p) {
		switch p.Kind() {
		case "switch_statement", "for_statement", "foreach_statement", "while_statement", "do_statement":
			return p
		}
		if isNestedFunction(p.Kind()) {
			return nil
		}
	}
	return nil
}

// lastStatement is the last statement of a block or switch section that
// stays after the rewrite.
func (x *fnEntity) lastStatement(n *sitter.Node) *sitter.Node {
	for i := int(n.NamedChildCount()) - 1; i >= 0; i-- {
		ch := n.NamedChild(uint(i))
		k := ch.Kind()
		if x.skipped[uint(ch.Id())] || !(k == "block" || strings.HasSuffix(k, "_statement")) {
			continue
		}
		return ch
	}
	return nil
}

// exits reports whether control cannot fall out of statement n once the
// Return calls are returns, so the delegate needs no final return.
func (x *fnEntity) exits(n *sitter.Node) bool {
	if n == nil {
		return false
	}
	switch n.Kind() {
	case "return_statement", "throw_statement":
		return true
	case "expression_statement":
		return x.returns[uint(n.Id())]
	case "block":
		return x.exits(x.lastStatement(n))
	case "if_statement":
		alt := n.ChildByFieldName("alternative")
		return alt != nil && x.exits(n.ChildByFieldName("consequence")) && x.exits(alt)
	case "switch_statement":
		body := n.ChildByFieldName("body")
		if body == nil {
			return false
		}
		hasDefault := false
		for i := uint(0); i < body.NamedChildCount(); i++ {
			sec := body.NamedChild(i)
			if sec.Kind() != "switch_section" {
				continue
			}
			for j := uint(0); j < sec.ChildCount(); j++ {
				if sec.Child(j).Kind() == "default" {
					hasDefault = true
				}
			}
			if !x.exits(x.lastStatement(sec)) {
				return false
			}
		}
		return hasDefault
	}
	return false
}

// signal maps SignalEntity(id, [time,] op[, input]).
func (x *fnEntity) signal(id *sitter.Node, u memberUse) {
	f, args := x.e.f, u.args
	if u.typeArgs != "" {
		x.block(u.call, "SignalEntity"+u.typeArgs+" signals through a typed entity interface, which isolated entities cannot",
			"signal by operation name: "+x.op+".Context.SignalEntity(new EntityInstanceId(name, key), \"operation\", input), then run funcmigrate again")
		return
	}
	scheduled := false
	switch len(args) {
	case 2:
	case 3:
		a := argExpr(args[1])
		if s, known := x.stringTyped(a); known && s {
			break
		}
		if !x.dateTimeTyped(a) {
			x.block(u.call, "funcmigrate cannot tell whether the second argument of "+x.v.name+".SignalEntity is an operation name or a signal time",
				"write the operation name as a string literal or the time as a DateTime expression, or rewrite the call by hand: "+x.op+".Context.SignalEntity(id, operation, input, new SignalEntityOptions { SignalTime = time })")
			return
		}
		scheduled = true
	case 4:
		scheduled = true
	default:
		x.block(u.call, x.v.name+".SignalEntity with "+strconv.Itoa(len(args))+" arguments is not an overload funcmigrate maps", "rewrite it by hand: "+entityMemberMap)
		return
	}
	x.edits = append(x.edits, replace(id, x.op+".Context"))
	input := -1
	if scheduled && len(args) == 4 {
		input = 3
	} else if !scheduled && len(args) == 3 {
		input = 2
	}
	if input >= 0 && !x.plainInput(argExpr(args[input])) {
		// SignalEntityOptions converts implicitly from bool? and
		// DateTimeOffset: such an input would bind to the options parameter.
		x.edits = append(x.edits, insertAt(int(args[input].StartByte()), "input: "))
	}
	if !scheduled {
		return
	}
	for _, use := range x.uses {
		if within(use, args[1]) {
			x.block(args[1], "the signal time of "+x.v.name+".SignalEntity in entity "+x.name+" reads the context", "read the value into a local first and run funcmigrate again")
			return
		}
	}
	at := argExpr(args[1])
	x.edits = append(x.edits,
		edit.Edit{Start: int(args[1].StartByte()), End: int(args[2].StartByte())},
		insertAt(int(args[len(args)-1].EndByte()), ", new SignalEntityOptions { SignalTime = "+f.Text(at)+" }"))
	x.e.usings[durableEntityNamespace] = true
}

// plainInput reports whether an input expression certainly is neither a
// bool nor a DateTimeOffset.
func (x *fnEntity) plainInput(e *sitter.Node) bool {
	f := x.e.f
	if e == nil {
		return false
	}
	if s, known := x.stringTyped(e); known && s {
		return true
	}
	// A read of the context itself has a known type.
	for _, use := range x.uses {
		if !within(use, e) {
			continue
		}
		u, ok := memberOf(x.e.m, use)
		if !ok || (u.call == nil && u.access.Id() != e.Id()) || (u.call != nil && u.call.Id() != e.Id()) {
			continue
		}
		switch u.member {
		case "OperationName", "EntityName", "EntityKey", "EntityId":
			return true
		case "GetState", "GetInput":
			return u.typeArgs != "" && !entitySignalOptionsLike(strings.TrimSuffix(strings.TrimPrefix(u.typeArgs, "<"), ">"))
		}
	}
	switch e.Kind() {
	case "integer_literal", "real_literal", "character_literal", "null_literal", "string_literal", "verbatim_string_literal",
		"raw_string_literal", "interpolated_string_expression", "anonymous_object_creation_expression",
		"array_creation_expression", "implicit_array_creation_expression":
		return true
	case "object_creation_expression":
		if t := e.ChildByFieldName("type"); t != nil {
			return !entitySignalOptionsLike(f.Text(t))
		}
	case "identifier":
		t := declaredTypeOf(f, x.e.m, f.Text(e), e, x.fn.Node)
		return t != "" && t != "var" && t != "object" && t != "dynamic" && !entitySignalOptionsLike(t)
	}
	return false
}

func entitySignalOptionsLike(t string) bool {
	switch simpleTypeName(strings.TrimSuffix(strings.TrimSpace(t), "?")) {
	case "bool", "Boolean", "DateTimeOffset", "SignalEntityOptions":
		return true
	}
	return false
}

func (x *fnEntity) stringTyped(e *sitter.Node) (isString, known bool) {
	if e != nil && e.Kind() == "invocation_expression" && strings.HasPrefix(x.e.f.Text(e), "nameof(") {
		return true, true
	}
	return stringType(x.e.f, x.e.m, e, x.fn.Node)
}

// dateTimeTyped reports whether e certainly is a DateTime: it starts from
// DateTime or from a local or parameter declared as one.
func (x *fnEntity) dateTimeTyped(e *sitter.Node) bool {
	f := x.e.f
	if e == nil {
		return false
	}
	t := strings.ReplaceAll(f.Text(e), " ", "")
	if strings.HasPrefix(t, "DateTime.") || strings.HasPrefix(t, "System.DateTime.") {
		return true
	}
	root := e
	for {
		switch root.Kind() {
		case "invocation_expression":
			root = root.ChildByFieldName("function")
			continue
		case "member_access_expression":
			root = root.ChildByFieldName("expression")
			continue
		case "parenthesized_expression":
			root = root.NamedChild(0)
			continue
		}
		break
	}
	if root == nil || root.Kind() != "identifier" {
		return false
	}
	d := strings.TrimSuffix(strings.ReplaceAll(declaredTypeOf(f, x.e.m, f.Text(root), root, x.fn.Node), " ", ""), "?")
	return d == "DateTime" || d == "System.DateTime"
}

// startOrchestration maps StartNewOrchestration(name, input[, instanceId]).
func (x *fnEntity) startOrchestration(id *sitter.Node, u memberUse) {
	args := u.args
	x.edits = append(x.edits, edit.Edit{Start: int(id.StartByte()), End: int(u.name.EndByte()), New: x.op + ".Context.ScheduleNewOrchestration"})
	n := len(args)
	if n == 3 {
		switch a := argExpr(args[2]); {
		case a == nil:
		case a.Kind() == "null_literal" || (a.Kind() == "default_expression" && a.NamedChildCount() == 0):
			// A null instance id means a new one in both models; a null
			// options argument would pick the copy constructor.
			x.edits = append(x.edits, edit.Edit{Start: int(args[1].EndByte()), End: int(args[2].EndByte())})
			n = 2
		default:
			x.edits = append(x.edits, insertAt(int(a.StartByte()), "new StartOrchestrationOptions("), insertAt(int(a.EndByte()), ")"))
			x.e.usings[durableNamespace] = true
		}
	}
	if in := argExpr(args[1]); n == 2 && in != nil && in.Kind() == "null_literal" {
		// (name, null) would bind to ScheduleNewOrchestration(name, options).
		x.edits = append(x.edits, edit.Edit{Start: int(args[0].EndByte()), End: int(args[1].EndByte())})
	}
}

// wrap moves the body into the delegate of dispatcher d, one level deeper.
func (x *fnEntity) wrap(d string) {
	f := x.e.f
	src := f.Src
	open, closeAt := int(x.body.StartByte()), int(x.body.EndByte())-1
	unit := indentUnit(x.e.m)
	i1 := cs.Indent(src, closeAt) + unit
	i2 := i1 + unit
	async := ""
	if x.fn.Async {
		async = "async "
	}
	head := "return " + d + ".DispatchAsync(" + async + x.op + " =>"
	final := ""
	if !x.exits(x.lastStatement(x.body)) {
		final = x.returnNothing()
	}
	rest := strings.TrimSpace(string(src[open+1 : cs.LineEnd(src, open)]))
	multi := (rest == "" || strings.HasPrefix(rest, "//")) && cs.OnlyWhitespaceBefore(src, closeAt) &&
		cs.LineStart(src, closeAt) != cs.LineStart(src, open)
	if !multi {
		tail := "}); "
		if final != "" {
			tail = final + " " + tail
		}
		x.edits = append(x.edits, insertAt(open+1, " "+head+" {"), insertAt(closeAt, tail))
		return
	}
	tail := i1 + "});" + f.EOL
	if final != "" {
		tail = i2 + final + f.EOL + tail
	}
	last := cs.LineStart(src, closeAt)
	x.edits = append(x.edits, insertAt(last, tail))
	headed := false
	for at := cs.LineEnd(src, open); at < last; at = cs.LineEnd(src, at) {
		line := string(src[at:cs.LineEnd(src, at)])
		if strings.TrimSpace(line) == "" || x.removed[at] {
			continue
		}
		ws := len(line) - len(strings.TrimLeft(line, " \t"))
		if !headed {
			// The head goes after the first line's indentation, so a
			// statement another rule inserts at that line's start (a
			// logger, say) stays in the method, ahead of the dispatch.
			headed = true
			x.edits = append(x.edits, insertAt(at+ws, head+f.EOL+i1+"{"+f.EOL+i2))
			continue
		}
		if entityInString(x.e.m, x.body, at+ws, at) {
			continue // a line of a multi-line string: its text is not indentation
		}
		x.edits = append(x.edits, insertAt(at+ws, unit))
	}
	if !headed {
		x.edits = append(x.edits, insertAt(open+1, f.EOL+i1+head+f.EOL+i1+"{"))
	}
}

// entityInString reports whether offset off, inside body, lies in a string
// literal that starts before lineStart.
func entityInString(m *cs.Model, body *sitter.Node, off, lineStart int) bool {
	// The search starts at body, which holds off, rather than at the root:
	// from there, tree-sitter steps past every member before this one.
	from := body
	if uint(off) <= body.StartByte() || uint(off) >= body.EndByte() {
		from = m.File.Root
	}
	for n := from.DescendantForByteRange(uint(off), uint(off)); n != nil; n = m.Parent(n) {
		switch n.Kind() {
		case "string_literal", "verbatim_string_literal", "raw_string_literal", "interpolated_string_expression":
			if int(n.StartByte()) < lineStart {
				return true
			}
		}
	}
	return false
}

// otherContexts reports IDurableEntityContext where no entity function binds
// it: helpers, fields, locals, type arguments.
func (e *entityPass) otherContexts() {
	f, m := e.f, e.m
	imports := usesDurable(m)
	for _, id := range m.IdentList() {
		t, ok := durableTypeName(m, id, imports)
		if !ok || t.kind != entityContext {
			continue
		}
		tn := typeNodeOf(m, id.Node)
		if e.handled[uint(tn.Id())] {
			continue
		}
		what := id.Name
		if par := m.Parent(tn); par != nil && par.Kind() == "parameter" {
			if n := par.ChildByFieldName("name"); n != nil {
				what += " parameter " + f.Text(n)
			}
			if fn := enclosingMethod(m, par); fn != nil && fn.ChildByFieldName("name") != nil {
				what += " of " + f.Text(fn.ChildByFieldName("name"))
			}
		}
		e.report(int(tn.StartByte()), true, what+" has no isolated equivalent outside an entity function",
			"pass the values needed, or the TaskEntityOperation of the entity's dispatcher.DispatchAsync(operation => ...) delegate, instead: "+entityMemberMap+" (MAPPING.md §7.5)")
	}
}

// entityCurrent reports Entity.Current, which class-based entities used to
// reach their context.
func (e *entityPass) entityCurrent() {
	f, m := e.f, e.m
	for _, x := range m.Named("Current") {
		id := x.Node
		acc := m.Parent(id)
		if acc == nil || acc.Kind() != "member_access_expression" {
			continue
		}
		if n := acc.ChildByFieldName("name"); n == nil || n.Id() != id.Id() {
			continue
		}
		recv := acc.ChildByFieldName("expression")
		if recv == nil {
			continue
		}
		r := strings.ReplaceAll(f.Text(recv), " ", "")
		if !(r == "Entity" && e.durable && !declaredInFile(m, "Entity")) && r != inProcessDurableNS+".Entity" {
			continue
		}
		member := ""
		if outer, ok := entityMemberOfExpr(e.m, acc); ok {
			member = outer.member
		} else if outer := m.Parent(acc); outer != nil && outer.Kind() == "member_access_expression" {
			if n := outer.ChildByFieldName("name"); n != nil && n.Kind() == "generic_name" && n.NamedChild(0) != nil {
				member = f.Text(n.NamedChild(0))
			}
		}
		what := "Entity.Current"
		if member != "" {
			what += "." + member
		}
		e.report(int(acc.StartByte()), true, what+" has no isolated equivalent", entityCurrentAction(member))
	}
}

// entityCurrentAction is the §7.5 map as seen from a class-based entity,
// led by the member used.
func entityCurrentAction(member string) string {
	targets := map[string]string{
		"EntityName":            "context.Id.Name",
		"EntityKey":             "context.Id.Key",
		"EntityId":              "context.Id",
		"SignalEntity":          "context.SignalEntity",
		"StartNewOrchestration": "context.ScheduleNewOrchestration",
	}
	lead := ""
	if t, ok := targets[member]; ok {
		lead = "use " + t + ": "
	}
	return lead + "take a TaskEntityContext context parameter in this operation method (the dispatcher passes it in) or derive the class from TaskEntity<TState> and use its Context, " +
		"then EntityName → context.Id.Name, EntityKey → context.Id.Key, EntityId → context.Id, " +
		"SignalEntity(id, op, input) → context.SignalEntity(id, op, input) (scheduled: new SignalEntityOptions { SignalTime = t } as the last argument), " +
		"StartNewOrchestration(name, input, id) → context.ScheduleNewOrchestration(name, input, new StartOrchestrationOptions(id)), " +
		"DeleteState() → State.SetState(null) of the TaskEntityOperation; BatchSize and BatchPosition have no equivalent (MAPPING.md §7.5)"
}

// entityIDs renames EntityId to EntityInstanceId and its members and
// constructor labels to the isolated ones.
func (e *entityPass) entityIDs() {
	f, m := e.f, e.m
	if renameDurableTypes(e.p, map[string]string{"EntityId": "EntityInstanceId"}, durableEntityNamespace) {
		e.usings[durableEntityNamespace] = true
	}
	if declaredInFile(m, "EntityId") {
		return
	}
	type idVar struct {
		name        string
		decl, scope *sitter.Node
	}
	var vars []idVar
	for _, x := range m.Named("EntityId") {
		id := x.Node
		if !isTypeUse(m, id) || !(e.durable || qualifiedWithWebJobs(m, id)) {
			continue
		}
		tn := typeNodeOf(m, id)
		par := m.Parent(tn)
		if par != nil && par.Kind() == "nullable_type" {
			tn, par = par, m.Parent(par)
		}
		if par == nil {
			continue
		}
		if t := par.ChildByFieldName("type"); t == nil || t.Id() != tn.Id() {
			continue
		}
		switch par.Kind() {
		case "object_creation_expression":
			e.entityIDCreation(par)
			// var id = new EntityId(...)
			if d := m.Parent(par); d != nil && d.Kind() == "variable_declarator" {
				if decl := m.Parent(d); decl != nil && decl.Kind() == "variable_declaration" {
					if t := decl.ChildByFieldName("type"); t != nil && t.Kind() == "implicit_type" {
						if n := d.ChildByFieldName("name"); n != nil {
							if scope := enclosingBlock(m, decl); scope != nil {
								vars = append(vars, idVar{f.Text(n), d, scope})
							}
						}
					}
				}
			}
		case "parameter":
			if n, list := par.ChildByFieldName("name"), m.Parent(par); n != nil && list != nil && m.Parent(list) != nil {
				vars = append(vars, idVar{f.Text(n), par, m.Parent(list)})
			}
		case "variable_declaration":
			scope := m.Parent(par)
			if scope == nil {
				continue
			}
			if scope.Kind() == "field_declaration" {
				scope = m.Parent(scope)
			} else {
				scope = enclosingBlock(m, scope)
			}
			if scope == nil {
				continue
			}
			for i := uint(0); i < par.NamedChildCount(); i++ {
				if d := par.NamedChild(i); d.Kind() == "variable_declarator" {
					if n := d.ChildByFieldName("name"); n != nil {
						vars = append(vars, idVar{f.Text(n), d, scope})
					}
				}
			}
		}
	}
	for _, v := range vars {
		declStart, declEnd := v.decl.StartByte(), v.decl.EndByte()
		for _, x := range m.NamedWithin(v.name, v.scope) {
			id := x.Node
			if x.Start >= declStart && x.End <= declEnd || !isVariableUse(m, id) {
				continue
			}
			u, ok := memberOf(m, id)
			if !ok || u.call != nil {
				continue
			}
			switch u.member {
			case "EntityName":
				e.p.Fix("Read EntityInstanceId.Name", renameMember(u, "Name"))
			case "EntityKey":
				e.p.Fix("Read EntityInstanceId.Key", renameMember(u, "Key"))
			}
		}
	}
}

// entityIDCreation renames the constructor labels of new EntityId(...) and
// a member read straight off it.
func (e *entityPass) entityIDCreation(c *sitter.Node) {
	f := e.f
	for _, a := range callArgs(c) {
		n := a.ChildByFieldName("name")
		if n == nil {
			continue
		}
		switch f.Text(n) {
		case "entityName":
			e.p.Fix("Use EntityInstanceId's parameter name", replace(n, "name"))
		case "entityKey":
			e.p.Fix("Use EntityInstanceId's parameter name", replace(n, "key"))
		}
	}
	if u, ok := entityMemberOfExpr(e.m, c); ok {
		switch u.member {
		case "EntityName":
			e.p.Fix("Read EntityInstanceId.Name", renameMember(u, "Name"))
		case "EntityKey":
			e.p.Fix("Read EntityInstanceId.Key", renameMember(u, "Key"))
		}
	}
}

// stateSerialization reports the Newtonsoft.Json attributes of class-based
// entities' state classes: the isolated worker stores state with
// System.Text.Json (MAPPING.md §7.5, §7.6). A class that also crosses a
// binding is cs-json-serializer's to report.
func (e *entityPass) stateSerialization() {
	if len(e.states) == 0 {
		return
	}
	f, m := e.f, e.m
	j := &jsonCheck{p: e.p, f: f, marked: map[int]bool{}}
	newtonsoft, stj := hasUsing(m, "Newtonsoft.Json"), hasUsing(m, "System.Text.Json.Serialization")
	for _, a := range m.Attributes {
		if !j.isNewtonsoft(a, newtonsoft, stj) {
			continue
		}
		decl, member := attributeOwner(e.m, a)
		if decl == nil || decl.ChildByFieldName("name") == nil {
			continue
		}
		name := f.Text(decl.ChildByFieldName("name"))
		if !e.states[name] {
			continue
		}
		if _, bound := e.p.Facts.BoundTypes[name]; bound {
			continue
		}
		what, action := j.attributeChange(a, member, name)
		if what == "" {
			continue
		}
		e.report(int(a.Node.StartByte()), true, "entity state "+name+" is stored with System.Text.Json in the isolated worker: "+what,
			action+", "+keepNewtonsoftForState+" (MAPPING.md §7.5, §7.6)")
	}
}
