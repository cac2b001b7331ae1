package corpus

import (
	"fmt"
	"strings"
)

// startupApp writes a FunctionsStartup class that registers services, the
// services, and instance function classes that get them injected.
func (g *repoGen) startupApp() {
	r := g.r
	g.pkg("Microsoft.Azure.Functions.Extensions", "1.1.0")
	if g.tf == "net8.0" {
		g.pkg("Microsoft.Extensions.Http", pick(r, []string{"8.0.0", "8.0.1"}))
	} else {
		g.pkg("Microsoft.Extensions.Http", pick(r, []string{"6.0.0", "7.0.0"}))
	}
	svcNS := g.ns + ".Services"
	g.client = g.typeName(g.domain + "Client")
	g.options = g.typeName(g.domain + "Options")
	section := g.domain
	clientSetting := g.domain + "ApiUrl"
	g.setting(clientSetting, "https://"+kebab(g.domain)+".example.com/")
	g.setting(section+":Region", pick(r, regions))
	g.setting(section+":MaxItems", fmt.Sprint(between(r, 2, 20)*10))

	// Services: the options, the typed HTTP client and a repository per
	// entity (added by the function files).
	f := g.newSource(joinPath(g.projDir, "Services", g.client+".cs"), svcNS)
	f.use("System.Net.Http", "System.Threading.Tasks")
	opt := newType("public class " + g.options)
	opt.add("public string Region { get; set; }\n")
	opt.add("public int MaxItems { get; set; } = 50;\n")
	f.types = append(f.types, opt.render())
	f.types = append(f.types, expand(`
public interface I{{Client}}
{
    Task<decimal> GetRateAsync(string id);
}
`, "Client", g.client))
	f.types = append(f.types, expand(`
public class {{Client}} : I{{Client}}
{
    private readonly HttpClient _http;

    public {{Client}}(HttpClient http)
    {
        _http = http;
    }

    public async Task<decimal> GetRateAsync(string id)
    {
        var text = await _http.GetStringAsync("rates/" + id);
        return decimal.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
    }
}
`, "Client", g.client))

	var repos []noun
	g.functionFilesWith(startupTemplates, []string{"Functions", "Api", "Handlers"}, 0, func(c *fnCtx, cls string) []dep {
		repos = append(repos, c.e)
		c.f.use(svcNS, "Microsoft.Extensions.Options")
		c.useModels()
		return []dep{
			{"I" + c.e.Name + "Repository", "repository"},
			{"I" + g.client, "client"},
			{"IOptions<" + g.options + ">", "options"},
			{"ILogger<" + cls + ">", "logger"},
		}
	})
	for _, e := range repos {
		rf := g.newSource(joinPath(g.projDir, "Services", e.Name+"Repository.cs"), svcNS)
		rf.use("System.Collections.Concurrent", "System.Threading.Tasks", g.modelsNS())
		rf.types = append(rf.types, expand(repositoryTemplate, "Entity", e.Name))
	}

	// Startup.
	startup := g.typeName(pick(r, []string{"Startup", "Startup", g.domain + "Startup"}))
	sf := g.newSource(joinPath(g.projDir, startup+".cs"), g.ns)
	sf.use("System", "Microsoft.Azure.Functions.Extensions.DependencyInjection", "Microsoft.Extensions.Configuration",
		"Microsoft.Extensions.DependencyInjection", svcNS)
	sf.assembly = append(sf.assembly, "[assembly: FunctionsStartup(typeof("+g.ns+"."+startup+"))]")
	var body strings.Builder
	body.WriteString("var configuration = builder.GetContext().Configuration;\n\n")
	body.WriteString(expand(`
builder.Services.AddHttpClient<I{{Client}}, {{Client}}>(client =>
{
    client.BaseAddress = new Uri(configuration["{{Setting}}"]);
});
builder.Services.AddOptions<{{Options}}>()
    .Configure<IConfiguration>((settings, config) => config.GetSection("{{Section}}").Bind(settings));
`, "Client", g.client, "Setting", clientSetting, "Options", g.options, "Section", section))
	for _, e := range repos {
		life := pick(r, []string{"AddSingleton", "AddSingleton", "AddScoped"})
		fmt.Fprintf(&body, "builder.Services.%s<I%sRepository, InMemory%sRepository>();\n", life, e.Name, e.Name)
	}
	if chance(r, 1, 3) {
		sf.use("Microsoft.Extensions.Logging")
		fmt.Fprintf(&body, "builder.Services.AddLogging(logging => logging.AddFilter(%q, LogLevel.%s));\n", g.ns, pick(r, []string{"Debug", "Information"}))
	}
	t := newType("public class " + startup + " : FunctionsStartup")
	t.add(method{sig: "public override void Configure", params: []string{"IFunctionsHostBuilder builder"}, body: body.String()}.render())
	if chance(r, 1, 3) {
		sf.use("System.IO")
		t.add(method{sig: "public override void ConfigureAppConfiguration", params: []string{"IFunctionsConfigurationBuilder builder"}, body: `
var context = builder.GetContext();
builder.ConfigurationBuilder
    .AddJsonFile(Path.Combine(context.ApplicationRootPath, "appsettings.json"), optional: true, reloadOnChange: false)
    .AddJsonFile(Path.Combine(context.ApplicationRootPath, $"appsettings.{context.EnvironmentName}.json"), optional: true, reloadOnChange: false)
    .AddEnvironmentVariables();
`}.render())
		g.extraNone = append(g.extraNone, "appsettings.json")
		g.add(joinPath(g.projDir, "appsettings.json"), renderJSON(jobj{{section, jobj{{"Region", pick(r, regions)}, {"MaxItems", 100}}}}))
	}
	sf.types = append(sf.types, t.render())
}

