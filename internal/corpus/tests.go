package corpus

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// A fnClass is a generated function class as its tests see it.
type fnClass struct {
	name, ns string
	static   bool
	deps     []dep // constructor parameters of an instance class
	e        noun
	fns      []fnInfo
}

// An fnInfo is one function method: what a test calls and expects.
type fnInfo struct {
	kind   string // the template that wrote it (method.kind)
	method string
	ret    string // return type as written, without modifiers: "Task<IActionResult>"
	params []fnParam
	names  map[string]string // method.names
}

// An fnParam is a parameter as callers see it: no attributes.
type fnParam struct{ mod, typ, name string }

// fnClass records a function class as it is generated.
func (g *repoGen) fnClass(c *fnCtx, name string) *fnClass {
	cls := &fnClass{name: name, ns: c.f.ns, static: c.static, e: c.e}
	g.fnClasses = append(g.fnClasses, cls)
	return cls
}

// add records the method m renders.
func (c *fnClass) add(m method) {
	words := strings.Fields(m.sig)
	fn := fnInfo{kind: m.kind, method: words[len(words)-1], names: map[string]string{}}
	var ret []string
	for _, w := range words[:len(words)-1] {
		switch w {
		case "public", "static", "async":
		default:
			ret = append(ret, w)
		}
	}
	fn.ret = strings.Join(ret, " ")
	for _, p := range m.params {
		ws := strings.Fields(stripAttributes(p))
		fp := fnParam{typ: ws[len(ws)-2], name: ws[len(ws)-1]}
		if len(ws) > 2 {
			fp.mod = strings.Join(ws[:len(ws)-2], " ")
		}
		fn.params = append(fn.params, fp)
	}
	for i := 0; i+1 < len(m.names); i += 2 {
		fn.names[m.names[i]] = m.names[i+1]
	}
	c.fns = append(c.fns, fn)
}

// stripAttributes drops the attribute lists a parameter starts with.
func stripAttributes(p string) string {
	p = strings.TrimSpace(p)
	for strings.HasPrefix(p, "[") {
		end := closingBracket(p)
		if end < 0 {
			break
		}
		p = strings.TrimSpace(p[end+1:])
	}
	return p
}

// closingBracket returns the index of the ']' that closes the '[' s starts
// with, skipping string literals (routes and paths may hold brackets); -1
// when there is none.
func closingBracket(s string) int {
	depth, quoted := 0, false
	for i := 0; i < len(s); i++ {
		switch ch := s[i]; {
		case quoted && ch == '\\':
			i++
		case quoted:
			quoted = ch != '"'
		case ch == '"':
			quoted = true
		case ch == '[':
			depth++
		case ch == ']':
			if depth--; depth == 0 {
				return i
			}
		}
	}
	return -1
}

// csString returns s as a C# string literal.
func csString(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}

func (g *repoGen) testProjectPath() string {
	name := g.app + ".Tests"
	return "tests/" + name + "/" + name + ".csproj"
}

// Styles a test project keeps throughout, as a team would.
const (
	logNull = iota // NullLogger.Instance
	logMoq         // Mock<ILogger>
	logList        // a ListLogger class of the project
)

