package rewrite

import (
	"os"
	"path/filepath"
	"strings"

	"github.com/funcmigrate/funcmigrate/rewrite/report"
	"github.com/funcmigrate/funcmigrate/rewrite/udiff"
)

// A Tree is the migration of everything under some roots: the in-process
// apps, the deployment files beside them and what depends on them. It is
// what `funcmigrate diff` shows and `apply` writes, for one repository in
// a batch as for a command line.
type Tree struct {
	Projects int       // in-process function apps migrated
	Results  []*Result // one per app, then the deployment files (no Project)
	// Findings holds the projects left alone (rule "skipped"), then each
	// app's findings, the deployment files' and the dependents'.
	Findings []report.Finding
}

// RuleSkipped is the rule id of a project discovery left alone.
const RuleSkipped = "skipped"

// MigrateTree discovers and migrates every in-process app under roots.
// It reads files but never writes them.
func MigrateTree(roots []string, opt Options) (*Tree, error) {
	found, err := DiscoverAll(roots)
	if err != nil {
		return nil, err
	}
	t := &Tree{Projects: len(found.Projects)}
	for _, p := range found.Problems {
		t.Findings = append(t.Findings, inputFinding(opt.Base, p.File, p.Err, "fix the file (or its permissions) and run funcmigrate again; until then the project is not migrated"))
	}
	for _, s := range found.Skips {
		t.Findings = append(t.Findings, report.Finding{Rule: RuleSkipped, Path: DisplayPath(opt.Base, s.File),
			Message: "skipped: " + s.Reason, Severity: report.SeverityNote})
	}
	for _, d := range found.Dependents {
		for _, app := range d.Apps {
			for _, p := range found.Projects {
				if p.File == app {
					p.dependents = true
				}
			}
		}
	}
	results, err := MigrateAll(found.Projects, opt)
	if err != nil {
		return nil, err
	}
	for _, res := range results {
		keepInside(res, opt.Base)
		t.Findings = append(t.Findings, res.Findings...)
	}
	// Deployment and tooling files select the runtime too (MAPPING.md §6.3);
	// they change with the apps, so a tree with no app left to migrate is
	// not scanned (a second run stays a no-op).
	dep := &Result{}
	if len(found.Projects) > 0 {
		if dep, err = guarded(func() (*Result, error) { return MigrateDeployment(roots, opt) }); err != nil {
			dep = &Result{Findings: []report.Finding{{Rule: RuleInternalError, Path: rootPath(opt.Base, roots), Message: "the deployment files were not migrated: " + err.Error(),
				Action: "migrate FUNCTIONS_WORKER_RUNTIME and the runtime stack in deployment files by hand (MAPPING.md §6.3), and please report the error to funcmigrate", Ref: "MAPPING.md §6.3"}}}
		}
	}
	t.Findings = append(t.Findings, dep.Findings...)
	// Test projects and libraries are read, never written (MAPPING.md §8 items 4, 5).
	depFindings, err := guarded(func() ([]report.Finding, error) { return ScanDependents(found.Dependents, results, opt) })
	if err != nil {
		depFindings = []report.Finding{{Rule: RuleInternalError, Path: rootPath(opt.Base, roots), Message: "test projects and shared libraries were not checked: " + err.Error(),
			Action: "review the projects that reference the apps by hand (MAPPING.md §8 items 4, 5), and please report the error to funcmigrate", Ref: "MAPPING.md §8 item 4"}}
	}
	t.Findings = append(t.Findings, depFindings...)
	t.Results = append(results, dep)
	return t, nil
}

// rootPath is where a finding about the whole tree points: the first root.
func rootPath(base string, roots []string) string {
	abs, err := filepath.Abs(roots[0])
	if err != nil {
		return roots[0]
	}
	return DisplayPath(base, abs)
}

// keepInside drops the changes to files outside the project's root (a
// Directory.Packages.props above the folder funcmigrate was pointed at, or a
// file reached through a symbolic link) and reports each instead.
func keepInside(res *Result, base string) {
	if res.Project == nil || res.Project.Root == "" {
		return
	}
	root := res.Project.Root
	kept := res.Changes[:0]
	for _, c := range res.Changes {
		if InsideTree(root, c.Abs) {
			kept = append(kept, c)
			continue
		}
		proj := DisplayPath(base, res.Project.File)
		res.Findings = append(res.Findings, report.Finding{Rule: RuleOutsideTree, Path: c.Path, Project: proj,
			Message: "outside the folder funcmigrate was pointed at (or reached through a symbolic link), so it was not edited",
			Action:  "run funcmigrate on a folder that contains it, or make its change by hand: " + outsideChange(c),
			Ref:     "MAPPING.md §1.3"})
	}
	res.Changes = kept
	sortFindings(res.Findings)
}

// InsideTree reports whether writing abs stays inside realRoot (a path
// with its links resolved): its folder, links resolved, lies inside, and
// abs itself is not a symbolic link (a file yet to be created is none).
func InsideTree(realRoot, abs string) bool {
	dir, err := filepath.EvalSymlinks(filepath.Dir(abs))
	if err != nil || !Within(realRoot, filepath.Join(dir, filepath.Base(abs))) {
		return false
	}
	fi, err := os.Lstat(abs)
	return err != nil || fi.Mode()&os.ModeSymlink == 0
}

// outsideChange says what a change that was not made would have done.
func outsideChange(c FileChange) string {
	if strings.EqualFold(filepath.Base(c.Abs), "Directory.Packages.props") {
		return "swap the WebJobs package versions for the worker packages' (MAPPING.md §1.3)"
	}
	return "apply the part of `funcmigrate diff` on the containing folder that touches this file"
}

// Changes returns every file change, in result order.
func (t *Tree) Changes() []FileChange {
	var cs []FileChange
	for _, r := range t.Results {
		cs = append(cs, r.Changes...)
	}
	return cs
}

// NeedsPerson counts the findings that ask a person to act.
func (t *Tree) NeedsPerson() int {
	n := 0
	for _, f := range t.Findings {
		if f.NeedsPerson() {
			n++
		}
	}
	return n
}

// Patch renders every change as one unified diff that git apply accepts
// from Options.Base.
func (t *Tree) Patch() []byte {
	var files []udiff.File
	for _, c := range t.Changes() {
		mode := "100644"
		if c.Mode&0o111 != 0 {
			mode = "100755"
		}
		files = append(files, udiff.File{Path: c.Path, Old: c.Old, New: c.New, OldExists: !c.Created, NewExists: !c.Deleted, Mode: mode})
	}
	return udiff.Patch(files)
}

// PatchBase picks the folder patch paths are relative to. git apply reads
// paths relative to the top of the work tree, so that is the base: the work
// tree of cwd when it holds the first root, else the one holding the first
// root; outside git, cwd.
func PatchBase(cwd string, roots []string) string {
	first, err := filepath.Abs(roots[0])
	if err != nil {
		return cwd
	}
	if top, ok := GitTop(cwd); ok && Within(top, first) {
		return top
	}
	if top, ok := GitTop(first); ok {
		return top
	}
	return cwd
}

// GitTop returns the top of the git work tree holding path: the nearest
// folder with a .git entry (a folder, or a file in worktrees and submodules).
func GitTop(path string) (string, bool) {
	for d := path; ; d = filepath.Dir(d) {
		if _, err := os.Lstat(filepath.Join(d, ".git")); err == nil {
			return d, true
		}
		if filepath.Dir(d) == d {
			return "", false
		}
	}
}
