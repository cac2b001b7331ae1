package rules

import (
	"slices"
	"strings"

	sitter "github.com/tree-sitter/go-tree-sitter"

	"github.com/funcmigrate/funcmigrate/rewrite"
	"github.com/funcmigrate/funcmigrate/rewrite/cs"
	"github.com/funcmigrate/funcmigrate/rewrite/edit"
)

// DurableClient moves Durable Functions client (starter) code to DurableTaskClient.
var DurableClient = &rewrite.Rule{
	Name: "cs-durable-client",
	Doc: `migrate Durable Functions client code to DurableTaskClient

A [DurableClient] parameter of type IDurableClient, IDurableOrchestrationClient
or IDurableEntityClient, and a Durable 1.x [OrchestrationClient]
DurableOrchestrationClient(Base) parameter, become [DurableClient]
DurableTaskClient, keeping TaskHub and ConnectionName; every other use of
those types in the file (helper parameters, fields) is renamed as well.
ExternalClient has no isolated counterpart: it is removed and reported when
it was true.

Calls on client variables follow MAPPING.md §7.4. StartNewAsync becomes
ScheduleNewOrchestrationInstanceAsync. In Durable 2.x the non-generic
two-argument StartNewAsync takes an instance id, not an input: a second
argument whose static type is string goes into new
StartOrchestrationOptions(id), a null literal is dropped, a known non-string
argument or an explicit type argument stays the input, and a second argument
of unknown or dynamic type is reported with both rewrites. Durable 1.x's
two-argument form always passes the input. The three-argument form becomes
(name, input, new StartOrchestrationOptions(id)). GetStatusAsync(id) becomes
GetInstanceAsync(id, getInputsAndOutputs: true), because the isolated
default fetches neither input nor output. TerminateAsync, SuspendAsync,
ResumeAsync and RewindAsync gain Instance in their names, RestartAsync(id)
passes restartWithNewInstanceId: true (the isolated default is false), and
PurgeInstanceHistoryAsync(id) becomes PurgeInstanceAsync(id). Entity calls
go through client.Entities: SignalEntityAsync keeps its arguments, a
scheduled signal passes its time in SignalEntityOptions, ReadEntityStateAsync
becomes GetEntityAsync and CleanEntityStorageAsync takes a
CleanEntityStorageRequest. EntityId is left to cs-durable-entity.

CreateCheckStatusResponse becomes an awaited CreateCheckStatusResponseAsync,
which only accepts HttpRequestData. An HttpRequestMessage function is moved
to HttpRequestData by cs-http-message. An HttpRequest function moves to
HttpRequestData and Task<HttpResponseData> when it is async, returns only
the check-status response and reads the request only in ways HttpRequestData
supports with the same meaning (Body, Method, a Query value read as a
string, ReadFromJsonAsync); otherwise the call is reported.

DurableOrchestrationStatus becomes OrchestrationMetadata: CreatedTime and
LastUpdatedTime become CreatedAt and LastUpdatedAt (DateTimeOffset values,
noted), and Output.ToObject<T>() (likewise Input and CustomStatus) becomes
ReadOutputAs<T>(). PurgeHistoryResult becomes PurgeResult, and the counts of
PurgeHistoryResult and CleanEntityStorageResult take their isolated names.

Reported instead: query and batch overloads of GetStatusAsync,
ListInstancesAsync and ListEntitiesAsync (now AsyncPageable results),
history, other uses of the JToken Input, Output and CustomStatus, a status
object passed on as a whole, EntityExists and EntityState of a read entity,
cross-task-hub overloads, returnInternalServerErrorOnFailure,
WaitForCompletionOrCreateCheckStatusResponseAsync, TaskHubName,
MakeCurrentAppPrimaryAsync, typed entity proxies, query and factory types
without a counterpart, and any other member of a client. Inputs, event
payloads and entity inputs are now serialized with System.Text.Json, which
is noted once per file.`,
	Ref: "MAPPING.md §7.4",
	URL: durableMigrateGuideURL,
	Run: runDurableClient,
}

// The isolated namespace of DurableEntityClient, EntityMetadata,
// CleanEntityStorageRequest and CleanEntityStorageResult (worker-api.json).
const durableClientEntitiesNamespace = "Microsoft.DurableTask.Client.Entities"

// clientUsings is the order in which the namespaces the rewritten code
// needs are imported, so the output does not depend on map order.
var clientUsings = []string{durableNamespace, durableClientNamespace, durableClientEntitiesNamespace, durableEntityNamespace}

// Result types the rule renames; their members are mapped where a variable
// holds one.
var (
	clientResultTypes   = map[string]string{"DurableOrchestrationStatus": "OrchestrationMetadata", "PurgeHistoryResult": "PurgeResult"}
	clientEntityResults = map[string]string{"EntityStateResponse": "EntityMetadata"}
)

// In-process client types with no isolated type of the same shape; each
// use is reported with what replaces it.
var clientLeftoverTypes = map[string]string{
	"OrchestrationStatusQueryCondition": "query with GetAllInstancesAsync(new OrchestrationQuery(...)) and await foreach over the AsyncPageable<OrchestrationMetadata> (MAPPING.md §7.4)",
	"OrchestrationStatusQueryResult":    "GetAllInstancesAsync returns AsyncPageable<OrchestrationMetadata>: iterate it with await foreach (MAPPING.md §7.4)",
	"EntityQuery":                       "use Microsoft.DurableTask.Client.Entities.EntityQuery: EntityName becomes InstanceIdStartsWith, IncludeDeleted becomes IncludeTransient (MAPPING.md §7.4)",
	"EntityQueryResult":                 "client.Entities.GetAllEntitiesAsync returns AsyncPageable<EntityMetadata>: iterate it with await foreach (MAPPING.md §7.4)",
	"IDurableClientFactory":             "bind [DurableClient] DurableTaskClient in a function, or register a DurableTaskClient in Program.cs for code outside functions (MAPPING.md §8 item 24)",
	"DurableClientOptions":              "set TaskHub and ConnectionName on [DurableClient] instead (MAPPING.md §7.1, §8 item 24)",
}

// A resultKind says what a tracked value holds.
type resultKind int

const (
	statusResult      resultKind = iota + 1 // DurableOrchestrationStatus → OrchestrationMetadata
	entityStateResult                       // EntityStateResponse<T> → EntityMetadata<T>?
	purgeResult                             // PurgeHistoryResult → PurgeResult
	cleanResult                             // CleanEntityStorageResult, same name in another namespace
)

// A clientPass is the rule running on one file.
type clientPass struct {
	p         *rewrite.Pass
	f         *cs.File
	m         *cs.Model
	imports   bool // the file imports a Durable namespace
	vars      []*durableVar
	recv      map[uintptr]bool // expressions that read a client variable
	ns        map[string]bool  // namespaces the rewritten code needs
	results   map[uintptr]*trackedResult
	order     []*trackedResult
	lines     map[int]bool            // lines this rule already reported on
	payloadAt int                     // first place a payload is sent or read, -1 when none
	moved     map[*cs.Function]string // why an HttpRequest starter cannot move, "" once it moved

	// statuses are the status results of order by variable name, so that
	// telling whether an identifier reads one does not scan them all.
	statuses map[string][]*trackedResult
}

// A trackedResult is a variable holding a status, entity state or purge
// or clean result.
type trackedResult struct {
	v    *durableVar // only name, decl and scope are set
	kind resultKind
}