const repositoryTemplate = `
public interface I{{Entity}}Repository
{
    Task<{{Entity}}> GetAsync(string id);

    Task SaveAsync({{Entity}} item);

    Task<int> CountAsync();
}

public class InMemory{{Entity}}Repository : I{{Entity}}Repository
{
    private readonly ConcurrentDictionary<string, {{Entity}}> _items = new ConcurrentDictionary<string, {{Entity}}>();

    public Task<{{Entity}}> GetAsync(string id)
    {
        _items.TryGetValue(id, out var item);
        return Task.FromResult(item);
    }

    public Task SaveAsync({{Entity}} item)
    {
        _items[item.Id] = item;
        return Task.CompletedTask;
    }

    public Task<int> CountAsync() => Task.FromResult(_items.Count);
}
`

// Functions of the Startup kind: instance methods that use the injected
// repository, client and options; some still take an ILogger parameter.
var startupTemplates = []fnTemplate{startupGet, startupUpsert, startupReprice, startupReport}

func startupGet(c *fnCtx) method {
	c.useHTTP()
	c.f.use("System.Threading.Tasks")
	name := c.fn("Get" + c.e.Name)
	return method{
		kind:  "startup-get",
		attrs: []string{c.attr(name)},
		sig:   c.mods("async Task<IActionResult> " + c.t.memberName("Get")),
		params: []string{
			`[HttpTrigger(AuthorizationLevel.Function, "get", Route = "` + c.route() + `/{id}")] HttpRequest req`,
			"string id",
		},
		body: c.ex(`
var item = await _repository.GetAsync(id);
if (item == null)
{
    _logger.LogInformation("{{Entity}} {Id} not found", id);
    return new NotFoundResult();
}

return new OkObjectResult(item);
`),
	}
}

func startupUpsert(c *fnCtx) method {
	c.useHTTP()
	c.f.use("System", "System.IO", "System.Threading.Tasks", "Newtonsoft.Json")
	name := c.fn("Save" + c.e.Name)
	return method{
		kind:   "startup-upsert",
		attrs:  []string{c.attr(name)},
		sig:    c.mods("async Task<IActionResult> " + c.t.memberName("Save")),
		params: []string{`[HttpTrigger(AuthorizationLevel.Function, "post", "put", Route = "` + c.route() + `")] HttpRequest req`},
		body: c.ex(`
using var reader = new StreamReader(req.Body);
var item = JsonConvert.DeserializeObject<{{Entity}}>(await reader.ReadToEndAsync());
if (item == null)
{
    return new BadRequestResult();
}

item.Id ??= Guid.NewGuid().ToString("N");
await _repository.SaveAsync(item);
_logger.LogInformation("Saved {{lower}} {Id} in {Region}", item.Id, _options.Region);
return new OkObjectResult(item);
`),
	}
}

func startupReprice(c *fnCtx) method {
	c.useWebJobs()
	c.g.pkg("Microsoft.Azure.WebJobs.Extensions.Storage.Queues", pick(c.g.r, []string{"5.1.3", "5.2.0", "5.3.1"}))
	c.f.use("System.Threading.Tasks")
	name := c.fn("Reprice" + c.e.Name)
	return method{
		kind:  "startup-reprice",
		attrs: []string{c.attr(name)},
		sig:   c.mods("async Task " + c.t.memberName("Reprice")),
		params: []string{
			`[QueueTrigger("` + c.queue(c.e.kebab()+"-reprice") + `")] string id`,
			"ILogger log",
		},
		body: c.ex(`
var item = await _repository.GetAsync(id);
if (item == null)
{
    log.LogWarning("Nothing to reprice for {{lower}} {Id}", id);
    return;
}

item.Total = await _client.GetRateAsync(id);
await _repository.SaveAsync(item);
log.LogInformation("Repriced {{lower}} {Id} to {Total}", id, item.Total);
`),
	}
}

