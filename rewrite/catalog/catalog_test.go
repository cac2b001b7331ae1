package catalog

import (
	"bufio"
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/funcmigrate/funcmigrate/rewrite"
	"github.com/funcmigrate/funcmigrate/rewrite/report"
	"github.com/funcmigrate/funcmigrate/rewrite/rules"
	"github.com/funcmigrate/funcmigrate/rewrite/startup"
)

// ruleID is the shape of a rule id (rewrite.Validate checks C# rule names
// against the same pattern).
var ruleID = regexp.MustCompile(`^[a-z][a-z0-9]*(-[a-z0-9]+)*$`)

// moduleRoot walks up from the package folder to the folder holding go.mod.
func moduleRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test's folder")
		}
		dir = parent
	}
}

// idSources maps each rule id found in the code to where it was found.
type idSources map[string][]string

func (s idSources) add(id, where string) { s[id] = append(s[id], where) }

// collectIDs gathers every rule id the repository's code can put into a
// finding:
//
//	(a) string constants whose name starts with Rule or rule;
//	(b) string literals given to a Rule (or rule) field, in a composite
//	    literal (report.Finding{Rule: "x"}, rewrite.Fix{Rule: "x"}) or an
//	    assignment (f.Rule = "x");
//	(c) "rule" values in the JSON files the code embeds (//go:embed);
//	(d) the names of rules.All.
//
// Test files and testdata are skipped: they hold fixtures, not ids the tool
// emits. So are folders starting with "." (.git, and .ci whose node_modules
// are not ours).
func collectIDs(t *testing.T, root string) idSources {
	t.Helper()
	ids := idSources{}
	catalogDir, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	var embedded []string
	fset := token.NewFileSet()
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if path != root && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.ParseComments|parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		rel = filepath.ToSlash(rel)
		collectGo(t, fset, f, rel, ids)
		// The catalog's own rules.json describes ids; it is what is
		// checked here, so it cannot also count as a source.
		if filepath.Dir(path) != catalogDir {
			embedded = append(embedded, embeddedJSON(t, f, filepath.Dir(path))...)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	slices.Sort(embedded)
	embedded = slices.Compact(embedded)
	carriers := 0
	for _, path := range embedded {
		rel, _ := filepath.Rel(root, path)
		n := collectJSON(t, path, filepath.ToSlash(rel), ids)
		if n > 0 {
			carriers++
			t.Logf("%s carries %d rule values", filepath.ToSlash(rel), n)
		}
	}
	if carriers == 0 {
		t.Errorf("no embedded JSON file carries a \"rule\" field (looked at %d); the collector is broken or csproj/packages.json changed shape", len(embedded))
	}

	for _, r := range rules.All {
		ids.add(r.Name, "rules.All")
	}
	return ids
}

// collectGo adds the ids of one Go file: (a) and (b).
func collectGo(t *testing.T, fset *token.FileSet, f *ast.File, rel string, ids idSources) {
	isRuleName := func(s string) bool { return strings.HasPrefix(s, "Rule") || strings.HasPrefix(s, "rule") }
	stringLit := func(e ast.Expr) (string, bool) {
		lit, ok := e.(*ast.BasicLit)
		if !ok || lit.Kind != token.STRING {
			return "", false
		}
		s, err := strconv.Unquote(lit.Value)
		return s, err == nil
	}
	// fieldValue records a literal given to a Rule field. An empty string
	// is no id (a zero value spelt out); anything else must be a valid id.
	fieldValue := func(e ast.Expr) {
		s, ok := stringLit(e)
		if !ok || s == "" {
			return
		}
		if !ruleID.MatchString(s) {
			t.Errorf("%s: %q is given to a Rule field but is not a valid rule id", fset.Position(e.Pos()), s)
			return
		}
		ids.add(s, rel)
	}
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.GenDecl:
			if n.Tok != token.CONST {
				return true
			}
			for _, spec := range n.Specs {
				vs := spec.(*ast.ValueSpec)
				for i, name := range vs.Names {
					if !isRuleName(name.Name) || i >= len(vs.Values) {
						continue // implicit repetition (iota) gives no string
					}
					if _, ok := vs.Values[i].(*ast.BasicLit); !ok {
						t.Errorf("%s: constant %s is not a plain literal; teach collectGo to evaluate it", fset.Position(name.Pos()), name.Name)
						continue
					}
					// Rule* constants that are not ids (a number, a URL, a
					// MAPPING.md reference) are left out: only values shaped
					// like an id can be one.
					if s, ok := stringLit(vs.Values[i]); ok && ruleID.MatchString(s) {
						ids.add(s, rel+" const "+name.Name)
					}
				}
			}
		case *ast.KeyValueExpr:
			if k, ok := n.Key.(*ast.Ident); ok && (k.Name == "Rule" || k.Name == "rule") {
				fieldValue(n.Value)
			}
		case *ast.AssignStmt:
			for i, lhs := range n.Lhs {
				if sel, ok := lhs.(*ast.SelectorExpr); ok && (sel.Sel.Name == "Rule" || sel.Sel.Name == "rule") && i < len(n.Rhs) && len(n.Lhs) == len(n.Rhs) {
					fieldValue(n.Rhs[i])
				}
			}
		}
		return true
	})
}

