package templates

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	sitter "github.com/tree-sitter/go-tree-sitter"
	csharp "github.com/tree-sitter/tree-sitter-c-sharp/bindings/go"
)

// workerAPIPath is the API catalog beside the repository (shared/ is a
// sibling of the work tree, in CI too).
var workerAPIPath = filepath.Join("..", "..", "shared", "worker-api.json")

// workerAPI is the part of worker-api.json this test reads.
type workerAPI struct {
	Isolated struct {
		Types []struct {
			Name      string `json:"name"`
			Namespace string `json:"namespace"`
			Members   []struct {
				Kind      string   `json:"kind"`
				Name      string   `json:"name"`
				Modifiers []string `json:"modifiers"`
			} `json:"members"`
		} `json:"types"`
		ExtensionMethodsByExtendedType map[string][]struct {
			Method        string `json:"method"`
			DeclaringType string `json:"declaringType"`
		} `json:"extensionMethodsByExtendedType"`
	} `json:"isolated"`
}

// A candidate is one place in the catalog that declares a name.
type candidate struct {
	namespace string // namespace a caller must import
	static    bool   // a static or extension method: needs its namespace imported
}

// catalog indexes worker-api.json by simple name.
type catalog struct {
	types   map[string]string          // type name → namespace
	methods map[string][]candidate     // method name → declarations
	members map[string]map[string]bool // type name → its method names
}

func loadCatalog(t *testing.T) *catalog {
	t.Helper()
	data, err := os.ReadFile(workerAPIPath)
	if err != nil {
		t.Fatalf("cannot read the Worker API catalog %s (it lives in shared/ beside the repository; CI has it): %v", workerAPIPath, err)
	}
	var api workerAPI
	if err := json.Unmarshal(data, &api); err != nil {
		t.Fatalf("%s: %v", workerAPIPath, err)
	}
	c := &catalog{types: map[string]string{}, methods: map[string][]candidate{}, members: map[string]map[string]bool{}}
	for _, ty := range api.Isolated.Types {
		c.types[ty.Name] = ty.Namespace
		c.members[ty.Name] = map[string]bool{}
		for _, m := range ty.Members {
			if m.Kind != "method" {
				continue
			}
			static := false
			for _, mod := range m.Modifiers {
				static = static || mod == "static"
			}
			c.methods[m.Name] = append(c.methods[m.Name], candidate{ty.Namespace, static})
			c.members[ty.Name][m.Name] = true
		}
	}
	for _, list := range api.Isolated.ExtensionMethodsByExtendedType {
		for _, m := range list {
			ns := m.DeclaringType[:max(strings.LastIndex(m.DeclaringType, "."), 0)]
			c.methods[m.Method] = append(c.methods[m.Method], candidate{ns, true})
		}
	}
	if len(c.types) == 0 || len(c.methods) == 0 {
		t.Fatalf("%s: no isolated types or methods found; has its layout changed?", workerAPIPath)
	}
	return c
}

// notWorkerAPI lists what the templates call that is not part of the
// Functions worker, with the namespace that must be imported for it ("" for
// instance members, which need no import). These come from the .NET
// libraries every worker app references.
var notWorkerAPI = map[string]string{
	"HostBuilder":         "Microsoft.Extensions.Hosting",             // Microsoft.Extensions.Hosting
	"ConfigureServices":   "Microsoft.Extensions.Hosting",             // IHostBuilder
	"ConfigureLogging":    "Microsoft.Extensions.Hosting",             // HostingHostBuilderExtensions
	"Run":                 "Microsoft.Extensions.Hosting",             // HostingAbstractionsHostExtensions
	"Configure":           "Microsoft.Extensions.DependencyInjection", // OptionsServiceCollectionExtensions
	"LoggerFilterOptions": "Microsoft.Extensions.Logging",             // Microsoft.Extensions.Logging
	"FirstOrDefault":      "System.Linq",                              // Enumerable
	"Remove":              "",                                         // ICollection<LoggerFilterRule>
}

// workerCalls are the Functions worker APIs the templates are known to use;
// the test fails if the walk does not find each of them, so a broken walk
// cannot pass silently.
var workerCalls = []string{
	"FunctionsApplication", "CreateBuilder", "ConfigureFunctionsWebApplication",
	"ConfigureFunctionsWorkerDefaults", "ConfigureFunctionsApplicationInsights",
	"AddApplicationInsightsTelemetryWorkerService", "FunctionsDebugger", "Enable", "Build",
}