func startupReport(c *fnCtx) method {
	c.useWebJobs()
	c.f.use("System.Threading.Tasks")
	name := c.fn("Count" + c.e.Plural)
	return method{
		kind:   "startup-report",
		attrs:  []string{c.attr(name)},
		sig:    c.mods("async Task " + c.t.memberName("Count")),
		params: []string{`[TimerTrigger("` + pick(c.g.r, crons) + `")] TimerInfo timer`},
		body: c.ex(`
var count = await _repository.CountAsync();
if (count > _options.MaxItems)
{
    _logger.LogWarning("{Count} {{lowerPlural}} stored, more than {Max}", count, _options.MaxItems);
}
`),
	}
}

// durableApp writes Durable Functions 2.x workflows: each is an HTTP or
// timer starter, an orchestrator and two activities.
func (g *repoGen) durableApp() {
	r := g.r
	g.pkg("Microsoft.Azure.WebJobs.Extensions.DurableTask", pick(r, []string{"2.9.6", "2.11.1", "2.12.0", "2.13.7"}))
	if chance(r, 1, 2) {
		g.hostExtension("durableTask", jobj{{"hubName", g.domain + "Hub"}, {"maxConcurrentActivityFunctions", pick(r, []int{5, 10, 20})}})
	}
	for _, e := range g.entities(g.filesPerProject()) {
		name := g.typeName(e.Name + pick(r, []string{"Workflow", "Orchestration", "Saga"}))
		c := &fnCtx{g: g, e: e, static: true}
		c.f = g.newSource(joinPath(g.projDir, g.funcDir, name+".cs"), g.funcNS())
		c.f.use("System", "System.Collections.Generic", "System.Threading.Tasks", "Microsoft.Azure.WebJobs",
			"Microsoft.Azure.WebJobs.Extensions.DurableTask", "Microsoft.Extensions.Logging")
		c.t = newType("public static class " + name)
		cls := g.fnClass(c, name)
		workflows := (g.functionsPerFile() + 3) / 4
		start := r.IntN(len(durableWorkflows))
		for w := range workflows {
			for _, m := range durableWorkflows[(start+w)%len(durableWorkflows)](c) {
				cls.add(m)
				c.t.add(m.render())
			}
		}
		c.f.types = append(c.f.types, c.t.render())
	}
}

var durableWorkflows = []func(c *fnCtx) []method{durableChain, durableFanOut, durableRetry}

func durableChain(c *fnCtx) []method {
	c.f.use("System.Net.Http", "Microsoft.Azure.WebJobs.Extensions.Http")
	orch := c.fn("Process" + c.e.Name)
	route := c.route()
	start, _ := c.g.fnName(orch + "_HttpStart")
	validate, _ := c.g.fnName(orch + "_Validate")
	notify, _ := c.g.fnName(orch + "_Notify")
	x := func(s string) string {
		return c.ex(s, "Orch", orch, "Validate", validate, "Notify", notify)
	}
	return []method{
		{
			kind:  "chain-start",
			names: []string{"Orch", orch, "Validate", validate, "Notify", notify},
			attrs: []string{c.attr(start)},
			sig:   "public static async Task<HttpResponseMessage> " + c.t.memberName("Start"+c.e.Name),
			params: []string{
				`[HttpTrigger(AuthorizationLevel.Function, "post", Route = "` + route + `/{id}/process")] HttpRequestMessage req`,
				"string id",
				"[DurableClient] IDurableOrchestrationClient starter",
				"ILogger log",
			},
			body: x(`
string instanceId = await starter.StartNewAsync("{{Orch}}", null, id);
log.LogInformation("Started {InstanceId} for {{lower}} {Id}", instanceId, id);
return starter.CreateCheckStatusResponse(req, instanceId);
`),
		},
		{
			kind:   "chain-orch",
			names:  []string{"Orch", orch, "Validate", validate, "Notify", notify},
			attrs:  []string{c.attr(orch)},
			sig:    "public static async Task<List<string>> " + c.t.memberName("Run"+c.e.Name),
			params: []string{"[OrchestrationTrigger] IDurableOrchestrationContext context", "ILogger log"},
			body: x(`
log = context.CreateReplaySafeLogger(log);
var id = context.GetInput<string>();
var steps = new List<string>();
steps.Add(await context.CallActivityAsync<string>("{{Validate}}", id));
steps.Add(await context.CallActivityAsync<string>("{{Notify}}", id));
log.LogInformation("{{Entity}} {Id} went through {Count} steps", id, steps.Count);
return steps;
`),
		},
		{
			kind:   "chain-validate",
			names:  []string{"Orch", orch, "Validate", validate, "Notify", notify},
			attrs:  []string{c.attr(validate)},
			sig:    "public static string " + c.t.memberName("Validate"+c.e.Name),
			params: []string{"[ActivityTrigger] string id", "ILogger log"},
			body: x(`
log.LogInformation("Validating {{lower}} {Id}", id);
return id + ":validated";
`),
		},
		{
			kind:   "chain-notify",
			names:  []string{"Orch", orch, "Validate", validate, "Notify", notify},
			attrs:  []string{c.attr(notify)},
			sig:    "public static async Task<string> " + c.t.memberName("Notify"+c.e.Name),
			params: []string{"[ActivityTrigger] IDurableActivityContext context", "ILogger log"},
			body: x(`
var id = context.GetInput<string>();
log.LogInformation("Notifying about {{lower}} {Id} ({InstanceId})", id, context.InstanceId);
await Task.Delay(TimeSpan.FromMilliseconds(20));
return id + ":notified";
`),
		},
	}
}

