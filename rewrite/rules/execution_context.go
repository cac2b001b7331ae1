package rules

import (
	"strings"

	sitter "github.com/tree-sitter/go-tree-sitter"

	"github.com/funcmigrate/funcmigrate/rewrite"
	"github.com/funcmigrate/funcmigrate/rewrite/cs"
)

// ExecutionContext moves ExecutionContext parameters to FunctionContext.
var ExecutionContext = &rewrite.Rule{
	Name: "cs-execution-context",
	Doc: `replace ExecutionContext with FunctionContext

The parameter keeps its name and becomes a FunctionContext. Uses of its
members are mapped: FunctionName becomes FunctionDefinition.Name, and
InvocationId, a Guid in-process but a string in the worker, is wrapped in
Guid.Parse unless it is only formatted (string interpolation, ToString, a
logging argument). RetryContext.RetryCount and MaxRetryCount keep their
names. FunctionDirectory, FunctionAppDirectory and RetryContext.Exception
have no isolated equivalent and are reported. The parameter must not stay an
ExecutionContext: the project's ExecutionContext alias makes that name mean
System.Threading.ExecutionContext.`,
	Ref: "MAPPING.md §4.3",
	URL: "https://learn.microsoft.com/azure/azure-functions/migrate-dotnet-to-isolated-model",
	Run: runExecutionContext,
}

func runExecutionContext(p *rewrite.Pass) {
	f := p.File
	for _, fn := range p.Model.Functions {
		for _, prm := range fn.Params {
			t := strings.ReplaceAll(prm.TypeText, " ", "")
			if t != "ExecutionContext" && t != "Microsoft.Azure.WebJobs.ExecutionContext" {
				continue
			}
			p.Fix("Bind FunctionContext instead of ExecutionContext", replace(prm.Type, "FunctionContext"))
			for _, id := range fn.BodyIdents {
				if f.Text(id) != prm.Name || !isVariableUse(p.Model, id) {
					continue
				}
				mapContextMember(p, id)
			}
		}
	}
}

// mapContextMember rewrites ctx.Member for the context variable use id.
func mapContextMember(p *rewrite.Pass, id *sitter.Node) {
	f := p.File
	access := p.Model.Parent(id)
	if access == nil || access.Kind() != "member_access_expression" {
		return
	}
	if e := access.ChildByFieldName("expression"); e == nil || e.Id() != id.Id() {
		return
	}
	member := access.ChildByFieldName("name")
	if member == nil {
		return
	}
	switch name := f.Text(member); name {
	case "FunctionName":
		p.Fix("Read the function name from FunctionDefinition", replace(member, "FunctionDefinition.Name"))
	case "InvocationId":
		if onlyFormatted(p.Model, access) {
			return
		}
		guid := "Guid"
		if !hasUsing(p.Model, "System") {
			guid = "System.Guid"
		}
		p.Fix("Parse the string InvocationId into a Guid", replace(access, guid+".Parse("+f.Text(access)+")"))
	case "FunctionDirectory", "FunctionAppDirectory":
		p.Report(int(access.StartByte()), true,
			"ExecutionContext."+name+" has no isolated equivalent",
			"use AppContext.BaseDirectory (the worker runs from the deployed app folder) and check the paths you build from it (MAPPING.md §4.3, §8 item 19)")
	case "RetryContext":
		if outer := p.Model.Parent(access); outer != nil && outer.Kind() == "member_access_expression" {
			if n := outer.ChildByFieldName("name"); n != nil && f.Text(n) == "Exception" {
				p.Report(int(outer.StartByte()), true,
					"RetryContext.Exception has no isolated equivalent",
					"catch and record the exception in the function itself (MAPPING.md §4.3)")
			}
		}
	}
}

// onlyFormatted reports whether the expression's value is only turned into
// text, where a string works as well as the Guid did.
func onlyFormatted(m *cs.Model, expr *sitter.Node) bool {
	f := m.File
	par := m.Parent(expr)
	if par == nil {
		return false
	}
	switch par.Kind() {
	case "interpolation":
		return true
	case "member_access_expression":
		if n := par.ChildByFieldName("name"); n != nil && f.Text(n) == "ToString" {
			return true
		}
	case "argument":
		// An argument of a logger call: ILogger's Log* methods take object args.
		if list := m.Parent(par); list != nil {
			if call := m.Parent(list); call != nil && call.Kind() == "invocation_expression" {
				if fn := call.ChildByFieldName("function"); fn != nil && fn.Kind() == "member_access_expression" {
					if n := fn.ChildByFieldName("name"); n != nil && strings.HasPrefix(f.Text(n), "Log") {
						return true
					}
				}
			}
		}
	}
	return false
}
