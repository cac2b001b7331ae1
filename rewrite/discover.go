package rewrite

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/funcmigrate/funcmigrate/csproj"
	"github.com/funcmigrate/funcmigrate/settings"
)

// A Project is an in-process function app found by Discover.
type Project struct {
	File          string   // absolute path of the .csproj
	Dir           string   // its folder
	Sources       []string // absolute paths of the C# files it compiles
	HostJSON      string   // absolute path, "" when absent
	LocalSettings string   // absolute path, "" when absent
	CentralProps  string   // Directory.Packages.props in effect, "" when none
	// Root is the folder funcmigrate was pointed at that holds the
	// project, with symbolic links resolved: nothing outside it is edited.
	Root string
	// Outside lists files the project pulls in from outside the folder
	// (linked Compile items) and symbolic links to sources; they are
	// reported, never edited.
	Outside []string

	// dependents says a test project or library references the project,
	// so its migration keeps what ScanDependents needs.
	dependents bool
}

// A Skip is a project Discover found and left alone, with the reason.
type Skip struct {
	File   string
	Reason string
}

// A Problem is a project file or folder discovery could not read or parse.
// It is reported; the rest of the tree is still migrated.
type Problem struct {
	File string
	Err  error // names the file
}

// SkipDir reports folders that never hold a project's own sources: bin,
// obj, node_modules and dot-folders.
func SkipDir(name string) bool {
	return name == "bin" || name == "obj" || name == "node_modules" || (strings.HasPrefix(name, ".") && name != "." && name != "..")
}

// A Dependent is a project that is not a function app but depends on one or
// on in-process types: a test project or a shared class library. Its files
// are never edited; ScanDependents reports what in them needs a person.
type Dependent struct {
	File, Dir string
	Sources   []string // C# files it compiles (the SDK's default globbing and Compile items)
	Test      bool     // a test project: references Microsoft.NET.Test.Sdk, xunit, NUnit or MSTest (see isTestProject)
	Apps      []string // absolute .csproj paths of in-process function apps it references with ProjectReference
	WebJobs   bool     // references Microsoft.Azure.WebJobs*, Microsoft.NET.Sdk.Functions or Microsoft.Azure.Functions.Extensions packages itself
}

// A Discovery is everything DiscoverAll found: the apps to migrate, the
// projects that depend on them or on in-process types, and the projects left
// alone with a reason. Each list is sorted by project file.
type Discovery struct {
	Projects   []*Project
	Dependents []*Dependent
	Skips      []Skip
	Problems   []Problem
}

// Discover finds the in-process function-app projects under roots (folders,
// .csproj files or .sln files). Projects it leaves alone come back as skips
// with a one-line reason. It is DiscoverAll without the dependents.
func Discover(roots []string) ([]*Project, []Skip, error) {
	d, err := DiscoverAll(roots)
	if err != nil {
		return nil, nil, err
	}
	return d.Projects, d.Skips, nil
}

// DiscoverAll finds the in-process function apps under roots, as Discover
// does, and the projects that depend on them: a project that is not a
// function app is a Dependent when it references one of the apps found in
// the same run with a ProjectReference, or references in-process packages
// itself (MAPPING.md §8 items 4 and 5). A test project that references
// Microsoft.NET.Sdk.Functions only to get its types is a Dependent, not an
// app.
func DiscoverAll(roots []string) (*Discovery, error) {
	found, problems, err := projectFiles(roots)
	if err != nil {
		return nil, err
	}
	d := &Discovery{Problems: problems}
	files := make([]string, len(found))
	for i, f := range found {
		files[i] = f.path
	}
	type other struct {
		file, root string
		doc        *csproj.Doc
	}
	var others []other
	for _, f := range found {
		p, doc, skip, err := classify(f.path, f.root, files)
		if err != nil {
			d.Problems = append(d.Problems, Problem{File: f.path, Err: err})
			continue
		}
		switch {
		case skip != "":
			d.Skips = append(d.Skips, Skip{File: f.path, Reason: skip})
		case p != nil:
			d.Projects = append(d.Projects, p)
		case doc != nil:
			others = append(others, other{f.path, f.root, doc})
		}
	}
	// Dependents are decided once every app is known, since a test project
	// may sort before the app it references.
	apps := map[string]string{}
	for _, p := range d.Projects {
		apps[p.File] = p.File
		apps[strings.ToLower(p.File)] = p.File
	}
	for _, o := range others {
		dep, err := dependent(o.file, o.root, o.doc, apps, files)
		if err != nil {
			d.Problems = append(d.Problems, Problem{File: o.file, Err: err})
			continue
		}
		if dep != nil {
			d.Dependents = append(d.Dependents, dep)
		}
	}
	return d, nil
}

