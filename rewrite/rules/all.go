// Package rules holds the C# migration rules, one file per rule, each with
// its doc and MAPPING.md section; fixtures live in testdata/<rule name>/.
package rules

import "github.com/funcmigrate/funcmigrate/rewrite"

// All is the ordered rule set. Order matters only for insertions at the same
// offset (e.g. two statements added at the top of a body), which are applied
// in this order.
var All = []*rewrite.Rule{
	FunctionAttribute,
	Usings,
	HTTPTrigger,
	HTTPMessage,
	TimerTrigger,
	Bindings,
	Outputs,
	ServiceBusSettlement,
	DurableOrchestrator,
	DurableActivity,
	DurableClient,
	DurableEntity,
	Logger,
	ExecutionContext,
	Binder,
	JSONSerializer,
	Leftover,
}
