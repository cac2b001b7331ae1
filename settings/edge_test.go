package settings

import (
	"testing"

	"github.com/funcmigrate/funcmigrate/rewrite/edit"
	"github.com/funcmigrate/funcmigrate/rewrite/report"
)

// TestLocalSettingsEdgeCases covers layouts too odd for a fixture of their
// own: duplicate keys, members that share a line, comments in empty objects.
func TestLocalSettingsEdgeCases(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{
			name: "duplicate inproc flags, last without comma",
			in:   "{\"Values\": {\n  \"FUNCTIONS_WORKER_RUNTIME\": \"dotnet\",\n  \"FUNCTIONS_INPROC_NET8_ENABLED\": \"1\",\n  \"FUNCTIONS_INPROC_NET8_ENABLED\": \"1\"\n}}",
			want: "{\"Values\": {\n  \"FUNCTIONS_WORKER_RUNTIME\": \"dotnet-isolated\"\n}}",
		},
		{
			name: "own-line member then inline last member",
			in:   "{\"Values\": {\n  \"FUNCTIONS_WORKER_RUNTIME\": \"dotnet\",\n  \"FUNCTIONS_INPROC_NET8_ENABLED\": \"1\",\n  \"FUNCTIONS_INPROC_NET8_ENABLED\": \"1\" }}",
			want: "{\"Values\": {\n  \"FUNCTIONS_WORKER_RUNTIME\": \"dotnet-isolated\"\n }}",
		},
		{
			name: "inline last member with trailing comma",
			in:   `{"Values": {"FUNCTIONS_WORKER_RUNTIME": "dotnet", "FUNCTIONS_INPROC_NET8_ENABLED": "1",}}`,
			want: `{"Values": {"FUNCTIONS_WORKER_RUNTIME": "dotnet-isolated",}}`,
		},
		{
			name: "only member, inline",
			in:   "{\"Values\": { \"FUNCTIONS_INPROC_NET8_ENABLED\": \"1\" }, \"X\": {\"FUNCTIONS_WORKER_RUNTIME\": \"dotnet\"}}",
			want: "{\"Values\": { \"FUNCTIONS_WORKER_RUNTIME\": \"dotnet-isolated\" }, \"X\": {\"FUNCTIONS_WORKER_RUNTIME\": \"dotnet\"}}",
		},
		{
			name: "duplicate runtimes, both dotnet, keys in other case",
			in:   `{"values": {"functions_worker_runtime": "dotnet", "Functions_Worker_Runtime": "DotNet"}}`,
			want: `{"values": {"functions_worker_runtime": "dotnet-isolated", "Functions_Worker_Runtime": "dotnet-isolated"}}`,
		},
		{
			name: "empty values with a comment inside",
			in:   "{\n  \"Values\": { /* none yet */ }\n}",
			want: "{\n  \"Values\": {\n    \"FUNCTIONS_WORKER_RUNTIME\": \"dotnet-isolated\" /* none yet */ }\n}",
		},
		{
			name: "empty root on one line",
			in:   `{}`,
			want: `{ "Values": { "FUNCTIONS_WORKER_RUNTIME": "dotnet-isolated" } }`,
		},
		{
			name: "last member followed by a block comment on the closing line",
			in:   "{\"Values\": {\"A\": \"1\" /* c */}}",
			want: "{\"Values\": {\"A\": \"1\", \"FUNCTIONS_WORKER_RUNTIME\": \"dotnet-isolated\" /* c */}}",
		},
		{
			name: "dashboard and in-process flag, runtime missing",
			in:   `{"Values": {"AzureWebJobsDashboard": "", "FUNCTIONS_INPROC_NET8_ENABLED": "1"}}`,
			want: `{"Values": {"FUNCTIONS_WORKER_RUNTIME": "dotnet-isolated"}}`,
		},
		{
			name: "dashboard key in other case, runtime present",
			in:   "{\n  \"Values\": {\n    \"FUNCTIONS_WORKER_RUNTIME\": \"dotnet-isolated\",\n    \"azurewebjobsdashboard\": \"\"\n  }\n}\n",
			want: "{\n  \"Values\": {\n    \"FUNCTIONS_WORKER_RUNTIME\": \"dotnet-isolated\"\n  }\n}\n",
		},
		{
			name: "multi-line value as last member",
			in:   "{\n  \"IsEncrypted\": false,\n  \"Host\": {\n    \"LocalHttpPort\": 7071\n  }\n}\n",
			want: "{\n  \"IsEncrypted\": false,\n  \"Host\": {\n    \"LocalHttpPort\": 7071\n  },\n  \"Values\": {\n    \"FUNCTIONS_WORKER_RUNTIME\": \"dotnet-isolated\"\n  }\n}\n",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			checkMigration(t, MigrateLocalSettings, "local.settings.json", tc.in, tc.want)
		})
	}
}

