package corpus

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
)

// repoGen generates one repository.
type repoGen struct {
	cfg  Config
	r    *rand.Rand
	kind Kind

	files  []file
	broken string
	manual string
	crlf   bool

	// The function app.
	company, domain string
	app             string // project file and assembly name
	ns              string // root namespace
	projDir         string // project folder relative to the repository; "" is the root
	funcDir         string // folder of the function files inside the project; "" is the project folder
	tf              string
	sdkVersion      string
	azVersion       bool // the project sets AzureFunctionsVersion v4
	rootNSProp      bool // the project sets RootNamespace
	fileScoped      bool // file-scoped namespaces
	xmlDecl         bool // the project starts with an XML declaration
	noLocalSettings bool // local.settings.json is missing (it is often git-ignored)

	packages [][2]string // id, version; first wins
	settings [][2]string // local.settings.json Values after the runtime ones
	hostExt  jobj        // host.json "extensions"

	storageConn  string // Connection of storage bindings: "" undecided, "-" the default
	storageStyle int    // 0 undecided, 1 Storage.Queues/Storage.Blobs, 2 the Storage meta package
	client       string // Startup kind: the typed HTTP client class
	options      string // Startup kind: the options class
	extraNone    []string
	breakVariant int  // BrokenSource: which sourceBreakers entry breaks g.broken
	newtonsoft   bool // some C# file uses Newtonsoft.Json
	fnNames      map[string]int
	types        map[string]int
	models       []noun
	stores       []noun
	sources      []*csFile

	// Opt-in extras (Config.TestProjects, Config.ServiceFiles) draw from
	// their own generators, so that turning them on leaves every other
	// file as it was.
	tr        *rand.Rand // the test project
	sr        *rand.Rand // service files
	fnClasses []*fnClass // the function classes, for the tests
	testProj  string     // the test project file, "" when none
	services  []string   // paths of the service files
	// shared maps the type names service files have taken to "-", and
	// helper types they share (PagedResult<T>...) to the namespace of the
	// file that defines them.
	shared map[string]string
}

func newRepoGen(cfg Config, i int, kind Kind) *repoGen {
	return &repoGen{
		cfg:     cfg,
		r:       rand.New(rand.NewPCG(uint64(cfg.Seed), uint64(i)*0x9e3779b97f4a7c15+1)),
		kind:    kind,
		fnNames: map[string]int{},
		types:   map[string]int{},
		tr:      rand.New(rand.NewPCG(uint64(cfg.Seed)^0x7e575e7, uint64(i)*0x9e3779b97f4a7c15+1)),
		sr:      rand.New(rand.NewPCG(uint64(cfg.Seed)^0x5e41ce5, uint64(i)*0x9e3779b97f4a7c15+1)),
		shared:  map[string]string{},
	}
}

func (g *repoGen) generate() {
	switch g.kind {
	case HTTP:
		g.inProcessApp(func() { g.functionFiles(httpTemplates, []string{"Api", "Endpoints", "Functions", "Http"}, 2) })
	case Queue:
		g.inProcessApp(func() { g.functionFiles(queueTemplates, []string{"Processor", "Handlers", "Triggers", "Functions"}, 2) })
	case Timer:
		g.crlf = chance(g.r, 1, 2)
		g.inProcessApp(func() { g.functionFiles(timerTemplates, []string{"Jobs", "Schedules", "Maintenance", "Timers"}, 2) })
	case Startup:
		g.inProcessApp(g.startupApp)
	case Durable:
		g.inProcessApp(g.durableApp)
	case ManualWork:
		g.inProcessApp(g.manualWorkApp)
	case BrokenSource:
		g.inProcessApp(g.brokenSourceApp)
	case BrokenProject:
		g.inProcessApp(func() {
			g.functionFiles(pick(g.r, [][]fnTemplate{httpTemplates, queueTemplates}), []string{"Functions", "Api"}, 2)
		})
		proj := g.projectPath()
		for i := range g.files {
			if g.files[i].path == proj {
				g.files[i].data = []byte(breakProject(string(g.files[i].data), g.r.IntN(len(projectBreakers))))
			}
		}
		g.broken = proj
	case AlreadyIsolated:
		g.isolatedApp()
	case NotFunctions:
		g.notFunctions()
	}
	slices.SortFunc(g.files, func(a, b file) int { return strings.Compare(a.path, b.path) })
}

