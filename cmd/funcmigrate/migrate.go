package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/funcmigrate/funcmigrate/internal/apply"
	"github.com/funcmigrate/funcmigrate/rewrite"
	"github.com/funcmigrate/funcmigrate/rewrite/report"
	"github.com/funcmigrate/funcmigrate/rewrite/rules"
)

// migrationFlags are the flags every mode that migrates shares.
type migrationFlags struct {
	tfm, format         string
	noTodo, hostBuilder bool
}

func (m *migrationFlags) register(fl *flag.FlagSet) {
	fl.StringVar(&m.tfm, "target-framework", "net10.0", "")
	fl.StringVar(&m.format, "format", "text", "")
	fl.BoolVar(&m.noTodo, "no-todo-comments", false, "")
	fl.BoolVar(&m.hostBuilder, "host-builder", false, "")
}

func (m *migrationFlags) check() error {
	if !slices.Contains(rewrite.TargetFrameworks, m.tfm) {
		return usageError{fmt.Sprintf("--target-framework %q: choose one of %s", m.tfm, strings.Join(rewrite.TargetFrameworks, ", "))}
	}
	if !slices.Contains(report.Formats, m.format) {
		return usageError{fmt.Sprintf("--format %q: choose %s", m.format, strings.Join(report.Formats, ", "))}
	}
	return nil
}

func (m *migrationFlags) options(base string) rewrite.Options {
	return rewrite.Options{TargetFramework: m.tfm, TODOComments: !m.noTodo, HostBuilder: m.hostBuilder, Base: base, Rules: rules.All}
}

func cmdMigrate(args []string, write bool, stdout, stderr io.Writer) (int, error) {
	name := "diff"
	if write {
		name = "apply"
	}
	fl := flag.NewFlagSet(name, flag.ContinueOnError)
	fl.SetOutput(io.Discard)
	var mf migrationFlags
	mf.register(fl)
	check := fl.Bool("check", false, "")
	outFile := fl.String("o", "", "")
	reportFile := fl.String("report", "", "")
	allowDirty := fl.Bool("allow-dirty", false, "")
	rollback := fl.Bool("rollback", false, "")
	paths, err := parseArgs(fl, args)
	if err != nil {
		return 2, usageError{err.Error()}
	}
	if err := mf.check(); err != nil {
		return 2, err
	}
	if write && (*check || *outFile != "") {
		return 2, usageError{"--check and -o belong to diff: apply writes the files themselves"}
	}
	if !write && (*allowDirty || *rollback) {
		return 2, usageError{"--allow-dirty and --rollback belong to apply: diff writes nothing"}
	}
	if len(paths) == 0 {
		return 2, usageError{"no PATH given: name the function app folder, .csproj or repository to migrate"}
	}

	// An apply that was killed half-way is finished (or undone) before
	// anything else, so no run ever starts from a half-written tree.
	interrupted, err := apply.FindInterrupted(paths)
	if err != nil {
		return 2, err
	}
	if *rollback {
		return rollbackInterrupted(interrupted, stderr)
	}
	for _, in := range interrupted {
		if !write {
			return 2, fmt.Errorf("%s; run funcmigrate apply to finish it, or funcmigrate apply --rollback to undo it", in)
		}
		fmt.Fprintf(stderr, "funcmigrate: %s; finishing it\n", in)
		if err := in.Complete(); err != nil {
			return 2, err
		}
	}

	cwd, err := os.Getwd()
	if err != nil {
		return 2, err
	}
	base := rewrite.PatchBase(cwd, paths)
	tree, err := rewrite.MigrateTree(paths, mf.options(base))
	if err != nil {
		return 2, err
	}
	changes := tree.Changes()

	// Where findings go: never into the patch stream, and never mixed with
	// what apply says it wrote unless both are text.
	findingsOut, progressOut := stdout, stdout
	if !write && *outFile == "" {
		findingsOut = stderr
	}
	if write && mf.format != "text" {
		progressOut = stderr
	}
	if *reportFile != "" {
		f, err := os.Create(*reportFile)
		if err != nil {
			return 2, fmt.Errorf("%s: %v", *reportFile, err)
		}
		defer f.Close()
		findingsOut = f
	}

	if write {
		if !*allowDirty {
			if err := apply.RefuseDirty(base, tree.Results); err != nil {
				return 2, err
			}
		}
		top, err := apply.Top(paths)
		if err != nil {
			return 2, err
		}
		if err := apply.Write(top, tree.Results); err != nil {
			return 2, err
		}
		for _, r := range tree.Results {
			if len(r.Changes) > 0 {
				what := "deployment files"
				if r.Project != nil {
					what = rewrite.DisplayPath(base, r.Project.File)
				}
				fmt.Fprintf(progressOut, "migrated %s: %d files written\n", what, len(r.Changes))
				for _, c := range r.Changes {
					verb := "updated"
					switch {
					case c.Created:
						verb = "created"
					case c.Deleted:
						verb = "deleted"
					}
					fmt.Fprintf(progressOut, "  %s %s\n", verb, c.Path)
				}
			}
		}
	} else {
		patch := tree.Patch()
		if *outFile != "" {
			if err := os.WriteFile(*outFile, patch, 0o644); err != nil {
				return 2, fmt.Errorf("%s: %v", *outFile, err)
			}
		} else if _, err := stdout.Write(patch); err != nil {
			return 2, err
		}
	}

	var changed []string
	for _, c := range changes {
		changed = append(changed, c.Path)
	}
	sum := report.Summary{Projects: tree.Projects, Changed: changed, Applied: write}
	if err := writeFindings(findingsOut, mf.format, tree.Findings, sum); err != nil {
		return 2, err
	}
	if mf.format == "text" {
		summary(findingsOut, write, tree.Projects, len(changes), tree.NeedsPerson())
	}

	code := 0
	if tree.NeedsPerson() > 0 || (*check && len(changes) > 0) {
		code = 1
	}
	return code, nil
}

// rollbackInterrupted restores the files an interrupted apply had already
// written, and does nothing else.
func rollbackInterrupted(interrupted []*apply.Interrupted, stderr io.Writer) (int, error) {
	if len(interrupted) == 0 {
		fmt.Fprintln(stderr, "funcmigrate: no interrupted apply to roll back (undo a finished one with git)")
		return 0, nil
	}
	for _, in := range interrupted {
		msg := in.String()
		if err := in.Rollback(); err != nil {
			return 2, err
		}
		fmt.Fprintf(stderr, "funcmigrate: %s; rolled back, every file is as before\n", msg)
	}
	return 0, nil
}

// parseArgs parses flags wherever they stand among the positional
// arguments (the flag package stops at the first one), so
// "diff . --format json" means what it says.
func parseArgs(fl *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fl.Parse(args); err != nil {
			return nil, err
		}
		if fl.NArg() == 0 {
			return positional, nil
		}
		positional = append(positional, fl.Arg(0))
		args = fl.Args()[1:]
	}
}

func summary(w io.Writer, write bool, projects, changed, need int) {
	switch {
	case projects == 0:
		fmt.Fprintln(w, "no in-process function app found")
	case write:
		fmt.Fprintf(w, "\n%d project(s) migrated, %d file(s) written; %d finding(s) need a person (search for TODO(funcmigrate))\n", projects, changed, need)
	default:
		fmt.Fprintf(w, "\n%d project(s), %d file(s) to change; %d finding(s) need a person. Run 'funcmigrate apply' or 'git apply' the patch to migrate.\n", projects, changed, need)
	}
}
