package settings

import (
	"strings"
	"testing"

	"github.com/funcmigrate/funcmigrate/rewrite/edit"
)

// TestHostLoggingActions checks the Program.cs advice of the host.json
// logging findings, which the fixtures (messages only) do not show: each
// entry gets the exact filter call with the category and level it replaces.
func TestHostLoggingActions(t *testing.T) {
	src := []byte(`{
  "version": "2.0",
  "logging": {
    "logLevel": {
      "default": "warning",
      "Function": "Information",
      "Function.ProcessOrder.User": "debug",
      "Contoso.Billing": "Trace",
      "Contoso.Odd": "Loud"
    },
    "applicationInsights": {
      "samplingSettings": { "isEnabled": true, "maxTelemetryItemsPerSecond": 20, "excludedTypes": "Request;Exception" }
    }
  }
}`)
	_, findings, err := MigrateHostJSON("host.json", src)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct{ rule, key, action string }{
		{RuleHostLogging, `"logLevel"`, `"default": "warning" corresponds to builder.Logging.SetMinimumLevel(LogLevel.Warning)`},
		{RuleHostLogLevels, `"Function"`, `builder.Logging.AddFilter("<namespace of your function classes>", LogLevel.Information)`},
		{RuleHostLogLevels, `"Function"`, `not Function.<name>.User`},
		{RuleHostLogLevels, `"Function.ProcessOrder.User"`, `builder.Logging.AddFilter("ProcessOrder", LogLevel.Debug) if it calls context.GetLogger("ProcessOrder")`},
		{RuleHostLogLevels, `"Function.ProcessOrder.User"`, `builder.Logging.AddFilter("<namespace>.<class of ProcessOrder>", LogLevel.Debug) for an ILogger<T> of its class`},
		{RuleHostLogLevels, `"Contoso.Billing"`, `Add builder.Logging.AddFilter("Contoso.Billing", LogLevel.Trace) to Program.cs`},
		{RuleHostLogLevels, `"Contoso.Billing"`, `"Logging": {"LogLevel": {"Contoso.Billing": "Trace"}}`},
		{RuleHostLogLevels, `"Contoso.Odd"`, `builder.Logging.AddFilter("Contoso.Odd", LogLevel.<level>)`},
		{RuleHostLogging, `"applicationInsights"`, `AddApplicationInsightsTelemetryWorkerService(options => …).ConfigureFunctionsApplicationInsights()`},
		{RuleHostSampling, `"samplingSettings"`, `UseAdaptiveSampling(maxTelemetryItemsPerSecond: 20, excludedTypes: "Request;Exception")`},
	}
	for _, w := range want {
		found := false
		for _, f := range findings {
			key := string(src[f.Offset:min(len(src), f.Offset+len(w.key))])
			if f.Rule == w.rule && key == w.key && strings.Contains(f.Action, w.action) {
				found = true
			}
		}
		if !found {
			t.Errorf("no %s finding at %s whose action contains %s", w.rule, w.key, w.action)
		}
	}
	if len(findings) != 7 {
		t.Errorf("got %d findings, want 7 (two sections, four entries, sampling)", len(findings))
	}
}

// TestParseJSON checks the exported view of the scanner: spans, decoded
// strings, case-insensitive lookup and member removal through the shared
// edit helper.
func TestParseJSON(t *testing.T) {
	src := []byte("\xef\xbb\xbf{\n  // c\n  \"a\": [1, \"x\\u0041\"],\n  \"B\": {\"k\": true},\n  \"b\": null,\n}\n")
	v, err := ParseJSON("t.json", src)
	if err != nil {
		t.Fatal(err)
	}
	if v.Kind != JSONObject || len(v.Members) != 3 {
		t.Fatalf("got %v with %d members", v.Kind, len(v.Members))
	}
	a := v.Lookup("A")
	if a == nil || a.Value.Kind != JSONArray || len(a.Value.Elems) != 2 || a.Value.Elems[1].Str != "xA" {
		t.Fatalf("Lookup(A) = %+v", a)
	}
	if got := string(src[a.KeyStart:a.KeyEnd]); got != `"a"` {
		t.Errorf("key span %q", got)
	}
	if e := a.Value.Elems[1]; string(src[e.Start:e.End]) != `"x\u0041"` {
		t.Errorf("string span %q", src[e.Start:e.End])
	}
	if b := v.Lookup("b"); b == nil || b.Value.Kind != JSONNull {
		t.Errorf("Lookup(b) should find the last of B and b, got %+v", b)
	}
	out, err := edit.Apply(src, v.RemoveMembers(src, 1))
	if err != nil {
		t.Fatal(err)
	}
	if want := "\xef\xbb\xbf{\n  // c\n  \"a\": [1, \"x\\u0041\"],\n  \"b\": null,\n}\n"; string(out) != want {
		t.Errorf("RemoveMembers:\n%q\nwant\n%q", out, want)
	}
	if _, err := ParseJSON("bad.json", []byte(`{"a": 'x'}`)); err == nil {
		t.Error("single quotes parsed")
	}
	if v, err := ParseJSON("arr.json", []byte(`[]`)); err != nil || v.Kind != JSONArray {
		t.Errorf("top-level array: %v, %v", v, err)
	}
}
