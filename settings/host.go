package settings

import (
	"fmt"
	"strings"

	"github.com/funcmigrate/funcmigrate/rewrite/edit"
	"github.com/funcmigrate/funcmigrate/rewrite/report"
)

// isolatedGuideURL is the Learn guide to the isolated worker model (MAPPING.md S2).
const isolatedGuideURL = "https://learn.microsoft.com/azure/azure-functions/dotnet-isolated-process-guide"

// MigrateHostJSON returns edits and findings for host.json (MAPPING.md §6.2).
//
// The model switch itself needs no change to host.json. A host.json without
// "version" is in the Functions 1.x layout, which the 4.x host refuses: then
// "version": "2.0" is added and the 1.x binding sections move under
// "extensions" with the option names the current extensions read; 1.x
// sections without a mechanical counterpart are reported (see hostV1).
// The other findings say what changes in meaning:
//
//   - logging.logLevel and logging.applicationInsights now govern the host's
//     logs and telemetry only, once per section; each logLevel entry for
//     "Function", "Function.<name>" or a category of the app's own code gets
//     the Program.cs filter that replaces it, since app logs now come from
//     the worker with the ILogger<T> type or GetLogger name as category
//     (MAPPING.md §4.2, §5.5, §6.2; see hostlog.go);
//   - logging.applicationInsights.samplingSettings now applies to the host's
//     telemetry only (MAPPING.md §5.5);
//   - a missing or different "version" (the host needs "2.0");
//   - an extensionBundle section, which compiled C# apps do not use;
//   - Service Bus 4.x options the 5.x extension ignores, with their new names.
//
// path only labels errors; a syntax error is a *SyntaxError.
func MigrateHostJSON(path string, src []byte) ([]edit.Edit, []report.Finding, error) {
	root, err := scanObject(path, src)
	if err != nil {
		return nil, nil, err
	}
	var findings []report.Finding
	var edits []edit.Edit

	switch v := root.lookup("version"); {
	case v == nil:
		// The Functions 1.x layout: add the version, move what maps.
		edits, findings = hostV1(src, root, true)
	case v.val.kind != kindString || v.val.str != "2.0":
		found := article(v.val.kind)
		if v.val.kind == kindString {
			found = quote(v.val.str)
		}
		findings = append(findings, report.Finding{
			Rule:    RuleHostVersion,
			Message: fmt.Sprintf(`host.json "version" is %s; the Functions v4 host requires "2.0"`, found),
			Action:  `Set "version" to "2.0"; other sections may need the 2.0 layout too`,
			Ref:     "MAPPING.md §6.2",
			Offset:  v.val.start,
		})
	}
	if root.lookup("version") != nil {
		// 1.x sections left in a versioned file are ignored by the host.
		_, fs := hostV1(src, root, false)
		findings = append(findings, fs...)
	}

	findings = append(findings, hostLogging(src, root)...)

	findings = append(findings, serviceBusV4Options(root)...)

	if bundle := root.lookup("extensionBundle"); bundle != nil {
		findings = append(findings, report.Finding{
			Rule:    RuleHostExtensionBundle,
			Message: "extensionBundle is not used by compiled C# apps: their binding extensions come from the project's NuGet packages",
			Action:  "Remove the extensionBundle section from host.json",
			Ref:     "MAPPING.md §6.2",
			Offset:  bundle.keyStart,
		})
	}
	return edits, findings, nil
}

// serviceBusRenames are the Service Bus extension 4.x host.json options and
// their 5.x names; the isolated host always loads 5.x (MAPPING.md §6.2).
var serviceBusRenames = []struct{ group, key, now string }{
	{"messageHandlerOptions", "autoComplete", "autoCompleteMessages"},
	{"messageHandlerOptions", "maxConcurrentCalls", "maxConcurrentCalls"},
	{"messageHandlerOptions", "maxAutoRenewDuration", "maxAutoLockRenewalDuration"},
	{"sessionHandlerOptions", "maxAutoRenewDuration", "maxAutoLockRenewalDuration"},
	{"sessionHandlerOptions", "maxConcurrentSessions", "maxConcurrentSessions"},
	{"sessionHandlerOptions", "messageWaitTimeout", "sessionIdleTimeout"},
	{"batchOptions", "maxMessageCount", "maxMessageBatchSize"},
}

// serviceBusV4Options reports extensions.serviceBus options written for the
// 4.x extension: the 5.x extension ignores them, so they silently stop
// applying (defaults: autoCompleteMessages true, maxConcurrentCalls 16,
// maxMessageBatchSize 1000).
func serviceBusV4Options(root *value) []report.Finding {
	ext := root.lookup("extensions")
	if ext == nil {
		return nil
	}
	sb := ext.val.lookup("serviceBus")
	if sb == nil {
		return nil
	}
	var out []report.Finding
	for _, r := range serviceBusRenames {
		group := sb.val.lookup(r.group)
		if group == nil {
			continue
		}
		if m := group.val.lookup(r.key); m != nil {
			out = append(out, report.Finding{
				Rule: RuleHostServiceBus,
				Message: fmt.Sprintf("extensions.serviceBus.%s.%s is a Service Bus 4.x option; the isolated host loads the 5.x extension, which ignores it",
					r.group, r.key),
				Action: fmt.Sprintf("move the value to extensions.serviceBus.%s", r.now),
				Ref:    "MAPPING.md §6.2",
				URL:    "https://learn.microsoft.com/azure/azure-functions/functions-bindings-service-bus",
				Offset: m.keyStart,
			})
		}
	}
	return out
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}
