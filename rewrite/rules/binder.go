package rules

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"

	sitter "github.com/tree-sitter/go-tree-sitter"

	"github.com/funcmigrate/funcmigrate/rewrite"
	"github.com/funcmigrate/funcmigrate/rewrite/cs"
)

// Binder reports each imperative binding with what replaces it.
var Binder = &rewrite.Rule{
	Name: "cs-binder",
	Doc: `say what replaces each IBinder and Binder imperative binding

The isolated worker has no imperative bindings: an IBinder or Binder
parameter cannot be bound, and the migration guide says to remove it and use
the service's SDK client instead. Every BindAsync or Bind call on such a
parameter gets a finding at its line that quotes the binding attribute as
written (also when it is built in a local of the same function or passed
with a StorageAccount attribute in an array) and names the client to inject,
its package, the Program.cs registration with AddAzureClients and the
connection setting to read. A binder passed to another method, and any other
use, is reported where it happens, and the parameter itself gets a summary:
it must go once its uses are replaced. Nothing is rewritten, since the
bodies still use the binder.`,
	Ref: "MAPPING.md §4.8",
	URL: "https://learn.microsoft.com/azure/azure-functions/migrate-dotnet-to-isolated-model",
	Run: runBinder,
}

//go:embed binder.json
var binderJSON []byte

// A binderRow says what replaces an imperative binding of one attribute.
type binderRow struct {
	Attribute         string   `json:"attribute"`
	Ref               string   `json:"ref"`
	Client            string   `json:"client"`
	Package           string   `json:"package"`
	Register          string   `json:"register"`
	RegisterPackage   string   `json:"registerPackage"`
	Use               string   `json:"use"`
	Connection        []string `json:"connection"`
	Account           string   `json:"account"`
	DefaultConnection string   `json:"defaultConnection"`
	Source            string   `json:"source"`
}

var binderRows = func() map[string]*binderRow {
	var t struct {
		Bindings []*binderRow `json:"bindings"`
	}
	if err := json.Unmarshal(binderJSON, &t); err != nil {
		panic(fmt.Sprintf("rules: binder.json: %v", err))
	}
	rows := map[string]*binderRow{}
	for _, r := range t.Bindings {
		if r.Attribute == "" || r.Client == "" || r.Package == "" || r.Register == "" || !strings.HasPrefix(r.Ref, "MAPPING.md §") {
			panic(fmt.Sprintf("rules: binder.json: row %q lacks attribute, client, package, register or a MAPPING.md ref", r.Attribute))
		}
		rows[r.Attribute] = r
	}
	return rows
}()

// A binderParam is a function parameter of type IBinder or Binder that the
// body uses, with those uses in source order.
type binderParam struct {
	param *cs.Param
	uses  []binderUse
}

type binderUseKind int

const (
	binderCall   binderUseKind = iota // binder.BindAsync<T>(…) or binder.Bind<T>(…)
	binderPassed                      // passed as an argument to a method or constructor
	binderOther                       // anything else
)

type binderUse struct {
	kind binderUseKind
	node *sitter.Node // the invocation for a call, else the identifier
	to   string       // binderPassed: the method or "new Type" it is passed to
}

// binderParams returns fn's IBinder/Binder parameters that the body uses.
// An unused one is left to the leftover rule, which reports the type.
func binderParams(m *cs.Model, fn *cs.Function) []*binderParam {
	f := m.File
	var out []*binderParam
	for _, prm := range fn.Params {
		if !isBinderType(m, prm.TypeText) || prm.Name == "" {
			continue
		}
		bp := &binderParam{param: prm}
		for _, id := range fn.BodyIdents {
			if f.Text(id) != prm.Name || !isVariableUse(m, id) {
				continue
			}
			if u := classifyBinderUse(m, id); u.to != "nameof" {
				bp.uses = append(bp.uses, u)
			}
		}
		if len(bp.uses) > 0 {
			out = append(out, bp)
		}
	}
	return out
}

// isBinderType reports whether t names the WebJobs IBinder or Binder: written
// qualified, or unqualified in a file that imports an in-process namespace
// (the leftover rule's test, so both rules agree on what is WebJobs').
func isBinderType(m *cs.Model, t string) bool {
	if name := simpleTypeName(t); name != "IBinder" && name != "Binder" {
		return false
	}
	t = strings.TrimPrefix(t, "global::")
	return strings.HasPrefix(t, "Microsoft.Azure.WebJobs.") || !strings.Contains(t, ".") && importsInProcess(m)
}

