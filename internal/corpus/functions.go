package corpus

import (
	"strconv"
	"strings"
)

// fnCtx is what a function template sees: the file and class it writes
// into and the entity the class deals with.
type fnCtx struct {
	g      *repoGen
	f      *csFile
	t      *csType
	static bool // static class: methods are static and take ILogger log
	e      noun
	sfx    string // suffix of the last function name, for unique routes and queues
}

// fn registers a function name and returns it.
func (c *fnCtx) fn(base string) string {
	name, sfx := c.g.fnName(base)
	c.sfx = ""
	if sfx != "" {
		c.sfx = "-" + sfx
	}
	return name
}

// mods returns the method modifiers and return type.
func (c *fnCtx) mods(ret string) string {
	if c.static {
		return "public static " + ret
	}
	return "public " + ret
}

// logParam returns the logger parameter of a static function.
func (c *fnCtx) logParam() []string {
	if c.static {
		return []string{"ILogger log"}
	}
	return nil
}

func (c *fnCtx) log() string {
	if c.static {
		return "log"
	}
	return "_logger"
}

func (c *fnCtx) route() string { return c.e.kebabPlural() + c.sfx }

func (c *fnCtx) queue(base string) string { return base + c.sfx }

// ex expands a body template with the context's names.
func (c *fnCtx) ex(tmpl string, pairs ...string) string {
	base := []string{
		"log", c.log(), "Entity", c.e.Name, "Plural", c.e.Plural, "lower", c.e.lower(), "lowerPlural", c.e.lowerPlural(),
		"camel", c.e.camel(), "kebab", c.e.kebab(), "route", c.route(),
	}
	return expand(tmpl, append(pairs, base...)...)
}

// useModels makes the entity's model class visible.
func (c *fnCtx) useModels() {
	c.g.model(c.e)
	c.f.use(c.g.modelsNS())
}

func (c *fnCtx) useStore() {
	c.useModels()
	c.g.store(c.e)
}

func (c *fnCtx) useWebJobs() { c.f.use("Microsoft.Azure.WebJobs", "Microsoft.Extensions.Logging") }

func (c *fnCtx) useHTTP() {
	c.useWebJobs()
	c.f.use("Microsoft.AspNetCore.Http", "Microsoft.AspNetCore.Mvc", "Microsoft.Azure.WebJobs.Extensions.Http")
}

func (c *fnCtx) attr(name string) string { return "[FunctionName(" + quote(name) + ")]" }

// A fnTemplate writes one function (or a few that belong together) into
// the context's class.
type fnTemplate func(c *fnCtx) method

// functionFiles writes the app's function files: one class per file, one
// entity per class, functions drawn in rotation from templates. A class is
// static with ILogger parameters in staticIn3 cases out of 3, otherwise it
// has an ILogger<T> injected through its constructor.
func (g *repoGen) functionFiles(templates []fnTemplate, suffixes []string, staticIn3 int) {
	g.functionFilesWith(templates, suffixes, staticIn3, nil)
}

// A dep is a constructor-injected dependency of an instance function class.
type dep struct{ typ, name string }

// functionFilesWith is functionFiles with the dependencies of instance
// classes given by deps (nil: an ILogger<T> only).
func (g *repoGen) functionFilesWith(templates []fnTemplate, suffixes []string, staticIn3 int, deps func(c *fnCtx, cls string) []dep) {
	n := g.filesPerProject()
	for _, e := range g.entities(n) {
		name := g.typeName(e.Name + pick(g.r, suffixes))
		c := &fnCtx{g: g, e: e, static: chance(g.r, staticIn3, 3)}
		c.f = g.newSource(joinPath(g.projDir, g.funcDir, name+".cs"), g.funcNS())
		header := "public class " + name
		if c.static {
			header = "public static class " + name
		}
		c.t = newType(header)
		cls := g.fnClass(c, name)
		start := g.r.IntN(len(templates))
		for k := range g.functionsPerFile() {
			m := templates[(start+k)%len(templates)](c)
			cls.add(m)
			c.t.add(m.render())
		}
		if !c.static {
			var ds []dep
			if deps != nil {
				ds = deps(c, name)
			} else {
				c.f.use("Microsoft.Extensions.Logging")
				ds = []dep{{"ILogger<" + name + ">", "logger"}}
			}
			cls.deps = ds
			c.t.members = append(ctorMembers(name, ds), c.t.members...)
		}
		c.f.types = append(c.f.types, c.t.render())
	}
}

