// Package templates generates the new files of a migrated project from
// embedded text/template files and typed data: for now Program.cs, the entry
// point of an isolated worker app (MAPPING.md §5.2).
//
// Templates are written with "\n" line endings and 4-space indentation; the
// output uses the line ending the caller asks for, so a generated file matches
// the project it joins.
package templates

import (
	"bytes"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
	"text/template"
	"unicode"
)

// A Form is the shape of the generated Program.cs (MAPPING.md §5.2).
type Form int

const (
	// FormApplicationBuilder is Form B, the current template shape:
	// FunctionsApplication.CreateBuilder(args) with top-level statements.
	// It needs Worker 2.x. It is the zero value and the default.
	FormApplicationBuilder Form = iota
	// FormHostBuilder is Form A: new HostBuilder() with top-level statements.
	// It works with Worker 1.x and 2.x.
	FormHostBuilder
	// FormNetFramework is the .NET Framework 4.8 shape: a classic static Main
	// in a class that calls FunctionsDebugger.Enable() first and then builds
	// Form A with ConfigureFunctionsWorkerDefaults (MAPPING.md §1.6).
	FormNetFramework
)

func (f Form) String() string {
	switch f {
	case FormApplicationBuilder:
		return "application-builder"
	case FormHostBuilder:
		return "host-builder"
	case FormNetFramework:
		return "net-framework"
	}
	return fmt.Sprintf("Form(%d)", int(f))
}

// Program describes the Program.cs to generate.
type Program struct {
	Form Form
	// Namespace is the project's RootNamespace (or assembly name). Only
	// FormNetFramework uses it, for the namespace around the Program class;
	// the other forms use top-level statements.
	Namespace string
	// ASPNetCore selects ConfigureFunctionsWebApplication (ASP.NET Core
	// integration, for HTTP apps on .NET); otherwise the worker defaults are
	// used: ConfigureFunctionsWorkerDefaults in the HostBuilder forms, and
	// nothing extra in Form B, whose CreateBuilder already applies them.
	// FormNetFramework cannot use it: .NET Framework has no ASP.NET Core
	// integration.
	ASPNetCore bool
	// AppInsights registers Application Insights for the worker
	// (AddApplicationInsightsTelemetryWorkerService and
	// ConfigureFunctionsApplicationInsights) and removes the logger filter
	// rule that keeps only Warning and above for its provider (MAPPING.md §5.5).
	AppInsights bool
	// Services are extra statements placed where services are registered,
	// after the Application Insights registration. Each is one complete C#
	// statement written against the form's service collection:
	// "builder.Services…" for FormApplicationBuilder, "services…" for the
	// HostBuilder forms (inside ConfigureServices(services => { … })).
	// A statement may span lines; its later lines keep their indentation
	// relative to the first.
	Services []string
	// Usings are namespaces the moved code needs besides the form's own.
	Usings []string
	// Locals are statements placed before the host is configured: what a
	// Startup class kept in fields or did in its constructor.
	Locals []string
	// Config are statements that add configuration sources, written against
	// "builder.Configuration" (FormApplicationBuilder) or the "config"
	// parameter of ConfigureAppConfiguration((hostContext, config) => { … })
	// (the HostBuilder forms). They run before Services.
	Config []string
	// Functions are local functions placed after the host runs: helper
	// methods of a Startup class, callable from Locals, Config and Services.
	Functions []string
	// EOL is the line ending of the generated file, "\n" or "\r\n";
	// empty means "\n".
	EOL string
}

// aiProviderName is the logger provider whose default Warning rule is
// removed (MAPPING.md §5.5).
const aiProviderName = "Microsoft.Extensions.Logging.ApplicationInsights.ApplicationInsightsLoggerProvider"

// programData is what the Program.cs templates see.
type programData struct {
	Namespace      string
	ASPNetCore     bool
	AppInsights    bool
	Usings         []string
	Services       []string
	Locals         []string
	Config         []string
	Functions      []string
	AIProviderName string
}

