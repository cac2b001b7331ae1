// Package batch migrates many repositories in one run: in parallel with
// memory bounded by the jobs in flight, one patch, findings file and result
// row per repository, resumable, and shardable across machines.
package batch

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/funcmigrate/funcmigrate/deploy"
	"github.com/funcmigrate/funcmigrate/internal/apply"
	"github.com/funcmigrate/funcmigrate/rewrite"
	"github.com/funcmigrate/funcmigrate/rewrite/report"
)

// Config is one batch run.
type Config struct {
	Repos      string // a LIST file of repository paths, or a DIR whose children are repositories
	Out        string // output folder
	Jobs       int    // repositories in flight; 0 means the number of CPUs
	Shard      Shard
	Force      bool   // redo repositories whose result row is present and unchanged
	Apply      bool   // write the changes into each repository too
	AllowDirty bool   // with Apply: write even over uncommitted changes
	GitBranch  string // with Apply: create this branch and commit the migration on it
	Format     string // findings file format, one of report.Formats
	Options    rewrite.Options
	Version    string            // the tool's version: recorded, and part of each fingerprint
	Rules      []report.RuleInfo // rule metadata for SARIF findings files
	// Progress, when set, is called after each repository, from one
	// goroutine at a time.
	Progress func(Progress)
}

// Progress is how far a run is.
type Progress struct {
	Done, Total int // repositories finished (resumed included) and selected
	Failed      int
	Resumed     int // skipped because an earlier run's row still holds
	Elapsed     time.Duration
}

// An Outcome is what a run did.
type Outcome struct {
	Rows        []*Row // one per selected repository, in list order (fewer when Interrupted)
	Total       int    // repositories selected (the whole list, or the shard)
	Resumed     int
	Interrupted bool // the context ended before every repository was done
}

// Counts returns how many rows have each status.
func (o *Outcome) Counts() map[Status]int {
	c := map[Status]int{}
	for _, r := range o.Rows {
		c[r.Status]++
	}
	return c
}

// migrateTree is rewrite.MigrateTree; tests replace it to crash on purpose.
var migrateTree = rewrite.MigrateTree

// Run migrates every repository of the list (or of the shard) and writes
// the output folder. Stopping ctx stops handing out repositories; those in
// flight finish, and a rerun with the same output folder picks up the rest.
func Run(ctx context.Context, cfg Config) (*Outcome, error) {
	if cfg.Jobs <= 0 {
		cfg.Jobs = runtime.NumCPU()
	}
	if cfg.Format == "" {
		cfg.Format = "text"
	}
	if err := os.MkdirAll(cfg.Out, 0o755); err != nil {
		return nil, fmt.Errorf("--out: %v", err)
	}
	out, err := filepath.Abs(cfg.Out)
	if err != nil {
		return nil, err
	}
	cfg.Out = out
	entries, err := readList(cfg.Repos, out)
	if err != nil {
		return nil, err
	}
	man := &Manifest{Tool: "funcmigrate", Version: cfg.Version, List: listHash(entries), Total: len(entries),
		Shard: cfg.Shard.String(), Options: cfg.optionsKey()}
	if err := writeManifest(out, man); err != nil {
		return nil, fmt.Errorf("--out: %v", err)
	}
	var selected []*entry
	for _, e := range entries {
		if cfg.Shard.has(e) {
			selected = append(selected, e)
		}
	}

	resultsPath := filepath.Join(out, resultsFile)
	earlier, torn, err := readRows(resultsPath)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", resultsPath, err)
	}
	old := resumable(earlier)
	// Rows are appended as repositories finish, so a killed run keeps what
	// it did; the file is rewritten in list order at the end.
	appendFile, err := os.OpenFile(resultsPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, fmt.Errorf("--out: %v", err)
	}
	defer appendFile.Close()
	// A torn last line must not swallow the first row appended after it.
	if torn {
		appendFile.Write([]byte("\n"))
	}

	start := time.Now()
	o := &Outcome{Total: len(selected)}
	todo := make(chan *entry)
	done := make(chan *Row)
	var wg sync.WaitGroup
	for range min(cfg.Jobs, max(len(selected), 1)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for e := range todo {
				done <- cfg.repo(e, old)
			}
		}()
	}
	go func() {
		defer close(todo)
		for _, e := range selected {
			select {
			case todo <- e:
			case <-ctx.Done():
				return
			}
		}
	}()
	go func() { wg.Wait(); close(done) }()

	var writeErr error
	failed := 0
	for row := range done {
		o.Rows = append(o.Rows, row)
		if row.resumed {
			o.Resumed++
		}
		if row.Status == Failed {
			failed++
		}
		if _, err := appendFile.Write(marshalRow(row)); err != nil && writeErr == nil {
			writeErr = fmt.Errorf("%s: %v", resultsPath, err)
		}
		if cfg.Progress != nil {
			cfg.Progress(Progress{Done: len(o.Rows), Total: len(selected), Failed: failed, Resumed: o.Resumed, Elapsed: time.Since(start)})
		}
	}
	o.Interrupted = len(o.Rows) < len(selected)
	if writeErr != nil {
		return o, writeErr
	}
	// An interrupted run keeps the rows earlier runs finished for the
	// repositories it did not reach, so stopping a --force rerun loses nothing.
	rows := o.Rows
	if o.Interrupted {
		reached := map[int]bool{}
		for _, r := range o.Rows {
			reached[r.Index] = true
		}
		rows = slices.Clone(o.Rows)
		for _, e := range selected {
			switch prev := old[e.key()]; {
			case reached[e.index]:
			case e.dupOf != 0:
				rows = append(rows, cfg.repo(e, old)) // a repeat costs nothing to say again
			case prev != nil:
				kept := *prev
				kept.Index, kept.Repo = e.index, e.listed
				rows = append(rows, &kept)
			}
		}
	}
	if err := writeRows(resultsPath, rows); err != nil {
		return o, err
	}
	if err := writeFileAtomic(filepath.Join(out, summaryFile), Summary(rows, man, len(selected), cfg.Rules)); err != nil {
		return o, err
	}
	return o, nil
}