// ctorMembers returns the fields and the constructor for deps; an
// IOptions<T> is stored as its Value.
func ctorMembers(cls string, deps []dep) []string {
	var fields, params, assigns []string
	for _, d := range deps {
		typ, value := d.typ, d.name
		if inner, ok := strings.CutPrefix(d.typ, "IOptions<"); ok {
			typ, value = strings.TrimSuffix(inner, ">"), d.name+".Value"
		}
		fields = append(fields, "private readonly "+typ+" _"+d.name+";\n")
		params = append(params, d.typ+" "+d.name)
		assigns = append(assigns, "_"+d.name+" = "+value+";")
	}
	ctor := method{sig: "public " + cls, params: params, body: strings.Join(assigns, "\n")}.render()
	return []string{strings.Join(fields, ""), ctor}
}

// HTTP functions: HttpRequest and IActionResult, a few HttpRequestMessage.
var httpTemplates = []fnTemplate{httpGet, httpCreate, httpSearch, httpDelete, httpHealth, httpUpdateMessage}

func httpGet(c *fnCtx) method {
	c.useHTTP()
	c.useStore()
	c.f.use("System.Threading.Tasks")
	name := c.fn("Get" + c.e.Name)
	return method{
		kind:  "http-get",
		attrs: []string{c.attr(name)},
		sig:   c.mods("async Task<IActionResult> " + c.t.memberName("Get"+c.e.Name)),
		params: append([]string{
			`[HttpTrigger(AuthorizationLevel.Function, "get", Route = "` + c.route() + `/{id}")] HttpRequest req`,
			"string id",
		}, c.logParam()...),
		body: c.ex(`
{{log}}.LogInformation("Fetching {{lower}} {Id}", id);
if (string.IsNullOrWhiteSpace(id))
{
    return new BadRequestObjectResult("an id is required");
}

var {{camel}} = await {{Entity}}Store.FindAsync(id);
if ({{camel}} == null)
{
    return new NotFoundResult();
}

return new OkObjectResult({{camel}});
`),
	}
}

func httpCreate(c *fnCtx) method {
	c.useHTTP()
	c.useStore()
	c.f.use("System", "System.IO", "System.Threading.Tasks", "Newtonsoft.Json")
	name := c.fn("Create" + c.e.Name)
	return method{
		kind:    "http-create",
		comment: "Accepts a new " + c.e.lower() + " and stores it.",
		attrs:   []string{c.attr(name)},
		sig:     c.mods("async Task<IActionResult> " + c.t.memberName("Create")),
		params:  append([]string{`[HttpTrigger(AuthorizationLevel.Function, "post", Route = "` + c.route() + `")] HttpRequest req`}, c.logParam()...),
		body: c.ex(`
string requestBody = await new StreamReader(req.Body).ReadToEndAsync();
var item = JsonConvert.DeserializeObject<{{Entity}}>(requestBody);
if (item == null || string.IsNullOrEmpty(item.Name))
{
    {{log}}.LogWarning("Rejected a {{lower}} without a name");
    return new BadRequestObjectResult("name is required");
}

item.Id = Guid.NewGuid().ToString("N");
item.CreatedAt = DateTime.UtcNow;
await {{Entity}}Store.SaveAsync(item);
{{log}}.LogInformation("Created {{lower}} {Id}", item.Id);
return new CreatedResult($"/api/{{route}}/{item.Id}", item);
`),
	}
}

func httpSearch(c *fnCtx) method {
	c.useHTTP()
	c.useStore()
	c.f.use("System.Threading.Tasks")
	name := c.fn("Search" + c.e.Plural)
	return method{
		kind:   "http-search",
		attrs:  []string{c.attr(name)},
		sig:    c.mods("async Task<IActionResult> " + c.t.memberName("Search")),
		params: append([]string{`[HttpTrigger(AuthorizationLevel.Function, "get", Route = "` + c.route() + `")] HttpRequest req`}, c.logParam()...),
		body: c.ex(`
string term = req.Query["q"];
int take = int.TryParse(req.Query["take"], out var parsed) && parsed > 0 ? parsed : 20;
var matches = await {{Entity}}Store.SearchAsync(term, take);
{{log}}.LogInformation("Search for {Term} returned {Count} {{lowerPlural}}", term, matches.Count);
return new OkObjectResult(matches);
`),
	}
}

