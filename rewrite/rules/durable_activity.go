package rules

import (
	"slices"

	"github.com/funcmigrate/funcmigrate/rewrite"
	"github.com/funcmigrate/funcmigrate/rewrite/cs"
	"github.com/funcmigrate/funcmigrate/rewrite/edit"
)

// DurableActivity binds activity input directly instead of through a context.
var DurableActivity = &rewrite.Rule{
	Name: "cs-durable-activity",
	Doc: `bind Durable activity input directly instead of IDurableActivityContext

The isolated worker has no activity context type: an [ActivityTrigger]
parameter receives the activity's input itself. A parameter declared as
IDurableActivityContext (or the Durable 1.x DurableActivityContext and
DurableActivityContextBase) whose only uses are GetInput<T>() calls of one
type T becomes a T parameter named input (when the name is free), and the
calls become that parameter. One that is never read becomes an object
parameter. The context's Name is the activity's own name, so it becomes the
function name. An activity that reads InstanceId, passes the context on or
asks for inputs of different types keeps its context and is reported: the
instance id is no longer part of the input binding. Activity parameters that
already take their input directly are left alone.`,
	Ref: "MAPPING.md §7.3",
	URL: durableMigrateGuideURL,
	Run: runDurableActivity,
}

func runDurableActivity(p *rewrite.Pass) {
	if !usesDurable(p.Model) {
		return
	}
	f, m := p.File, p.Model
	for _, v := range durableVars(m) {
		if v.typ.kind != activityContext {
			continue
		}
		if v.param == nil || !hasAttr(v.param, "ActivityTrigger") {
			p.Report(int(v.decl.StartByte()), true,
				v.typeName+" has no isolated counterpart",
				"pass the activity's input (and its instance id, if needed) instead of the context (MAPPING.md §7.3)")
			continue
		}
		inputType := ""
		var edits []edit.Edit
		var gets []memberUse
		blocked := false
		newName := "input"
		if nameTaken(m, v.fn, "input") {
			newName = v.name
		}
		for _, id := range v.uses(f, m) {
			u, ok := memberOf(m, id)
			switch {
			case !ok:
				p.Report(int(id.StartByte()), true,
					v.name+" (the activity context) is passed on, and the isolated worker has no activity context type",
					"pass the input value instead of the context (MAPPING.md §7.3)")
				blocked = true
			case u.member == "GetInput" && u.call != nil && len(u.args) == 0 && u.typeArgs != "":
				t := u.typeArgs[1 : len(u.typeArgs)-1]
				if inputType != "" && inputType != t {
					p.Report(int(u.access.StartByte()), true,
						"the activity reads its input as both "+inputType+" and "+t,
						"bind one input type with [ActivityTrigger] and convert it in code (MAPPING.md §7.3)")
					blocked = true
				}
				inputType = t
				gets = append(gets, u)
			case u.member == "Name" && u.call == nil:
				edits = append(edits, replace(u.access, functionNameText(f, v.fn)))
			case u.member == "InstanceId":
				p.Report(int(u.access.StartByte()), true,
					"an activity's instance id is not part of the isolated input binding",
					"pass the instance id in the activity's input from the orchestrator, or read it from a FunctionContext parameter: context.BindingContext.BindingData[\"instanceId\"] (MAPPING.md §7.3)")
				blocked = true
			default:
				p.Report(int(u.access.StartByte()), true,
					v.typeName+"."+u.member+" has no isolated counterpart",
					"bind the input directly with [ActivityTrigger] T input (MAPPING.md §7.3)")
				blocked = true
			}
		}
		if blocked {
			p.Report(int(v.decl.StartByte()), true,
				v.typeName+" stays until the uses reported in this activity are rewritten",
				"bind the input directly with [ActivityTrigger] T input (MAPPING.md §7.3)")
			continue
		}
		if inputType == "" {
			inputType = "object"
		}
		edits = append(edits, replace(v.typeNode, inputType))
		if newName != v.name {
			edits = append(edits, replace(v.decl.ChildByFieldName("name"), newName))
		}
		for _, u := range gets {
			edits = append(edits, replace(u.call, newName))
		}
		p.Fix("Bind the activity's input directly", edits...)
	}
}

// nameTaken reports whether a new parameter of fn called name would shadow
// or clash with one of its locals, its parameters or its class's members.
func nameTaken(m *cs.Model, fn *cs.Function, name string) bool {
	if slices.Contains(fn.Declarations, name) {
		return true
	}
	for _, prm := range fn.Params {
		if prm.Name == name {
			return true
		}
	}
	return fn.Class != nil && classMembers(m, fn.Class)[name]
}

func hasAttr(prm *cs.Param, name string) bool {
	for _, a := range prm.Attrs {
		if a.Name == name {
			return true
		}
	}
	return false
}
