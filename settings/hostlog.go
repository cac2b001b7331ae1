package settings

import (
	"fmt"
	"strings"

	"github.com/funcmigrate/funcmigrate/rewrite/report"
)

// hostLogging reports what the logging section of host.json no longer does
// once the app runs in the isolated worker (MAPPING.md §4.2, §5.5, §6.2,
// §8 item 10). In-process, the app logged through the host, so host.json
// filtered the app's logs and sampled its telemetry. Now the app logs from
// the worker process, which never reads host.json; the host's own logs still
// follow it, so nothing in host.json changes and every finding says what to
// set in Program.cs instead:
//
//   - logging.logLevel: once for the section, with the SetMinimumLevel that
//     replaces "default"; then once per entry for "Function",
//     "Function.<name>[.User]" and categories of the app's own code, each
//     with the exact AddFilter call;
//   - logging.applicationInsights: once for the section, plus the sampling
//     finding with the worker SDK options that match samplingSettings.
func hostLogging(src []byte, root *value) []report.Finding {
	logging := root.lookup("logging")
	if logging == nil || logging.val.kind != kindObject {
		return nil
	}
	var out []report.Finding
	if levels := logging.val.lookup("logLevel"); levels != nil {
		action := "Keep the entries for the host; set the app's log levels in Program.cs " +
			"(builder.Logging.SetMinimumLevel and builder.Logging.AddFilter, or LoggerFilterOptions) " +
			"or in the Logging section of appsettings.json, which FunctionsApplication.CreateBuilder reads " +
			"(a HostBuilder reads it only if you add the file)"
		if d := levels.val.lookup("default"); d != nil {
			if lvl, ok := logLevel(d.val); ok {
				action += fmt.Sprintf(`; "default": %q corresponds to builder.Logging.SetMinimumLevel(LogLevel.%s)`, d.val.str, lvl)
			}
		}
		out = append(out, report.Finding{
			Rule: RuleHostLogging,
			Message: "logging.logLevel now sets the levels of the Functions host's own logs only; " +
				"the app's logs come from the worker process, which does not read host.json",
			Action: action,
			Ref:    "MAPPING.md §5.5, §6.2",
			URL:    isolatedGuideURL + "#managing-log-levels",
			Offset: levels.keyStart,
		})
		if levels.val.kind == kindObject {
			for _, m := range levels.val.members {
				if f, ok := logLevelEntry(m); ok {
					out = append(out, f)
				}
			}
		}
	}
	if ai := logging.val.lookup("applicationInsights"); ai != nil {
		out = append(out, report.Finding{
			Rule: RuleHostLogging,
			Message: "logging.applicationInsights now configures only the telemetry the Functions host sends; " +
				"the app's logs and telemetry go through the Application Insights SDK in the worker",
			Action: "Keep the section for the host; in Program.cs register " +
				"builder.Services.AddApplicationInsightsTelemetryWorkerService(options => …).ConfigureFunctionsApplicationInsights() " +
				"and set the worker's telemetry options there, and remove the LoggerFilterOptions rule whose ProviderName is " +
				"Microsoft.Extensions.Logging.ApplicationInsights.ApplicationInsightsLoggerProvider " +
				"(it keeps only Warning and above) if Information logs must reach Application Insights",
			Ref:    "MAPPING.md §5.5, §6.2",
			URL:    isolatedGuideURL + "#application-insights",
			Offset: ai.keyStart,
		})
		if sampling := ai.val.lookup("samplingSettings"); sampling != nil {
			out = append(out, report.Finding{
				Rule: RuleHostSampling,
				Message: "logging.applicationInsights.samplingSettings now applies only to telemetry the host sends; " +
					"the app's telemetry goes through the worker's Application Insights SDK",
				Action: samplingAction(src, sampling.val),
				Ref:    "MAPPING.md §5.5",
				URL:    isolatedGuideURL + "#application-insights",
				Offset: sampling.keyStart,
			})
		}
	}
	return out
}

