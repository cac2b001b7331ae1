package rules

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"unicode"

	sitter "github.com/tree-sitter/go-tree-sitter"

	"github.com/funcmigrate/funcmigrate/internal/apifacts"
	"github.com/funcmigrate/funcmigrate/rewrite"
	"github.com/funcmigrate/funcmigrate/rewrite/cs"
	"github.com/funcmigrate/funcmigrate/rewrite/edit"
)

//go:embed bindings.json
var bindingsJSON []byte

// A bindingRow is one in-process binding attribute and what it becomes.
type bindingRow struct {
	Name      string `json:"name"`
	Ref       string `json:"ref"`
	Package   string `json:"package"`
	Namespace string `json:"namespace"` // isolated namespace when not Microsoft.Azure.Functions.Worker
	Account   string `json:"account"`   // "storage" or "servicebus"
	Trigger   string `json:"trigger"`
	Input     string `json:"input"`
	Output    string `json:"output"`
	Direction string `json:"direction"` // "blob": FileAccess and stream kinds decide
	Batch     *struct {
		Default bool `json:"default"`
	} `json:"batch"`
	Renames        map[string]string `json:"renames"`
	Drop           []droppedArg      `json:"drop"`
	Types          []typeNote        `json:"types"`
	Retype         map[string]string `json:"retype"`
	StringThirdArg string            `json:"stringThirdArg"`
	Values         map[string]string `json:"values"`
	Metadata       []string          `json:"metadata"`
	SDKTypes       []string          `json:"sdkTypes"`
	Array          bool              `json:"array"` // the output binds T[] for several items
}

type droppedArg struct {
	Arg    string `json:"arg"` // property or label name, or "#N" for the Nth (0-based) positional argument
	Silent bool   `json:"silent"`
	Why    string `json:"why"`
	Do     string `json:"do"` // what to do instead; a generic hint when empty
}

type typeNote struct {
	Type       string   `json:"type"`
	Namespaces []string `json:"namespaces"` // only when the file imports one of these
	Use        string   `json:"use"`
	Why        string   `json:"why"`
	Ref        string   `json:"ref"`
}

type bindingTable struct {
	Bindings []*bindingRow `json:"bindings"`
	Retries  struct {
		Ref        string   `json:"ref"`
		Attributes []string `json:"attributes"`
		Triggers   []string `json:"triggers"`
	} `json:"retries"`
	Accounts map[string]string `json:"accounts"`

	byName map[string]*bindingRow
	api    map[string]apifacts.Attribute
}

var bindings = loadBindings()

func loadBindings() *bindingTable {
	var t bindingTable
	dec := json.NewDecoder(strings.NewReader(string(bindingsJSON)))
	if err := dec.Decode(&t); err != nil {
		panic(fmt.Sprintf("rules: bindings.json: %v", err))
	}
	api, err := apifacts.Attributes()
	if err != nil {
		panic(err)
	}
	t.api = api
	t.byName = map[string]*bindingRow{}
	for _, r := range t.Bindings {
		t.byName[r.Name] = r
	}
	return &t
}

// target is the isolated attribute a use of row becomes in direction dir.
func (r *bindingRow) target(dir string) string {
	switch dir {
	case "trigger":
		return r.Trigger
	case "input":
		return r.Input
	}
	return r.Output
}

// direction decides whether an attribute use is a trigger, an input or an
// output (MAPPING.md §3.0 rule 3).
func direction(f *cs.File, a *cs.Attribute, r *bindingRow) string {
	switch {
	case r.Trigger != "":
		return "trigger"
	case r.Input == "":
		return "output"
	case r.Output == "":
		return "input"
	case a.Target == "return":
		return "output"
	case a.Param == nil:
		return "input"
	case a.Param.Modifier == "out" || isCollector(a.Param.TypeText):
		return "output"
	}
	if r.Direction == "blob" {
		switch access := blobAccess(f, a); {
		case access == "Write":
			return "output"
		case access == "" && simpleTypeName(a.Param.TypeText) == "TextWriter":
			return "output"
		}
	}
	return "input"
}