// listHash identifies the list, so merge can tell shards of one list apart
// from shards of another.
func listHash(es []*entry) string {
	h := sha256.New()
	for _, e := range es {
		fmt.Fprintf(h, "%s\n", e.listed)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// optionsKey names the options that change a repository's output.
func (cfg *Config) optionsKey() string {
	o := cfg.Options
	return fmt.Sprintf("target=%s todo=%t hostbuilder=%t format=%s apply=%t branch=%s",
		o.TargetFramework, o.TODOComments, o.HostBuilder, cfg.Format, cfg.Apply, cfg.GitBranch)
}

// repo handles one repository. It never panics: a panic in the engine
// becomes a failed row, with the stack saved beside the patches.
func (cfg *Config) repo(e *entry, old map[string]*Row) (row *Row) {
	start := time.Now()
	row = &Row{Index: e.index, Repo: e.listed, Path: e.path, Name: e.name}
	defer func() {
		if v := recover(); v != nil {
			crash := e.name + ".crash.txt"
			msg := fmt.Sprintf("funcmigrate %s crashed on %s: %v\n\n%s", cfg.Version, e.path, v, debug.Stack())
			*row = Row{Index: e.index, Repo: e.listed, Path: e.path, Name: e.name, Status: Failed,
				Error: fmt.Sprintf("internal error: %v (the stack is in %s; please report it)", v, crash)}
			writeFileAtomic(filepath.Join(cfg.Out, crash), []byte(msg))
		}
		row.Millis = time.Since(start).Milliseconds()
	}()
	if e.dupOf != 0 {
		row.Status, row.Reason = Skipped, fmt.Sprintf("same repository as entry %d", e.dupOf)
		return row
	}
	fi, err := os.Stat(e.path)
	switch {
	case err != nil:
		row.Status, row.Error = Failed, fmt.Sprintf("%s: %v", e.listed, rewrite.UnwrapPath(err))
		return row
	case !fi.IsDir():
		row.Status, row.Error = Failed, e.listed+": not a folder"
		return row
	}
	fp, err := cfg.fingerprint(e.path)
	if err != nil {
		row.Status, row.Error = Failed, err.Error()
		return row
	}
	if prev := old[row.key()]; !cfg.Force && prev != nil && prev.Fingerprint == fp && prev.Status != Failed && cfg.outputsExist(prev) {
		kept := *prev
		kept.Index, kept.Repo = e.index, e.listed
		kept.resumed = true
		return &kept
	}
	cfg.migrate(e, row)
	switch {
	case row.Status == Failed:
	case row.Applied:
		// Taken again after the writes, so a rerun of --apply sees the
		// migrated tree as unchanged.
		if row.Fingerprint, err = cfg.fingerprint(e.path); err != nil {
			row.Status, row.Error = Failed, err.Error()
		}
	default:
		row.Fingerprint = fp
	}
	return row
}

// outputsExist reports whether the files an earlier row names are still
// in the output folder.
func (cfg *Config) outputsExist(r *Row) bool {
	for _, f := range []string{r.Patch, r.Report} {
		if f == "" {
			continue
		}
		if _, err := os.Stat(filepath.Join(cfg.Out, f)); err != nil {
			return false
		}
	}
	return true
}

// migrate fills row from the migration of one repository and writes its
// output files (and, with Apply, the repository).
func (cfg *Config) migrate(e *entry, row *Row) {
	fail := func(err error) {
		// Errors name files by absolute path; within the repository's row
		// its own path says nothing and differs between machines.
		msg := strings.ReplaceAll(err.Error(), e.path+string(filepath.Separator), "")
		row.Status, row.Error = Failed, msg
	}
	interrupted, err := apply.FindInterrupted([]string{e.path})
	if err != nil {
		fail(err)
		return
	}
	for _, in := range interrupted {
		if !cfg.Apply {
			fail(fmt.Errorf("%s; run funcmigrate apply (or batch --apply) to finish it, or funcmigrate apply --rollback to undo it", in))
			return
		}
		if err := in.Complete(); err != nil {
			fail(err)
			return
		}
	}
	base := rewrite.PatchBase(e.path, []string{e.path})
	opt := cfg.Options
	opt.Base = base
	tree, err := migrateTree([]string{e.path}, opt)
	if err != nil {
		fail(err)
		return
	}
	changes := tree.Changes()
	row.Projects, row.Changed = tree.Projects, len(changes)
	row.ByRule = map[string]int{}
	var skips []string
	codeWork := 0 // findings that need a person, besides the rollout every app has
	for _, f := range tree.Findings {
		switch {
		case f.NeedsPerson():
			row.NeedsPerson++
			row.ByRule[f.Rule]++
			if !rolloutRules[f.Rule] {
				codeWork++
			}
		default:
			row.Notes++
		}
		if f.Rule == rewrite.RuleSkipped {
			skips = append(skips, f.Path+": "+strings.TrimPrefix(f.Message, "skipped: "))
		}
	}
	if len(row.ByRule) == 0 {
		row.ByRule = nil
	}

	// Output files: written when there is something to say, removed when
	// an earlier run left one that no longer holds.
	patchName, reportName := e.name+".patch", e.name+".findings"+report.FormatExt(cfg.Format)
	if err := cfg.output(patchName, tree.Patch()); err != nil {
		fail(err)
		return
	}
	var rep []byte
	if len(changes) > 0 || row.NeedsPerson > 0 {
		var paths []string
		for _, c := range changes {
			paths = append(paths, c.Path)
		}
		var buf bytes.Buffer
		sum := report.Summary{Projects: tree.Projects, Changed: paths, Applied: cfg.Apply}
		if err := report.Write(&buf, cfg.Format, tree.Findings, sum, cfg.Rules, cfg.Version); err != nil {
			fail(err)
			return
		}
		rep = buf.Bytes()
	}
	if err := cfg.output(reportName, rep); err != nil {
		fail(err)
		return
	}
	if len(changes) > 0 {
		row.Patch = patchName
	}
	if rep != nil {
		row.Report = reportName
	}

	if cfg.Apply && len(changes) > 0 {
		if err := cfg.write(base, tree, row); err != nil {
			fail(err)
			return
		}
	}
	switch {
	case codeWork > 0:
		row.Status = NeedsManualWork
		row.Reason = fmt.Sprintf("%d finding(s) in the code need a person", codeWork)
	case len(changes) > 0:
		row.Status = Migrated
		if row.NeedsPerson > 0 {
			row.Reason = "code migrated; roll out as its findings say (app settings, hosting plan)"
		}
	default:
		row.Status = NothingToDo
		row.Reason = "no in-process function app found"
		if len(skips) > 0 {
			sort.Strings(skips)
			row.Reason = strings.Join(skips, "; ")
		}
	}
}

// rolloutRules report the steps on the Azure side that every migrated app
// has: switching the app settings with the deployment through a staging
// slot, and a hosting plan that runs the target (MAPPING.md §6.3, §1.6). A person does them when
// rolling out, so they do not make a repository need manual work; they still
// count among its findings.
var rolloutRules = map[string]bool{
	rewrite.RuleRollout:               true,
	deploy.RuleRollout:                true,
	"csproj-target-linux-consumption": true,
}

// output writes one output file, or removes a stale one when data is nil.
func (cfg *Config) output(name string, data []byte) error {
	path := filepath.Join(cfg.Out, name)
	if len(data) == 0 {
		if err := os.Remove(path); err != nil && !os.IsNotExist(err) {
			return err
		}
		return nil
	}
	return writeFileAtomic(path, data)
}

// write applies the migration to the repository, on a new branch with a
// commit when GitBranch is set.
func (cfg *Config) write(base string, tree *rewrite.Tree, row *Row) error {
	if cfg.GitBranch != "" {
		if _, ok := rewrite.GitTop(base); !ok {
			return fmt.Errorf("--git-branch: %s is not in a git repository; nothing was written", row.Path)
		}
	}
	if !cfg.AllowDirty {
		if err := apply.RefuseDirty(base, tree.Results); err != nil {
			return err
		}
	}
	if cfg.GitBranch != "" {
		if err := startBranch(base, cfg.GitBranch); err != nil {
			return err
		}
		row.Branch = cfg.GitBranch
	}
	top, err := apply.Top([]string{row.Path})
	if err != nil {
		return err
	}
	if err := apply.Write(top, tree.Results); err != nil {
		return err
	}
	row.Applied = true
	if cfg.GitBranch != "" {
		commit, err := commitMigration(base, tree, commitMessage(tree, base, cfg.Version, cfg.Options.TargetFramework))
		if err != nil {
			return err
		}
		row.Commit = commit
	}
	return nil
}

// contentHashLimit is the largest file whose bytes the fingerprint reads;
// larger ones (assets, not code) count by size and modification time.
const contentHashLimit = 1 << 20

// fingerprint hashes what decides a repository's output: the paths and
// contents of its files, and the options. Contents rather than times, so a
// git checkout that rewrites the same bytes does not count as a change.
// Folders the migration never reads (.git, bin, obj, node_modules) and the
// output folder are left out.
func (cfg *Config) fingerprint(dir string) (string, error) {
	h := sha256.New()
	fmt.Fprintf(h, "funcmigrate %s\n%s\n", cfg.Version, cfg.optionsKey())
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if path != dir && (d.Name() == ".git" || d.Name() == "bin" || d.Name() == "obj" || d.Name() == "node_modules" || path == cfg.Out) {
				return filepath.SkipDir
			}
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		fmt.Fprintf(h, "%s\x00%o\x00", filepath.ToSlash(rel), info.Mode())
		switch {
		case info.Mode()&fs.ModeSymlink != 0:
			target, _ := os.Readlink(path)
			fmt.Fprintf(h, "link %s\n", target)
		case !info.Mode().IsRegular():
			h.Write([]byte("special\n"))
		case info.Size() > contentHashLimit:
			fmt.Fprintf(h, "size %d time %d\n", info.Size(), info.ModTime().UnixNano())
		default:
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			sum := sha256.Sum256(data)
			fmt.Fprintf(h, "sha256 %x\n", sum)
		}
		return nil
	})
	if err != nil {
		return "", fmt.Errorf("reading %s: %v", dir, err)
	}
	return hex.EncodeToString(h.Sum(nil))[:32], nil
}