// setupApp draws the app's names, layout and project details.
func (g *repoGen) setupApp() {
	r := g.r
	g.company, g.domain = pick(r, companies), pick(r, domains)
	switch r.IntN(3) {
	case 0:
		g.app = g.company + "." + g.domain + "." + pick(r, appSuffixes)
	case 1:
		g.app = g.domain + pick(r, appSuffixes)
	default:
		g.app = g.company + "." + g.domain
	}
	g.ns = g.app
	if g.rootNSProp = chance(r, 1, 2); g.rootNSProp && strings.Count(g.app, ".") == 2 {
		g.ns = g.company + "." + g.domain
	}
	g.projDir = pick(r, []string{"", "src/" + g.app, g.app})
	g.funcDir = pick(r, []string{"Functions", "Functions", ""})
	g.fileScoped = chance(r, 1, 3)
	g.xmlDecl = chance(r, 1, 4)
	if chance(r, 1, 2) {
		g.tf, g.sdkVersion = "net8.0", pick(r, []string{"4.4.0", "4.4.1", "4.5.0", "4.6.0"})
	} else {
		g.tf, g.sdkVersion = "net6.0", pick(r, []string{"4.1.1", "4.1.3", "4.2.0", "4.3.0", "4.4.0", "4.6.0"})
	}
	g.azVersion = chance(r, 3, 4)
	g.noLocalSettings = chance(r, 1, 8)
}

func (g *repoGen) projectPath() string { return joinPath(g.projDir, g.app+".csproj") }

// funcNS is the namespace of the function files.
func (g *repoGen) funcNS() string {
	if g.funcDir == "" || strings.HasSuffix(g.ns, "."+g.funcDir) {
		return g.ns
	}
	return g.ns + "." + g.funcDir
}

func joinPath(parts ...string) string {
	var keep []string
	for _, p := range parts {
		if p != "" {
			keep = append(keep, p)
		}
	}
	return strings.Join(keep, "/")
}

func (g *repoGen) pkg(id, version string) {
	for _, p := range g.packages {
		if p[0] == id {
			return
		}
	}
	g.packages = append(g.packages, [2]string{id, version})
}

func (g *repoGen) setting(key, value string) {
	for _, s := range g.settings {
		if s[0] == key {
			return
		}
	}
	g.settings = append(g.settings, [2]string{key, value})
}

func (g *repoGen) hostExtension(name string, v jobj) {
	for _, e := range g.hostExt {
		if e.k == name {
			return
		}
	}
	g.hostExt = append(g.hostExt, kv{name, v})
}

// fnName returns a function name unique in the app (names are
// case-insensitive) and the suffix that made it so ("" or "2", "3"...).
func (g *repoGen) fnName(base string) (string, string) {
	key := strings.ToLower(base)
	g.fnNames[key]++
	if n := g.fnNames[key]; n > 1 {
		sfx := fmt.Sprint(n)
		if _, taken := g.fnNames[key+sfx]; taken {
			return g.fnName(base + sfx)
		}
		g.fnNames[key+sfx] = 1
		return base + sfx, sfx
	}
	return base, ""
}

// typeName returns a type name unique in the app.
func (g *repoGen) typeName(base string) string {
	g.types[base]++
	if n := g.types[base]; n > 1 {
		return base + fmt.Sprint(n)
	}
	return base
}

func (g *repoGen) add(path string, data string) {
	g.files = append(g.files, file{path: path, data: []byte(data)})
}

func (g *repoGen) newSource(path, ns string) *csFile {
	f := &csFile{path: path, ns: ns, fileScoped: g.fileScoped}
	g.sources = append(g.sources, f)
	return f
}

func (g *repoGen) model(e noun) {
	if !slices.Contains(g.models, e) {
		g.models = append(g.models, e)
	}
}

func (g *repoGen) store(e noun) {
	g.model(e)
	if !slices.Contains(g.stores, e) {
		g.stores = append(g.stores, e)
	}
}

func (g *repoGen) modelsNS() string { return g.ns + ".Models" }

func (g *repoGen) filesPerProject() int {
	if g.cfg.FilesPerProject > 0 {
		return g.cfg.FilesPerProject
	}
	return between(g.r, 1, 3)
}

func (g *repoGen) functionsPerFile() int {
	if g.cfg.FunctionsPerFile > 0 {
		return g.cfg.FunctionsPerFile
	}
	return between(g.r, 1, 4)
}