// A projectFile is a .csproj found under a root (a real path).
type projectFile struct{ path, root string }

// projectFiles lists the .csproj files under roots, sorted and without
// duplicates. A root that cannot be used is an error; a folder under it
// that cannot be read is a problem, and the walk goes on.
func projectFiles(roots []string) ([]projectFile, []Problem, error) {
	var files []projectFile
	var problems []Problem
	seen := map[string]bool{}
	for _, root := range roots {
		abs, err := filepath.Abs(root)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %v", root, err)
		}
		info, err := os.Stat(abs)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %v", root, err)
		}
		dir := abs
		if !info.IsDir() {
			switch strings.ToLower(filepath.Ext(abs)) {
			case ".csproj", ".sln", ".slnx":
				dir = filepath.Dir(abs)
			default:
				return nil, nil, fmt.Errorf("%s: not a folder, .csproj or .sln file; point funcmigrate at the function app's folder or project file", root)
			}
		}
		real, err := filepath.EvalSymlinks(dir)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %v", root, err)
		}
		if strings.EqualFold(filepath.Ext(abs), ".csproj") {
			if !seen[abs] {
				seen[abs] = true
				files = append(files, projectFile{abs, real})
			}
			continue
		}
		filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				if path == dir {
					problems = append(problems, Problem{File: path, Err: fmt.Errorf("%s: %v", path, UnwrapPath(err))})
					return nil
				}
				problems = append(problems, Problem{File: path, Err: fmt.Errorf("%s: %v; the folder was not searched", path, UnwrapPath(err))})
				return filepath.SkipDir
			}
			if d.IsDir() && path != dir && SkipDir(d.Name()) {
				return filepath.SkipDir
			}
			if !d.IsDir() && d.Type().IsRegular() && strings.EqualFold(filepath.Ext(path), ".csproj") && !seen[path] {
				seen[path] = true
				files = append(files, projectFile{path, real})
			}
			return nil
		})
	}
	sort.Slice(files, func(i, j int) bool { return files[i].path < files[j].path })
	return files, problems, nil
}

// UnwrapPath drops the path an fs.PathError repeats, since messages name
// the file once, first.
func UnwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// classify loads a project file and decides what to do with it: migrate it
// (p), skip it with a reason, or look at it again once every app is known
// (other, the parsed project of a project that is not a function app).
func classify(file, root string, allProjects []string) (p *Project, other *csproj.Doc, skip string, err error) {
	src, err := readText(file)
	if err != nil {
		return nil, nil, "", err
	}
	doc, err := csproj.Parse(file, src)
	if err != nil {
		return nil, nil, "", &InputError{File: file, Err: err}
	}
	dir := filepath.Dir(file)
	p = &Project{File: file, Dir: dir, Root: root}
	if fi, err := os.Stat(filepath.Join(dir, "host.json")); err == nil && fi.Mode().IsRegular() {
		p.HostJSON = filepath.Join(dir, "host.json")
	}
	if fi, err := os.Stat(filepath.Join(dir, "local.settings.json")); err == nil && fi.Mode().IsRegular() {
		p.LocalSettings = filepath.Join(dir, "local.settings.json")
	}
	switch doc.Kind() {
	case csproj.Isolated:
		return nil, nil, "already uses the isolated worker (Microsoft.Azure.Functions.Worker.Sdk)", nil
	case csproj.LogicApps:
		return nil, nil, "Logic Apps Standard project, not a function app (MAPPING.md §1.1)", nil
	case csproj.InProcess:
		// Test projects sometimes reference the Functions SDK for its
		// types; migrating one as an app would give it a Program.cs. Only
		// the project's own markers count here, and an app has host.json.
		if p.HostJSON == "" && isTestProject(doc, dir, false) {
			return nil, doc, "", nil
		}
	default:
		return nil, doc, "", nil
	}
	if p.LocalSettings != "" {
		if ls, err := readFile(p.LocalSettings); err == nil {
			if kind, ok := settings.LocalSetting(ls, "APP_KIND"); ok && kind == "workflowApp" {
				return nil, nil, "Logic Apps Standard project (APP_KIND=workflowApp), not a function app (MAPPING.md §1.1)", nil
			}
		}
	}
	p.CentralProps = findCentralProps(dir)
	if err := p.collectSources(doc, allProjects); err != nil {
		return nil, nil, "", err
	}
	return p, nil, "", nil
}

