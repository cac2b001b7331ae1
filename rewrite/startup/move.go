package startup

import (
	"fmt"
	"sort"
	"strings"

	sitter "github.com/tree-sitter/go-tree-sitter"

	"github.com/funcmigrate/funcmigrate/rewrite/cs"
	"github.com/funcmigrate/funcmigrate/rewrite/edit"
	"github.com/funcmigrate/funcmigrate/rewrite/report"
)

// A varKind is what an in-process startup variable holds.
type varKind int

const (
	hostBuilder   varKind = iota + 1 // IFunctionsHostBuilder, IWebJobsBuilder
	configBuilder                    // IFunctionsConfigurationBuilder
	hostContext                      // FunctionsHostBuilderContext, WebJobsBuilderContext
	servicesAlias                    // a local holding builder.Services
	configAlias                      // a local holding builder.ConfigurationBuilder
)

// kindOfType maps the in-process parameter types to what they hold.
var kindOfType = map[string]varKind{
	"IFunctionsHostBuilder":          hostBuilder,
	"IWebJobsBuilder":                hostBuilder,
	"IFunctionsConfigurationBuilder": configBuilder,
	"FunctionsHostBuilderContext":    hostContext,
	"WebJobsBuilderContext":          hostContext,
}

// A section is where moved code lands in Program.cs.
type section int

const (
	secLocals section = iota
	secConfig
	secServices
	secFunctions
)

// mover moves one Startup class.
type mover struct {
	plan  *Plan
	form  Form
	class *startupClass

	members map[string]bool        // fields, properties and methods of the class
	methods map[string]classMember // helper methods by name
	entries []entry
	fields  []classMember // fields and auto-properties, in order
	ctors   []classMember

	rootPathNoted bool // the ApplicationRootPath note is given once
}

type classMember struct {
	src  Source
	node *sitter.Node
}

// An entry is a method the in-process host called: Configure or
// ConfigureAppConfiguration.
type entry struct {
	src  Source
	node *sitter.Node
	sec  section
	vars map[string]varKind
}

