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

// A binding is an in-process variable in moved code: what it holds and the
// application-builder expression it stands for in Form B.
type binding struct {
	kind   varKind
	target string
	// direct: a host-builder helper parameter that holds the service
	// collection (or configuration builder) itself, in the host-builder form.
	direct bool
}

// translator rewrites one piece of Startup code for Program.cs.
type translator struct {
	m    *mover
	f    *cs.File
	sec  section
	vars map[string]binding

	edits  []edit.Edit
	events []event // findings and problems, in source order

	// inPlace: the code stays in its file (an extension method on the
	// builder); findings go to that file instead of Program.cs.
	inPlace *FileChange
}

// An event is something found while translating: a problem comments out
// the statement around it; otherwise it is a finding on moved code.
type event struct {
	node    *sitter.Node
	problem bool
	f       report.Finding
}

// block translates a method body's statements, keeping blank lines between
// them and dropping declarations that only alias the builder.
func (t *translator) block(body *sitter.Node) string {
	var out []string
	prevEnd := -1
	for i := uint(0); i < body.NamedChildCount(); i++ {
		st := body.NamedChild(i)
		if t.alias(st) || t.baseCall(st) {
			prevEnd = int(st.EndByte())
			continue
		}
		if prevEnd >= 0 && len(out) > 0 && blankLineBetween(t.f.Src, prevEnd, int(st.StartByte())) {
			out = append(out, "")
		}
		out = append(out, t.translate(st, int(st.StartByte()), int(st.EndByte())))
		prevEnd = int(st.EndByte())
	}
	return strings.Join(out, "\n")
}

// baseCall recognises base.ConfigureAppConfiguration(builder): the
// FunctionsStartup base implementation does nothing the worker needs.
func (t *translator) baseCall(st *sitter.Node) bool {
	if st.Kind() != "expression_statement" || st.NamedChildCount() != 1 {
		return false
	}
	inv := st.NamedChild(0)
	if inv.Kind() != "invocation_expression" {
		return false
	}
	fn := inv.ChildByFieldName("function")
	if fn == nil || fn.Kind() != "member_access_expression" {
		return false
	}
	e := fn.ChildByFieldName("expression")
	return e != nil && e.Kind() == "base" && kindOfMethod[t.f.Text(fn.ChildByFieldName("name"))]
}

// kindOfMethod are the FunctionsStartup methods a base call may name.
var kindOfMethod = map[string]bool{"Configure": true, "ConfigureAppConfiguration": true}

// expression translates an expression on its own.
func (t *translator) expression(n *sitter.Node) string {
	return t.translate(n, int(n.StartByte()), int(n.EndByte()))
}

// alias recognises `var ctx = builder.GetContext();`, `var services =
// builder.Services;` and the like: the local goes, its uses are rewritten
// like the expression it held.
func (t *translator) alias(st *sitter.Node) bool {
	if st.Kind() != "local_declaration_statement" {
		return false
	}
	var decl *sitter.Node
	for i := uint(0); i < st.NamedChildCount(); i++ {
		if c := st.NamedChild(i); c.Kind() == "variable_declaration" {
			decl = c
		} else if c.Kind() == "modifier" {
			return false
		}
	}
	if decl == nil || decl.NamedChildCount() != 2 {
		return false
	}
	d := decl.NamedChild(1)
	name := d.ChildByFieldName("name")
	if d.Kind() != "variable_declarator" || name == nil || d.NamedChildCount() != 2 {
		return false
	}
	b, ok := t.held(d.NamedChild(1))
	if !ok {
		return false
	}
	switch ty := t.f.Text(decl.ChildByFieldName("type")); ty {
	case "var", "IServiceCollection", "IConfigurationBuilder":
	default:
		if kindOfType[lastName(ty)] == 0 {
			return false
		}
	}
	t.vars[t.f.Text(name)] = b
	return true
}