func isCollector(t string) bool {
	switch simpleTypeName(t) {
	case "ICollector", "IAsyncCollector":
		return true
	}
	return false
}

// blobAccess returns the FileAccess member a [Blob] names ("Read",
// "Write", "ReadWrite") or "".
func blobAccess(f *cs.File, a *cs.Attribute) string {
	for i, arg := range a.Args {
		if arg.Value == nil || !(arg.Name == "Access" || (arg.Name == "" && i == 1) || (arg.Colon && arg.Name == "access")) {
			continue
		}
		v := f.Text(arg.Value)
		if j := strings.LastIndexByte(v, '.'); j >= 0 {
			v = v[j+1:]
		}
		return v
	}
	return ""
}

// isBatch reports whether a parameter type receives many events at once.
func isBatch(t string) bool {
	t = strings.TrimSuffix(strings.ReplaceAll(t, " ", ""), "?")
	if elem, ok := strings.CutSuffix(t, "[]"); ok {
		return elem != "byte" && elem != "System.Byte"
	}
	switch simpleTypeName(t) {
	case "List", "IList", "IEnumerable", "ICollection", "IReadOnlyList", "IReadOnlyCollection":
		return true
	}
	return false
}

// argPlan is the rewrite of one attribute's arguments into its target's.
type argPlan struct {
	edits    []edit.Edit // against the file, all inside the attribute
	problems []argProblem
	ok       bool // false: the arguments cannot be carried over; leave the attribute
}

type argProblem struct {
	off       int
	what, why string
	do        string // for a dropped argument: what to do instead
	ref       string
	dropped   bool
}

// planArgs carries an attribute's arguments over to target: labels and
// properties renamed by the row, arguments with no equivalent dropped (and
// reported unless silent), extra named arguments appended. Every named
// argument left must be settable on the target and the positional ones must
// fit one of its constructors (worker API facts).
func planArgs(f *cs.File, a *cs.Attribute, r *bindingRow, target string, extra []string) argPlan {
	api, ok := bindings.api[target]
	if !ok {
		return argPlan{problems: []argProblem{{off: int(a.Node.StartByte()), what: "[" + target + "]", why: "the binding table names an attribute the worker API does not have"}}}
	}
	var plan argPlan
	drop := map[int]bool{}
	pos := 0
	named := map[string]bool{}
	for i, arg := range a.Args {
		positional := arg.Name == "" || arg.Colon
		key := arg.Name
		if positional {
			key = fmt.Sprintf("#%d", pos)
			pos++
		}
		if d := r.dropRule(key, arg.Name); d != nil {
			drop[i] = true
			if !d.Silent {
				plan.problems = append(plan.problems, argProblem{off: int(arg.Node.StartByte()), what: argLabel(f, arg), why: d.Why, do: d.Do, ref: r.Ref, dropped: true})
			}
			continue
		}
		if arg.Name == "" && arg.Value != nil && strings.Contains(f.Text(arg.Value), "AccessRights.") {
			drop[i] = true
			plan.problems = append(plan.problems, argProblem{off: int(arg.Node.StartByte()), what: f.Text(arg.Value), why: "the Functions 1.x AccessRights argument does not exist in the isolated worker",
				do: "nothing: the rights now come from the connection's access policy", ref: r.Ref, dropped: true})
			continue
		}
		if arg.Value != nil {
			v := f.Text(arg.Value)
			for from, to := range r.Values {
				if strings.HasPrefix(v, from) {
					plan.edits = append(plan.edits, replace(arg.Value, to+strings.TrimPrefix(v, from)))
					break
				}
			}
		}
		name := arg.Name
		if n, ok := r.Renames[name]; ok && name != "" {
			name = n
			plan.edits = append(plan.edits, replace(arg.NameNode, n))
		}
		switch {
		case arg.Name == "":
		case arg.Colon:
			if !api.HasParam(name) {
				return argPlan{problems: []argProblem{{off: int(arg.Node.StartByte()), what: argLabel(f, arg), why: "[" + target + "] has no constructor parameter " + name}}}
			}
		case !slices.Contains(api.Settable, name):
			drop[i] = true
			plan.problems = append(plan.problems, argProblem{off: int(arg.Node.StartByte()), what: argLabel(f, arg), why: "[" + target + "] has no property " + name, ref: r.Ref, dropped: true})
			continue
		default:
			named[name] = true
		}
	}
	if r.StringThirdArg != "" && target == r.Input {
		// In-process had a (text, connection, parameters) overload; the
		// isolated third parameter is the CommandType (MAPPING.md §3.17).
		if p := a.Positional(); len(p) == 3 && !p[2].Colon && p[2].Value != nil {
			switch v := p[2].Value; {
			case isStringExpr(v.Kind()):
				plan.edits = append(plan.edits, insertAt(int(p[2].Node.StartByte()), r.StringThirdArg+": "))
			case !strings.Contains(f.Text(v), "CommandType."):
				return argPlan{problems: []argProblem{{off: int(p[2].Node.StartByte()), what: f.Text(v),
					why: "cannot tell whether this third argument is the command type or the parameters string"}}}
			}
		}
	}
	// The arguments that remain must fit a constructor.
	remaining := 0
	for i, arg := range a.Args {
		if !drop[i] && (arg.Name == "" || arg.Colon) {
			remaining++
		}
	}
	if !api.Fits(remaining) {
		return argPlan{problems: []argProblem{{off: int(a.Node.StartByte()), what: "[" + a.Name + "]", why: fmt.Sprintf("[%s] has no constructor taking %d arguments", target, remaining)}}}
	}
	var items []*sitter.Node
	for _, arg := range a.Args {
		items = append(items, arg.Node)
	}
	plan.edits = append(plan.edits, removeListItems(items, drop)...)
	var add []string
	for _, x := range extra {
		if name, _, _ := strings.Cut(x, " ="); !named[name] && slices.Contains(api.Settable, name) {
			add = append(add, x)
		}
	}
	if len(add) > 0 {
		plan.edits = append(plan.edits, appendArgs(a, len(a.Args)-len(drop), add))
	}
	plan.ok = true
	return plan
}

