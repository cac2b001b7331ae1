package rules

import (
	"slices"
	"strings"

	sitter "github.com/tree-sitter/go-tree-sitter"

	"github.com/funcmigrate/funcmigrate/rewrite"
	"github.com/funcmigrate/funcmigrate/rewrite/cs"
	"github.com/funcmigrate/funcmigrate/rewrite/edit"
)

// Bindings migrates trigger and input binding attributes in place.
var Bindings = &rewrite.Rule{
	Name: "cs-bindings",
	Doc: `migrate trigger and input binding attributes from the binding table

Every in-process binding attribute listed in bindings.json is migrated from
its row: triggers keep their name, inputs gain Input (a dual-use attribute
such as [Blob], [Table], [CosmosDB] or [Sql] is split by direction), argument
labels and properties are renamed (Cosmos DB v3 names become v4 names), and
arguments with no isolated equivalent are dropped and reported. Whatever is
left is checked against the worker API: a named argument the isolated
attribute lacks is never emitted. Batching triggers get IsBatched whenever
the parameter's cardinality differs from the isolated default (Event Hubs
batches by default; Service Bus, Event Grid and Kafka do not).
[StorageAccount] and [ServiceBusAccount] are folded into the Connection of
each binding they governed (parameter before method before class) and
removed. Retry attributes stay only on triggers that support them (AZFW0012).
Parameter types from retired SDKs are reported with their replacement, never
swapped silently. Outputs are left to cs-outputs.`,
	Ref: "MAPPING.md §3",
	URL: "https://learn.microsoft.com/azure/azure-functions/migrate-dotnet-to-isolated-model",
	Run: runBindings,
}

func runBindings(p *rewrite.Pass) {
	f := p.File
	namespaces := map[string]bool{}
	isolated := isolatedFunctions(p.Model)
	for _, a := range p.Model.Attributes {
		r := bindings.byName[a.Name]
		if r == nil {
			continue
		}
		if a.Func == nil {
			if isolated[methodOf(p.Model, a)] {
				continue // already an isolated [Function]
			}
			if importsInProcess(p.Model) || strings.HasPrefix(a.Qualifier, "Microsoft.Azure.WebJobs") {
				p.Report(int(a.Node.StartByte()), true, "["+a.Name+"] outside a function method is not migrated",
					"move the binding onto a function parameter or replace it with an SDK client ("+r.Ref+")")
			}
			continue
		}
		p.Need(r.Package)
		dir := direction(f, a, r)
		if dir == "output" {
			continue // cs-outputs
		}
		if a.Param != nil {
			if n := typeProblem(p, r, a.Param.TypeText); n != nil {
				p.Report(int(a.Param.Node.StartByte()), true, n.message(a.Param.TypeText), "use "+n.Use+" ("+n.Ref+")")
			}
			checkSDKType(p, a, r, dir)
		}
		if dir == "trigger" {
			checkTriggerMetadata(p, a, r)
			checkCompanionTypes(p, a, r)
		}
		target := r.target(dir)
		plan := planArgs(f, a, r, target, bindingExtras(p, a, r, dir))
		reportArgProblems(p, plan, -1)
		if !plan.ok {
			keepAccount(p, a, r)
			continue
		}
		edits := plan.edits
		if target != a.Name || a.Qualifier != "" || f.Text(a.NameNode) != target {
			edits = append(edits, replace(a.NameNode, target))
		}
		if a.Param != nil {
			if to, ok := r.Retype[simpleTypeName(a.Param.TypeText)]; ok {
				edits = append(edits, replace(a.Param.Type, to))
			}
		}
		p.Fix("Migrate ["+a.Name+"] to ["+target+"]", edits...)
		if r.Namespace != "" {
			namespaces[r.Namespace] = true
		}
	}
	for _, fn := range p.Model.Functions {
		for _, a := range fn.Params {
			for _, at := range a.Attrs {
				if r := bindings.byName[at.Name]; r != nil && r.Namespace != "" && direction(f, at, r) == "output" {
					namespaces[r.Namespace] = true
				}
			}
		}
		for _, at := range fn.MethodAttrs {
			if r := bindings.byName[at.Name]; r != nil && r.Namespace != "" {
				namespaces[r.Namespace] = true
			}
		}
	}
	for ns := range namespaces {
		if !hasUsing(p.Model, ns) {
			p.Fix("Import "+ns, insertUsingLine(f, p.Model, ns))
		}
	}
	removeAccounts(p)
	checkRetries(p)
}

// reportArgProblems turns a plan's problems into findings; at >= 0 moves
// them to that offset (for attributes that move away from their line).
func reportArgProblems(p *rewrite.Pass, plan argPlan, at int) {
	for _, pr := range plan.problems {
		off := pr.off
		if at >= 0 {
			off = at
		}
		if pr.dropped {
			do := pr.do
			if do == "" {
				do = "move this setting to host.json or the SDK client if it is still needed"
			}
			p.Report(off, true, pr.what+" was dropped: "+pr.why, do+" ("+pr.ref+")")
		} else {
			p.Report(off, true, pr.what+" is not migrated: "+pr.why, "migrate this binding by hand (MAPPING.md §3)")
		}
	}
}

