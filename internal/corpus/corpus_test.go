package corpus

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/funcmigrate/funcmigrate/csproj"
	"github.com/funcmigrate/funcmigrate/rewrite"
	"github.com/funcmigrate/funcmigrate/rewrite/cs"
	"github.com/funcmigrate/funcmigrate/rewrite/report"
	"github.com/funcmigrate/funcmigrate/rewrite/rules"
	sitter "github.com/tree-sitter/go-tree-sitter"
)

// tree reads every file under dir (but .git) into a map keyed by slash path.
func tree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if d.Name() == ".git" {
				return filepath.SkipDir
			}
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = data
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// diffTrees describes the first differences between two trees, "" when equal.
func diffTrees(a, b map[string][]byte) string {
	var diffs []string
	for p, da := range a {
		db, ok := b[p]
		switch {
		case !ok:
			diffs = append(diffs, "only in first: "+p)
		case !bytes.Equal(da, db):
			diffs = append(diffs, "differs: "+p)
		}
	}
	for p := range b {
		if _, ok := a[p]; !ok {
			diffs = append(diffs, "only in second: "+p)
		}
	}
	slices.Sort(diffs)
	if len(diffs) > 5 {
		diffs = append(diffs[:5], fmt.Sprintf("... %d more", len(diffs)-5))
	}
	return strings.Join(diffs, "\n")
}

// treeHash is a SHA-256 over every file's path and bytes, in path order.
func treeHash(t *testing.T, dir string) string {
	t.Helper()
	files := tree(t, dir)
	h := sha256.New()
	for _, p := range slices.Sorted(maps.Keys(files)) {
		fmt.Fprintf(h, "%s\x00%d\x00", p, len(files[p]))
		h.Write(files[p])
	}
	return hex.EncodeToString(h.Sum(nil))
}

// TestGolden pins the bytes batch tests and benchmarks are built on: the
// opt-in extras (TestProjects, ServiceFiles) must not change them. A change
// to the generator that changes them on purpose updates the hash.
func TestGolden(t *testing.T) {
	dir := t.TempDir()
	if _, err := Generate(dir, Config{Repos: 20, Seed: 7}); err != nil {
		t.Fatal(err)
	}
	const want = "ab343f23767f84c029b37337803cfea56551402f9d017f5d7a0194d2c83c1dec"
	if got := treeHash(t, dir); got != want {
		t.Errorf("Config{Repos: 20, Seed: 7} hashes to %s, want %s", got, want)
	}
}

func TestDeterministic(t *testing.T) {
	t.Run("default", func(t *testing.T) { testDeterministic(t, Config{Repos: 20, Seed: 42}) })
	t.Run("extras", func(t *testing.T) {
		testDeterministic(t, Config{Repos: 20, Seed: 42, TestProjects: true, ServiceFiles: 3})
	})
}

func testDeterministic(t *testing.T, cfg Config) {
	dir := t.TempDir()
	a, err := Generate(filepath.Join(dir, "a"), cfg)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Generate(filepath.Join(dir, "b"), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if len(a) != cfg.Repos || len(b) != cfg.Repos {
		t.Fatalf("got %d and %d repos, want %d", len(a), len(b), cfg.Repos)
	}
	for i := range a {
		want := fmt.Sprintf("repo-%04d-%s", i, DefaultKinds[i%len(DefaultKinds)])
		if a[i].Name != want || a[i].Kind != DefaultKinds[i%len(DefaultKinds)] || a[i].Dir != filepath.Join(dir, "a", want) {
			t.Errorf("repo %d: got %s (%s) in %s, want %s", i, a[i].Name, a[i].Kind, a[i].Dir, want)
		}
		ra, rb := a[i], b[i]
		ra.Dir, rb.Dir = "", ""
		if fmt.Sprint(ra) != fmt.Sprint(rb) {
			t.Errorf("repo %d: %+v and %+v", i, ra, rb)
		}
	}
	ta, tb := tree(t, filepath.Join(dir, "a")), tree(t, filepath.Join(dir, "b"))
	if d := diffTrees(ta, tb); d != "" {
		t.Errorf("same Config, different trees:\n%s", d)
	}

	// Repository i does not depend on how many come after it.
	fewCfg := cfg
	fewCfg.Repos = 5
	if _, err := Generate(filepath.Join(dir, "few"), fewCfg); err != nil {
		t.Fatal(err)
	}
	few := tree(t, filepath.Join(dir, "few"))
	prefix := map[string][]byte{}
	for p, data := range ta {
		if slices.ContainsFunc(a[:5], func(r Repo) bool { return strings.HasPrefix(p, r.Name+"/") }) {
			prefix[p] = data
		}
	}
	if d := diffTrees(prefix, few); d != "" {
		t.Errorf("the first 5 of 20 repositories differ from 5 generated alone:\n%s", d)
	}

	// Another seed changes the bytes of every repository.
	otherCfg := cfg
	otherCfg.Seed++
	if _, err := Generate(filepath.Join(dir, "c"), otherCfg); err != nil {
		t.Fatal(err)
	}
	tc := tree(t, filepath.Join(dir, "c"))
	for _, r := range a {
		same := true
		for p, data := range ta {
			if strings.HasPrefix(p, r.Name+"/") && !bytes.Equal(data, tc[p]) {
				same = false
				break
			}
		}
		if same {
			t.Errorf("%s: seeds 42 and 43 give the same files", r.Name)
		}
	}
}

func TestGenerateRefuses(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "x"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Generate(dir, Config{Repos: 1}); err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Errorf("non-empty folder: got %v", err)
	}
	for _, cfg := range []Config{{Repos: -1}, {Repos: 1, Kinds: []Kind{"lambda"}}, {Repos: 1, Kinds: []Kind{}}, {Repos: 1, FunctionsPerFile: -2}, {Repos: 1, ServiceFiles: -1}} {
		if _, err := Generate(filepath.Join(t.TempDir(), "new"), cfg); err == nil {
			t.Errorf("%+v: no error", cfg)
		}
	}
}