func httpDelete(c *fnCtx) method {
	c.useHTTP()
	c.useStore()
	name := c.fn("Delete" + c.e.Name)
	return method{
		kind:  "http-delete",
		attrs: []string{c.attr(name)},
		sig:   c.mods("IActionResult " + c.t.memberName("Delete")),
		params: append([]string{
			`[HttpTrigger(AuthorizationLevel.Admin, "delete", Route = "` + c.route() + `/{id}")] HttpRequest req`,
			"string id",
		}, c.logParam()...),
		body: c.ex(`
if (!{{Entity}}Store.Remove(id))
{
    return new NotFoundResult();
}

{{log}}.LogInformation("Deleted {{lower}} {Id}", id);
return new NoContentResult();
`),
	}
}

// httpHealth uses the methods-only HttpTrigger constructor, whose
// authorization level differs between the models.
func httpHealth(c *fnCtx) method {
	c.useHTTP()
	c.f.use("System")
	name := c.fn(c.e.Name + "Health")
	return method{
		kind:   "http-health",
		attrs:  []string{c.attr(name)},
		sig:    c.mods("IActionResult " + c.t.memberName("Health")),
		params: append([]string{`[HttpTrigger("get", Route = "` + c.route() + `/health")] HttpRequest req`}, c.logParam()...),
		body: c.ex(`
{{log}}.LogDebug("Health probe from {Host}", req.Host.Value);
return new OkObjectResult(new { status = "ok", service = "{{lowerPlural}}", time = DateTime.UtcNow });
`),
	}
}

func httpUpdateMessage(c *fnCtx) method {
	c.useWebJobs()
	c.useStore()
	c.f.use("System.Net", "System.Net.Http", "System.Text", "System.Threading.Tasks", "Microsoft.Azure.WebJobs.Extensions.Http", "Newtonsoft.Json")
	name := c.fn("Update" + c.e.Name)
	return method{
		kind:  "http-update-message",
		attrs: []string{c.attr(name)},
		sig:   c.mods("async Task<HttpResponseMessage> " + c.t.memberName("Update")),
		params: append([]string{
			`[HttpTrigger(AuthorizationLevel.Function, "put", Route = "` + c.route() + `/{id}")] HttpRequestMessage req`,
			"string id",
		}, c.logParam()...),
		body: c.ex(`
var body = await req.Content.ReadAsStringAsync();
var update = JsonConvert.DeserializeObject<{{Entity}}>(body);
if (update == null)
{
    return new HttpResponseMessage(HttpStatusCode.BadRequest);
}

var existing = await {{Entity}}Store.FindAsync(id);
if (existing == null)
{
    return new HttpResponseMessage(HttpStatusCode.NotFound);
}

existing.Name = update.Name ?? existing.Name;
existing.Status = update.Status ?? existing.Status;
await {{Entity}}Store.SaveAsync(existing);
{{log}}.LogInformation("Updated {{lower}} {Id}", id);
return new HttpResponseMessage(HttpStatusCode.OK)
{
    Content = new StringContent(JsonConvert.SerializeObject(existing), Encoding.UTF8, "application/json"),
};
`),
	}
}

// Queue, blob and Service Bus functions with input and output bindings.
var queueTemplates = []fnTemplate{queueReturn, queueOut, queueCollector, blobCopy, queueBlobInput, serviceBusTopic, serviceBusReturn}

// storageConn returns the Connection named argument for storage bindings
// (", Connection = \"X\"") or "" for the default AzureWebJobsStorage.
func (c *fnCtx) storageConn() string {
	if c.g.storageConn == "" {
		if chance(c.g.r, 1, 2) {
			c.g.storageConn = "-"
		} else {
			c.g.storageConn = c.g.domain + "Storage"
			c.g.setting(c.g.storageConn, "UseDevelopmentStorage=true")
		}
	}
	if c.g.storageConn == "-" {
		return ""
	}
	return `, Connection = "` + c.g.storageConn + `"`
}

