package rules

import (
	"slices"
	"strings"
	"testing"

	"github.com/funcmigrate/funcmigrate/csproj"
)

// TestBindingTable checks every row against the facts: the isolated
// attributes it names exist in the worker API, renamed arguments exist on
// the attribute they are renamed for, dropped ones do not, the package has
// a pinned version in the project-file data, and every row cites MAPPING.md.
func TestBindingTable(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range bindings.Bindings {
		if seen[r.Name] {
			t.Errorf("%s: duplicate row", r.Name)
		}
		seen[r.Name] = true
		if !strings.HasPrefix(r.Ref, "MAPPING.md §") {
			t.Errorf("%s: ref %q does not cite MAPPING.md", r.Name, r.Ref)
		}
		if _, ok := csproj.IsolatedVersion(r.Package); !ok {
			t.Errorf("%s: package %s has no version in csproj/packages.json", r.Name, r.Package)
		}
		var targets []string
		for _, x := range []string{r.Trigger, r.Input, r.Output} {
			if x == "" {
				continue
			}
			api, ok := bindings.api[x]
			if !ok {
				t.Errorf("%s: [%s] is not in the worker API", r.Name, x)
				continue
			}
			want := "Microsoft.Azure.Functions.Worker"
			if r.Namespace != "" {
				want = r.Namespace
			}
			if api.Namespace != want {
				t.Errorf("%s: [%s] lives in %s, the row says %s", r.Name, x, api.Namespace, want)
			}
			if api.Package != r.Package {
				t.Errorf("%s: [%s] ships in %s, the row says %s", r.Name, x, api.Package, r.Package)
			}
			targets = append(targets, x)
		}
		if len(targets) == 0 {
			t.Errorf("%s: row migrates to nothing", r.Name)
		}
		for from, to := range r.Renames {
			found := false
			for _, x := range targets {
				api := bindings.api[x]
				if slices.Contains(api.Settable, to) || api.HasParam(to) {
					found = true
				}
			}
			if !found {
				t.Errorf("%s: rename %s → %s names nothing on %v", r.Name, from, to, targets)
			}
		}
		for _, d := range r.Drop {
			for _, x := range targets {
				if slices.Contains(bindings.api[x].Settable, d.Arg) {
					t.Errorf("%s: drops %s, which [%s] does have", r.Name, d.Arg, x)
				}
			}
			if d.Why == "" {
				t.Errorf("%s: drop of %s gives no reason", r.Name, d.Arg)
			}
		}
		for _, n := range r.Types {
			if n.Use == "" || n.Why == "" || !strings.HasPrefix(n.Ref, "MAPPING.md §") {
				t.Errorf("%s: type note %s needs use, why and a MAPPING.md ref", r.Name, n.Type)
			}
		}
	}
	for _, x := range bindings.Retries.Attributes {
		if _, ok := bindings.api[x]; !ok {
			t.Errorf("retry attribute [%s] is not in the worker API", x)
		}
	}
}
