package rewrite

import (
	"bytes"
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"

	sitter "github.com/tree-sitter/go-tree-sitter"

	"github.com/funcmigrate/funcmigrate/csproj"
	"github.com/funcmigrate/funcmigrate/rewrite/cs"
	"github.com/funcmigrate/funcmigrate/rewrite/report"
)

// Rule ids of dependent findings: the id says whether the project is a test
// project (MAPPING.md §8 item 5) or a shared library (§8 item 4).
const (
	ruleTestProject   = "test-project"
	ruleSharedLibrary = "shared-library"
)

// ScanDependents reports, for each dependent, every use of an in-process type
// and every call to a function whose signature or construction the migration
// changed. apps are the migration results of the function apps the
// dependents may reference; their Old and New sources tell what changed. The
// dependents' own files are only read, never edited.
//
// Findings carry the dependent's project file as Project (the grouping), a
// Path relative to opt.Base and a 1-based Line in the file as it is; they are
// sorted by project, path and line.
func ScanDependents(deps []*Dependent, apps []*Result, opt Options) ([]report.Finding, error) {
	wanted := map[string]bool{}
	for _, d := range deps {
		for _, app := range d.Apps {
			wanted[app] = true
		}
	}
	byApp := map[string]*funcIndex{}
	for _, r := range apps {
		if r == nil || r.Project == nil || !wanted[r.Project.File] {
			continue
		}
		idx, err := indexApp(r)
		if err != nil {
			return nil, err
		}
		byApp[r.Project.File] = idx
	}
	found := make([][]report.Finding, len(deps))
	errs := make([]error, len(deps))
	forEach(len(deps), func(i int) {
		idx := &funcIndex{classes: map[string]*classChange{}, funcs: map[string][]*funcChange{}}
		for _, app := range deps[i].Apps {
			if x := byApp[app]; x != nil {
				idx.merge(x)
			}
		}
		found[i], errs[i] = scanDependent(deps[i], idx, opt)
	})
	var out []report.Finding
	for i := range deps {
		if errs[i] != nil {
			return nil, errs[i]
		}
		out = append(out, found[i]...)
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Project != b.Project {
			return a.Project < b.Project
		}
		if a.Path != b.Path {
			return a.Path < b.Path
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Offset < b.Offset
	})
	return out, nil
}

// dependentPath is the display form migrate uses: slash-separated and
// relative to opt.Base when there is one.
func dependentPath(opt Options, abs string) string {
	if opt.Base != "" {
		if rel, err := filepath.Rel(opt.Base, abs); err == nil {
			return filepath.ToSlash(rel)
		}
	}
	return filepath.ToSlash(abs)
}

// The function index: what callers of each function method see before and
// after the migration.

// A sigParam is a parameter as callers see it: no attributes, no default.
type sigParam struct{ mod, typ, name string }

// A funcSignature is one side (before or after the migration) of a method.
type funcSignature struct {
	static bool
	ret    string
	params []sigParam
}

func (s funcSignature) text(method string) string {
	var b strings.Builder
	if s.static {
		b.WriteString("static ")
	}
	b.WriteString(s.ret + " " + method + sigParamsText(s.params))
	return b.String()
}

