package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/funcmigrate/funcmigrate/rewrite/catalog"
)

// Every format carries the same findings: SARIF has one result per JSON
// line, each on the same file and line, and every rule id it names is
// described in the driver.
func TestFormatsAgree(t *testing.T) {
	requireGit(t)
	repo := newRepo(t, filepath.Join(sampleDir, "OrderApp"))
	_, _, jsonOut := runIn(t, repo, "diff", ".", "--format", "json") // flags may follow the path
	code, _, _ := runIn(t, repo, "diff", "--format", "sarif", "--report", "f.sarif", ".")
	if code != 1 {
		t.Fatalf("exit %d", code)
	}
	data, err := os.ReadFile(filepath.Join(repo, "f.sarif"))
	if err != nil {
		t.Fatal(err)
	}
	var log struct {
		Version string
		Runs    []struct {
			Tool struct {
				Driver struct {
					Rules []struct{ ID string }
				}
			}
			Results []struct {
				RuleID    string
				RuleIndex int
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI string }
						Region           *struct{ StartLine int }
					}
				}
			}
		}
	}
	if err := json.Unmarshal(data, &log); err != nil || log.Version != "2.1.0" || len(log.Runs) != 1 {
		t.Fatalf("not a SARIF 2.1.0 log: %v", err)
	}
	validateSARIF(t, filepath.Join(repo, "f.sarif"))
	run := log.Runs[0]
	lines := strings.Split(strings.TrimSpace(jsonOut), "\n")
	if len(run.Results) != len(lines) || len(lines) < 3 {
		t.Fatalf("%d SARIF results for %d JSON findings", len(run.Results), len(lines))
	}
	if len(run.Tool.Driver.Rules) != len(catalog.All()) {
		t.Errorf("driver lists %d rules, the catalog %d", len(run.Tool.Driver.Rules), len(catalog.All()))
	}
	for i, l := range lines {
		var f struct {
			Rule, File string
			Line       int
		}
		json.Unmarshal([]byte(l), &f)
		r := run.Results[i]
		if r.RuleID != f.Rule || run.Tool.Driver.Rules[r.RuleIndex].ID != f.Rule {
			t.Errorf("result %d: rule %s (index %d), JSON says %s", i, r.RuleID, r.RuleIndex, f.Rule)
		}
		loc := r.Locations[0].PhysicalLocation
		line := 0
		if loc.Region != nil {
			line = loc.Region.StartLine
		}
		if loc.ArtifactLocation.URI != f.File || line != f.Line {
			t.Errorf("result %d at %s:%d, JSON says %s:%d", i, loc.ArtifactLocation.URI, line, f.File, f.Line)
		}
	}

	// Markdown: the checklist has one unchecked box per finding that needs a person.
	_, _, md := runIn(t, repo, "diff", "--format", "markdown", ".")
	need := strings.Count(jsonOut, `"severity":"warning"`)
	if got := strings.Count(md, "- [ ] "); got != need || !strings.HasPrefix(md, "## funcmigrate") {
		t.Errorf("markdown has %d checklist items for %d findings that need a person:\n%s", got, need, md)
	}
}

// apply with a machine-readable format keeps its own messages off the
// report's stream.
func TestApplyJSONStaysJSON(t *testing.T) {
	requireGit(t)
	repo := newRepo(t, filepath.Join(sampleDir, "OrderApp"))
	_, stdout, stderr := runIn(t, repo, "apply", "--format", "json", ".")
	for _, l := range strings.Split(strings.TrimSpace(stdout), "\n") {
		if !json.Valid([]byte(l)) {
			t.Fatalf("not JSON on standard output: %q", l)
		}
	}
	if !strings.Contains(stderr, "migrated OrderApp.csproj") {
		t.Errorf("what apply wrote is not on standard error:\n%s", stderr)
	}
}

func TestRulesCommand(t *testing.T) {
	_, out, _ := runIn(t, t.TempDir(), "rules")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	all := catalog.All()
	if len(lines) != len(all) {
		t.Fatalf("%d lines for %d rules", len(lines), len(all))
	}
	for i, r := range all {
		if f := strings.Fields(lines[i]); f[0] != r.ID || !strings.Contains(lines[i], r.Ref) {
			t.Errorf("line %d: %q, want %s … %s", i, lines[i], r.ID, r.Ref)
		}
	}
	code, out, _ := runIn(t, t.TempDir(), "rules", "cs-binder")
	r, _ := catalog.Lookup("cs-binder")
	if code != 0 || !strings.HasPrefix(out, "cs-binder: "+r.Title+"\n\n"+r.Doc) || !strings.Contains(out, "reference: MAPPING.md §4.8") {
		t.Errorf("rules cs-binder: exit %d\n%s", code, out)
	}
}

// sarifValidatorPath is resolved before any test changes the folder.
var sarifValidatorPath, _ = filepath.Abs("../../.ci/sarif/validate.mjs")

// validateSARIF checks a file against the SARIF 2.1.0 schema with the
// validator .ci/run installs (rewrite/report's TestSARIFSchema checks that
// it rejects broken logs); outside CI the check is skipped without it.
func validateSARIF(t *testing.T, file string) {
	t.Helper()
	validator := sarifValidatorPath
	node, err := exec.LookPath("node")
	if err == nil {
		_, err = os.Stat(filepath.Join(filepath.Dir(validator), "node_modules"))
	}
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("SARIF schema check cannot run in CI: %v", err)
		}
		t.Logf("SARIF schema check skipped: %v", err)
		return
	}
	if out, err := exec.Command(node, validator, file).CombinedOutput(); err != nil {
		t.Errorf("%s is not valid SARIF 2.1.0: %v\n%s", file, err, out)
	}
}