func classifyBinderUse(m *cs.Model, id *sitter.Node) binderUse {
	f := m.File
	par := m.Parent(id)
	switch {
	case par == nil:
	case par.Kind() == "member_access_expression":
		if recv := par.ChildByFieldName("expression"); recv == nil || recv.Id() != id.Id() {
			break
		}
		name, _ := binderMethod(f, par.ChildByFieldName("name"))
		call := m.Parent(par)
		if (name == "BindAsync" || name == "Bind") && call != nil && call.Kind() == "invocation_expression" {
			if fn := call.ChildByFieldName("function"); fn != nil && fn.Id() == par.Id() {
				return binderUse{kind: binderCall, node: call}
			}
		}
	case par.Kind() == "argument":
		if list := m.Parent(par); list != nil && list.Kind() == "argument_list" {
			if callee := m.Parent(list); callee != nil {
				switch callee.Kind() {
				case "invocation_expression":
					if fn := callee.ChildByFieldName("function"); fn != nil {
						return binderUse{kind: binderPassed, node: id, to: binderOneLine(f.Text(fn))}
					}
				case "object_creation_expression":
					if t := callee.ChildByFieldName("type"); t != nil {
						return binderUse{kind: binderPassed, node: id, to: "new " + binderOneLine(f.Text(t))}
					}
				}
			}
		}
	}
	return binderUse{kind: binderOther, node: id}
}

// binderMethod returns a member name and its type arguments as written:
// BindAsync<TextWriter> → "BindAsync", "TextWriter".
func binderMethod(f *cs.File, n *sitter.Node) (name, typeArgs string) {
	if n == nil {
		return "", ""
	}
	if n.Kind() != "generic_name" {
		return f.Text(n), ""
	}
	for i := uint(0); i < n.NamedChildCount(); i++ {
		switch ch := n.NamedChild(i); ch.Kind() {
		case "identifier":
			name = f.Text(ch)
		case "type_argument_list":
			typeArgs = strings.TrimSuffix(strings.TrimPrefix(binderOneLine(f.Text(ch)), "<"), ">")
		}
	}
	return name, typeArgs
}

// binderHandles reports whether identifier id lies in an IBinder/Binder
// parameter or a binding call this rule reports, so that the leftover rule
// does not report the same code (IBinder, IAsyncCollector<T> in BindAsync<…>).
func binderHandles(m *cs.Model, id *sitter.Node) bool {
	for _, fn := range functionsAround(m, id) {
		if fn.Body == nil {
			continue
		}
		for _, bp := range binderParams(m, fn) {
			if within(id, bp.param.Node) {
				return true
			}
			for _, u := range bp.uses {
				if u.kind == binderCall && within(id, u.node) {
					return true
				}
			}
		}
	}
	return false
}

func runBinder(p *rewrite.Pass) {
	for _, fn := range p.Model.Functions {
		for _, bp := range binderParams(p.Model, fn) {
			name, typ := bp.param.Name, simpleTypeName(bp.param.TypeText)
			var calls, passed, other int
			for _, u := range bp.uses {
				switch u.kind {
				case binderCall:
					calls++
				case binderPassed:
					passed++
				default:
					other++
				}
			}
			var parts []string
			if calls > 0 {
				parts = append(parts, countPhrase(calls, "imperative binding", "imperative bindings")+" to replace")
			}
			if passed > 0 {
				parts = append(parts, countPhrase(passed, "call that passes it on", "calls that pass it on"))
			}
			if other > 0 {
				parts = append(parts, countPhrase(other, "other use", "other uses"))
			}
			p.Report(int(bp.param.Node.StartByte()), true,
				fmt.Sprintf("%s %s cannot be bound by the isolated worker (%s)", typ, name, strings.Join(parts, ", ")),
				fmt.Sprintf("replace each use of %s as its TODO says, then remove the parameter (MAPPING.md §4.8)", name))
			for _, u := range bp.uses {
				switch u.kind {
				case binderCall:
					reportBinderCall(p, fn, u.node)
				case binderPassed:
					p.Report(int(u.node.StartByte()), true,
						fmt.Sprintf("%s %s is passed to %s; the bindings made there are not followed", typ, name, u.to),
						fmt.Sprintf("give %s the SDK clients it needs, injected with AddAzureClients in Program.cs, instead of the %s (MAPPING.md §4.8)", u.to, typ))
				default:
					p.Report(int(u.node.StartByte()), true,
						fmt.Sprintf("%s %s is used in a way funcmigrate does not follow", typ, name),
						fmt.Sprintf("rewrite this without %s: the parameter goes once its bindings use injected SDK clients (MAPPING.md §4.8)", name))
				}
			}
		}
	}
}

