package rules

import (
	"strings"

	"github.com/funcmigrate/funcmigrate/rewrite"
	"github.com/funcmigrate/funcmigrate/rewrite/cs"
	"github.com/funcmigrate/funcmigrate/rewrite/edit"
)

// workerNamespace is where the isolated Function, trigger and binding
// attributes, FunctionContext and TimerInfo live (MAPPING.md §3.0 rule 1).
const workerNamespace = "Microsoft.Azure.Functions.Worker"

// Usings swaps the in-process using directives for the worker's.
var Usings = &rewrite.Rule{
	Name: "cs-usings",
	Doc: `swap in-process using directives for Microsoft.Azure.Functions.Worker

Every in-process trigger and binding attribute, ExecutionContext and
TimerInfo live in Microsoft.Azure.WebJobs namespaces; their isolated
counterparts live in Microsoft.Azure.Functions.Worker. The first in-process
using is rewritten in place (so the diff shows one changed line) and the
others are removed. The OpenAPI extension keeps its WebJobs namespaces in the
isolated model and is left alone; the Durable rules add the Microsoft.DurableTask
namespaces their code needs. Namespaces of areas this version does not
migrate (a FunctionsStartup that stayed, IWebJobsStartup) stay and are reported, as are
aliased and static usings of in-process namespaces. A file that imports
Newtonsoft.Json makes the project reference it: the in-process SDK brought it
along, the worker packages do not.`,
	Ref: "MAPPING.md §3.0",
	URL: "https://learn.microsoft.com/azure/azure-functions/migrate-dotnet-to-isolated-model",
	Run: runUsings,
}

// Namespaces kept as they are: the OpenAPI worker extension still uses them
// (MAPPING.md §1.4).
func keepNamespace(ns string) bool {
	return strings.HasPrefix(ns, "Microsoft.Azure.WebJobs.Extensions.OpenApi")
}

// Namespaces whose code this version does not migrate: the using stays and
// is reported, so the reader knows why the names below no longer resolve.
var unmigratedNamespaces = map[string]string{
	"Microsoft.Azure.Functions.Extensions.DependencyInjection": "the startup code that uses it stayed in place (see the startup finding for why; MAPPING.md §5)",
	"Microsoft.Azure.WebJobs.Hosting":                          "IWebJobsStartup has no isolated equivalent (MAPPING.md §5.1, §8 item 8)",
}

func inProcessNamespace(ns string) bool {
	return ns == "Microsoft.Azure.WebJobs" || strings.HasPrefix(ns, "Microsoft.Azure.WebJobs.") ||
		strings.HasPrefix(ns, "Microsoft.Azure.Functions.Extensions")
}

func hasUsing(m *cs.Model, ns string) bool {
	for _, u := range m.Usings {
		if u.Name == ns && u.Alias == "" && !u.Static {
			return true
		}
	}
	return false
}

func runUsings(p *rewrite.Pass) {
	m := p.Model
	var drop []*cs.Using
	for _, u := range m.Usings {
		if !inProcessNamespace(u.Name) || keepNamespace(u.Name) {
			continue
		}
		if why, ok := unmigratedNamespaces[u.Name]; ok && u.Alias == "" && !u.Static {
			p.Report(int(u.Node.StartByte()), true, "using "+u.Name+" stays: "+why, "migrate the code that uses this namespace by hand, then remove the using")
			continue
		}
		if u.Alias != "" || u.Static {
			p.Report(int(u.Node.StartByte()), true, "aliased or static using of in-process namespace "+u.Name+" is not rewritten",
				"point the alias at the isolated type in "+workerNamespace+" or remove it")
			continue
		}
		drop = append(drop, u)
	}
	unqualifySameNameTypes(p)
	for _, u := range m.Usings {
		if u.Name == "Newtonsoft.Json" || strings.HasPrefix(u.Name, "Newtonsoft.Json.") {
			// The in-process SDK brought Newtonsoft.Json along; the worker does not.
			p.Need("Newtonsoft.Json")
			break
		}
	}
	needWorker := len(m.Functions) > 0 || len(drop) > 0
	if !needWorker {
		return
	}
	have := hasUsing(m, workerNamespace)
	var edits []edit.Edit
	for i, u := range drop {
		if i == 0 && !have {
			prefix := ""
			if u.Global {
				prefix = "global "
			}
			edits = append(edits, replace(u.Node, prefix+"using "+workerNamespace+";"))
			continue
		}
		edits = append(edits, removeLine(p.File, int(u.Node.StartByte()), int(u.Node.EndByte())))
	}
	if len(drop) == 0 && !have {
		edits = append(edits, insertUsing(p.File, m))
	}
	p.Fix("Use "+workerNamespace+" instead of the in-process namespaces", edits...)
}

// removeLine deletes [start,end) and, when nothing else is on its line, the
// whole line including its ending.
func removeLine(f *cs.File, start, end int) edit.Edit {
	if cs.OnlyWhitespaceBefore(f.Src, start) {
		le := cs.LineEnd(f.Src, end)
		if strings.TrimSpace(string(f.Src[end:le])) == "" {
			return edit.Edit{Start: cs.LineStart(f.Src, start), End: le}
		}
	}
	return edit.Edit{Start: start, End: end}
}

// insertUsing adds the worker using after the last top-level using.
func insertUsing(f *cs.File, m *cs.Model) edit.Edit { return insertUsingLine(f, m, workerNamespace) }

// sameNameInWorker are in-process names written with their namespace that
// exist under the same name in Microsoft.Azure.Functions.Worker (MAPPING.md
// Appendix A), so dropping the qualifier is the whole migration. Names with
// rules of their own (FunctionName, ExecutionContext) are not listed.
var sameNameInWorker = map[string]bool{
	"TimerTrigger": true, "TimerTriggerAttribute": true, "TimerInfo": true, "ScheduleStatus": true,
	"QueueTrigger": true, "QueueTriggerAttribute": true,
	"HttpTrigger": true, "HttpTriggerAttribute": true,
}

func unqualifySameNameTypes(p *rewrite.Pass) {
	f := p.File
	for _, x := range p.Model.IdentList() {
		id, name := x.Node, x.Name
		if !sameNameInWorker[name] {
			continue
		}
		q := p.Model.Parent(id)
		if q == nil || q.Kind() != "qualified_name" {
			continue
		}
		if n := q.ChildByFieldName("name"); n == nil || n.Id() != id.Id() {
			continue
		}
		for p.Model.Parent(q) != nil && p.Model.Parent(q).Kind() == "qualified_name" {
			q = p.Model.Parent(q)
		}
		if !strings.HasPrefix(f.Text(q), "Microsoft.Azure.WebJobs.") || int(q.EndByte()) != int(id.EndByte()) {
			continue
		}
		if par := p.Model.Parent(q); par != nil && par.Kind() == "using_directive" {
			continue
		}
		p.Fix("Use the worker's "+name, replace(q, name))
	}
}
