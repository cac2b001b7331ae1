package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"

	"github.com/funcmigrate/funcmigrate/rewrite"
	"github.com/funcmigrate/funcmigrate/rewrite/report"
	"github.com/funcmigrate/funcmigrate/rewrite/rules"
	"github.com/funcmigrate/funcmigrate/rewrite/udiff"
)

const version = "0.1.0"

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

// usageError is an error in the command line: exit 2 with usage help.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	var err error
	code := 0
	switch args[0] {
	case "diff":
		code, err = cmdMigrate(args[1:], false, stdout, stderr)
	case "apply":
		code, err = cmdMigrate(args[1:], true, stdout, stderr)
	case "version", "--version":
		fmt.Fprintln(stdout, "funcmigrate", version)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
	default:
		err = usageError{fmt.Sprintf("unknown command %q", args[0])}
	}
	if err != nil {
		fmt.Fprintf(stderr, "funcmigrate: %v\n", err)
		var ue usageError
		if errors.As(err, &ue) {
			fmt.Fprint(stderr, usage)
		}
		return 2
	}
	return code
}

const usage = `usage:
  funcmigrate diff [flags] PATH...    print the migration as a patch (writes nothing)
  funcmigrate apply [flags] PATH...   migrate in place
  funcmigrate version

flags:
  --target-framework net10.0|net8.0|net9.0|net48  (default net10.0)
  --format text|json      how findings are printed (default text)
  --no-todo-comments      do not add TODO(funcmigrate) markers above code left in place
  --host-builder          generate Program.cs in the new HostBuilder() shape
  --check                 diff: exit 1 when changes are pending
  -o FILE                 diff: write the patch to FILE
  --allow-dirty           apply: write even over uncommitted changes
`

