package settings

import (
	"fmt"
	"strings"

	"github.com/funcmigrate/funcmigrate/rewrite/edit"
	"github.com/funcmigrate/funcmigrate/rewrite/report"
)

// Setting names and values of local.settings.json (MAPPING.md §6.1).
const (
	workerRuntimeKey = "FUNCTIONS_WORKER_RUNTIME"
	inprocNet8Key    = "FUNCTIONS_INPROC_NET8_ENABLED"
	dashboardKey     = "AzureWebJobsDashboard"
	runtimeInProcess = "dotnet"
	runtimeIsolated  = "dotnet-isolated"
)

// Rule ids of the findings this package reports.
const (
	RuleWorkerRuntime       = "settings-worker-runtime"
	RuleInprocNet8          = "settings-inproc-net8"
	RuleHostServiceBus      = "hostjson-servicebus-options"
	RuleHostLogLevels       = "hostjson-log-levels"
	RuleHostSampling        = "hostjson-appinsights-sampling"
	RuleHostLogging         = "hostjson-logging"
	RuleHostVersion         = "hostjson-version"
	RuleHostExtensionBundle = "hostjson-extension-bundle"
	RuleHostV1Section       = "hostjson-v1-section"
	RuleHostV1Option        = "hostjson-v1-option"
	RuleDashboard           = "settings-dashboard"
)

// migrateGuideURL is the Learn guide for the whole migration (MAPPING.md S1).
const migrateGuideURL = "https://learn.microsoft.com/azure/azure-functions/migrate-dotnet-to-isolated-model"

// MigrateLocalSettings returns the edits that make local.settings.json run on
// the isolated worker (MAPPING.md §6.1):
//
//   - Values.FUNCTIONS_WORKER_RUNTIME "dotnet" becomes "dotnet-isolated"; only
//     the string literal is replaced. When the setting is missing it is added
//     as the last member of Values (and Values is added when it is missing).
//   - Values.FUNCTIONS_INPROC_NET8_ENABLED is removed, with its whole line when
//     it stands on a line of its own.
//   - Values.AzureWebJobsDashboard is removed the same way, with a finding:
//     only the Functions 1.x runtime reads it; 2.x and later monitor through
//     Application Insights (Learn, app settings reference and "Migrate apps
//     from Azure Functions version 1.x to version 4.x").
//
// When FUNCTIONS_WORKER_RUNTIME is missing and a setting is to be removed
// anyway, the first such setting becomes the runtime setting in place, which
// keeps the commas as they are.
//
// Everything else is kept byte for byte. A file that already says
// "dotnet-isolated" and has neither FUNCTIONS_INPROC_NET8_ENABLED nor
// AzureWebJobsDashboard gets no edits.
// Findings report a runtime other than "dotnet"; the matching change to the
// app settings in Azure (MAPPING.md §6.3) is reported once per project by
// the engine.
// path only labels errors; a syntax error is a *SyntaxError.
func MigrateLocalSettings(path string, src []byte) ([]edit.Edit, []report.Finding, error) {
	root, err := scanObject(path, src)
	if err != nil {
		return nil, nil, err
	}
	values := root.lookup("Values")
	if values != nil && values.val.kind != kindObject {
		return nil, []report.Finding{{
			Rule:    RuleWorkerRuntime,
			Message: fmt.Sprintf(`"Values" is %s, not an object, so %s cannot be set`, article(values.val.kind), workerRuntimeKey),
			Action:  fmt.Sprintf(`Make "Values" an object of app settings and set %s to %q`, workerRuntimeKey, runtimeIsolated),
			Ref:     "MAPPING.md §6.1",
			URL:     migrateGuideURL,
			Offset:  values.keyStart,
		}}, nil
	}

	var edits []edit.Edit
	var findings []report.Finding
	var runtimes, drops []int // member indexes in Values
	if values != nil {
		for i, m := range values.val.members {
			switch {
			case strings.EqualFold(m.key, workerRuntimeKey):
				runtimes = append(runtimes, i)
			case strings.EqualFold(m.key, inprocNet8Key):
				drops = append(drops, i)
			case strings.EqualFold(m.key, dashboardKey):
				drops = append(drops, i)
				findings = append(findings, report.Finding{
					Rule:    RuleDashboard,
					Message: dashboardKey + " is only read by the Functions 1.x runtime (2.x and later monitor through Application Insights); removed",
					Action:  "Remove " + dashboardKey + " from the app settings in Azure too, and set APPLICATIONINSIGHTS_CONNECTION_STRING if the app does not send telemetry to Application Insights yet",
					Ref:     "MAPPING.md §6.1, §6.3",
					URL:     "https://learn.microsoft.com/azure/azure-functions/functions-app-settings#azurewebjobsdashboard",
					Offset:  m.keyStart,
				})
			}
		}
	}

	switch {
	case len(runtimes) > 0:
		for _, i := range runtimes {
			v := values.val.members[i].val
			switch {
			case v.kind == kindString && strings.EqualFold(v.str, runtimeIsolated):
			case v.kind == kindString && strings.EqualFold(v.str, runtimeInProcess):
				edits = append(edits, edit.Edit{Start: v.start, End: v.end, New: quote(runtimeIsolated)})
			default:
				found := article(v.kind)
				if v.kind == kindString {
					found = quote(v.str)
				}
				findings = append(findings, report.Finding{
					Rule:    RuleWorkerRuntime,
					Message: fmt.Sprintf("%s is %s, not %q; left unchanged", workerRuntimeKey, found, runtimeInProcess),
					Action:  fmt.Sprintf("Check that this file belongs to the .NET project being migrated; the isolated worker needs %q", runtimeIsolated),
					Ref:     "MAPPING.md §6.1",
					URL:     migrateGuideURL,
					Offset:  v.start,
				})
			}
		}
	case len(drops) > 0:
		// The first setting to drop becomes the runtime setting in place,
		// which keeps the commas as they are.
		m := values.val.members[drops[0]]
		edits = append(edits,
			edit.Edit{Start: m.keyStart, End: m.keyEnd, New: quote(workerRuntimeKey)},
			edit.Edit{Start: m.val.start, End: m.val.end, New: quote(runtimeIsolated)})
	case values != nil:
		sep := separator(src, values.val)
		edits = append(edits, insertMember(src, values.val, func(layout) string {
			return quote(workerRuntimeKey) + sep + quote(runtimeIsolated)
		})...)
	default:
		sep := separator(src, root)
		edits = append(edits, insertMember(src, root, func(l layout) string {
			setting := quote(workerRuntimeKey) + sep + quote(runtimeIsolated)
			if l.inline {
				return quote("Values") + sep + "{ " + setting + " }"
			}
			return quote("Values") + sep + "{" + l.eol + l.indent + l.unit + setting + l.eol + l.indent + "}"
		})...)
	}
	if len(drops) > 0 {
		remove := drops
		if len(runtimes) == 0 {
			remove = drops[1:] // the first became the runtime setting above
		}
		if len(remove) > 0 {
			edits = append(edits, removeMembers(src, values.val, remove)...)
		}
	}
	return edits, findings, nil
}