// check collects the class's members and returns why the class cannot move
// as a whole, or "".
func (m *mover) check() string {
	m.members = map[string]bool{}
	m.methods = map[string]classMember{}
	var declared []string // names the moved code declares at the top level
	for _, part := range m.class.parts {
		f := part.src.File
		if part.node.HasError() {
			return fmt.Sprintf("%s has a syntax error inside the class", f.Path)
		}
		for i := uint(0); i < part.node.NamedChildCount(); i++ {
			ch := part.node.NamedChild(i)
			switch ch.Kind() {
			case "type_parameter_list":
				return "it is generic"
			case "base_list":
				for j := uint(0); j < ch.NamedChildCount(); j++ {
					switch lastName(f.Text(ch.NamedChild(j))) {
					case "FunctionsStartup", "IWebJobsStartup", "IWebJobsStartup2":
					default:
						return fmt.Sprintf("it also derives from %s", f.Text(ch.NamedChild(j)))
					}
				}
			case "attribute_list":
				return "it carries attributes"
			}
		}
		body := part.node.ChildByFieldName("body")
		for i := uint(0); body != nil && i < body.NamedChildCount(); i++ {
			mem := body.NamedChild(i)
			name := ""
			if n := mem.ChildByFieldName("name"); n != nil {
				name = f.Text(n)
			}
			switch mem.Kind() {
			case "comment":
			case "field_declaration":
				if hasModifier(f, mem, "event") {
					return "it declares an event"
				}
				collectNames(f, mem, func(n string) { m.members[n] = true; declared = append(declared, n) })
				m.fields = append(m.fields, classMember{part.src, mem})
			case "property_declaration":
				if !autoProperty(mem) {
					return fmt.Sprintf("its property %s has a body", name)
				}
				m.members[name] = true
				declared = append(declared, name)
				m.fields = append(m.fields, classMember{part.src, mem})
			case "constructor_declaration":
				if pl := mem.ChildByFieldName("parameters"); pl != nil && pl.NamedChildCount() > 0 {
					return "its constructor takes parameters"
				}
				for j := uint(0); j < mem.NamedChildCount(); j++ {
					if ci := mem.NamedChild(j); ci.Kind() == "constructor_initializer" && strings.TrimSpace(f.Text(ci)) != ": base()" {
						return "its constructor calls " + strings.TrimSpace(strings.TrimPrefix(f.Text(ci), ":"))
					}
				}
				m.ctors = append(m.ctors, classMember{part.src, mem})
			case "method_declaration":
				if e, ok := m.entry(part.src, mem, name); ok {
					m.entries = append(m.entries, e)
					continue
				}
				if _, dup := m.methods[name]; dup {
					return fmt.Sprintf("it overloads %s (local functions cannot be overloaded)", name)
				}
				for j := uint(0); j < mem.NamedChildCount(); j++ {
					switch mem.NamedChild(j).Kind() {
					case "attribute_list":
						return fmt.Sprintf("its method %s carries attributes", name)
					case "type_parameter_constraints_clause":
					}
				}
				if hasModifier(f, mem, "override") || hasModifier(f, mem, "abstract") || hasModifier(f, mem, "extern") {
					return fmt.Sprintf("it overrides or declares %s in a way a local function cannot", name)
				}
				if m.form == HostBuilder {
					if pl := mem.ChildByFieldName("parameters"); pl != nil {
						for j := uint(0); j < pl.NamedChildCount(); j++ {
							if t := pl.NamedChild(j).ChildByFieldName("type"); t != nil && kindOfType[lastName(f.Text(t))] == hostContext {
								return fmt.Sprintf("its helper %s takes %s, which the host-builder form has no single replacement for", name, f.Text(t))
							}
						}
					}
				}
				m.methods[name] = classMember{part.src, mem}
				m.members[name] = true
				declared = append(declared, name)
			default:
				return fmt.Sprintf("it declares a %s", strings.ReplaceAll(mem.Kind(), "_", " "))
			}
		}
	}
	if len(m.entries) == 0 {
		return "it has no Configure method the host would call"
	}
	// Names Program.cs itself declares next to the moved code.
	reserved := []string{"args", "builder"}
	if m.form == HostBuilder {
		reserved = []string{"args", "host"}
	}
	for _, d := range declared {
		for _, r := range reserved {
			if d == r {
				return fmt.Sprintf("it declares %s, a name Program.cs uses", d)
			}
		}
	}
	// Locals of the entry methods share one scope in Program.cs (Form B) or
	// sit inside lambdas with fixed parameter names (Form A).
	for _, e := range m.entries {
		body := e.node.ChildByFieldName("body")
		aliases := m.aliases(e.src.File, body, e.vars)
		for _, d := range declaredIn(e.src.File, body) {
			if e.vars[d] != 0 || aliases[d] {
				continue
			}
			bad := append([]string(nil), reserved...)
			if m.form == HostBuilder {
				// The parameters of the lambda the section lands in.
				if e.sec == secConfig {
					bad = append(bad, "hostContext", "config")
				} else {
					bad = append(bad, "context", "services")
				}
			}
			bad = append(bad, declared...)
			for _, r := range bad {
				if d == r {
					return fmt.Sprintf("%s declares %s, a name Program.cs already uses there", methodName(e.src.File, e.node), d)
				}
			}
		}
	}
	return ""
}

// aliases returns the locals of a body that only hold the builder (they
// disappear in Program.cs).
func (m *mover) aliases(f *cs.File, body *sitter.Node, vars map[string]varKind) map[string]bool {
	tr := &translator{m: m, f: f, vars: map[string]binding{}}
	for k, v := range vars {
		tr.vars[k] = binding{v, "", false}
	}
	out := map[string]bool{}
	for i := uint(0); body != nil && body.Kind() == "block" && i < body.NamedChildCount(); i++ {
		before := len(tr.vars)
		if tr.alias(body.NamedChild(i)) && len(tr.vars) > before {
			for name := range tr.vars {
				if vars[name] == 0 {
					out[name] = true
				}
			}
		}
	}
	return out
}

