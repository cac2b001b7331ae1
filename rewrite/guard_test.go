package rewrite

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRulePanicStaysInItsProject: a rule that panics on one project's code
// costs that project, with a finding naming the place, not the run.
func TestRulePanicStaysInItsProject(t *testing.T) {
	root := t.TempDir()
	for _, name := range []string{"A", "B"} {
		write(t, root, map[string]string{
			name + "/" + name + ".csproj": strings.Replace(inprocProject, "%s", "", 1),
			name + "/host.json":           `{"version": "2.0"}`,
			name + "/F.cs":                "class " + name + " {}\n",
		})
	}
	boom := &Rule{Name: "boom", Run: func(p *Pass) {
		if strings.Contains(string(p.File.Src), "class B") {
			var m map[string]int
			m["x"]++ // a nil-map write: the kind of bug a rule could have
		}
	}}
	d, err := DiscoverAll([]string{root})
	if err != nil {
		t.Fatal(err)
	}
	results, err := MigrateAll(d.Projects, Options{Base: root, Rules: []*Rule{boom}})
	if err != nil {
		t.Fatal(err)
	}
	if len(results) != 2 || len(results[0].Changes) == 0 {
		t.Fatalf("project A was not migrated: %+v", results)
	}
	b := results[1]
	if len(b.Changes) != 0 || len(b.Findings) != 1 {
		t.Fatalf("project B: %d changes, findings %+v; want none and one finding", len(b.Changes), b.Findings)
	}
	f := b.Findings[0]
	want := "funcmigrate could not migrate this project (internal error: assignment to entry in nil map at rewrite/guard_test.go:"
	if f.Rule != RuleInternalError || f.Path != "B/B.csproj" || !strings.HasPrefix(f.Message, want) || !strings.HasSuffix(f.Message, "); nothing in it was changed") {
		t.Errorf("finding %+v\nwant rule %s on B/B.csproj with message starting %q", f, RuleInternalError, want)
	}
	if _, err := os.Stat(filepath.Join(root, "B", "Program.cs")); err == nil {
		t.Error("Program.cs written")
	}
}