// dependent returns the Dependent for a project that is not a function app,
// or nil when it neither references an app nor in-process packages. apps
// maps app project paths, and their lower-case forms, to the paths.
func dependent(file, root string, doc *csproj.Doc, apps map[string]string, allProjects []string) (*Dependent, error) {
	dir := filepath.Dir(file)
	d := &Dependent{File: file, Dir: dir}
	seen := map[string]bool{}
	for _, it := range doc.ProjectReferences() {
		for _, inc := range strings.Split(it.Include, ";") {
			ref := resolveProjectRef(dir, inc)
			if ref == "" {
				continue
			}
			app, ok := apps[ref]
			if !ok {
				// Projects written on Windows often get the case of a
				// referenced path wrong; MSBuild there does not mind.
				app, ok = apps[strings.ToLower(ref)]
			}
			if ok && !seen[app] {
				seen[app] = true
				d.Apps = append(d.Apps, app)
			}
		}
	}
	for _, r := range doc.PackageReferences() {
		if !r.Update && isInProcessPackage(r.ID) {
			d.WebJobs = true
		}
	}
	if len(d.Apps) == 0 && !d.WebJobs {
		return nil, nil
	}
	sort.Strings(d.Apps)
	d.Test = isTestProject(doc, dir, true)
	p := &Project{File: file, Dir: dir, Root: root}
	if err := p.collectSources(doc, allProjects); err != nil {
		return nil, err
	}
	d.Sources = p.Sources
	return d, nil
}