// dropRule finds the drop entry for an argument by position ("#1") or by
// name; a `name:` label matches its property spelling too (access: Access).
func (r *bindingRow) dropRule(key, name string) *droppedArg {
	for i, d := range r.Drop {
		if d.Arg == key || (name != "" && strings.EqualFold(d.Arg, name)) {
			return &r.Drop[i]
		}
	}
	return nil
}

func argLabel(f *cs.File, arg *cs.Arg) string {
	return strings.Join(strings.Fields(f.Text(arg.Node)), " ")
}

// removeListItems deletes the items marked in drop from a comma-separated
// list, one edit per run of neighbours so the commas stay right.
func removeListItems(items []*sitter.Node, drop map[int]bool) []edit.Edit {
	var out []edit.Edit
	n := len(items)
	for i := 0; i < n; {
		if !drop[i] {
			i++
			continue
		}
		j := i
		for j+1 < n && drop[j+1] {
			j++
		}
		switch {
		case i > 0:
			out = append(out, edit.Edit{Start: int(items[i-1].EndByte()), End: int(items[j].EndByte())})
		case j < n-1:
			out = append(out, edit.Edit{Start: int(items[i].StartByte()), End: int(items[j+1].StartByte())})
		default:
			out = append(out, edit.Edit{Start: int(items[i].StartByte()), End: int(items[j].EndByte())})
		}
		i = j + 1
	}
	return out
}

// appendArgs adds named arguments at the end of an attribute's list.
func appendArgs(a *cs.Attribute, remaining int, args []string) edit.Edit {
	text := strings.Join(args, ", ")
	if a.ArgList == nil {
		return insertAt(int(a.Node.EndByte()), "("+text+")")
	}
	at := int(a.ArgList.EndByte()) - 1
	if remaining > 0 {
		text = ", " + text
	}
	return insertAt(at, text)
}