// TestTemplatesUseRealWorkerAPI renders every form with every option and
// checks each method, static class and constructed or generic type the code
// names: Functions worker APIs must exist in worker-api.json (isolated.types
// members or isolated.extensionMethodsByExtendedType), anything else must be
// listed in notWorkerAPI, and the namespace each one needs must be among the
// file's using directives.
func TestTemplatesUseRealWorkerAPI(t *testing.T) {
	cat := loadCatalog(t)
	programs := []Program{
		{ASPNetCore: true, AppInsights: true},
		{AppInsights: true},
		{Form: FormHostBuilder, ASPNetCore: true, AppInsights: true},
		{Form: FormHostBuilder, AppInsights: true},
		{Form: FormNetFramework, Namespace: "App", AppInsights: true},
	}
	found := map[string]bool{}
	for _, p := range programs {
		src, err := p.Render()
		if err != nil {
			t.Fatal(err)
		}
		usings := map[string]bool{}
		for _, u := range p.usings() {
			usings[u] = true
		}
		for _, use := range apiUses(t, src) {
			found[use.name] = true
			if ns, ok := notWorkerAPI[use.name]; ok {
				if ns != "" && !usings[ns] {
					t.Errorf("%v: %s needs using %s", p.Form, use.name, ns)
				}
				continue
			}
			switch use.what {
			case "type":
				ns, ok := cat.types[use.name]
				if !ok {
					t.Errorf("%v: type %s is not in %s", p.Form, use.name, workerAPIPath)
				} else if !usings[ns] {
					t.Errorf("%v: type %s needs using %s", p.Form, use.name, ns)
				}
			case "method":
				if use.receiverType != "" {
					if !cat.members[use.receiverType][use.name] {
						t.Errorf("%v: %s.%s is not in %s", p.Form, use.receiverType, use.name, workerAPIPath)
					}
					continue
				}
				cands := cat.methods[use.name]
				if len(cands) == 0 {
					t.Errorf("%v: method %s is not in %s", p.Form, use.name, workerAPIPath)
					continue
				}
				imported, needsImport := false, false
				for _, c := range cands {
					if c.static {
						needsImport = true
						imported = imported || usings[c.namespace]
					}
				}
				if needsImport && !imported && !instanceOnlyOK(use.name, cands) {
					t.Errorf("%v: extension method %s is declared in none of the imported namespaces", p.Form, use.name)
				}
			}
		}
	}
	for _, name := range workerCalls {
		if !found[name] {
			t.Errorf("the rendered templates never use %s; the API walk may be broken", name)
		}
	}
	var names []string
	for n := range found {
		names = append(names, n)
	}
	sort.Strings(names)
	t.Logf("checked: %s", strings.Join(names, ", "))
}

// instanceOnlyOK reports whether name also has an instance declaration, for
// which no import is needed (Build on FunctionsApplicationBuilder).
func instanceOnlyOK(name string, cands []candidate) bool {
	for _, c := range cands {
		if !c.static {
			return true
		}
	}
	return false
}

// An apiUse is one API the generated code names.
type apiUse struct {
	what         string // "method" or "type"
	name         string
	receiverType string // for Type.Method() calls on a catalog type
}

// apiUses walks the C# syntax tree and returns the invoked method names, the
// static classes they are called on, and the constructed and generic
// argument types.
func apiUses(t *testing.T, src []byte) []apiUse {
	t.Helper()
	parser := sitter.NewParser()
	defer parser.Close()
	if err := parser.SetLanguage(sitter.NewLanguage(csharp.Language())); err != nil {
		t.Fatal(err)
	}
	tree := parser.Parse(src, nil)
	defer tree.Close()

	locals := map[string]bool{} // variables and lambda parameters are not types
	var uses []apiUse
	var walk func(n *sitter.Node)
	walk = func(n *sitter.Node) {
		switch n.Kind() {
		case "variable_declarator", "parameter":
			if name := n.ChildByFieldName("name"); name != nil {
				locals[name.Utf8Text(src)] = true
			}
		case "implicit_parameter":
			locals[n.Utf8Text(src)] = true
		case "invocation_expression":
			fn := n.ChildByFieldName("function")
			if fn != nil && fn.Kind() == "member_access_expression" {
				name := simpleName(fn.ChildByFieldName("name"), src, &uses)
				recv := fn.ChildByFieldName("expression")
				use := apiUse{what: "method", name: name}
				if recv != nil && recv.Kind() == "identifier" && !locals[recv.Utf8Text(src)] {
					use.receiverType = recv.Utf8Text(src)
					uses = append(uses, apiUse{what: "type", name: use.receiverType})
				}
				uses = append(uses, use)
			}
		case "object_creation_expression":
			if ty := n.ChildByFieldName("type"); ty != nil {
				uses = append(uses, apiUse{what: "type", name: ty.Utf8Text(src)})
			}
		}
		for i := uint(0); i < n.NamedChildCount(); i++ {
			walk(n.NamedChild(i))
		}
	}
	walk(tree.RootNode())
	return uses
}

// simpleName returns the identifier of a name node; for a generic name it
// also records the type arguments as type uses.
func simpleName(n *sitter.Node, src []byte, uses *[]apiUse) string {
	if n == nil {
		return ""
	}
	if n.Kind() != "generic_name" {
		return n.Utf8Text(src)
	}
	var name string
	for i := uint(0); i < n.NamedChildCount(); i++ {
		c := n.NamedChild(i)
		switch c.Kind() {
		case "identifier":
			name = c.Utf8Text(src)
		case "type_argument_list":
			for j := uint(0); j < c.NamedChildCount(); j++ {
				*uses = append(*uses, apiUse{what: "type", name: c.NamedChild(j).Utf8Text(src)})
			}
		}
	}
	return name
}
