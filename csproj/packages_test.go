package csproj

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
)

// workerAPI is where CI keeps the API catalog, relative to this package
// directory (the repository's shared/ folder sits next to main/).
const workerAPI = "../../shared/worker-api.json"

// TestVersionsMatchWorkerAPI checks that every isolated package the data
// can emit has exactly the version worker-api.json records for it.
func TestVersionsMatchWorkerAPI(t *testing.T) {
	b, err := os.ReadFile(workerAPI)
	if err != nil {
		t.Fatalf("worker-api.json is expected at %s (shared/worker-api.json beside the repository; CI provides it): %v", workerAPI, err)
	}
	var api struct {
		Packages []struct {
			ID         string `json:"id"`
			Version    string `json:"version"`
			LastV2Tag  string `json:"lastV2Tag"`
			Status     string `json:"status"`
			StaleSnaps string `json:"staleSnapshot"`
		} `json:"packages"`
	}
	if err := json.Unmarshal(b, &api); err != nil {
		t.Fatalf("%s: %v", workerAPI, err)
	}
	type entry struct{ version, lastV2, stale string }
	known := map[string]entry{}
	for _, p := range api.Packages {
		known[strings.ToLower(p.ID)] = entry{p.Version, p.LastV2Tag, p.Status + p.StaleSnaps}
	}
	for _, p := range data.Isolated {
		e, ok := known[strings.ToLower(p.ID)]
		switch p.ID {
		case "Microsoft.Azure.Functions.Worker.Extensions.OpenApi":
			// Exception: the OpenAPI extension lives outside the repositories
			// worker-api.json was built from. 1.5.1 comes from MAPPING.md §2
			// (openapi-extension #681) and is emitted with a verify finding.
			if ok {
				t.Errorf("%s is now in worker-api.json (%s): drop this exception and use that version", p.ID, e.version)
			}
			continue
		case "Microsoft.Azure.Functions.Worker.Extensions.DurableTask":
			// Exception: worker-api.json's durable snapshot stops at 2024-10
			// (1.1.7) and says so. MAPPING.md §2/§10 take 1.14.1 from Learn's
			// Durable migration guide (S6); it is emitted with a verify finding.
			if !ok || e.stale == "" || compareVersions(e.version, p.Version) >= 0 {
				t.Errorf("%s: worker-api.json has %q (stale note %q); revisit the 1.14.1 exception", p.ID, e.version, e.stale)
			}
			continue
		case "Newtonsoft.Json":
			// Exception: a plain library, not a worker package; 13.0.3 is
			// the current release on nuget.org.
			if ok {
				t.Errorf("%s is now in worker-api.json (%s): check the version", p.ID, e.version)
			}
			continue
		case "Microsoft.ApplicationInsights.WorkerService":
			// Exception: worker-api.json records the AI repository's HEAD
			// (3.x) and its last 2.x tag. MAPPING.md §1.5 pins 2.x because
			// 3.0 breaks the worker integration (dotnet-worker #3318, #3322).
			if !ok || e.lastV2 != p.Version {
				t.Errorf("%s: worker-api.json lastV2Tag %q, data %s", p.ID, e.lastV2, p.Version)
			}
			continue
		}
		if !ok {
			t.Errorf("%s %s: not in worker-api.json", p.ID, p.Version)
		} else if e.version != p.Version {
			t.Errorf("%s: data has %s, worker-api.json has %s", p.ID, p.Version, e.version)
		}
	}
}