// held returns what an initializer holds when it is builder-derived.
func (t *translator) held(n *sitter.Node) (binding, bool) {
	switch n.Kind() {
	case "identifier":
		b, ok := t.vars[t.f.Text(n)]
		return b, ok
	case "member_access_expression":
		b, ok := t.varOf(n.ChildByFieldName("expression"))
		if !ok {
			return binding{}, false
		}
		switch name := t.f.Text(n.ChildByFieldName("name")); {
		case b.kind == hostBuilder && name == "Services":
			return binding{servicesAlias, b.target, b.direct}, true
		case b.kind == configBuilder && name == "ConfigurationBuilder":
			return binding{configAlias, b.target, b.direct}, true
		}
	case "invocation_expression":
		if b, ok := t.getContext(n); ok && !b.direct {
			return binding{hostContext, b.target, false}, true
		}
	}
	return binding{}, false
}

// varOf returns the binding of an identifier expression.
func (t *translator) varOf(n *sitter.Node) (binding, bool) {
	if n == nil || n.Kind() != "identifier" {
		return binding{}, false
	}
	b, ok := t.vars[t.f.Text(n)]
	return b, ok
}

// getContext matches X.GetContext() on a builder variable.
func (t *translator) getContext(inv *sitter.Node) (binding, bool) {
	fn := inv.ChildByFieldName("function")
	args := inv.ChildByFieldName("arguments")
	if fn == nil || fn.Kind() != "member_access_expression" || args == nil || args.NamedChildCount() != 0 {
		return binding{}, false
	}
	if t.f.Text(fn.ChildByFieldName("name")) != "GetContext" {
		return binding{}, false
	}
	b, ok := t.varOf(fn.ChildByFieldName("expression"))
	if !ok || (b.kind != hostBuilder && b.kind != configBuilder) {
		return binding{}, false
	}
	return b, true
}

// translate rewrites [start, end) of top: the in-process builder
// expressions become worker ones, and statements with no worker
// equivalent become comments with a finding.
func (t *translator) translate(top *sitter.Node, start, end int) string {
	base := len(t.events)
	t.collect(top)
	events := t.events[base:]
	t.events = t.events[:base]

	// The statements to comment out: the innermost statement in a block
	// around each problem that is not inside a lambda or local function.
	commented := map[*sitter.Node]bool{}
	var order []*sitter.Node
	anchorOf := map[int]*sitter.Node{}
	for i, ev := range events {
		if !ev.problem {
			continue
		}
		s := t.commentTarget(ev.node, top)
		anchorOf[i] = s
		if !commented[s] {
			commented[s] = true
			order = append(order, s)
		}
	}
	// Only the outermost commented statements are rendered as comments.
	var outer []*sitter.Node
	for _, s := range order {
		inside := false
		for _, o := range order {
			if o != s && within(s, o) {
				inside = true
			}
		}
		if !inside {
			outer = append(outer, s)
		}
	}
	sort.Slice(outer, func(i, j int) bool { return outer[i].StartByte() < outer[j].StartByte() })
	insideOuter := func(n *sitter.Node) *sitter.Node {
		for _, o := range outer {
			if within(n, o) {
				return o
			}
		}
		return nil
	}

	// Findings: one per problem row and commented statement, marked at
	// the comment; the others at the top statement unless commented out.
	marks := map[*sitter.Node][]string{} // commented statement → sentinels
	var topMarks []string
	seen := map[string]bool{}
	for i, ev := range events {
		if ev.problem {
			o := insideOuter(anchorOf[i])
			key := fmt.Sprint(o.StartByte(), ev.f.Message)
			if !seen[key] {
				seen[key] = true
				if t.inPlace != nil {
					t.fileFinding(int(o.StartByte()), ev.f)
				} else {
					marks[o] = append(marks[o], t.m.finding(t.sec, ev.f))
				}
			}
			continue
		}
		if insideOuter(ev.node) != nil || seen[ev.f.Message] {
			continue
		}
		seen[ev.f.Message] = true
		if t.inPlace != nil {
			t.fileFinding(int(ev.node.StartByte()), ev.f)
		} else {
			topMarks = append(topMarks, t.m.finding(t.sec, ev.f))
		}
	}
	if t.inPlace != nil {
		var reps []edit.Edit
		for _, o := range outer {
			reps = append(reps, edit.Edit{Start: int(o.StartByte()), End: int(o.EndByte()),
				New: commentOutIndented(t.f.Text(o), cs.Indent(t.f.Src, int(o.StartByte())), t.f.EOL)})
		}
		t.inPlace.Edits = append(t.inPlace.Edits, t.editsWith(start, end, reps)...)
		return ""
	}

	indent := cs.Indent(t.f.Src, start)
	var text string
	if len(outer) == 1 && outer[0] == top {
		text = strings.Join(append(marks[top], commentOut(dedent(string(t.f.Src[start:end]), indent))), "\n")
	} else {
		var reps []edit.Edit
		for _, o := range outer {
			oi := cs.Indent(t.f.Src, int(o.StartByte()))
			var b strings.Builder
			for _, mk := range marks[o] {
				b.WriteString(mk + t.f.EOL + oi)
			}
			b.WriteString(commentOutIndented(t.f.Text(o), oi, t.f.EOL))
			reps = append(reps, edit.Edit{Start: int(o.StartByte()), End: int(o.EndByte()), New: b.String()})
		}
		text = dedent(t.renderWith(start, end, reps), indent)
	}
	return strings.Join(append(topMarks, text), "\n")
}

