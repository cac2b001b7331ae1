package rules

import (
	"slices"
	"strings"

	"github.com/funcmigrate/funcmigrate/rewrite"
	"github.com/funcmigrate/funcmigrate/rewrite/edit"
)

// ServiceBusSettlement fixes dead-letter calls whose overload disappears.
var ServiceBusSettlement = &rewrite.Rule{
	Name: "cs-servicebus-settlement",
	Doc: `name the dead-letter reason arguments of ServiceBusMessageActions

In-process ServiceBusMessageActions has a DeadLetterMessageAsync overload
taking the reason and description as the second and third positional
arguments; the isolated one has a single overload whose second parameter is
the properties dictionary. A call passing a string reason positionally no
longer compiles, so the reason and description become the named arguments
deadLetterReason and deadLetterErrorDescription. A second argument whose type
cannot be told from the source is reported.`,
	Ref: "MAPPING.md §4.7",
	URL: "https://learn.microsoft.com/azure/azure-functions/functions-bindings-service-bus-trigger",
	Run: runServiceBusSettlement,
}

func runServiceBusSettlement(p *rewrite.Pass) {
	f := p.File
	for _, fn := range p.Model.Functions {
		var actions []string
		for _, prm := range fn.Params {
			if simpleTypeName(prm.TypeText) == "ServiceBusMessageActions" {
				actions = append(actions, prm.Name)
			}
		}
		if len(actions) == 0 {
			continue
		}
		for _, id := range fn.BodyIdents {
			if f.Text(id) != "DeadLetterMessageAsync" {
				continue
			}
			access := p.Model.Parent(id)
			if access == nil || access.Kind() != "member_access_expression" {
				continue
			}
			if recv := access.ChildByFieldName("expression"); recv == nil || !slices.Contains(actions, f.Text(recv)) {
				continue
			}
			call := p.Model.Parent(access)
			if call == nil || call.Kind() != "invocation_expression" {
				continue
			}
			args := callArgs(call)
			if len(args) < 2 || args[1].ChildByFieldName("name") != nil {
				continue // already named, or only the message
			}
			switch second := args[1].NamedChild(0); {
			case second == nil:
			case isStringExpr(second.Kind()):
				edits := []edit.Edit{insertAt(int(args[1].StartByte()), "deadLetterReason: ")}
				if len(args) >= 3 && args[2].ChildByFieldName("name") == nil {
					if third := args[2].NamedChild(0); third != nil && (isStringExpr(third.Kind()) || third.Kind() == "null_literal") {
						edits = append(edits, insertAt(int(args[2].StartByte()), "deadLetterErrorDescription: "))
					}
				}
				p.Fix("Name the dead-letter reason arguments", edits...)
			case second.Kind() == "null_literal" || strings.Contains(f.Text(second), "Dictionary"):
			default:
				p.Report(int(call.StartByte()), true,
					"DeadLetterMessageAsync's second argument "+f.Text(second)+" is a reason string in-process but the properties dictionary in the isolated worker",
					"if it is the reason, pass it as deadLetterReason: (and the description as deadLetterErrorDescription:) (MAPPING.md §4.7)")
			}
		}
	}
}

func isStringExpr(kind string) bool {
	switch kind {
	case "string_literal", "verbatim_string_literal", "raw_string_literal", "interpolated_string_expression":
		return true
	}
	return false
}
