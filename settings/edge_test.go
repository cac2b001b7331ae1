package settings

import (
	"testing"

	"github.com/funcmigrate/funcmigrate/rewrite/edit"
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
			name: "multi-line value as last member",
			in:   "{\n  \"IsEncrypted\": false,\n  \"Host\": {\n    \"LocalHttpPort\": 7071\n  }\n}\n",
			want: "{\n  \"IsEncrypted\": false,\n  \"Host\": {\n    \"LocalHttpPort\": 7071\n  },\n  \"Values\": {\n    \"FUNCTIONS_WORKER_RUNTIME\": \"dotnet-isolated\"\n  }\n}\n",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			edits, _, err := MigrateLocalSettings("local.settings.json", []byte(tc.in))
			if err != nil {
				t.Fatal(err)
			}
			got, err := edit.Apply([]byte(tc.in), edits)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tc.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, tc.want)
			}
			if _, err := scan("out", got); err != nil {
				t.Errorf("output does not parse: %v", err)
			}
			if again, _, _ := MigrateLocalSettings("out", got); len(again) > 0 {
				t.Errorf("second run is not a no-op: %v", again)
			}
		})
	}
}