func runDurableClient(p *rewrite.Pass) {
	c := &clientPass{p: p, f: p.File, m: p.Model, imports: usesDurable(p.Model),
		recv: map[uintptr]bool{}, ns: map[string]bool{}, results: map[uintptr]*trackedResult{}, statuses: map[string][]*trackedResult{},
		lines: map[int]bool{}, moved: map[*cs.Function]string{}, payloadAt: -1}
	for _, v := range durableVars(c.m) {
		if v.typ.kind != durableClient {
			continue
		}
		c.vars = append(c.vars, v)
		for _, id := range c.receivers(v) {
			c.recv[id.Id()] = true
		}
	}
	c.attributes()
	clientTypes := map[string]string{}
	for name, t := range durableTypes {
		if t.kind == durableClient {
			clientTypes[name] = t.to
		}
	}
	if renameDurableTypes(p, clientTypes, durableClientNamespace) {
		c.ns[durableClientNamespace] = true
	}
	if renameDurableTypes(p, clientResultTypes, durableClientNamespace) {
		c.ns[durableClientNamespace] = true
	}
	if renameDurableTypes(p, clientEntityResults, durableClientEntitiesNamespace) {
		c.ns[durableClientEntitiesNamespace] = true
	}
	c.runtimeStatus()
	c.declaredResults()
	for _, v := range c.vars {
		for _, id := range c.receivers(v) {
			if u, ok := memberOf(c.m, id); ok {
				c.member(v, u)
			}
		}
	}
	for _, r := range c.order {
		for _, id := range r.v.uses(c.f, c.m) {
			c.resultUse(id, r.kind)
		}
	}
	c.leftoverTypes()
	if c.payloadAt >= 0 {
		p.Note(c.payloadAt, "orchestration inputs and outputs, event payloads and entity inputs and state now go through System.Text.Json instead of Newtonsoft.Json: check [JsonProperty] names, casing and converters, and the payloads of instances still in flight (MAPPING.md §7.6)")
	}
	for _, ns := range clientUsings {
		if c.ns[ns] {
			needUsing(p, ns)
		}
	}
}

// receivers returns the expressions that read client variable v: its
// identifier, and this.name for a field.
func (c *clientPass) receivers(v *durableVar) []*sitter.Node {
	out := v.uses(c.f, c.m)
	if d := c.m.Parent(v.decl); d == nil || c.m.Parent(d) == nil || c.m.Parent(d).Kind() != "field_declaration" {
		return out
	}
	for _, x := range c.m.NamedWithin(v.name, v.scope) {
		id := x.Node
		acc := c.m.Parent(id)
		if acc == nil || acc.Kind() != "member_access_expression" {
			continue
		}
		if x, n := acc.ChildByFieldName("expression"), acc.ChildByFieldName("name"); x != nil && n != nil && x.Kind() == "this" && n.Id() == id.Id() {
			out = append(out, acc)
		}
	}
	return out
}

func (c *clientPass) report(n *sitter.Node, message, action string) {
	c.lines[c.f.Line(int(n.StartByte()))] = true
	c.p.Report(int(n.StartByte()), true, message, action)
}

// durableTypeUse reports whether id names the in-process Durable type it
// spells: a type use in a file that imports Durable, or written qualified.
func (c *clientPass) durableTypeUse(id cs.Ident) bool {
	if !isTypeUse(c.m, id.Node) || declaredInFile(c.m, id.Name) {
		return false
	}
	return c.imports || qualifiedWithWebJobs(c.m, id.Node)
}

// attributes turns [OrchestrationClient] into [DurableClient] and drops
// ExternalClient, which the isolated attribute does not have.
func (c *clientPass) attributes() {
	f := c.f
	for _, a := range c.m.Attributes {
		if a.Name != "DurableClient" && a.Name != "OrchestrationClient" {
			continue
		}
		if !c.imports && !strings.HasPrefix(a.Qualifier, "Microsoft.Azure.WebJobs") {
			continue
		}
		if holder := c.m.Parent(a.List); holder == nil || holder.Kind() != "parameter" {
			continue
		}
		var edits []edit.Edit
		if f.Text(a.NameNode) != "DurableClient" {
			edits = append(edits, replace(a.NameNode, "DurableClient"))
		}
		var items []*sitter.Node
		drop := map[int]bool{}
		for i, arg := range a.Args {
			items = append(items, arg.Node)
			switch {
			case arg.Name == "ExternalClient" && !arg.Colon:
				drop[i] = true
				if arg.Value == nil || f.Text(arg.Value) != "false" {
					c.report(arg.Node, "ExternalClient was removed: the isolated [DurableClient] has no such property",
						"check that TaskHub and ConnectionName name the other app's task hub and storage connection, and that the isolated client can reach it (MAPPING.md §7.1, §8 item 20)")
				}
			case (arg.Name == "TaskHub" || arg.Name == "ConnectionName") && !arg.Colon:
			default:
				c.report(arg.Node, "["+a.Name+"] argument "+strings.Join(strings.Fields(f.Text(arg.Node)), " ")+" has no isolated counterpart",
					"configure the client with TaskHub and ConnectionName only (MAPPING.md §7.1)")
			}
		}
		switch {
		case len(drop) > 0 && len(drop) == len(a.Args):
			edits = append(edits, replace(a.ArgList, ""))
		case len(drop) > 0:
			edits = append(edits, removeListItems(items, drop)...)
		}
		c.p.Fix("Bind the isolated [DurableClient]", edits...)
	}
}

// runtimeStatus imports the isolated OrchestrationRuntimeStatus, which has
// the same name, and reports Unknown, which it lacks.
func (c *clientPass) runtimeStatus() {
	f := c.f
	for _, x := range c.m.Named("OrchestrationRuntimeStatus") {
		if !c.durableTypeUse(x) {
			continue
		}
		id := x.Node
		c.ns[durableClientNamespace] = true
		if tn := typeNodeOf(c.m, id); tn.Kind() == "qualified_name" && strings.HasPrefix(f.Text(tn), "Microsoft.Azure.WebJobs") {
			c.p.Fix("Use the isolated OrchestrationRuntimeStatus", renameType(f, tn, "OrchestrationRuntimeStatus", durableClientNamespace))
		}
		if acc := c.m.Parent(id); acc != nil && acc.Kind() == "member_access_expression" {
			if n := acc.ChildByFieldName("name"); n != nil && f.Text(n) == "Unknown" {
				c.report(acc, "OrchestrationRuntimeStatus.Unknown does not exist in the isolated enum",
					"test for a null OrchestrationMetadata instead: GetInstanceAsync returns null for an unknown instance (MAPPING.md §7.4)")
			}
		}
	}
}

// leftoverTypes reports client types without an isolated type of the same
// shape, once per line.
func (c *clientPass) leftoverTypes() {
	for _, id := range c.m.IdentList() {
		action, ok := clientLeftoverTypes[id.Name]
		if !ok || !c.durableTypeUse(id) || c.lines[c.f.Line(int(id.Start))] {
			continue
		}
		c.report(id.Node, id.Name+" has no isolated counterpart", action)
	}
}

// declaredResults tracks variables declared with a result type.
func (c *clientPass) declaredResults() {
	kinds := map[string]resultKind{
		"DurableOrchestrationStatus": statusResult,
		"EntityStateResponse":        entityStateResult,
		"PurgeHistoryResult":         purgeResult,
		"CleanEntityStorageResult":   cleanResult,
	}
	for _, id := range c.m.IdentList() {
		kind, ok := kinds[id.Name]
		if !ok || !c.durableTypeUse(id) {
			continue
		}
		if kind == cleanResult {
			c.ns[durableClientEntitiesNamespace] = true // same name, isolated namespace
		}
		tn := typeNodeOf(c.m, id.Node)
		for p := c.m.Parent(tn); p != nil && (p.Kind() == "generic_name" || p.Kind() == "nullable_type"); p = c.m.Parent(tn) {
			tn = p
		}
		for _, d := range declaredWith(c.m, tn) {
			c.track(d.name, d.decl, d.scope, kind)
		}
	}
}

// track records a variable holding a result, once per declaration.
func (c *clientPass) track(name, decl, scope *sitter.Node, kind resultKind) {
	if _, ok := c.results[decl.Id()]; ok {
		return
	}
	r := &trackedResult{v: &durableVar{name: c.f.Text(name), decl: decl, scope: scope}, kind: kind}
	c.results[decl.Id()] = r
	c.order = append(c.order, r)
	if kind == statusResult {
		c.statuses[r.v.name] = append(c.statuses[r.v.name], r)
	}
}

// notePayload marks n as sending or reading a payload; the file's first
// such place gets the note that payloads change serializer.
func (c *clientPass) notePayload(n *sitter.Node) {
	if c.payloadAt < 0 || int(n.StartByte()) < c.payloadAt {
		c.payloadAt = int(n.StartByte())
	}
}