func durableFanOut(c *fnCtx) []method {
	c.f.use("System.IO", "System.Linq", "Microsoft.AspNetCore.Http", "Microsoft.AspNetCore.Mvc", "Microsoft.Azure.WebJobs.Extensions.Http", "Newtonsoft.Json")
	orch := c.fn("Price" + c.e.Plural)
	route := c.route()
	start, _ := c.g.fnName(orch + "_Start")
	price, _ := c.g.fnName(orch + "_PriceOne")
	record, _ := c.g.fnName(orch + "_Record")
	x := func(s string) string { return c.ex(s, "Orch", orch, "Price", price, "Record", record) }
	return []method{
		{
			kind:  "fanout-start",
			names: []string{"Orch", orch, "Price", price, "Record", record},
			attrs: []string{c.attr(start)},
			sig:   "public static async Task<IActionResult> " + c.t.memberName("StartPricing"),
			params: []string{
				`[HttpTrigger(AuthorizationLevel.Function, "post", Route = "` + route + `/pricing")] HttpRequest req`,
				"[DurableClient] IDurableClient client",
				"ILogger log",
			},
			body: x(`
var body = await new StreamReader(req.Body).ReadToEndAsync();
var ids = JsonConvert.DeserializeObject<string[]>(body) ?? Array.Empty<string>();
var instanceId = await client.StartNewAsync("{{Orch}}", ids);
log.LogInformation("Pricing {Count} {{lowerPlural}} in {InstanceId}", ids.Length, instanceId);
return client.CreateCheckStatusResponse(req, instanceId);
`),
		},
		{
			kind:   "fanout-orch",
			names:  []string{"Orch", orch, "Price", price, "Record", record},
			attrs:  []string{c.attr(orch)},
			sig:    "public static async Task<decimal> " + c.t.memberName("PriceAll"),
			params: []string{"[OrchestrationTrigger] IDurableOrchestrationContext context"},
			body: x(`
var ids = context.GetInput<string[]>();
var tasks = new List<Task<decimal>>();
foreach (var id in ids)
{
    tasks.Add(context.CallActivityAsync<decimal>("{{Price}}", id));
}

decimal[] totals = await Task.WhenAll(tasks);
var sum = totals.Sum();
await context.CallActivityAsync("{{Record}}", sum);
return sum;
`),
		},
		{
			kind:   "fanout-price",
			names:  []string{"Orch", orch, "Price", price, "Record", record},
			attrs:  []string{c.attr(price)},
			sig:    "public static decimal " + c.t.memberName("PriceOne"),
			params: []string{"[ActivityTrigger] string id", "ILogger log"},
			body: x(`
log.LogInformation("Pricing {{lower}} {Id}", id);
return id.Length * 1.5m;
`),
		},
		{
			kind:   "fanout-record",
			names:  []string{"Orch", orch, "Price", price, "Record", record},
			attrs:  []string{c.attr(record)},
			sig:    "public static void " + c.t.memberName("RecordTotal"),
			params: []string{"[ActivityTrigger] decimal total", "ILogger log"},
			body:   x(`log.LogInformation("Priced {{lowerPlural}} for {Total}", total);`),
		},
	}
}

