// Package startup moves an in-process Startup class into the isolated
// worker's Program.cs (MAPPING.md §5).
//
// The in-process host ran the classes named by [assembly: FunctionsStartup]
// and [assembly: WebJobsStartup]: first ConfigureAppConfiguration, then
// Configure. Plan turns their bodies, statement by statement, into code for
// the generated Program.cs, following the §5.3 table:
//
//   - builder.Services stays builder.Services (application-builder form) or
//     becomes the services parameter of ConfigureServices (host-builder form);
//   - builder.GetContext().Configuration, .EnvironmentName and
//     .ApplicationRootPath become builder.Configuration,
//     builder.Environment.EnvironmentName and
//     builder.Environment.ContentRootPath (context.Configuration and
//     context.HostingEnvironment in the host-builder form);
//   - builder.ConfigurationBuilder in ConfigureAppConfiguration becomes
//     builder.Configuration (the config parameter of ConfigureAppConfiguration);
//   - fields, auto-properties and the constructor body become locals, and
//     helper methods become local functions; a helper that took the in-process
//     builder or its context takes IHostApplicationBuilder.
//
// A statement that configures the in-process host itself (WebJobs builder
// extensions, INameResolver, IJobActivator, function filters, host extension
// options) is kept in Program.cs as a comment with a finding, so nothing
// disappears silently; statements the worker runs differently (Key Vault and
// App Configuration sources, telemetry initializers) move with a finding.
// startup.json holds those rows.
//
// Plan never moves half a class: if a Startup uses something it cannot
// translate safely (a constructor with parameters, overloaded helpers, a
// nested type), the class stays where it is with a finding.
package startup

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"

	sitter "github.com/tree-sitter/go-tree-sitter"

	"github.com/funcmigrate/funcmigrate/rewrite/cs"
	"github.com/funcmigrate/funcmigrate/rewrite/edit"
	"github.com/funcmigrate/funcmigrate/rewrite/report"
)

// Rule is the rule id of every finding this package makes.
const Rule = "startup"

// URL is the Learn page behind MAPPING.md §5.
const URL = "https://learn.microsoft.com/azure/azure-functions/migrate-dotnet-to-isolated-model#startupcs"

// A Form is the Program.cs shape the moved code is written for.
type Form int

const (
	// ApplicationBuilder writes against the FunctionsApplicationBuilder
	// named "builder" (MAPPING.md §5.2 Form B).
	ApplicationBuilder Form = iota
	// HostBuilder writes Config for ConfigureAppConfiguration((hostContext,
	// config) => …) and Services for ConfigureServices((context, services)
	// => …) (Form A and the .NET Framework form).
	HostBuilder
)

// A Source is one parsed C# file of the project.
type Source struct {
	File  *cs.File
	Model *cs.Model
}

// A Plan is what moving the project's Startup classes produces.
type Plan struct {
	Moved []string // names of the Startup classes moved, in the order the host ran them

	// Code for Program.cs, in "\n" line endings (see templates.Program).
	Usings                              []string
	Locals, Config, Services, Functions []string

	// Indent is one level of indentation in most of the project's C#
	// files; Reindent gives the rendered Program.cs that unit.
	Indent string

	// anchored are the findings about Program.cs code; the code carries a
	// sentinel line naming each (see Locate).
	anchored []report.Finding

	// Per source file (by cs.File.Path): edits that remove what moved, the
	// ranges those edits remove (rules must not touch them), whether nothing
	// is left so the file is deleted, and findings about the file.
	Files map[string]*FileChange

	movedAt []location // first part of each moved class

	// The project's extension methods on the in-process builders, by name.
	extensions map[string]classMember
}

type location struct {
	path string
	off  int
}

// Abandon calls the move off: the classes stay where they are, each with a
// finding that gives the reason. Findings about classes that never moved
// are kept.
func (p *Plan) Abandon(reason string) *Plan {
	q := &Plan{Indent: p.Indent}
	for path, fc := range p.Files {
		if len(fc.Findings) > 0 {
			q.file(path).Findings = append(q.file(path).Findings, fc.Findings...)
		}
	}
	for i, at := range p.movedAt {
		q.stays(at.path, at.off, fmt.Sprintf("%s was not moved to Program.cs: the moved code would not compile as generated (%s)", p.Moved[i], reason), "Program.cs")
	}
	return q
}