func sigParamsText(ps []sigParam) string {
	var parts []string
	for _, p := range ps {
		s := p.typ + " " + p.name
		if p.mod != "" {
			s = p.mod + " " + s
		}
		parts = append(parts, s)
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

func (s funcSignature) param(name string) (sigParam, bool) {
	for _, p := range s.params {
		if p.name == name {
			return p, true
		}
	}
	return sigParam{}, false
}

// A funcChange is one function method of an app before and after.
type funcChange struct {
	class, method string
	old, new      funcSignature
}

func (f *funcChange) changed() bool { return f.old.text(f.method) != f.new.text(f.method) }

// A classChange is a class that holds function methods, before and after.
// Ctors are the parameter lists of its instance constructors; a class that
// declares none has the implicit "()".
type classChange struct {
	name                 string
	oldStatic, newStatic bool
	oldCtors, newCtors   [][]sigParam
	containers           map[string]bool // namespaces (and outer classes) that hold it: "App", "App.Outer"
}

// reachableAs reports whether a name written with qualifier q ("" when
// unqualified) can mean this class: q must be a trailing part of one of its
// namespaces, as C# resolves a partly qualified name from inside a
// namespace. This keeps System.Diagnostics.Process from matching a function
// class called Process.
func (c *classChange) reachableAs(q string) bool {
	q = strings.TrimPrefix(strings.ReplaceAll(q, " ", ""), "global::")
	if q == "" {
		return true
	}
	for ctr := range c.containers {
		if ctr == q || strings.HasSuffix(ctr, "."+q) {
			return true
		}
	}
	return false
}

// ctorChanged reports whether code that constructs the class must change.
func (c *classChange) ctorChanged() bool {
	if c.oldStatic || c.newStatic {
		return false
	}
	return !sameCtors(c.oldCtors, c.newCtors)
}

func sameCtors(a, b [][]sigParam) bool {
	set := func(cs [][]sigParam) string {
		var ss []string
		for _, c := range cs {
			ss = append(ss, sigParamsText(c))
		}
		sort.Strings(ss)
		return strings.Join(ss, "|")
	}
	return set(a) == set(b)
}

func (c *classChange) ctorsText(ctors [][]sigParam) string {
	var ss []string
	for _, ps := range ctors {
		ss = append(ss, c.name+sigParamsText(ps))
	}
	return strings.Join(ss, " and ")
}

// ctorArgs suggests what a test passes to the class's new constructor.
func (c *classChange) ctorArgs() string {
	if len(c.newCtors) == 0 {
		return ""
	}
	var args []string
	for _, p := range c.newCtors[0] {
		args = append(args, testArgFor(p))
	}
	return strings.Join(args, ", ")
}

// testArgFor names a test value for a constructor parameter.
func testArgFor(p sigParam) string {
	t := strings.ReplaceAll(p.typ, " ", "")
	if strings.HasPrefix(lastTypeSegment(t), "ILogger") && strings.Contains(t, "<") {
		return "NullLogger<" + t[strings.Index(t, "<")+1:strings.LastIndex(t, ">")] + ">.Instance"
	}
	if lastTypeSegment(t) == "ILogger" {
		return "NullLogger.Instance"
	}
	return "a " + p.typ
}

// funcIndex holds the function classes and methods of one or more apps.
type funcIndex struct {
	classes map[string]*classChange  // by class name
	funcs   map[string][]*funcChange // by "Class.Method"; overloads in source order
}

func (x *funcIndex) merge(y *funcIndex) {
	for name, c := range y.classes {
		if prev, ok := x.classes[name]; ok {
			// Two apps with a class of the same name: keep the first
			// one's signatures, but let either namespace match.
			merged := *prev
			merged.containers = map[string]bool{}
			for _, cs := range []map[string]bool{prev.containers, c.containers} {
				for ctr := range cs {
					merged.containers[ctr] = true
				}
			}
			x.classes[name] = &merged
			continue
		}
		x.classes[name] = c
	}
	for key, fs := range y.funcs {
		x.funcs[key] = append(x.funcs[key], fs...)
	}
}

// funcSide collects the declarations of an app's sources before or after the
// migration. Partial classes merge.
type funcSide struct {
	classes map[string]*sideClass
	funcs   map[string][]funcSignature
}

// A sideClass is what one side knows about a class: partial declarations
// merge.
type sideClass struct {
	static     bool
	ctors      [][]sigParam
	containers map[string]bool
}

func (s *funcSide) class(name string) *sideClass {
	c := s.classes[name]
	if c == nil {
		c = &sideClass{containers: map[string]bool{}}
		s.classes[name] = c
	}
	return c
}

// ctorList returns the class's constructors, with the implicit one when it
// declares none.
func (c *sideClass) ctorList() [][]sigParam {
	if c.static {
		return nil
	}
	if len(c.ctors) == 0 {
		return [][]sigParam{nil}
	}
	return c.ctors
}

// indexApp builds the function index of one migrated app: the old and new
// content of every changed source, and the unchanged sources as they are.
func indexApp(r *Result) (*funcIndex, error) {
	if r.sides != nil {
		return diffSides(r.sides[0], r.sides[1]), nil
	}
	// A project whose migration did not keep its declarations (it failed,
	// or ran without dependents in view): read them from the files.
	old, nw := newFuncSide(), newFuncSide()
	changes := map[string]*FileChange{}
	for i := range r.Changes {
		changes[r.Changes[i].Abs] = &r.Changes[i]
	}
	for _, abs := range r.Project.Sources {
		before, after := []byte(nil), []byte(nil)
		if c, ok := changes[abs]; ok {
			before, after = c.Old, c.New
			if c.Deleted {
				after = nil
			}
		} else {
			src, err := readFile(abs)
			if err != nil || textProblem(src) != "" {
				continue // the migration already reported the file
			}
			before, after = src, src
		}
		for _, sd := range []struct {
			s   *funcSide
			src []byte
		}{{old, before}, {nw, after}} {
			if sd.src == nil {
				continue
			}
			f, err := cs.Parse(abs, sd.src)
			if err != nil {
				return nil, err
			}
			sd.s.collect(f)
			f.Close()
		}
	}
	return diffSides(old, nw), nil
}

// diffSides pairs each function's declaration before and after migration.
func diffSides(old, nw *funcSide) *funcIndex {
	idx := &funcIndex{classes: map[string]*classChange{}, funcs: map[string][]*funcChange{}}
	for key, olds := range old.funcs {
		news := nw.funcs[key]
		class, method, _ := strings.Cut(key, ".")
		for i, o := range olds {
			if i >= len(news) {
				break
			}
			idx.funcs[key] = append(idx.funcs[key], &funcChange{class: class, method: method, old: o, new: news[i]})
		}
		if _, ok := idx.classes[class]; ok {
			continue
		}
		oc, nc := old.class(class), nw.class(class)
		cc := &classChange{name: class, oldStatic: oc.static, newStatic: nc.static,
			oldCtors: oc.ctorList(), newCtors: nc.ctorList(), containers: map[string]bool{}}
		for _, sc := range []*sideClass{oc, nc} {
			for ctr := range sc.containers {
				cc.containers[ctr] = true
			}
		}
		idx.classes[class] = cc
	}
	return idx
}

// collectSides collects a migrated source's declarations before and after.
func collectSides(s *source) ([2]*funcSide, error) {
	old := newFuncSide()
	old.collect(s.file)
	if bytes.Equal(s.out, s.file.Src) {
		return [2]*funcSide{old, old}, nil
	}
	f := s.migrated
	if f == nil {
		var err error
		if f, err = cs.Parse(s.file.Path, s.out); err != nil {
			return [2]*funcSide{}, err
		}
		defer f.Close()
	}
	nw := newFuncSide()
	nw.collect(f)
	return [2]*funcSide{old, nw}, nil
}

func newFuncSide() *funcSide {
	return &funcSide{classes: map[string]*sideClass{}, funcs: map[string][]funcSignature{}}
}

// merge adds the declarations of a later file, as if collect had read it
// after s's own files: partial classes join, functions append.
func (s *funcSide) merge(o *funcSide) {
	if o == nil {
		return
	}
	for _, name := range slices.Sorted(maps.Keys(o.classes)) {
		oc, c := o.classes[name], s.class(name)
		c.static = c.static || oc.static
		c.ctors = append(c.ctors, oc.ctors...)
		for ctr := range oc.containers {
			c.containers[ctr] = true
		}
	}
	for key, sigs := range o.funcs {
		s.funcs[key] = append(s.funcs[key], sigs...)
	}
}

// collect adds the function classes and methods of one source file.
func (s *funcSide) collect(f *cs.File) {
	join := func(a, b string) string {
		if a == "" {
			return b
		}
		return a + "." + b
	}
	// container is the namespace and outer classes around n.
	var walk func(n *sitter.Node, class, container string)
	walk = func(n *sitter.Node, class, container string) {
		switch n.Kind() {
		case "namespace_declaration", "file_scoped_namespace_declaration":
			if name := n.ChildByFieldName("name"); name != nil {
				container = join(container, squeezeSpaces(f.Text(name)))
			}
		case "class_declaration", "record_declaration", "struct_declaration":
			if name := n.ChildByFieldName("name"); name != nil {
				class = f.Text(name)
				c := s.class(class)
				c.containers[container] = true
				container = join(container, class)
				if hasModifierToken(f, n, "static") {
					c.static = true
				}
				for i := uint(0); i < n.NamedChildCount(); i++ {
					if ch := n.NamedChild(i); ch.Kind() == "parameter_list" { // primary constructor
						c.ctors = append(c.ctors, sigParams(f, ch))
					}
				}
			}
		case "constructor_declaration":
			if class != "" && !hasModifierToken(f, n, "static") {
				s.class(class).ctors = append(s.class(class).ctors, sigParams(f, n.ChildByFieldName("parameters")))
			}
			return
		case "method_declaration":
			name := n.ChildByFieldName("name")
			if class != "" && name != nil && hasFunctionAttribute(f, n) {
				sig := funcSignature{static: hasModifierToken(f, n, "static"), params: sigParams(f, n.ChildByFieldName("parameters"))}
				if r := n.ChildByFieldName("returns"); r != nil {
					sig.ret = squeezeSpaces(f.Text(r))
				}
				key := class + "." + f.Text(name)
				s.funcs[key] = append(s.funcs[key], sig)
			}
			return
		}
		for i := uint(0); i < n.NamedChildCount(); i++ {
			ch := n.NamedChild(i)
			walk(ch, class, container)
			// A file-scoped namespace covers the declarations after it,
			// which the grammar makes its siblings.
			if ch.Kind() == "file_scoped_namespace_declaration" {
				if name := ch.ChildByFieldName("name"); name != nil {
					container = join(container, squeezeSpaces(f.Text(name)))
				}
			}
		}
	}
	walk(f.Root, "", "")
}

func hasModifierToken(f *cs.File, n *sitter.Node, mod string) bool {
	for i := uint(0); i < n.NamedChildCount(); i++ {
		if ch := n.NamedChild(i); ch.Kind() == "modifier" && f.Text(ch) == mod {
			return true
		}
	}
	return false
}

// hasFunctionAttribute reports a method carrying [FunctionName] (in-process) or
// [Function] (isolated).
func hasFunctionAttribute(f *cs.File, n *sitter.Node) bool {
	for i := uint(0); i < n.NamedChildCount(); i++ {
		list := n.NamedChild(i)
		if list.Kind() != "attribute_list" {
			continue
		}
		for j := uint(0); j < list.NamedChildCount(); j++ {
			a := list.NamedChild(j)
			if a.Kind() != "attribute" {
				continue
			}
			if name := a.ChildByFieldName("name"); name != nil {
				switch strings.TrimSuffix(lastTypeSegment(f.Text(name)), "Attribute") {
				case "FunctionName", "Function":
					return true
				}
			}
		}
	}
	return false
}

func sigParams(f *cs.File, list *sitter.Node) []sigParam {
	if list == nil {
		return nil
	}
	var out []sigParam
	for i := uint(0); i < list.NamedChildCount(); i++ {
		pn := list.NamedChild(i)
		if pn.Kind() != "parameter" {
			continue
		}
		var p sigParam
		var mods []string
		for j := uint(0); j < pn.NamedChildCount(); j++ {
			if ch := pn.NamedChild(j); ch.Kind() == "modifier" {
				mods = append(mods, f.Text(ch))
			}
		}
		p.mod = strings.Join(mods, " ")
		if t := pn.ChildByFieldName("type"); t != nil {
			p.typ = squeezeSpaces(f.Text(t))
		}
		if name := pn.ChildByFieldName("name"); name != nil {
			p.name = f.Text(name)
		}
		out = append(out, p)
	}
	return out
}

func squeezeSpaces(s string) string { return strings.Join(strings.Fields(s), " ") }

// lastTypeSegment returns the last segment of a type name without generic
// arguments, nullable mark or global:: alias: "Microsoft.Extensions.Logging.ILogger<T>" → "ILogger".
func lastTypeSegment(t string) string {
	t = strings.ReplaceAll(t, " ", "")
	if i := strings.IndexByte(t, '<'); i >= 0 {
		t = t[:i]
	}
	t = strings.TrimSuffix(t, "?")
	if i := strings.LastIndex(t, "::"); i >= 0 {
		t = t[i+2:]
	}
	if i := strings.LastIndexByte(t, '.'); i >= 0 {
		t = t[i+1:]
	}
	return t
}

// Scanning one dependent.

// A depScan collects the findings of one dependent.
type depScan struct {
	dep     *Dependent
	idx     *funcIndex
	rule    string
	item    string          // "§8 item 5" or "§8 item 4"
	project string          // display path of the project file
	imports map[string]bool // namespaces every file imports: global usings and <Using> items
	own     map[string]bool // type names the dependent declares itself
	out     []report.Finding
}

func (s *depScan) ref(sections ...string) string {
	return "MAPPING.md " + strings.Join(append([]string{s.item}, sections...), ", ")
}

func (s *depScan) add(path string, line, off int, msg, action, ref string) {
	s.out = append(s.out, report.Finding{Rule: s.rule, Path: path, Line: line, Offset: off,
		Message: msg, Action: action, Ref: ref, Project: s.project})
}

func scanDependent(d *Dependent, idx *funcIndex, opt Options) ([]report.Finding, error) {
	s := &depScan{dep: d, idx: idx, rule: ruleSharedLibrary, item: "§8 item 4",
		project: dependentPath(opt, d.File), imports: map[string]bool{}, own: map[string]bool{}}
	if d.Test {
		s.rule, s.item = ruleTestProject, "§8 item 5"
	}
	src, err := readFile(d.File)
	if err != nil {
		return nil, err
	}
	doc, err := csproj.Parse(d.File, src)
	if err != nil {
		return nil, err
	}
	s.packages(doc)
	for _, it := range doc.Items("Using") {
		_, static := it.El.Attr("Static")
		_, alias := it.El.Attr("Alias")
		if !static && !alias {
			s.imports[strings.TrimSpace(it.Include)] = true
		}
	}

	// Parse everything first: global usings and the project's own type
	// names decide how names read in every file. As in a migration, trees
	// wait for the scan only within treeBudget; the others are parsed again.
	type source struct {
		parsedFile
		problem string // why the file cannot be read, for a finding
		action  string // and what to do about it
		err     error
		globals []string // global usings
		own     map[string]bool
		out     []report.Finding
	}
	sources := make([]source, len(d.Sources))
	defer func() {
		for i := range sources {
			sources[i].close()
		}
	}()
	forEach(len(sources), func(i int) {
		src := &sources[i]
		abs := d.Sources[i]
		src.path = dependentPath(opt, abs)
		data, err := readFile(abs)
		if err != nil {
			src.problem, src.action = err.Error(), "review this file by hand"
			return
		}
		if why := textProblem(data); why != "" {
			src.problem, src.action = src.path+" "+why, "convert it to UTF-8 and run funcmigrate again"
			return
		}
		src.src = data
		if src.err = src.open(); src.err != nil {
			return
		}
		for _, u := range src.model.Usings {
			if u.Global && !u.Static && u.Alias == "" {
				src.globals = append(src.globals, u.Name)
			}
		}
		src.own = map[string]bool{}
		ownTypeNames(src.file.Root, src.file, src.own)
		src.keepOrClose()
	})
	for i := range sources {
		src := &sources[i]
		switch {
		case src.err != nil:
			return nil, src.err
		case src.problem != "":
			s.add(src.path, 0, 0, src.problem, src.action, s.ref())
			continue
		}
		for _, g := range src.globals {
			s.imports[g] = true
		}
		for name := range src.own {
			s.own[name] = true
		}
	}
	// Each file reports into its own list, kept in file order.
	forEach(len(sources), func(i int) {
		src := &sources[i]
		if src.problem != "" {
			return
		}
		if src.err = src.open(); src.err != nil {
			return
		}
		ds := *s
		ds.out = nil
		fs := &fileScan{depScan: &ds, f: src.file, m: src.model, imports: map[string]bool{}, aliases: map[string]string{},
			decls: map[string][]varDecl{}, returns: map[string]string{}, reported: map[string]bool{}}
		fs.scan()
		src.out = ds.out
		src.close()
	})
	for i := range sources {
		if sources[i].err != nil {
			return nil, sources[i].err
		}
		s.out = append(s.out, sources[i].out...)
	}
	return s.out, nil
}

// ownTypeNames adds the names of the types a file declares.
func ownTypeNames(n *sitter.Node, f *cs.File, out map[string]bool) {
	switch n.Kind() {
	case "class_declaration", "interface_declaration", "struct_declaration", "record_declaration", "enum_declaration", "delegate_declaration":
		if name := n.ChildByFieldName("name"); name != nil {
			out[f.Text(name)] = true
		}
	}
	for i := uint(0); i < n.NamedChildCount(); i++ {
		ownTypeNames(n.NamedChild(i), f, out)
	}
}

// packages reports each in-process package the project references.
func (s *depScan) packages(doc *csproj.Doc) {
	for _, r := range doc.PackageReferences() {
		if r.Update || !isInProcessPackage(r.ID) {
			continue
		}
		repl := isolatedPackageFor(r.ID)
		var msg, action string
		switch {
		case s.dep.Test && len(s.dep.Apps) > 0:
			msg = "the test project references the in-process package " + r.ID
			if repl == "" {
				action = "remove it once the app is migrated; it has no isolated counterpart the tests could need"
			} else {
				action = "remove it once the app is migrated: the app's isolated packages reach the tests through its ProjectReference; reference " +
					repl + " directly only if the tests use its types and the app does not bring them"
			}
		case s.dep.Test:
			msg = "the test project references the in-process package " + r.ID
			action = "remove it"
			if repl != "" {
				action = "replace it with " + repl + " once the code it tests is migrated"
			}
		default:
			msg = "class library that references Microsoft.Azure.WebJobs packages (" + r.ID + "): migrate its in-process types by hand"
			action = "take the in-process types out of the library's public API together with the apps that call it (a cross-project refactor), then remove the reference"
			if repl != "" {
				action = "take the in-process types out of the library's public API together with the apps that call it (a cross-project refactor), then replace the reference with " + repl
			}
		}
		s.add(s.project, doc.Line(r.El.Start), r.El.Start, msg, action, s.ref("§2"))
	}
}

// isolatedPackageFor names what an in-process package becomes (MAPPING.md
// §2), or "" when it is simply dropped or has no counterpart.
func isolatedPackageFor(id string) string {
	const worker = "Microsoft.Azure.Functions.Worker"
	exact := map[string]string{
		"microsoft.net.sdk.functions":                    worker,
		"microsoft.azure.webjobs":                        worker,
		"microsoft.azure.webjobs.core":                   worker,
		"microsoft.azure.webjobs.extensions":             worker + ".Extensions.Timer",
		"microsoft.azure.webjobs.extensions.http":        worker + ".Extensions.Http",
		"microsoft.azure.webjobs.extensions.storage":     worker + ".Extensions.Storage.Blobs and " + worker + ".Extensions.Storage.Queues",
		"microsoft.azure.webjobs.servicebus":             worker + ".Extensions.ServiceBus",
		"microsoft.azure.webjobs.extensions.documentdb":  worker + ".Extensions.CosmosDB",
		"microsoft.azure.webjobs.extensions.durabletask": worker + ".Extensions.DurableTask",
		"microsoft.azure.webjobs.extensions.openapi":     worker + ".Extensions.OpenApi",
	}
	lower := strings.ToLower(id)
	if r, ok := exact[lower]; ok {
		return r
	}
	if strings.HasPrefix(lower, "microsoft.azure.webjobs.host") {
		return worker
	}
	const ip = "Microsoft.Azure.WebJobs.Extensions."
	if hasIDPrefix(id, ip) {
		suggest := worker + ".Extensions." + id[len(ip):]
		if _, ok := csproj.IsolatedVersion(suggest); ok {
			return suggest
		}
	}
	return ""
}

// A varDecl is a variable, field, property or parameter whose declared type
// names a class, visible inside [start, end).
type varDecl struct {
	typ        string
	start, end uint
	at         uint // where the declaration is
}

// A fileScan scans one C# file of a dependent.
type fileScan struct {
	*depScan
	f        *cs.File
	m        *cs.Model
	imports  map[string]bool   // namespaces this file imports without an alias
	aliases  map[string]string // using alias → the in-process type it names
	decls    map[string][]varDecl
	returns  map[string]string // method name → the class it returns, for methods declared in the file
	reported map[string]bool   // "line:name": one finding per type per line
}

func (s *fileScan) report(off int, msg, action, ref string) {
	s.add(s.f.Path, s.f.Line(off), off, msg, action, ref)
}

func (s *fileScan) scan() {
	for ns := range s.depScan.imports {
		s.imports[ns] = true
	}
	for _, u := range s.m.Usings {
		s.using(u)
	}
	s.collectReturns(s.f.Root)
	s.collectDecls(s.f.Root)
	s.walk(s.f.Root)
	for _, a := range s.m.Attributes {
		s.attribute(a)
	}
}

// using records what a using directive imports and reports the in-process ones.
func (s *fileScan) using(u *cs.Using) {
	if u.Static {
		return
	}
	if u.Alias != "" {
		if i := strings.LastIndexByte(u.Name, '.'); i >= 0 {
			if t, ok := inprocTypes[u.Name[i+1:]]; ok && t.declaredIn(u.Name[:i]) {
				s.aliases[u.Alias] = u.Name[i+1:]
			}
		}
	} else {
		s.imports[u.Name] = true
	}
	repl, section, ok := usingReplacement(u.Name)
	if !ok {
		return
	}
	msg, action := "using "+u.Name+" imports in-process types", "remove it once the code no longer uses the in-process types"
	switch {
	case u.Alias != "":
		msg, action = "using "+u.Alias+" = "+u.Name+" names an in-process type", "point the alias at the isolated type or remove it"
	case repl != "":
		action = "import " + repl + " instead once the code uses the isolated types"
	}
	s.report(int(u.Node.StartByte()), msg, action, s.ref(section))
}

// usingReplacement says what an in-process namespace becomes (MAPPING.md
// §7.1, Appendix A). ok is false for namespaces that are not in-process.
func usingReplacement(ns string) (repl, section string, ok bool) {
	const worker = "Microsoft.Azure.Functions.Worker"
	switch {
	case hasIDPrefix(ns, "Microsoft.Azure.WebJobs.Extensions.OpenApi"):
		return "", "", false // the isolated OpenAPI extension keeps these namespaces
	case hasIDPrefix(ns, "Microsoft.Azure.WebJobs.Extensions.DurableTask"):
		return "Microsoft.DurableTask and Microsoft.DurableTask.Client (Microsoft.DurableTask.Entities for entities)", "§7.1", true
	case hasIDPrefix(ns, "Microsoft.Azure.WebJobs.Host"):
		return "", "§4.2", true
	case strings.EqualFold(ns, "Microsoft.Azure.WebJobs.Extensions.Sql"):
		return worker + ".Extensions.Sql", "§3.17", true
	case strings.EqualFold(ns, "Microsoft.Azure.WebJobs.Extensions.Http"):
		return worker + " (and " + worker + ".Http for HttpRequestData)", "§4.1", true
	case hasIDPrefix(ns, "Microsoft.Azure.WebJobs"):
		return worker, "Appendix A", true
	case hasIDPrefix(ns, "Microsoft.Azure.Functions.Extensions"):
		return "", "§5.1", true
	}
	return "", "", false
}

// inprocType describes an in-process type a dependent may use.
type inprocType struct {
	ns      []string // namespaces that declare it; none: the name alone is enough
	section string
	what    string // the finding message; {name} is the type's name
	test    string // the action in a test project
	lib     string // the action in a shared library
	newArgs bool   // only constructing it with arguments is in-process
}

func (t *inprocType) declaredIn(ns string) bool {
	for _, n := range t.ns {
		if n == ns {
			return true
		}
	}
	return false
}

const (
	webJobsNamespace = "Microsoft.Azure.WebJobs"
	durableNamespace = "Microsoft.Azure.WebJobs.Extensions.DurableTask"
)

var (
	ipCollector = &inprocType{ns: []string{webJobsNamespace}, section: "§4.5",
		what: "{name}<T> is an in-process output collector; isolated functions have no collectors and return their output items instead",
		test: "drop the fake or mock and assert on the items the function returns (an array, or a property of its output object)",
		lib:  "change the helper to return the items (or fill a List<T>) so an isolated function can return them"}
	ipBinder = &inprocType{ns: []string{webJobsNamespace}, section: "§4.8",
		what: "{name} (imperative binding) is not supported by the isolated worker",
		test: "the function must get the service's SDK client from dependency injection instead; mock that client in the test",
		lib:  "use the service's SDK client, registered with AddAzureClients in Program.cs, instead of the binder"}
	ipOrchestration = &inprocType{ns: []string{durableNamespace, webJobsNamespace}, section: "§7.2",
		what: "{name} is the in-process orchestration context; isolated orchestrators take TaskOrchestrationContext",
		test: "mock TaskOrchestrationContext (Microsoft.DurableTask, an abstract class) instead; activity calls keep their shape, while retry options, sub-orchestration instance ids and entity calls change",
		lib:  "take TaskOrchestrationContext (Microsoft.DurableTask) instead"}
	ipActivity = &inprocType{ns: []string{durableNamespace, webJobsNamespace}, section: "§7.3",
		what: "{name} has no isolated counterpart: activities take their input directly",
		test: "call the activity with its input value instead of a mocked context",
		lib:  "take the input value instead"}
	ipClient = &inprocType{ns: []string{durableNamespace, webJobsNamespace}, section: "§7.4",
		what: "{name} is the in-process durable client; isolated client functions take DurableTaskClient",
		test: "mock DurableTaskClient (Microsoft.DurableTask.Client, an abstract class whose constructor takes a name) instead; StartNewAsync becomes ScheduleNewOrchestrationInstanceAsync and GetStatusAsync becomes GetInstanceAsync, so setups and verifications change",
		lib:  "take DurableTaskClient (Microsoft.DurableTask.Client) instead"}
	ipSettlement = &inprocType{ns: []string{"Microsoft.Azure.WebJobs.ServiceBus"}, section: "§4.7",
		what: "{name} here is the in-process class from Microsoft.Azure.WebJobs.ServiceBus",
		test: "mock the class of the same name in Microsoft.Azure.Functions.Worker instead; its DeadLetterMessageAsync takes the reason and description as named arguments after a Dictionary",
		lib:  "use the class of the same name in Microsoft.Azure.Functions.Worker; its DeadLetterMessageAsync takes the reason and description as named arguments after a Dictionary"}
	ipStartup = &inprocType{ns: []string{"Microsoft.Azure.Functions.Extensions.DependencyInjection"}, section: "§5.1",
		what: "{name} is the in-process startup API; the isolated app registers its services in Program.cs",
		test: "test the registrations on a ServiceCollection filled by the same code Program.cs runs",
		lib:  "expose the registrations as an IServiceCollection extension method that Program.cs calls"}
)

// inprocTypes are the in-process types MAPPING.md §8 items 4 and 5 name,
// with the sections that say what replaces them.
var inprocTypes = map[string]*inprocType{
	"DefaultHttpRequest": {section: "§4.1",
		what: "DefaultHttpRequest is not public in the ASP.NET Core versions the isolated worker runs on (it became internal in ASP.NET Core 3.0)",
		test: "for a function that keeps HttpRequest (ASP.NET Core integration) build the request with new DefaultHttpContext().Request; for one that now takes HttpRequestData, pass an HttpRequestData test double (an abstract class constructed with a FunctionContext)",
		lib:  "build requests with new DefaultHttpContext().Request, or take HttpRequestData where the isolated function passes that"},
	"ExecutionContext": {ns: []string{webJobsNamespace}, section: "§4.3",
		what: "ExecutionContext is the in-process invocation context; isolated functions take FunctionContext, an abstract class, instead",
		test: "replace it with a FunctionContext test double (a subclass or Mock<FunctionContext>) that returns what the code reads: InvocationId (now a string), FunctionDefinition.Name; FunctionAppDirectory and FunctionDirectory have no equivalent",
		lib:  "take FunctionContext, or only the values the code reads such as the invocation id, instead; FunctionAppDirectory and FunctionDirectory have no equivalent"},
	"ICollector":      ipCollector,
	"IAsyncCollector": ipCollector,
	"TraceWriter": {ns: []string{"Microsoft.Azure.WebJobs.Host"}, section: "§4.2",
		what: "TraceWriter is the Functions v1 logger, which the isolated worker does not have",
		test: "use an ILogger instead (NullLogger.Instance, or a fake ILogger<T> to assert on log calls)",
		lib:  "take an ILogger instead"},
	"IBinder":                         ipBinder,
	"Binder":                          ipBinder,
	"IDurableOrchestrationContext":    ipOrchestration,
	"DurableOrchestrationContext":     ipOrchestration,
	"DurableOrchestrationContextBase": ipOrchestration,
	"IDurableActivityContext":         ipActivity,
	"DurableActivityContext":          ipActivity,
	"DurableActivityContextBase":      ipActivity,
	"IDurableClient":                  ipClient,
	"IDurableOrchestrationClient":     ipClient,
	"IDurableEntityClient":            ipClient,
	"DurableOrchestrationClient":      ipClient,
	"DurableOrchestrationClientBase":  ipClient,
	"IDurableEntityContext": {ns: []string{durableNamespace}, section: "§7.5",
		what: "IDurableEntityContext has no isolated counterpart: entities are dispatched through TaskEntityDispatcher",
		test: "test the entity class (TaskEntity<TState>) or its operations directly instead of mocking the context",
		lib:  "rewrite the entity as a TaskEntity<TState> class or a TaskEntityDispatcher delegate"},
	"TimerInfo": {ns: []string{webJobsNamespace}, section: "§4.6", newArgs: true,
		what: "new TimerInfo(...) calls the in-process constructor; the isolated TimerInfo has only settable properties",
		test: "set the properties instead: new TimerInfo { ScheduleStatus = new ScheduleStatus { ... }, IsPastDue = ... }; Schedule and FormatNextOccurrences have no equivalent",
		lib:  "set ScheduleStatus and IsPastDue as properties instead; Schedule and FormatNextOccurrences have no equivalent"},
	"ServiceBusMessageActions":        ipSettlement,
	"ServiceBusSessionMessageActions": ipSettlement,
	"MessageReceiver": {ns: []string{"Microsoft.Azure.ServiceBus.Core"}, section: "§4.7",
		what: "MessageReceiver (Service Bus extension 4.x) cannot be bound by the isolated worker; settlement goes through ServiceBusMessageActions",
		test: "mock ServiceBusMessageActions (Microsoft.Azure.Functions.Worker) instead and verify CompleteMessageAsync(message) and the other settlement calls, which take the message rather than a lock token",
		lib:  "settle with ServiceBusMessageActions, which takes the message rather than a lock token"},
	"FunctionNameAttribute": {ns: []string{webJobsNamespace}, section: "§3.1",
		what: "FunctionNameAttribute is the in-process function attribute; isolated functions carry [Function] (FunctionAttribute)",
		test: "look for FunctionAttribute (Microsoft.Azure.Functions.Worker) instead",
		lib:  "use FunctionAttribute (Microsoft.Azure.Functions.Worker) instead"},
	"FunctionsStartup":      ipStartup,
	"IFunctionsHostBuilder": ipStartup,
}

// collectDecls records the declared class of every variable, field,
// property and parameter, with the part of the file where it is visible.
func (s *fileScan) collectDecls(n *sitter.Node) {
	switch n.Kind() {
	case "variable_declaration":
		t := n.ChildByFieldName("type")
		scope := n.Parent()
		switch scope.Kind() {
		case "local_declaration_statement":
			scope = scope.Parent()
			if scope != nil && scope.Kind() == "global_statement" {
				scope = scope.Parent() // top-level statements share one scope
			}
		case "field_declaration", "event_field_declaration":
			scope = enclosingTypeDecl(scope)
		}
		for i := uint(0); i < n.NamedChildCount(); i++ {
			v := n.NamedChild(i)
			if v.Kind() != "variable_declarator" || scope == nil {
				continue
			}
			typ := declaredClass(s.f, t)
			if t != nil && t.Kind() == "implicit_type" {
				typ = s.initializerClass(v)
			}
			if name := v.ChildByFieldName("name"); name != nil && typ != "" {
				s.declare(s.f.Text(name), typ, scope, v)
			}
		}
	case "parameter":
		if name, list := n.ChildByFieldName("name"), n.Parent(); name != nil && list != nil && list.Parent() != nil {
			if typ := declaredClass(s.f, n.ChildByFieldName("type")); typ != "" {
				s.declare(s.f.Text(name), typ, list.Parent(), n)
			}
		}
	case "property_declaration":
		if name, scope := n.ChildByFieldName("name"), enclosingTypeDecl(n); name != nil && scope != nil {
			if typ := declaredClass(s.f, n.ChildByFieldName("type")); typ != "" {
				s.declare(s.f.Text(name), typ, scope, n)
			}
		}
	case "foreach_statement":
		if left := n.ChildByFieldName("left"); left != nil && left.Kind() == "identifier" {
			if typ := declaredClass(s.f, n.ChildByFieldName("type")); typ != "" {
				s.declare(s.f.Text(left), typ, n, n)
			}
		}
	}
	for i := uint(0); i < n.NamedChildCount(); i++ {
		s.collectDecls(n.NamedChild(i))
	}
}

// collectReturns records the class each method of the file returns. It runs
// before collectDecls since helpers usually follow the tests that call them.
func (s *fileScan) collectReturns(n *sitter.Node) {
	field := ""
	switch n.Kind() {
	case "method_declaration":
		field = "returns"
	case "local_function_statement":
		field = "type"
	}
	if name := n.ChildByFieldName("name"); field != "" && name != nil {
		if typ := declaredClass(s.f, n.ChildByFieldName(field)); typ != "" {
			// Overloads returning different classes are ambiguous.
			if prev, ok := s.returns[s.f.Text(name)]; ok && prev != typ {
				typ = ""
			}
			s.returns[s.f.Text(name)] = typ
		}
	}
	for i := uint(0); i < n.NamedChildCount(); i++ {
		s.collectReturns(n.NamedChild(i))
	}
}

func (s *fileScan) declare(name, typ string, scope, at *sitter.Node) {
	s.decls[name] = append(s.decls[name], varDecl{typ: typ, start: scope.StartByte(), end: scope.EndByte(), at: at.StartByte()})
}

// resolve returns the declared class of name as seen at offset pos: the
// innermost visible declaration wins.
func (s *fileScan) resolve(name string, pos uint) string {
	best := -1
	ds := s.decls[name]
	for i, d := range ds {
		if pos < d.start || pos >= d.end {
			continue
		}
		if best < 0 || d.end-d.start < ds[best].end-ds[best].start ||
			(d.end-d.start == ds[best].end-ds[best].start && d.at <= pos && d.at > ds[best].at) {
			best = i
		}
	}
	if best < 0 {
		return ""
	}
	return ds[best].typ
}

func enclosingTypeDecl(n *sitter.Node) *sitter.Node {
	for p := n.Parent(); p != nil; p = p.Parent() {
		switch p.Kind() {
		case "class_declaration", "struct_declaration", "record_declaration", "interface_declaration":
			return p
		}
	}
	return nil
}

// initializerClass returns the class a `var` variable gets from its
// initializer: `new T(...)`, or a call to a method of the same file
// declared to return T (the common CreateSut() helper of tests).
func (s *fileScan) initializerClass(v *sitter.Node) string {
	for i := uint(0); i < v.NamedChildCount(); i++ {
		ch := v.NamedChild(i)
		if ch.Kind() == "await_expression" && ch.NamedChildCount() == 1 {
			ch = ch.NamedChild(0)
		}
		switch ch.Kind() {
		case "object_creation_expression":
			return declaredClass(s.f, ch.ChildByFieldName("type"))
		case "invocation_expression":
			fn := ch.ChildByFieldName("function")
			if fn != nil && fn.Kind() == "member_access_expression" {
				if x := fn.ChildByFieldName("expression"); x != nil && x.Kind() == "this" {
					fn = fn.ChildByFieldName("name")
				}
			}
			if fn != nil && fn.Kind() == "identifier" {
				return s.returns[s.f.Text(fn)]
			}
		}
	}
	return ""
}

// declaredClass returns a type node as written when it may name a class:
// "Function1", "App.Function1" (also for Function1?); "" for anything else
// (generic, array or predefined types).
func declaredClass(f *cs.File, t *sitter.Node) string {
	if t == nil {
		return ""
	}
	switch t.Kind() {
	case "identifier", "qualified_name", "alias_qualified_name":
		if strings.Contains(f.Text(t), "<") {
			return ""
		}
		return strings.ReplaceAll(f.Text(t), " ", "")
	case "nullable_type":
		return declaredClass(f, t.ChildByFieldName("type"))
	}
	return ""
}

// classOf returns the function class a written class name refers to, or nil
// when it names none, or names one the dependent declares itself.
func (s *fileScan) classOf(ref string) *classChange {
	name := lastTypeSegment(ref)
	cc := s.idx.classes[name]
	if cc == nil || s.own[name] || !cc.reachableAs(strings.TrimRight(strings.TrimSuffix(ref, name), ".:")) {
		return nil
	}
	return cc
}

// walk visits every node for calls, constructions and type uses.
func (s *fileScan) walk(n *sitter.Node) {
	switch n.Kind() {
	case "invocation_expression":
		s.invocation(n)
	case "object_creation_expression":
		s.creation(n, declaredClass(s.f, n.ChildByFieldName("type")))
	case "implicit_object_creation_expression":
		s.creation(n, s.targetType(n))
	case "identifier":
		s.typeUse(n)
		return
	case "using_directive", "attribute":
		return // reported on their own
	}
	for i := uint(0); i < n.NamedChildCount(); i++ {
		s.walk(n.NamedChild(i))
	}
}

// targetType returns the declared class a target-typed `new()` creates.
func (s *fileScan) targetType(n *sitter.Node) string {
	p := n.Parent()
	switch {
	case p == nil:
	case p.Kind() == "variable_declarator":
		if vd := p.Parent(); vd != nil && vd.Kind() == "variable_declaration" {
			return declaredClass(s.f, vd.ChildByFieldName("type"))
		}
	case p.Kind() == "property_declaration":
		return declaredClass(s.f, p.ChildByFieldName("type"))
	}
	return ""
}

// receiverClass returns the class an expression refers to, as written, and
// whether it names the class itself (a static call) rather than an instance.
func (s *fileScan) receiverClass(e *sitter.Node) (class string, static bool) {
	switch e.Kind() {
	case "identifier":
		name := s.f.Text(e)
		if t := s.resolve(name, e.StartByte()); t != "" {
			return t, false
		}
		return name, true
	case "member_access_expression":
		name := e.ChildByFieldName("name")
		if name == nil {
			break
		}
		if x := e.ChildByFieldName("expression"); x == nil || x.Kind() == "this" || x.Kind() == "base" {
			return s.resolve(s.f.Text(name), e.StartByte()), false
		}
		// A qualified class, App.Functions.Function1.Run(...); for
		// obj.Prop.Run(...) classOf finds no class of that namespace.
		if t := s.f.Text(e); !strings.ContainsAny(t, "()[]") {
			return strings.Join(strings.Fields(t), ""), true
		}
	case "object_creation_expression":
		return declaredClass(s.f, e.ChildByFieldName("type")), false
	case "parenthesized_expression":
		if e.NamedChildCount() == 1 {
			return s.receiverClass(e.NamedChild(0))
		}
	case "cast_expression":
		return declaredClass(s.f, e.ChildByFieldName("type")), false
	}
	return "", false
}

// invocation reports a call to a function method whose signature changed.
func (s *fileScan) invocation(n *sitter.Node) {
	fn := n.ChildByFieldName("function")
	if fn == nil {
		return
	}
	var recv, name *sitter.Node
	switch fn.Kind() {
	case "member_access_expression":
		recv, name = fn.ChildByFieldName("expression"), fn.ChildByFieldName("name")
	case "conditional_access_expression": // sut?.Run(...)
		recv = fn.ChildByFieldName("condition")
		for i := uint(0); i < fn.NamedChildCount(); i++ {
			if ch := fn.NamedChild(i); ch.Kind() == "member_binding_expression" {
				name = ch.ChildByFieldName("name")
			}
		}
	}
	if recv == nil || name == nil || name.Kind() != "identifier" {
		return
	}
	ref, static := s.receiverClass(recv)
	cc := s.classOf(ref)
	if cc == nil {
		return
	}
	cands := s.idx.funcs[cc.name+"."+s.f.Text(name)]
	if len(cands) == 0 {
		return
	}
	args := 0
	if al := n.ChildByFieldName("arguments"); al != nil {
		for i := uint(0); i < al.NamedChildCount(); i++ {
			if al.NamedChild(i).Kind() == "argument" {
				args++
			}
		}
	}
	fc := cands[0]
	for _, c := range cands {
		if len(c.old.params) == args {
			fc = c
			break
		}
	}
	if !fc.changed() {
		return
	}
	s.call(name, fc, static)
}

// call reports one call to a changed function with what to pass now.
func (s *fileScan) call(name *sitter.Node, fc *funcChange, static bool) {
	cc := s.idx.classes[fc.class]
	secs := map[string]bool{}
	var todo []string
	loggerInCtor := false
	if cc != nil {
		for _, ps := range cc.newCtors {
			for _, p := range ps {
				if lastTypeSegment(p.typ) == "ILogger" {
					loggerInCtor = true
				}
			}
		}
	}
	hasContext := false
	for _, p := range fc.new.params {
		if lastTypeSegment(p.typ) == "FunctionContext" {
			hasContext = true
		}
	}
	if fc.old.static && !fc.new.static && static {
		secs["§4.2"] = true
		ctor := fc.class + "()"
		if cc != nil {
			ctor = fc.class + "(" + cc.ctorArgs() + ")"
		}
		todo = append(todo, "call it on an instance: new "+ctor)
	}
	for _, op := range fc.old.params {
		np, kept := fc.new.param(op.name)
		ot := lastTypeSegment(op.typ)
		switch {
		case !kept && (ot == "ILogger" || ot == "TraceWriter"):
			secs["§4.2"] = true
			switch {
			case loggerInCtor && static:
				todo = append(todo, "drop the "+op.name+" argument: the logger now comes through the constructor")
			case loggerInCtor:
				todo = append(todo, "drop the "+op.name+" argument: the logger now comes through the constructor, which takes an ILogger<"+fc.class+"> such as "+testArgFor(sigParam{typ: "ILogger<" + fc.class + ">"}))
			case hasContext:
				todo = append(todo, "drop the "+op.name+" argument: the function now gets its logger from the FunctionContext")
			default:
				todo = append(todo, "drop the "+op.name+" argument")
			}
		case !kept && strings.Contains(" "+op.mod+" ", " out "):
			secs["§4.5"] = true
			todo = append(todo, "read "+op.name+" from the "+awaitedType(fc.new.ret)+" the function now returns instead of an out argument")
		case !kept && (ot == "ICollector" || ot == "IAsyncCollector"):
			secs["§4.5"] = true
			todo = append(todo, "drop the collector argument "+op.name+" and assert on the items in the "+awaitedType(fc.new.ret)+" the function now returns")
		case !kept && (ot == "IBinder" || ot == "Binder"):
			secs["§4.8"] = true
			todo = append(todo, "drop the binder argument "+op.name)
		case !kept:
			todo = append(todo, "drop the "+op.name+" argument")
		case np.typ != op.typ || np.mod != op.mod:
			todo = append(todo, passAdvice(np, "", secs))
		}
	}
	for _, np := range fc.new.params {
		if _, ok := fc.old.param(np.name); !ok {
			todo = append(todo, passAdvice(np, "new ", secs))
		}
	}
	if fc.old.ret != fc.new.ret && !secs["§4.5"] {
		if strings.Contains(fc.new.ret, "HttpResponseData") {
			secs["§4.1"] = true
			todo = append(todo, "read StatusCode and the Body stream of the HttpResponseData it now returns")
		} else {
			todo = append(todo, "update what the caller reads from the result, now "+awaitedType(fc.new.ret))
		}
	}
	var sections []string
	for sec := range secs {
		sections = append(sections, sec)
	}
	sortMappingSections(sections)
	if len(todo) == 0 {
		todo = append(todo, "update the call to the new signature")
	}
	msg := fmt.Sprintf("this call to the function %s.%s no longer fits it: the migration changed %s to %s",
		fc.class, fc.method, fc.old.text(fc.method), fc.new.text(fc.method))
	s.report(int(name.StartByte()), msg, strings.Join(todo, "; "), s.ref(sections...))
}

// awaitedType returns the type a caller gets after awaiting: T for Task<T>.
func awaitedType(ret string) string {
	for _, task := range []string{"Task<", "ValueTask<"} {
		if strings.HasPrefix(ret, task) && strings.HasSuffix(ret, ">") {
			return ret[len(task) : len(ret)-1]
		}
	}
	return ret
}

// passAdvice says what a test passes for a parameter whose type is new.
func passAdvice(p sigParam, isNew string, secs map[string]bool) string {
	switch lastTypeSegment(p.typ) {
	case "FunctionContext":
		secs["§4.3"] = true
		return "pass a FunctionContext test double for the " + isNew + p.name + " parameter (FunctionContext is abstract: subclass it or use Mock<FunctionContext>)"
	case "HttpRequestData":
		secs["§4.1"] = true
		return "pass an HttpRequestData test double for " + p.name + " (HttpRequestData is abstract and its constructor takes a FunctionContext)"
	case "TaskOrchestrationContext":
		secs["§7.2"] = true
		return "pass a mock of TaskOrchestrationContext (an abstract class) for " + p.name
	case "DurableTaskClient":
		secs["§7.4"] = true
		return "pass a mock of DurableTaskClient (an abstract class whose constructor takes a name) for " + p.name
	case "ServiceBusMessageActions", "ServiceBusSessionMessageActions":
		secs["§4.7"] = true
		return "pass a mock of the isolated " + lastTypeSegment(p.typ) + " (Microsoft.Azure.Functions.Worker) for " + p.name
	}
	secs["§4.6"] = true
	return "pass a " + p.typ + " for the " + isNew + p.name + " parameter"
}

// sortMappingSections orders "§4.10" after "§4.2" and "Appendix A" last.
func sortMappingSections(ss []string) {
	key := func(s string) []int {
		var out []int
		for _, part := range strings.Split(strings.TrimPrefix(s, "§"), ".") {
			n, err := strconv.Atoi(part)
			if err != nil {
				n = 1 << 20
			}
			out = append(out, n)
		}
		return out
	}
	sort.Slice(ss, func(i, j int) bool {
		a, b := key(ss[i]), key(ss[j])
		for k := 0; k < len(a) && k < len(b); k++ {
			if a[k] != b[k] {
				return a[k] < b[k]
			}
		}
		return len(a) < len(b)
	})
}

// creation reports `new Class(...)` of a function class whose constructors
// the migration changed.
func (s *fileScan) creation(n *sitter.Node, ref string) {
	cc := s.classOf(ref)
	if cc == nil || !cc.ctorChanged() {
		return
	}
	class := cc.name
	secs := map[string]bool{}
	var todo []string
	for _, p := range cc.newCtors[0] {
		if lastTypeSegment(p.typ) == "ILogger" {
			secs["§4.2"] = true
			todo = append(todo, "pass "+testArgFor(p)+" (Microsoft.Extensions.Logging.Abstractions) for "+p.name)
		} else {
			todo = append(todo, "pass "+testArgFor(p)+" for "+p.name)
		}
	}
	if len(todo) == 0 {
		todo = append(todo, "construct it with no arguments")
	}
	var sections []string
	for sec := range secs {
		sections = append(sections, sec)
	}
	sortMappingSections(sections)
	msg := fmt.Sprintf("%s constructs %s, whose constructors the migration changed from %s to %s",
		squeezeSpaces(s.f.Text(n)), class, cc.ctorsText(cc.oldCtors), cc.ctorsText(cc.newCtors))
	s.report(int(n.StartByte()), msg, strings.Join(todo, "; "), s.ref(sections...))
}

// typeUse reports an identifier that names an in-process type in a type
// position: a declaration, a construction, a generic argument, a base type.
func (s *fileScan) typeUse(id *sitter.Node) {
	name := s.f.Text(id)
	aliased := false
	if real, ok := s.aliases[name]; ok {
		name, aliased = real, true
	}
	t, ok := inprocTypes[name]
	if !ok || (s.own[name] && !aliased) {
		return
	}
	// Climb from the identifier to the whole type as written.
	n := id
	qualified := ""
	if p := n.Parent(); p != nil && p.Kind() == "generic_name" {
		n = p
	}
	if p := n.Parent(); p != nil && (p.Kind() == "qualified_name" || p.Kind() == "alias_qualified_name") {
		if !sameTSNode(p.ChildByFieldName("name"), n) {
			return // a namespace or outer-type segment, not the type
		}
		if q := p.ChildByFieldName("qualifier"); q != nil {
			qualified = strings.TrimPrefix(strings.ReplaceAll(s.f.Text(q), " ", ""), "global::")
		} else {
			qualified = "global" // global::ExecutionContext
		}
		n = p
	}
	if !usedAsType(n) {
		return
	}
	switch {
	case aliased:
	case qualified != "":
		if len(t.ns) > 0 && !t.declaredIn(qualified) {
			return
		}
	case len(t.ns) > 0:
		imported := false
		for _, ns := range t.ns {
			imported = imported || s.imports[ns]
		}
		if !imported {
			return
		}
	}
	if t.newArgs {
		p := n.Parent()
		if p == nil || p.Kind() != "object_creation_expression" || !sameTSNode(p.ChildByFieldName("type"), n) {
			return
		}
		al := p.ChildByFieldName("arguments")
		if al == nil || al.NamedChildCount() == 0 {
			return
		}
	}
	off := int(n.StartByte())
	key := strconv.Itoa(s.f.Line(off)) + ":" + name
	if s.reported[key] {
		return
	}
	s.reported[key] = true
	action := t.lib
	if s.dep.Test {
		action = t.test
	}
	s.report(off, strings.ReplaceAll(t.what, "{name}", name), action, s.ref(t.section))
}

func sameTSNode(a, b *sitter.Node) bool { return a != nil && b != nil && a.Id() == b.Id() }

// usedAsType reports whether n (an identifier, generic or qualified
// name) is used as a type rather than as a value or member name.
func usedAsType(n *sitter.Node) bool {
	p := n.Parent()
	if p == nil {
		return false
	}
	switch p.Kind() {
	case "type_argument_list", "base_list":
		return true
	case "as_expression", "is_expression":
		return sameTSNode(p.ChildByFieldName("right"), n)
	case "method_declaration":
		return sameTSNode(p.ChildByFieldName("returns"), n)
	}
	return sameTSNode(p.ChildByFieldName("type"), n)
}

// inprocAttributes maps in-process attributes to their isolated
// counterparts ("" when there is none), from the attribute map of
// MAPPING.md §3 and WORKER-API.md. Names that test frameworks also use
// (Timeout, Disable, File) count only when written with the WebJobs
// namespace.
var inprocAttributes = map[string]string{
	"FunctionName": "Function", "HttpTrigger": "HttpTrigger", "TimerTrigger": "TimerTrigger", "WarmupTrigger": "WarmupTrigger",
	"QueueTrigger": "QueueTrigger", "BlobTrigger": "BlobTrigger", "ServiceBusTrigger": "ServiceBusTrigger",
	"EventHubTrigger": "EventHubTrigger", "EventGridTrigger": "EventGridTrigger", "CosmosDBTrigger": "CosmosDBTrigger",
	"KafkaTrigger": "KafkaTrigger", "RabbitMQTrigger": "RabbitMQTrigger", "SqlTrigger": "SqlTrigger", "SignalRTrigger": "SignalRTrigger",
	"OrchestrationTrigger": "OrchestrationTrigger", "ActivityTrigger": "ActivityTrigger", "EntityTrigger": "EntityTrigger",
	"DurableClient": "DurableClient", "OrchestrationClient": "DurableClient",
	"Queue": "QueueOutput", "Blob": "BlobInput or BlobOutput", "Table": "TableInput or TableOutput", "ServiceBus": "ServiceBusOutput",
	"EventHub": "EventHubOutput", "EventGrid": "EventGridOutput", "CosmosDB": "CosmosDBInput or CosmosDBOutput",
	"DocumentDB": "CosmosDBInput or CosmosDBOutput", "SendGrid": "SendGridOutput", "SignalR": "SignalROutput",
	"SignalRConnectionInfo": "SignalRConnectionInfoInput", "SignalREndpoints": "SignalREndpointsInput",
	"SignalRNegotiation": "SignalRNegotiationInput", "Kafka": "KafkaOutput", "RabbitMQ": "RabbitMQOutput", "Sql": "SqlInput or SqlOutput",
	"FixedDelayRetry": "FixedDelayRetry", "ExponentialBackoffRetry": "ExponentialBackoffRetry",
	"StorageAccount": "", "ServiceBusAccount": "", "Singleton": "", "TwilioSms": "", "MobileTable": "", "FileTrigger": "",
	"NoAutomaticTrigger": "", "SignalRRefresh": "", "Binding": "",
	"Timeout": "", "Disable": "", "File": "",
}

var qualifiedOnlyAttributes = map[string]bool{"Timeout": true, "Disable": true, "File": true}

// attribute reports an in-process WebJobs attribute.
func (s *fileScan) attribute(a *cs.Attribute) {
	repl, ok := inprocAttributes[a.Name]
	if !ok || s.own[a.Name] || s.own[a.Name+"Attribute"] {
		return
	}
	switch q := strings.TrimPrefix(a.Qualifier, "global::"); {
	case q != "":
		if !hasIDPrefix(q, webJobsNamespace) {
			return
		}
	case qualifiedOnlyAttributes[a.Name]:
		return
	default:
		imported := false
		for ns := range s.imports {
			imported = imported || hasIDPrefix(ns, webJobsNamespace)
		}
		if !imported {
			return
		}
	}
	msg := "[" + a.Name + "] is an in-process WebJobs attribute"
	if repl == "" {
		s.report(int(a.Node.StartByte()), msg+" with no isolated counterpart",
			"remove it, moving what it configured to the app (host.json, app settings or SDK clients)", s.ref("§3.20"))
		return
	}
	s.report(int(a.Node.StartByte()), msg,
		"use ["+repl+"] from Microsoft.Azure.Functions.Worker instead; the worker reads binding attributes only on the app's own function methods", s.ref("§3"))
}