func durableRetry(c *fnCtx) []method {
	c.f.use("System.Threading")
	orch := c.fn("Export" + c.e.Plural)
	start, _ := c.g.fnName(orch + "_Timer")
	export, _ := c.g.fnName(orch + "_Export")
	publish, _ := c.g.fnName(orch + "_Publish")
	x := func(s string) string {
		return c.ex(s, "Orch", orch, "Export", export, "Publish", publish,
			"sec", fmt.Sprint(between(c.g.r, 2, 30)), "attempts", fmt.Sprint(between(c.g.r, 2, 5)), "mins", fmt.Sprint(between(c.g.r, 1, 15)))
	}
	return []method{
		{
			kind:  "retry-start",
			names: []string{"Orch", orch, "Export", export, "Publish", publish},
			attrs: []string{c.attr(start)},
			sig:   "public static async Task " + c.t.memberName("ScheduleExport"),
			params: []string{
				`[TimerTrigger("` + pick(c.g.r, crons) + `")] TimerInfo timer`,
				"[DurableClient] IDurableOrchestrationClient starter",
				"ILogger log",
			},
			body: x(`
var instanceId = await starter.StartNewAsync("{{Orch}}", null, DateTime.UtcNow.ToString("yyyy-MM-dd"));
log.LogInformation("Scheduled {{lower}} export {InstanceId}", instanceId);
`),
		},
		{
			kind:   "retry-orch",
			names:  []string{"Orch", orch, "Export", export, "Publish", publish},
			attrs:  []string{c.attr(orch)},
			sig:    "public static async Task<string> " + c.t.memberName("Export"),
			params: []string{"[OrchestrationTrigger] IDurableOrchestrationContext context", "ILogger log"},
			body: x(`
log = context.CreateReplaySafeLogger(log);
var day = context.GetInput<string>();
var retry = new RetryOptions(TimeSpan.FromSeconds({{sec}}), {{attempts}}) { BackoffCoefficient = 2.0 };
var exported = await context.CallActivityWithRetryAsync<string>("{{Export}}", retry, day);
await context.CreateTimer(context.CurrentUtcDateTime.AddMinutes({{mins}}), CancellationToken.None);
var result = await context.CallActivityAsync<string>("{{Publish}}", exported);
log.LogInformation("Export for {Day} finished: {Result}", day, result);
return result;
`),
		},
		{
			kind:   "retry-export",
			names:  []string{"Orch", orch, "Export", export, "Publish", publish},
			attrs:  []string{c.attr(export)},
			sig:    "public static string " + c.t.memberName("ExportDay"),
			params: []string{"[ActivityTrigger] string day", "ILogger log"},
			body: x(`
log.LogInformation("Exporting {{lowerPlural}} of {Day}", day);
return "{{kebab}}-export-" + day + ".csv";
`),
		},
		{
			kind:   "retry-publish",
			names:  []string{"Orch", orch, "Export", export, "Publish", publish},
			attrs:  []string{c.attr(publish)},
			sig:    "public static string " + c.t.memberName("Publish"),
			params: []string{"[ActivityTrigger] string file", "ILogger log"},
			body: x(`
log.LogInformation("Publishing {File}", file);
return "published " + file;
`),
		},
	}
}

// manualWorkApp writes an HTTP app plus functions the tool cannot migrate
// on its own: an IBinder imperative binding, a Twilio output binding (no
// isolated equivalent) and a ClaimsPrincipal parameter, at least one of
// them.
func (g *repoGen) manualWorkApp() {
	r := g.r
	g.functionFiles(httpTemplates, []string{"Api", "Functions"}, 2)
	all := []fnTemplate{manualBinder, manualTwilio, manualClaims}
	chosen := pickN(r, all, between(r, 1, len(all)))
	e := g.entities(1)[0]
	name := g.typeName(g.domain + "Integrations")
	c := &fnCtx{g: g, e: e, static: true}
	c.f = g.newSource(joinPath(g.projDir, g.funcDir, name+".cs"), g.funcNS())
	g.manual = c.f.path
	c.t = newType("public static class " + name)
	cls := g.fnClass(c, name)
	for _, t := range chosen {
		m := t(c)
		cls.add(m)
		c.t.add(m.render())
	}
	c.f.types = append(c.f.types, c.t.render())
}

func manualBinder(c *fnCtx) method {
	c.useQueues()
	c.useBlobs()
	c.useStore()
	c.f.use("System.Threading.Tasks", "Newtonsoft.Json")
	name := c.fn("Export" + c.e.Name)
	return method{
		kind:    "manual-binder",
		comment: "Writes each " + c.e.lower() + " to a blob whose name is only known at run time.",
		attrs:   []string{c.attr(name)},
		sig:     c.mods("async Task " + c.t.memberName("Export")),
		params: []string{
			`[QueueTrigger("` + c.queue(c.e.kebab()+"-exports") + `")] string id`,
			"IBinder binder",
			"ILogger log",
		},
		body: c.ex(`
var item = await {{Entity}}Store.FindAsync(id);
var attribute = new BlobAttribute($"exports/{{kebab}}-{id}.json", FileAccess.Write);
using (var writer = await binder.BindAsync<TextWriter>(attribute))
{
    await writer.WriteAsync(JsonConvert.SerializeObject(item));
}

log.LogInformation("Exported {{lower}} {Id}", id);
`),
	}
}

func manualTwilio(c *fnCtx) method {
	c.useQueues()
	c.useModels()
	c.g.pkg("Microsoft.Azure.WebJobs.Extensions.Twilio", pick(c.g.r, []string{"3.0.0", "3.0.2"}))
	c.g.setting("TwilioAccountSid", "<account-sid>")
	c.g.setting("TwilioAuthToken", "<auth-token>")
	c.f.use("Twilio.Rest.Api.V2010.Account", "Twilio.Types")
	name := c.fn("Text" + c.e.Name + "Status")
	return method{
		kind: "manual-twilio",
		attrs: []string{
			c.attr(name),
			`[return: TwilioSms(AccountSidSetting = "TwilioAccountSid", AuthTokenSetting = "TwilioAuthToken", From = "+1555010` + fmt.Sprintf("%04d", c.g.r.IntN(10000)) + `")]`,
		},
		sig:    c.mods("CreateMessageOptions " + c.t.memberName("TextStatus")),
		params: []string{`[QueueTrigger("` + c.queue(c.e.kebab()+"-status") + `")] ` + c.e.Name + " item", "ILogger log"},
		body: c.ex(`
log.LogInformation("Texting {Contact} about {{lower}} {Id}", item.Contact, item.Id);
return new CreateMessageOptions(new PhoneNumber(item.Contact))
{
    Body = $"Your {{lower}} {item.Id} is now {item.Status}.",
};
`),
	}
}