//go:embed tmpl/*.tmpl
var tmplFS embed.FS

var programTemplates *template.Template

func init() {
	t := template.New("").Option("missingkey=error").Funcs(template.FuncMap{
		"indent":  indent,
		"include": include,
	})
	names, err := fs.Glob(tmplFS, "tmpl/*.tmpl")
	if err != nil {
		panic(err)
	}
	for _, name := range names {
		text, err := tmplFS.ReadFile(name)
		if err != nil {
			panic(err)
		}
		// A checkout with CRLF line endings must not change the output.
		text = bytes.ReplaceAll(text, []byte("\r\n"), []byte("\n"))
		template.Must(t.New(path.Base(name)).Parse(string(text)))
	}
	programTemplates = t
}

// include renders the named template and drops its final line break, so the
// caller can pipe it through indent and place it on a line of its own.
func include(name string, data programData) (string, error) {
	var b strings.Builder
	if err := programTemplates.ExecuteTemplate(&b, name, data); err != nil {
		return "", err
	}
	return strings.TrimSuffix(b.String(), "\n"), nil
}

// indent prefixes every non-empty line of s with n spaces.
func indent(n int, s string) string {
	pad := strings.Repeat(" ", n)
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		if l != "" {
			lines[i] = pad + l
		}
	}
	return strings.Join(lines, "\n")
}

// Render returns the Program.cs text. It reports an error for settings that
// cannot produce valid code: an unknown Form, an EOL other than "\n" or
// "\r\n", ASPNetCore with FormNetFramework, a missing or invalid Namespace for
// FormNetFramework, or a Services statement that is empty or written against
// the other form's service collection.
func (p Program) Render() ([]byte, error) {
	eol := p.EOL
	switch eol {
	case "":
		eol = "\n"
	case "\n", "\r\n":
	default:
		return nil, fmt.Errorf("program: line ending %q is neither \\n nor \\r\\n", eol)
	}
	var name string
	switch p.Form {
	case FormApplicationBuilder:
		name = "program_app"
	case FormHostBuilder:
		name = "program_host"
	case FormNetFramework:
		name = "program_net48"
		if p.ASPNetCore {
			return nil, fmt.Errorf("program: .NET Framework has no ASP.NET Core integration; " +
				"generate the net-framework form without ASPNetCore (HTTP functions use HttpRequestData)")
		}
		if err := checkNamespace(p.Namespace); err != nil {
			return nil, fmt.Errorf("program: %w", err)
		}
	default:
		return nil, fmt.Errorf("program: unknown form %v", p.Form)
	}

	data := programData{
		Namespace:      p.Namespace,
		ASPNetCore:     p.ASPNetCore,
		AppInsights:    p.AppInsights,
		Usings:         p.usings(),
		AIProviderName: aiProviderName,
	}
	for i, s := range p.Services {
		s = normalize(s)
		if s == "" {
			return nil, fmt.Errorf("program: Services[%d] is empty", i)
		}
		if err := p.checkServiceStatement(s); err != nil {
			return nil, fmt.Errorf("program: Services[%d] %q: %w", i, firstLine(s), err)
		}
		data.Services = append(data.Services, s)
	}
	for _, sec := range []struct {
		name string
		from []string
		to   *[]string
	}{{"Locals", p.Locals, &data.Locals}, {"Config", p.Config, &data.Config}, {"Functions", p.Functions, &data.Functions}} {
		for i, s := range sec.from {
			if s = normalize(s); s == "" {
				return nil, fmt.Errorf("program: %s[%d] is empty", sec.name, i)
			}
			*sec.to = append(*sec.to, s)
		}
	}

	var b bytes.Buffer
	if err := programTemplates.ExecuteTemplate(&b, name, data); err != nil {
		return nil, fmt.Errorf("program: %w", err)
	}
	out := b.Bytes()
	if eol != "\n" {
		out = bytes.ReplaceAll(out, []byte("\n"), []byte(eol))
	}
	return out, nil
}