// checkSources parses every C# file of a repository: all must parse
// without errors except the one broken on purpose, which must not. It also
// checks line endings: LF everywhere, except CRLF with a BOM in the C#
// files of a CRLF repository.
func checkSources(t *testing.T, r Repo) {
	t.Helper()
	for p, data := range tree(t, r.Dir) {
		isCS := strings.HasSuffix(p, ".cs")
		switch {
		case r.CRLF && isCS:
			if !bytes.HasPrefix(data, []byte("\ufeff")) || bytes.Count(data, []byte("\n")) != bytes.Count(data, []byte("\r\n")) {
				t.Errorf("%s/%s: want a BOM and CRLF line endings", r.Name, p)
			}
		case bytes.Contains(data, []byte("\r")) || bytes.HasPrefix(data, []byte("\ufeff")):
			t.Errorf("%s/%s: want LF line endings and no BOM", r.Name, p)
		}
		if !isCS {
			continue
		}
		f, err := cs.Parse(p, data)
		if err != nil {
			t.Fatal(err)
		}
		errs := f.Errors()
		f.Close()
		switch {
		case p == r.Broken && len(errs) == 0:
			t.Errorf("%s/%s: broken on purpose, but it parses", r.Name, p)
		case p != r.Broken && len(errs) > 0:
			t.Errorf("%s/%s: syntax error at byte %d: %q", r.Name, p, errs[0].Start, excerpt(data, errs[0].Start))
		}
	}
}

func excerpt(src []byte, off int) string {
	lo, hi := max(0, off-60), min(len(src), off+60)
	return string(src[lo:hi])
}