func manualClaims(c *fnCtx) method {
	c.useHTTP()
	c.useStore()
	c.f.use("System.Security.Claims", "System.Threading.Tasks")
	name := c.fn("My" + c.e.Plural)
	return method{
		kind:  "manual-claims",
		attrs: []string{c.attr(name)},
		sig:   c.mods("async Task<IActionResult> " + c.t.memberName("Mine")),
		params: []string{
			`[HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "me/` + c.route() + `")] HttpRequest req`,
			"ClaimsPrincipal principal",
			"ILogger log",
		},
		body: c.ex(`
if (principal?.Identity == null || !principal.Identity.IsAuthenticated)
{
    return new UnauthorizedResult();
}

var user = principal.FindFirst(ClaimTypes.NameIdentifier)?.Value ?? principal.Identity.Name;
var mine = await {{Entity}}Store.SearchAsync(user, 50);
log.LogInformation("{User} has {Count} {{lowerPlural}}", user, mine.Count);
return new OkObjectResult(mine);
`),
	}
}

// brokenSourceApp writes an ordinary in-process app and marks one of its
// function files to be broken when it is rendered.
func (g *repoGen) brokenSourceApp() {
	g.functionFiles(pick(g.r, [][]fnTemplate{httpTemplates, queueTemplates, timerTemplates}), []string{"Functions", "Handlers"}, 2)
	g.broken = pick(g.r, g.sources).path
	g.breakVariant = g.r.IntN(len(sourceBreakers))
}