// entities returns n nouns, distinct while the list lasts.
func (g *repoGen) entities(n int) []noun {
	out := pickN(g.r, nouns, n)
	for len(out) < n {
		out = append(out, pick(g.r, nouns))
	}
	return out
}

// inProcessApp generates an in-process app: body adds its C# files, then
// come models, the project, settings and the repository's other files.
func (g *repoGen) inProcessApp(body func()) {
	g.setupApp()
	body()
	g.writeModels()
	g.flushSources()
	proj := g.projectPath()
	g.add(proj, g.inProcessProject())
	g.add(joinPath(g.projDir, "host.json"), g.hostJSON())
	if !g.noLocalSettings {
		g.add(joinPath(g.projDir, "local.settings.json"), g.localSettings("dotnet"))
	}
	var extra []string
	if g.cfg.TestProjects && (g.kind.Migratable() || g.kind == ManualWork) {
		g.testProj = g.testProjectPath()
		extra = append(extra, g.testProj)
	}
	g.repoFiles([]string{proj}, extra)
	g.deployFiles()
	// The extras come last: g.r has drawn everything it ever will.
	g.serviceFiles()
	if g.testProj != "" {
		g.testProject()
	}
}

// flushSources renders the C# files, with CRLF and a BOM when g.crlf.
func (g *repoGen) flushSources() {
	for _, f := range g.sources {
		if slices.Contains(f.usings, "Newtonsoft.Json") {
			g.newtonsoft = true
		}
		text := f.render()
		if f.path == g.broken && g.kind == BrokenSource {
			text = breakSource(text, g.breakVariant)
		}
		g.addCS(f.path, text)
	}
	g.sources = nil
}

// addCS adds a C# file given with LF line endings, converted to CRLF with
// a BOM when g.crlf.
func (g *repoGen) addCS(path, text string) {
	if g.crlf {
		text = "\ufeff" + strings.ReplaceAll(text, "\n", "\r\n")
	}
	g.add(path, text)
}

// writeModels adds a file per model with its store when one is needed.
func (g *repoGen) writeModels() {
	for _, e := range g.models {
		f := g.newSource(joinPath(g.projDir, "Models", e.Name+".cs"), g.modelsNS())
		f.use("System")
		t := newType("public class " + e.Name)
		jsonNames := chance(g.r, 1, 3)
		if jsonNames {
			f.use("Newtonsoft.Json")
		}
		prop := func(typ, name string) {
			s := ""
			if jsonNames {
				s = "[JsonProperty(" + quote(strings.ToLower(name[:1])+name[1:]) + ")]\n"
			}
			t.members = append(t.members, s+"public "+typ+" "+name+" { get; set; }\n")
		}
		prop("string", "Id")
		prop("string", "Name")
		prop("string", "Status")
		prop("decimal", "Total")
		prop("string", "Contact")
		prop("DateTime", "CreatedAt")
		f.types = append(f.types, t.render())
		if slices.Contains(g.stores, e) {
			f.use("System.Collections.Concurrent", "System.Collections.Generic", "System.Linq", "System.Threading.Tasks")
			f.types = append(f.types, expand(storeTemplate, "Entity", e.Name))
		}
	}
}

const storeTemplate = `
// An in-memory store; the real app swaps in a database.
public static class {{Entity}}Store
{
    private static readonly ConcurrentDictionary<string, {{Entity}}> Items = new ConcurrentDictionary<string, {{Entity}}>();

    public static Task<{{Entity}}> FindAsync(string id)
    {
        Items.TryGetValue(id, out var item);
        return Task.FromResult(item);
    }

    public static Task SaveAsync({{Entity}} item)
    {
        Items[item.Id] = item;
        return Task.CompletedTask;
    }

    public static Task<List<{{Entity}}>> SearchAsync(string term, int take)
    {
        var matches = Items.Values
            .Where(i => string.IsNullOrEmpty(term) || (i.Name ?? string.Empty).Contains(term, StringComparison.OrdinalIgnoreCase))
            .OrderBy(i => i.Name)
            .Take(take)
            .ToList();
        return Task.FromResult(matches);
    }

    public static bool Remove(string id) => Items.TryRemove(id, out _);
}
`

