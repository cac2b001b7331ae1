package report

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/rogpeppe/go-internal/diff"
)

var update = flag.Bool("update", false, "rewrite testdata/*.sarif and testdata/*.md from the current output (check every changed line before committing)")

const learnURL = "https://learn.microsoft.com/azure/azure-functions/migrate-dotnet-to-isolated-model"

// testRules are the rules the SARIF driver lists: cs-startup has no finding
// below, and deploy-app-settings, which has one, is missing on purpose.
var testRules = []RuleInfo{
	{
		ID:    "cs-function-attribute",
		Title: "replace [FunctionName] with [Function]",
		Doc: `FunctionName becomes Function from Microsoft.Azure.Functions.Worker, with
the same name.`,
		Ref: "MAPPING.md §3.1",
		URL: learnURL,
	},
	{
		ID:    "cs-executioncontext",
		Title: "replace ExecutionContext with FunctionContext",
		// Wrapped lines, two paragraphs, and a second paragraph that would
		// be a heading if it were not escaped.
		Doc: `ExecutionContext parameters become FunctionContext; the members used on
them follow MAPPING.md §4.3 and ILogger<T> comes from the context.

#if blocks around them are left as they are.`,
		Ref: "MAPPING.md §4.3",
		URL: learnURL,
	},
	{
		ID:    "cs-startup",
		Title: "move FunctionsStartup into Program.cs",
		Doc:   "The Startup class's registrations move into Program.cs.",
		Ref:   "MAPPING.md §5.3",
	},
	{
		ID:    "csproj-target-framework",
		Title: "set a supported target framework",
		Doc:   "The project targets net10.0 unless told otherwise.",
		Ref:   "MAPPING.md §1.6",
		URL:   "https://dotnet.microsoft.com/platform/support/policy/dotnet-core",
	},
}

// testFindings cover, in the engine's order (file, then line): a finding
// with no path whose rule is not in testRules, one with no path but its
// project (SARIF points at the project file), a path with a space and
// non-ASCII letters, the same finding twice (their fingerprints must
// differ), a note with a line, Markdown-hostile text and a whole-file
// finding.
var testFindings = []Finding{
	{
		Rule:    "deploy-app-settings",
		Message: "the Azure app setting FUNCTIONS_WORKER_RUNTIME must become dotnet-isolated",
		Action:  "set it in every slot before deploying",
		Ref:     "MAPPING.md §6.3",
		URL:     learnURL,
	},
	{
		Rule:    "test-project",
		Project: "tests/Orders.Tests/Orders.Tests.csproj",
		Message: "the tests reference Microsoft.Azure.WebJobs types",
		Action:  "rewrite the fakes against the worker types",
		Ref:     "MAPPING.md §8 item 4",
	},
	{
		Rule:    "cs-executioncontext",
		Path:    "src/Café Orders/Functions/Ørders.cs",
		Line:    12,
		Message: "ExecutionContext.FunctionDirectory has no isolated counterpart",
		Action:  "read the directory from the environment (AzureWebJobsScriptRoot)",
		Ref:     "MAPPING.md §4.3",
		URL:     learnURL,
	},
	{
		Rule:    "cs-executioncontext",
		Path:    "src/Café Orders/Functions/Ørders.cs",
		Line:    40,
		Message: "ExecutionContext.FunctionDirectory has no isolated counterpart",
		Action:  "read the directory from the environment (AzureWebJobsScriptRoot)",
		Ref:     "MAPPING.md §4.3",
		URL:     learnURL,
	},
	{
		Rule:     "csproj-target-framework",
		Path:     "src/InventoryApp/InventoryApp.csproj",
		Line:     5,
		Message:  "net10.0 is supported until November 2028 and does not run on the Linux Consumption plan",
		Ref:      "MAPPING.md §1.6",
		Severity: SeverityNote,
	},
	{
		Rule:    "cs-function-attribute",
		Path:    "src/InventoryApp/Orders.cs",
		Line:    7,
		Message: "[FunctionName(\"Get|Orders\")] on `Run<T>` uses *two* names_like_this & $return\n<script>alert(1)</script>",
		Action:  "pick one name | keep ``Run``",
		Ref:     "MAPPING.md §3.1",
		URL:     "https://example.org/search?q=a b&x=(1)",
	},
	{
		Rule:    "cs-startup",
		Path:    "src/InventoryApp/Startup.cs",
		Message: "Startup registers services through IWebJobsBuilder extensions that have no isolated form",
		Action:  "register them on builder.Services in Program.cs",
		Ref:     "MAPPING.md §5.3",
	},
}

// checkGolden compares got with testdata/name byte for byte; -update
// rewrites the file instead.
func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	file := filepath.Join("testdata", name)
	if *update {
		if old, _ := os.ReadFile(file); !bytes.Equal(old, got) {
			if err := os.WriteFile(file, got, 0o666); err != nil {
				t.Fatal(err)
			}
			t.Logf("updated %s", file)
		}
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("output differs from %s (run with -update to accept, then check every line):\n%s", file, diff.Diff(file, want, "got", got))
	}
}
