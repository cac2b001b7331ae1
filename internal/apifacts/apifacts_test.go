package apifacts

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"testing"
)

var update = flag.Bool("update", false, "rewrite attributes.json from ../../../shared/worker-api.json")

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
	want, _ := json.MarshalIndent(attrs, "", " ")
	want = append(want, '\n')
	if *update {
		if err := os.WriteFile("attributes.json", want, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if !bytes.Equal(want, attributesJSON) {
		t.Fatalf("attributes.json is out of date with %s; run go test ./internal/apifacts -update", shared)
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