func (c *fnCtx) useQueues() {
	c.useWebJobs()
	if c.g.splitStorage() {
		c.g.pkg("Microsoft.Azure.WebJobs.Extensions.Storage.Queues", pick(c.g.r, []string{"5.1.3", "5.2.0", "5.3.1"}))
	}
	if chance(c.g.r, 1, 4) {
		c.g.hostExtension("queues", jobj{{"batchSize", pick(c.g.r, []int{8, 16, 32})}, {"maxDequeueCount", between(c.g.r, 3, 10)},
			{"visibilityTimeout", "00:00:30"}})
	}
}

func (c *fnCtx) useBlobs() {
	c.useWebJobs()
	c.f.use("System.IO")
	if c.g.splitStorage() {
		c.g.pkg("Microsoft.Azure.WebJobs.Extensions.Storage.Blobs", pick(c.g.r, []string{"5.1.3", "5.2.2", "5.3.1"}))
	}
}

// splitStorage reports whether the app references the storage extensions
// one by one; otherwise it references the Storage 5.x meta package.
func (g *repoGen) splitStorage() bool {
	if g.storageStyle == 0 {
		g.storageStyle = 1 + g.r.IntN(2)
		if g.storageStyle == 2 {
			g.pkg("Microsoft.Azure.WebJobs.Extensions.Storage", pick(g.r, []string{"5.0.1", "5.1.3", "5.2.1", "5.3.1"}))
		}
	}
	return g.storageStyle == 1
}

func (c *fnCtx) useServiceBus() {
	c.useWebJobs()
	c.g.pkg("Microsoft.Azure.WebJobs.Extensions.ServiceBus", pick(c.g.r, []string{"5.11.0", "5.13.5", "5.15.1", "5.16.4"}))
	c.g.setting("ServiceBusConnection__fullyQualifiedNamespace", strings.ToLower(c.g.company)+"-"+kebab(c.g.domain)+".servicebus.windows.net")
	if chance(c.g.r, 1, 3) {
		c.g.hostExtension("serviceBus", jobj{{"prefetchCount", pick(c.g.r, []int{0, 20, 100})}, {"maxConcurrentCalls", pick(c.g.r, []int{8, 16, 32})},
			{"autoCompleteMessages", true}})
	}
}

func queueReturn(c *fnCtx) method {
	c.useQueues()
	c.useModels()
	c.f.use("Newtonsoft.Json")
	name := c.fn("Forward" + c.e.Name)
	conn := c.storageConn()
	status := pick(c.g.r, statuses)
	return method{
		kind:  "queue-return",
		attrs: []string{c.attr(name), `[return: Queue("` + c.queue(c.e.kebab()+"-"+status) + `"` + conn + `)]`},
		sig:   c.mods("string " + c.t.memberName("Forward")),
		params: append([]string{
			`[QueueTrigger("` + c.queue(c.e.kebabPlural()) + `"` + conn + `)] string message`,
			"int dequeueCount",
		}, c.logParam()...),
		body: c.ex(`
var item = JsonConvert.DeserializeObject<{{Entity}}>(message);
{{log}}.LogInformation("Forwarding {{lower}} {Id} (attempt {Attempt})", item.Id, dequeueCount);
item.Status = "{{status}}";
return JsonConvert.SerializeObject(item);
`, "status", status),
	}
}

func queueOut(c *fnCtx) method {
	c.useQueues()
	c.useModels()
	name := c.fn("Check" + c.e.Name + "Total")
	return method{
		kind:  "queue-out",
		attrs: []string{c.attr(name)},
		sig:   c.mods("void " + c.t.memberName("CheckTotal")),
		params: append([]string{
			`[QueueTrigger("` + c.queue(c.e.kebab()+"-totals") + `")] ` + c.e.Name + " item",
			`[Queue("` + c.queue(c.e.kebab()+"-alerts") + `")] out string alert`,
		}, c.logParam()...),
		body: c.ex(`
if (item.Total <= {{limit}}m)
{
    alert = null;
    return;
}

{{log}}.LogWarning("{{Entity}} {Id} is over the limit: {Total}", item.Id, item.Total);
alert = $"{item.Id}:{item.Total}";
`, "limit", pick(c.g.r, []string{"500", "1000", "2500", "10000"})),
	}
}