// sendPayload notes the serializer change for an argument sent as a
// payload and reports a Newtonsoft JSON DOM value, which System.Text.Json
// would write as nested empty arrays.
func (c *clientPass) sendPayload(arg *sitter.Node) {
	if e := argExpr(arg); e != nil && e.Kind() == "identifier" {
		switch t := simpleTypeName(declaredTypeOf(c.f, c.m, c.f.Text(e), e, outerMethod(c.m, e))); t {
		case "JObject", "JToken", "JArray", "JValue":
			c.report(arg, c.f.Text(e)+" is a Newtonsoft.Json "+t+", which System.Text.Json does not serialize as the JSON it holds",
				"pass a class, or a System.Text.Json JsonNode (MAPPING.md §7.6, §8 item 18)")
		}
	}
	c.notePayload(arg)
}

// member rewrites or reports one use of a client variable (MAPPING.md §7.4).
func (c *clientPass) member(v *durableVar, u memberUse) {
	if u.call == nil && u.member != "TaskHubName" {
		c.report(u.access, v.name+"."+u.member+" is used without being called; DurableTaskClient's methods have other names and parameters",
			"call the DurableTaskClient method directly (MAPPING.md §7.4)")
		return
	}
	switch u.member {
	case "StartNewAsync":
		c.startNew(v, u)
	case "GetStatusAsync":
		c.getStatus(u)
	case "ListInstancesAsync":
		c.report(u.access, "ListInstancesAsync was replaced by GetAllInstancesAsync, which returns an AsyncPageable<OrchestrationMetadata>",
			"query with "+v.name+".GetAllInstancesAsync(new OrchestrationQuery(...)) and iterate with await foreach (MAPPING.md §7.4)")
	case "TerminateAsync", "SuspendAsync", "ResumeAsync", "RewindAsync":
		c.lifecycle(u)
	case "RaiseEventAsync":
		c.raiseEvent(v, u)
	case "RestartAsync":
		c.restart(u)
	case "PurgeInstanceHistoryAsync":
		c.purge(v, u)
	case "CreateHttpManagementPayload":
		// The worker's extension of that name takes the same instance id
		// (MAPPING.md §7.4).
	case "CreateCheckStatusResponse":
		c.checkStatus(v, u)
	case "WaitForCompletionOrCreateCheckStatusResponseAsync":
		c.report(u.access, "WaitForCompletionOrCreateCheckStatusResponseAsync has no verified isolated counterpart: MAPPING.md §7.4 describes one that takes HttpRequestData and a CancellationToken instead of the timeout, which the checked worker API does not list",
			"call it with HttpRequestData and a CancellationToken that cancels after the timeout if your Worker.Extensions.DurableTask has it; otherwise await "+v.name+".WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, token) under that token and fall back to return await "+v.name+".CreateCheckStatusResponseAsync(req, id) (MAPPING.md §7.4)")
	case "TaskHubName":
		c.report(u.access, "TaskHubName has no verified isolated counterpart",
			"use "+v.name+".Name if it gives the task hub name in your setup, or read the task hub from configuration (MAPPING.md §7.4)")
	case "MakeCurrentAppPrimaryAsync":
		c.report(u.access, "MakeCurrentAppPrimaryAsync was removed from the isolated client",
			"remove the call (MAPPING.md §7.4)")
	case "SignalEntityAsync":
		c.signalEntity(v, u)
	case "ReadEntityStateAsync":
		c.readEntityState(v, u)
	case "CleanEntityStorageAsync":
		c.cleanEntityStorage(v, u)
	case "ListEntitiesAsync":
		c.report(u.access, "ListEntitiesAsync was replaced by Entities.GetAllEntitiesAsync, which returns an AsyncPageable<EntityMetadata>",
			"query with "+v.name+".Entities.GetAllEntitiesAsync(new EntityQuery { InstanceIdStartsWith = ..., IncludeTransient = ... }) and iterate with await foreach (MAPPING.md §7.4)")
	default:
		c.report(u.access, u.member+" is not a member this tool maps to DurableTaskClient",
			"rewrite the call against DurableTaskClient (MAPPING.md §7.4)")
	}
}

// startNew rewrites StartNewAsync, minding the Durable 2.x overload that
// takes an instance id where one would expect an input.
func (c *clientPass) startNew(v *durableVar, u memberUse) {
	f, args := c.f, u.args
	schedule := "ScheduleNewOrchestrationInstanceAsync"
	const msg = "Schedule the orchestration with ScheduleNewOrchestrationInstanceAsync"
	edits := []edit.Edit{replace(u.name, schedule)}
	// name: labels are accepted where they match the position, so the
	// overload is still known from the argument count.
	labels := [][]string{{"orchestratorFunctionName"}, {"instanceId", "input"}, {"input"}}
	if len(args) == 3 {
		labels[1] = []string{"instanceId"}
	}
	ok := len(args) >= 1 && len(args) <= 3
	for i, a := range args {
		if n := argName(f, a); ok && n != "" && !slices.Contains(labels[i], n) {
			ok = false
		}
	}
	if !ok {
		c.report(u.access, "StartNewAsync with these arguments is not rewritten",
			"call "+v.name+"."+schedule+"(name, input, new StartOrchestrationOptions(instanceId)) (MAPPING.md §7.4)")
		return
	}
	if argName(f, args[0]) != "" {
		edits = append(edits, replace(args[0].ChildByFieldName("name"), "orchestratorName"))
	}
	// openOptions starts new StartOrchestrationOptions( in place of the
	// argument's label, if any.
	openOptions := func(a *sitter.Node) edit.Edit {
		return edit.Edit{Start: int(a.StartByte()), End: int(argExpr(a).StartByte()), New: "new StartOrchestrationOptions("}
	}
	switch len(args) {
	case 1:
		c.p.Fix(msg, edits...)
	case 2:
		second := argExpr(args[1])
		switch {
		case isNullLiteral(second):
			// Neither an instance id nor an input: both defaults.
			c.p.Fix(msg, append(edits, edit.Edit{Start: int(args[0].EndByte()), End: int(args[1].EndByte())})...)
		case argName(f, args[1]) == "input" || v.typ.v1 || u.typeArgs != "":
			// Durable 1.x: StartNewAsync(name, object input); 2.x with a
			// type argument: StartNewAsync<T>(name, T input).
			c.p.Fix(msg, edits...)
			c.sendPayload(args[1])
		default:
			isString, known := c.stringType(second)
			if argName(f, args[1]) == "instanceId" {
				isString, known = true, true
			}
			text := f.Text(second)
			switch {
			case !known:
				why := "its type is unknown"
				if c.isDynamic(second) {
					why = "it is dynamic, so the overload was chosen at run time"
				}
				c.report(u.access, "StartNewAsync(..., "+text+"): in-process, a string second argument is the instance id and anything else is the input, and "+why,
					"if "+text+" is the instance id, call "+v.name+"."+schedule+"("+f.Text(args[0])+", new StartOrchestrationOptions("+text+")); if it is the input, call "+v.name+"."+schedule+"("+f.Text(args[0])+", "+text+") (MAPPING.md §7.4)")
			case isString:
				c.ns[durableNamespace] = true
				c.p.Fix("Pass the instance id in StartOrchestrationOptions: StartNewAsync(name, string) took an instance id",
					append(edits, openOptions(args[1]), insertAt(int(args[1].EndByte()), ")"))...)
			default:
				c.p.Fix(msg, edits...)
				c.sendPayload(args[1])
			}
		}
	case 3:
		id, input := argExpr(args[1]), argExpr(args[2])
		switch {
		case isNullLiteral(id) && isNullLiteral(input):
			c.p.Fix(msg, append(edits, edit.Edit{Start: int(args[0].EndByte()), End: int(args[2].EndByte())})...)
		case isNullLiteral(id):
			c.p.Fix(msg, append(edits, edit.Edit{Start: int(args[1].StartByte()), End: int(args[2].StartByte())})...)
			c.sendPayload(args[2])
		case isNullLiteral(input):
			c.ns[durableNamespace] = true
			c.p.Fix("Pass the instance id in StartOrchestrationOptions", append(edits, openOptions(args[1]),
				edit.Edit{Start: int(args[1].EndByte()), End: int(args[2].EndByte()), New: ")"})...)
		default:
			// Only the instance id moves, so edits inside the input (by
			// other rules) still apply.
			c.ns[durableNamespace] = true
			c.p.Fix("Pass the input before StartOrchestrationOptions with the instance id", append(edits,
				edit.Edit{Start: int(args[1].StartByte()), End: int(args[2].StartByte())},
				insertAt(int(args[2].EndByte()), argSep(f, args[1], args[2])+"new StartOrchestrationOptions("+f.Text(id)+")"))...)
			c.sendPayload(args[2])
		}
	}
}