func cmdMigrate(args []string, apply bool, stdout, stderr io.Writer) (int, error) {
	name := "diff"
	if apply {
		name = "apply"
	}
	fl := flag.NewFlagSet(name, flag.ContinueOnError)
	fl.SetOutput(io.Discard)
	tfm := fl.String("target-framework", "net10.0", "")
	format := fl.String("format", "text", "")
	noTodo := fl.Bool("no-todo-comments", false, "")
	hostBuilder := fl.Bool("host-builder", false, "")
	check := fl.Bool("check", false, "")
	outFile := fl.String("o", "", "")
	allowDirty := fl.Bool("allow-dirty", false, "")
	if err := fl.Parse(args); err != nil {
		return 2, usageError{err.Error()}
	}
	if !slices.Contains(rewrite.TargetFrameworks, *tfm) {
		return 2, usageError{fmt.Sprintf("--target-framework %q: choose one of %s", *tfm, strings.Join(rewrite.TargetFrameworks, ", "))}
	}
	if *format != "text" && *format != "json" {
		return 2, usageError{fmt.Sprintf("--format %q: choose text or json", *format)}
	}
	if apply && (*check || *outFile != "") {
		return 2, usageError{"--check and -o belong to diff: apply writes the files themselves"}
	}
	if !apply && *allowDirty {
		return 2, usageError{"--allow-dirty belongs to apply: diff writes nothing"}
	}
	if fl.NArg() == 0 {
		return 2, usageError{"no PATH given: name the function app folder, .csproj or repository to migrate"}
	}

	cwd, err := os.Getwd()
	if err != nil {
		return 2, err
	}
	base := patchBase(cwd, fl.Args())
	found, err := rewrite.DiscoverAll(fl.Args())
	if err != nil {
		return 2, err
	}
	projects, skips := found.Projects, found.Skips
	opt := rewrite.Options{TargetFramework: *tfm, TODOComments: !*noTodo, HostBuilder: *hostBuilder, Base: base, Rules: rules.All}

	var findings []report.Finding
	for _, s := range skips {
		findings = append(findings, report.Finding{Rule: "skipped", Path: rel(base, s.File), Message: "skipped: " + s.Reason, Severity: report.SeverityNote})
	}
	results, err := rewrite.MigrateAll(projects, opt)
	if err != nil {
		return 2, err
	}
	for _, res := range results {
		findings = append(findings, res.Findings...)
	}
	// Deployment and tooling files select the runtime too (MAPPING.md §6.3);
	// they change with the apps, so a tree with no app left to migrate is
	// not scanned (a second run stays a no-op).
	dep := &rewrite.Result{}
	if len(projects) > 0 {
		if dep, err = rewrite.MigrateDeployment(fl.Args(), opt); err != nil {
			return 2, err
		}
	}
	findings = append(findings, dep.Findings...)
	// Test projects and libraries are read, never written (MAPPING.md §8 items 4, 5).
	depFindings, err := rewrite.ScanDependents(found.Dependents, results, opt)
	if err != nil {
		return 2, err
	}
	findings = append(findings, depFindings...)
	results = append(results, dep)

	// Where findings go: never into the patch stream.
	findingsOut := stdout
	if !apply && *outFile == "" {
		findingsOut = stderr
	}
	changed := 0
	for _, r := range results {
		changed += len(r.Changes)
	}

	if apply {
		if !*allowDirty {
			if err := refuseDirty(base, results); err != nil {
				return 2, err
			}
		}
		for _, r := range results {
			if err := writeProject(r); err != nil {
				return 2, err
			}
			if len(r.Changes) > 0 {
				what := "deployment files"
				if r.Project != nil {
					what = rel(base, r.Project.File)
				}
				fmt.Fprintf(stdout, "migrated %s: %d files written\n", what, len(r.Changes))
				for _, c := range r.Changes {
					verb := "updated"
					switch {
					case c.Created:
						verb = "created"
					case c.Deleted:
						verb = "deleted"
					}
					fmt.Fprintf(stdout, "  %s %s\n", verb, c.Path)
				}
			}
		}
	} else {
		var files []udiff.File
		for _, r := range results {
			for _, c := range r.Changes {
				files = append(files, udiff.File{Path: c.Path, Old: c.Old, New: c.New, OldExists: !c.Created, NewExists: !c.Deleted, Mode: gitMode(c)})
			}
		}
		patch := udiff.Patch(files)
		if *outFile != "" {
			if err := os.WriteFile(*outFile, patch, 0o644); err != nil {
				return 2, fmt.Errorf("%s: %v", *outFile, err)
			}
		} else if _, err := stdout.Write(patch); err != nil {
			return 2, err
		}
	}

	if *format == "json" {
		report.WriteJSON(findingsOut, findings)
	} else {
		report.WriteText(findingsOut, findings)
		summary(findingsOut, apply, len(projects), changed, findings)
	}

	code := 0
	for _, f := range findings {
		if f.NeedsPerson() {
			code = 1
		}
	}
	if *check && changed > 0 {
		code = 1
	}
	return code, nil
}

func summary(w io.Writer, apply bool, projects, changed int, fs []report.Finding) {
	need := 0
	for _, f := range fs {
		if f.NeedsPerson() {
			need++
		}
	}
	switch {
	case projects == 0:
		fmt.Fprintln(w, "no in-process function app found")
	case apply:
		fmt.Fprintf(w, "\n%d project(s) migrated, %d file(s) written; %d finding(s) need a person (search for TODO(funcmigrate))\n", projects, changed, need)
	default:
		fmt.Fprintf(w, "\n%d project(s), %d file(s) to change; %d finding(s) need a person. Run 'funcmigrate apply' or 'git apply' the patch to migrate.\n", projects, changed, need)
	}
}

func gitMode(c rewrite.FileChange) string {
	if c.Mode&0o111 != 0 {
		return "100755"
	}
	return "100644"
}

func rel(base, path string) string {
	if r, err := filepath.Rel(base, path); err == nil {
		return filepath.ToSlash(r)
	}
	return filepath.ToSlash(path)
}

// patchBase picks the folder patch paths are relative to. git apply reads
// paths relative to the top of the work tree, so that is the base: the work
// tree of the current folder when it holds the first PATH, else the one
// holding the first PATH; outside git, the current folder.
func patchBase(cwd string, roots []string) string {
	first, err := filepath.Abs(roots[0])
	if err != nil {
		return cwd
	}
	if top, ok := gitTop(cwd); ok && within(top, first) {
		return top
	}
	if top, ok := gitTop(first); ok {
		return top
	}
	return cwd
}