func queueCollector(c *fnCtx) method {
	c.useQueues()
	c.f.use("System", "System.Threading.Tasks")
	name := c.fn("Split" + c.e.Name + "Batch")
	return method{
		kind:  "queue-collector",
		attrs: []string{c.attr(name)},
		sig:   c.mods("async Task " + c.t.memberName("SplitBatch")),
		params: append([]string{
			`[QueueTrigger("` + c.queue(c.e.kebab()+"-batches") + `")] string batch`,
			`[Queue("` + c.queue(c.e.kebab()+"-items") + `")] IAsyncCollector<string> items`,
		}, c.logParam()...),
		body: c.ex(`
var count = 0;
foreach (var id in batch.Split(',', StringSplitOptions.RemoveEmptyEntries))
{
    await items.AddAsync(id.Trim());
    count++;
}

{{log}}.LogInformation("Split a batch into {Count} {{lowerPlural}}", count);
`),
	}
}

func blobCopy(c *fnCtx) method {
	c.useBlobs()
	name := c.fn("Archive" + c.e.Name)
	conn := c.storageConn()
	container := c.queue(c.e.kebabPlural())
	return method{
		kind:  "blob-copy",
		attrs: []string{c.attr(name)},
		sig:   c.mods("void " + c.t.memberName("Archive")),
		params: append([]string{
			`[BlobTrigger("` + container + `/{name}"` + conn + `)] Stream input`,
			"string name",
			`[Blob("` + container + `-archive/{name}", FileAccess.Write` + conn + `)] Stream output`,
		}, c.logParam()...),
		body: c.ex(`
input.CopyTo(output);
{{log}}.LogInformation("Archived {Name} ({Bytes} bytes)", name, input.Length);
`),
	}
}

func queueBlobInput(c *fnCtx) method {
	c.useQueues()
	c.useBlobs()
	c.f.use("System.Threading.Tasks")
	name := c.fn("Copy" + c.e.Name + "Document")
	container := c.queue(c.e.kebab() + "-documents")
	return method{
		kind:  "queue-blob-input",
		attrs: []string{c.attr(name)},
		sig:   c.mods("async Task " + c.t.memberName("CopyDocument")),
		params: append([]string{
			`[QueueTrigger("` + c.queue(c.e.kebab()+"-copies") + `")] string id`,
			`[Blob("` + container + `/{queueTrigger}.json", FileAccess.Read)] string document`,
			`[Blob("` + container + `-copy/{queueTrigger}.json", FileAccess.Write)] TextWriter copy`,
		}, c.logParam()...),
		body: c.ex(`
if (document == null)
{
    {{log}}.LogWarning("No document for {{lower}} {Id}", id);
    return;
}

await copy.WriteAsync(document);
{{log}}.LogInformation("Copied {Length} characters for {{lower}} {Id}", document.Length, id);
`),
	}
}

func serviceBusTopic(c *fnCtx) method {
	c.useServiceBus()
	c.f.use("System", "System.Threading.Tasks", "Newtonsoft.Json")
	name := c.fn("Audit" + c.e.Name + "Event")
	return method{
		kind:  "sb-topic",
		attrs: []string{c.attr(name)},
		sig:   c.mods("async Task " + c.t.memberName("AuditEvent")),
		params: append([]string{
			`[ServiceBusTrigger("` + c.queue(c.e.kebab()+"-events") + `", "` + pick(c.g.r, []string{"audit", "reporting", "archive"}) + `", Connection = "ServiceBusConnection")] string message`,
			"string messageId",
			`[ServiceBus("` + c.queue(c.e.kebab()+"-audit") + `", Connection = "ServiceBusConnection")] IAsyncCollector<string> audit`,
		}, c.logParam()...),
		body: c.ex(`
{{log}}.LogInformation("{{Entity}} event {MessageId}: {Length} characters", messageId, message.Length);
await audit.AddAsync(JsonConvert.SerializeObject(new { messageId, receivedAt = DateTime.UtcNow }));
`),
	}
}

func serviceBusReturn(c *fnCtx) method {
	c.useServiceBus()
	c.f.use("Azure.Messaging.ServiceBus")
	name := c.fn("Route" + c.e.Name + "Message")
	return method{
		kind:  "sb-return",
		attrs: []string{c.attr(name), `[return: ServiceBus("` + c.queue(c.e.kebab()+"-routed") + `", Connection = "ServiceBusConnection")]`},
		sig:   c.mods("string " + c.t.memberName("RouteMessage")),
		params: append([]string{
			`[ServiceBusTrigger("` + c.queue(c.e.kebab()+"-inbox") + `", Connection = "ServiceBusConnection")] ServiceBusReceivedMessage message`,
		}, c.logParam()...),
		body: c.ex(`
{{log}}.LogInformation("Message {Id} delivered {Count} time(s)", message.MessageId, message.DeliveryCount);
return message.Body.ToString();
`),
	}
}

