package apifacts

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"slices"
	"testing"
)

var update = flag.Bool("update", false, "rewrite attributes.json and members.json from ../../../shared/worker-api.json")

const shared = "../../../shared/worker-api.json"

func TestCopyMatchesShared(t *testing.T) {
	src, err := os.ReadFile(shared)
	if err != nil {
		t.Skipf("%s not present (it sits beside the repository in CI): %v", shared, err)
	}
	attrs, err := Extract(src)
	if err != nil {
		t.Fatal(err)
	}
	wantAttrs, _ := json.MarshalIndent(attrs, "", " ")
	wantAttrs = append(wantAttrs, '\n')
	types, err := ExtractTypes(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		file      string
		want, got []byte
	}{
		{"attributes.json", wantAttrs, attributesJSON},
		{"members.json", EncodeTypes(types), membersJSON},
	} {
		if *update {
			if err := os.WriteFile(c.file, c.want, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if !bytes.Equal(c.want, c.got) {
			t.Errorf("%s is out of date with %s; run go test ./internal/apifacts -update", c.file, shared)
		}
	}
}

func TestAttributesLoad(t *testing.T) {
	m, err := Attributes()
	if err != nil {
		t.Fatal(err)
	}
	q, ok := m["QueueOutput"]
	if !ok || q.Namespace != "Microsoft.Azure.Functions.Worker" || len(q.Constructors) != 1 || q.Constructors[0][0].Name != "queueName" {
		t.Fatalf("QueueOutput facts wrong: %+v", q)
	}
	for _, tc := range []struct {
		attr string
		n    int
		want bool
	}{
		{"ServiceBusOutput", 1, true}, // entityType has a default
		{"ServiceBusOutput", 2, true},
		{"ServiceBusOutput", 3, false},
		{"HttpTrigger", 4, true}, // params methods
		{"QueueOutput", 0, false},
		{"SqlInput", 3, true},
	} {
		if got := m[tc.attr].Fits(tc.n); got != tc.want {
			t.Errorf("%s.Fits(%d) = %v, want %v", tc.attr, tc.n, got, tc.want)
		}
	}
	if !m["CosmosDBTrigger"].HasParam("containerName") || m["CosmosDBTrigger"].HasParam("collectionName") {
		t.Errorf("CosmosDBTrigger constructor labels wrong")
	}
}

func TestTypesLoad(t *testing.T) {
	m, err := Types()
	if err != nil {
		t.Fatal(err)
	}
	get := func(k string) Type {
		x, ok := m[k]
		if !ok {
			t.Fatalf("no type %s", k)
		}
		return x
	}
	ctx, client, feature := get("TaskOrchestrationContext"), get("DurableTaskClient"), get("TaskOrchestrationEntityFeature")
	for _, tc := range []struct {
		t     Type
		name  string
		n     int
		named []string
		want  bool
	}{
		{ctx, "CallActivityAsync", 2, nil, true},
		{ctx, "CallActivityAsync", 3, []string{"options"}, true},
		{ctx, "CallActivityAsync", 2, []string{"retryOptions"}, false},
		{ctx, "CallActivityAsync", 4, nil, false},
		{ctx, "CallActivityWithRetryAsync", 3, nil, false},
		{ctx, "CallHttpAsync", 2, nil, true}, // an extension method
		{ctx, "ContinueAsNew", 2, []string{"preserveUnprocessedEvents"}, true},
		{ctx, "GetInput", 0, nil, false}, // T cannot be inferred
		{client, "StartNewAsync", 1, nil, false},
		{client, "ScheduleNewOrchestrationInstanceAsync", 1, nil, true},
		{client, "RestartAsync", 2, []string{"restartWithNewInstanceId"}, true},
		{client, "RestartAsync", 2, []string{"restart"}, false},
		{client, "CreateCheckStatusResponseAsync", 2, nil, true},
		{client, "CreateCheckStatusResponseAsync", 1, nil, false},
		{feature, "LockEntitiesAsync", 3, nil, true}, // params
		{feature, "SignalEntityAsync", 2, nil, true},
		{get("TaskEntityDispatcher"), "DispatchAsync", 1, nil, true},
		{get("TaskEntityState"), "SetState", 1, nil, true},
		{get("TaskOptions"), "FromRetryPolicy", 1, nil, false}, // static
		{get("EntityInstanceId"), "ToString", 0, nil, true},    // System.Object's
	} {
		if got := tc.t.FitsCall(tc.name, tc.n, tc.named); got != tc.want {
			t.Errorf("%s.FitsCall(%s, %d, %v) = %v, want %v", tc.t.Name, tc.name, tc.n, tc.named, got, tc.want)
		}
	}
	fits := func(t Type, name string, typeArgs, n int) bool {
		for _, x := range t.Method(name) {
			if x.Fits(typeArgs, n, nil) {
				return true
			}
		}
		return false
	}
	if !fits(ctx, "GetInput", 1, 0) || !fits(ctx, "CallActivityAsync", 1, 2) || fits(ctx, "CreateTimer", 1, 2) {
		t.Errorf("type-argument checks wrong")
	}
	if d := get("TaskEntityDispatcher"); !fits(d, "DispatchAsync", 1, 0) || fits(d, "DispatchAsync", 0, 0) || d.Namespace != "Microsoft.Azure.Functions.Worker" {
		t.Errorf("TaskEntityDispatcher facts wrong: %+v", d)
	}
	if !get("TaskOptions").FitsStaticCall("FromRetryPolicy", 1, nil) || get("TaskOptions").FitsStaticCall("WithInstanceId", 1, nil) {
		t.Errorf("static calls wrong")
	}
	if p, _ := client.Property("Entities"); p.Type != "DurableEntityClient" || !get("DurableEntityClient").FitsCall("SignalEntityAsync", 3, nil) {
		t.Errorf("DurableTaskClient.Entities facts wrong: %+v", p)
	}
	if p, _ := ctx.Property("Parent"); TypeKey(p.Type) != "ParentOrchestrationInstance" || !get("ParentOrchestrationInstance").HasMember("InstanceId") {
		t.Errorf("positional record properties missing")
	}
	for _, tc := range []struct {
		t     Type
		n     int
		named []string
		want  bool
	}{
		{get("RetryPolicy"), 1, nil, false},
		{get("RetryPolicy"), 2, nil, true},
		{get("RetryPolicy"), 3, []string{"backoffCoefficient"}, true},
		{get("RetryPolicy"), 6, nil, false},
		{get("PurgeInstancesFilter"), 3, nil, true}, // positional record
		{get("PurgeInstancesFilter"), 0, nil, true},
		{get("SignalEntityOptions"), 0, nil, true}, // implicit constructor
		{get("SignalEntityOptions"), 1, nil, false},
		{get("CleanEntityStorageRequest"), 0, nil, true},
		{get("EntityInstanceId"), 2, nil, true},
		{get("EntityInstanceId"), 0, nil, true}, // a struct
		{ctx, 0, nil, false},                    // abstract
		{get("SubOrchestrationOptions"), 2, nil, true},
	} {
		if got := tc.t.FitsConstructor(tc.n, tc.named); got != tc.want {
			t.Errorf("%s.FitsConstructor(%d, %v) = %v, want %v", tc.t.Name, tc.n, tc.named, got, tc.want)
		}
	}
	sub := get("SubOrchestrationOptions")
	if !sub.Settable("InstanceId") || !sub.Settable("Retry") || sub.Settable("Foo") || get("RetryPolicy").Settable("MaxNumberOfAttempts") || !get("RetryPolicy").Settable("HandleFailure") {
		t.Errorf("settable properties wrong")
	}
	if !get("EntityMetadata").HasMember("State") || get("EntityMetadata`1").TypeParams != 1 {
		t.Errorf("EntityMetadata inheritance wrong")
	}
	if _, ok := m["DurableTaskClientExtensions"]; ok || m["Microsoft.DurableTask.Client.DurableTaskClientExtensions"].Name == "" {
		t.Errorf("same-named types must be keyed by full name")
	}
	if !slices.Contains(get("OrchestrationRuntimeStatus").EnumMembers, "Suspended") {
		t.Errorf("enum members missing")
	}
	for _, x := range client.Extensions {
		if x.Name == "CreateCheckStatusResponseAsync" && (x.Namespace != "Microsoft.Azure.Functions.Worker" || x.Params[0].Name != "request") {
			t.Errorf("extension method facts wrong: %+v", x)
		}
	}
}

func TestTypeKey(t *testing.T) {
	for in, want := range map[string]string{
		"TaskOrchestrationContext":                             "TaskOrchestrationContext",
		"ParentOrchestrationInstance?":                         "ParentOrchestrationInstance",
		"Microsoft.DurableTask.Client.DurableTaskClient":       "DurableTaskClient",
		"EntityMetadata<Dictionary<string, int>>?":             "EntityMetadata`1",
		"global::Microsoft.DurableTask.TaskOrchestrator<A, B>": "TaskOrchestrator`2",
	} {
		if got := TypeKey(in); got != want {
			t.Errorf("TypeKey(%q) = %q, want %q", in, got, want)
		}
	}
	if name, args := SplitGeneric("Task<EntityMetadata<T>?>"); name != "Task" || len(args) != 1 || args[0] != "EntityMetadata<T>?" {
		t.Errorf("SplitGeneric = %q %q", name, args)
	}
}
