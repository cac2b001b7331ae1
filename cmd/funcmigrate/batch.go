package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/funcmigrate/funcmigrate/batch"
	"github.com/funcmigrate/funcmigrate/rewrite/catalog"
)

func cmdBatch(args []string, stdout, stderr io.Writer) (int, error) {
	fl := flag.NewFlagSet("batch", flag.ContinueOnError)
	fl.SetOutput(io.Discard)
	var mf migrationFlags
	mf.register(fl)
	repos := fl.String("repos", "", "")
	out := fl.String("out", "", "")
	jobs := fl.Int("jobs", 0, "")
	shard := fl.String("shard", "", "")
	force := fl.Bool("force", false, "")
	write := fl.Bool("apply", false, "")
	allowDirty := fl.Bool("allow-dirty", false, "")
	branch := fl.String("git-branch", "", "")
	quiet := fl.Bool("quiet", false, "")
	extra, err := parseArgs(fl, args)
	if err != nil {
		return 2, usageError{err.Error()}
	}
	if err := mf.check(); err != nil {
		return 2, err
	}
	switch {
	case len(extra) > 0:
		return 2, usageError{fmt.Sprintf("batch takes no PATH (got %q): list the repositories with --repos", extra[0])}
	case *repos == "" || *out == "":
		return 2, usageError{"batch needs --repos LIST|DIR and --out DIR"}
	case *jobs < 0:
		return 2, usageError{"--jobs must be 1 or more (0 means one per CPU)"}
	case !*write && (*branch != "" || *allowDirty):
		return 2, usageError{"--git-branch and --allow-dirty belong to --apply"}
	}
	cfg := batch.Config{Repos: *repos, Out: *out, Jobs: *jobs, Force: *force, Apply: *write, AllowDirty: *allowDirty,
		GitBranch: *branch, Format: mf.format, Options: mf.options(""), Version: version, Rules: catalog.All()}
	if *shard != "" {
		s, err := batch.ParseShard(*shard)
		if err != nil {
			return 2, usageError{err.Error()}
		}
		cfg.Shard = s
	}
	var prog *progress
	if !*quiet {
		prog = newProgress(stderr)
		cfg.Progress = prog.update
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	o, err := batch.Run(ctx, cfg)
	if prog != nil {
		prog.finish()
	}
	if err != nil {
		return 2, err
	}
	c := o.Counts()
	var parts []string
	for _, s := range batch.Statuses {
		if c[s] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", c[s], s))
		}
	}
	if len(parts) == 0 {
		parts = append(parts, "none done")
	}
	fmt.Fprintf(stdout, "%d repositories: %s\nresults: %s\nsummary: %s\n", o.Total, strings.Join(parts, ", "),
		filepath.Join(*out, "results.jsonl"), filepath.Join(*out, "summary.md"))
	if o.Interrupted {
		return 2, fmt.Errorf("interrupted after %d of %d repositories; run the same command again to do the rest", len(o.Rows), o.Total)
	}
	if c[batch.Failed] > 0 || c[batch.NeedsManualWork] > 0 {
		return 1, nil
	}
	return 0, nil
}

// cmdReport handles `funcmigrate report merge --out DIR SHARD...`.
func cmdReport(args []string, stdout io.Writer) (int, error) {
	if len(args) == 0 || args[0] != "merge" {
		return 2, usageError{"report: the only subcommand is merge: funcmigrate report merge --out DIR SHARD_OUT..."}
	}
	fl := flag.NewFlagSet("report merge", flag.ContinueOnError)
	fl.SetOutput(io.Discard)
	out := fl.String("out", "", "")
	shards, err := parseArgs(fl, args[1:])
	if err != nil {
		return 2, usageError{err.Error()}
	}
	if *out == "" || len(shards) == 0 {
		return 2, usageError{"report merge needs --out DIR and the shards' output folders"}
	}
	o, err := batch.Merge(*out, shards, catalog.All())
	if err != nil {
		return 2, err
	}
	c := o.Counts()
	fmt.Fprintf(stdout, "merged %d shard folder(s): %d repositories\nsummary: %s\n", len(shards), len(o.Rows), filepath.Join(*out, "summary.md"))
	if c[batch.Failed] > 0 || c[batch.NeedsManualWork] > 0 {
		return 1, nil
	}
	return 0, nil
}

// progress shows how far a batch is on standard error: one line redrawn in
// place on a terminal, else a plain line at most every interval (CI logs).
type progress struct {
	w        io.Writer
	live     bool
	interval time.Duration
	now      func() time.Time
	last     time.Time
	pending  string
}

func newProgress(w io.Writer) *progress {
	p := &progress{w: w, interval: 10 * time.Second, now: time.Now}
	if f, ok := w.(*os.File); ok && os.Getenv("TERM") != "dumb" {
		if fi, err := f.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
			p.live = true
		}
	}
	return p
}

func (p *progress) update(s batch.Progress) {
	line := progressText(s)
	if p.live {
		fmt.Fprintf(p.w, "\r\033[K%s", line)
		p.pending = ""
		return
	}
	now := p.now()
	if s.Done == s.Total || p.last.IsZero() || now.Sub(p.last) >= p.interval {
		fmt.Fprintln(p.w, line)
		p.last, p.pending = now, ""
		return
	}
	p.pending = line
}

// finish ends the live line, or prints the last state a plain log skipped.
func (p *progress) finish() {
	if p.live {
		fmt.Fprintln(p.w)
	} else if p.pending != "" {
		fmt.Fprintln(p.w, p.pending)
	}
}

func progressText(s batch.Progress) string {
	line := fmt.Sprintf("funcmigrate batch: %d/%d done, %d failed", s.Done, s.Total, s.Failed)
	if s.Resumed > 0 {
		line += fmt.Sprintf(", %d resumed", s.Resumed)
	}
	// The rate counts the repositories migrated in this run: resumed ones cost nothing.
	if worked := s.Done - s.Resumed; worked > 0 && s.Elapsed > 0 {
		rate := float64(worked) / s.Elapsed.Seconds()
		line += fmt.Sprintf(", %.1f repos/s", rate)
		if left := s.Total - s.Done; left > 0 {
			line += ", ETA " + (time.Duration(float64(left) / rate * float64(time.Second))).Round(time.Second).String()
		}
	}
	return line
}