// countPhrase writes n with the singular or plural phrase.
func countPhrase(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// A boundAttr is one `new XAttribute(…) { … }` passed to a binder.
type boundAttr struct {
	name   string            // without the Attribute suffix
	args   string            // positional and named arguments as written, one line
	pos    []string          // positional (constructor) argument texts
	named  map[string]string // property or ctor-label name → value text
	quoted string            // "Blob(\"p\", FileAccess.Write)"
}

func reportBinderCall(p *rewrite.Pass, fn *cs.Function, call *sitter.Node) {
	f := p.File
	access := call.ChildByFieldName("function")
	recv := access.ChildByFieldName("expression")
	method, typeArgs := binderMethod(f, access.ChildByFieldName("name"))
	what := f.Text(recv) + "." + method
	if typeArgs != "" {
		what += "<" + typeArgs + ">"
	}
	at := int(call.StartByte())
	const noBinding = "; the isolated worker has no imperative bindings"
	args := callArgs(call)
	var expr *sitter.Node
	if len(args) > 0 {
		expr = binderLastChild(args[0])
	}
	attrs, held, ok := resolveBinderAttrs(p.Model, fn, expr)
	if !ok {
		where := "an attribute that could not be resolved (it is not written as new …Attribute(…) or an array of them)"
		if held != "" {
			where = "the attribute in " + held + ", which could not be resolved (it is not created with new …Attribute(…) in this function)"
		}
		p.Report(at, true, what+" binds "+where+noBinding,
			"inject the SDK client of that binding, registered with AddAzureClients in Program.cs, instead (MAPPING.md §4.8)")
		return
	}
	quoted := make([]string, len(attrs))
	for i, a := range attrs {
		quoted[i] = a.quoted
	}
	msg := what + " binds [" + strings.Join(quoted, ", ") + "]" + noBinding

	// The binding is the first attribute with a row; the others can only
	// supply its connection ([StorageAccount], [ServiceBusAccount]).
	var bind *boundAttr
	var row *binderRow
	for _, a := range attrs {
		if r := binderRows[a.name]; r != nil {
			bind, row = a, r
			break
		}
	}
	if row == nil {
		p.Report(at, true, msg, fmt.Sprintf("no SDK mapping is known for [%s]: call its service's SDK through a client registered in Program.cs, or write a worker extension (MAPPING.md §4.8, §8 item 1)", attrs[0].name))
		return
	}
	action := fmt.Sprintf("inject %s (package %s): register it in Program.cs with %s", row.Client, row.Package, expandRegister(row, bind, attrs, outerAccount(p, fn, row)))
	if row.RegisterPackage != "" {
		action += " (package " + row.RegisterPackage + ")"
	}
	action += " and use " + row.Use + " (MAPPING.md §4.8, " + strings.TrimPrefix(row.Ref, "MAPPING.md ") + ")"
	p.Report(at, true, msg, action)
}

var binderPlaceholder = regexp.MustCompile(`\{[A-Za-z0-9]+\}`)

// expandRegister fills row.Register's placeholders from the binding.
func expandRegister(row *binderRow, bind *boundAttr, attrs []*boundAttr, outer string) string {
	return binderPlaceholder.ReplaceAllStringFunc(row.Register, func(ph string) string {
		name := ph[1 : len(ph)-1]
		switch name {
		case "conn":
			return bindingConnection(row, bind, attrs, outer)
		case "arg0":
			if len(bind.pos) > 0 {
				return bind.pos[0]
			}
			return `"<name>"`
		}
		if v, ok := bind.named[name]; ok {
			return v
		}
		return `"<` + name + `>"`
	})
}

// bindingConnection returns the connection setting of a binding as written:
// its own connection property, else the account attribute passed with it,
// else outer (an account attribute on the method or class), else the
// binding's default, else a placeholder.
func bindingConnection(row *binderRow, bind *boundAttr, attrs []*boundAttr, outer string) string {
	for _, c := range row.Connection {
		if v, ok := bind.named[c]; ok {
			return v
		}
	}
	if row.Account != "" {
		for _, a := range attrs {
			if a.name == row.Account && len(a.pos) > 0 {
				return a.pos[0]
			}
		}
	}
	if outer != "" {
		return outer
	}
	if row.DefaultConnection != "" {
		return `"` + row.DefaultConnection + `"`
	}
	return `"<connection setting>"`
}

// outerAccount returns the setting of the row's account attribute
// ([StorageAccount], [ServiceBusAccount]) on the function method or, failing
// that, its class: they supply the connection of bindings that set none
// (MAPPING.md §3.6).
func outerAccount(p *rewrite.Pass, fn *cs.Function, row *binderRow) string {
	if row.Account == "" {
		return ""
	}
	holders := []*sitter.Node{fn.Node}
	if fn.Class != nil {
		holders = append(holders, fn.Class.Node)
	}
	for _, h := range holders {
		for _, a := range attrsOn(p.Model, h) {
			if a.Name != row.Account {
				continue
			}
			if pos := a.Positional(); len(pos) == 1 && pos[0].Value != nil {
				return p.File.Text(pos[0].Value)
			}
		}
	}
	return ""
}

// resolveBinderAttrs returns the attributes expr creates: `new XAttribute(…)`,
// an array of them, or a local of the function initialised with either.
// held names the local when expr is one.
func resolveBinderAttrs(m *cs.Model, fn *cs.Function, expr *sitter.Node) (attrs []*boundAttr, held string, ok bool) {
	f := m.File
	if expr == nil {
		return nil, "", false
	}
	if expr.Kind() == "identifier" {
		held = f.Text(expr)
		init := localInit(m, fn, held)
		if init == nil {
			return nil, held, false
		}
		expr = init
	}
	var creations []*sitter.Node
	switch expr.Kind() {
	case "object_creation_expression":
		creations = []*sitter.Node{expr}
	case "array_creation_expression", "implicit_array_creation_expression", "initializer_expression":
		list := expr
		if expr.Kind() != "initializer_expression" {
			list = nil
			for i := uint(0); i < expr.NamedChildCount(); i++ {
				if ch := expr.NamedChild(i); ch.Kind() == "initializer_expression" {
					list = ch
				}
			}
		}
		if list == nil {
			return nil, held, false
		}
		for i := uint(0); i < list.NamedChildCount(); i++ {
			creations = append(creations, list.NamedChild(i))
		}
	default:
		return nil, held, false
	}
	for _, c := range creations {
		a := boundAttribute(f, c)
		if a == nil {
			return nil, held, false
		}
		attrs = append(attrs, a)
	}
	return attrs, held, len(attrs) > 0
}

// localInit returns the initializer of the single local called name declared
// in fn's body, or nil when there is none, several, or it is assigned again.
func localInit(m *cs.Model, fn *cs.Function, name string) *sitter.Node {
	f := m.File
	var init *sitter.Node
	decls := 0
	for _, id := range fn.BodyIdents {
		if f.Text(id) != name {
			continue
		}
		par := m.Parent(id)
		switch {
		case par == nil:
		case par.Kind() == "variable_declarator":
			if n := par.ChildByFieldName("name"); n == nil || n.Id() != id.Id() {
				continue
			}
			decls++
			init = declaratorInit(par)
		case par.Kind() == "assignment_expression":
			if l := par.ChildByFieldName("left"); l != nil && l.Id() == id.Id() {
				return nil // reassigned: the value at the call is not known
			}
		}
	}
	if decls != 1 {
		return nil
	}
	return init
}

// boundAttribute reads `new XAttribute(args) { P = v }`; nil if c is not an
// object creation of a type named …Attribute.
func boundAttribute(f *cs.File, c *sitter.Node) *boundAttr {
	if c.Kind() != "object_creation_expression" {
		return nil
	}
	t := c.ChildByFieldName("type")
	if t == nil {
		return nil
	}
	name := strings.TrimPrefix(f.Text(t), "global::")
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		name = name[i+1:]
	}
	if !strings.HasSuffix(name, "Attribute") || strings.ContainsAny(name, "<>") {
		return nil
	}
	a := &boundAttr{name: strings.TrimSuffix(name, "Attribute"), named: map[string]string{}}
	var texts []string
	if list := c.ChildByFieldName("arguments"); list != nil {
		for i := uint(0); i < list.NamedChildCount(); i++ {
			arg := list.NamedChild(i)
			if arg.Kind() != "argument" {
				continue
			}
			val := binderLastChild(arg)
			if val == nil {
				return nil
			}
			texts = append(texts, binderOneLine(f.Text(arg)))
			if label := arg.ChildByFieldName("name"); label != nil {
				a.named[f.Text(label)] = binderOneLine(f.Text(val))
			}
			a.pos = append(a.pos, binderOneLine(f.Text(val)))
		}
	}
	if init := c.ChildByFieldName("initializer"); init != nil {
		for i := uint(0); i < init.NamedChildCount(); i++ {
			as := init.NamedChild(i)
			if as.Kind() != "assignment_expression" {
				continue
			}
			l, r := as.ChildByFieldName("left"), as.ChildByFieldName("right")
			if l == nil || r == nil {
				continue
			}
			texts = append(texts, binderOneLine(f.Text(as)))
			a.named[f.Text(l)] = binderOneLine(f.Text(r))
		}
	}
	a.args = strings.Join(texts, ", ")
	a.quoted = a.name
	if a.args != "" {
		a.quoted += "(" + a.args + ")"
	}
	return a
}

func binderLastChild(n *sitter.Node) *sitter.Node {
	if n.NamedChildCount() == 0 {
		return nil
	}
	return n.NamedChild(n.NamedChildCount() - 1)
}

var binderLineBreak = regexp.MustCompile(`[ \t]*\r?\n\s*`)

// binderOneLine joins code written over several lines with single spaces; the
// spacing inside a line stays as written.
func binderOneLine(s string) string {
	return binderLineBreak.ReplaceAllString(strings.TrimSpace(s), " ")
}