// embeddedJSON returns the JSON files a //go:embed directive of f names.
func embeddedJSON(t *testing.T, f *ast.File, dir string) []string {
	var out []string
	for _, cg := range f.Comments {
		for _, c := range cg.List {
			rest, ok := strings.CutPrefix(c.Text, "//go:embed ")
			if !ok {
				continue
			}
			for _, pat := range strings.Fields(rest) {
				matches, err := filepath.Glob(filepath.Join(dir, filepath.FromSlash(pat)))
				if err != nil {
					t.Errorf("%s: go:embed %s: %v", dir, pat, err)
				}
				for _, m := range matches {
					if strings.HasSuffix(m, ".json") {
						out = append(out, m)
					}
				}
			}
		}
	}
	return out
}

// collectJSON adds the string values of every "rule" key in a JSON file,
// at any depth: (c). It returns how many it found.
func collectJSON(t *testing.T, path, rel string, ids idSources) int {
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Errorf("%s: %v", rel, err)
		return 0
	}
	n := 0
	var walk func(any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, x := range v {
				if s, ok := x.(string); ok && k == "rule" {
					if !ruleID.MatchString(s) {
						t.Errorf("%s: \"rule\": %q is not a valid rule id", rel, s)
						continue
					}
					ids.add(s, rel)
					n++
					continue
				}
				walk(x)
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		}
	}
	walk(v)
	return n
}

// TestComplete checks that the catalog describes every rule id the code can
// emit, and nothing else.
func TestComplete(t *testing.T) {
	root := moduleRoot(t)
	ids := collectIDs(t, root)

	// Each kind of source must have yielded something, or a collector has
	// quietly stopped working; these ids stand for (a), (b), (c) and (d).
	for id, from := range map[string]string{
		"deploy-stack":            "a Rule constant of package deploy",
		"test-project":            "a rule constant of package rewrite",
		"csproj-target-framework": "a Rule: literal in csproj/migrate.go",
		"csproj":                  "a Rule: literal of a Fix in rewrite/migrate.go",
		"csproj-legacy-sdk":       `a "rule" field of csproj/packages.json`,
		"cs-function-attribute":   "rules.All",
	} {
		if _, ok := ids[id]; !ok {
			t.Errorf("collector missed %q (%s)", id, from)
		}
	}

	var missing, stale []string
	for id, where := range ids {
		if _, ok := Lookup(id); !ok {
			missing = append(missing, id+" (from "+strings.Join(dedupe(where), ", ")+")")
		}
	}
	for _, r := range All() {
		if _, ok := ids[r.ID]; !ok {
			stale = append(stale, r.ID)
		}
	}
	sort.Strings(missing)
	sort.Strings(stale)
	for _, m := range missing {
		t.Errorf("rule id %s is not in the catalog: describe it in rules.json", m)
	}
	for _, s := range stale {
		t.Errorf("catalog entry %q names no rule id the code emits: remove it from rules.json", s)
	}
	t.Logf("%d rule ids", len(ids))
}

func dedupe(ss []string) []string {
	ss = slices.Clone(ss)
	slices.Sort(ss)
	return slices.Compact(ss)
}