// resolveProjectRef turns a ProjectReference Include into an absolute path,
// or "" when it depends on a property other than the project's own folder.
func resolveProjectRef(dir, include string) string {
	inc := strings.TrimSpace(include)
	for _, prop := range []string{"$(MSBuildThisFileDirectory)", "$(MSBuildProjectDirectory)"} {
		if len(inc) >= len(prop) && strings.EqualFold(inc[:len(prop)], prop) {
			inc = dir + "/" + inc[len(prop):]
		}
	}
	if inc == "" || strings.Contains(inc, "$(") {
		return ""
	}
	inc = filepath.FromSlash(strings.ReplaceAll(inc, `\`, "/"))
	if !filepath.IsAbs(inc) {
		inc = filepath.Join(dir, inc)
	}
	return filepath.Clean(inc)
}

// isInProcessPackage reports the packages that tie a project to the
// in-process model (MAPPING.md §1.4): the WebJobs SDK and its extensions,
// the Functions SDK, and the in-process DI package. OpenApi.Core is not one:
// the isolated OpenAPI extension depends on it too.
func isInProcessPackage(id string) bool {
	if hasIDPrefix(id, "Microsoft.Azure.WebJobs.Extensions.OpenApi.Core") {
		return false
	}
	return hasIDPrefix(id, "Microsoft.Azure.WebJobs") || strings.EqualFold(id, "Microsoft.NET.Sdk.Functions") ||
		strings.EqualFold(id, "Microsoft.Azure.Functions.Extensions")
}

// isTestProject reports whether a project is a test project: it references
// a test framework or the test SDK, says IsTestProject, or uses MSTest.Sdk.
// Repositories often put the test packages in a Directory.Build.props next
// to the tests, so with inherited the nearest one counts too, for
// unconditional items only. A condition there usually picks the test
// projects by name, which this cannot evaluate; with inherited, the usual
// names (Foo.Tests, FooTests, Foo.Test) count instead.
func isTestProject(doc *csproj.Doc, dir string, inherited bool) bool {
	if declaresTest(doc, false) {
		return true
	}
	if doc.Root != nil {
		if a, ok := doc.Root.Attr("Sdk"); ok && hasIDPrefix(strings.TrimSpace(a.Value), "MSTest.Sdk") {
			return true
		}
	}
	if !inherited {
		return false
	}
	name := strings.ToLower(strings.TrimSuffix(filepath.Base(doc.Path), filepath.Ext(doc.Path)))
	if strings.HasSuffix(name, "tests") || strings.HasSuffix(name, ".test") {
		return true
	}
	for d := dir; ; d = filepath.Dir(d) {
		path := filepath.Join(d, "Directory.Build.props")
		if src, err := os.ReadFile(path); err == nil {
			props, err := csproj.Parse(path, src)
			return err == nil && declaresTest(props, true)
		}
		if filepath.Dir(d) == d {
			return false
		}
	}
}

func declaresTest(doc *csproj.Doc, unconditional bool) bool {
	for _, v := range doc.Properties("IsTestProject") {
		if strings.EqualFold(strings.TrimSpace(v.Value), "true") && (!unconditional || v.Condition == "") {
			return true
		}
	}
	for _, r := range doc.PackageReferences() {
		if r.Update || (unconditional && r.Condition != "") {
			continue
		}
		for _, prefix := range []string{"Microsoft.NET.Test.Sdk", "xunit", "NUnit", "MSTest"} {
			if hasIDPrefix(r.ID, prefix) {
				return true
			}
		}
	}
	return false
}

func hasIDPrefix(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// findCentralProps returns the nearest Directory.Packages.props above dir
// that turns central package management on, as MSBuild would import it.
func findCentralProps(dir string) string {
	for d := dir; ; d = filepath.Dir(d) {
		path := filepath.Join(d, "Directory.Packages.props")
		if src, err := os.ReadFile(path); err == nil {
			doc, err := csproj.Parse(path, src)
			if err != nil {
				return path // malformed: migrating the project reports it
			}
			if v, ok := doc.Property("ManagePackageVersionsCentrally"); ok && strings.EqualFold(strings.TrimSpace(v.Value), "true") {
				return path
			}
			return "" // the nearest file wins even when it does not enable CPM
		}
		if filepath.Dir(d) == d {
			return ""
		}
	}
}

// collectSources applies the SDK's default Compile globbing (every .cs file
// under the project folder except bin/ and obj/ and folders of other
// projects), then the project's Compile Remove and Include items.
func (p *Project) collectSources(doc *csproj.Doc, allProjects []string) error {
	nested := map[string]bool{}
	for _, other := range allProjects {
		if d := filepath.Dir(other); d != p.Dir && strings.HasPrefix(d, p.Dir+string(filepath.Separator)) {
			nested[d] = true
		}
	}
	defaults := true
	if v, ok := doc.Property("EnableDefaultCompileItems"); ok && strings.EqualFold(strings.TrimSpace(v.Value), "false") {
		defaults = false
	}
	var removes, includes []string
	for _, it := range doc.CompileItems() {
		if it.Remove != "" {
			removes = append(removes, splitItems(it.Remove)...)
		}
		if it.Include != "" {
			includes = append(includes, splitItems(it.Include)...)
		}
	}
	set := map[string]bool{}
	if defaults {
		err := filepath.WalkDir(p.Dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return fmt.Errorf("%s: %v", path, err)
			}
			if d.IsDir() {
				if path != p.Dir && (SkipDir(d.Name()) || nested[path]) {
					return filepath.SkipDir
				}
				return nil
			}
			switch {
			case d.Type()&fs.ModeSymlink != 0:
				// Never followed: it may lead outside the tree. MSBuild
				// follows a linked folder, so its C# files count too.
				if fi, err := os.Stat(path); err == nil && (fi.IsDir() || strings.EqualFold(filepath.Ext(path), ".cs")) {
					p.Outside = append(p.Outside, path)
				}
			case d.Type().IsRegular() && strings.EqualFold(filepath.Ext(path), ".cs"):
				set[path] = true
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	realDir, err := filepath.EvalSymlinks(p.Dir)
	if err != nil {
		return fmt.Errorf("%s: %v", p.Dir, UnwrapPath(err))
	}
	for _, inc := range includes {
		matches, _ := globItem(p.Dir, inc)
		for _, m := range matches {
			if p.linkedFrom(m, realDir, nested, allProjects) {
				p.Outside = append(p.Outside, m)
				continue
			}
			set[m] = true
		}
	}
	for _, rem := range removes {
		for path := range set {
			if matchItem(p.Dir, rem, path) {
				delete(set, path)
			}
		}
	}
	for path := range set {
		p.Sources = append(p.Sources, path)
	}
	sort.Strings(p.Sources)
	sort.Strings(p.Outside)
	return nil
}

// linkedFrom reports whether a file a Compile item includes must be left
// alone: reached through a symbolic link, outside the root funcmigrate was
// pointed at, or in the folder of another project (whose file it is).
func (p *Project) linkedFrom(path, realDir string, nested map[string]bool, allProjects []string) bool {
	rel, err := filepath.Rel(p.Dir, path)
	if err != nil {
		return true
	}
	real, err := filepath.EvalSymlinks(path)
	if err != nil || real != filepath.Join(realDir, rel) || (p.Root != "" && !Within(p.Root, real)) {
		return true
	}
	for _, other := range allProjects {
		if d := filepath.Dir(other); d != p.Dir && Within(d, path) && !Within(d, p.Dir) {
			return true
		}
	}
	for d := range nested {
		if Within(d, path) {
			return true
		}
	}
	return false
}

func splitItems(s string) []string {
	var out []string
	for _, part := range strings.Split(s, ";") {
		if part = strings.TrimSpace(part); part != "" && !strings.Contains(part, "$(") {
			out = append(out, filepath.FromSlash(strings.ReplaceAll(part, `\`, "/")))
		}
	}
	return out
}

// Within reports whether path is dir or lies below it (lexically).
func Within(dir, path string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// globItem expands an MSBuild item pattern (with ** for any folders).
func globItem(dir, pattern string) ([]string, error) {
	if !strings.Contains(pattern, "*") && !strings.Contains(pattern, "?") {
		path := filepath.Join(dir, pattern)
		if fi, err := os.Stat(path); err == nil && fi.Mode().IsRegular() {
			return []string{path}, nil
		}
		return nil, nil
	}
	base := filepath.Join(dir, staticPrefix(pattern))
	var out []string
	filepath.WalkDir(base, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if d.IsDir() && path != base && SkipDir(d.Name()) {
			return filepath.SkipDir
		}
		if !d.IsDir() && matchItem(dir, pattern, path) {
			out = append(out, path)
		}
		return nil
	})
	return out, nil
}

func staticPrefix(pattern string) string {
	parts := strings.Split(pattern, string(filepath.Separator))
	var keep []string
	for _, p := range parts {
		if strings.ContainsAny(p, "*?") {
			break
		}
		keep = append(keep, p)
	}
	return filepath.Join(keep...)
}

// matchItem reports whether path matches an MSBuild pattern relative to dir.
func matchItem(dir, pattern, path string) bool {
	rel, err := filepath.Rel(dir, path)
	if err != nil {
		return false
	}
	return matchSegments(strings.Split(filepath.ToSlash(filepath.Clean(pattern)), "/"), strings.Split(filepath.ToSlash(rel), "/"))
}

func matchSegments(pat, segs []string) bool {
	if len(pat) == 0 {
		return len(segs) == 0
	}
	if pat[0] == "**" {
		for i := 0; i <= len(segs); i++ {
			if matchSegments(pat[1:], segs[i:]) {
				return true
			}
		}
		return false
	}
	if len(segs) == 0 {
		return false
	}
	ok, err := filepath.Match(strings.ToLower(pat[0]), strings.ToLower(segs[0]))
	return err == nil && ok && matchSegments(pat[1:], segs[1:])
}