// stays reports a Startup class left in place, at off in path.
func (p *Plan) stays(path string, off int, why, program string) {
	fc := p.file(path)
	fc.Findings = append(fc.Findings, report.Finding{Rule: Rule, Offset: off, Marker: true, Message: why,
		Action: "move its registrations into " + program + " by hand (MAPPING.md §5.3) and delete the class and its [assembly] attribute",
		Ref:    "MAPPING.md §5.2, §5.3", URL: URL})
}

// A FileChange is what the plan does to one source file.
type FileChange struct {
	Edits    []edit.Edit
	Removed  [][2]int // byte ranges removed or owned by the plan
	Delete   bool
	Findings []report.Finding

	needUsing []string // namespaces the rewritten code needs in this file
}

func (p *Plan) file(path string) *FileChange {
	if p.Files == nil {
		p.Files = map[string]*FileChange{}
	}
	fc := p.Files[path]
	if fc == nil {
		fc = &FileChange{}
		p.Files[path] = fc
	}
	return fc
}

// sentinel starts the comment line that marks where a finding's code is in
// the rendered Program.cs; no C# code contains it.
const sentinel = "//\x60funcmigrate-finding:"

// Locate removes the sentinel lines from a rendered Program.cs and returns
// the clean text and the findings, each at the offset of the line that
// followed its sentinel.
func (p *Plan) Locate(out []byte) ([]byte, []report.Finding) {
	var clean []byte
	var fs []report.Finding
	for len(out) > 0 {
		line := out
		if i := indexByte(out, '\n'); i >= 0 {
			line = out[:i+1]
		}
		out = out[len(line):]
		text := strings.TrimSpace(string(line))
		if rest, ok := strings.CutPrefix(text, sentinel); ok {
			var n int
			if _, err := fmt.Sscan(rest, &n); err == nil && n >= 0 && n < len(p.anchored) {
				f := p.anchored[n]
				f.Offset = len(clean)
				fs = append(fs, f)
				continue
			}
		}
		clean = append(clean, line...)
	}
	return clean, fs
}

// templateIndent is the indentation the Program.cs templates are written in.
const templateIndent = "    "

// projectIndent returns the indentation unit most sources use (IndentOf).
func projectIndent(sources []Source) string {
	srcs := make([][]byte, len(sources))
	for i, s := range sources {
		srcs[i] = s.File.Src
	}
	return IndentOf(srcs)
}

// Reindent gives a rendered Program.cs the project's indentation unit
// (Indent), so that a project indented with tabs, say, does not get a file
// that mixes the templates' spaces with the tabs of the code moved into it:
// each whole run of four leading spaces becomes one unit. Lines inside a
// multi-line string literal keep their bytes, which are the string's value.
func (p *Plan) Reindent(out []byte) []byte {
	if p.Indent == "" || p.Indent == templateIndent {
		return out
	}
	f, err := cs.Parse("Program.cs", out)
	if err != nil {
		return out
	}
	defer f.Close()
	frozen := f.StringLines()
	var b strings.Builder
	for i, line := range strings.SplitAfter(string(out), "\n") {
		if !frozen[i+1] {
			rest := strings.TrimLeft(line, " ")
			n := len(line) - len(rest)
			line = strings.Repeat(p.Indent, n/len(templateIndent)) + strings.Repeat(" ", n%len(templateIndent)) + rest
		}
		b.WriteString(line)
	}
	return []byte(b.String())
}

func indexByte(b []byte, c byte) int {
	for i, x := range b {
		if x == c {
			return i
		}
	}
	return -1
}

// A row of startup.json.
type row struct {
	Names   []string `json:"names"`
	Comment bool     `json:"comment"`
	Message string   `json:"message"`
	Action  string   `json:"action"`
	Ref     string   `json:"ref"`
}

//go:embed startup.json
var rowsJSON []byte

var rowsByName = map[string]*row{}

func init() {
	var data struct{ Rows []*row }
	if err := json.Unmarshal(rowsJSON, &data); err != nil {
		panic("startup: startup.json: " + err.Error())
	}
	for _, r := range data.Rows {
		for _, n := range r.Names {
			rowsByName[n] = r
		}
	}
}

// Namespaces of the in-process startup API; Program.cs never imports them.
var inprocNamespaces = []string{
	"Microsoft.Azure.Functions.Extensions",
	"Microsoft.Azure.WebJobs",
}

func inprocNamespace(ns string) bool {
	for _, p := range inprocNamespaces {
		if ns == p || strings.HasPrefix(ns, p+".") {
			return true
		}
	}
	return false
}