// usings returns the using directives the form needs, System ones first.
// Every namespace is explicit: the project may not enable ImplicitUsings.
func (p Program) usings() []string {
	u := append([]string(nil), p.Usings...)
	u = append(u,
		"Microsoft.Azure.Functions.Worker",         // FunctionsDebugger, ConfigureFunctionsApplicationInsights
		"Microsoft.Extensions.DependencyInjection", // AddApplicationInsightsTelemetryWorkerService, Configure<T>
		"Microsoft.Extensions.Hosting",             // HostBuilder, ConfigureFunctions*(IHostBuilder), Run
	)
	if p.Form == FormApplicationBuilder {
		u = append(u, "Microsoft.Azure.Functions.Worker.Builder") // FunctionsApplication
	}
	if p.AppInsights {
		u = append(u,
			"System.Linq",                  // FirstOrDefault
			"Microsoft.Extensions.Logging", // LoggerFilterOptions
		)
	}
	sortUsings(u)
	return slices.Compact(u)
}

// sortUsings orders namespaces with System and System.* first, then by
// ordinal comparison, the usual .NET ordering.
func sortUsings(u []string) {
	system := func(s string) bool { return s == "System" || strings.HasPrefix(s, "System.") }
	less := func(a, b string) bool {
		if system(a) != system(b) {
			return system(a)
		}
		return a < b
	}
	for i := 1; i < len(u); i++ {
		for j := i; j > 0 && less(u[j], u[j-1]); j-- {
			u[j], u[j-1] = u[j-1], u[j]
		}
	}
}

// checkServiceStatement rejects a statement written for the other form: Form B
// has no "services" variable and the HostBuilder forms have no "builder".
func (p Program) checkServiceStatement(s string) error {
	switch p.Form {
	case FormApplicationBuilder:
		if strings.HasPrefix(s, "services.") {
			return fmt.Errorf("the application-builder form registers services on builder.Services, not services")
		}
	default:
		if strings.HasPrefix(s, "builder.") {
			return fmt.Errorf("the %v form registers services on the services parameter of ConfigureServices, not builder", p.Form)
		}
	}
	return nil
}

// normalize trims a statement and gives it "\n" line endings.
func normalize(s string) string {
	return strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n"))
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i] + " …"
	}
	return s
}

// checkNamespace accepts a dotted C# namespace name.
func checkNamespace(ns string) error {
	if ns == "" {
		return fmt.Errorf("the net-framework form needs a Namespace for the Program class")
	}
	for _, part := range strings.Split(ns, ".") {
		if !isIdentifier(part) {
			return fmt.Errorf("namespace %q: %q is not a C# identifier", ns, part)
		}
		if csharpKeywords[part] {
			return fmt.Errorf("namespace %q: %q is a C# keyword", ns, part)
		}
	}
	return nil
}

func isIdentifier(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		switch {
		case r == '_' || unicode.IsLetter(r):
		case i > 0 && (unicode.IsDigit(r) || unicode.In(r, unicode.Mn, unicode.Mc, unicode.Pc)):
		default:
			return false
		}
	}
	return true
}

// csharpKeywords are the reserved words that cannot name a namespace part.
var csharpKeywords = map[string]bool{}

func init() {
	for _, k := range strings.Fields(`abstract as base bool break byte case catch char checked class const
		continue decimal default delegate do double else enum event explicit extern false finally fixed
		float for foreach goto if implicit in int interface internal is lock long namespace new null object
		operator out override params private protected public readonly ref return sbyte sealed short sizeof
		stackalloc static string struct switch this throw true try typeof uint ulong unchecked unsafe ushort
		using virtual void volatile while`) {
		csharpKeywords[k] = true
	}
}