// entry recognises the methods the in-process host calls.
func (m *mover) entry(src Source, n *sitter.Node, name string) (entry, bool) {
	f := src.File
	pl := n.ChildByFieldName("parameters")
	if pl == nil || (name != "Configure" && name != "ConfigureAppConfiguration") {
		return entry{}, false
	}
	vars := map[string]varKind{}
	for i := uint(0); i < pl.NamedChildCount(); i++ {
		p := pl.NamedChild(i)
		t, pn := p.ChildByFieldName("type"), p.ChildByFieldName("name")
		if t == nil || pn == nil {
			return entry{}, false
		}
		k := kindOfType[lastName(f.Text(t))]
		if k == 0 {
			return entry{}, false
		}
		vars[f.Text(pn)] = k
	}
	sec := secServices
	if name == "ConfigureAppConfiguration" {
		sec = secConfig
	}
	return entry{src: src, node: n, sec: sec, vars: vars}, true
}

func methodName(f *cs.File, n *sitter.Node) string {
	if nn := n.ChildByFieldName("name"); nn != nil {
		return f.Text(nn)
	}
	return "a method"
}

func hasModifier(f *cs.File, n *sitter.Node, mod string) bool {
	for i := uint(0); i < n.NamedChildCount(); i++ {
		if c := n.NamedChild(i); c.Kind() == "modifier" && f.Text(c) == mod {
			return true
		}
	}
	return false
}

func autoProperty(n *sitter.Node) bool {
	acc := n.ChildByFieldName("accessors")
	if acc == nil {
		return false
	}
	for i := uint(0); i < acc.NamedChildCount(); i++ {
		a := acc.NamedChild(i)
		if a.ChildByFieldName("body") != nil {
			return false
		}
		for j := uint(0); j < a.NamedChildCount(); j++ {
			if k := a.NamedChild(j).Kind(); k == "block" || k == "arrow_expression_clause" {
				return false
			}
		}
	}
	return true
}

// collectNames calls fn with each variable a field declaration declares.
func collectNames(f *cs.File, field *sitter.Node, fn func(string)) {
	walk(field, func(n *sitter.Node) bool {
		if n.Kind() == "variable_declarator" {
			if nn := n.ChildByFieldName("name"); nn != nil {
				fn(f.Text(nn))
			}
		}
		return true
	})
}

// declaredIn lists the names declared anywhere in n: locals, pattern and
// out variables, foreach and catch variables, lambda parameters.
func declaredIn(f *cs.File, n *sitter.Node) []string {
	var out []string
	if n == nil {
		return nil
	}
	walk(n, func(c *sitter.Node) bool {
		switch c.Kind() {
		case "variable_declarator", "declaration_expression", "catch_declaration", "parameter", "local_function_statement":
			if nn := c.ChildByFieldName("name"); nn != nil {
				out = append(out, f.Text(nn))
			}
		case "foreach_statement":
			if l := c.ChildByFieldName("left"); l != nil && l.Kind() == "identifier" {
				out = append(out, f.Text(l))
			}
		case "lambda_expression":
			if p := c.ChildByFieldName("parameters"); p != nil && p.Kind() == "identifier" {
				out = append(out, f.Text(p))
			}
		}
		return true
	})
	return out
}

// walk visits n and its named descendants in source order; fn returns
// false to skip a node's children.
func walk(n *sitter.Node, fn func(*sitter.Node) bool) {
	if !fn(n) {
		return
	}
	for i := uint(0); i < n.NamedChildCount(); i++ {
		walk(n.NamedChild(i), fn)
	}
}