// isolatedApp writes an app already on the isolated worker model.
func (g *repoGen) isolatedApp() {
	r := g.r
	g.setupApp()
	g.tf = pick(r, []string{"net8.0", "net8.0", "net9.0"})
	v2 := g.tf == "net9.0" || chance(r, 1, 2)
	pkgs := [][2]string{
		{"Microsoft.ApplicationInsights.WorkerService", pick(r, []string{"2.22.0", "2.23.0"})},
		{"Microsoft.Azure.Functions.Worker.Extensions.Timer", pick(r, []string{"4.3.0", "4.3.1"})},
	}
	if v2 {
		pkgs = append(pkgs, [2]string{"Microsoft.Azure.Functions.Worker", "2.0.0"}, [2]string{"Microsoft.Azure.Functions.Worker.Sdk", "2.0.0"},
			[2]string{"Microsoft.Azure.Functions.Worker.ApplicationInsights", "2.0.0"},
			[2]string{"Microsoft.Azure.Functions.Worker.Extensions.Http.AspNetCore", "2.0.0"})
	} else {
		pkgs = append(pkgs, [2]string{"Microsoft.Azure.Functions.Worker", "1.23.0"}, [2]string{"Microsoft.Azure.Functions.Worker.Sdk", "1.17.4"},
			[2]string{"Microsoft.Azure.Functions.Worker.ApplicationInsights", "1.4.0"},
			[2]string{"Microsoft.Azure.Functions.Worker.Extensions.Http.AspNetCore", "1.3.2"})
	}
	var b strings.Builder
	b.WriteString("<Project Sdk=\"Microsoft.NET.Sdk\">\n  <PropertyGroup>\n")
	fmt.Fprintf(&b, "    <TargetFramework>%s</TargetFramework>\n    <AzureFunctionsVersion>v4</AzureFunctionsVersion>\n", g.tf)
	b.WriteString("    <OutputType>Exe</OutputType>\n    <ImplicitUsings>enable</ImplicitUsings>\n    <Nullable>enable</Nullable>\n")
	if g.rootNSProp {
		fmt.Fprintf(&b, "    <RootNamespace>%s</RootNamespace>\n", g.ns)
	}
	b.WriteString("  </PropertyGroup>\n  <ItemGroup>\n    <FrameworkReference Include=\"Microsoft.AspNetCore.App\" />\n  </ItemGroup>\n")
	b.WriteString(packageGroup(pkgs))
	b.WriteString(settingsItems)
	b.WriteString("  <ItemGroup>\n    <Using Include=\"System.Threading.ExecutionContext\" Alias=\"ExecutionContext\" />\n  </ItemGroup>\n</Project>\n")
	proj := g.projectPath()
	g.add(proj, b.String())

	program := g.newSource(joinPath(g.projDir, "Program.cs"), "")
	program.use("Microsoft.Azure.Functions.Worker", "Microsoft.Extensions.DependencyInjection", "Microsoft.Extensions.Hosting")
	if v2 {
		program.use("Microsoft.Azure.Functions.Worker.Builder")
		program.topLevel = `var builder = FunctionsApplication.CreateBuilder(args);

builder.ConfigureFunctionsWebApplication();

builder.Services
    .AddApplicationInsightsTelemetryWorkerService()
    .ConfigureFunctionsApplicationInsights();

builder.Build().Run();
`
	} else {
		program.topLevel = `var host = new HostBuilder()
    .ConfigureFunctionsWebApplication()
    .ConfigureServices(services =>
    {
        services.AddApplicationInsightsTelemetryWorkerService();
        services.ConfigureFunctionsApplicationInsights();
    })
    .Build();

host.Run();
`
	}

	for _, e := range g.entities(g.filesPerProject()) {
		name := g.typeName(e.Name + "Functions")
		f := g.newSource(joinPath(g.projDir, g.funcDir, name+".cs"), g.funcNS())
		f.use("Microsoft.AspNetCore.Http", "Microsoft.AspNetCore.Mvc", "Microsoft.Azure.Functions.Worker", "Microsoft.Extensions.Logging")
		t := newType("public class " + name)
		t.members = ctorMembers(name, []dep{{"ILogger<" + name + ">", "logger"}})
		x := func(s string, pairs ...string) string {
			return expand(s, append(pairs, "Entity", e.Name, "lower", e.lower(), "route", e.kebabPlural())...)
		}
		for k := range g.functionsPerFile() {
			switch k % 3 {
			case 0:
				fn, sfx := g.fnName("Get" + e.Name)
				t.add(method{attrs: []string{"[Function(" + quote(fn) + ")]"}, sig: "public IActionResult " + t.memberName("Get"),
					params: []string{`[HttpTrigger(AuthorizationLevel.Function, "get", Route = "` + e.kebabPlural() + sfx + `/{id}")] HttpRequest req`, "string id"},
					body: x(`
_logger.LogInformation("Fetching {{lower}} {Id}", id);
return new OkObjectResult(new { id, kind = "{{lower}}" });
`)}.render())
			case 1:
				fn, sfx := g.fnName("Create" + e.Name)
				t.add(method{attrs: []string{"[Function(" + quote(fn) + ")]"}, sig: "public async Task<IActionResult> " + t.memberName("Create"),
					params: []string{`[HttpTrigger(AuthorizationLevel.Function, "post", Route = "` + e.kebabPlural() + sfx + `")] HttpRequest req`},
					body: x(`
var request = await req.ReadFromJsonAsync<{{Entity}}Request>();
if (request is null || string.IsNullOrEmpty(request.Name))
{
    return new BadRequestObjectResult("name is required");
}

_logger.LogInformation("Creating {{lower}} {Name}", request.Name);
return new CreatedResult($"/api/{{route}}/{Guid.NewGuid():N}", request);
`)}.render())
			default:
				fn, _ := g.fnName("Purge" + e.Plural)
				t.add(method{attrs: []string{"[Function(" + quote(fn) + ")]"}, sig: "public void " + t.memberName("Purge"),
					params: []string{`[TimerTrigger("` + pick(r, crons) + `")] TimerInfo timer`},
					body:   x(`_logger.LogInformation("Purging {{lower}} data; next run at {Next}", timer.ScheduleStatus?.Next);`)}.render())
			}
		}
		f.types = append(f.types, t.render(), x("public record {{Entity}}Request(string Name, decimal Total);\n"))
	}
	g.flushSources()
	g.add(joinPath(g.projDir, "host.json"), g.hostJSON())
	g.add(joinPath(g.projDir, "local.settings.json"), g.localSettings("dotnet-isolated"))
	g.repoFiles([]string{proj}, nil)
	g.serviceFiles()
}

