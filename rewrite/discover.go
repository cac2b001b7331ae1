package rewrite

import (
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
	// Outside lists files the project pulls in from outside the folder
	// (linked Compile items) and symbolic links to sources; they are
	// reported, never edited.
	Outside []string
}

// A Skip is a project Discover found and left alone, with the reason.
type Skip struct {
	File   string
	Reason string
}

// skipDir reports folders that never hold a project's own sources.
func skipDir(name string) bool {
	return name == "bin" || name == "obj" || name == "node_modules" || (strings.HasPrefix(name, ".") && name != "." && name != "..")
}

// Discover finds the in-process function-app projects under roots (folders,
// .csproj files or .sln files). Projects it leaves alone come back as skips
// with a one-line reason.
func Discover(roots []string) ([]*Project, []Skip, error) {
	var files []string
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
		if !info.IsDir() {
			switch strings.ToLower(filepath.Ext(abs)) {
			case ".csproj":
				if !seen[abs] {
					seen[abs] = true
					files = append(files, abs)
				}
				continue
			case ".sln", ".slnx":
				abs = filepath.Dir(abs)
			default:
				return nil, nil, fmt.Errorf("%s: not a folder, .csproj or .sln file; point funcmigrate at the function app's folder or project file", root)
			}
		}
		err = filepath.WalkDir(abs, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return fmt.Errorf("%s: %v", path, err)
			}
			if d.IsDir() && path != abs && skipDir(d.Name()) {
				return filepath.SkipDir
			}
			if !d.IsDir() && d.Type().IsRegular() && strings.EqualFold(filepath.Ext(path), ".csproj") && !seen[path] {
				seen[path] = true
				files = append(files, path)
			}
			return nil
		})
		if err != nil {
			return nil, nil, err
		}
	}
	sort.Strings(files)
	var projects []*Project
	var skips []Skip
	for _, file := range files {
		p, skip, err := classify(file, files)
		if err != nil {
			return nil, nil, err
		}
		if skip != "" {
			skips = append(skips, Skip{File: file, Reason: skip})
			continue
		}
		if p != nil {
			projects = append(projects, p)
		}
	}
	return projects, skips, nil
}

// classify loads a project file and decides what to do with it.
func classify(file string, allProjects []string) (*Project, string, error) {
	src, err := readFile(file)
	if err != nil {
		return nil, "", err
	}
	doc, err := csproj.Parse(file, src)
	if err != nil {
		return nil, "", err
	}
	dir := filepath.Dir(file)
	p := &Project{File: file, Dir: dir}
	if fi, err := os.Stat(filepath.Join(dir, "host.json")); err == nil && fi.Mode().IsRegular() {
		p.HostJSON = filepath.Join(dir, "host.json")
	}
	if fi, err := os.Stat(filepath.Join(dir, "local.settings.json")); err == nil && fi.Mode().IsRegular() {
		p.LocalSettings = filepath.Join(dir, "local.settings.json")
	}
	switch doc.Kind() {
	case csproj.Isolated:
		return nil, "already uses the isolated worker (Microsoft.Azure.Functions.Worker.Sdk)", nil
	case csproj.LogicApps:
		return nil, "Logic Apps Standard project, not a function app (MAPPING.md §1.1)", nil
	case csproj.InProcess:
	default:
		if doc.ReferencesWebJobs() {
			return nil, "class library that references Microsoft.Azure.WebJobs packages: migrate its in-process types by hand (MAPPING.md §8 item 4)", nil
		}
		return nil, "", nil // not a function app: say nothing
	}
	if p.LocalSettings != "" {
		if ls, err := readFile(p.LocalSettings); err == nil {
			if kind, ok := settings.LocalSetting(ls, "APP_KIND"); ok && kind == "workflowApp" {
				return nil, "Logic Apps Standard project (APP_KIND=workflowApp), not a function app (MAPPING.md §1.1)", nil
			}
		}
	}
	p.CentralProps = findCentralProps(dir)
	if err := p.collectSources(doc, allProjects); err != nil {
		return nil, "", err
	}
	return p, "", nil
}

// findCentralProps returns the nearest Directory.Packages.props above dir
// that turns central package management on, as MSBuild would import it.
func findCentralProps(dir string) string {
	for d := dir; ; d = filepath.Dir(d) {
		path := filepath.Join(d, "Directory.Packages.props")
		if src, err := os.ReadFile(path); err == nil {
			if doc, err := csproj.Parse(path, src); err == nil {
				if v, ok := doc.Property("ManagePackageVersionsCentrally"); ok && strings.EqualFold(strings.TrimSpace(v.Value), "true") {
					return path
				}
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
				if path != p.Dir && (skipDir(d.Name()) || nested[path]) {
					return filepath.SkipDir
				}
				return nil
			}
			if strings.EqualFold(filepath.Ext(path), ".cs") {
				switch {
				case d.Type().IsRegular():
					set[path] = true
				case d.Type()&fs.ModeSymlink != 0:
					// Never followed: it may lead outside the tree.
					p.Outside = append(p.Outside, path)
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	for _, inc := range includes {
		matches, _ := globItem(p.Dir, inc)
		for _, m := range matches {
			if !within(p.Dir, m) {
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

func splitItems(s string) []string {
	var out []string
	for _, part := range strings.Split(s, ";") {
		if part = strings.TrimSpace(part); part != "" && !strings.Contains(part, "$(") {
			out = append(out, filepath.FromSlash(strings.ReplaceAll(part, `\`, "/")))
		}
	}
	return out
}

func within(dir, path string) bool {
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
		if d.IsDir() && path != base && skipDir(d.Name()) {
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
