package report

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// validator is the SARIF schema check CI installs with
// npm ci --prefix .ci/sarif (see .ci/run).
var validator = filepath.Join("..", "..", ".ci", "sarif", "validate.mjs")

// sarifValidator returns a command that runs the validator on files. It
// skips the test where the validator is not installed, except in CI, which
// must run it.
func sarifValidator(t *testing.T) func(files ...string) (string, error) {
	t.Helper()
	modules := filepath.Join(filepath.Dir(validator), "node_modules")
	node, err := exec.LookPath("node")
	if err == nil {
		_, err = os.Stat(modules)
	}
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("the SARIF schema check must run in CI, but it cannot: %v (.ci/run installs it with npm ci --prefix .ci/sarif)", err)
		}
		t.Skipf("SARIF schema check skipped: %v; run npm ci --prefix .ci/sarif at the repository root to enable it", err)
	}
	// Read what the validator is made of, so that go test's cache, which
	// notes the files a test opens, reruns this test when they change.
	for _, f := range []string{validator, filepath.Join(filepath.Dir(validator), "package-lock.json")} {
		if _, err := os.ReadFile(f); err != nil {
			t.Fatal(err)
		}
	}
	return func(files ...string) (string, error) {
		out, err := exec.Command(node, append([]string{validator}, files...)...).CombinedOutput()
		return string(out), err
	}
}

// TestSARIFSchema validates what WriteSARIF writes against the SARIF 2.1.0
// JSON schema, and makes sure the validator is awake: logs broken on
// purpose must fail it, each for the reason it was broken.
func TestSARIFSchema(t *testing.T) {
	validate := sarifValidator(t)
	dir := t.TempDir()

	var valid []string
	for _, tc := range sarifCases {
		var buf bytes.Buffer
		if err := WriteSARIF(&buf, tc.fs, tc.rules, tc.version); err != nil {
			t.Fatal(err)
		}
		file := filepath.Join(dir, tc.name)
		if err := os.WriteFile(file, buf.Bytes(), 0o666); err != nil {
			t.Fatal(err)
		}
		valid = append(valid, file)
	}
	if out, err := validate(valid...); err != nil {
		t.Fatalf("WriteSARIF's output is not valid SARIF 2.1.0: %v\n%s", err, out)
	}

	broken := []struct {
		name   string
		mutate func(result map[string]any)
		want   string // in the validator's output
	}{
		{"no-message", func(r map[string]any) { delete(r, "message") }, "must have required property 'message'"},
		{"bad-level", func(r map[string]any) { r["level"] = "warn" }, "/level: must be equal to one of the allowed values"},
		{"raw-space-uri", func(r map[string]any) {
			loc := r["locations"].([]any)[0].(map[string]any)["physicalLocation"].(map[string]any)
			loc["artifactLocation"].(map[string]any)["uri"] = "src/Café Orders/Functions/Ørders.cs"
		}, `/uri: must match format "uri-reference"`},
	}
	for _, tc := range broken {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := WriteSARIF(&buf, testFindings, testRules, "1.4.0"); err != nil {
				t.Fatal(err)
			}
			var log map[string]any
			if err := json.Unmarshal(buf.Bytes(), &log); err != nil {
				t.Fatal(err)
			}
			// Result 1 is the first one with a location.
			result := log["runs"].([]any)[0].(map[string]any)["results"].([]any)[1].(map[string]any)
			tc.mutate(result)
			data, err := json.Marshal(log)
			if err != nil {
				t.Fatal(err)
			}
			file := filepath.Join(dir, tc.name+".sarif")
			if err := os.WriteFile(file, data, 0o666); err != nil {
				t.Fatal(err)
			}
			out, err := validate(file)
			if err == nil {
				t.Fatalf("the validator accepted a log broken on purpose (%s):\n%s", tc.name, out)
			}
			if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 {
				t.Fatalf("the validator failed for another reason than the broken log: %v\n%s", err, out)
			}
			if !strings.Contains(out, tc.want) {
				t.Errorf("the validator's output does not say %q:\n%s", tc.want, out)
			}
		})
	}
}