// Timer functions, some with ExecutionContext.
var timerTemplates = []fnTemplate{timerPlain, timerExecutionContext, timerAppDirectory, timerQueue}

func timerPlain(c *fnCtx) method {
	c.useWebJobs()
	c.f.use("System")
	name := c.fn(pick(c.g.r, []string{"Purge", "Refresh", "Sync", "Reconcile"}) + c.e.Plural)
	return method{
		kind:    "timer-plain",
		comment: "Runs on a fixed schedule (UTC).",
		attrs:   []string{c.attr(name)},
		sig:     c.mods("void " + c.t.memberName("Run")),
		params:  append([]string{`[TimerTrigger("` + pick(c.g.r, crons) + `")] TimerInfo timer`}, c.logParam()...),
		body: c.ex(`
if (timer.IsPastDue)
{
    {{log}}.LogWarning("{{Fn}} is running late");
}

{{log}}.LogInformation("{{Fn}} ran at {Now}; next run at {Next}", DateTime.UtcNow, timer.ScheduleStatus?.Next);
`, "Fn", name),
	}
}

func timerExecutionContext(c *fnCtx) method {
	c.useWebJobs()
	c.f.use("System", "System.Threading.Tasks")
	name := c.fn("Expire" + c.e.Plural)
	setting := c.e.Name + "ExpirySchedule" + strings.TrimPrefix(c.sfx, "-")
	c.g.setting(setting, pick(c.g.r, crons))
	days := between(c.g.r, 7, 90)
	return method{
		kind:  "timer-exec",
		attrs: []string{c.attr(name)},
		sig:   c.mods("async Task " + c.t.memberName("Expire")),
		params: append([]string{
			`[TimerTrigger("%` + setting + `%")] TimerInfo timer`,
			"ExecutionContext context",
		}, c.logParam()...),
		body: c.ex(`
{{log}}.LogInformation("{Function} invocation {InvocationId} started", context.FunctionName, context.InvocationId);
var cutoff = DateTime.UtcNow.AddDays(-{{days}});
await Task.Delay(TimeSpan.FromMilliseconds(50));
{{log}}.LogInformation("Expired {{lowerPlural}} older than {Cutoff}", cutoff);
`, "days", strconv.Itoa(days)),
	}
}

func timerAppDirectory(c *fnCtx) method {
	c.useWebJobs()
	c.f.use("System.IO")
	name := c.fn("Reload" + c.e.Name + "Rules")
	file := c.e.kebab() + "-rules"
	return method{
		kind:  "timer-appdir",
		attrs: []string{c.attr(name)},
		sig:   c.mods("void " + c.t.memberName("ReloadRules")),
		params: append([]string{
			`[TimerTrigger("` + pick(c.g.r, crons) + `", RunOnStartup = false)] TimerInfo timer`,
			"ExecutionContext context",
		}, c.logParam()...),
		body: c.ex(`
var path = Path.Combine(context.FunctionAppDirectory, "{{file}}.json");
if (!File.Exists(path))
{
    {{log}}.LogWarning("Missing {Path}", path);
    return;
}

var text = File.ReadAllText(path);
{{log}}.LogInformation("Loaded {Length} characters of {{lower}} rules", text.Length);
`, "file", file),
	}
}

func timerQueue(c *fnCtx) method {
	c.useWebJobs()
	c.useQueues()
	c.f.use("System")
	name := c.fn("Schedule" + c.e.Name + "Digest")
	return method{
		kind:   "timer-queue",
		attrs:  []string{c.attr(name), `[return: Queue("` + c.queue(c.e.kebab()+"-digests") + `")]`},
		sig:    c.mods("string " + c.t.memberName("ScheduleDigest")),
		params: append([]string{`[TimerTrigger("` + pick(c.g.r, crons) + `")] TimerInfo timer`}, c.logParam()...),
		body: c.ex(`
var day = DateTime.UtcNow.ToString("yyyy-MM-dd");
{{log}}.LogInformation("Queued the {{lower}} digest for {Day}", day);
return day;
`),
	}
}