// getStatus rewrites the single-instance GetStatusAsync and reports the
// batch and query overloads.
func (c *clientPass) getStatus(u memberUse) {
	f, args := c.f, u.args
	if len(args) == 0 {
		c.reportQuery(u)
		return
	}
	if n := argName(f, args[0]); n != "" && n != "instanceId" {
		c.reportStatusOverload(u, n)
		return
	}
	if argName(f, args[0]) == "" {
		isString, known := c.stringType(argExpr(args[0]))
		switch {
		case known && !isString:
			c.reportStatusOverload(u, "")
			return
		case !known && c.isDynamic(argExpr(args[0])):
			c.report(u.access, "GetStatusAsync("+f.Text(args[0])+") takes a dynamic value, so the overload was chosen at run time",
				"call GetInstanceAsync(id, getInputsAndOutputs: true) for an instance id (MAPPING.md §7.4)")
			return
		case !known && (len(args) > 1 && !c.isBool(argExpr(args[1])) || strings.HasPrefix(f.Text(args[0]), "DateTime")):
			// (from[, to, statuses]) or (condition, token).
			c.reportQuery(u)
			return
		}
		// A wrong guess between the single-id and the list overload does
		// not compile: GetInstanceAsync takes a string.
	}
	params := []string{"instanceId", "showHistory", "showHistoryOutput", "showInput"}
	for i, a := range args[1:] {
		name := argName(f, a)
		if name == "" && i+1 < len(params) {
			name = params[i+1]
		}
		switch name {
		case "showHistory":
			if e := argExpr(a); e == nil || f.Text(e) != "false" {
				c.report(u.access, "GetStatusAsync with showHistory: the isolated OrchestrationMetadata has no History",
					"read the history with GetOrchestrationHistoryAsync(instanceId) and the status with GetInstanceAsync(instanceId, getInputsAndOutputs: true) (MAPPING.md §7.4, §7.6)")
				return
			}
		case "showHistoryOutput", "showInput":
		default:
			c.reportStatusOverload(u, name)
			return
		}
	}
	last := args[len(args)-1]
	c.p.Fix("Read the status with GetInstanceAsync, fetching inputs and outputs as GetStatusAsync did",
		replace(u.name, "GetInstanceAsync"),
		edit.Edit{Start: int(args[0].EndByte()), End: int(last.EndByte()), New: ", getInputsAndOutputs: true"})
	c.result(u.call, statusResult)
}

func (c *clientPass) reportQuery(u memberUse) {
	c.report(u.access, "GetStatusAsync with a query returns AsyncPageable<OrchestrationMetadata> from GetAllInstancesAsync in the isolated worker",
		"query with GetAllInstancesAsync(new OrchestrationQuery(CreatedFrom, CreatedTo, Statuses, ...)) and iterate with await foreach (MAPPING.md §7.4)")
}

func (c *clientPass) reportStatusOverload(u memberUse, name string) {
	if name == "condition" || name == "createdTimeFrom" || name == "createdTimeTo" || name == "runtimeStatus" {
		c.reportQuery(u)
		return
	}
	c.report(u.access, "GetStatusAsync("+c.f.Text(u.args[0])+") reads several instances or runs a query, which the isolated client does not do in one call",
		"call GetInstanceAsync(id, getInputsAndOutputs: true) for each instance id, or query with GetAllInstancesAsync(new OrchestrationQuery(...)) and await foreach (MAPPING.md §7.4)")
}

// lifecycle renames TerminateAsync, SuspendAsync, ResumeAsync and
// RewindAsync; their parameters keep their order.
func (c *clientPass) lifecycle(u memberUse) {
	to := strings.TrimSuffix(u.member, "Async") + "InstanceAsync"
	labels := map[string]string{"instanceId": "instanceId", "reason": "reason"}
	if u.member == "TerminateAsync" {
		labels["reason"] = "output" // TerminateInstanceAsync(id, object? output)
	}
	if len(u.args) != 2 {
		c.report(u.access, u.member+" with these arguments is not rewritten", "call "+to+"(instanceId, reason) (MAPPING.md §7.4)")
		return
	}
	edits, ok := c.relabel(u, labels)
	if !ok {
		return
	}
	c.p.Fix("Call "+to, append(edits, replace(u.name, to))...)
}

// raiseEvent keeps RaiseEventAsync and reports the cross-task-hub overload.
func (c *clientPass) raiseEvent(v *durableVar, u memberUse) {
	if len(u.args) > 3 || len(u.args) < 2 {
		c.report(u.access, "RaiseEventAsync to another task hub was removed from the isolated client",
			"raise the event from a client bound to that task hub with [DurableClient(TaskHub = ..., ConnectionName = ...)] (MAPPING.md §7.4, §7.6)")
		return
	}
	edits, ok := c.relabel(u, map[string]string{"instanceId": "instanceId", "eventName": "eventName", "eventData": "eventPayload"})
	if !ok {
		return
	}
	c.p.Fix("Rename RaiseEventAsync's eventData argument", edits...)
	if len(u.args) == 3 && !isNullLiteral(argExpr(u.args[2])) {
		c.sendPayload(u.args[2])
	}
}

// restart passes the in-process default for a new instance id, which the
// isolated RestartAsync flips (MAPPING.md §7.6).
func (c *clientPass) restart(u memberUse) {
	switch {
	case len(u.args) == 1:
		c.p.Fix("Keep restarting with a new instance id, as in-process RestartAsync did",
			insertAt(int(u.args[0].EndByte()), ", restartWithNewInstanceId: true"))
	case len(u.args) != 2:
		c.report(u.access, "RestartAsync with these arguments is not rewritten",
			"call RestartAsync(instanceId, restartWithNewInstanceId: true) (MAPPING.md §7.4)")
	}
}

// purge rewrites the single-instance PurgeInstanceHistoryAsync.
func (c *clientPass) purge(v *durableVar, u memberUse) {
	f, args := c.f, u.args
	if len(args) == 1 {
		isString, known := c.stringType(argExpr(args[0]))
		if (isString || !known && !strings.HasPrefix(f.Text(args[0]), "DateTime")) && !c.isDynamic(argExpr(args[0])) {
			edits, ok := c.relabel(u, map[string]string{"instanceId": "instanceId"})
			if !ok {
				return
			}
			c.p.Fix("Purge with PurgeInstanceAsync", append(edits, replace(u.name, "PurgeInstanceAsync"))...)
			c.result(u.call, purgeResult)
			return
		}
		c.report(u.access, "PurgeInstanceHistoryAsync("+f.Text(args[0])+") purges a list of instances; the isolated client has no such overload",
			"call "+v.name+".PurgeInstanceAsync(id) for each instance id (MAPPING.md §7.4)")
		return
	}
	c.report(u.access, "PurgeInstanceHistoryAsync by creation time and status was replaced by PurgeAllInstancesAsync, and the statuses are now OrchestrationRuntimeStatus values",
		"call "+v.name+".PurgeAllInstancesAsync(new PurgeInstancesFilter(createdFrom, createdTo, statuses)) with OrchestrationRuntimeStatus values; the result is a PurgeResult (MAPPING.md §7.4)")
}