func within(dir, path string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// gitTop returns the top of the git work tree holding path.
func gitTop(path string) (string, bool) {
	for d := path; ; d = filepath.Dir(d) {
		if _, err := os.Lstat(filepath.Join(d, ".git")); err == nil {
			return d, true
		}
		if filepath.Dir(d) == d {
			return "", false
		}
	}
}

// refuseDirty stops apply when git reports uncommitted changes in any file
// it would write.
func refuseDirty(base string, results []*rewrite.Result) error {
	if _, ok := gitTop(base); !ok {
		return nil // not a git work tree: nothing to compare with
	}
	var paths []string
	for _, r := range results {
		for _, c := range r.Changes {
			paths = append(paths, c.Path)
		}
	}
	if len(paths) == 0 {
		return nil
	}
	cmd := exec.Command("git", append([]string{"-C", base, "status", "--porcelain", "--untracked-files=no", "--"}, paths...)...)
	out, err := cmd.Output()
	if err != nil {
		return fmt.Errorf("git status in %s failed (%v); commit your work first, or pass --allow-dirty", base, err)
	}
	// Porcelain lines are "XY path": the status columns may be spaces.
	if s := strings.TrimRight(string(out), "\n"); s != "" {
		var files []string
		for _, line := range strings.Split(s, "\n") {
			if len(line) > 3 {
				files = append(files, line[3:])
			}
		}
		return fmt.Errorf("refusing to write over uncommitted changes in %s: commit or stash them first so the migration can be reviewed and undone, or pass --allow-dirty", strings.Join(files, ", "))
	}
	return nil
}

// unitName names what a result's files belong to in messages.
func unitName(r *rewrite.Result) string {
	if r.Project == nil {
		return "the deployment files"
	}
	return filepath.Base(r.Project.File)
}

// writeProject writes every changed file of one project, or none: each new
// content goes to a temporary file beside its target first, and only when
// all are written are they renamed into place.
func writeProject(r *rewrite.Result) error {
	type staged struct {
		tmp, dst string // tmp == "": dst is deleted
	}
	var done []staged
	cleanup := func() {
		for _, s := range done {
			if s.tmp != "" {
				os.Remove(s.tmp)
			}
		}
	}
	for _, c := range r.Changes {
		if !c.Created {
			cur, err := os.ReadFile(c.Abs)
			if err != nil || !bytes.Equal(cur, c.Old) {
				cleanup()
				return fmt.Errorf("%s: changed on disk while funcmigrate was running; nothing in %s was written, run again", c.Abs, unitName(r))
			}
		} else if _, err := os.Lstat(c.Abs); err == nil {
			cleanup()
			return fmt.Errorf("%s: already exists; nothing in %s was written", c.Abs, unitName(r))
		}
		if c.Deleted {
			done = append(done, staged{dst: c.Abs})
			continue
		}
		f, err := os.CreateTemp(filepath.Dir(c.Abs), "."+filepath.Base(c.Abs)+".funcmigrate-*")
		if err != nil {
			cleanup()
			return fmt.Errorf("%s: %v; nothing in %s was written", c.Abs, err, unitName(r))
		}
		done = append(done, staged{f.Name(), c.Abs})
		_, werr := f.Write(c.New)
		serr := f.Sync()
		cerr := f.Close()
		if err := errors.Join(werr, serr, cerr, os.Chmod(f.Name(), c.Mode.Perm())); err != nil {
			cleanup()
			return fmt.Errorf("%s: %v; nothing in %s was written", c.Abs, err, unitName(r))
		}
	}
	for i, s := range done {
		var err error
		if s.tmp == "" {
			err = os.Remove(s.dst)
		} else {
			err = os.Rename(s.tmp, s.dst)
		}
		if err != nil {
			for _, rest := range done[i:] {
				if rest.tmp != "" {
					os.Remove(rest.tmp)
				}
			}
			return fmt.Errorf("%s: %v (after %d of %d files of %s were written)", s.dst, err, i, len(done), unitName(r))
		}
	}
	return nil
}