// inProcessProject renders the app's .csproj.
func (g *repoGen) inProcessProject() string {
	g.pkg("Microsoft.NET.Sdk.Functions", g.sdkVersion)
	if g.newtonsoft && chance(g.r, 1, 2) {
		g.pkg("Newtonsoft.Json", pick(g.r, []string{"13.0.1", "13.0.3"}))
	}
	var b strings.Builder
	if g.xmlDecl {
		b.WriteString(`<?xml version="1.0" encoding="utf-8"?>` + "\n")
	}
	b.WriteString("<Project Sdk=\"Microsoft.NET.Sdk\">\n  <PropertyGroup>\n")
	fmt.Fprintf(&b, "    <TargetFramework>%s</TargetFramework>\n", g.tf)
	if g.azVersion {
		b.WriteString("    <AzureFunctionsVersion>v4</AzureFunctionsVersion>\n")
	}
	if g.rootNSProp {
		fmt.Fprintf(&b, "    <RootNamespace>%s</RootNamespace>\n", g.ns)
	}
	if chance(g.r, 1, 6) {
		b.WriteString("    <_FunctionsSkipCleanOutput>true</_FunctionsSkipCleanOutput>\n")
	}
	b.WriteString("  </PropertyGroup>\n")
	b.WriteString(packageGroup(g.packages))
	b.WriteString(settingsItems)
	for _, n := range g.extraNone {
		fmt.Fprintf(&b, "  <ItemGroup>\n    <None Update=\"%s\">\n      <CopyToOutputDirectory>PreserveNewest</CopyToOutputDirectory>\n    </None>\n  </ItemGroup>\n", n)
	}
	b.WriteString("</Project>\n")
	return b.String()
}

func packageGroup(pkgs [][2]string) string {
	pkgs = slices.Clone(pkgs)
	slices.SortFunc(pkgs, func(a, b [2]string) int { return strings.Compare(a[0], b[0]) })
	var b strings.Builder
	b.WriteString("  <ItemGroup>\n")
	for _, p := range pkgs {
		fmt.Fprintf(&b, "    <PackageReference Include=\"%s\" Version=\"%s\" />\n", p[0], p[1])
	}
	b.WriteString("  </ItemGroup>\n")
	return b.String()
}

const settingsItems = `  <ItemGroup>
    <None Update="host.json">
      <CopyToOutputDirectory>PreserveNewest</CopyToOutputDirectory>
    </None>
    <None Update="local.settings.json">
      <CopyToOutputDirectory>PreserveNewest</CopyToOutputDirectory>
      <CopyToPublishDirectory>Never</CopyToPublishDirectory>
    </None>
  </ItemGroup>
`

func (g *repoGen) hostJSON() string {
	r := g.r
	h := jobj{{"version", "2.0"}}
	if chance(r, 1, 4) {
		h = append(h, kv{"functionTimeout", pick(r, []string{"00:05:00", "00:10:00", "00:30:00"})})
	}
	if !chance(r, 1, 5) {
		ai := jobj{{"samplingSettings", jobj{{"isEnabled", true}, {"excludedTypes", "Request"}}}}
		if chance(r, 1, 3) {
			ai = append(ai, kv{"enableLiveMetricsFilters", true})
		}
		logging := jobj{{"applicationInsights", ai}}
		if chance(r, 1, 2) {
			logging = append(logging, kv{"logLevel", jobj{{"default", "Information"},
				{"Function", pick(r, []string{"Information", "Warning", "Debug"})}, {"Host.Results", "Error"}}})
		}
		h = append(h, kv{"logging", logging})
	}
	if g.kind == HTTP && chance(r, 1, 4) {
		g.hostExtension("http", jobj{{"routePrefix", "api"}, {"maxConcurrentRequests", between(r, 5, 20) * 10}})
	}
	if len(g.hostExt) > 0 {
		h = append(h, kv{"extensions", g.hostExt})
	}
	return renderJSON(h)
}

func (g *repoGen) localSettings(runtime string) string {
	r := g.r
	values := jobj{}
	storage := kv{"AzureWebJobsStorage", "UseDevelopmentStorage=true"}
	worker := kv{"FUNCTIONS_WORKER_RUNTIME", runtime}
	if chance(r, 1, 2) {
		values = append(values, storage, worker)
	} else {
		values = append(values, worker, storage)
	}
	if runtime == "dotnet" && g.tf == "net8.0" {
		values = append(values, kv{"FUNCTIONS_INPROC_NET8_ENABLED", "1"})
	}
	for _, s := range g.settings {
		values = append(values, kv{s[0], s[1]})
	}
	ls := jobj{{"IsEncrypted", false}, {"Values", values}}
	if chance(r, 1, 3) {
		ls = append(ls, kv{"Host", jobj{{"LocalHttpPort", 7071 + r.IntN(4)}, {"CORS", "*"}}})
	}
	return renderJSON(ls)
}