// signalEntity moves SignalEntityAsync to client.Entities.
func (c *clientPass) signalEntity(v *durableVar, u memberUse) {
	f, args := c.f, u.args
	if u.typeArgs != "" {
		c.report(u.access, "SignalEntityAsync"+u.typeArgs+" signals through a typed entity proxy, which the isolated client does not have",
			"signal by operation name: "+v.name+".Entities.SignalEntityAsync(new EntityInstanceId(name, key), \"Operation\", input) (MAPPING.md §7.4)")
		return
	}
	if len(args) < 2 {
		c.report(u.access, "SignalEntityAsync with these arguments is not rewritten", "call "+v.name+".Entities.SignalEntityAsync(id, operationName, input) (MAPPING.md §7.4)")
		return
	}
	entities := insertAt(int(u.name.StartByte()), "Entities.")
	// The second argument is the operation name, or a DateTime for a
	// scheduled signal.
	second := argExpr(args[1])
	isString, known := c.stringType(second)
	scheduled := known && !isString || c.isDateTime(second)
	if !known && !scheduled && len(args) > 2 {
		why := "its type is unknown"
		if c.isDynamic(second) {
			why = "it is dynamic, so the overload was chosen at run time"
		}
		c.report(u.access, "SignalEntityAsync(..., "+f.Text(second)+", ...): the second argument is the operation name or, for a scheduled signal, a DateTime, and "+why,
			"call "+v.name+".Entities.SignalEntityAsync(id, operationName, input), or for a scheduled signal "+v.name+".Entities.SignalEntityAsync(id, operationName, input, new SignalEntityOptions { SignalTime = time }) (MAPPING.md §7.4)")
		return
	}
	if !scheduled {
		if len(args) > 3 {
			c.report(u.access, "SignalEntityAsync to another task hub or connection was removed from the isolated client",
				"signal from a client bound to that task hub with [DurableClient(TaskHub = ..., ConnectionName = ...)] (MAPPING.md §7.4, §7.6)")
			return
		}
		edits, ok := c.relabel(u, map[string]string{"entityId": "id", "operationName": "operationName", "operationInput": "input"})
		if !ok {
			return
		}
		c.p.Fix("Signal the entity through Entities", append(edits, entities)...)
		if len(args) == 3 {
			c.sendPayload(args[2])
		}
		return
	}
	if len(args) < 3 || len(args) > 4 || anyNamed(f, args) {
		c.report(u.access, "a scheduled SignalEntityAsync with these arguments is not rewritten",
			"call "+v.name+".Entities.SignalEntityAsync(id, operationName, input, new SignalEntityOptions { SignalTime = time }) (MAPPING.md §7.4)")
		return
	}
	// (id, time, op[, input]) → (id, op, input ?? null, options): only the
	// time moves, so the entity id is never rewritten here.
	options := "new SignalEntityOptions { SignalTime = " + f.Text(args[1]) + " }"
	sep := argSep(f, args[len(args)-2], args[len(args)-1])
	tail := sep + options
	if len(args) == 3 {
		tail = sep + "null" + tail
	}
	c.ns[durableEntityNamespace] = true
	c.p.Fix("Signal the entity through Entities with its time in SignalEntityOptions", entities,
		edit.Edit{Start: int(args[1].StartByte()), End: int(args[2].StartByte())},
		insertAt(int(args[len(args)-1].EndByte()), tail))
	if !strings.HasPrefix(f.Text(args[1]), "DateTime.UtcNow") { // known to be UTC
		c.p.Note(int(args[1].StartByte()), "SignalTime is a DateTimeOffset: a DateTime whose Kind is not Utc converts with the machine's local offset, so check that this time is UTC, as scheduledTimeUtc expected (MAPPING.md §7.4)")
	}
	if len(args) == 4 {
		c.sendPayload(args[3])
	}
}

// readEntityState moves ReadEntityStateAsync<T> to Entities.GetEntityAsync<T>.
func (c *clientPass) readEntityState(v *durableVar, u memberUse) {
	if len(u.args) != 1 || u.typeArgs == "" {
		c.report(u.access, "ReadEntityStateAsync with these arguments is not rewritten (the task hub and connection overloads were removed)",
			"call "+v.name+".Entities.GetEntityAsync<T>(id) on a client bound to that task hub (MAPPING.md §7.4)")
		return
	}
	edits, ok := c.relabel(u, map[string]string{"entityId": "id"})
	if !ok {
		return
	}
	c.p.Fix("Read the entity with Entities.GetEntityAsync", append(edits, renameMember(u, "Entities.GetEntityAsync"))...)
	c.notePayload(u.access)
	c.result(u.call, entityStateResult)
}

// cleanEntityStorage passes CleanEntityStorageAsync's flags in a request.
func (c *clientPass) cleanEntityStorage(v *durableVar, u memberUse) {
	args := u.args
	if len(args) != 3 || anyNamed(c.f, args) {
		c.report(u.access, "CleanEntityStorageAsync with these arguments is not rewritten",
			"call "+v.name+".Entities.CleanEntityStorageAsync(new CleanEntityStorageRequest { RemoveEmptyEntities = ..., ReleaseOrphanedLocks = ... }) (MAPPING.md §7.4)")
		return
	}
	c.ns[durableClientEntitiesNamespace] = true
	c.p.Fix("Clean entity storage through Entities with a CleanEntityStorageRequest",
		insertAt(int(u.name.StartByte()), "Entities."),
		insertAt(int(args[0].StartByte()), "new CleanEntityStorageRequest { RemoveEmptyEntities = "),
		edit.Edit{Start: int(args[0].EndByte()), End: int(args[1].StartByte()), New: ", ReleaseOrphanedLocks = "},
		edit.Edit{Start: int(args[1].EndByte()), End: int(args[2].StartByte()), New: " }, cancellation: "})
	c.result(u.call, cleanResult)
}

// relabel renames name: labels of the call's arguments to the isolated
// parameter names; an unknown label is reported.
func (c *clientPass) relabel(u memberUse, labels map[string]string) ([]edit.Edit, bool) {
	var edits []edit.Edit
	for _, a := range u.args {
		name := argName(c.f, a)
		if name == "" {
			continue
		}
		to, ok := labels[name]
		if !ok {
			c.report(u.access, u.member+"'s argument "+name+": has no isolated counterpart", "rewrite the call against DurableTaskClient (MAPPING.md §7.4)")
			return nil, false
		}
		if to != name {
			edits = append(edits, replace(a.ChildByFieldName("name"), to))
		}
	}
	return edits, true
}