// isolatedFunctions returns the ids of methods that carry [Function].
func isolatedFunctions(m *cs.Model) map[uintptr]bool {
	out := map[uintptr]bool{}
	for _, a := range m.Attributes {
		if h := m.Parent(a.List); a.Name == "Function" && h != nil && h.Kind() == "method_declaration" {
			out[h.Id()] = true
		}
	}
	return out
}

// methodOf returns the id of the method an attribute sits on (directly or
// on one of its parameters), or 0.
func methodOf(m *cs.Model, a *cs.Attribute) uintptr {
	for n := m.Parent(a.List); n != nil; n = m.Parent(n) {
		switch n.Kind() {
		case "method_declaration":
			return n.Id()
		case "parameter", "parameter_list":
			continue
		}
		return 0
	}
	return 0
}

// checkSDKType reports SDK client bindings the worker cannot serve as
// written: a trigger bound to a client cannot feed binding expressions
// (MAPPING.md §3.0 rule 7), and a container client needs a blob name in its
// path (§3.5).
func checkSDKType(p *rewrite.Pass, a *cs.Attribute, r *bindingRow, dir string) {
	f := p.File
	t := simpleTypeName(a.Param.TypeText)
	if !slices.Contains(r.SDKTypes, t) {
		return
	}
	switch {
	case dir == "trigger" && a.Func != nil:
		for _, prm := range a.Func.Params {
			for _, other := range prm.Attrs {
				if other == a || bindings.byName[other.Name] == nil || other.ArgList == nil {
					continue
				}
				if strings.Contains(f.Text(other.ArgList), "{") {
					p.Report(int(a.Param.Node.StartByte()), true,
						"the trigger binds the SDK type "+t+" while another binding's path uses trigger data; the isolated worker cannot combine the two",
						"bind the trigger to string, Stream or byte[], or build the other blob's name in code (MAPPING.md §3.0 rule 7)")
					return
				}
			}
		}
	case t == "BlobContainerClient":
		if pos := a.Positional(); len(pos) > 0 && pos[0].Value != nil && strings.HasPrefix(pos[0].Value.Kind(), "string") && !strings.Contains(f.Text(pos[0].Value), "/") {
			p.Report(int(a.Param.Node.StartByte()), true,
				"a BlobContainerClient input needs a blob name in its path in the isolated worker",
				"add a placeholder blob name to the path, e.g. \"container/placeholder.txt\" (MAPPING.md §3.5)")
		}
	}
}

// checkTriggerMetadata reports trigger metadata parameters that no longer
// bind by name (MAPPING.md §4.6, §4.10).
func checkTriggerMetadata(p *rewrite.Pass, a *cs.Attribute, r *bindingRow) {
	if a.Func == nil || len(r.Metadata) == 0 {
		return
	}
	for _, prm := range a.Func.Params {
		if len(prm.Attrs) > 0 || prm == a.Param {
			continue
		}
		for _, m := range r.Metadata {
			if strings.EqualFold(prm.Name, m) && simpleTypeName(prm.TypeText) != "string" {
				p.Report(int(prm.Node.StartByte()), true,
					"trigger metadata parameter "+prm.Name+" ("+prm.TypeText+") is not bound as a parameter by the isolated worker",
					"take a FunctionContext and read FunctionContext.BindingContext.BindingData[\""+m+"\"] ("+r.Ref+", §4.6)")
			}
		}
	}
}

// checkCompanionTypes reports parameters beside a trigger whose types the
// row says no longer bind (MessageReceiver, PartitionContext, ...): they carry
// no attribute of their own, so only the trigger's row knows them.
func checkCompanionTypes(p *rewrite.Pass, a *cs.Attribute, r *bindingRow) {
	if a.Func == nil {
		return
	}
	for _, prm := range a.Func.Params {
		if len(prm.Attrs) > 0 || prm == a.Param {
			continue
		}
		if n := typeProblem(p, r, prm.TypeText); n != nil {
			p.Report(int(prm.Node.StartByte()), true, n.message(prm.TypeText), "use "+n.Use+" ("+n.Ref+")")
		}
	}
}

// keepAccount writes the folded account into a binding that stays in
// place, so removing [StorageAccount] loses nothing (MAPPING.md §3.6).
func keepAccount(p *rewrite.Pass, a *cs.Attribute, r *bindingRow) {
	if r.Account == "" || a.Named("Connection") != nil {
		return
	}
	if acct, ok := accountFor(p, a, r.Account); ok {
		p.Fix("Keep the account on ["+a.Name+"]", appendArgs(a, len(a.Args), []string{"Connection = " + acct}))
	}
}