// repoFiles adds the files at the repository root: README, .gitignore and
// sometimes a solution file. The solution lists projects, then extra, whose
// GUIDs come from the test generator (see repoGen.tr).
func (g *repoGen) repoFiles(projects, extra []string) {
	title := g.app
	if title == "" {
		title = g.company + " " + g.domain
	}
	g.add("README.md", fmt.Sprintf("# %s\n\n%s for %s %s.\n", title,
		pick(g.r, []string{"Azure Functions", "Serverless back end", "Background processing"}), g.company, strings.ToLower(g.domain)))
	g.add(".gitignore", "bin/\nobj/\n.vs/\n.vscode/\n*.user\nappsettings.*.local.json\n")
	if chance(g.r, 1, 2) {
		g.add(strings.ReplaceAll(title, " ", "")+".sln", solution(g.r, projects, g.tr, extra))
	}
}

// solution renders a Visual Studio solution listing the projects and then
// extra; the GUIDs of extra come from xr.
func solution(r *rand.Rand, projects []string, xr *rand.Rand, extra []string) string {
	var b strings.Builder
	b.WriteString("\nMicrosoft Visual Studio Solution File, Format Version 12.00\n# Visual Studio Version 17\n")
	b.WriteString("VisualStudioVersion = 17.8.34330.188\nMinimumVisualStudioVersion = 10.0.40219.1\n")
	ids := make([]string, len(projects)+len(extra))
	for i, p := range append(slices.Clone(projects), extra...) {
		if i < len(projects) {
			ids[i] = "{" + guid(r) + "}"
		} else {
			ids[i] = "{" + guid(xr) + "}"
		}
		name := p[strings.LastIndex(p, "/")+1:]
		name = strings.TrimSuffix(name, ".csproj")
		fmt.Fprintf(&b, "Project(\"{9A19103F-16F7-4668-BE54-9A1E7A4F7556}\") = \"%s\", \"%s\", \"%s\"\nEndProject\n",
			name, strings.ReplaceAll(p, "/", `\`), ids[i])
	}
	b.WriteString("Global\n\tGlobalSection(SolutionConfigurationPlatforms) = preSolution\n")
	b.WriteString("\t\tDebug|Any CPU = Debug|Any CPU\n\t\tRelease|Any CPU = Release|Any CPU\n\tEndGlobalSection\n")
	b.WriteString("\tGlobalSection(ProjectConfigurationPlatforms) = postSolution\n")
	for _, id := range ids {
		for _, c := range []string{"Debug", "Release"} {
			fmt.Fprintf(&b, "\t\t%s.%s|Any CPU.ActiveCfg = %s|Any CPU\n\t\t%s.%s|Any CPU.Build.0 = %s|Any CPU\n", id, c, c, id, c, c)
		}
	}
	b.WriteString("\tEndGlobalSection\nEndGlobal\n")
	return b.String()
}

// deployFiles sometimes adds a GitHub Actions workflow and/or a Bicep file
// that select the in-process runtime (FUNCTIONS_WORKER_RUNTIME=dotnet).
func (g *repoGen) deployFiles() {
	site := strings.ToLower(g.company) + "-" + kebab(g.domain) + "-" + pick(g.r, []string{"func", "fn", "app"})
	rg := "rg-" + kebab(g.domain) + "-" + pick(g.r, []string{"prod", "dev", "shared"})
	dotnet := strings.TrimPrefix(g.tf, "net")
	switch g.r.IntN(6) {
	case 2:
		g.workflow(site, rg, dotnet)
	case 3:
		g.bicep(site, dotnet)
	case 4:
		g.workflow(site, rg, dotnet)
		g.bicep(site, dotnet)
	}
}

func (g *repoGen) workflow(site, rg, dotnet string) {
	path := ".github/workflows/" + pick(g.r, []string{"deploy", "main", "azure-functions", "release"}) + ".yml"
	publishDir := "./output"
	inproc := ""
	if g.tf == "net8.0" {
		inproc = " FUNCTIONS_INPROC_NET8_ENABLED=1"
	}
	text := expand(`
name: Deploy {{App}}

on:
  push:
    branches: [ main ]
  workflow_dispatch:

env:
  AZURE_FUNCTIONAPP_NAME: {{Site}}
  DOTNET_VERSION: '{{Dotnet}}.x'

jobs:
  build-and-deploy:
    runs-on: {{Runner}}
    steps:
      - uses: actions/checkout@v4
      - name: Set up .NET
        uses: actions/setup-dotnet@v4
        with:
          dotnet-version: ${{ env.DOTNET_VERSION }}
      - name: Publish
        run: dotnet publish {{Project}} --configuration Release --output {{Out}}
      - uses: azure/login@v2
        with:
          creds: ${{ secrets.AZURE_CREDENTIALS }}
      - name: Configure the runtime
        run: az functionapp config appsettings set --name {{Site}} --resource-group {{RG}} --settings FUNCTIONS_WORKER_RUNTIME=dotnet{{Inproc}}
      - name: Deploy
        uses: Azure/functions-action@v1
        with:
          app-name: ${{ env.AZURE_FUNCTIONAPP_NAME }}
          package: {{Out}}
`, "App", g.app, "Site", site, "RG", rg, "Dotnet", dotnet, "Project", g.projectPath(), "Out", publishDir,
		"Runner", pick(g.r, []string{"ubuntu-latest", "windows-latest"}), "Inproc", inproc)
	g.files = append(g.files, file{path: path, data: []byte(text), deploy: true})
}

func (g *repoGen) bicep(site, dotnet string) {
	path := pick(g.r, []string{"infra/main.bicep", "infra/functionapp.bicep", "deploy/app.bicep"})
	linux := chance(g.r, 1, 2)
	stack := "netFrameworkVersion: 'v" + dotnet + "'"
	kind := "functionapp"
	if linux {
		stack = "linuxFxVersion: 'DOTNET|" + dotnet + "'"
		kind = "functionapp,linux"
	}
	inproc := ""
	if g.tf == "net8.0" {
		inproc = `
        {
          name: 'FUNCTIONS_INPROC_NET8_ENABLED'
          value: '1'
        }`
	}
	text := expand(`
@description('Location of every resource.')
param location string = resourceGroup().location

@secure()
param storageConnectionString string

var appName = '{{Site}}'

resource plan 'Microsoft.Web/serverfarms@2023-01-01' = {
  name: '${appName}-plan'
  location: location
  sku: {
    name: '{{Sku}}'
  }
  properties: {
    reserved: {{Reserved}}
  }
}

resource site 'Microsoft.Web/sites@2023-01-01' = {
  name: appName
  location: location
  kind: '{{Kind}}'
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    siteConfig: {
      {{Stack}}
      appSettings: [
        {
          name: 'AzureWebJobsStorage'
          value: storageConnectionString
        }
        {
          name: 'FUNCTIONS_EXTENSION_VERSION'
          value: '~4'
        }
        {
          name: 'FUNCTIONS_WORKER_RUNTIME'
          value: 'dotnet'
        }{{Inproc}}
      ]
    }
  }
}

output hostName string = site.properties.defaultHostName
`, "Site", site, "Sku", pick(g.r, []string{"Y1", "EP1", "B1"}), "Reserved", fmt.Sprint(linux), "Kind", kind, "Stack", stack, "Inproc", inproc)
	g.files = append(g.files, file{path: path, data: []byte(text), deploy: true})
}

// A kv is one member of a JSON object; jobj keeps members in order.
type kv struct {
	k string
	v any
}

type jobj []kv

// renderJSON renders v with two-space indentation, as the Functions tools
// write host.json and local.settings.json.
func renderJSON(v any) string {
	var b strings.Builder
	writeJSON(&b, v, "")
	b.WriteString("\n")
	return b.String()
}

func writeJSON(b *strings.Builder, v any, ind string) {
	switch v := v.(type) {
	case jobj:
		if len(v) == 0 {
			b.WriteString("{}")
			return
		}
		b.WriteString("{\n")
		for i, m := range v {
			b.WriteString(ind + "  " + jsonString(m.k) + ": ")
			writeJSON(b, m.v, ind+"  ")
			if i < len(v)-1 {
				b.WriteString(",")
			}
			b.WriteString("\n")
		}
		b.WriteString(ind + "}")
	case string:
		b.WriteString(jsonString(v))
	case bool:
		fmt.Fprint(b, v)
	case int:
		fmt.Fprint(b, v)
	default:
		panic(fmt.Sprintf("corpus: cannot render %T as JSON", v))
	}
}

func jsonString(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}