// TestEmitted migrates the sample repository to every target framework and
// checks that each finding's rule is in the catalog: ids put together at
// run time would escape TestComplete.
func TestEmitted(t *testing.T) {
	if testing.Short() {
		t.Skip("migrates the sample repository")
	}
	root := moduleRoot(t)
	sample := filepath.Join(root, "testdata", "sample")
	if _, err := os.Stat(sample); err != nil {
		t.Skip("no testdata/sample")
	}
	roots := []string{sample}
	found, err := rewrite.DiscoverAll(roots)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, tfm := range rewrite.TargetFrameworks {
		opt := rewrite.Options{TargetFramework: tfm, TODOComments: true, Base: sample, Rules: rules.All}
		results, err := rewrite.MigrateAll(found.Projects, opt)
		if err != nil {
			t.Fatalf("%s: %v", tfm, err)
		}
		var findings []report.Finding
		for _, r := range results {
			findings = append(findings, r.Findings...)
		}
		dep, err := rewrite.MigrateDeployment(roots, opt)
		if err != nil {
			t.Fatalf("%s: %v", tfm, err)
		}
		findings = append(findings, dep.Findings...)
		depFindings, err := rewrite.ScanDependents(found.Dependents, results, opt)
		if err != nil {
			t.Fatalf("%s: %v", tfm, err)
		}
		findings = append(findings, depFindings...)
		for _, f := range findings {
			if seen[f.Rule] {
				continue
			}
			seen[f.Rule] = true
			if _, ok := Lookup(f.Rule); !ok {
				t.Errorf("%s: finding at %s:%d carries rule %q, which the catalog lacks", tfm, f.Path, f.Line, f.Rule)
			}
		}
	}
	if len(seen) == 0 {
		t.Fatal("the sample repository produced no findings")
	}
	t.Logf("the sample produced findings of %d rules", len(seen))
}

// TestEntries checks the text of every entry.
func TestEntries(t *testing.T) {
	all := All()
	if len(all) == 0 {
		t.Fatal("empty catalog")
	}
	for _, r := range all {
		if !ruleID.MatchString(r.ID) {
			t.Errorf("%q: not a valid rule id", r.ID)
		}
		first, _ := utf8.DecodeRuneInString(r.Title)
		switch {
		case r.Title == "":
			t.Errorf("%s: no title", r.ID)
		case strings.ContainsAny(r.Title, "\r\n"):
			t.Errorf("%s: title is more than one line: %q", r.ID, r.Title)
		case !unicode.IsLower(first):
			t.Errorf("%s: title must start with a lower-case letter: %q", r.ID, r.Title)
		case strings.HasSuffix(r.Title, "."):
			t.Errorf("%s: title ends with a period: %q", r.ID, r.Title)
		case strings.TrimSpace(r.Title) != r.Title:
			t.Errorf("%s: title has surrounding space: %q", r.ID, r.Title)
		}
		switch {
		case r.Doc == "":
			t.Errorf("%s: no doc", r.ID)
		case strings.TrimSpace(r.Doc) != r.Doc:
			t.Errorf("%s: doc has surrounding space", r.ID)
		case !strings.HasSuffix(r.Doc, "."):
			t.Errorf("%s: doc must be full sentences ending with a period: %q", r.ID, r.Doc)
		}
		// Paragraphs are single lines separated by one blank line, so
		// renderers can wrap them as they like.
		for _, p := range strings.Split(r.Doc, "\n\n") {
			if p == "" || strings.Contains(p, "\n") || strings.TrimSpace(p) != p {
				t.Errorf("%s: doc paragraphs must be single lines separated by one blank line: %q", r.ID, r.Doc)
				break
			}
		}
		if !strings.HasPrefix(r.Ref, "MAPPING.md §") {
			t.Errorf("%s: ref must cite a MAPPING.md section: %q", r.ID, r.Ref)
		} else if !refForm.MatchString(r.Ref) {
			t.Errorf("%s: ref must read like \"MAPPING.md §1.6, §8 item 2\": %q", r.ID, r.Ref)
		}
		if r.URL != "" && !strings.HasPrefix(r.URL, "https://") {
			t.Errorf("%s: url must be an https address: %q", r.ID, r.URL)
		}
	}

	t.Run("mapping", func(t *testing.T) {
		// CI checks the repository out with ../shared beside it.
		path := filepath.Join(moduleRoot(t), "..", "shared", "MAPPING.md")
		secs, err := mappingSections(path)
		if os.IsNotExist(err) {
			t.Skipf("%s is absent; section references not checked", path)
		}
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range all {
			for _, m := range sectionRef.FindAllStringSubmatch(r.Ref, -1) {
				items, ok := secs[m[1]]
				if !ok {
					t.Errorf("%s: ref %q: MAPPING.md has no section %s", r.ID, r.Ref, m[1])
					continue
				}
				for _, item := range []string{m[2], m[3]} {
					if item != "" && !items[item] {
						t.Errorf("%s: ref %q: MAPPING.md §%s has no item %s", r.ID, r.Ref, m[1], item)
					}
				}
			}
		}
	})
}