// logLevelEntry returns the finding for one logging.logLevel entry, or false
// for entries that only ever concerned the host: "default" (covered by the
// section finding) and the host's own categories.
func logLevelEntry(m member) (report.Finding, bool) {
	key := m.key
	lvl, ok := logLevel(m.val)
	level := "LogLevel.<level>"
	if ok {
		level = "LogLevel." + lvl
	}
	f := report.Finding{
		Rule:   RuleHostLogLevels,
		Ref:    "MAPPING.md §4.2, §6.2",
		URL:    isolatedGuideURL + "#managing-log-levels",
		Offset: m.keyStart,
	}
	const form = " (with a HostBuilder, the same call inside .ConfigureLogging(logging => …))"
	switch {
	case strings.EqualFold(key, "default") || hostCategory(key):
		return f, false
	case strings.EqualFold(key, "Function") || strings.EqualFold(key, "Function."):
		f.Message = fmt.Sprintf("logging.logLevel %s no longer filters the app's own logs: "+
			"in the isolated worker their category is the class or logger name", quote(key))
		f.Action = fmt.Sprintf("In Program.cs, filter the categories the app's loggers have now: the ILogger<T> type names "+
			"(or the names passed to GetLogger), not Function.<name>.User; "+
			`builder.Logging.AddFilter("<namespace of your function classes>", %s) covers what %s did`+form+
			"; the host.json entry still applies to the host's logs", level, quote(key))
	case hasPrefixFold(key, "Function."):
		name := key[len("Function."):]
		if hasSuffixFold(name, ".User") {
			name = name[:len(name)-len(".User")]
		}
		f.Message = fmt.Sprintf("logging.logLevel %s no longer filters the app's own logs: "+
			"in the isolated worker their category is the class or logger name", quote(key))
		f.Action = fmt.Sprintf("In Program.cs, filter the category the function's logger has now instead of Function.%s.User: "+
			`builder.Logging.AddFilter("<namespace>.<class of %s>", %s) for an ILogger<T> of its class, `+
			`or builder.Logging.AddFilter(%q, %s) if it calls context.GetLogger(%q)`+form+
			"; the host.json entry still applies to the host's logs for %s",
			name, name, level, name, level, name, name)
	default:
		f.Message = fmt.Sprintf("logging.logLevel %s now filters only the host's logs under that category; "+
			"logs the app writes under it come from the worker, which does not read host.json", quote(key))
		f.Action = fmt.Sprintf("Add builder.Logging.AddFilter(%q, %s) to Program.cs"+form+
			`, or "Logging": {"LogLevel": {%q: %q}} to appsettings.json; keep the host.json entry for the host's logs`,
			key, level, key, levelText(m.val, lvl))
	}
	return f, true
}

// hostCategory reports whether category names logs that only the host writes:
// its own (Host.*), the WebJobs SDK it runs on, and the Durable Task
// framework, which runs in the host's extension in both models.
func hostCategory(category string) bool {
	for _, p := range []string{"Host", "Microsoft.Azure.WebJobs", "DurableTask"} {
		if strings.EqualFold(category, p) || hasPrefixFold(category, p+".") {
			return true
		}
	}
	return false
}

// logLevels are the Microsoft.Extensions.Logging.LogLevel names, which
// host.json accepts in any case.
var logLevels = []string{"Trace", "Debug", "Information", "Warning", "Error", "Critical", "None"}

// logLevel returns the LogLevel member name for a level string, or false
// when v is not a string naming one.
func logLevel(v *value) (string, bool) {
	if v == nil || v.kind != kindString {
		return "", false
	}
	for _, l := range logLevels {
		if strings.EqualFold(strings.TrimSpace(v.str), l) {
			return l, true
		}
	}
	return "", false
}

// levelText is the level as appsettings.json should spell it.
func levelText(v *value, lvl string) string {
	if lvl != "" {
		return lvl
	}
	if v.kind == kindString {
		return v.str
	}
	return "<level>"
}

// samplingAction says how to give the worker's telemetry the sampling that
// samplingSettings gave the whole app in-process. The worker SDK samples
// adaptively by default, with its own limits.
func samplingAction(src []byte, s *value) string {
	const register = "AddApplicationInsightsTelemetryWorkerService(options => …) in Program.cs"
	if on := s.lookup("isEnabled"); on != nil && on.val.kind == kindBool && string(src[on.val.start:on.val.end]) == "false" {
		return "To keep the app's telemetry unsampled as well, set options.EnableAdaptiveSampling = false in " + register
	}
	var args []string
	if m := s.lookup("maxTelemetryItemsPerSecond"); m != nil && m.val.kind == kindNumber {
		args = append(args, "maxTelemetryItemsPerSecond: "+string(src[m.val.start:m.val.end]))
	}
	for _, k := range []string{"excludedTypes", "includedTypes"} {
		if m := s.lookup(k); m != nil && m.val.kind == kindString {
			args = append(args, fmt.Sprintf("%s: %q", k, m.val.str))
		}
	}
	if len(args) == 0 {
		return "The worker SDK samples the app's telemetry adaptively by default; to change that, set the sampling options of " + register
	}
	return "The worker SDK samples the app's telemetry adaptively with its own limits; to match these settings, set " +
		"options.EnableAdaptiveSampling = false in " + register + " and add " +
		"UseAdaptiveSampling(" + strings.Join(args, ", ") + ") to TelemetryConfiguration.DefaultTelemetrySink.TelemetryProcessorChainBuilder"
}

func hasSuffixFold(s, suffix string) bool {
	return len(s) >= len(suffix) && strings.EqualFold(s[len(s)-len(suffix):], suffix)
}
