package batch

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/funcmigrate/funcmigrate/internal/apply"
	"github.com/funcmigrate/funcmigrate/internal/corpus"
	"github.com/funcmigrate/funcmigrate/rewrite"
	"github.com/funcmigrate/funcmigrate/rewrite/catalog"
	"github.com/funcmigrate/funcmigrate/rewrite/rules"
)

func config(repos, out string) Config {
	return Config{Repos: repos, Out: out, Jobs: 4, Format: "text", Version: "test",
		Options: rewrite.Options{TargetFramework: "net10.0", TODOComments: true, Rules: rules.All},
		Rules:   catalog.All()}
}

// generated writes n repositories of every kind and a LIST naming them all,
// one of them twice.
func generated(t testing.TB, n int) (dir, list string) {
	t.Helper()
	dir = t.TempDir()
	repos, err := corpus.Generate(filepath.Join(dir, "repos"), corpus.Config{Repos: n, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	b.WriteString("# generated\n")
	for i, r := range repos {
		b.WriteString("repos/" + r.Name + "\n")
		if i == 2 {
			b.WriteString("./repos/" + r.Name + "/\n") // the same repository again
		}
	}
	list = filepath.Join(dir, "repos.txt")
	if err := os.WriteFile(list, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir, list
}

// stable is a results.jsonl without what differs between two runs of the
// same input: durations.
func stable(t testing.TB, out string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(out, resultsFile))
	if err != nil {
		t.Fatal(err)
	}
	return regexp.MustCompile(`"duration_ms":\d+`).ReplaceAllString(string(data), `"duration_ms":0`)
}

func readOut(t testing.TB, out string) map[string]string {
	t.Helper()
	files := map[string]string{}
	des, err := os.ReadDir(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range des {
		data, err := os.ReadFile(filepath.Join(out, d.Name()))
		if err != nil {
			t.Fatal(err)
		}
		files[d.Name()] = string(data)
	}
	files[resultsFile] = stable(t, out)
	return files
}

func sameOut(t *testing.T, what string, got, want map[string]string) {
	t.Helper()
	for name, w := range want {
		if g, ok := got[name]; !ok {
			t.Errorf("%s: %s missing", what, name)
		} else if g != w {
			t.Errorf("%s: %s differs:\n--- got ---\n%.2000s\n--- want ---\n%.2000s", what, name, g, w)
		}
	}
	for name := range got {
		if _, ok := want[name]; !ok {
			t.Errorf("%s: %s is extra", what, name)
		}
	}
}

// The union of the shards is the unsharded run, each repository exactly
// once, and merging the shards' folders gives the unsharded folder.
func TestShardsCoverTheListOnce(t *testing.T) {
	dir, list := generated(t, 30)
	ctx := context.Background()
	whole, err := Run(ctx, config(list, filepath.Join(dir, "all")))
	if err != nil {
		t.Fatal(err)
	}
	if len(whole.Rows) != 31 {
		t.Fatalf("%d rows for 31 entries", len(whole.Rows))
	}
	patches := 0
	for _, r := range whole.Rows {
		if r.Patch == "" {
			continue
		}
		patches++
		cmd := exec.Command("git", "apply", "--check", filepath.Join(dir, "all", r.Patch))
		cmd.Dir = r.Path
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("%s: git apply --check refuses its patch: %v\n%s", r.Repo, err, out)
		}
	}
	if patches < 20 {
		t.Errorf("only %d of 31 repositories have a patch", patches)
	}
	seen := map[int]int{}
	var shardDirs []string
	for i := 1; i <= 3; i++ {
		cfg := config(list, filepath.Join(dir, "shard", string(rune('0'+i))))
		cfg.Shard = Shard{i, 3}
		o, err := Run(ctx, cfg)
		if err != nil {
			t.Fatal(err)
		}
		if len(o.Rows) == 0 {
			t.Errorf("shard %d/3 is empty: the slices are badly balanced", i)
		}
		for _, r := range o.Rows {
			seen[r.Index]++
		}
		shardDirs = append(shardDirs, cfg.Out)
	}
	for i := 1; i <= 31; i++ {
		if seen[i] != 1 {
			t.Errorf("entry %d is in %d shards", i, seen[i])
		}
	}
	merged := filepath.Join(dir, "merged")
	if _, err := Merge(merged, shardDirs, catalog.All()); err != nil {
		t.Fatal(err)
	}
	sameOut(t, "merged shards", readOut(t, merged), readOut(t, filepath.Join(dir, "all")))

	// Merge refuses an incomplete set and a shard given twice.
	if _, err := Merge(filepath.Join(dir, "m2"), shardDirs[:2], nil); err == nil || !strings.Contains(err.Error(), "of 31 repositories") {
		t.Errorf("merge of 2 of 3 shards: %v", err)
	}
	if _, err := Merge(filepath.Join(dir, "m3"), append(shardDirs, shardDirs[0]), nil); err == nil || !strings.Contains(err.Error(), "are both shard 1/3") {
		t.Errorf("merge with a shard twice: %v", err)
	}
}

// A run stopped half-way keeps what it finished; the rerun does only the
// rest and ends with exactly what one uninterrupted run writes.
func TestResumeAfterInterrupt(t *testing.T) {
	dir, list := generated(t, 12)
	once := filepath.Join(dir, "once")
	if _, err := Run(context.Background(), config(list, once)); err != nil {
		t.Fatal(err)
	}

	out := filepath.Join(dir, "out")
	ctx, cancel := context.WithCancel(context.Background())
	cfg := config(list, out)
	cfg.Jobs = 1
	cfg.Progress = func(p Progress) {
		if p.Done == 5 {
			cancel()
		}
	}
	o, err := Run(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if !o.Interrupted || len(o.Rows) >= 13 {
		t.Fatalf("interrupted run: %d rows, interrupted %v", len(o.Rows), o.Interrupted)
	}
	resumable := 0 // finished rows a rerun keeps: failed ones are retried, repeats are never looked at
	for _, r := range o.Rows {
		if r.Status != Failed && r.Status != Skipped {
			resumable++
		}
	}
	// A kill can leave half a row at the end of the file.
	f, _ := os.OpenFile(filepath.Join(out, resultsFile), os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString(`{"index":9,"repo":"repos/`)
	f.Close()

	cfg = config(list, out)
	o, err = Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if o.Interrupted || len(o.Rows) != 13 {
		t.Fatalf("rerun: %d rows, interrupted %v", len(o.Rows), o.Interrupted)
	}
	if o.Resumed != resumable {
		t.Errorf("rerun resumed %d repositories, want the %d finished ones", o.Resumed, resumable)
	}
	sameOut(t, "resumed run", readOut(t, out), readOut(t, once))

	// A changed repository is redone; --force redoes them all.
	rows, _ := ReadResults(filepath.Join(out, resultsFile))
	var changed *Row
	for _, r := range rows {
		if r.Status == Migrated || r.Status == NeedsManualWork {
			changed = r
			break
		}
	}
	if changed == nil {
		t.Fatal("no in-process app in the corpus")
	}
	os.WriteFile(filepath.Join(changed.Path, "NOTES.md"), []byte("new\n"), 0o644)
	o, err = Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range o.Rows {
		if r.resumed == (r.Index == changed.Index) && r.Status != Failed && r.Status != Skipped {
			t.Errorf("repository %d (%s): resumed %v after only %s changed", r.Index, r.Repo, r.resumed, changed.Repo)
		}
	}
	cfg.Force = true
	if o, err = Run(context.Background(), cfg); err != nil || o.Resumed != 0 {
		t.Errorf("--force resumed %d (%v)", o.Resumed, err)
	}

	// Stopping a --force rerun early keeps the earlier rows of the rest.
	ctx, cancel = context.WithCancel(context.Background())
	cfg.Jobs = 1
	cfg.Progress = func(p Progress) {
		if p.Done == 2 {
			cancel()
		}
	}
	if o, err = Run(ctx, cfg); err != nil || !o.Interrupted {
		t.Fatalf("interrupted --force: %v, interrupted %v", err, o.Interrupted)
	}
	if rows, _ := ReadResults(filepath.Join(out, resultsFile)); len(rows) != 13 {
		t.Errorf("after an interrupted --force run results.jsonl holds %d rows, want all 13", len(rows))
	}
}

// A panic in one repository becomes its failed row; the others go on.
func TestPanicIsARow(t *testing.T) {
	dir, list := generated(t, 6)
	// The first repository of the list (repo-0000-…) crashes the engine.
	migrateTree = func(roots []string, opt rewrite.Options) (*rewrite.Tree, error) {
		if strings.HasPrefix(filepath.Base(roots[0]), "repo-0000-") {
			var m map[string]int
			m["boom"]++ // a nil map write, as a bug in a rule would
		}
		return rewrite.MigrateTree(roots, opt)
	}
	defer func() { migrateTree = rewrite.MigrateTree }()
	o, err := Run(context.Background(), config(list, filepath.Join(dir, "out")))
	if err != nil {
		t.Fatal(err)
	}
	if len(o.Rows) != 7 {
		t.Fatalf("%d rows, want 7", len(o.Rows))
	}
	for _, r := range o.Rows {
		switch {
		case r.Index == 1:
			if r.Status != Failed || !strings.Contains(r.Error, "internal error: assignment to entry in nil map") {
				t.Errorf("crashed repository's row: %+v", r)
			}
			crash, err := os.ReadFile(filepath.Join(dir, "out", r.Name+".crash.txt"))
			if err != nil || !strings.Contains(string(crash), "goroutine") {
				t.Errorf("no stack saved: %v", err)
			}
		case r.Status == Failed && !strings.Contains(r.Repo, "broken"):
			t.Errorf("repository %d failed too: %+v", r.Index, r)
		case r.Status == "":
			t.Errorf("row without status: %+v", r)
		}
	}
}

func hash8(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:4])
}

func TestReadList(t *testing.T) {
	dir := t.TempDir()
	for _, d := range []string{"a/app", "b/app", "c", "real"} {
		os.MkdirAll(filepath.Join(dir, d), 0o755)
	}
	os.Symlink(filepath.Join(dir, "real"), filepath.Join(dir, "link"))
	list := filepath.Join(dir, "list.txt")
	os.WriteFile(list, []byte("\ufeff# comment\n\n  a/app  \nb/app\r\nc\nreal\nlink\n"+filepath.Join(dir, "c")+"\n"), 0o644)
	es, err := readList(list, "")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range es {
		got = append(got, e.listed+" "+e.name+" "+map[bool]string{true: "dup", false: "-"}[e.dupOf != 0])
	}
	want := []string{
		"a/app app-" + hash8("a/app") + " -",
		"b/app app-" + hash8("b/app") + " -",
		"c c -",
		"real real -",
		"link link dup",
		filepath.Join(dir, "c") + " c dup",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if es[0].line != 3 || es[1].line != 4 {
		t.Errorf("lines %d %d, want 3 4", es[0].line, es[1].line)
	}
}

// TestInterruptedApply: a repository an earlier apply left half-written
// fails its row without --apply (nothing is described from a half-written
// tree) and is finished first with --apply.
func TestInterruptedApply(t *testing.T) {
	dir, list := generated(t, 2)
	repo := filepath.Join(dir, "repos", "repo-0000-"+string(corpus.DefaultKinds[0]))
	if _, err := os.Stat(repo); err != nil {
		t.Fatal(err)
	}
	tree, err := rewrite.MigrateTree([]string{repo}, rewrite.Options{Base: repo, Rules: rules.All})
	if err != nil {
		t.Fatal(err)
	}
	apply.Fault = func(step string) error {
		if step == "committed" {
			return errors.New("killed")
		}
		return nil
	}
	err = apply.Write(repo, tree.Results)
	apply.Fault = nil
	if err == nil {
		t.Fatal("the injected failure did not stop apply")
	}
	journal := filepath.Join(repo, apply.JournalName)

	o, err := Run(context.Background(), config(list, filepath.Join(dir, "out")))
	if err != nil {
		t.Fatal(err)
	}
	if r := o.Rows[0]; r.Status != Failed || !strings.Contains(r.Error, "was interrupted after writing") || !strings.Contains(r.Error, "run funcmigrate apply") {
		t.Errorf("row of the half-written repository: %+v", r)
	}
	cfg := config(list, filepath.Join(dir, "out"))
	cfg.Apply, cfg.AllowDirty = true, true
	if o, err = Run(context.Background(), cfg); err != nil {
		t.Fatal(err)
	}
	if r := o.Rows[0]; r.Status == Failed {
		t.Errorf("--apply did not finish the interrupted apply: %+v", r)
	}
	if _, err := os.Stat(journal); err == nil {
		t.Error("the journal is still there")
	}
}