// TestHostV1Layouts covers 1.x host.json layouts too small for a fixture of
// their own: one line without a final newline, comments and trailing commas,
// a moved last member, an "extensions" object that receives multi-line
// sections at another indentation.
func TestHostV1Layouts(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{
			name: "one line",
			in:   `{"http": {"routePrefix": ""}}`,
			want: `{"version": "2.0", "extensions": { "http": {"routePrefix": ""} }}`,
		},
		{
			name: "comments and trailing commas",
			in:   "{\n  // 1.x settings\n  \"queues\": { \"batchSize\": 8 }, // per instance\n  \"functionTimeout\": \"00:10:00\",\n}\n",
			want: "{\n  // 1.x settings\n  \"version\": \"2.0\",\n  \"extensions\": {\n    \"queues\": { \"batchSize\": 8 }\n  }, // per instance\n  \"functionTimeout\": \"00:10:00\",\n}\n",
		},
		{
			name: "moved last member",
			in:   "{\n  \"http\": { \"routePrefix\": \"\" },\n  \"functionTimeout\": \"00:10:00\",\n  \"queues\": { \"batchSize\": 8 }\n}\n",
			want: "{\n  \"version\": \"2.0\",\n  \"extensions\": {\n    \"http\": { \"routePrefix\": \"\" },\n    \"queues\": { \"batchSize\": 8 }\n  },\n  \"functionTimeout\": \"00:10:00\"\n}\n",
		},
		{
			name: "existing extensions, re-indented section",
			in:   "{\n  \"extensions\": {\n    \"http\": {\n      \"routePrefix\": \"\"\n    }\n  },\n  \"serviceBus\": {\n    \"autoComplete\": false\n  }\n}\n",
			want: "{\n  \"version\": \"2.0\",\n  \"extensions\": {\n    \"http\": {\n      \"routePrefix\": \"\"\n    },\n    \"serviceBus\": {\n      \"autoCompleteMessages\": false\n    }\n  }\n}\n",
		},
		{
			name: "extensions not an object",
			in:   "{\n  \"extensions\": null,\n  \"queues\": {}\n}\n",
			want: "{\n  \"version\": \"2.0\",\n  \"extensions\": null,\n  \"queues\": {}\n}\n",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			findings := checkMigration(t, MigrateHostJSON, "host.json", tc.in, tc.want)
			if len(findings) == 0 || findings[0].Rule != RuleHostVersion {
				t.Errorf("first finding should be %s: %+v", RuleHostVersion, findings)
			}
		})
	}
}

func TestMillisToTimeSpan(t *testing.T) {
	for lit, want := range map[string]string{
		"2000": "00:00:02", "500": "00:00:00.500", "60000": "00:01:00", "0": "00:00:00",
		"90061001": "1.01:01:01.001", "-5": "", "2.5": "", "1e3": "", "": "", "1234567890123456": "",
	} {
		got, ok := millisToTimeSpan(lit)
		if got != want || ok != (want != "") {
			t.Errorf("millisToTimeSpan(%q) = %q, %v; want %q", lit, got, ok, want)
		}
	}
}

// checkMigration runs migrate on in and checks the whole output, that it
// parses, and that a second run changes nothing; it returns the findings.
func checkMigration(t *testing.T, migrate func(string, []byte) ([]edit.Edit, []report.Finding, error), path, in, want string) []report.Finding {
	t.Helper()
	edits, findings, err := migrate(path, []byte(in))
	if err != nil {
		t.Fatal(err)
	}
	got, err := edit.Apply([]byte(in), edits)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
	if _, err := scan("out", got); err != nil {
		t.Errorf("output does not parse: %v", err)
	}
	if again, _, _ := migrate("out", got); len(again) > 0 {
		t.Errorf("second run is not a no-op: %v", again)
	}
	return findings
}