// move writes the class into the plan: code for Program.cs, edits that
// remove it from its files.
func (m *mover) move() {
	p := m.plan
	// Fields and auto-properties become locals, then the constructor runs.
	var locals []string
	for _, fm := range m.fields {
		locals = append(locals, m.fieldLocal(fm))
	}
	for _, c := range m.ctors {
		if body := c.node.ChildByFieldName("body"); body != nil {
			if t := m.body(c.src.File, body, secLocals, nil, ""); t != "" {
				locals = append(locals, t)
			}
		}
	}
	if len(locals) > 0 {
		p.Locals = append(p.Locals, strings.Join(locals, "\n"))
	}
	// The host called ConfigureAppConfiguration before Configure.
	sort.SliceStable(m.entries, func(i, j int) bool { return m.entries[i].sec < m.entries[j].sec })
	for _, e := range m.entries {
		t := m.body(e.src.File, e.node.ChildByFieldName("body"), e.sec, e.vars, "builder")
		if t == "" {
			continue
		}
		if e.sec == secConfig {
			p.Config = append(p.Config, t)
		} else {
			p.Services = append(p.Services, t)
		}
	}
	// Helpers become local functions, in declaration order.
	var helpers []classMember
	for _, h := range m.methods {
		helpers = append(helpers, h)
	}
	sort.Slice(helpers, func(i, j int) bool {
		a, b := helpers[i], helpers[j]
		if a.src.File.Path != b.src.File.Path {
			return m.partIndex(a.src) < m.partIndex(b.src)
		}
		return a.node.StartByte() < b.node.StartByte()
	})
	for _, h := range helpers {
		p.Functions = append(p.Functions, m.localFunction(h.src, h.node))
	}
	// Usings the moved code relied on, and its namespace and the ones
	// around it (code in namespace A.B sees types of A and A.B unqualified).
	for _, part := range m.class.parts {
		for _, u := range part.src.Model.Usings {
			if u.Global || inprocNamespace(u.Name) {
				continue
			}
			switch {
			case u.Alias != "":
				p.Usings = append(p.Usings, u.Alias+" = "+u.Name)
			case u.Static:
				p.Usings = append(p.Usings, "static "+u.Name)
			default:
				p.Usings = append(p.Usings, u.Name)
			}
		}
		if ns := enclosingNamespace(part.src.File, part.node); ns != "" {
			parts := strings.Split(ns, ".")
			for i := range parts {
				p.Usings = append(p.Usings, strings.Join(parts[:i+1], "."))
			}
		}
	}
	m.removeFromFiles()
}

// partIndex orders the files of a partial class as the project lists them.
func (m *mover) partIndex(src Source) int {
	for i, part := range m.class.parts {
		if part.src.File == src.File {
			return i
		}
	}
	return len(m.class.parts)
}

func within(n, outer *sitter.Node) bool {
	return n.StartByte() >= outer.StartByte() && n.EndByte() <= outer.EndByte()
}

func enclosingNamespace(f *cs.File, n *sitter.Node) string {
	var parts []string
	for a := n.Parent(); a != nil; a = a.Parent() {
		if k := a.Kind(); k == "namespace_declaration" || k == "file_scoped_namespace_declaration" {
			if nn := a.ChildByFieldName("name"); nn != nil {
				parts = append([]string{strings.Join(strings.Fields(f.Text(nn)), "")}, parts...)
			}
		}
	}
	if len(parts) == 0 {
		// A file-scoped namespace is a sibling of the class, not its parent.
		for i := uint(0); i < f.Root.NamedChildCount(); i++ {
			if c := f.Root.NamedChild(i); c.Kind() == "file_scoped_namespace_declaration" {
				if nn := c.ChildByFieldName("name"); nn != nil {
					return strings.Join(strings.Fields(f.Text(nn)), "")
				}
			}
		}
	}
	return strings.Join(parts, ".")
}

// fieldLocal turns a field or auto-property into a local declaration.
func (m *mover) fieldLocal(fm classMember) string {
	f := fm.src.File
	tr := &translator{m: m, f: f, sec: secLocals}
	if fm.node.Kind() == "property_declaration" {
		init := "default"
		if v := fm.node.ChildByFieldName("value"); v != nil {
			init = tr.expression(v)
		}
		return f.Text(fm.node.ChildByFieldName("type")) + " " + f.Text(fm.node.ChildByFieldName("name")) + " = " + init + ";"
	}
	var decl *sitter.Node
	for i := uint(0); i < fm.node.NamedChildCount(); i++ {
		if c := fm.node.NamedChild(i); c.Kind() == "variable_declaration" {
			decl = c
		}
	}
	// A field without an initializer starts at its default value; a local
	// must be assigned before use.
	walk(decl, func(n *sitter.Node) bool {
		if n.Kind() == "variable_declarator" && n.NamedChildCount() == 1 {
			tr.edits = append(tr.edits, edit.Edit{Start: int(n.EndByte()), End: int(n.EndByte()), New: " = default"})
		}
		return n.Kind() != "variable_declarator"
	})
	out := tr.translate(fm.node, int(decl.StartByte()), int(fm.node.EndByte()))
	if hasModifier(f, fm.node, "const") && !strings.HasPrefix(out, "//") {
		out = "const " + out
	}
	return out
}