// fileFinding records a finding about code that stays in its file.
func (t *translator) fileFinding(off int, f report.Finding) {
	f.Rule, f.URL, f.Offset = Rule, URL, off
	f.Marker = f.Severity != report.SeverityNote
	t.inPlace.Findings = append(t.inPlace.Findings, f)
}

func firstLine(s string) string {
	s = strings.ReplaceAll(s, "\r", "")
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// commentOut prefixes every line of s with "// ".
func commentOut(s string) string {
	lines := strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
	for i, l := range lines {
		lead := l[:len(l)-len(strings.TrimLeft(l, " \t"))]
		lines[i] = lead + "// " + strings.TrimLeft(l, " \t")
	}
	return strings.Join(lines, "\n")
}

// commentOutIndented comments out a statement in place: its later lines
// keep their indentation, with "// " after it.
func commentOutIndented(s, indent, eol string) string {
	lines := strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
	for i, l := range lines {
		rest := strings.TrimLeft(l, " \t")
		lead := l[:len(l)-len(rest)]
		if i == 0 {
			lead = ""
		}
		lines[i] = lead + "// " + rest
	}
	return strings.Join(lines, eol)
}

// commentTarget is the statement a problem at n comments out.
func (t *translator) commentTarget(n, top *sitter.Node) *sitter.Node {
	var cand *sitter.Node
	for a := n; a != nil; a = a.Parent() {
		switch a.Kind() {
		case "lambda_expression", "anonymous_method_expression", "local_function_statement":
			cand = nil
		}
		if cand == nil && strings.HasSuffix(a.Kind(), "_statement") && a.Kind() != "local_function_statement" {
			if p := a.Parent(); p != nil && p.Kind() == "block" {
				cand = a
			}
		}
		if a.Equals(*top) {
			break
		}
	}
	if cand == nil || !within(cand, top) {
		return top
	}
	if cand.Equals(*top) {
		return top
	}
	return cand
}

// render applies the translator's edits to [start, end).
func (t *translator) render(start, end int) string { return t.renderWith(start, end, nil) }

// renderWith applies the edits within [start, end) plus reps, which win
// over edits inside them.
func (t *translator) renderWith(start, end int, reps []edit.Edit) string {
	all := t.editsWith(start, end, reps)
	var b strings.Builder
	pos := start
	for _, e := range all {
		if e.Start < pos {
			continue // nested in an earlier replacement
		}
		b.Write(t.f.Src[pos:e.Start])
		b.WriteString(e.New)
		pos = e.End
	}
	b.Write(t.f.Src[pos:end])
	return b.String()
}

// editsWith returns the edits within [start, end) that reps do not cover,
// and reps, sorted.
func (t *translator) editsWith(start, end int, reps []edit.Edit) []edit.Edit {
	var all []edit.Edit
	for _, e := range t.edits {
		if e.Start < start || e.End > end {
			continue
		}
		covered := false
		for _, r := range reps {
			if e.Start >= r.Start && e.End <= r.End {
				covered = true
			}
		}
		if !covered {
			all = append(all, e)
		}
	}
	all = append(all, reps...)
	edit.Sort(all)
	return all
}

// collect walks n and records edits and events.
func (t *translator) collect(n *sitter.Node) {
	walk(n, func(c *sitter.Node) bool {
		switch c.Kind() {
		case "identifier":
			t.identifier(c)
		case "member_access_expression":
			t.memberAccess(c)
		}
		return true
	})
}

// identifier handles a name: a startup.json row, or a builder variable.
func (t *translator) identifier(id *sitter.Node) {
	name := t.f.Text(id)
	if r := rowsByName[name]; r != nil {
		ev := event{node: id, problem: r.Comment,
			f: report.Finding{Message: r.Message, Action: r.Action, Ref: r.Ref}}
		t.events = append(t.events, ev)
	}
	b, ok := t.vars[name]
	if !ok || !expressionIdent(id) {
		return
	}
	parent := id.Parent()
	if parent.Kind() == "member_access_expression" {
		if e := parent.ChildByFieldName("expression"); e != nil && e.Equals(*id) {
			t.member(id, parent, b)
			return
		}
	}
	if b.kind == servicesAlias || b.kind == configAlias {
		if s, ok := t.heldExpr(b); ok {
			t.replace(id, s)
			return
		}
	}
	if parent.Kind() == "return_statement" && b.target == name && (b.kind == hostBuilder || b.kind == configBuilder) {
		return // a helper returning its own parameter, whose type changed with it
	}
	if t.passedToHelper(id) {
		if t.m.form == ApplicationBuilder {
			t.replace(id, b.target)
			return
		}
		// Host-builder form: the helper now takes what the builder held.
		if s, ok := t.heldExpr(b); ok {
			t.replace(id, s)
			return
		}
	}
	t.problem(id, fmt.Sprintf("the code uses the in-process %s %s directly", kindName(b.kind), name),
		"rewrite it against the worker's builder in Program.cs (builder.Services, builder.Configuration, builder.Environment)")
}

// member handles X.Name on a builder variable X.
func (t *translator) member(id, ma *sitter.Node, b binding) {
	name := t.f.Text(ma.ChildByFieldName("name"))
	if b.kind == hostBuilder || b.kind == configBuilder {
		if name == "GetContext" {
			if inv := ma.Parent(); inv != nil && inv.Kind() == "invocation_expression" {
				if _, ok := t.getContext(inv); ok {
					t.context(inv, b)
					return
				}
			}
		}
		if _, ok := t.m.plan.extensions[name]; ok {
			// The project's own extension method, rewritten in place for
			// the worker's builder (see rewriteExtensions).
			target, ok := b.target, true
			if t.m.form == HostBuilder {
				target, ok = t.heldExpr(b)
			}
			if ok {
				t.replace(id, target)
				return
			}
		}
	}
	switch b.kind {
	case hostBuilder:
		if name == "Services" {
			if s, ok := t.servicesExpr(b); ok {
				t.replace(ma, s)
				return
			}
		}
		if rowsByName[name] != nil {
			return // the row's finding says it better
		}
		t.problem(ma, fmt.Sprintf("%s.%s belongs to the in-process host builder: it configures the Functions host, which the isolated worker does not share", t.f.Text(id), name),
			fmt.Sprintf("register the isolated-worker equivalent of %s in Program.cs (check the library's docs for the isolated worker), and move extension options to host.json", name))
		return
	case configBuilder:
		if name == "ConfigurationBuilder" {
			if s, ok := t.configExpr(b); ok {
				t.replace(ma, s)
				return
			}
		}
	case hostContext:
		if s, ok := t.contextMember(ma, name, b); ok {
			t.replace(ma, s)
			return
		}
	case servicesAlias, configAlias:
		if s, ok := t.heldExpr(b); ok {
			t.replace(id, s)
			return
		}
	}
	t.problem(ma, fmt.Sprintf("%s.%s has no isolated-worker equivalent", t.f.Text(id), name),
		"rewrite it against the worker's builder in Program.cs (builder.Services, builder.Configuration, builder.Environment)")
}

// context handles builder.GetContext() used in place.
func (t *translator) context(inv *sitter.Node, b binding) {
	if p := inv.Parent(); p != nil && p.Kind() == "member_access_expression" {
		if s, ok := t.contextMember(p, t.f.Text(p.ChildByFieldName("name")), binding{hostContext, b.target, false}); ok && !b.direct {
			t.replace(p, s)
			return
		}
	}
	if t.passedToHelper(inv) && t.m.form == ApplicationBuilder {
		t.replace(inv, b.target)
		return
	}
	action := "use builder.Configuration, builder.Environment.EnvironmentName or builder.Environment.ContentRootPath in Program.cs"
	if t.m.form == HostBuilder {
		action = "pass what it needs in as a parameter: context.Configuration and context.HostingEnvironment inside ConfigureServices((context, services) => …) in Program.cs"
	}
	t.problem(inv, "the in-process FunctionsHostBuilderContext is used in a way the worker's builder cannot stand for", action)
}

// contextMember maps a FunctionsHostBuilderContext member (§5.3).
func (t *translator) contextMember(at *sitter.Node, name string, b binding) (string, bool) {
	ctx := "context" // ConfigureServices((context, services) => …)
	if t.sec == secConfig {
		ctx = "hostContext" // ConfigureAppConfiguration((hostContext, config) => …)
	}
	form := t.m.form
	if form == HostBuilder && t.sec != secConfig && t.sec != secServices {
		return "", false
	}
	switch name {
	case "Configuration":
		if form == ApplicationBuilder {
			return b.target + ".Configuration", true
		}
		return ctx + ".Configuration", true
	case "EnvironmentName":
		if form == ApplicationBuilder {
			return b.target + ".Environment.EnvironmentName", true
		}
		return ctx + ".HostingEnvironment.EnvironmentName", true
	case "ApplicationRootPath":
		if !t.m.rootPathNoted {
			t.m.rootPathNoted = true
			t.events = append(t.events, event{node: at, f: report.Finding{
				Message:  "ApplicationRootPath became the worker's ContentRootPath: the folder the worker runs from, which holds the build output",
				Action:   "check that files read relative to it (appsettings.json and the like) are copied to the output folder (CopyToOutputDirectory)",
				Ref:      "MAPPING.md §5.3",
				Severity: report.SeverityNote}})
		}
		if form == ApplicationBuilder {
			return b.target + ".Environment.ContentRootPath", true
		}
		return ctx + ".HostingEnvironment.ContentRootPath", true
	}
	return "", false
}

// heldExpr is the worker expression for what a variable holds: the service
// collection for a host builder or a services alias, the configuration
// builder for a configuration builder or its alias.
func (t *translator) heldExpr(b binding) (string, bool) {
	switch b.kind {
	case hostBuilder, servicesAlias:
		return t.servicesExpr(b)
	case configBuilder, configAlias:
		return t.configExpr(b)
	}
	return "", false
}

func (t *translator) servicesExpr(b binding) (string, bool) {
	if b.direct {
		return b.target, b.kind == hostBuilder || b.kind == servicesAlias
	}
	if t.m.form == ApplicationBuilder {
		return b.target + ".Services", true
	}
	return "services", t.sec == secServices
}

func (t *translator) configExpr(b binding) (string, bool) {
	if b.direct {
		return b.target, b.kind == configBuilder || b.kind == configAlias
	}
	if t.m.form == ApplicationBuilder {
		return b.target + ".Configuration", true
	}
	return "config", t.sec == secConfig
}

// passedToHelper reports whether n is an argument of a call to one of the
// Startup's own methods, which move along and take the new builder.
func (t *translator) passedToHelper(n *sitter.Node) bool {
	arg := n.Parent()
	if arg == nil || arg.Kind() != "argument" || arg.NamedChildCount() != 1 {
		return false
	}
	inv := arg.Parent().Parent()
	if inv == nil || inv.Kind() != "invocation_expression" {
		return false
	}
	fn := inv.ChildByFieldName("function")
	switch fn.Kind() {
	case "identifier":
		_, ok := t.m.methods[t.f.Text(fn)]
		return ok
	case "member_access_expression":
		_, ok := t.m.methods[t.f.Text(fn.ChildByFieldName("name"))]
		return ok && t.ownQualifier(fn.ChildByFieldName("expression"))
	}
	return false
}

// ownQualifier reports whether e is `this` or the Startup class's name.
func (t *translator) ownQualifier(e *sitter.Node) bool {
	return e != nil && (e.Kind() == "this" || (e.Kind() == "identifier" && t.f.Text(e) == t.m.class.name))
}

// memberAccess drops `this.` and `Startup.` before the class's own members,
// which are locals and local functions now.
func (t *translator) memberAccess(ma *sitter.Node) {
	e := ma.ChildByFieldName("expression")
	name := ma.ChildByFieldName("name")
	if name == nil || !t.ownQualifier(e) || !t.m.members[t.f.Text(name)] {
		return
	}
	t.edits = append(t.edits, edit.Edit{Start: int(ma.StartByte()), End: int(name.StartByte())})
}

func (t *translator) replace(n *sitter.Node, s string) {
	t.edits = append(t.edits, edit.Edit{Start: int(n.StartByte()), End: int(n.EndByte()), New: s})
}

func (t *translator) problem(n *sitter.Node, msg, action string) {
	t.events = append(t.events, event{node: n, problem: true,
		f: report.Finding{Message: msg, Action: action, Ref: "MAPPING.md §5.3, §8 item 8"}})
}

func kindName(k varKind) string {
	switch k {
	case hostBuilder:
		return "host builder"
	case configBuilder:
		return "configuration builder"
	case hostContext:
		return "host builder context"
	case servicesAlias:
		return "service collection"
	}
	return "configuration builder"
}

// expressionIdent reports whether an identifier is a use of a variable,
// not a member name, a declaration or an initializer's property name.
func expressionIdent(id *sitter.Node) bool {
	p := id.Parent()
	if p == nil {
		return false
	}
	switch p.Kind() {
	case "member_access_expression", "conditional_access_expression":
		if n := p.ChildByFieldName("name"); n != nil && n.Equals(*id) {
			return false
		}
	case "variable_declarator", "parameter", "catch_declaration", "local_function_statement", "declaration_expression", "generic_name", "qualified_name", "type_parameter", "argument":
		if n := p.ChildByFieldName("name"); n != nil && n.Equals(*id) {
			return false
		}
		if p.Kind() == "generic_name" || p.Kind() == "qualified_name" || p.Kind() == "type_parameter" {
			return false
		}
	case "assignment_expression":
		if gp := p.Parent(); gp != nil && gp.Kind() == "initializer_expression" {
			if l := p.ChildByFieldName("left"); l != nil && l.Equals(*id) {
				return false
			}
		}
	case "foreach_statement":
		if l := p.ChildByFieldName("left"); l != nil && l.Equals(*id) {
			return false
		}
	}
	return true
}