// checkStatus rewrites CreateCheckStatusResponse, which the isolated
// worker only offers for HttpRequestData (MAPPING.md §7.4, §4.1).
func (c *clientPass) checkStatus(v *durableVar, u memberUse) {
	f := c.f
	// The action names the call's own arguments when they are simple.
	reqText, id := "req", "instanceId"
	if len(u.args) >= 2 {
		if e := argExpr(u.args[0]); e != nil && e.Kind() == "identifier" {
			reqText = f.Text(e)
		}
		if e := argExpr(u.args[1]); e != nil && (e.Kind() == "identifier" || e.Kind() == "string_literal") {
			id = f.Text(e)
		}
	}
	returnAwait := "return await " + v.name + ".CreateCheckStatusResponseAsync(" + reqText + ", " + id + ")"
	fn, req, why := c.checkStatusContext(u)
	switch {
	case why != "" && fn != nil: // not async
		c.report(u.access, "CreateCheckStatusResponse needs HttpRequestData in the isolated worker, and "+why,
			"make "+fn.Name+" async, take HttpRequestData and return Task<HttpResponseData>, then "+returnAwait+"; the isolated client also has a synchronous CreateCheckStatusResponse(HttpRequestData, instanceId) (MAPPING.md §7.4, §4.1)")
		return
	case strings.HasPrefix(why, "returnInternalServerErrorOnFailure"):
		c.report(u.access, "CreateCheckStatusResponse needs HttpRequestData in the isolated worker, and "+why,
			returnAwait+" without the flag, and have callers read runtimeStatus from the status response instead of expecting a 500 for a failed orchestration (MAPPING.md §7.4)")
		return
	case why != "":
		c.report(u.access, "CreateCheckStatusResponse needs HttpRequestData in the isolated worker, and "+why,
			returnAwait+" from an async function that takes HttpRequestData and returns Task<HttpResponseData> (MAPPING.md §7.4, §4.1)")
		return
	}
	switch simpleTypeName(req.TypeText) {
	case "HttpRequestMessage":
		// cs-http-message moves the function to HttpRequestData and
		// Task<HttpResponseData>.
		c.p.Fix("Await CreateCheckStatusResponseAsync", c.checkStatusEdits(u)...)
	case "HttpRequest":
		// The function moves once, with all its returns; each call of a
		// function that cannot move is reported.
		why, done := c.moved[fn]
		if !done {
			why = c.starterBlocker(fn, req)
			c.moved[fn] = why
		}
		if why != "" {
			c.report(u.access, "CreateCheckStatusResponse needs HttpRequestData in the isolated worker, and "+fn.Name+" cannot move to it: "+why,
				"move "+fn.Name+" to HttpRequestData "+req.Name+" and Task<HttpResponseData> by hand, then "+returnAwait+" (MAPPING.md §7.4, §4.1)")
			return
		}
		if done {
			return
		}
		edits := []edit.Edit{replace(req.Type, "HttpRequestData"), replace(fn.ReturnType, "Task<HttpResponseData>")}
		if !hasUsing(c.m, workerHTTPNamespace) {
			edits = append(edits, insertUsingLine(f, c.m, workerHTTPNamespace))
		}
		for _, ret := range fn.Returns {
			_, cu := c.checkStatusCall(ret.NamedChild(0))
			edits = append(edits, c.checkStatusEdits(cu)...)
		}
		c.p.Fix("Move "+fn.Name+" to HttpRequestData and HttpResponseData: CreateCheckStatusResponseAsync only accepts HttpRequestData", edits...)
	default:
		c.report(u.access, "CreateCheckStatusResponse needs HttpRequestData in the isolated worker, and "+req.Name+" is a "+req.TypeText,
			returnAwait+" from an async function that takes HttpRequestData and returns Task<HttpResponseData> (MAPPING.md §7.4, §4.1)")
	}
}

// checkStatusContext finds the function and trigger request of a
// CreateCheckStatusResponse call, or says why it cannot be rewritten.
func (c *clientPass) checkStatusContext(u memberUse) (*cs.Function, *cs.Param, string) {
	f, args := c.f, u.args
	if len(args) < 2 || len(args) > 3 || anyNamed(f, args) && !namedAs(f, args, "request", "instanceId", "returnInternalServerErrorOnFailure") {
		return nil, nil, "the call's arguments are not (request, instanceId)"
	}
	if len(args) == 3 {
		if e := argExpr(args[2]); e == nil || f.Text(e) != "false" {
			return nil, nil, "returnInternalServerErrorOnFailure has no isolated counterpart"
		}
	}
	fn := functionWithBodyAround(c.m, u.call)
	if fn == nil {
		return nil, nil, "the call is not in a function with an HTTP trigger"
	}
	var req *cs.Param
	for _, prm := range fn.Params {
		for _, a := range prm.Attrs {
			if a.Name == "HttpTrigger" {
				req = prm
			}
		}
	}
	if req == nil {
		return nil, nil, "the call is not in a function with an HTTP trigger"
	}
	if e := argExpr(args[0]); e == nil || e.Kind() != "identifier" || f.Text(e) != req.Name {
		return nil, nil, "the request passed is not the trigger's " + req.Name
	}
	ret := c.m.Parent(u.call)
	returned := false
	for _, r := range fn.Returns {
		if ret != nil && r.Id() == ret.Id() {
			returned = true
		}
	}
	if !returned {
		return nil, nil, "the response is not returned directly by " + fn.Name
	}
	if !fn.Async {
		return fn, req, fn.Name + " is not async, so it cannot await CreateCheckStatusResponseAsync"
	}
	return fn, req, ""
}

// checkStatusEdits turns return client.CreateCheckStatusResponse(req, id)
// into return await client.CreateCheckStatusResponseAsync(req, id).
func (c *clientPass) checkStatusEdits(u memberUse) []edit.Edit {
	edits := []edit.Edit{insertAt(int(u.call.StartByte()), "await "), replace(u.name, "CreateCheckStatusResponseAsync")}
	if len(u.args) == 3 { // returnInternalServerErrorOnFailure: false
		edits = append(edits, edit.Edit{Start: int(u.args[1].EndByte()), End: int(u.args[2].EndByte())})
	}
	return edits
}

// checkStatusCall reports whether e is a CreateCheckStatusResponse call on
// a client variable.
func (c *clientPass) checkStatusCall(e *sitter.Node) (bool, memberUse) {
	if e == nil || e.Kind() != "invocation_expression" {
		return false, memberUse{}
	}
	fn := e.ChildByFieldName("function")
	if fn == nil || fn.Kind() != "member_access_expression" {
		return false, memberUse{}
	}
	recv := fn.ChildByFieldName("expression")
	if recv == nil || !c.recv[recv.Id()] {
		return false, memberUse{}
	}
	u, ok := memberOf(c.m, recv)
	return ok && u.member == "CreateCheckStatusResponse" && u.call != nil, u
}

// starterBlocker says why an HttpRequest starter cannot move to
// HttpRequestData, or "" when it can: every return is the check-status
// response and the request is read only in ways HttpRequestData supports
// with the same meaning.
func (c *clientPass) starterBlocker(fn *cs.Function, req *cs.Param) string {
	f := c.f
	if rt := strings.Join(strings.Fields(f.Text(fn.ReturnType)), ""); rt != "Task<IActionResult>" && rt != "System.Threading.Tasks.Task<IActionResult>" {
		return "it returns " + f.Text(fn.ReturnType)
	}
	calls := map[uintptr]bool{}
	for _, ret := range fn.Returns {
		call := ret.NamedChild(0)
		ok, u := c.checkStatusCall(call)
		if ok {
			_, _, why := c.checkStatusContext(u)
			ok = why == ""
		}
		if !ok {
			text := "nothing"
			if call != nil {
				text = strings.Join(strings.Fields(f.Text(call)), " ")
			}
			return "it also returns " + text
		}
		calls[u.args[0].Id()] = true
	}
	for _, id := range fn.BodyIdents {
		if f.Text(id) != req.Name || !isVariableUse(c.m, id) {
			continue
		}
		if why := c.requestUse(id, calls); why != "" {
			return why
		}
	}
	return ""
}

// requestUse says why one use of an HttpRequest has no same-meaning
// HttpRequestData counterpart, or "".
func (c *clientPass) requestUse(id *sitter.Node, calls map[uintptr]bool) string {
	f := c.f
	name := f.Text(id)
	par := c.m.Parent(id)
	if par.Kind() == "argument" && calls[par.Id()] {
		return ""
	}
	if par.Kind() != "member_access_expression" || par.ChildByFieldName("expression").Id() != id.Id() {
		return name + " is passed on or used as an HttpRequest"
	}
	member := par.ChildByFieldName("name")
	switch mname := f.Text(member); {
	case mname == "Body" || mname == "Method":
		return ""
	case strings.HasPrefix(mname, "ReadFromJsonAsync<"):
		if call := c.m.Parent(par); call != nil && call.Kind() == "invocation_expression" && len(callArgs(call)) == 0 {
			return ""
		}
	case mname == "Query":
		elem := c.m.Parent(par)
		if elem == nil || elem.Kind() != "element_access_expression" {
			break
		}
		switch up := c.m.Parent(elem); {
		case up == nil:
		case up.Kind() == "interpolation":
			return ""
		case up.Kind() == "member_access_expression" && f.Text(up.ChildByFieldName("name")) == "ToString":
			return ""
		case up.Kind() == "variable_declarator":
			if decl := c.m.Parent(up); decl != nil && isStringTypeText(f.Text(decl.ChildByFieldName("type"))) {
				return ""
			}
		}
		return name + ".Query[...] is used as StringValues, where HttpRequestData.Query gives a string"
	}
	return name + "." + f.Text(member) + " is used, which HttpRequestData does not have with the same meaning"
}