// startupTypes are the in-process types a moved file may still mention; a
// using of their namespace is removed only when none is left.
var startupTypes = map[string]bool{
	"FunctionsStartup": true, "FunctionsStartupAttribute": true, "IFunctionsHostBuilder": true,
	"IFunctionsConfigurationBuilder": true, "FunctionsHostBuilderContext": true,
	"WebJobsStartup": true, "WebJobsStartupAttribute": true, "IWebJobsStartup": true,
	"IWebJobsStartup2": true, "IWebJobsBuilder": true, "WebJobsBuilderContext": true,
}

// startupNamespaces hold only the startup API, so their usings can go.
var startupNamespaces = map[string]bool{
	"Microsoft.Azure.Functions.Extensions.DependencyInjection": true,
	"Microsoft.Azure.WebJobs.Hosting":                          true,
}

// A startupAttr is one [assembly: FunctionsStartup(typeof(X))].
type startupAttr struct {
	src   Source
	list  *sitter.Node // global_attribute
	attr  *sitter.Node // attribute
	class string
}

// a startupClass is one Startup class, possibly partial over several files.
type startupClass struct {
	name  string
	attrs []startupAttr
	parts []classPart
}

type classPart struct {
	src  Source
	node *sitter.Node // class_declaration
}

// Build plans the move of every Startup class of the project. When the
// project already has an entry point (entry != ""), nothing moves: each
// Startup gets a finding asking for a manual merge.
func Build(sources []Source, form Form, entry string) *Plan {
	p := &Plan{extensions: findExtensions(sources), Indent: projectIndent(sources)}
	classes := findStartups(sources, p)
	for _, sc := range classes {
		at := sc.parts[0]
		if entry != "" {
			p.stays(at.src.File.Path, int(at.node.StartByte()), fmt.Sprintf("%s was not moved because the project already has an entry point (%s)", sc.name, entry), "that Program.cs")
			continue
		}
		m := &mover{plan: p, form: form, class: sc}
		if why := m.check(); why != "" {
			p.stays(at.src.File.Path, int(at.node.StartByte()), fmt.Sprintf("%s was not moved to Program.cs: %s", sc.name, why), "Program.cs")
			continue
		}
		m.move()
		p.Moved = append(p.Moved, sc.name)
		p.movedAt = append(p.movedAt, location{sc.parts[0].src.File.Path, int(sc.parts[0].node.StartByte())})
	}
	if len(p.Moved) > 0 {
		p.rewriteExtensions(form)
	}
	p.removeUsings(sources)
	p.Usings = dedupe(p.Usings)
	return p
}

// findExtensions returns the extension methods declared on the in-process
// host or configuration builder; a name declared twice is left alone.
func findExtensions(sources []Source) map[string]classMember {
	out := map[string]classMember{}
	dup := map[string]bool{}
	for _, s := range sources {
		f := s.File
		for _, c := range s.Model.Classes {
			if !c.HasExtMeth || c.Body == nil {
				continue
			}
			for i := uint(0); i < c.Body.NamedChildCount(); i++ {
				meth := c.Body.NamedChild(i)
				if meth.Kind() != "method_declaration" {
					continue
				}
				pl := meth.ChildByFieldName("parameters")
				if pl == nil || pl.NamedChildCount() == 0 {
					continue
				}
				first := pl.NamedChild(0)
				t := first.ChildByFieldName("type")
				if t == nil || !hasModifier(f, first, "this") {
					continue
				}
				if k := kindOfType[lastName(f.Text(t))]; k != hostBuilder && k != configBuilder {
					continue
				}
				name := f.Text(meth.ChildByFieldName("name"))
				if _, seen := out[name]; seen {
					dup[name] = true
				}
				out[name] = classMember{s, meth}
			}
		}
	}
	for n := range dup {
		delete(out, n)
	}
	return out
}