// A ref is "MAPPING.md " and one or more sections, each with an optional
// item or two of its numbered list: "MAPPING.md §4.9, §8 item 18".
var (
	sectionRef = regexp.MustCompile(`§(\d+(?:\.\d+)*)(?: items? (\d+)(?: and (\d+))?)?`)
	refForm    = regexp.MustCompile(`^MAPPING\.md §\d+(?:\.\d+)*(?: items? \d+(?: and \d+)?)?(?:, §\d+(?:\.\d+)*(?: items? \d+(?: and \d+)?)?)*$`)
	headingRE  = regexp.MustCompile(`^#{2,6}\s+(\d+(?:\.\d+)*)\.?\s`)
	itemRE     = regexp.MustCompile(`^(\d+)\.\s`)
)

// mappingSections reads the numbered headings of MAPPING.md ("## 5.",
// "### 5.1") and, for each, the numbers of the list items in its body.
func mappingSections(path string) (map[string]map[string]bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	secs := map[string]map[string]bool{}
	var cur map[string]bool
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64*1024), 1024*1024)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") {
			cur = nil
			if m := headingRE.FindStringSubmatch(line); m != nil {
				cur = map[string]bool{}
				secs[m[1]] = cur
			}
			continue
		}
		if m := itemRE.FindStringSubmatch(line); m != nil && cur != nil {
			cur[m[1]] = true
		}
	}
	return secs, sc.Err()
}

// TestOrder checks that All is sorted with unique ids, that Lookup finds
// each, and that callers cannot change the catalog.
func TestOrder(t *testing.T) {
	all := All()
	for i := 1; i < len(all); i++ {
		if all[i-1].ID >= all[i].ID {
			t.Errorf("All is not sorted with unique ids: %q then %q", all[i-1].ID, all[i].ID)
		}
	}
	for _, r := range all {
		got, ok := Lookup(r.ID)
		if !ok || got != r {
			t.Errorf("Lookup(%q) = %+v, %v; want %+v", r.ID, got, ok, r)
		}
	}
	if _, ok := Lookup("no-such-rule"); ok {
		t.Error(`Lookup("no-such-rule") found something`)
	}
	if len(all) > 0 {
		all[0].Title = "changed"
		if All()[0].Title == "changed" {
			t.Error("All returns the catalog's own slice")
		}
	}
}

// TestCSharpRules checks that the C# rules are described from their own
// fields, and that rules.json does not describe them again.
func TestCSharpRules(t *testing.T) {
	for _, r := range rules.All {
		got, ok := Lookup(r.Name)
		if !ok {
			t.Errorf("%s: not in the catalog", r.Name)
			continue
		}
		title, _, _ := strings.Cut(r.Doc, "\n")
		if got.Title != title || got.Ref != r.Ref || got.URL != r.URL {
			t.Errorf("%s: catalog has %q, %q, %q; the rule says %q, %q, %q", r.Name, got.Title, got.Ref, got.URL, title, r.Ref, r.URL)
		}
		if strings.Join(strings.Fields(got.Doc), " ") != strings.Join(strings.Fields(strings.TrimPrefix(r.Doc, title)), " ") {
			t.Errorf("%s: doc differs from the rule's:\n%s", r.Name, got.Doc)
		}
	}
	// The Startup move's Learn page is exported by its package.
	if got, _ := Lookup(startup.Rule); got.URL != startup.URL {
		t.Errorf("%s: url %q; package startup uses %q", startup.Rule, got.URL, startup.URL)
	}
}

// TestBuild checks that a rules.json the loader cannot trust is refused.
func TestBuild(t *testing.T) {
	cs := []*rewrite.Rule{{Name: "cs-x", Doc: "do x\n\nIt does x.\nReally.\n\nSecond paragraph."}}
	c, err := build([]byte(`{"rules": [{"id": "a-b", "title": "t", "doc": "d.", "ref": "MAPPING.md §1", "url": ""}]}`), cs)
	if err != nil {
		t.Fatal(err)
	}
	if got := c.byID["cs-x"]; got.Title != "do x" || got.Doc != "It does x. Really.\n\nSecond paragraph." {
		t.Errorf("C# rule described as %+v", got)
	}
	if len(c.all) != 2 || c.all[0].ID != "a-b" {
		t.Errorf("all = %+v", c.all)
	}
	for name, src := range map[string]string{
		"duplicate":     `{"rules": [{"id": "a"}, {"id": "a"}]}`,
		"c# collision":  `{"rules": [{"id": "cs-x"}]}`,
		"unknown field": `{"rules": [{"id": "a", "titel": "t"}]}`,
		"no id":         `{"rules": [{"title": "t"}]}`,
		"not json":      `{"rules": [`,
	} {
		if _, err := build([]byte(src), cs); err == nil {
			t.Errorf("%s: build accepted %s", name, src)
		}
	}
}
