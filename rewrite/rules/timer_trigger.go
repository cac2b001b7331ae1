package rules

import (
	"strings"

	"github.com/funcmigrate/funcmigrate/rewrite"
)

// TimerTrigger migrates [TimerTrigger] functions.
var TimerTrigger = &rewrite.Rule{
	Name: "cs-timer-trigger",
	Doc: `migrate timer triggers and TimerInfo

The isolated TimerTrigger takes the same schedule string and the same
RunOnStartup and UseMonitor properties; only the constructor parameter is
named schedule instead of scheduleExpression, which matters when the source
names it. TimerInfo keeps IsPastDue and ScheduleStatus in the worker
namespace. A schedule given as a TimerSchedule type and uses of TimerInfo
members that have no isolated equivalent (Schedule, FormatNextOccurrences)
are reported. The project gains the Timer extension package, which the
in-process SDK brought implicitly.`,
	Ref: "MAPPING.md §3.3",
	URL: "https://learn.microsoft.com/azure/azure-functions/functions-bindings-timer",
	Run: func(p *rewrite.Pass) {
		for _, a := range p.Model.Attributes {
			if a.Name != "TimerTrigger" || a.Param == nil {
				continue
			}
			p.Need("Microsoft.Azure.Functions.Worker.Extensions.Timer")
			for _, arg := range a.Args {
				if arg.Colon && arg.Name == "scheduleExpression" {
					p.Fix("Rename the scheduleExpression argument to schedule", replace(arg.NameNode, "schedule"))
				}
				if arg.Value != nil && strings.HasPrefix(p.File.Text(arg.Value), "typeof") {
					p.Report(int(arg.Node.StartByte()), true,
						"a TimerSchedule type has no isolated equivalent: the isolated TimerTrigger only takes a schedule string",
						"replace the schedule type with a CRON expression or an app setting reference like \"%MySchedule%\"")
				}
			}
			if a.Func == nil {
				continue
			}
			name := a.Param.Name
			for _, id := range a.Func.BodyIdents {
				if p.File.Text(id) != name {
					continue
				}
				parent := p.Model.Parent(id)
				if parent == nil || parent.Kind() != "member_access_expression" {
					continue
				}
				if member := parent.ChildByFieldName("name"); member != nil {
					switch m := p.File.Text(member); m {
					case "Schedule", "FormatNextOccurrences":
						p.Report(int(parent.StartByte()), true,
							"TimerInfo."+m+" does not exist in the isolated worker",
							"compute upcoming occurrences from the CRON expression yourself or drop this use")
					}
				}
			}
		}
	},
}