// TestCatalog checks the embedded data and the lookups built on it.
func TestCatalog(t *testing.T) {
	if _, err := loadCatalog(packagesJSON); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ id, action, add string }{
		{"Microsoft.NET.Sdk.Functions", actReplace, ""},
		{"microsoft.net.sdk.functions", actReplace, ""},
		{"Microsoft.Azure.WebJobs.Host.Storage", actReplace, ""},
		{"Microsoft.Azure.WebJobs.Extensions.Storage", actReplace, "Microsoft.Azure.Functions.Worker.Extensions.Storage.Blobs"},
		{"Microsoft.Azure.WebJobs.Extensions.DocumentDB", actReplace, "Microsoft.Azure.Functions.Worker.Extensions.CosmosDB"},
		{"Microsoft.Azure.WebJobs.ServiceBus", actReplace, "Microsoft.Azure.Functions.Worker.Extensions.ServiceBus"},
		{"Microsoft.Azure.WebJobs.Extensions.OpenApi", actReplace, "Microsoft.Azure.Functions.Worker.Extensions.OpenApi"},
		{"Microsoft.Azure.WebJobs.Extensions.OpenApi.Core", actLeave, ""},
		{"Microsoft.Azure.WebJobs.Extensions.Twilio", actKeep, ""},
		{"Microsoft.Azure.WebJobs.Extensions.Redis", actKeep, ""},
		{"Microsoft.Azure.WebJobs.Sources", actKeep, ""},
		{"Microsoft.DurableTask.SqlServer.AzureFunctions", actKeep, ""},
		// Functions 1.x packages and the SDKs their bindings used.
		{"Microsoft.Azure.WebJobs.Extensions.Http", actReplace, ""},
		{"WindowsAzure.Storage", actKeep, ""},
		{"microsoft.azure.storage.blob", actKeep, ""},
		{"Microsoft.Azure.Storage.Queue", actKeep, ""},
		{"Microsoft.Azure.DocumentDB", actKeep, ""},
		{"Microsoft.Azure.DocumentDB.Core", actKeep, ""},
	} {
		r, ok := data.inprocess(tc.id)
		if !ok || r.Action != tc.action || (tc.add != "" && (len(r.Add) == 0 || r.Add[0] != tc.add)) {
			t.Errorf("inprocess(%s) = %+v, %v; want action %s adding %q", tc.id, r, ok, tc.action, tc.add)
		}
	}
	for _, id := range []string{"Newtonsoft.Json", "Microsoft.Azure.Functions.Worker", "Microsoft.Extensions.Http", "Azure.Storage.Blobs", "Microsoft.Azure.Cosmos"} {
		if r, ok := data.inprocess(id); ok {
			t.Errorf("inprocess(%s) = %+v; want no rule", id, r)
		}
	}
	for name, want := range map[string]bool{"Microsoft.CSharp": true, "system.net.http": true, "System": true, "System.Configuration": false, "System.Web": false, "System.Net.Http.Formatting": false} {
		if got := data.sharedFramework(name); got != want {
			t.Errorf("sharedFramework(%s) = %v, want %v", name, got, want)
		}
	}
	redis, _ := data.inprocess("Microsoft.Azure.WebJobs.Extensions.Redis")
	f := redis.Finding.expand("Microsoft.Azure.WebJobs.Extensions.Redis")
	if !strings.Contains(f.Action, "Microsoft.Azure.Functions.Worker.Extensions.Redis") {
		t.Errorf("{suggest} not expanded: %q", f.Action)
	}
	ids := []string{
		"Microsoft.ApplicationInsights.WorkerService",
		"Microsoft.Azure.Functions.Worker.Extensions.Timer",
		"Microsoft.Azure.Functions.Worker.Sdk",
		"Microsoft.Azure.Functions.Worker.ApplicationInsights",
		"Microsoft.Azure.Functions.Worker.Extensions.CosmosDB",
		"Microsoft.Azure.Functions.Worker",
	}
	data.sortIsolated(ids)
	want := "Microsoft.Azure.Functions.Worker Microsoft.Azure.Functions.Worker.Sdk " +
		"Microsoft.Azure.Functions.Worker.Extensions.CosmosDB Microsoft.Azure.Functions.Worker.Extensions.Timer " +
		"Microsoft.ApplicationInsights.WorkerService Microsoft.Azure.Functions.Worker.ApplicationInsights"
	if got := strings.Join(ids, " "); got != want {
		t.Errorf("sortIsolated:\n got %s\nwant %s", got, want)
	}
}

func TestBadCatalogs(t *testing.T) {
	for _, tc := range []struct{ name, json, want string }{
		{"no version", `{"isolated":[{"id":"A","version":"x","group":"core","ref":"r"}],"targets":[{"tfm":"net10.0"}]}`, "bad version"},
		{"emitted without row", `{"isolated":[],"always":["A"],"targets":[{"tfm":"net10.0"}]}`, "has no isolated row"},
		{"misspelt key", `{"isolated":[{"id":"A","version":"1.0.0","group":"core","ref":"r","verfiy":"x"}],"targets":[{"tfm":"net10.0"}]}`, "unknown field"},
		{"keep without finding", `{"isolated":[],"inprocess":[{"id":"A","action":"keep","ref":"r"}],"targets":[{"tfm":"net10.0"}]}`, "keep needs a finding"},
	} {
		if _, err := loadCatalog([]byte(tc.json)); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want %q", tc.name, err, tc.want)
		}
	}
}

func TestCompareVersions(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{"1.23.0", "2.0.0", -1},
		{"2.0.0", "2.0", 0},
		{"2.52.0", "2.0.0", 1},
		{"1.0.0-preview1", "1.0.0", 0},
		{"[1.0,2.0)", "2.0.0", 0},
		{"$(WorkerVersion)", "2.0.0", 0},
	} {
		if got := compareVersions(tc.a, tc.b); got != tc.want {
			t.Errorf("compareVersions(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
}