// body translates the statements of a method body for a section; the
// in-process variables stand for the application builder named target.
func (m *mover) body(f *cs.File, body *sitter.Node, sec section, vars map[string]varKind, target string) string {
	if body == nil {
		return ""
	}
	b := map[string]binding{}
	for k, v := range vars {
		b[k] = binding{v, target, false}
	}
	tr := &translator{m: m, f: f, sec: sec, vars: b}
	if body.Kind() == "arrow_expression_clause" {
		return tr.expression(body.NamedChild(0)) + ";"
	}
	return tr.block(body)
}

// selfTargets binds each helper parameter to itself: it now holds the
// application builder, or in the host-builder form the service collection
// or configuration builder the in-process builder wrapped.
func (m *mover) selfTargets(vars map[string]varKind) map[string]binding {
	b := map[string]binding{}
	for k, v := range vars {
		b[k] = binding{v, k, m.form == HostBuilder}
	}
	return b
}

// helperParamType is the new type of a helper parameter that held the
// in-process builder (or its context, application-builder form only).
func (m *mover) helperParamType(k varKind) string {
	if m.form == HostBuilder {
		if k == configBuilder {
			return "IConfigurationBuilder"
		}
		return "IServiceCollection"
	}
	return "IHostApplicationBuilder"
}

func blankLineBetween(src []byte, from, to int) bool {
	return strings.Count(strings.ReplaceAll(string(src[from:to]), "\r", ""), "\n") >= 2
}

// localFunction turns a helper method into a local function.
func (m *mover) localFunction(src Source, meth *sitter.Node) string {
	f := src.File
	vars := map[string]varKind{}
	tr := &translator{m: m, f: f, sec: secFunctions}
	var prefix []string
	for _, mod := range []string{"async", "unsafe"} {
		if hasModifier(f, meth, mod) {
			prefix = append(prefix, mod)
		}
	}
	ret := meth.ChildByFieldName("returns")
	body := meth.ChildByFieldName("body")
	if body == nil {
		for i := uint(0); i < meth.NamedChildCount(); i++ {
			if c := meth.NamedChild(i); c.Kind() == "arrow_expression_clause" || c.Kind() == "block" {
				body = c
			}
		}
	}
	// Parameters holding the in-process builder now hold the application
	// builder, which has the same Services, Configuration and Environment.
	if pl := meth.ChildByFieldName("parameters"); pl != nil {
		for i := uint(0); i < pl.NamedChildCount(); i++ {
			pr := pl.NamedChild(i)
			t, n := pr.ChildByFieldName("type"), pr.ChildByFieldName("name")
			if t == nil || n == nil {
				continue
			}
			if k := kindOfType[lastName(f.Text(t))]; k != 0 {
				vars[f.Text(n)] = k
				tr.edits = append(tr.edits, edit.Edit{Start: int(t.StartByte()), End: int(t.EndByte()), New: m.helperParamType(k)})
			}
		}
	}
	header := tr.render(int(ret.StartByte()), int(body.StartByte()))
	header = strings.TrimRight(dedent(header, cs.Indent(f.Src, int(meth.StartByte()))), " \t\r\n")
	if len(prefix) > 0 {
		header = strings.Join(prefix, " ") + " " + header
	}
	bt := &translator{m: m, f: f, sec: secFunctions, vars: m.selfTargets(vars)}
	if body.Kind() == "arrow_expression_clause" {
		return header + " => " + bt.expression(body.NamedChild(0)) + ";"
	}
	if t := bt.block(body); t != "" {
		return header + "\n{\n" + indentLines(t, "    ") + "\n}"
	}
	return header + "\n{\n}"
}

func indentLines(s, pad string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		if l != "" {
			lines[i] = pad + l
		}
	}
	return strings.Join(lines, "\n")
}

// dedent removes prefix from the start of every line after the first.
func dedent(s, prefix string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	lines := strings.Split(s, "\n")
	for i := 1; i < len(lines); i++ {
		if strings.HasPrefix(lines[i], prefix) {
			lines[i] = lines[i][len(prefix):]
		} else if strings.TrimSpace(lines[i]) == "" {
			lines[i] = ""
		}
	}
	return strings.Join(lines, "\n")
}

