package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/funcmigrate/funcmigrate/batch"
	"github.com/rogpeppe/go-internal/txtar"
)

// batchRepos writes testdata/batch/repos.txtar into a fresh folder, each top
// folder a git repository with one commit, and returns the folder.
func batchRepos(t *testing.T) string {
	t.Helper()
	requireGit(t)
	ar, err := txtar.ParseFile("testdata/batch/repos.txtar")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	tops := map[string]bool{}
	for _, f := range ar.Files {
		path := filepath.Join(dir, filepath.FromSlash(f.Name))
		os.MkdirAll(filepath.Dir(path), 0o755)
		if err := os.WriteFile(path, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
		if top, _, ok := strings.Cut(f.Name, "/"); ok {
			tops[top] = true
		}
	}
	for top := range tops {
		repo := filepath.Join(dir, top)
		git(t, repo, "init", "-q")
		git(t, repo, "add", "-A")
		git(t, repo, "commit", "-qm", "in-process app")
	}
	return dir
}

// normalizedResults reads results.jsonl with what varies between runs and
// machines replaced: durations, fingerprints and the folder of the repositories.
func normalizedResults(t *testing.T, out, repos string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(out, "results.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	s := strings.ReplaceAll(string(data), repos, "$REPOS")
	s = regexp.MustCompile(`"duration_ms":\d+`).ReplaceAllString(s, `"duration_ms":0`)
	s = regexp.MustCompile(`"fingerprint":"[0-9a-f]+"`).ReplaceAllString(s, `"fingerprint":"…"`)
	return s
}

var wantTxtar, _ = filepath.Abs("testdata/batch/want.txtar")

// checkWant compares got with the file of that name in testdata/batch/want.txtar.
func checkWant(t *testing.T, name, got string) {
	t.Helper()
	ar, err := txtar.ParseFile(wantTxtar)
	if err != nil {
		t.Fatal(err)
	}
	for i, f := range ar.Files {
		if f.Name != name {
			continue
		}
		if *update {
			ar.Files[i].Data = []byte(got)
			os.WriteFile(wantTxtar, txtar.Format(ar), 0o644)
			return
		}
		if string(f.Data) != got {
			t.Errorf("%s differs from testdata/batch/want.txtar:\n--- got ---\n%s\n--- want ---\n%s", name, got, f.Data)
		}
		return
	}
	t.Errorf("testdata/batch/want.txtar has no %s", name)
}

func outFiles(t *testing.T, out string) []string {
	t.Helper()
	des, err := os.ReadDir(out)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, d := range des {
		names = append(names, d.Name())
	}
	sort.Strings(names)
	return names
}

// TestBatch runs a batch over a list with a migratable app, one that needs
// manual work, an already-isolated one, a non-Functions one, a broken one,
// a repeated path and a missing one, and checks every output file: the
// results and summary against reviewed fixtures, and each patch against
// what `funcmigrate diff` prints in that repository and what git apply
// accepts there.
func TestBatch(t *testing.T) {
	repos := batchRepos(t)
	out := filepath.Join(t.TempDir(), "out")
	code, stdout, stderr := runIn(t, repos, "batch", "--repos", "repos.txt", "--out", out, "--jobs", "3", "--quiet")
	if code != 1 {
		t.Fatalf("exit %d, want 1 (a failed repository and one that needs manual work)\n%s%s", code, stdout, stderr)
	}
	if stderr != "" {
		t.Errorf("--quiet still wrote to standard error:\n%s", stderr)
	}
	if want := "7 repositories: 1 failed, 2 needs-manual-work, 1 migrated, 2 nothing-to-do, 1 skipped\n"; !strings.HasPrefix(stdout, want) {
		t.Errorf("stdout starts %q, want %q", stdout, want)
	}
	checkWant(t, "results.jsonl", normalizedResults(t, out, repos))
	sum, _ := os.ReadFile(filepath.Join(out, "summary.md"))
	checkWant(t, "summary.md", string(sum))
	wantFiles := []string{"batch.json", "broken.findings.txt", "legacy.findings.txt", "legacy.patch", "orders.findings.txt", "orders.patch", "results.jsonl", "summary.md"}
	if got := outFiles(t, out); strings.Join(got, " ") != strings.Join(wantFiles, " ") {
		t.Errorf("output folder holds %v, want %v", got, wantFiles)
	}

	for _, name := range []string{"orders", "legacy"} {
		patch, err := os.ReadFile(filepath.Join(out, name+".patch"))
		if err != nil {
			t.Fatal(err)
		}
		_, diff, _ := runIn(t, filepath.Join(repos, name), "diff", ".")
		if string(patch) != diff {
			t.Errorf("%s.patch is not what funcmigrate diff prints in the repository", name)
		}
		p := filepath.Join(t.TempDir(), name+".patch")
		os.WriteFile(p, patch, 0o644)
		git(t, filepath.Join(repos, name), "apply", "--check", p)
		findings, _ := os.ReadFile(filepath.Join(out, name+".findings.txt"))
		_, _, diffFindings := runIn(t, filepath.Join(repos, name), "diff", ".")
		if !strings.HasPrefix(diffFindings, string(findings)) {
			t.Errorf("%s.findings.txt is not the findings diff reports:\n%s\n---\n%s", name, findings, diffFindings)
		}
	}

	// A second run with the same --out redoes nothing and writes the same files.
	before := readTree(t, out)
	code, stdout, _ = runIn(t, repos, "batch", "--repos", "repos.txt", "--out", out, "--quiet")
	if code != 1 {
		t.Fatalf("rerun: exit %d\n%s", code, stdout)
	}
	after := readTree(t, out)
	for name, data := range before {
		if name == "results.jsonl" {
			continue // the rows keep their fingerprints and durations
		}
		if !bytes.Equal(after[name], data) {
			t.Errorf("rerun changed %s", name)
		}
	}
	if a, b := normalizedResults(t, out, repos), string(before["results.jsonl"]); a != strings.ReplaceAll(normalizeBytes(b), repos, "$REPOS") {
		t.Errorf("rerun changed the results:\n%s", a)
	}
}

func normalizeBytes(s string) string {
	s = regexp.MustCompile(`"duration_ms":\d+`).ReplaceAllString(s, `"duration_ms":0`)
	return regexp.MustCompile(`"fingerprint":"[0-9a-f]+"`).ReplaceAllString(s, `"fingerprint":"…"`)
}

// A DIR of repositories: every child folder is one, files beside them are not.
func TestBatchDir(t *testing.T) {
	repos := batchRepos(t)
	out := filepath.Join(repos, "out") // inside the DIR: never taken for a repository
	code, stdout, _ := runIn(t, repos, "batch", "--repos", ".", "--out", "out", "--quiet", "--format", "sarif")
	if code != 1 {
		t.Fatalf("exit %d\n%s", code, stdout)
	}
	rows, err := batch.ReadResults(filepath.Join(out, "results.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range rows {
		got = append(got, r.Repo+"="+string(r.Status))
	}
	want := "broken=needs-manual-work console=nothing-to-do isolated=nothing-to-do legacy=needs-manual-work orders=migrated"
	if strings.Join(got, " ") != want {
		t.Errorf("rows %v, want %s", got, want)
	}
	validateSARIF(t, filepath.Join(out, "legacy.findings.sarif"))
	data, err := os.ReadFile(filepath.Join(out, "legacy.findings.sarif"))
	if err != nil {
		t.Fatal(err)
	}
	var log struct {
		Version string
		Runs    []struct{ Results []json.RawMessage }
	}
	if err := json.Unmarshal(data, &log); err != nil || log.Version != "2.1.0" || len(log.Runs) != 1 || len(log.Runs[0].Results) == 0 {
		t.Errorf("legacy.findings.sarif is not a SARIF log with results: %v\n%s", err, data)
	}
}

// --apply --git-branch migrates each repository on a new branch with one
// commit, exactly the patch's change, and never touches the original branch.
func TestBatchGitBranch(t *testing.T) {
	repos := batchRepos(t)
	out := filepath.Join(t.TempDir(), "out")
	orders := filepath.Join(repos, "orders")
	patch := filepath.Join(t.TempDir(), "orders.patch")
	_, diff, _ := runIn(t, orders, "diff", ".")
	os.WriteFile(patch, []byte(diff), 0o644)
	original := strings.TrimSpace(git(t, orders, "branch", "--show-current"))

	code, stdout, stderr := runIn(t, repos, "batch", "--repos", "repos.txt", "--out", out, "--quiet", "--apply", "--git-branch", "funcmigrate/isolated")
	if code != 1 {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	for _, name := range []string{"orders", "legacy"} {
		repo := filepath.Join(repos, name)
		if b := strings.TrimSpace(git(t, repo, "branch", "--show-current")); b != "funcmigrate/isolated" {
			t.Errorf("%s: on branch %q", name, b)
		}
		if n := strings.TrimSpace(git(t, repo, "rev-list", "--count", "HEAD")); n != "2" {
			t.Errorf("%s: %s commits, want the original and the migration", name, n)
		}
		if s := git(t, repo, "status", "--porcelain"); s != "" {
			t.Errorf("%s: work tree not clean after the commit:\n%s", name, s)
		}
	}
	msg := git(t, orders, "log", "-1", "--format=%B")
	for _, want := range []string{"Migrate Azure Functions to the isolated worker model (net10.0)", "- Orders.csproj (", "deploy-settings: 1"} {
		if !strings.Contains(msg, want) {
			t.Errorf("commit message lacks %q:\n%s", want, msg)
		}
	}
	// The commit is the patch: applied on the original commit, it gives the same tree.
	git(t, orders, "checkout", "-q", "HEAD~1")
	git(t, orders, "apply", patch)
	git(t, orders, "add", "-A")
	git(t, orders, "diff", "--cached", "--exit-code", "funcmigrate/isolated")
	git(t, orders, "reset", "-q", "--hard")
	git(t, orders, "checkout", "-q", "funcmigrate/isolated")
	legacyMsg := git(t, filepath.Join(repos, "legacy"), "log", "-1", "--format=%B")
	if !strings.Contains(legacyMsg, "- cs-binder: 2") || !strings.Contains(legacyMsg, "Archive.cs:") {
		t.Errorf("commit message does not list what is left:\n%s", legacyMsg)
	}

	// A rerun finds every repository unchanged since its row: nothing is redone.
	code, stdout, _ = runIn(t, repos, "batch", "--repos", "repos.txt", "--out", out, "--quiet", "--apply", "--git-branch", "funcmigrate/isolated")
	if code != 1 {
		t.Fatalf("rerun: exit %d\n%s", code, stdout)
	}
	rows, _ := batch.ReadResults(filepath.Join(out, "results.jsonl"))
	for _, r := range rows {
		if r.Repo == "orders" && (r.Status != batch.Migrated || r.Commit == "" || r.Branch != "funcmigrate/isolated") {
			t.Errorf("orders row after rerun: %+v", r)
		}
	}
	// --force redoes it. Back on the original branch, orders is in-process
	// again, but the branch exists: it fails without writing anything.
	git(t, orders, "checkout", "-q", original)
	code, _, _ = runIn(t, repos, "batch", "--repos", "repos.txt", "--out", out, "--quiet", "--force", "--apply", "--git-branch", "funcmigrate/isolated")
	if code != 1 {
		t.Errorf("--force: exit %d", code)
	}
	rows, _ = batch.ReadResults(filepath.Join(out, "results.jsonl"))
	for _, r := range rows {
		if r.Repo == "orders" && (r.Status != batch.Failed || !strings.Contains(r.Error, "branch funcmigrate/isolated already exists")) {
			t.Errorf("orders after --force with the branch present: %+v", r)
		}
	}
	if s := git(t, orders, "status", "--porcelain"); s != "" {
		t.Errorf("the failed repository was written:\n%s", s)
	}
}

func TestBatchUsage(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"batch", "--out", "o"}, "batch needs --repos"},
		{[]string{"batch", "--repos", "x"}, "batch needs --repos"},
		{[]string{"batch", "--repos", "x", "--out", "o", "--shard", "4/3"}, "--shard \"4/3\""},
		{[]string{"batch", "--repos", "x", "--out", "o", "--git-branch", "b"}, "belong to --apply"},
		{[]string{"batch", "--repos", "missing.txt", "--out", "o"}, "missing.txt"},
		{[]string{"batch", "--repos", "x", "--out", "o", "extra"}, "batch takes no PATH"},
		{[]string{"report", "merge", "--out", "o"}, "report merge needs"},
		{[]string{"report", "merge", "--out", "o", "nowhere"}, "nowhere: not a batch output folder"},
		{[]string{"rules", "no-such-rule"}, `no rule "no-such-rule"`},
	} {
		code, _, stderr := runIn(t, dir, tc.args...)
		if code != 2 || !strings.Contains(stderr, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 mentioning %q", tc.args, code, stderr, tc.want)
		}
	}
}

// On a log (not a terminal) the progress is a plain line at most every
// interval, plus the last state.
func TestProgressPlain(t *testing.T) {
	var buf bytes.Buffer
	now := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	p := &progress{w: &buf, interval: 10 * time.Second, now: func() time.Time { return now }}
	for i := 1; i <= 5; i++ {
		now = now.Add(4 * time.Second)
		p.update(batch.Progress{Done: i, Total: 6, Failed: i / 3, Resumed: 1, Elapsed: time.Duration(i) * 4 * time.Second})
	}
	p.finish()
	want := "funcmigrate batch: 1/6 done, 0 failed, 1 resumed\n" +
		"funcmigrate batch: 4/6 done, 1 failed, 1 resumed, 0.2 repos/s, ETA 11s\n" +
		"funcmigrate batch: 5/6 done, 1 failed, 1 resumed, 0.2 repos/s, ETA 5s\n"
	if buf.String() != want {
		t.Errorf("got:\n%s\nwant:\n%s", buf.String(), want)
	}
}