// result tracks the awaited value of a rewritten call.
func (c *clientPass) result(call *sitter.Node, kind resultKind) {
	aw := c.m.Parent(call)
	if aw == nil || aw.Kind() != "await_expression" {
		return
	}
	par := c.m.Parent(aw)
	if par == nil {
		return
	}
	switch par.Kind() {
	case "variable_declarator":
		if name, scope := par.ChildByFieldName("name"), enclosingBlock(c.m, par); name != nil && scope != nil {
			c.track(name, par, scope, kind)
		}
	case "parenthesized_expression":
		c.resultUse(par, kind)
	case "expression_statement", "return_statement", "arrow_expression_clause", "assignment_expression":
		// Discarded, or handed back or stored with a declared type that
		// is renamed (and tracked) on its own.
	default:
		c.resultUse(aw, kind)
	}
}

// resultUse maps or reports one use of a result value: an identifier of a
// tracked variable or a parenthesized await.
func (c *clientPass) resultUse(e *sitter.Node, kind resultKind) {
	f := c.f
	name, after := memberAfter(c.m, e)
	if name == nil {
		if why := wholeValueUse(c.m, e); why != "" {
			c.reportWhole(e, kind, why)
		}
		return
	}
	member := f.Text(name)
	switch kind {
	case statusResult:
		c.statusMember(e, name, after)
	case entityStateResult:
		exists, state := "test the result for null", "read the result's State after testing it for null"
		if e.Kind() == "identifier" {
			v := f.Text(e)
			exists, state = "test "+v+" != null", "read "+v+".State after testing "+v+" != null"
		}
		switch member {
		case "EntityExists":
			c.report(name, "EntityExists is gone: GetEntityAsync returns null when the entity does not exist",
				exists+" (MAPPING.md §7.4)")
		case "EntityState":
			c.report(name, "EntityState is now State, and GetEntityAsync returns null when the entity does not exist, where EntityState was the default value",
				state+" (MAPPING.md §7.4)")
		default:
			c.report(name, "EntityMetadata has no "+member, "rewrite this use against EntityMetadata (Id, State, LastModifiedTime) (MAPPING.md §7.4)")
		}
	case purgeResult:
		if member == "InstancesDeleted" {
			c.p.Fix("Read PurgedInstanceCount", replace(name, "PurgedInstanceCount"))
			return
		}
		c.report(name, "PurgeResult has no "+member, "use PurgedInstanceCount or IsComplete (MAPPING.md §7.4)")
	case cleanResult:
		switch member {
		case "NumberOfEmptyEntitiesRemoved":
			c.p.Fix("Read EmptyEntitiesRemoved", replace(name, "EmptyEntitiesRemoved"))
		case "NumberOfOrphanedLocksRemoved":
			c.p.Fix("Read OrphanedLocksReleased", replace(name, "OrphanedLocksReleased"))
		}
	}
}

// statusMember maps one member of a DurableOrchestrationStatus to
// OrchestrationMetadata.
func (c *clientPass) statusMember(e, name, after *sitter.Node) {
	f := c.f
	switch member := f.Text(name); member {
	case "Name", "InstanceId", "RuntimeStatus":
	case "CreatedTime", "LastUpdatedTime":
		to := strings.TrimSuffix(member, "Time") + "At"
		c.p.Fix("Read "+to, replace(name, to))
		c.p.Note(int(name.StartByte()), to+" is a DateTimeOffset where "+member+" was a UTC DateTime: use "+to+".UtcDateTime where a DateTime is needed (MAPPING.md §7.4)")
	case "Input", "Output", "CustomStatus":
		read := "Read" + member + "As"
		if after != nil && after.Kind() == "member_access_expression" {
			next := after.ChildByFieldName("name")
			if call := c.m.Parent(after); next != nil && next.Kind() == "generic_name" && next.NamedChild(0) != nil &&
				f.Text(next.NamedChild(0)) == "ToObject" && call != nil && call.Kind() == "invocation_expression" && len(callArgs(call)) == 0 {
				typeArgs := strings.TrimPrefix(f.Text(next), "ToObject")
				c.p.Fix("Read the "+strings.ToLower(member[:1])+member[1:]+" with "+read,
					edit.Edit{Start: int(name.StartByte()), End: int(next.EndByte()), New: read + typeArgs})
				c.notePayload(name)
				return
			}
		}
		c.report(name, member+" was a Newtonsoft JToken; OrchestrationMetadata has Serialized"+member+" (a JSON string) and "+read+"<T>()",
			"read it with "+read+"<T>(), or parse Serialized"+member+" (MAPPING.md §7.4, §7.6)")
	case "History":
		c.report(name, "OrchestrationMetadata has no History",
			"read the history with GetOrchestrationHistoryAsync(instanceId) (MAPPING.md §7.4)")
	default:
		c.report(name, "OrchestrationMetadata has no "+member, "rewrite this use against OrchestrationMetadata (MAPPING.md §7.4)")
	}
}

func (c *clientPass) reportWhole(e *sitter.Node, kind resultKind, why string) {
	switch kind {
	case statusResult:
		s := "status"
		if e.Kind() == "identifier" {
			s = c.f.Text(e)
		}
		c.report(e, "the orchestration status "+why+"; OrchestrationMetadata has other members and serializes differently (SerializedInput and SerializedOutput strings, CreatedAt, no History)",
			"pass on or return only the values needed, e.g. new { "+s+".Name, "+s+".InstanceId, RuntimeStatus = "+s+".RuntimeStatus.ToString(), Output = "+s+".ReadOutputAs<T>() } (MAPPING.md §7.4)")
	case entityStateResult:
		c.report(e, "the entity state response "+why+"; GetEntityAsync returns an EntityMetadata<T> that is null when the entity does not exist",
			"pass on the state (.State) after a null check (MAPPING.md §7.4)")
	case purgeResult:
		c.report(e, "the purge result "+why+"; PurgeResult has PurgedInstanceCount where PurgeHistoryResult had InstancesDeleted",
			"pass on PurgedInstanceCount (MAPPING.md §7.4)")
	}
}

// memberAfter returns the member read from e (e.Member or e?.Member) and
// the node a further member access or call applies to.
func memberAfter(m *cs.Model, e *sitter.Node) (name, after *sitter.Node) {
	par := m.Parent(e)
	if par == nil {
		return nil, nil
	}
	switch par.Kind() {
	case "member_access_expression":
		if x := par.ChildByFieldName("expression"); x != nil && x.Id() == e.Id() {
			return par.ChildByFieldName("name"), m.Parent(par)
		}
	case "conditional_access_expression":
		if x := par.ChildByFieldName("condition"); x != nil && x.Id() == e.Id() {
			for i := uint(0); i < par.NamedChildCount(); i++ {
				if b := par.NamedChild(i); b.Kind() == "member_binding_expression" {
					return b.ChildByFieldName("name"), m.Parent(par)
				}
			}
		}
	}
	return nil, nil
}

// wholeValueUse says how a value is used other than through its members,
// or "" for uses that keep their meaning (null tests, assignment to it).
func wholeValueUse(m *cs.Model, e *sitter.Node) string {
	f := m.File
	par := m.Parent(e)
	if par == nil {
		return ""
	}
	switch par.Kind() {
	case "binary_expression":
		op := par.ChildByFieldName("operator")
		l, r := par.ChildByFieldName("left"), par.ChildByFieldName("right")
		if op != nil && (f.Text(op) == "==" || f.Text(op) == "!=") && (isNullLiteral(l) || isNullLiteral(r)) {
			return ""
		}
	case "is_pattern_expression":
		if pat := par.ChildByFieldName("pattern"); pat != nil && (f.Text(pat) == "null" || f.Text(pat) == "not null") {
			return ""
		}
	case "assignment_expression":
		if l := par.ChildByFieldName("left"); l != nil && l.Id() == e.Id() {
			return ""
		}
	case "return_statement", "arrow_expression_clause":
		return ""
	case "argument":
		if onlyFormatted(m, e) {
			return "" // a logging argument: only its text changes
		}
		return "is passed on"
	case "interpolation":
		return ""
	}
	return "is used as a whole"
}