// notFunctions writes a .NET repository without Functions: a console app
// with a class library and tests, or an ASP.NET Core web API.
func (g *repoGen) notFunctions() {
	r := g.r
	g.company, g.domain = pick(r, companies), pick(r, domains)
	g.fileScoped = chance(r, 1, 2)
	base := g.company + "." + g.domain
	e := pick(r, nouns)
	tf := pick(r, []string{"net6.0", "net8.0"})
	var projects []string
	if chance(r, 1, 2) {
		// Console app and library.
		core := base + ".Core"
		coreProj := "src/" + core + "/" + core + ".csproj"
		g.add(coreProj, "<Project Sdk=\"Microsoft.NET.Sdk\">\n  <PropertyGroup>\n    <TargetFramework>"+
			pick(r, []string{"netstandard2.0", tf})+"</TargetFramework>\n  </PropertyGroup>\n</Project>\n")
		calc := g.newSource("src/"+core+"/"+e.Name+"Calculator.cs", core)
		calc.use("System", "System.Collections.Generic", "System.Linq")
		calc.types = append(calc.types, expand(`
public class {{Entity}}Line
{
    public string Sku { get; set; }
    public int Quantity { get; set; }
    public decimal Price { get; set; }
}

public static class {{Entity}}Calculator
{
    public static decimal Total(IEnumerable<{{Entity}}Line> lines, decimal taxRate)
    {
        if (lines == null)
        {
            throw new ArgumentNullException(nameof(lines));
        }

        var net = lines.Sum(l => l.Quantity * l.Price);
        return Math.Round(net * (1 + taxRate), 2);
    }
}
`, "Entity", e.Name))
		cli := base + ".Cli"
		cliProj := "src/" + cli + "/" + cli + ".csproj"
		g.add(cliProj, "<Project Sdk=\"Microsoft.NET.Sdk\">\n  <PropertyGroup>\n    <OutputType>Exe</OutputType>\n    <TargetFramework>"+tf+
			"</TargetFramework>\n  </PropertyGroup>\n  <ItemGroup>\n    <ProjectReference Include=\"..\\"+core+"\\"+core+".csproj\" />\n  </ItemGroup>\n"+
			packageGroup([][2]string{{"System.CommandLine", "2.0.0-beta4.22272.1"}})+"</Project>\n")
		prog := g.newSource("src/"+cli+"/Program.cs", cli)
		prog.use("System", "System.Globalization", core)
		prog.types = append(prog.types, expand(`
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length < 2)
        {
            Console.Error.WriteLine("usage: {{kebab}}-total <quantity> <price>");
            return 2;
        }

        var line = new {{Entity}}Line
        {
            Sku = "cli",
            Quantity = int.Parse(args[0], CultureInfo.InvariantCulture),
            Price = decimal.Parse(args[1], CultureInfo.InvariantCulture),
        };
        Console.WriteLine({{Entity}}Calculator.Total(new[] { line }, 0.2m));
        return 0;
    }
}
`, "Entity", e.Name, "kebab", e.kebab()))
		projects = append(projects, coreProj, cliProj)
		if chance(r, 1, 2) {
			tests := base + ".Tests"
			testProj := "tests/" + tests + "/" + tests + ".csproj"
			g.add(testProj, "<Project Sdk=\"Microsoft.NET.Sdk\">\n  <PropertyGroup>\n    <TargetFramework>"+tf+
				"</TargetFramework>\n    <IsPackable>false</IsPackable>\n  </PropertyGroup>\n"+
				packageGroup([][2]string{{"Microsoft.NET.Test.Sdk", "17.8.0"}, {"xunit", "2.6.2"}, {"xunit.runner.visualstudio", "2.5.4"}})+
				"  <ItemGroup>\n    <ProjectReference Include=\"..\\..\\src\\"+core+"\\"+core+".csproj\" />\n  </ItemGroup>\n</Project>\n")
			ts := g.newSource("tests/"+tests+"/"+e.Name+"CalculatorTests.cs", tests)
			ts.use(core, "Xunit")
			ts.types = append(ts.types, expand(`
public class {{Entity}}CalculatorTests
{
    [Fact]
    public void AddsTax()
    {
        var lines = new[] { new {{Entity}}Line { Sku = "a", Quantity = 2, Price = 10m } };
        Assert.Equal(24m, {{Entity}}Calculator.Total(lines, 0.2m));
    }
}
`, "Entity", e.Name))
			projects = append(projects, testProj)
		}
	} else {
		// ASP.NET Core minimal API.
		api := base + ".Api"
		proj := api + "/" + api + ".csproj"
		g.add(proj, "<Project Sdk=\"Microsoft.NET.Sdk.Web\">\n  <PropertyGroup>\n    <TargetFramework>"+tf+
			"</TargetFramework>\n    <Nullable>enable</Nullable>\n    <ImplicitUsings>enable</ImplicitUsings>\n  </PropertyGroup>\n"+
			packageGroup([][2]string{{"Swashbuckle.AspNetCore", "6.5.0"}})+"</Project>\n")
		prog := g.newSource(api+"/Program.cs", "")
		prog.topLevel = expand(`
var builder = WebApplication.CreateBuilder(args);
builder.Services.AddEndpointsApiExplorer();
builder.Services.AddSwaggerGen();

var app = builder.Build();
if (app.Environment.IsDevelopment())
{
    app.UseSwagger();
    app.UseSwaggerUI();
}

var items = new Dictionary<string, {{Entity}}>();

app.MapGet("/{{route}}/{id}", (string id) =>
    items.TryGetValue(id, out var item) ? Results.Ok(item) : Results.NotFound());

app.MapPost("/{{route}}", ({{Entity}} item) =>
{
    items[item.Id] = item;
    return Results.Created($"/{{route}}/{item.Id}", item);
});

app.Run();
`, "Entity", e.Name, "route", e.kebabPlural())
		prog.types = append(prog.types, expand("public record {{Entity}}(string Id, string Name, decimal Total);\n", "Entity", e.Name))
		g.add(api+"/appsettings.json", renderJSON(jobj{{"Logging", jobj{{"LogLevel", jobj{{"Default", "Information"}, {"Microsoft.AspNetCore", "Warning"}}}}}, {"AllowedHosts", "*"}}))
		projects = append(projects, proj)
	}
	g.flushSources()
	g.repoFiles(projects, nil)
}
