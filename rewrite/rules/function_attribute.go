package rules

import (
	sitter "github.com/tree-sitter/go-tree-sitter"

	"github.com/funcmigrate/funcmigrate/rewrite"
	"github.com/funcmigrate/funcmigrate/rewrite/cs"
)

func hasModifier(f *cs.File, mods []*sitter.Node, want string) bool {
	for _, m := range mods {
		if f.Text(m) == want {
			return true
		}
	}
	return false
}

// FunctionAttribute renames [FunctionName] to [Function].
var FunctionAttribute = &rewrite.Rule{
	Name: "cs-function-attribute",
	Doc: `replace [FunctionName] with [Function]

The isolated worker's FunctionAttribute takes the same single name argument
as the in-process FunctionNameAttribute, so only the attribute name changes;
a namespace qualifier or an "Attribute" suffix written in the source goes
with it. An async void function becomes async Task (analyzer AZFW0002), and a
function method that is not public is reported: the worker only indexes
public methods of public classes.`,
	Ref: "MAPPING.md §3.1",
	URL: "https://learn.microsoft.com/azure/azure-functions/migrate-dotnet-to-isolated-model",
	Run: func(p *rewrite.Pass) {
		reportedClass := map[*cs.Class]bool{}
		for _, fn := range p.Model.Functions {
			if c := fn.Class; c != nil && !reportedClass[c] && !hasModifier(p.File, c.Modifiers, "public") {
				reportedClass[c] = true
				p.Report(int(c.Node.StartByte()), true,
					"class "+c.Name+" holds functions but is not public: the isolated worker only finds public methods of public classes",
					"make the class public")
			}
			if a := fn.NameAttr; a != nil && a.NameNode != nil {
				p.Fix("Replace [FunctionName] with [Function]", replace(a.NameNode, "Function"))
			}
			if fn.Async && fn.ReturnType != nil && p.File.Text(fn.ReturnType) == "void" {
				task := "Task"
				if !hasUsing(p.Model, "System.Threading.Tasks") {
					task = "System.Threading.Tasks.Task"
				}
				p.Fix("Make the async void function return Task", replace(fn.ReturnType, task))
			}
			if !hasModifier(p.File, fn.Modifiers, "public") {
				p.Report(int(fn.Node.StartByte()), true,
					"function method "+fn.Name+" is not public: the isolated worker only finds public methods of public classes",
					"make the method (and its class) public")
			}
		}
	},
}
