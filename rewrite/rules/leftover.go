package rules

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"strings"

	sitter "github.com/tree-sitter/go-tree-sitter"

	"github.com/funcmigrate/funcmigrate/rewrite"
	"github.com/funcmigrate/funcmigrate/rewrite/cs"
)

//go:embed inprocess.json
var inprocessJSON []byte

type leftoverEntry struct {
	Name   string `json:"name"`
	Ref    string `json:"ref"`
	Action string `json:"action"`
}

type leftoverTable struct {
	Attributes []leftoverEntry `json:"attributes"`
	Types      []leftoverEntry `json:"types"`
	Extras     []string        `json:"extras"`
}

var leftovers = func() (t struct{ attrs, types map[string]leftoverEntry }) {
	var raw leftoverTable
	if err := json.Unmarshal(inprocessJSON, &raw); err != nil {
		panic(fmt.Sprintf("rules: inprocess.json: %v", err))
	}
	t.attrs, t.types = map[string]leftoverEntry{}, map[string]leftoverEntry{}
	for _, e := range raw.Attributes {
		t.attrs[e.Name] = e
	}
	for _, e := range raw.Types {
		t.types[e.Name] = e
	}
	return t
}()

// Leftover reports in-process attributes and types no rule migrated.
var Leftover = &rewrite.Rule{
	Name: "cs-inprocess-leftover",
	Doc: `report in-process APIs this version does not migrate

Nothing in-process may stay behind silently. Every use of an in-process
attribute or type listed in inprocess.json (bindings with no isolated
equivalent, imperative binders, collectors, TraceWriter where cs-logger
cannot rewrite it, startup types, host-only
attributes) gets a finding and a TODO marker at its
line that says what to use instead. Names are matched only in files that
import an in-process namespace or where they are written with one, so a
class of your own that happens to share a name is left alone.`,
	Ref: "MAPPING.md §8",
	URL: "https://learn.microsoft.com/azure/azure-functions/migrate-dotnet-to-isolated-model",
	Run: runLeftover,
}

// handledParam reports attributes whose rules check their parameter's type
// themselves, so the leftover rule does not report it twice.
func handledParam(name string) bool {
	return name == "HttpTrigger" || name == "TimerTrigger" || bindings.byName[name] != nil
}

func importsInProcess(m *cs.Model) bool {
	for _, u := range m.Usings {
		if inProcessNamespace(u.Name) {
			return true
		}
	}
	return false
}

func runLeftover(p *rewrite.Pass) {
	f, m := p.File, p.Model
	imports := importsInProcess(m)
	reported := map[string]bool{} // one finding per name and line
	report := func(off int, what string, e leftoverEntry) {
		key := fmt.Sprint(f.Line(off), what)
		if reported[key] {
			return
		}
		reported[key] = true
		p.Report(off, true, what+" is in-process only and is not migrated by this version", e.Action+" ("+e.Ref+")")
	}
	for _, a := range m.Attributes {
		e, ok := leftovers.attrs[a.Name]
		if !ok || !(imports || strings.HasPrefix(a.Qualifier, "Microsoft.Azure.WebJobs")) {
			continue
		}
		if a.Name == "Table" && a.Param == nil && a.Func == nil {
			continue // [Table] on a class is usually an ORM's, not a binding
		}
		report(int(a.Node.StartByte()), "["+a.Name+"]", e)
	}
	for _, x := range m.IdentList() {
		id, name := x.Node, x.Name
		e, ok := leftovers.types[name]
		if !ok || !isTypeUse(m, id) {
			continue
		}
		if !imports && !qualifiedWithWebJobs(m, id) {
			continue
		}
		if inHandledParam(m, id) {
			continue
		}
		report(int(id.StartByte()), name, e)
	}
}

// isTypeUse reports whether identifier id names a type (or a static member
// owner) rather than being a declared name or a member name.
func isTypeUse(m *cs.Model, id *sitter.Node) bool {
	par := m.Parent(id)
	if par == nil {
		return false
	}
	if n := par.ChildByFieldName("name"); n != nil && n.Id() == id.Id() {
		switch par.Kind() {
		case "qualified_name", "generic_name":
			return true
		}
		return false // a declaration's or member's own name
	}
	return true
}

func qualifiedWithWebJobs(m *cs.Model, id *sitter.Node) bool {
	par := m.Parent(id)
	return par != nil && par.Kind() == "qualified_name" && strings.HasPrefix(m.File.Text(par), "Microsoft.Azure.WebJobs")
}

func inHandledParam(m *cs.Model, id *sitter.Node) bool {
	if binderHandles(m, id) {
		return true // cs-binder reports used IBinder/Binder parameters and their calls
	}
	for _, fp := range paramsAround(m, id) {
		fn := m.Functions[fp.fn]
		prm := fn.Params[fp.param]
		if strings.Contains(prm.TypeText, "ExecutionContext") {
			return true // cs-execution-context rewrites function parameters
		}
		if isTraceWriter(prm.TypeText) && loggerParam(fn) == prm {
			// cs-logger rewrites it, or reports it where it is
			// expression-bodied; a TraceWriter it cannot rewrite
			// is reported at its uses and here.
			_, blockers := traceWriterUses(m, fn, prm)
			return len(blockers) == 0
		}
		for _, a := range prm.Attrs {
			if handledParam(a.Name) {
				return true
			}
		}
	}
	return false
}