// removeFromFiles removes the class parts and the assembly attributes from
// their files, and deletes a file that holds nothing else.
func (m *mover) removeFromFiles() {
	p := m.plan
	byFile := map[string][]*sitter.Node{}
	srcOf := map[string]Source{}
	for _, part := range m.class.parts {
		byFile[part.src.File.Path] = append(byFile[part.src.File.Path], part.node)
		srcOf[part.src.File.Path] = part.src
	}
	for _, a := range m.class.attrs {
		byFile[a.src.File.Path] = append(byFile[a.src.File.Path], a.attr)
		srcOf[a.src.File.Path] = a.src
	}
	for path, nodes := range byFile {
		src := srcOf[path]
		fc := p.file(path)
		for _, n := range nodes {
			start, end := removalSpan(src.File, n)
			fc.Edits = append(fc.Edits, edit.Edit{Start: start, End: end})
			fc.Removed = append(fc.Removed, [2]int{start, end})
		}
		if onlyRemoved(src.File, fc.Removed) {
			fc.Delete = true
			fc.Edits = nil
		}
	}
}

// removalSpan is what removing a class or an assembly attribute takes out:
// its whole lines with the comments directly above, and one blank line so
// that no double gap is left. An attribute that shares its list with
// others goes with its comma only.
func removalSpan(f *cs.File, n *sitter.Node) (int, int) {
	src := f.Src
	if n.Kind() == "attribute" {
		list := n.Parent()
		count := 0
		for i := uint(0); i < list.NamedChildCount(); i++ {
			if list.NamedChild(i).Kind() == "attribute" {
				count++
			}
		}
		if count > 1 {
			if next := n.NextNamedSibling(); next != nil && next.Kind() == "attribute" {
				return int(n.StartByte()), int(next.StartByte())
			}
			prev := n.PrevNamedSibling()
			return int(prev.EndByte()), int(n.EndByte())
		}
		n = list
	}
	start := int(n.StartByte())
	for prev := n.PrevSibling(); prev != nil && prev.Kind() == "comment"; prev = prev.PrevSibling() {
		if blankLineBetween(src, int(prev.EndByte()), start) {
			break
		}
		start = int(prev.StartByte())
	}
	s, e := lineSpan(src, start, int(n.EndByte()))
	if e == int(n.EndByte()) {
		return s, e // shares a line with other code
	}
	// Take the blank line after too when the line before is blank or opens
	// a block, so that the gap the code sat in closes.
	next := cs.LineEnd(src, e)
	if e < len(src) && strings.TrimSpace(string(src[e:next])) == "" {
		before := ""
		if s > 0 {
			before = strings.TrimSpace(string(src[cs.LineStart(src, s-1):s]))
		}
		if s == 0 || before == "" || strings.HasSuffix(before, "{") {
			return s, next
		}
	}
	return s, e
}

// onlyRemoved reports whether nothing but usings, comments, namespaces and
// the removed ranges is left in the file.
func onlyRemoved(f *cs.File, ranges [][2]int) bool {
	var ok func(n *sitter.Node) bool
	ok = func(n *sitter.Node) bool {
		for i := uint(0); i < n.NamedChildCount(); i++ {
			c := n.NamedChild(i)
			if removed(ranges, int(c.StartByte())) {
				continue
			}
			switch c.Kind() {
			case "comment":
			case "using_directive":
				if strings.HasPrefix(strings.TrimSpace(f.Text(c)), "global") {
					return false
				}
			case "namespace_declaration":
				if body := c.ChildByFieldName("body"); body == nil || !ok(body) {
					return false
				}
			case "file_scoped_namespace_declaration":
				if !ok(c) {
					return false
				}
			case "identifier", "qualified_name": // a namespace's name
				if k := n.Kind(); k != "namespace_declaration" && k != "file_scoped_namespace_declaration" {
					return false
				}
			default:
				return false
			}
		}
		return true
	}
	return ok(f.Root)
}

// finding records a finding about Program.cs code and returns the
// sentinel line to put above that code (see Locate).
func (m *mover) finding(sec section, f report.Finding) string {
	f.Rule = Rule
	f.URL = URL
	f.Marker = f.Severity != report.SeverityNote
	m.plan.anchored = append(m.plan.anchored, f)
	return fmt.Sprintf("%s%d", sentinel, len(m.plan.anchored)-1)
}