// rewriteExtensions rewrites, where they are, the project's extension
// methods on the in-process builders, which go with the Startup: the builder
// parameter (and a builder return type) takes the worker's type and the body
// is translated like moved code.
func (p *Plan) rewriteExtensions(form Form) {
	var names []string
	for n := range p.extensions {
		names = append(names, n)
	}
	sort.Strings(names)
	m := &mover{plan: p, form: form, class: &startupClass{}, members: map[string]bool{}, methods: map[string]classMember{}}
	for _, name := range names {
		ext := p.extensions[name]
		f, meth := ext.src.File, ext.node
		fc := p.file(f.Path)
		tr := &translator{m: m, f: f, sec: secFunctions, vars: map[string]binding{}, inPlace: fc}
		pl := meth.ChildByFieldName("parameters")
		first := pl.NamedChild(0)
		k := kindOfType[lastName(f.Text(first.ChildByFieldName("type")))]
		newType := m.helperParamType(k)
		var edits []edit.Edit
		for _, t := range []*sitter.Node{first.ChildByFieldName("type"), meth.ChildByFieldName("returns")} {
			if t != nil && kindOfType[lastName(f.Text(t))] == k {
				edits = append(edits, edit.Edit{Start: int(t.StartByte()), End: int(t.EndByte()), New: newType})
			}
		}
		tr.vars[f.Text(first.ChildByFieldName("name"))] = binding{k, f.Text(first.ChildByFieldName("name")), form == HostBuilder}
		body := meth.ChildByFieldName("body")
		if body == nil {
			for i := uint(0); i < meth.NamedChildCount(); i++ {
				if c := meth.NamedChild(i); c.Kind() == "block" || c.Kind() == "arrow_expression_clause" {
					body = c
				}
			}
		}
		fc.Edits = append(fc.Edits, edits...)
		if body != nil {
			tr.translate(body, int(body.StartByte()), int(body.EndByte())) // adds its edits to fc
		}
		fc.Removed = append(fc.Removed, [2]int{int(meth.StartByte()), int(meth.EndByte())})
		fc.needUsing = append(fc.needUsing, extensionUsing(form, k))
		fc.Findings = append(fc.Findings, report.Finding{Rule: Rule, Offset: int(meth.StartByte()), Severity: report.SeverityNote,
			Message: fmt.Sprintf("%s now extends %s: Program.cs calls it on the worker's builder", name, newType),
			Ref:     "MAPPING.md §5.3", URL: URL})
	}
}

// extensionUsing is the namespace of the type a rewritten extension takes.
func extensionUsing(form Form, k varKind) string {
	switch {
	case form == ApplicationBuilder:
		return "Microsoft.Extensions.Hosting"
	case k == configBuilder:
		return "Microsoft.Extensions.Configuration"
	}
	return "Microsoft.Extensions.DependencyInjection"
}

// findStartups returns the Startup classes named by assembly attributes, in
// the order of the attributes, and reports Startup-like classes nothing names.
func findStartups(sources []Source, p *Plan) []*startupClass {
	var attrs []startupAttr
	for _, s := range sources {
		root := s.File.Root
		for i := uint(0); i < root.NamedChildCount(); i++ {
			gl := root.NamedChild(i)
			if gl.Kind() != "global_attribute" {
				continue
			}
			for j := uint(0); j < gl.NamedChildCount(); j++ {
				a := gl.NamedChild(j)
				if a.Kind() != "attribute" {
					continue
				}
				name := lastName(s.File.Text(a.ChildByFieldName("name")))
				if name != "FunctionsStartup" && name != "FunctionsStartupAttribute" && name != "WebJobsStartup" && name != "WebJobsStartupAttribute" {
					continue
				}
				if cls := typeofArg(s.File, a); cls != "" {
					attrs = append(attrs, startupAttr{src: s, list: gl, attr: a, class: cls})
				}
			}
		}
	}
	byName := map[string]*startupClass{}
	var out []*startupClass
	for _, a := range attrs {
		sc := byName[a.class]
		if sc == nil {
			sc = &startupClass{name: a.class}
			byName[a.class] = sc
			out = append(out, sc)
		}
		sc.attrs = append(sc.attrs, a)
	}
	for _, s := range sources {
		for _, c := range s.Model.Classes {
			if sc := byName[c.Name]; sc != nil {
				sc.parts = append(sc.parts, classPart{src: s, node: c.Node})
				continue
			}
			if base := startupBase(s.File, c.Node); base != "" {
				fc := p.file(s.File.Path)
				fc.Findings = append(fc.Findings, report.Finding{Rule: Rule, Offset: int(c.Node.StartByte()), Marker: true,
					Message: fmt.Sprintf("%s derives from %s but no [assembly: FunctionsStartup] or [assembly: WebJobsStartup] names it, so the in-process host never ran it; it was not moved", c.Name, base),
					Action:  "delete it, or move its registrations into Program.cs if they are wanted",
					Ref:     "MAPPING.md §5.1", URL: URL})
			}
		}
	}
	var found []*startupClass
	for _, sc := range out {
		if len(sc.parts) == 0 {
			a := sc.attrs[0]
			fc := p.file(a.src.File.Path)
			fc.Findings = append(fc.Findings, report.Finding{Rule: Rule, Offset: int(a.attr.StartByte()), Marker: true,
				Message: fmt.Sprintf("the startup class %s is not declared in this project", sc.name),
				Action:  "move what it registers into Program.cs (MAPPING.md §5.3); a startup class from a library needs the library's isolated-worker registration",
				Ref:     "MAPPING.md §5.1", URL: URL})
			continue
		}
		found = append(found, sc)
	}
	return found
}