// stringType guesses whether e is a string, adding to the shared guess
// what this rule knows: nameof, the string results of client calls, fields
// and the instance ids of statuses.
func (c *clientPass) stringType(e *sitter.Node) (isString, known bool) {
	if e == nil {
		return false, false
	}
	f := c.f
	switch e.Kind() {
	case "invocation_expression":
		if fn := e.ChildByFieldName("function"); fn != nil && fn.Kind() == "identifier" && f.Text(fn) == "nameof" {
			return true, true
		}
	case "await_expression":
		if call := e.NamedChild(0); call != nil && call.Kind() == "invocation_expression" {
			if fn := call.ChildByFieldName("function"); fn != nil && fn.Kind() == "member_access_expression" {
				recv, name := fn.ChildByFieldName("expression"), fn.ChildByFieldName("name")
				if recv != nil && name != nil && c.recv[recv.Id()] && (f.Text(name) == "StartNewAsync" || f.Text(name) == "RestartAsync") {
					return true, true
				}
			}
		}
	case "member_access_expression":
		// status.InstanceId, status.Name of a tracked status
		if x, n := e.ChildByFieldName("expression"), e.ChildByFieldName("name"); x != nil && n != nil && x.Kind() == "identifier" &&
			(f.Text(n) == "InstanceId" || f.Text(n) == "Name") && c.isStatusVar(x) {
			return true, true
		}
	case "identifier":
		scope := outerMethod(c.m, e)
		t := declaredTypeOf(f, c.m, f.Text(e), e, scope)
		if t == "var" {
			if init := c.varInit(f.Text(e), e, scope); init != nil {
				return c.stringType(init)
			}
		}
		if t == "" {
			t = c.fieldType(f.Text(e), e)
		}
		switch {
		case t == "" || t == "var" || isDynamicText(t):
			return false, false
		case t == "object": // declaredTypeOf's answer for a literal that is not a string
			return false, true
		}
		return isStringTypeText(t), true
	}
	return stringType(f, c.m, e, outerMethod(c.m, e))
}

// isDynamic reports whether e is a variable declared dynamic.
func (c *clientPass) isDynamic(e *sitter.Node) bool {
	return e != nil && e.Kind() == "identifier" && isDynamicText(declaredTypeOf(c.f, c.m, c.f.Text(e), e, outerMethod(c.m, e)))
}

// isDateTime reports whether e is a DateTime: DateTime.… or a variable
// declared DateTime or initialised from DateTime.….
func (c *clientPass) isDateTime(e *sitter.Node) bool {
	if e == nil {
		return false
	}
	if strings.HasPrefix(c.f.Text(e), "DateTime.") {
		return true
	}
	if e.Kind() != "identifier" {
		return false
	}
	scope := outerMethod(c.m, e)
	t := declaredTypeOf(c.f, c.m, c.f.Text(e), e, scope)
	if t == "" {
		t = c.fieldType(c.f.Text(e), e)
	}
	if t == "var" {
		init := c.varInit(c.f.Text(e), e, scope)
		return init != nil && strings.HasPrefix(c.f.Text(init), "DateTime.")
	}
	return strings.TrimSuffix(simpleTypeName(t), "?") == "DateTime"
}

// isBool reports whether e is a bool literal or a variable declared bool.
func (c *clientPass) isBool(e *sitter.Node) bool {
	if e == nil {
		return false
	}
	if e.Kind() == "boolean_literal" {
		return true
	}
	return e.Kind() == "identifier" && strings.TrimSpace(declaredTypeOf(c.f, c.m, c.f.Text(e), e, outerMethod(c.m, e))) == "bool"
}

// isStatusVar reports whether identifier x reads a tracked status.
func (c *clientPass) isStatusVar(x *sitter.Node) bool {
	for _, r := range c.statuses[c.f.Text(x)] {
		if within(x, r.v.scope) {
			return true
		}
	}
	return false
}

// varInit returns the initializer of the last `var name = ...` declared
// before use in scope.
func (c *clientPass) varInit(name string, use, scope *sitter.Node) *sitter.Node {
	var init *sitter.Node
	if scope == nil {
		return nil
	}
	useStart := use.StartByte()
	for _, x := range c.m.NamedWithin(name, scope) {
		if x.Start >= useStart {
			break // in source order: the rest come later still
		}
		id := x.Node
		d := c.m.Parent(id)
		if d == nil || d.Kind() != "variable_declarator" || d.ChildByFieldName("name") == nil || d.ChildByFieldName("name").Id() != id.Id() {
			continue
		}
		if n := d.NamedChildCount(); n > 1 {
			init = d.NamedChild(n - 1)
		}
	}
	return init
}

// fieldType returns the declared type of a field or property called name
// in the class around use, or "".
func (c *clientPass) fieldType(name string, use *sitter.Node) string {
	var cls *sitter.Node
	for p := c.m.Parent(use); p != nil; p = c.m.Parent(p) {
		if p.Kind() == "declaration_list" {
			cls = p
			break
		}
	}
	if cls == nil {
		return ""
	}
	if typed := memberDeclarations(c.m, cls)[name]; typed != nil {
		return c.f.Text(typed.ChildByFieldName("type"))
	}
	return ""
}

// outerMethod is the method, constructor or accessor around n, past any
// lambdas and local functions, where parameters and locals are declared.
func outerMethod(m *cs.Model, n *sitter.Node) *sitter.Node {
	var found *sitter.Node
	for p := m.Parent(n); p != nil; p = m.Parent(p) {
		switch p.Kind() {
		case "method_declaration", "constructor_declaration", "accessor_declaration":
			return p
		case "lambda_expression", "anonymous_method_expression", "local_function_statement":
			if found == nil {
				found = p
			}
		}
	}
	return found
}

// argSep is the separator written between two arguments, so arguments
// added after them follow the call's own layout (one per line or not).
func argSep(f *cs.File, a, b *sitter.Node) string {
	sep := string(f.Src[a.EndByte():b.StartByte()])
	if strings.TrimSpace(sep) != "," {
		return ", "
	}
	return sep
}

func isNullLiteral(e *sitter.Node) bool { return e != nil && e.Kind() == "null_literal" }

// namedAs reports whether every name: label among args is one of names.
func namedAs(f *cs.File, args []*sitter.Node, names ...string) bool {
	for _, a := range args {
		if n := argName(f, a); n != "" && !slices.Contains(names, n) {
			return false
		}
	}
	return true
}

// durableCheckStatusRequest reports whether identifier id is the request
// argument of a Durable client's CreateCheckStatusResponse or
// WaitForCompletionOrCreateCheckStatusResponseAsync call. cs-durable-client
// rewrites or reports those calls, so other rules leave that use alone.
func durableCheckStatusRequest(f *cs.File, m *cs.Model, id *sitter.Node) bool {
	arg := m.Parent(id)
	if arg == nil || arg.Kind() != "argument" || m.Parent(arg) == nil {
		return false
	}
	call := m.Parent(m.Parent(arg))
	if call == nil || call.Kind() != "invocation_expression" {
		return false
	}
	fn := call.ChildByFieldName("function")
	if fn == nil || fn.Kind() != "member_access_expression" {
		return false
	}
	recv, name := fn.ChildByFieldName("expression"), fn.ChildByFieldName("name")
	if recv == nil || name == nil || recv.Kind() != "identifier" {
		return false
	}
	if n := f.Text(name); n != "CreateCheckStatusResponse" && n != "WaitForCompletionOrCreateCheckStatusResponseAsync" {
		return false
	}
	return durableClientUses(m)[recv.Id()]
}

// durableClientUses is the set of identifiers that read a Durable client
// variable, built once per file.
func durableClientUses(m *cs.Model) map[uintptr]bool {
	return memo(m, memoClientUses, func() map[uintptr]bool {
		out := map[uintptr]bool{}
		for _, v := range durableVars(m) {
			if v.typ.kind != durableClient {
				continue
			}
			for _, use := range v.uses(m.File, m) {
				out[use.Id()] = true
			}
		}
		return out
	})
}