// LocalSetting returns the string value of Values.<key> in a
// local.settings.json, for discovery: FUNCTIONS_WORKER_RUNTIME tells the
// model, APP_KIND=workflowApp marks a Logic Apps project. The key is matched
// without regard to case. It reports false when the file does not parse, the
// setting is missing, or its value is not a string.
func LocalSetting(src []byte, key string) (string, bool) {
	root, err := scan("", src)
	if err != nil {
		return "", false
	}
	values := root.lookup("Values")
	if values == nil {
		return "", false
	}
	m := values.val.lookup(key)
	if m == nil || m.val.kind != kindString {
		return "", false
	}
	return m.val.str, true
}

// scanObject scans src and checks that the top-level value is an object.
func scanObject(path string, src []byte) (*value, error) {
	root, err := scan(path, src)
	if err != nil {
		return nil, err
	}
	if root.kind != kindObject {
		line, col := position(src, root.start)
		return nil, &SyntaxError{Path: path, Line: line, Col: col, Offset: root.start,
			Msg: fmt.Sprintf("expected a JSON object at the top level, found %s", article(root.kind))}
	}
	return root, nil
}

// separator returns the text between key and value that obj's members use,
// such as ": " or ":", so an added member looks like its neighbours.
func separator(src []byte, obj *value) string {
	for i := len(obj.members) - 1; i >= 0; i-- {
		m := obj.members[i]
		gap := string(src[m.keyEnd:m.val.start])
		if strings.Count(gap, ":") == 1 && isBlank([]byte(strings.Replace(gap, ":", "", 1))) {
			return gap
		}
	}
	return ": "
}

func article(k kind) string {
	switch k {
	case kindArray, kindObject:
		return "an " + k.String()
	case kindNull:
		return "null"
	}
	return "a " + k.String()
}
