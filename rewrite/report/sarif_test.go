package report

import (
	"bytes"
	"encoding/json"
	"testing"
)

// sarifCases are compared byte for byte with testdata/<name>.
var sarifCases = []struct {
	name    string
	fs      []Finding
	rules   []RuleInfo
	version string
}{
	{"findings.sarif", testFindings, testRules, "1.4.0"},
	// Code scanning needs a log even when there is nothing to say, so that
	// alerts from an earlier run close: an empty results array, no rules.
	{"empty.sarif", nil, nil, ""},
}

func TestSARIFGolden(t *testing.T) {
	for _, tc := range sarifCases {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := WriteSARIF(&buf, tc.fs, tc.rules, tc.version); err != nil {
				t.Fatal(err)
			}
			checkGolden(t, tc.name, buf.Bytes())

			var again bytes.Buffer
			if err := WriteSARIF(&again, tc.fs, tc.rules, tc.version); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(buf.Bytes(), again.Bytes()) {
				t.Error("a second WriteSARIF of the same input gave different bytes")
			}
		})
	}
}

// TestSARIFIndexes checks what the golden file shows only by example: each
// result's ruleIndex names its own rule, every finding has a result, the
// rules are sorted by id, and no two results share a fingerprint.
func TestSARIFIndexes(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteSARIF(&buf, testFindings, testRules, "1.4.0"); err != nil {
		t.Fatal(err)
	}
	var log struct {
		Runs []struct {
			Tool struct {
				Driver struct {
					Rules []struct{ ID string }
				}
			}
			Results []struct {
				RuleID              string
				RuleIndex           int
				PartialFingerprints map[string]string
			}
		}
	}
	if err := json.Unmarshal(buf.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	if len(log.Runs) != 1 {
		t.Fatalf("got %d runs, want 1", len(log.Runs))
	}
	run := log.Runs[0]
	rules := run.Tool.Driver.Rules
	for i := 1; i < len(rules); i++ {
		if rules[i-1].ID >= rules[i].ID {
			t.Errorf("rules out of order or repeated: %q before %q", rules[i-1].ID, rules[i].ID)
		}
	}
	if len(rules) != len(testRules)+2 {
		t.Errorf("got %d rules, want the %d given plus one each for deploy-app-settings and test-project", len(rules), len(testRules))
	}
	if len(run.Results) != len(testFindings) {
		t.Fatalf("got %d results for %d findings", len(run.Results), len(testFindings))
	}
	prints := map[string]bool{}
	for i, r := range run.Results {
		if r.RuleID != testFindings[i].Rule {
			t.Errorf("result %d: ruleId %q, want %q", i, r.RuleID, testFindings[i].Rule)
		}
		if r.RuleIndex < 0 || r.RuleIndex >= len(rules) || rules[r.RuleIndex].ID != r.RuleID {
			t.Errorf("result %d: ruleIndex %d does not name rule %q", i, r.RuleIndex, r.RuleID)
		}
		fp := r.PartialFingerprints[fingerprintKey]
		if fp == "" || prints[fp] {
			t.Errorf("result %d: fingerprint %q is empty or repeated", i, fp)
		}
		prints[fp] = true
	}
}

// TestSARIFFingerprintIgnoresLine: moving a finding to another line keeps
// its fingerprint, so code scanning keeps the same alert.
func TestSARIFFingerprintIgnoresLine(t *testing.T) {
	fingerprintAt := func(line int) string {
		f := testFindings[1]
		f.Line = line
		var buf bytes.Buffer
		if err := WriteSARIF(&buf, []Finding{f}, nil, ""); err != nil {
			t.Fatal(err)
		}
		var log struct {
			Runs []struct {
				Results []struct{ PartialFingerprints map[string]string }
			}
		}
		if err := json.Unmarshal(buf.Bytes(), &log); err != nil {
			t.Fatal(err)
		}
		return log.Runs[0].Results[0].PartialFingerprints[fingerprintKey]
	}
	if a, b := fingerprintAt(12), fingerprintAt(30); a != b {
		t.Errorf("fingerprint changed with the line: %q, then %q", a, b)
	}
}

func TestSARIFURI(t *testing.T) {
	tests := []struct {
		path, want, reason string
	}{
		{"src/App/Orders.cs", "src/App/Orders.cs", "unreserved characters and slashes stay"},
		{"src/My App/Orders.cs", "src/My%20App/Orders.cs", "a space is not allowed in a URI"},
		{"src/Café/Ørders.cs", "src/Caf%C3%A9/%C3%98rders.cs", "non-ASCII is percent-encoded UTF-8"},
		{"c:/App/x.cs", "c%3A/App/x.cs", "a colon in the first segment would read as a scheme"},
		{"a/100%/b#c?d.cs", "a/100%25/b%23c%3Fd.cs", "%, # and ? would start an escape, a fragment and a query"},
		{"a/[x]+y.cs", "a/%5Bx%5D%2By.cs", "reserved characters are encoded rather than trusted"},
	}
	for _, tc := range tests {
		if got := sarifURI(tc.path); got != tc.want {
			t.Errorf("sarifURI(%q) = %q, want %q (%s)", tc.path, got, tc.want, tc.reason)
		}
	}
}

func TestCamelCase(t *testing.T) {
	tests := []struct{ id, want string }{
		{"cs-function-attribute", "CsFunctionAttribute"},
		{"csproj-target-framework", "CsprojTargetFramework"},
		{"deploy_app.settings", "DeployAppSettings"},
		{"x", "X"},
		{"", ""},
	}
	for _, tc := range tests {
		if got := camelCase(tc.id); got != tc.want {
			t.Errorf("camelCase(%q) = %q, want %q", tc.id, got, tc.want)
		}
	}
}