// startupBase returns the in-process startup base type of a class, if any.
func startupBase(f *cs.File, class *sitter.Node) string {
	for i := uint(0); i < class.NamedChildCount(); i++ {
		bl := class.NamedChild(i)
		if bl.Kind() != "base_list" {
			continue
		}
		for j := uint(0); j < bl.NamedChildCount(); j++ {
			switch n := lastName(f.Text(bl.NamedChild(j))); n {
			case "FunctionsStartup", "IWebJobsStartup", "IWebJobsStartup2":
				return n
			}
		}
	}
	return ""
}

// typeofArg returns the simple class name in an attribute's typeof(...) argument.
func typeofArg(f *cs.File, a *sitter.Node) string {
	args := a.ChildByFieldName("arguments")
	if args == nil {
		for i := uint(0); i < a.NamedChildCount(); i++ {
			if a.NamedChild(i).Kind() == "attribute_argument_list" {
				args = a.NamedChild(i)
			}
		}
	}
	if args == nil || args.NamedChildCount() == 0 {
		return ""
	}
	arg := args.NamedChild(0)
	for i := uint(0); i < arg.NamedChildCount(); i++ {
		if t := arg.NamedChild(i); t.Kind() == "typeof_expression" {
			if ty := t.ChildByFieldName("type"); ty != nil {
				return lastName(f.Text(ty))
			}
		}
	}
	return ""
}

// lastName returns the last dotted part of a possibly qualified name.
func lastName(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.LastIndexAny(s, ".:"); i >= 0 {
		s = s[i+1:]
	}
	return s
}

// removeUsings drops the startup namespaces' usings from files that changed
// and mention no startup type outside what was removed.
func (p *Plan) removeUsings(sources []Source) {
	for _, s := range sources {
		fc := p.Files[s.File.Path]
		if fc == nil || fc.Delete || len(fc.Removed) == 0 {
			continue
		}
		used := false
		for _, id := range s.Model.Idents {
			if startupTypes[s.File.Text(id)] && !removed(fc.Removed, int(id.StartByte())) {
				used = true
				break
			}
		}
		p.addUsings(s, fc)
		if used {
			continue
		}
		for _, u := range s.Model.Usings {
			if u.Alias == "" && !u.Static && !u.Global && startupNamespaces[u.Name] {
				start, end := lineSpan(s.File.Src, int(u.Node.StartByte()), int(u.Node.EndByte()))
				fc.Edits = append(fc.Edits, edit.Edit{Start: start, End: end})
				fc.Removed = append(fc.Removed, [2]int{start, end})
			}
		}
	}
}

// addUsings inserts the usings a rewritten extension method needs.
func (p *Plan) addUsings(s Source, fc *FileChange) {
	have := map[string]bool{}
	var first *cs.Using
	for _, u := range s.Model.Usings {
		if u.Alias == "" && !u.Static {
			have[u.Name] = true
		}
		if !u.Global && first == nil {
			first = u
		}
	}
	// Before the first using: the last one may be the startup using this
	// plan removes. Without usings, at the top of the file, after any BOM.
	at, indent := cs.BOMLen(s.File.Src), ""
	if first != nil {
		at = cs.LineStart(s.File.Src, int(first.Node.StartByte()))
		indent = cs.Indent(s.File.Src, at)
	}
	for _, ns := range dedupe(fc.needUsing) {
		if !have[ns] {
			fc.Edits = append(fc.Edits, edit.Edit{Start: at, End: at, New: indent + "using " + ns + ";" + s.File.EOL})
		}
	}
}

func removed(ranges [][2]int, off int) bool {
	for _, r := range ranges {
		if off >= r[0] && off < r[1] {
			return true
		}
	}
	return false
}

// lineSpan widens [start, end) to whole lines, line ending included, when
// nothing else shares them.
func lineSpan(src []byte, start, end int) (int, int) {
	ls, le := cs.LineStart(src, start), cs.LineEnd(src, end)
	if strings.TrimSpace(string(src[ls:start])) != "" || strings.TrimSpace(string(src[end:le])) != "" {
		return start, end
	}
	return ls, le
}

func dedupe(ss []string) []string {
	ss = slices.Clone(ss)
	slices.Sort(ss)
	return slices.Compact(ss)
}