// removeAccounts deletes [StorageAccount] and [ServiceBusAccount]: their
// value now sits in each binding's Connection (MAPPING.md §3.6).
func removeAccounts(p *rewrite.Pass) {
	f := p.File
	for _, a := range p.Model.Attributes {
		if bindings.Accounts[a.Name] == "" {
			continue
		}
		if a.Param != nil && a.Param.Modifier == "out" && hasOutputBinding(f, a.Param) {
			continue // the parameter moves to the method, taking its account along
		}
		if a.Target == "assembly" || len(a.Positional()) != 1 {
			p.Report(int(a.Node.StartByte()), true, "["+a.Name+"] here is not folded into the bindings",
				"write the account's setting name into the Connection of each binding it applies to and remove the attribute (MAPPING.md §3.6)")
			continue
		}
		p.Fix("Remove ["+a.Name+"], now folded into Connection", removeAttribute(f, a))
	}
}

// removeAttribute deletes one attribute, or its whole list (and line) when
// it is the list's only attribute.
func removeAttribute(f *cs.File, a *cs.Attribute) edit.Edit {
	var attrs []*sitter.Node
	idx := -1
	for i := uint(0); i < a.List.NamedChildCount(); i++ {
		if ch := a.List.NamedChild(i); ch.Kind() == "attribute" {
			if ch.Id() == a.Node.Id() {
				idx = len(attrs)
			}
			attrs = append(attrs, ch)
		}
	}
	if len(attrs) == 1 {
		start, end := int(a.List.StartByte()), int(a.List.EndByte())
		// An attribute list before a parameter: take the space after it too.
		for end < len(f.Src) && f.Src[end] == ' ' {
			end++
		}
		return removeLine(f, start, end)
	}
	return removeListItems(attrs, map[int]bool{idx: true})[0]
}

// checkRetries keeps retry attributes only on functions whose trigger
// supports function-level retries (MAPPING.md §3.19, AZFW0012). The isolated
// attributes target methods only, so a class-level one is reported.
func checkRetries(p *rewrite.Pass) {
	for _, a := range p.Model.Attributes {
		if h := p.Model.Parent(a.List); slices.Contains(bindings.Retries.Attributes, a.Name) && h != nil && h.Kind() == "class_declaration" {
			p.Report(int(a.Node.StartByte()), true,
				"["+a.Name+"] on a class does not compile in the isolated worker: its retry attributes target methods only",
				"put the attribute on each function whose trigger supports retries (Timer, Event Hubs, Cosmos DB, Kafka) and remove it here ("+bindings.Retries.Ref+")")
		}
	}
	for _, fn := range p.Model.Functions {
		var trigger string
		for _, prm := range fn.Params {
			for _, a := range prm.Attrs {
				if strings.HasSuffix(a.Name, "Trigger") {
					trigger = a.Name
				}
			}
		}
		for _, a := range fn.MethodAttrs {
			if !slices.Contains(bindings.Retries.Attributes, a.Name) {
				continue
			}
			if slices.Contains(bindings.Retries.Triggers, trigger) {
				continue
			}
			p.Fix("Remove ["+a.Name+"]: retries are not supported on "+trigger, removeAttribute(p.File, a))
			p.Report(int(fn.Node.StartByte()), true,
				"["+a.Name+"] was removed: the isolated worker supports function-level retries only on Timer, Event Hubs, Cosmos DB and Kafka triggers (AZFW0012)",
				"retry in code or through the trigger's own redelivery (queue dequeue count, Service Bus max delivery count) ("+bindings.Retries.Ref+")")
		}
	}
}

// insertUsingLine adds `using ns;` after the last top-level using, or
// after the first block of usings inside a namespace, in its indentation.
func insertUsingLine(f *cs.File, m *cs.Model, ns string) edit.Edit {
	var last *cs.Using
	for _, u := range m.Usings {
		if p := m.Parent(u.Node); p != nil && p.Kind() == "compilation_unit" {
			last = u
		}
	}
	if last == nil && len(m.Usings) > 0 {
		last = m.Usings[0]
		for _, u := range m.Usings[1:] {
			if p, lp := m.Parent(u.Node), m.Parent(last.Node); p == nil || lp == nil || p.Id() != lp.Id() {
				break
			}
			last = u
		}
	}
	if last != nil {
		at := cs.LineEnd(f.Src, int(last.Node.EndByte())-1)
		return edit.Edit{Start: at, End: at, New: cs.Indent(f.Src, int(last.Node.StartByte())) + "using " + ns + ";" + f.EOL}
	}
	line := "using " + ns + ";" + f.EOL
	at := 0
	if len(f.Src) >= 3 && string(f.Src[:3]) == "\xef\xbb\xbf" {
		at = 3
	}
	return edit.Edit{Start: at, End: at, New: line + f.EOL}
}