// TestEngine runs discovery and migration over a rotation of every kind and
// checks that each kind does what it is for.
func TestEngine(t *testing.T) {
	repos, err := Generate(t.TempDir(), Config{Repos: 20, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[Kind]int{}
	for _, r := range repos {
		seen[r.Kind]++
		t.Run(r.Name, func(t *testing.T) {
			checkSources(t, r)
			engineCheck(t, r)
		})
	}
	for _, k := range Kinds {
		if seen[k] == 0 {
			t.Errorf("DefaultKinds never generates %s in 20 repositories", k)
		}
	}
}

// TestSeeds runs the engine check over the kinds whose expectations are
// the most specific, with other seeds so that more variants get exercised.
func TestSeeds(t *testing.T) {
	for seed := int64(100); seed < 103; seed++ {
		repos, err := Generate(t.TempDir(), Config{Repos: 10, Seed: seed, Kinds: []Kind{BrokenSource, BrokenProject, ManualWork, Startup, Timer}})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range repos {
			t.Run(fmt.Sprintf("seed%d/%s", seed, r.Name), func(t *testing.T) {
				checkSources(t, r)
				engineCheck(t, r)
			})
		}
	}
}

// engineCheck migrates r and checks the outcome its kind calls for; it
// returns the changes by path (nil for the kinds that are not migrated).
func engineCheck(t *testing.T, r Repo) map[string]*rewrite.FileChange {
	t.Helper()
	d, err := rewrite.DiscoverAll([]string{r.Dir})
	if r.Kind == BrokenProject {
		// The project file cannot be parsed: discovery reports it with the
		// parser's "path:line:col: what" error and goes on.
		prefix := filepath.Join(r.Dir, filepath.FromSlash(r.Broken)) + ":"
		if err != nil || len(d.Problems) != 1 || !strings.HasPrefix(d.Problems[0].Err.Error(), prefix) || len(d.Projects) != 0 {
			t.Fatalf("DiscoverAll: got %v and problems %v, want one problem starting with %s", err, d.Problems, prefix)
		}
		return nil
	}
	if err != nil {
		t.Fatalf("DiscoverAll: %v", err)
	}
	switch r.Kind {
	case AlreadyIsolated:
		if len(d.Projects) != 0 || len(d.Dependents) != 0 || len(d.Skips) != 1 {
			t.Fatalf("got %d projects, %d dependents, %d skips; want only one skip", len(d.Projects), len(d.Dependents), len(d.Skips))
		}
		if want := filepath.Join(r.Dir, filepath.FromSlash(r.Projects[0])); d.Skips[0].File != want || !strings.Contains(d.Skips[0].Reason, "isolated") {
			t.Errorf("skip %+v, want %s skipped as isolated", d.Skips[0], want)
		}
		return nil
	case NotFunctions:
		if len(d.Projects) != 0 || len(d.Dependents) != 0 || len(d.Skips) != 0 {
			t.Fatalf("got %d projects, %d dependents, %d skips; want none", len(d.Projects), len(d.Dependents), len(d.Skips))
		}
		return nil
	}

	// An in-process app, perhaps with a test project.
	app := appProject(r)
	if len(d.Projects) != 1 || len(d.Skips) != 0 {
		t.Fatalf("got %d projects and %d skips, want one project", len(d.Projects), len(d.Skips))
	}
	if want := filepath.Join(r.Dir, filepath.FromSlash(app)); d.Projects[0].File != want {
		t.Fatalf("project %s, want %s", d.Projects[0].File, want)
	}
	results, err := rewrite.MigrateAll(d.Projects, rewrite.Options{TargetFramework: "net10.0", TODOComments: true, Base: r.Dir, Rules: rules.All})
	if err != nil {
		t.Fatalf("MigrateAll: %v", err)
	}
	changed := map[string]*rewrite.FileChange{}
	var findings []report.Finding
	for _, res := range results {
		for i := range res.Changes {
			changed[res.Changes[i].Path] = &res.Changes[i]
		}
		findings = append(findings, res.Findings...)
	}
	if len(changed) == 0 {
		t.Fatal("no file changed")
	}
	if changed[app] == nil {
		t.Errorf("%s did not change", app)
	}
	// Every C# file with a function must change (in the broken file only
	// code away from the error is migrated, so it may or may not).
	for p, data := range tree(t, r.Dir) {
		if strings.HasSuffix(p, ".cs") && p != r.Broken && bytes.Contains(data, []byte("[FunctionName(")) && changed[p] == nil {
			t.Errorf("%s has functions but did not change", p)
		}
	}
	var sourceFindings []report.Finding
	for _, f := range findings {
		if f.Rule == "cs-source" {
			sourceFindings = append(sourceFindings, f)
		}
	}
	switch {
	case r.Kind == BrokenSource:
		// The engine migrates the app and reports the broken file, once,
		// with the syntax error's line.
		if len(sourceFindings) != 1 || sourceFindings[0].Path != r.Broken || sourceFindings[0].Line == 0 || !sourceFindings[0].NeedsPerson() ||
			!strings.Contains(sourceFindings[0].Message, "syntax error") {
			t.Errorf("want one cs-source finding about a syntax error in %s, got %+v", r.Broken, sourceFindings)
		}
	case (r.Kind.Migratable() || r.Kind == ManualWork) && len(sourceFindings) > 0:
		t.Errorf("generated C# did not parse: %+v", sourceFindings)
	}
	if r.Kind == ManualWork {
		src, err := os.ReadFile(filepath.Join(r.Dir, filepath.FromSlash(r.Manual)))
		if err != nil {
			t.Fatal(err)
		}
		// Each construct gets a finding that needs a person, in the file.
		for _, want := range []struct{ code, rule string }{
			{"IBinder binder", "cs-binder"},
			{"[return: TwilioSms(", "cs-inprocess-leftover"},
			{"ClaimsPrincipal principal", "cs-http-trigger"},
		} {
			if !bytes.Contains(src, []byte(want.code)) {
				continue
			}
			if !slices.ContainsFunc(findings, func(f report.Finding) bool {
				return f.Path == r.Manual && f.Rule == want.rule && f.NeedsPerson()
			}) {
				t.Errorf("%s: %q gets no %s finding that needs a person", r.Manual, want.code, want.rule)
			}
		}
	}

	// Deployment files that select the in-process runtime are edited.
	if len(r.Deploy) > 0 {
		dep, err := rewrite.MigrateDeployment([]string{r.Dir}, rewrite.Options{TargetFramework: "net10.0", Base: r.Dir})
		if err != nil {
			t.Fatalf("MigrateDeployment: %v", err)
		}
		for _, p := range r.Deploy {
			if !slices.ContainsFunc(dep.Changes, func(c rewrite.FileChange) bool { return c.Path == p }) {
				t.Errorf("%s sets FUNCTIONS_WORKER_RUNTIME=dotnet but MigrateDeployment did not change it", p)
			}
		}
	}
	return changed
}

// appProject is the function app's project file of r.
func appProject(r Repo) string {
	for _, p := range r.Projects {
		if p != r.TestProject {
			return p
		}
	}
	return ""
}

// TestBreakers checks that every way of breaking a file really breaks it.
func TestBreakers(t *testing.T) {
	repos, err := Generate(t.TempDir(), Config{Repos: 4, Seed: 9, Kinds: []Kind{HTTP, Queue, Timer, Durable}, FunctionsPerFile: 3, FilesPerProject: 1})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range repos {
		files := tree(t, r.Dir)
		for p, data := range files {
			if !strings.HasSuffix(p, ".cs") || !bytes.Contains(data, []byte("[FunctionName(")) {
				continue
			}
			// Breakers work on the LF text, before any CRLF conversion.
			lf := strings.ReplaceAll(strings.TrimPrefix(string(data), "\ufeff"), "\r\n", "\n")
			for v, b := range sourceBreakers {
				out, ok := b.fn(lf)
				if !ok {
					t.Errorf("%s/%s: %s found nothing to break", r.Name, p, b.name)
					continue
				}
				f, err := cs.Parse(p, []byte(out))
				if err != nil {
					t.Fatal(err)
				}
				if len(f.Errors()) == 0 {
					t.Errorf("%s/%s: %s (variant %d) still parses:\n%s", r.Name, p, b.name, v, out)
				}
				f.Close()
			}
		}
		proj := files[r.Projects[0]]
		if _, err := csproj.Parse("p.csproj", proj); err != nil {
			t.Fatalf("%s: %v", r.Projects[0], err)
		}
		for _, b := range projectBreakers {
			out := b.fn(string(proj))
			if out == string(proj) {
				t.Errorf("%s: %s changed nothing", r.Projects[0], b.name)
			}
			if _, err := csproj.Parse("p.csproj", []byte(out)); err == nil {
				t.Errorf("%s: %s still parses", r.Projects[0], b.name)
			}
		}
	}
}

// TestLargeFiles checks FunctionsPerFile and FilesPerProject, which the
// performance benchmarks rely on.
func TestLargeFiles(t *testing.T) {
	const perFile, files = 40, 2
	repos, err := Generate(t.TempDir(), Config{Repos: 5, Seed: 11, Kinds: []Kind{HTTP, Queue, Timer, Startup, Durable}, FunctionsPerFile: perFile, FilesPerProject: files})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range repos {
		checkSources(t, r)
		n := 0
		for p, data := range tree(t, r.Dir) {
			if c := bytes.Count(data, []byte("[FunctionName(")); c > 0 {
				n++
				if c != perFile {
					t.Errorf("%s/%s: %d functions, want %d", r.Name, p, c, perFile)
				}
			}
		}
		if n != files {
			t.Errorf("%s: %d function files, want %d", r.Name, n, files)
		}
	}
}

func TestGit(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	cfg := Config{Repos: 4, Seed: 5, Git: true, Kinds: []Kind{Timer, HTTP, BrokenSource, NotFunctions}}
	heads := map[string]string{}
	for _, sub := range []string{"a", "b"} {
		repos, err := Generate(filepath.Join(t.TempDir(), sub), cfg)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range repos {
			git := func(args ...string) string {
				cmd := exec.Command("git", args...)
				cmd.Dir = r.Dir
				cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL="+os.DevNull)
				out, err := cmd.Output()
				if err != nil {
					t.Fatalf("%s: git %s: %v", r.Name, strings.Join(args, " "), err)
				}
				return strings.TrimSpace(string(out))
			}
			if st := git("status", "--porcelain", "--ignored"); st != "" {
				t.Errorf("%s: work tree not clean:\n%s", r.Name, st)
			}
			if n := git("rev-list", "--count", "HEAD"); n != "1" {
				t.Errorf("%s: %s commits, want 1", r.Name, n)
			}
			if files := strings.Split(git("ls-files"), "\n"); len(files) != r.Files {
				t.Errorf("%s: %d files committed, want %d", r.Name, len(files), r.Files)
			}
			head := git("rev-parse", "HEAD")
			if prev, ok := heads[r.Name]; ok && prev != head {
				t.Errorf("%s: commit %s, then %s for the same Config", r.Name, prev, head)
			}
			heads[r.Name] = head
		}
	}
}

// TestExtrasKeepOldOutput checks that TestProjects and ServiceFiles only add
// files: everything generated without them comes out byte for byte the same
// (the solution file only gains the test project), so the corpus batch tests
// and earlier benchmarks are built on does not move.
func TestExtrasKeepOldOutput(t *testing.T) {
	for _, base := range []Config{
		{Repos: 40, Seed: 7},
		{Repos: 12, Seed: 11, Kinds: []Kind{Timer, ManualWork, Startup, Durable, AlreadyIsolated, BrokenSource}, FunctionsPerFile: 5, FilesPerProject: 2},
	} {
		dir := t.TempDir()
		old, err := Generate(filepath.Join(dir, "old"), base)
		if err != nil {
			t.Fatal(err)
		}
		cfg := base
		cfg.TestProjects, cfg.ServiceFiles = true, 3
		repos, err := Generate(filepath.Join(dir, "new"), cfg)
		if err != nil {
			t.Fatal(err)
		}
		ta, tb := tree(t, filepath.Join(dir, "old")), tree(t, filepath.Join(dir, "new"))
		tests, services := 0, 0
		for i, r := range repos {
			o := old[i]
			if r.Name != o.Name || r.Broken != o.Broken || r.Manual != o.Manual || r.CRLF != o.CRLF || !slices.Equal(r.Deploy, o.Deploy) {
				t.Errorf("%s: %+v, without the extras %+v", r.Name, r, o)
			}
			wantProjects := slices.Clone(o.Projects)
			if r.TestProject != "" {
				tests++
				wantProjects = append(wantProjects, r.TestProject)
				slices.Sort(wantProjects)
			}
			if !slices.Equal(r.Projects, wantProjects) {
				t.Errorf("%s: projects %v, want %v", r.Name, r.Projects, wantProjects)
			}
			services += len(r.Services)
		}
		if tests == 0 || services == 0 {
			t.Fatalf("%+v: %d test projects and %d service files", cfg, tests, services)
		}
		for p, data := range ta {
			got, ok := tb[p]
			switch {
			case !ok:
				t.Errorf("%s: missing with the extras", p)
			case strings.HasSuffix(p, ".sln"):
				if !isSubsequence(strings.Split(string(data), "\n"), strings.Split(string(got), "\n")) {
					t.Errorf("%s: lost or reordered lines with the extras", p)
				}
			case !bytes.Equal(data, got):
				t.Errorf("%s: changed with the extras", p)
			}
		}
		for p := range tb {
			if _, ok := ta[p]; ok {
				continue
			}
			name, rel, _ := strings.Cut(p, "/")
			i := slices.IndexFunc(repos, func(r Repo) bool { return r.Name == name })
			r := repos[i]
			if !slices.Contains(r.Services, rel) && (r.TestProject == "" || !strings.HasPrefix(rel, filepath.ToSlash(filepath.Dir(r.TestProject))+"/")) {
				t.Errorf("%s: new, but neither a service file nor in the test project", p)
			}
		}
		// A solution that lists the app lists the test project too.
		for _, r := range repos {
			for p, data := range tb {
				if r.TestProject != "" && strings.HasPrefix(p, r.Name+"/") && strings.HasSuffix(p, ".sln") &&
					!bytes.Contains(data, []byte(strings.ReplaceAll(r.TestProject, "/", `\`))) {
					t.Errorf("%s does not list %s", p, r.TestProject)
				}
			}
		}
	}
}

// isSubsequence reports whether a appears in b in order, perhaps with
// other elements between.
func isSubsequence(a, b []string) bool {
	i := 0
	for _, x := range b {
		if i < len(a) && a[i] == x {
			i++
		}
	}
	return i == len(a)
}

// TestTestProjects checks the generated test projects: they parse, reference
// the app, are found as its test project, and call the app's functions by
// their class and method names with as many arguments as the functions take.
func TestTestProjects(t *testing.T) {
	kinds := []Kind{HTTP, Queue, Timer, Startup, Durable, ManualWork, AlreadyIsolated, NotFunctions, BrokenSource, BrokenProject}
	total := map[string]int{} // function kinds (templates) the tests called
	seen := map[string]bool{} // function kinds generated
	scanned := 0              // the tool's findings about calls in the tests
	for seed := int64(1); seed <= 3; seed++ {
		cfg := Config{Repos: 2 * len(kinds), Seed: seed, Kinds: kinds, TestProjects: true, FunctionsPerFile: 4}
		repos, err := Generate(t.TempDir(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		for i, r := range repos {
			t.Run(fmt.Sprintf("seed%d/%s", seed, r.Name), func(t *testing.T) {
				want := r.Kind.Migratable() || r.Kind == ManualWork
				if (r.TestProject != "") != want {
					t.Fatalf("test project %q for kind %s", r.TestProject, r.Kind)
				}
				checkSources(t, r)
				if !want {
					return
				}
				checkTestProject(t, r)
				// The generator's record of the functions, run again, gives
				// each function's template; the test trusts its own parse.
				g := newRepoGen(cfg, i, r.Kind)
				g.generate()
				var names []string
				for _, c := range g.fnClasses {
					for _, fn := range c.fns {
						seen[fn.kind] = true
						names = append(names, c.name+"."+fn.method)
					}
				}
				scanned += scannedCalls(t, r, names)
				for k, n := range checkTestCalls(t, r, g.fnClasses) {
					total[k] += n
				}
				engineCheck(t, r)
			})
		}
	}
	// Every template has its own test cases (none falls through to the
	// generic one), and a test called a function of each.
	g := newRepoGen(Config{Seed: 1}, 0, Startup)
	g.setupApp()
	for kind := range seen {
		tc := &testClass{testProject: &testProject{g: g, r: g.tr, ns: "T.Tests"}, c: &fnClass{name: "C", e: nouns[0]},
			f: &csFile{}, t: newType("public class CTests"), have: map[string]bool{}}
		if cases := tc.cases(fnInfo{kind: kind, names: map[string]string{}}); len(cases) == 0 || cases[0].generic {
			t.Errorf("no test cases for functions of the %q template", kind)
		}
		if total[kind] == 0 {
			t.Errorf("no test calls a function of the %q template", kind)
		}
	}
	// funcmigrate's scan of test projects finds the calls whose function
	// the migration changed (static functions become instance methods).
	if scanned == 0 {
		t.Error("the dependents scan reports no call to a function in any test project")
	}
	var missing []string
	for _, fn := range []string{"http-get", "http-create", "http-search", "http-delete", "http-health", "http-update-message",
		"queue-return", "queue-out", "queue-collector", "blob-copy", "queue-blob-input", "sb-topic", "sb-return",
		"timer-plain", "timer-exec", "timer-appdir", "timer-queue", "startup-get", "startup-upsert", "startup-reprice", "startup-report",
		"chain-start", "chain-orch", "chain-validate", "chain-notify", "fanout-start", "fanout-orch", "fanout-price", "fanout-record",
		"retry-start", "retry-orch", "retry-export", "retry-publish", "manual-binder", "manual-twilio", "manual-claims"} {
		if !seen[fn] {
			missing = append(missing, fn)
		}
	}
	if len(missing) > 0 {
		t.Errorf("the corpus has no functions of these templates: %v", missing)
	}
}

// checkTestProject checks the test project file and that discovery sees it
// as the app's test project, compiling every file under its folder.
func checkTestProject(t *testing.T, r Repo) {
	t.Helper()
	app := appProject(r)
	data, err := os.ReadFile(filepath.Join(r.Dir, filepath.FromSlash(r.TestProject)))
	if err != nil {
		t.Fatal(err)
	}
	doc, err := csproj.Parse(r.TestProject, data)
	if err != nil {
		t.Fatal(err)
	}
	var pkgs []string
	for _, p := range doc.PackageReferences() {
		pkgs = append(pkgs, p.ID)
	}
	for _, want := range []string{"xunit", "Microsoft.NET.Test.Sdk", "xunit.runner.visualstudio", "Moq"} {
		if !slices.Contains(pkgs, want) {
			t.Errorf("%s: no PackageReference to %s (has %v)", r.TestProject, want, pkgs)
		}
	}
	refs := doc.ProjectReferences()
	testDir := filepath.Join(r.Dir, filepath.FromSlash(filepath.Dir(r.TestProject)))
	wantApp := filepath.Join(r.Dir, filepath.FromSlash(app))
	if len(refs) != 1 || filepath.Join(testDir, filepath.FromSlash(strings.ReplaceAll(refs[0].Include, `\`, "/"))) != wantApp {
		t.Errorf("%s: project references %+v, want one to %s", r.TestProject, refs, app)
	}

	d, err := rewrite.DiscoverAll([]string{r.Dir})
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Dependents) != 1 {
		t.Fatalf("%d dependents, want the test project", len(d.Dependents))
	}
	dep := d.Dependents[0]
	if dep.File != filepath.Join(r.Dir, filepath.FromSlash(r.TestProject)) || !dep.Test || !slices.Equal(dep.Apps, []string{wantApp}) {
		t.Errorf("dependent %+v, want test project %s of %s", dep, r.TestProject, app)
	}
	var want []string
	for p := range tree(t, testDir) {
		if strings.HasSuffix(p, ".cs") {
			want = append(want, filepath.Join(testDir, filepath.FromSlash(p)))
		}
	}
	slices.Sort(want)
	if got := slices.Sorted(slices.Values(dep.Sources)); len(want) == 0 || !slices.Equal(got, want) {
		t.Errorf("test project compiles %v, want %v", got, want)
	}
}

// scannedCalls migrates r with its dependents and counts the findings about
// its test files that name one of the functions (Class.Method).
func scannedCalls(t *testing.T, r Repo, names []string) int {
	t.Helper()
	tr, err := rewrite.MigrateTree([]string{r.Dir}, rewrite.Options{TargetFramework: "net10.0", Base: r.Dir, Rules: rules.All})
	if err != nil {
		t.Fatalf("MigrateTree: %v", err)
	}
	testDir := filepath.ToSlash(filepath.Dir(r.TestProject)) + "/"
	n := 0
	for _, f := range tr.Findings {
		if f.Rule == "test-project" && strings.HasPrefix(f.Path, testDir) &&
			slices.ContainsFunc(names, func(name string) bool { return strings.Contains(f.Message, name) }) {
			n++
		}
	}
	return n
}

// A testedFunc is a function method as a test sees it.
type testedFunc struct {
	params int
	kind   string // the template, from the generator's record, to count coverage
}

// checkTestCalls parses the app's sources for its function classes and
// methods, then checks every call in the test files whose receiver is a
// function class (static calls) or a variable, field or helper of one: the
// method must be a function of that class taking that many arguments. Each
// class a test file calls must have all its functions called. It returns
// the number of calls by template.
func checkTestCalls(t *testing.T, r Repo, classes []*fnClass) map[string]int {
	t.Helper()
	testDir := filepath.ToSlash(filepath.Dir(r.TestProject)) + "/"
	files := tree(t, r.Dir)
	kindOf := map[string]string{}
	for _, c := range classes {
		for _, fn := range c.fns {
			kindOf[c.name+"."+fn.method] = fn.kind
		}
	}

	funcs := map[string]map[string]testedFunc{} // class → method → function
	for p, data := range files {
		if !strings.HasSuffix(p, ".cs") || strings.HasPrefix(p, testDir) || p == r.Broken {
			continue
		}
		f, err := cs.Parse(p, data)
		if err != nil {
			t.Fatal(err)
		}
		walkNodes(f.Root, func(n *sitter.Node) {
			if n.Kind() != "method_declaration" || !strings.Contains(f.Text(n), "[FunctionName(") {
				return
			}
			cls := enclosingClass(f, n)
			if funcs[cls] == nil {
				funcs[cls] = map[string]testedFunc{}
			}
			name := f.Text(n.ChildByFieldName("name"))
			funcs[cls][name] = testedFunc{params: countNamed(n.ChildByFieldName("parameters"), "parameter"), kind: kindOf[cls+"."+name]}
		})
		f.Close()
	}

	calls := map[string]int{}
	called := map[string]bool{} // "Class.Method"
	for p, data := range files {
		if !strings.HasPrefix(p, testDir) || !strings.HasSuffix(p, ".cs") {
			continue
		}
		f, err := cs.Parse(p, data)
		if err != nil {
			t.Fatal(err)
		}
		// What each name holds: fields and locals by declared type, var
		// locals by what constructs them or the helper that returns them.
		returns := map[string]string{}
		walkNodes(f.Root, func(n *sitter.Node) {
			if n.Kind() == "method_declaration" {
				returns[f.Text(n.ChildByFieldName("name"))] = f.Text(n.ChildByFieldName("returns"))
			}
		})
		vars := map[string]string{}
		walkNodes(f.Root, func(n *sitter.Node) {
			if n.Kind() != "variable_declaration" {
				return
			}
			typ := f.Text(n.ChildByFieldName("type"))
			for i := uint(0); i < n.NamedChildCount(); i++ {
				v := n.NamedChild(i)
				if v.Kind() != "variable_declarator" {
					continue
				}
				cls := typ
				if typ == "var" {
					cls = ""
					for j := uint(0); j < v.NamedChildCount(); j++ {
						switch x := v.NamedChild(j); x.Kind() {
						case "object_creation_expression":
							cls = f.Text(x.ChildByFieldName("type"))
						case "invocation_expression":
							cls = returns[f.Text(x.ChildByFieldName("function"))]
						}
					}
				}
				vars[f.Text(v.ChildByFieldName("name"))] = cls
			}
		})
		inFile := map[string]bool{}
		walkNodes(f.Root, func(n *sitter.Node) {
			if n.Kind() != "invocation_expression" {
				return
			}
			fn := n.ChildByFieldName("function")
			if fn.Kind() != "member_access_expression" {
				return
			}
			recv, method := f.Text(fn.ChildByFieldName("expression")), f.Text(fn.ChildByFieldName("name"))
			cls := recv
			if v, ok := vars[recv]; ok {
				cls = v
			}
			methods, ok := funcs[cls]
			if !ok {
				return
			}
			line := f.Line(int(n.StartByte()))
			fnc, ok := methods[method]
			args := countNamed(n.ChildByFieldName("arguments"), "argument")
			switch {
			case !ok:
				t.Errorf("%s:%d: %s.%s is not a function of the app", p, line, cls, method)
			case args != fnc.params:
				t.Errorf("%s:%d: %s.%s called with %d arguments, takes %d", p, line, cls, method, args, fnc.params)
			default:
				called[cls+"."+method] = true
				inFile[cls] = true
				calls[fnc.kind]++
			}
		})
		f.Close()
		if len(inFile) == 0 && !strings.Contains(p, "/Helpers/") {
			t.Errorf("%s calls no function of the app", p)
		}
		for cls := range inFile {
			for m := range funcs[cls] {
				if !called[cls+"."+m] {
					t.Errorf("%s tests %s but never calls %s", p, cls, m)
				}
			}
		}
	}
	return calls
}

func walkNodes(n *sitter.Node, fn func(*sitter.Node)) {
	fn(n)
	for i := uint(0); i < n.NamedChildCount(); i++ {
		walkNodes(n.NamedChild(i), fn)
	}
}

func countNamed(n *sitter.Node, kind string) int {
	c := 0
	for i := uint(0); n != nil && i < n.NamedChildCount(); i++ {
		if n.NamedChild(i).Kind() == kind {
			c++
		}
	}
	return c
}

func enclosingClass(f *cs.File, n *sitter.Node) string {
	for p := n.Parent(); p != nil; p = p.Parent() {
		if p.Kind() == "class_declaration" {
			return f.Text(p.ChildByFieldName("name"))
		}
	}
	return ""
}

// TestServiceFiles checks the service files: as many as asked in every app,
// 100-400 lines, no Functions or WebJobs code, and left alone by the
// migration.
func TestServiceFiles(t *testing.T) {
	const n = 9 // more than there are shapes, so some entity gets two
	repos, err := Generate(t.TempDir(), Config{Repos: 20, Seed: 5, ServiceFiles: n, TestProjects: true})
	if err != nil {
		t.Fatal(err)
	}
	shortest, longest := maxServiceLines, 0
	for _, r := range repos {
		t.Run(r.Name, func(t *testing.T) {
			want := n
			if r.Kind == NotFunctions {
				want = 0
			}
			if len(r.Services) != want {
				t.Fatalf("%d service files, want %d", len(r.Services), want)
			}
			checkSources(t, r)
			for _, p := range r.Services {
				data, err := os.ReadFile(filepath.Join(r.Dir, filepath.FromSlash(p)))
				if err != nil {
					t.Fatal(err)
				}
				lines := bytes.Count(data, []byte("\n"))
				shortest, longest = min(shortest, lines), max(longest, lines)
				if lines < minServiceLines || lines > maxServiceLines {
					t.Errorf("%s: %d lines", p, lines)
				}
				for _, bad := range []string{"FunctionName", "Microsoft.Azure.WebJobs", "FunctionsStartup", "Microsoft.Azure.Functions"} {
					if bytes.Contains(data, []byte(bad)) {
						t.Errorf("%s mentions %s", p, bad)
					}
				}
			}
			if r.Kind == AlreadyIsolated || r.Kind == NotFunctions {
				return
			}
			changed := engineCheck(t, r)
			for p := range changed {
				if slices.Contains(r.Services, p) || (r.TestProject != "" && strings.HasPrefix(p, filepath.ToSlash(filepath.Dir(r.TestProject))+"/")) {
					t.Errorf("the migration changed %s", p)
				}
			}
		})
	}
	// The lengths spread over the range rather than bunching at one end.
	if shortest > 150 || longest < 300 {
		t.Errorf("service files run from %d to %d lines", shortest, longest)
	}
}

func BenchmarkGenerate(b *testing.B) {
	dir := b.TempDir()
	n := 0
	for b.Loop() {
		out := filepath.Join(dir, fmt.Sprint(n))
		n++
		if _, err := Generate(out, Config{Repos: 100, Seed: 1}); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		if err := os.RemoveAll(out); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
}