// testProject writes the xUnit project and its test classes, drawing only
// from g.tr.
func (g *repoGen) testProject() {
	r := g.tr
	name := g.app + ".Tests"
	dir := "tests/" + name
	ref := `..\..\` + strings.ReplaceAll(g.projectPath(), "/", `\`)

	var b strings.Builder
	b.WriteString("<Project Sdk=\"Microsoft.NET.Sdk\">\n\n  <PropertyGroup>\n")
	fmt.Fprintf(&b, "    <TargetFramework>%s</TargetFramework>\n", g.tf)
	b.WriteString("    <IsPackable>false</IsPackable>\n")
	if chance(r, 1, 2) {
		b.WriteString("    <IsTestProject>true</IsTestProject>\n")
	}
	b.WriteString("  </PropertyGroup>\n\n  <ItemGroup>\n")
	fmt.Fprintf(&b, "    <PackageReference Include=\"Microsoft.NET.Test.Sdk\" Version=\"%s\" />\n", pick(r, []string{"17.6.3", "17.8.0", "17.9.0", "17.11.1"}))
	fmt.Fprintf(&b, "    <PackageReference Include=\"Moq\" Version=\"%s\" />\n", pick(r, []string{"4.18.4", "4.20.69", "4.20.70", "4.20.72"}))
	fmt.Fprintf(&b, "    <PackageReference Include=\"xunit\" Version=\"%s\" />\n", pick(r, []string{"2.4.2", "2.5.3", "2.6.6", "2.9.2"}))
	fmt.Fprintf(&b, "    <PackageReference Include=\"xunit.runner.visualstudio\" Version=\"%s\">\n", pick(r, []string{"2.4.5", "2.5.3", "2.5.7", "2.8.2"}))
	b.WriteString("      <IncludeAssets>runtime; build; native; contentfiles; analyzers; buildtransitive</IncludeAssets>\n")
	b.WriteString("      <PrivateAssets>all</PrivateAssets>\n    </PackageReference>\n")
	if chance(r, 1, 2) {
		fmt.Fprintf(&b, "    <PackageReference Include=\"coverlet.collector\" Version=\"%s\">\n", pick(r, []string{"3.2.0", "6.0.0", "6.0.2"}))
		b.WriteString("      <IncludeAssets>runtime; build; native; contentfiles; analyzers; buildtransitive</IncludeAssets>\n")
		b.WriteString("      <PrivateAssets>all</PrivateAssets>\n    </PackageReference>\n")
	}
	b.WriteString("  </ItemGroup>\n\n  <ItemGroup>\n")
	fmt.Fprintf(&b, "    <ProjectReference Include=\"%s\" />\n", ref)
	b.WriteString("  </ItemGroup>\n\n</Project>\n")
	g.add(g.testProj, b.String())

	p := &testProject{g: g, r: r, dir: dir, ns: name, logger: r.IntN(3), naming: r.IntN(2), aaa: chance(r, 1, 2)}
	classes := pickN(r, g.fnClasses, between(r, 1, 3))
	sub := pick(r, []string{"", "", "Functions"})
	for _, c := range classes {
		f := &csFile{path: joinPath(dir, sub, c.name+"Tests.cs"), ns: name, fileScoped: g.fileScoped}
		p.testClass(c, f)
		g.addCS(f.path, f.render())
	}
	if p.logger == logList {
		g.addCS(joinPath(dir, "Helpers", "ListLogger.cs"), p.listLogger())
	}
}

// A testProject holds what the test classes of a project share.
type testProject struct {
	g      *repoGen
	r      *rand.Rand
	dir    string
	ns     string
	logger int  // logNull, logMoq or logList
	naming int  // 0: Method_Outcome_WhenCondition, 1: Method_WhenCondition_Outcome
	aaa    bool // Arrange / Act / Assert comments
}

func (p *testProject) listLogger() string {
	f := &csFile{ns: p.ns + ".Helpers", fileScoped: p.g.fileScoped}
	f.use("System", "System.Collections.Generic", "Microsoft.Extensions.Logging")
	f.types = append(f.types, `/// <summary>
/// An ILogger that keeps every message, so tests can assert on what was logged.
/// </summary>
public class ListLogger : ILogger
{
    public IList<string> Logs { get; } = new List<string>();

    public IDisposable BeginScope<TState>(TState state) => NoopScope.Instance;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception exception, Func<TState, Exception, string> formatter)
    {
        Logs.Add(logLevel + ": " + formatter(state, exception));
    }

    private sealed class NoopScope : IDisposable
    {
        public static readonly NoopScope Instance = new NoopScope();

        public void Dispose()
        {
        }
    }
}
`, `/// <summary>
/// A ListLogger for classes that take an ILogger of their own type.
/// </summary>
public class ListLogger<T> : ListLogger, ILogger<T>
{
}
`)
	return f.render()
}

// A testClass writes the tests of one function class.
type testClass struct {
	*testProject
	c      *fnClass
	f      *csFile
	t      *csType
	sut    int // instance classes: 0 new in each test, 1 a field set in the constructor, 2 a CreateFunction helper
	fields []string
	have   map[string]bool // fields and helpers added
	ctor   []string        // statements of the test class constructor
	extra  []string        // helper members after the tests
}

// A testCase is one test of one function method.
type testCase struct {
	outcome, when string            // name parts: "ReturnsNotFound", "IdIsUnknown"
	arrange       []string          // statements before the call
	args          map[string]string // parameter name → argument; the rest get defaults
	result        string            // local that keeps the result; "" discards it
	record        bool              // the call runs inside Record.Exception(Async)
	asserts       []string
	theory        []string // InlineData values for the test parameter
	theoryParam   string   // "string id": the test method's parameter
	generic       bool     // no case knows the template: the test only calls the function
}

func (p *testProject) testClass(c *fnClass, f *csFile) {
	tc := &testClass{testProject: p, c: c, f: f, t: newType("public class " + c.name + "Tests"), sut: p.r.IntN(3), have: map[string]bool{}}
	f.use("Xunit", c.ns)
	if chance(p.r, 1, 4) {
		tc.t.attrs = append(tc.t.attrs, `[Trait("Category", "Unit")]`)
	}
	var tests []string
	for _, fn := range c.fns {
		for _, tcase := range tc.cases(fn) {
			tests = append(tests, tc.render(fn, tcase))
		}
	}
	if len(tc.fields) > 0 {
		tc.t.members = append(tc.t.members, strings.Join(tc.fields, ""))
	}
	if len(tc.ctor) > 0 {
		tc.t.add(method{sig: "public " + c.name + "Tests", body: strings.Join(tc.ctor, "\n")}.render())
	}
	for _, t := range tests {
		tc.t.add(t)
	}
	for _, x := range tc.extra {
		tc.t.add(x)
	}
	f.types = append(f.types, tc.t.render())
}

// field declares a field of the test class once.
func (tc *testClass) field(name, decl string) {
	if !tc.have[name] {
		tc.have[name] = true
		tc.fields = append(tc.fields, decl+"\n")
	}
}

// logArg returns what the tests pass for an ILogger parameter.
func (tc *testClass) logArg() string {
	tc.f.use("Microsoft.Extensions.Logging")
	switch tc.logger {
	case logMoq:
		tc.f.use("Moq")
		tc.field("_log", "private readonly Mock<ILogger> _log = new Mock<ILogger>();")
		return "_log.Object"
	case logList:
		tc.f.use(tc.ns + ".Helpers")
		tc.field("_log", "private readonly ListLogger _log = new ListLogger();")
		return "_log"
	}
	tc.f.use("Microsoft.Extensions.Logging.Abstractions")
	return "NullLogger.Instance"
}

// typedLogArg returns what the tests pass for an ILogger<T> parameter.
func (tc *testClass) typedLogArg(typ string) string {
	tc.f.use("Microsoft.Extensions.Logging")
	switch tc.logger {
	case logMoq:
		tc.f.use("Moq")
		tc.field("_logger", "private readonly Mock<"+typ+"> _logger = new Mock<"+typ+">();")
		return "_logger.Object"
	case logList:
		tc.f.use(tc.ns + ".Helpers")
		inner := strings.TrimSuffix(strings.TrimPrefix(typ, "ILogger<"), ">")
		tc.field("_logger", "private readonly ListLogger<"+inner+"> _logger = new ListLogger<"+inner+">();")
		return "_logger"
	}
	tc.f.use("Microsoft.Extensions.Logging.Abstractions")
	return "Null" + strings.TrimPrefix(typ, "I") + ".Instance"
}

// loggedWarning returns an assertion that the function logged a warning,
// or nil when the logger keeps nothing.
func (tc *testClass) loggedWarning(loggerArg string) []string {
	switch {
	case strings.HasPrefix(loggerArg, "Null"):
		return nil
	case strings.HasSuffix(loggerArg, ".Object"):
		m := strings.TrimSuffix(loggerArg, ".Object")
		tc.f.use("System")
		return []string{m + `.Verify(
    x => x.Log(
        LogLevel.Warning,
        It.IsAny<EventId>(),
        It.Is<It.IsAnyType>((v, t) => true),
        It.IsAny<Exception>(),
        It.Is<Func<It.IsAnyType, Exception, string>>((v, t) => true)),
    Times.AtLeastOnce());`}
	}
	return []string{"Assert.Contains(" + loggerArg + `.Logs, line => line.StartsWith("Warning"));`}
}

// ctorArgs returns the arguments that construct an instance class.
func (tc *testClass) ctorArgs() string {
	var args []string
	for _, d := range tc.c.deps {
		switch {
		case d.typ == "ILogger<"+tc.c.name+">":
			args = append(args, tc.typedLogArg(d.typ))
		case strings.HasPrefix(d.typ, "IOptions<"):
			tc.f.use("Microsoft.Extensions.Options")
			inner := strings.TrimSuffix(strings.TrimPrefix(d.typ, "IOptions<"), ">")
			init := ""
			if inner == tc.g.options {
				tc.f.use(tc.g.ns + ".Services")
				init = fmt.Sprintf(" { Region = %q, MaxItems = %d }", pick(tc.r, regions), between(tc.r, 1, 20)*5)
			}
			args = append(args, "Options.Create(new "+inner+init+")")
		default:
			tc.f.use("Moq")
			if d.typ == "I"+tc.g.client || strings.HasSuffix(d.typ, "Repository") {
				tc.f.use(tc.g.ns + ".Services")
			}
			tc.field("_"+d.name, "private readonly Mock<"+d.typ+"> _"+d.name+" = new Mock<"+d.typ+">();")
			args = append(args, "_"+d.name+".Object")
		}
	}
	return strings.Join(args, ", ")
}

// receiver returns what a test calls the function on, and statements that
// must come first.
func (tc *testClass) receiver() (string, []string) {
	if tc.c.static {
		return tc.c.name, nil
	}
	switch tc.sut {
	case 1:
		if !tc.have["_function"] {
			args := tc.ctorArgs()
			tc.field("_function", "private readonly "+tc.c.name+" _function;")
			tc.ctor = append(tc.ctor, "_function = new "+tc.c.name+"("+args+");")
		}
		return "_function", nil
	case 2:
		if !tc.have["CreateFunction"] {
			tc.have["CreateFunction"] = true
			tc.extra = append(tc.extra, "private "+tc.c.name+" CreateFunction() => new "+tc.c.name+"("+tc.ctorArgs()+");\n")
		}
		return "sut", []string{"var sut = CreateFunction();"}
	}
	return "function", []string{"var function = new " + tc.c.name + "(" + tc.ctorArgs() + ");"}
}

func (tc *testClass) id() string {
	return fmt.Sprintf("%s-%d", tc.c.e.kebab(), between(tc.r, 100, 999))
}

// models makes the app's model types visible.
func (tc *testClass) models() { tc.f.use(tc.g.modelsNS()) }

// sample returns a C# expression that creates a model instance.
func (tc *testClass) sample(id string, extra ...string) string {
	tc.models()
	props := append([]string{"Id = " + quote(id), "Name = " + quote(pick(tc.r, sampleNames))}, extra...)
	return "new " + tc.c.e.Name + " { " + strings.Join(props, ", ") + " }"
}

var sampleNames = []string{"Sample", "Test item", "Acme", "First", "Widget", "Contoso test", "Demo"}

// request returns statements that make an HttpRequest named req, with a
// JSON body when body is not "".
func (tc *testClass) request(body string) []string {
	tc.f.use("Microsoft.AspNetCore.Http")
	if body == "" {
		return []string{"var req = new DefaultHttpContext().Request;"}
	}
	tc.f.use("System.IO", "System.Text")
	return []string{
		"var req = new DefaultHttpContext().Request;",
		"req.ContentType = \"application/json\";",
		"req.Body = new MemoryStream(Encoding.UTF8.GetBytes(" + body + "));",
	}
}

func (tc *testClass) timer(pastDue bool) string {
	tc.f.use("System", "Microsoft.Azure.WebJobs", "Microsoft.Azure.WebJobs.Extensions.Timers")
	return fmt.Sprintf("var timer = new TimerInfo(new ConstantSchedule(TimeSpan.FromMinutes(%d)), new ScheduleStatus(), %v);", pick(tc.r, []int{1, 5, 15, 60}), pastDue)
}

func (tc *testClass) executionContext(fn string) string {
	tc.f.use("System", "System.IO", "Microsoft.Azure.WebJobs")
	return "var context = new ExecutionContext\n{\n    FunctionName = " + quote(fn) +
		",\n    InvocationId = Guid.NewGuid(),\n    FunctionAppDirectory = Path.GetTempPath(),\n};"
}

// collectorVerify returns an assertion on how often a mocked collector got
// an item.
func collectorVerify(mock, times string) string {
	return mock + ".Verify(c => c.AddAsync(It.IsAny<string>(), It.IsAny<System.Threading.CancellationToken>()), " + times + ");"
}

// cases returns the tests of one function method.
func (tc *testClass) cases(fn fnInfo) []testCase {
	e := tc.c.e
	use := tc.f.use
	switch fn.kind {
	case "http-get":
		use("Microsoft.AspNetCore.Mvc")
		out := []testCase{{outcome: "ReturnsNotFound", when: e.Name + "IsUnknown", arrange: tc.request(""),
			args: map[string]string{"id": quote("missing-" + tc.id())}, result: "result", asserts: []string{"Assert.IsType<NotFoundResult>(result);"}}}
		if chance(tc.r, 1, 2) {
			id := tc.id()
			out = append(out, testCase{outcome: "ReturnsTheStored" + e.Name, when: "ItExists",
				arrange: append([]string{"await " + e.Name + "Store.SaveAsync(" + tc.sample(id) + ");"}, tc.request("")...),
				args:    map[string]string{"id": quote(id)}, result: "result",
				asserts: []string{"var ok = Assert.IsType<OkObjectResult>(result);", "var item = Assert.IsType<" + e.Name + ">(ok.Value);", "Assert.Equal(" + quote(id) + ", item.Id);"}})
		}
		if chance(tc.r, 1, 2) {
			out = append(out, testCase{outcome: "ReturnsBadRequest", when: "IdIsBlank", arrange: tc.request(""), args: map[string]string{"id": "id"},
				result: "result", asserts: []string{"Assert.IsType<BadRequestObjectResult>(result);"}, theory: []string{`""`, `" "`}, theoryParam: "string id"})
		}
		return out
	case "http-create":
		use("Microsoft.AspNetCore.Mvc", "Newtonsoft.Json")
		tc.models()
		out := []testCase{{outcome: "Returns201", when: "TheBodyIsValid",
			arrange: tc.request("JsonConvert.SerializeObject(new " + e.Name + " { Name = " + quote(pick(tc.r, sampleNames)) + " })"),
			result:  "result", asserts: []string{"var created = Assert.IsType<CreatedResult>(result);", "Assert.NotNull(created.Value);"}}}
		if chance(tc.r, 2, 3) {
			out = append(out, testCase{outcome: "ReturnsBadRequest", when: "TheNameIsMissing", arrange: tc.request(`"{}"`),
				result: "result", asserts: []string{"Assert.IsType<BadRequestObjectResult>(result);"}})
		}
		return out
	case "http-search":
		use("System.Collections.Generic", "Microsoft.AspNetCore.Mvc")
		tc.models()
		return []testCase{{outcome: "ReturnsMatches", when: "",
			arrange: append(tc.request(""), fmt.Sprintf(`req.QueryString = new QueryString("?q=%s&take=%d");`, strings.ToLower(e.Name[:2]), between(tc.r, 2, 50))),
			result:  "result", asserts: []string{"var ok = Assert.IsType<OkObjectResult>(result);", "Assert.IsType<List<" + e.Name + ">>(ok.Value);"}}}
	case "http-delete":
		use("Microsoft.AspNetCore.Mvc")
		out := []testCase{{outcome: "ReturnsNotFound", when: e.Name + "IsUnknown", arrange: tc.request(""),
			args: map[string]string{"id": quote("missing-" + tc.id())}, result: "result", asserts: []string{"Assert.IsType<NotFoundResult>(result);"}}}
		if chance(tc.r, 1, 2) {
			id := tc.id()
			out = append(out, testCase{outcome: "ReturnsNoContent", when: e.Name + "Exists",
				arrange: append([]string{"await " + e.Name + "Store.SaveAsync(" + tc.sample(id) + ");"}, tc.request("")...),
				args:    map[string]string{"id": quote(id)}, result: "result", asserts: []string{"Assert.IsType<NoContentResult>(result);"}})
		}
		return out
	case "http-health":
		use("Microsoft.AspNetCore.Mvc")
		return []testCase{{outcome: "ReturnsOk", arrange: tc.request(""), result: "result", asserts: []string{"Assert.IsType<OkObjectResult>(result);"}}}
	case "http-update-message":
		use("System.Net", "System.Net.Http", "System.Text")
		mk := func(body string) string {
			return "var req = new HttpRequestMessage(HttpMethod.Put, \"http://localhost/api/" + e.kebabPlural() + "/1\")\n{\n    Content = new StringContent(" +
				body + ", Encoding.UTF8, \"application/json\"),\n};"
		}
		out := []testCase{{outcome: "ReturnsNotFound", when: e.Name + "IsUnknown", arrange: []string{mk(csString(`{"Name":"Renamed"}`))},
			args: map[string]string{"id": quote("missing-" + tc.id())}, result: "response", asserts: []string{"Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);"}}}
		if chance(tc.r, 1, 2) {
			out = append(out, testCase{outcome: "ReturnsBadRequest", when: "TheBodyIsNull", arrange: []string{mk(`"null"`)},
				result: "response", asserts: []string{"Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);"}})
		}
		return out
	case "queue-return":
		use("Newtonsoft.Json")
		id := tc.id()
		return []testCase{{outcome: "Forwards" + e.Name, when: "", arrange: []string{"var message = JsonConvert.SerializeObject(" + tc.sample(id) + ");"},
			args: map[string]string{"message": "message", "dequeueCount": "1"}, result: "result",
			asserts: []string{"var forwarded = JsonConvert.DeserializeObject<" + e.Name + ">(result);", "Assert.Equal(" + quote(id) + ", forwarded.Id);", "Assert.False(string.IsNullOrEmpty(forwarded.Status));"}}}
	case "queue-out":
		id := tc.id()
		out := []testCase{{outcome: "RaisesAnAlert", when: "TheTotalIsOverTheLimit", arrange: []string{"var item = " + tc.sample(id, "Total = 1000000m") + ";"},
			args: map[string]string{"alert": "out var alert"}, asserts: []string{"Assert.NotNull(alert);", "Assert.StartsWith(" + quote(id+":") + ", alert);"}}}
		if chance(tc.r, 2, 3) {
			out = append(out, testCase{outcome: "RaisesNoAlert", when: "TheTotalIsSmall", arrange: []string{"var item = " + tc.sample(tc.id(), "Total = 1m") + ";"},
				args: map[string]string{"alert": "out var alert"}, asserts: []string{"Assert.Null(alert);"}})
		}
		return out
	case "queue-collector":
		use("Moq", "Microsoft.Azure.WebJobs")
		n := between(tc.r, 2, 5)
		var ids []string
		for range n {
			ids = append(ids, tc.id())
		}
		return []testCase{{outcome: "QueuesEach" + e.Name, when: "", arrange: []string{"var collector = new Mock<IAsyncCollector<string>>();"},
			args:    map[string]string{"batch": quote(strings.Join(ids, ", ")), "items": "collector.Object"},
			asserts: []string{collectorVerify("collector", fmt.Sprintf("Times.Exactly(%d)", n))}}}
	case "blob-copy":
		use("System.IO", "System.Text")
		return []testCase{{outcome: "CopiesTheBlob", when: "", arrange: []string{
			"var input = new MemoryStream(Encoding.UTF8.GetBytes(" + quote(e.lower()+" archive contents") + "));", "var output = new MemoryStream();"},
			args: map[string]string{"name": quote(tc.id() + ".json")}, asserts: []string{"Assert.Equal(input.ToArray(), output.ToArray());"}}}
	case "queue-blob-input":
		use("System.IO")
		doc := csString(`{"id":"` + tc.id() + `"}`)
		out := []testCase{{outcome: "CopiesTheDocument", when: "", arrange: []string{"var copy = new StringWriter();"},
			args: map[string]string{"document": doc}, asserts: []string{"Assert.Equal(" + doc + ", copy.ToString());"}}}
		if chance(tc.r, 1, 2) {
			out = append(out, testCase{outcome: "WritesNothing", when: "TheDocumentIsMissing", arrange: []string{"var copy = new StringWriter();"},
				args: map[string]string{"document": "null"}, asserts: []string{"Assert.Equal(string.Empty, copy.ToString());"}})
		}
		return out
	case "sb-topic":
		use("Moq", "Microsoft.Azure.WebJobs")
		return []testCase{{outcome: "WritesAnAuditRecord", when: "", arrange: []string{"var audit = new Mock<IAsyncCollector<string>>();"},
			args:    map[string]string{"message": csString(`{"id":"` + tc.id() + `"}`), "messageId": quote(fmt.Sprintf("msg-%d", between(tc.r, 1, 9999))), "audit": "audit.Object"},
			asserts: []string{collectorVerify("audit", "Times.Once()")}}}
	case "sb-return":
		use("System", "Azure.Messaging.ServiceBus")
		body := e.lower() + " " + tc.id()
		return []testCase{{outcome: "ReturnsTheBody", when: "", arrange: []string{
			"var message = ServiceBusModelFactory.ServiceBusReceivedMessage(\n    body: BinaryData.FromString(" + quote(body) + "),\n    messageId: " + quote(tc.id()) + ",\n    deliveryCount: 1);"},
			result: "result", asserts: []string{"Assert.Equal(" + quote(body) + ", result);"}}}
	case "timer-plain":
		log := tc.loggerFor(fn)
		out := []testCase{{outcome: "Completes", when: "OnSchedule", arrange: []string{tc.timer(false)}, record: true}}
		if w := tc.loggedWarning(log); w != nil {
			out = append(out, testCase{outcome: "LogsAWarning", when: "ItRunsLate", arrange: []string{tc.timer(true)}, asserts: w})
		}
		return out
	case "timer-exec":
		return []testCase{{outcome: "Completes", arrange: []string{tc.timer(false), tc.executionContext(fn.method)}, record: true}}
	case "timer-appdir":
		log := tc.loggerFor(fn)
		c := testCase{outcome: "DoesNotThrow", when: "TheRulesFileIsMissing", arrange: []string{tc.timer(false), tc.executionContext(fn.method)}, record: true}
		if w := tc.loggedWarning(log); w != nil {
			c = testCase{outcome: "LogsAWarning", when: "TheRulesFileIsMissing", arrange: c.arrange, asserts: w}
		}
		return []testCase{c}
	case "timer-queue":
		use("System")
		return []testCase{{outcome: "QueuesTodaysDigest", arrange: []string{tc.timer(false)}, result: "day",
			asserts: []string{`Assert.Equal(DateTime.UtcNow.ToString("yyyy-MM-dd"), day);`}}}
	case "startup-get":
		use("Microsoft.AspNetCore.Mvc")
		tc.models()
		id := tc.id()
		out := []testCase{{outcome: "ReturnsOk", when: e.Name + "Exists",
			arrange: append([]string{"_repository.Setup(r => r.GetAsync(" + quote(id) + ")).ReturnsAsync(" + tc.sample(id) + ");"}, tc.request("")...),
			args:    map[string]string{"id": quote(id)}, result: "result", asserts: []string{"var ok = Assert.IsType<OkObjectResult>(result);", "Assert.Equal(" + quote(id) + ", ((" + e.Name + ")ok.Value).Id);"}}}
		if chance(tc.r, 2, 3) {
			missing := tc.id()
			out = append(out, testCase{outcome: "ReturnsNotFound", when: e.Name + "IsMissing",
				arrange: append([]string{"_repository.Setup(r => r.GetAsync(" + quote(missing) + ")).ReturnsAsync((" + e.Name + ")null);"}, tc.request("")...),
				args:    map[string]string{"id": quote(missing)}, result: "result", asserts: []string{"Assert.IsType<NotFoundResult>(result);"}})
		}
		return out
	case "startup-upsert":
		use("Microsoft.AspNetCore.Mvc", "Moq")
		tc.models()
		name := pick(tc.r, sampleNames)
		return []testCase{{outcome: "Saves" + e.Name, when: "",
			arrange: tc.request(csString(`{"Name":"` + name + `"}`)), result: "result",
			asserts: []string{"Assert.IsType<OkObjectResult>(result);", "_repository.Verify(r => r.SaveAsync(It.Is<" + e.Name + ">(x => x.Name == " + quote(name) + ")), Times.Once());"}}}
	case "startup-reprice":
		use("Moq")
		tc.models()
		id := tc.id()
		rate := fmt.Sprintf("%d.%02dm", between(tc.r, 1, 500), tc.r.IntN(100))
		return []testCase{{outcome: "SavesTheNewRate", when: "",
			arrange: []string{"_repository.Setup(r => r.GetAsync(" + quote(id) + ")).ReturnsAsync(" + tc.sample(id) + ");",
				"_client.Setup(c => c.GetRateAsync(" + quote(id) + ")).ReturnsAsync(" + rate + ");"},
			args:    map[string]string{"id": quote(id)},
			asserts: []string{"_repository.Verify(r => r.SaveAsync(It.Is<" + e.Name + ">(x => x.Total == " + rate + ")), Times.Once());"}}}
	case "startup-report":
		use("Moq")
		return []testCase{{outcome: "Counts" + e.Plural, arrange: []string{fmt.Sprintf("_repository.Setup(r => r.CountAsync()).ReturnsAsync(%d);", between(tc.r, 0, 500))},
			args: map[string]string{"timer": "null"}, record: true, asserts: []string{"_repository.Verify(r => r.CountAsync(), Times.Once());"}}}
	case "chain-start":
		use("System.Net", "System.Net.Http", "Moq", "Microsoft.Azure.WebJobs.Extensions.DurableTask")
		id := tc.id()
		return []testCase{{outcome: "StartsTheOrchestration", arrange: []string{
			"var req = new HttpRequestMessage(HttpMethod.Post, \"http://localhost/api/" + e.kebabPlural() + "/" + id + "/process\");",
			"var starter = new Mock<IDurableOrchestrationClient>();",
			"starter.Setup(s => s.StartNewAsync(" + quote(fn.names["Orch"]) + ", null, " + quote(id) + ")).ReturnsAsync(\"instance-1\");",
			"starter\n    .Setup(s => s.CreateCheckStatusResponse(It.IsAny<HttpRequestMessage>(), \"instance-1\", false))\n    .Returns(new HttpResponseMessage(HttpStatusCode.Accepted));"},
			args: map[string]string{"id": quote(id), "starter": "starter.Object"}, result: "response",
			asserts: []string{"Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);"}}}
	case "chain-orch":
		use("Moq", "Microsoft.Azure.WebJobs.Extensions.DurableTask")
		id := tc.id()
		return []testCase{{outcome: "CallsBothActivities", arrange: []string{
			"var context = new Mock<IDurableOrchestrationContext>();",
			"context.Setup(c => c.GetInput<string>()).Returns(" + quote(id) + ");",
			"context.Setup(c => c.CreateReplaySafeLogger(It.IsAny<ILogger>())).Returns(" + tc.logArg() + ");",
			"context.Setup(c => c.CallActivityAsync<string>(" + quote(fn.names["Validate"]) + ", " + quote(id) + ")).ReturnsAsync(" + quote(id+":validated") + ");",
			"context.Setup(c => c.CallActivityAsync<string>(" + quote(fn.names["Notify"]) + ", " + quote(id) + ")).ReturnsAsync(" + quote(id+":notified") + ");"},
			args: map[string]string{"context": "context.Object"}, result: "steps",
			asserts: []string{"Assert.Equal(new[] { " + quote(id+":validated") + ", " + quote(id+":notified") + " }, steps);"}}}
	case "chain-validate":
		id := tc.id()
		return []testCase{{outcome: "Marks" + e.Name + "Validated", args: map[string]string{"id": quote(id)}, result: "result",
			asserts: []string{"Assert.Equal(" + quote(id+":validated") + ", result);"}}}
	case "chain-notify":
		use("Moq", "Microsoft.Azure.WebJobs.Extensions.DurableTask")
		id := tc.id()
		return []testCase{{outcome: "Marks" + e.Name + "Notified", arrange: []string{
			"var context = new Mock<IDurableActivityContext>();",
			"context.Setup(c => c.GetInput<string>()).Returns(" + quote(id) + ");",
			"context.SetupGet(c => c.InstanceId).Returns(\"instance-2\");"},
			args: map[string]string{"context": "context.Object"}, result: "result", asserts: []string{"Assert.Equal(" + quote(id+":notified") + ", result);"}}}
	case "fanout-start":
		use("Microsoft.AspNetCore.Mvc", "Moq", "Microsoft.Azure.WebJobs.Extensions.DurableTask")
		return []testCase{{outcome: "StartsPricing", arrange: append(tc.request(csString(`["`+tc.id()+`","`+tc.id()+`"]`)),
			"var client = new Mock<IDurableClient>();",
			"client.Setup(c => c.StartNewAsync("+quote(fn.names["Orch"])+", It.IsAny<string[]>())).ReturnsAsync(\"instance-3\");",
			"client.Setup(c => c.CreateCheckStatusResponse(It.IsAny<HttpRequest>(), \"instance-3\", false)).Returns(new AcceptedResult());"),
			args: map[string]string{"client": "client.Object"}, result: "result", asserts: []string{"Assert.IsType<AcceptedResult>(result);"}}}
	case "fanout-orch":
		use("System.Threading.Tasks", "Moq", "Microsoft.Azure.WebJobs.Extensions.DurableTask")
		n := between(tc.r, 2, 4)
		var ids []string
		for range n {
			ids = append(ids, quote(tc.id()))
		}
		price := between(tc.r, 1, 9)
		return []testCase{{outcome: "AddsUpThePrices", arrange: []string{
			"var context = new Mock<IDurableOrchestrationContext>();",
			"context.Setup(c => c.GetInput<string[]>()).Returns(new[] { " + strings.Join(ids, ", ") + " });",
			fmt.Sprintf("context.Setup(c => c.CallActivityAsync<decimal>(%s, It.IsAny<string>())).ReturnsAsync(%dm);", quote(fn.names["Price"]), price),
			"context.Setup(c => c.CallActivityAsync(" + quote(fn.names["Record"]) + ", It.IsAny<object>())).Returns(Task.CompletedTask);"},
			args: map[string]string{"context": "context.Object"}, result: "total",
			asserts: []string{fmt.Sprintf("Assert.Equal(%dm, total);", price*n),
				fmt.Sprintf("context.Verify(c => c.CallActivityAsync(%s, %dm), Times.Once());", quote(fn.names["Record"]), price*n)}}}
	case "fanout-price":
		id := tc.id()
		return []testCase{{outcome: "PricesByLength", args: map[string]string{"id": quote(id)}, result: "price",
			asserts: []string{fmt.Sprintf("Assert.Equal(%sm, price);", decimalText(len(id)*15, 1))}}}
	case "fanout-record":
		return []testCase{{outcome: "Completes", args: map[string]string{"total": fmt.Sprintf("%dm", between(tc.r, 1, 999))}, record: true}}
	case "retry-start":
		use("Moq", "Microsoft.Azure.WebJobs.Extensions.DurableTask")
		orch := quote(fn.names["Orch"])
		return []testCase{{outcome: "SchedulesTheExport", arrange: []string{tc.timer(false),
			"var starter = new Mock<IDurableOrchestrationClient>();",
			"starter.Setup(s => s.StartNewAsync(" + orch + ", null, It.IsAny<string>())).ReturnsAsync(\"instance-4\");"},
			args: map[string]string{"starter": "starter.Object"}, asserts: []string{"starter.Verify(s => s.StartNewAsync(" + orch + ", null, It.IsAny<string>()), Times.Once());"}}}
	case "retry-orch":
		use("System", "System.Threading.Tasks", "Moq", "Microsoft.Azure.WebJobs", "Microsoft.Azure.WebJobs.Extensions.DurableTask")
		day := fmt.Sprintf("2024-%02d-%02d", between(tc.r, 1, 12), between(tc.r, 1, 28))
		file := e.kebab() + "-export-" + day + ".csv"
		return []testCase{{outcome: "PublishesTheExport", arrange: []string{
			"var context = new Mock<IDurableOrchestrationContext>();",
			"context.Setup(c => c.GetInput<string>()).Returns(" + quote(day) + ");",
			"context.Setup(c => c.CreateReplaySafeLogger(It.IsAny<ILogger>())).Returns(" + tc.logArg() + ");",
			"context.SetupGet(c => c.CurrentUtcDateTime).Returns(new DateTime(2024, 5, 6, 7, 8, 9, DateTimeKind.Utc));",
			"context\n    .Setup(c => c.CallActivityWithRetryAsync<string>(" + quote(fn.names["Export"]) + ", It.IsAny<RetryOptions>(), " + quote(day) + "))\n    .ReturnsAsync(" + quote(file) + ");",
			"context.Setup(c => c.CreateTimer(It.IsAny<DateTime>(), It.IsAny<System.Threading.CancellationToken>())).Returns(Task.CompletedTask);",
			"context.Setup(c => c.CallActivityAsync<string>(" + quote(fn.names["Publish"]) + ", " + quote(file) + ")).ReturnsAsync(" + quote("published "+file) + ");"},
			args: map[string]string{"context": "context.Object"}, result: "result", asserts: []string{"Assert.Equal(" + quote("published "+file) + ", result);"}}}
	case "retry-export":
		day := fmt.Sprintf("2024-%02d-%02d", between(tc.r, 1, 12), between(tc.r, 1, 28))
		return []testCase{{outcome: "NamesTheExportFile", args: map[string]string{"day": quote(day)}, result: "file",
			asserts: []string{"Assert.Equal(" + quote(e.kebab()+"-export-"+day+".csv") + ", file);"}}}
	case "retry-publish":
		file := e.kebab() + "-export.csv"
		return []testCase{{outcome: "ReportsThePublishedFile", args: map[string]string{"file": quote(file)}, result: "result",
			asserts: []string{"Assert.Equal(" + quote("published "+file) + ", result);"}}}
	case "manual-binder":
		use("System.IO", "Moq", "Microsoft.Azure.WebJobs")
		id := tc.id()
		name := pick(tc.r, sampleNames)
		return []testCase{{outcome: "WritesTheBlob", arrange: []string{
			"await " + e.Name + "Store.SaveAsync(new " + e.Name + " { Id = " + quote(id) + ", Name = " + quote(name) + " });",
			"var writer = new StringWriter();",
			"var binder = new Mock<IBinder>();",
			"binder\n    .Setup(b => b.BindAsync<TextWriter>(It.IsAny<BlobAttribute>(), It.IsAny<System.Threading.CancellationToken>()))\n    .ReturnsAsync(writer);"},
			args: map[string]string{"id": quote(id), "binder": "binder.Object"}, asserts: []string{"Assert.Contains(" + quote(name) + ", writer.ToString());"}}}
	case "manual-twilio":
		phone := fmt.Sprintf("+1555010%04d", tc.r.IntN(10000))
		status := pick(tc.r, statuses)
		return []testCase{{outcome: "TextsTheContact", arrange: []string{"var item = " + tc.sample(tc.id(), "Contact = "+quote(phone), "Status = "+quote(status)) + ";"},
			result: "options", asserts: []string{"Assert.Equal(" + quote(phone) + ", options.To.ToString());", "Assert.Contains(" + quote(status) + ", options.Body);"}}}
	case "manual-claims":
		use("System.Security.Claims", "Microsoft.AspNetCore.Mvc")
		out := []testCase{{outcome: "ReturnsUnauthorized", when: "TheCallerIsAnonymous", arrange: append(tc.request(""), "var principal = new ClaimsPrincipal(new ClaimsIdentity());"),
			result: "result", asserts: []string{"Assert.IsType<UnauthorizedResult>(result);"}}}
		if chance(tc.r, 1, 2) {
			out = append(out, testCase{outcome: "ReturnsOk", when: "TheCallerIsSignedIn", arrange: append(tc.request(""),
				"var identity = new ClaimsIdentity(new[] { new Claim(ClaimTypes.NameIdentifier, "+quote(fmt.Sprintf("user-%d", between(tc.r, 1, 999)))+") }, \"test\");",
				"var principal = new ClaimsPrincipal(identity);"),
				result: "result", asserts: []string{"Assert.IsType<OkObjectResult>(result);"}})
		}
		return out
	}
	return []testCase{{outcome: "Completes", record: true, generic: true}}
}

// decimalText renders n/10^scale as a C# decimal literal without the m.
func decimalText(n, scale int) string {
	s := fmt.Sprintf("%0*d", scale+1, n)
	return s[:len(s)-scale] + "." + s[len(s)-scale:]
}

// loggerFor returns the logger argument the function gets: its ILogger
// parameter's, or the one given to the class's constructor.
func (tc *testClass) loggerFor(fn fnInfo) string {
	for _, p := range fn.params {
		if p.typ == "ILogger" {
			return tc.logArg()
		}
	}
	for _, d := range tc.c.deps {
		if strings.HasPrefix(d.typ, "ILogger<") {
			return tc.typedLogArg(d.typ)
		}
	}
	return "NullLogger.Instance"
}

// arg returns the default argument for a parameter no case set, and the
// statements it needs.
func (tc *testClass) arg(fn fnInfo, p fnParam, declared map[string]bool) (string, []string) {
	switch p.typ {
	case "ILogger":
		return tc.logArg(), nil
	case "HttpRequest", "HttpRequestMessage", "TimerInfo", "ExecutionContext", "Stream", "TextWriter", "ServiceBusReceivedMessage",
		"IDurableOrchestrationContext", "IDurableActivityContext", "IDurableClient", "IDurableOrchestrationClient", "IBinder", "ClaimsPrincipal":
		if declared[p.name] {
			return p.name, nil
		}
		switch p.typ {
		case "HttpRequest":
			return "req", tc.request("")
		case "HttpRequestMessage":
			tc.f.use("System.Net.Http")
			return "req", []string{"var req = new HttpRequestMessage(HttpMethod.Get, \"http://localhost/api/" + tc.c.e.kebabPlural() + "\");"}
		case "TimerInfo":
			return "timer", []string{tc.timer(false)}
		case "ExecutionContext":
			return "context", []string{tc.executionContext(fn.method)}
		}
	case "string":
		return quote(tc.id()), nil
	case "int":
		return "1", nil
	case "decimal":
		return "10m", nil
	}
	if p.typ == tc.c.e.Name {
		if declared["item"] {
			return "item", nil
		}
		return tc.sample(tc.id()), nil
	}
	if p.mod == "out" {
		return "out var " + p.name, nil
	}
	return "default(" + p.typ + ")", nil
}

// declaredLocals returns the locals the statements declare with var.
func declaredLocals(stmts []string) map[string]bool {
	out := map[string]bool{}
	for _, s := range stmts {
		if rest, ok := strings.CutPrefix(s, "var "); ok {
			if i := strings.IndexAny(rest, " ="); i > 0 {
				out[rest[:i]] = true
			}
		}
	}
	return out
}

// render writes one test method.
func (tc *testClass) render(fn fnInfo, c testCase) string {
	recv, setup := tc.receiver()
	arrange := append(append([]string{}, setup...), c.arrange...)
	declared := declaredLocals(arrange)
	var args []string
	for _, p := range fn.params {
		a, ok := c.args[p.name]
		if !ok {
			var stmts []string
			a, stmts = tc.arg(fn, p, declared)
			arrange = append(arrange, stmts...)
			for k := range declaredLocals(stmts) {
				declared[k] = true
			}
		}
		args = append(args, a)
	}
	call := recv + "." + fn.method + "(" + strings.Join(args, ", ") + ")"
	async := strings.HasPrefix(fn.ret, "Task")
	aw := ""
	if async {
		aw = "await "
	}
	var act string
	asserts := c.asserts
	switch {
	case c.record && async:
		act = "var exception = await Record.ExceptionAsync(() => " + call + ");"
		asserts = append([]string{"Assert.Null(exception);"}, asserts...)
	case c.record:
		act = "var exception = Record.Exception(() => " + call + ");"
		asserts = append([]string{"Assert.Null(exception);"}, asserts...)
	case c.result != "":
		act = "var " + c.result + " = " + aw + call + ";"
	default:
		act = aw + call + ";"
	}

	var body strings.Builder
	section := func(comment string, stmts []string) {
		if len(stmts) == 0 {
			return
		}
		if body.Len() > 0 {
			body.WriteString("\n")
		}
		if tc.aaa {
			body.WriteString("// " + comment + "\n")
		}
		body.WriteString(strings.Join(stmts, "\n") + "\n")
	}
	section("Arrange", arrange)
	section("Act", []string{act})
	section("Assert", asserts)
	text := body.String()

	name := fn.method
	when := ""
	if c.when != "" {
		when = "When" + c.when
	}
	if tc.naming == 0 {
		name = joinNonEmpty("_", name, c.outcome, when)
	} else {
		name = joinNonEmpty("_", name, when, c.outcome)
	}
	name = tc.t.memberName(name)
	sig := "public void " + name
	if strings.Contains(text, "await ") {
		tc.f.use("System.Threading.Tasks")
		sig = "public async Task " + name
	}
	m := method{sig: sig, body: text, attrs: []string{"[Fact]"}}
	if len(c.theory) > 0 {
		m.attrs = []string{"[Theory]"}
		for _, v := range c.theory {
			m.attrs = append(m.attrs, "[InlineData("+v+")]")
		}
		m.params = []string{c.theoryParam}
	}
	return m.render()
}

func joinNonEmpty(sep string, parts ...string) string {
	var keep []string
	for _, p := range parts {
		if p != "" {
			keep = append(keep, p)
		}
	}
	return strings.Join(keep, sep)
}