// argsText is the attribute's argument list with plan applied, for an
// attribute that moves elsewhere (an output onto a method or property).
func argsText(f *cs.File, a *cs.Attribute, plan argPlan) string {
	if a.ArgList == nil {
		var b strings.Builder
		for _, e := range plan.edits {
			b.WriteString(e.New)
		}
		return b.String()
	}
	start, end := int(a.ArgList.StartByte()), int(a.ArgList.EndByte())
	var local []edit.Edit
	for _, e := range plan.edits {
		local = append(local, edit.Edit{Start: e.Start - start, End: e.End - start, New: e.New})
	}
	out, err := edit.Apply(f.Src[start:end], local)
	if err != nil {
		panic(fmt.Sprintf("rules: argument plan for %s does not apply: %v", a.Name, err))
	}
	return string(out)
}

// accountFor returns the [StorageAccount]/[ServiceBusAccount] value that
// applies to a binding, with MAPPING.md §3.6 precedence: parameter, then
// method, then class.
func accountFor(p *rewrite.Pass, a *cs.Attribute, kind string) (string, bool) {
	var holders []*sitter.Node
	if a.Param != nil {
		holders = append(holders, a.Param.Node)
	}
	if a.Func != nil {
		holders = append(holders, a.Func.Node)
		if a.Func.Class != nil {
			holders = append(holders, a.Func.Class.Node)
		}
	}
	for _, h := range holders {
		for _, acc := range attrsOn(p.Model, h) {
			if bindings.Accounts[acc.Name] != kind {
				continue
			}
			if pos := acc.Positional(); len(pos) == 1 && pos[0].Value != nil {
				return p.File.Text(pos[0].Value), true
			}
		}
	}
	return "", false
}

// bindingExtras are the named arguments a binding gains: the folded account
// connection and the cardinality IsBatched needs.
func bindingExtras(p *rewrite.Pass, a *cs.Attribute, r *bindingRow, dir string) []string {
	var extra []string
	if r.Account != "" && a.Named("Connection") == nil && a.Named("ConnectionStringSetting") == nil {
		if acct, ok := accountFor(p, a, r.Account); ok {
			extra = append(extra, "Connection = "+acct)
		}
	}
	if dir == "trigger" && r.Batch != nil && a.Param != nil && a.Named("IsBatched") == nil {
		if batch := isBatch(a.Param.TypeText); batch != r.Batch.Default {
			extra = append(extra, fmt.Sprintf("IsBatched = %t", batch))
		}
	}
	return extra
}

// typeProblem returns the note for a parameter type that has no isolated
// binding as it is, or nil.
func typeProblem(p *rewrite.Pass, r *bindingRow, typeText string) *typeNote {
	names := []string{simpleTypeName(typeText)}
	if g := genericArg(typeText); g != "" {
		names = append(names, simpleTypeName(g))
	}
	if elem, ok := strings.CutSuffix(strings.TrimSpace(typeText), "[]"); ok {
		names = append(names, simpleTypeName(elem))
	}
	for i := range r.Types {
		n := &r.Types[i]
		for _, name := range names {
			if name != n.Type {
				continue
			}
			if len(n.Namespaces) > 0 && !importsAny(p.Model, typeText, n.Namespaces) {
				continue
			}
			return n
		}
	}
	return nil
}

// message says what is wrong with a parameter of type t, naming the type
// unless the reason already does (as a whole word).
func (n *typeNote) message(t string) string {
	for _, w := range strings.FieldsFunc(n.Why, func(r rune) bool { return !(r == '.' || r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r)) }) {
		if w == n.Type || strings.HasSuffix(w, "."+n.Type) {
			return n.Why
		}
	}
	return t + ": " + n.Why
}

func importsAny(m *cs.Model, typeText string, namespaces []string) bool {
	for _, ns := range namespaces {
		if strings.HasPrefix(typeText, ns+".") || hasUsing(m, ns) {
			return true
		}
	}
	return false
}
