package corpus

import (
	"bytes"
	"fmt"
	"io/fs"
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

func TestDeterministic(t *testing.T) {
	cfg := Config{Repos: 20, Seed: 42}
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
	if _, err := Generate(filepath.Join(dir, "few"), Config{Repos: 5, Seed: 42}); err != nil {
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
	if _, err := Generate(filepath.Join(dir, "c"), Config{Repos: 20, Seed: 43}); err != nil {
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
	for _, cfg := range []Config{{Repos: -1}, {Repos: 1, Kinds: []Kind{"lambda"}}, {Repos: 1, Kinds: []Kind{}}, {Repos: 1, FunctionsPerFile: -2}} {
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

func engineCheck(t *testing.T, r Repo) {
	t.Helper()
	d, err := rewrite.DiscoverAll([]string{r.Dir})
	if r.Kind == BrokenProject {
		// The project file cannot be parsed: discovery reports it with the
		// parser's "path:line:col: what" error and goes on.
		prefix := filepath.Join(r.Dir, filepath.FromSlash(r.Broken)) + ":"
		if err != nil || len(d.Problems) != 1 || !strings.HasPrefix(d.Problems[0].Err.Error(), prefix) || len(d.Projects) != 0 {
			t.Fatalf("DiscoverAll: got %v and problems %v, want one problem starting with %s", err, d.Problems, prefix)
		}
		return
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
		return
	case NotFunctions:
		if len(d.Projects) != 0 || len(d.Dependents) != 0 || len(d.Skips) != 0 {
			t.Fatalf("got %d projects, %d dependents, %d skips; want none", len(d.Projects), len(d.Dependents), len(d.Skips))
		}
		return
	}

	// An in-process app.
	if len(d.Projects) != 1 || len(d.Skips) != 0 {
		t.Fatalf("got %d projects and %d skips, want one project", len(d.Projects), len(d.Skips))
	}
	if want := filepath.Join(r.Dir, filepath.FromSlash(r.Projects[0])); d.Projects[0].File != want {
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
	if changed[r.Projects[0]] == nil {
		t.Errorf("%s did not change", r.Projects[0])
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
