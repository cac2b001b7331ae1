package rewrite

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"

	"github.com/funcmigrate/funcmigrate/csproj"
	"github.com/funcmigrate/funcmigrate/rewrite/cs"
	"github.com/funcmigrate/funcmigrate/rewrite/edit"
	"github.com/funcmigrate/funcmigrate/rewrite/report"
	"github.com/funcmigrate/funcmigrate/rewrite/startup"
	"github.com/funcmigrate/funcmigrate/settings"
	"github.com/funcmigrate/funcmigrate/templates"
)

// TargetFrameworks are the frameworks --target-framework accepts.
var TargetFrameworks = []string{"net10.0", "net8.0", "net9.0", "net48"}

// Options control a migration.
type Options struct {
	TargetFramework string // one of TargetFrameworks; "" means net10.0
	TODOComments    bool   // mark code left in place with TODO(funcmigrate) comments
	HostBuilder     bool   // generate Program.cs in the HostBuilder shape instead of FunctionsApplication
	Base            string // absolute folder that display paths are relative to
	Rules           []*Rule
}

// A FileChange is one file's old and new content.
type FileChange struct {
	Path     string // display path: slash-separated, relative to Options.Base
	Abs      string
	Old, New []byte
	Created  bool
	Deleted  bool
	Mode     fs.FileMode
}

// A Result is what migrating one project produced.
type Result struct {
	Project  *Project
	Changes  []FileChange // sorted by Path
	Findings []report.Finding

	// sides are the project's function declarations before and after the
	// migration, collected from the trees the migration parsed when
	// dependents need them (see ScanDependents); nil otherwise.
	sides *[2]*funcSide
}

// RuleRollout is the rule id of the step every migrated app leaves for a
// person: switching the app's settings in Azure together with the new code
// (MAPPING.md §6.3). It is not code left to migrate.
const RuleRollout = "deploy-settings"

// Rule ids of the project-level steps, used in findings and markers.
const (
	ruleProgram = "program-cs"
	ruleSource  = "cs-source"
)

// Migrate computes the migration of one project. It reads files but never
// writes them.
func Migrate(p *Project, opt Options) (*Result, error) {
	return migrate(p, opt, map[string]*sharedFile{})
}

// MigrateAll migrates projects in order. A file several projects share (a
// Directory.Packages.props) is edited by each in turn on top of the
// previous project's result, and its change is listed once, with the first
// project that changed it. A project that cannot be migrated (a file it
// needs is malformed) is left unchanged with a finding saying why; the
// others are still migrated.
//
// Projects that share no file are migrated side by side.
func MigrateAll(projects []*Project, opt Options) ([]*Result, error) {
	// A chain is the projects under one Directory.Packages.props, in order.
	var chains [][]int
	chainOf := map[string]int{}
	for i, p := range projects {
		if c, ok := chainOf[p.CentralProps]; ok && p.CentralProps != "" {
			chains[c] = append(chains[c], i)
			continue
		}
		chainOf[p.CentralProps] = len(chains)
		chains = append(chains, []int{i})
	}
	out := make([]*Result, len(projects))
	forEach(len(chains), func(c int) {
		shared := map[string]*sharedFile{}
		for _, i := range chains[c] {
			p := projects[i]
			r, err := guarded(func() (*Result, error) { return migrate(p, opt, shared) })
			if err != nil {
				r = &Result{Project: p, Findings: []report.Finding{notMigrated(p, opt.Base, err)}}
			}
			out[i] = r
		}
	})
	return out, nil
}

// guarded runs one unit of a migration, turning a panic (a bug in a rule
// meeting code nobody foresaw) into an error for that unit alone, so that
// the rest of the tree is still migrated.
func guarded[T any](f func() (T, error)) (out T, err error) {
	defer func() {
		if v := recover(); v != nil {
			stack := debug.Stack()
			if wp, ok := v.(*workerPanic); ok {
				v, stack = wp.value, wp.stack
			}
			err = fmt.Errorf("internal error: %v at %s", v, panicSite(stack))
		}
	}()
	return f()
}

// panicSite is the innermost funcmigrate source line in a panic's stack.
func panicSite(stack []byte) string {
	const module = "github.com/funcmigrate/funcmigrate/"
	lines := strings.Split(string(stack), "\n")
	for i := 0; i+1 < len(lines); i++ {
		fn, file := lines[i], strings.TrimSpace(lines[i+1])
		if strings.HasPrefix(fn, module) && !strings.HasPrefix(fn, module+"rewrite.guarded") && !strings.HasPrefix(fn, module+"rewrite.forEach") && strings.HasPrefix(file, "/") {
			if j := strings.LastIndex(file, " +0x"); j > 0 {
				file = file[:j]
			}
			// Shown relative to the module: the package path ends at the
			// first dot after its last slash.
			pkg := strings.TrimPrefix(fn, module)
			if slash := strings.LastIndex(pkg, "/"); slash >= 0 {
				pkg = pkg[:slash+1] + strings.SplitN(pkg[slash+1:], ".", 2)[0]
			} else {
				pkg = strings.SplitN(pkg, ".", 2)[0]
			}
			if k := strings.LastIndex(file, "/"+pkg+"/"); k >= 0 {
				file = file[k+1:]
			}
			return file
		}
	}
	return "an unknown place"
}

// notMigrated is the finding for a project whose migration failed.
func notMigrated(p *Project, base string, err error) report.Finding {
	proj := DisplayPath(base, p.File)
	var ie *InputError
	if errors.As(err, &ie) {
		f := inputFinding(base, p.File, err, "fix the file and run funcmigrate again")
		f.Project = proj
		f.Message += "; " + proj + " was not migrated"
		return f
	}
	return report.Finding{Rule: RuleInternalError, Path: proj, Project: proj,
		Message: fmt.Sprintf("funcmigrate could not migrate this project (%v); nothing in it was changed", err),
		Action:  "migrate it by hand, and please report the error to funcmigrate", Ref: "MAPPING.md §9"}
}

// sharedFile is a file already changed by an earlier project of the run.
type sharedFile struct {
	res *Result // the result that lists the change
	abs string
}

func (sf *sharedFile) change() *FileChange {
	for i := range sf.res.Changes {
		if sf.res.Changes[i].Abs == sf.abs {
			return &sf.res.Changes[i]
		}
	}
	panic("rewrite: shared file change lost: " + sf.abs)
}

func migrate(p *Project, opt Options, shared map[string]*sharedFile) (*Result, error) {
	if opt.TargetFramework == "" {
		opt.TargetFramework = "net10.0"
	}
	res := &Result{Project: p}
	display := func(abs string) string { return DisplayPath(opt.Base, abs) }
	projDisplay := display(p.File)
	addFindings := func(fs []report.Finding) {
		for _, f := range fs {
			f.Project = projDisplay
			res.Findings = append(res.Findings, f)
		}
	}

	projSrc, err := readText(p.File)
	if err != nil {
		return nil, err
	}
	projDoc, err := csproj.Parse(p.File, projSrc)
	if err != nil {
		return nil, &InputError{File: p.File, Err: err}
	}
	var centralSrc []byte
	var centralDoc *csproj.Doc
	if p.CentralProps != "" {
		if sf, ok := shared[p.CentralProps]; ok {
			centralSrc = sf.change().New
		} else if centralSrc, err = readText(p.CentralProps); err != nil {
			return nil, err
		}
		if centralDoc, err = csproj.Parse(p.CentralProps, centralSrc); err != nil {
			return nil, &InputError{File: p.CentralProps, Err: err}
		}
	}

	facts := &Facts{TargetFramework: opt.TargetFramework, NetFramework: strings.HasPrefix(opt.TargetFramework, "net4")}

	// Load and analyze every source first: rules need project-wide facts
	// (is this an HTTP app? which types cross a binding?) before they run.
	// Each file is summarized for those facts while its tree is open; trees
	// stay open for the rules only within the process's budget (treeBudget)
	// and are otherwise parsed again when the rules reach the file.
	loaded := make([]source, len(p.Sources))
	defer func() {
		for i := range loaded {
			loaded[i].close()
		}
	}()
	forEach(len(loaded), func(i int) { loaded[i].load(p.Sources[i], display) })
	var sources []*source
	hasEntryPoint := ""
	var style sourceStyle
	var bound []*BoundFile
	var all [][]byte
	named := map[string]bool{}
	for i := range loaded {
		s := &loaded[i]
		if s.err != nil {
			var ie *InputError
			if !errors.As(s.err, &ie) {
				return nil, s.err
			}
			f := inputFinding(opt.Base, s.abs, s.err, "migrate this file by hand, or make it a readable UTF-8 file and run funcmigrate again")
			f.Rule = ruleSource
			addFindings([]report.Finding{f})
			continue
		}
		sources = append(sources, s)
		facts.HTTP = facts.HTTP || s.http
		if isEntryPoint(s.src) {
			hasEntryPoint = s.abs
		}
		if edit.EOL(s.src) == "\r\n" {
			style.crlf++
		}
		if hasBOM(s.src) {
			style.boms++
		}
		style.n++
		bound = append(bound, s.bound)
		all = append(all, s.src)
		if s.startup {
			for _, n := range startup.Named(s.src) {
				named[n] = true
			}
		}
	}
	facts.BoundTypes = ResolveBoundTypes(bound)
	if p.dependents {
		markDeclarers(sources)
	}

	// Startup classes move into the generated Program.cs (MAPPING.md §5);
	// the Program.cs is built first so that a move whose code would not
	// parse can be called off before any file is edited. The plan reads
	// only the files that can concern it.
	var ss []startup.Source
	for _, s := range sources {
		if !s.startup && !slices.ContainsFunc(s.bound.decls, func(d typeDecl) bool { return named[d.name] }) {
			continue
		}
		if err := s.open(); err != nil {
			return nil, err
		}
		ss = append(ss, startup.Source{File: s.file, Model: s.model})
	}
	plan, program, err := buildProgram(p, projDoc, facts, opt, ss, startup.IndentOf(all), hasEntryPoint, style, display)
	if err != nil {
		return nil, err
	}

	forEach(len(sources), func(i int) {
		s := sources[i]
		if s.moved = plan.Files[s.path]; s.moved != nil && s.moved.Delete {
			if p.dependents && s.declares {
				if s.err = s.open(); s.err == nil {
					s.sides[0] = newFuncSide()
					s.sides[0].collect(s.file)
				}
				s.close()
			}
			return
		}
		if s.err = s.open(); s.err != nil {
			return
		}
		s.out, s.findings, s.needs, s.migrated, s.err = migrateFile(s.file, s.model, facts, opt, s.moved)
		if p.dependents && s.declares && s.err == nil {
			s.sides, s.err = collectSides(s)
		}
		// Done with this file: its trees go now, not with the project.
		s.close()
	})
	var needs []string
	for _, s := range sources {
		if s.moved != nil && s.moved.Delete {
			if s.err != nil {
				return nil, s.err
			}
			res.addDeletion(s.abs, display(s.abs), s.src)
			continue
		}
		if s.err != nil {
			return nil, s.err
		}
		needs = append(needs, s.needs...)
		addFindings(s.findings)
		res.addChange(s.abs, display(s.abs), s.src, s.out)
	}
	if p.dependents {
		res.sides = &[2]*funcSide{newFuncSide(), newFuncSide()}
		for _, s := range sources {
			for i, side := range s.sides {
				res.sides[i].merge(side)
			}
		}
	}
	for _, o := range p.Outside {
		addFindings([]report.Finding{{Rule: ruleSource, Path: display(o),
			Message: "the project compiles " + display(o) + " from outside its folder or through a symbolic link; it was not edited",
			Action:  "migrate the linked file by hand, or run funcmigrate on a folder that contains it", Ref: "MAPPING.md §8 item 4"}})
	}

	// Project file and central package versions.
	cres, err := csproj.Migrate(projDoc, centralDoc, csproj.Options{
		TargetFramework: opt.TargetFramework, HTTP: facts.HTTP, NeedPackages: dedupe(needs),
	})
	if err != nil {
		return nil, err
	}
	if err := res.mergeXML(p.File, display(p.File), projSrc, cres.Project, cres.ProjectFindings, opt, addFindings); err != nil {
		return nil, err
	}
	if centralDoc != nil {
		if err := res.mergeXML(p.CentralProps, display(p.CentralProps), centralSrc, cres.Central, cres.CentralFindings, opt, addFindings); err != nil {
			return nil, err
		}
		// Carry the shared file's new content forward instead of listing a
		// second change against the same baseline.
		for i, c := range res.Changes {
			if c.Abs != p.CentralProps {
				continue
			}
			if sf, ok := shared[c.Abs]; ok {
				sf.change().New = c.New
				res.Changes = append(res.Changes[:i], res.Changes[i+1:]...)
			} else {
				shared[c.Abs] = &sharedFile{res: res, abs: c.Abs}
			}
			break
		}
	}

	// Settings files.
	for _, sf := range []struct {
		abs     string
		migrate func(string, []byte) ([]edit.Edit, []report.Finding, error)
	}{{p.LocalSettings, settings.MigrateLocalSettings}, {p.HostJSON, settings.MigrateHostJSON}} {
		if sf.abs == "" {
			continue
		}
		// A settings file funcmigrate cannot read is reported and left
		// alone; the rest of the project is still migrated.
		src, err := readText(sf.abs)
		if err == nil {
			var edits []edit.Edit
			var fs []report.Finding
			if edits, fs, err = sf.migrate(sf.abs, src); err == nil {
				err = res.mergeSettings(sf.abs, display(sf.abs), src, edits, fs, addFindings)
			}
		}
		if err != nil {
			var ie *InputError
			if !errors.As(err, &ie) {
				err = &InputError{File: sf.abs, Err: err}
			}
			addFindings([]report.Finding{inputFinding(opt.Base, sf.abs, err,
				"fix the file by hand (the Functions host accepts comments and trailing commas, nothing else), then make the change funcmigrate would have made: "+settingsChange(sf.abs))})
		}
	}
	if p.LocalSettings == "" {
		addFindings([]report.Finding{{Rule: "settings-worker-runtime", Path: display(filepath.Join(p.Dir, "local.settings.json")),
			Message: "no local.settings.json next to the project (it is often git-ignored)",
			Action:  `set "FUNCTIONS_WORKER_RUNTIME": "dotnet-isolated" in every local.settings.json and sample settings file`, Ref: "MAPPING.md §6.1"}})
	}

	// Program.cs, the isolated entry point.
	if program != nil {
		addFindings(program.findings)
		if program.change.Abs != "" {
			res.Changes = append(res.Changes, program.change)
		}
	}
	addFindings([]report.Finding{{Rule: RuleRollout, Path: projDisplay,
		Message: "the app in Azure still runs the in-process host until its settings change together with this code",
		Action: "set FUNCTIONS_WORKER_RUNTIME=dotnet-isolated (not as a slot setting), remove FUNCTIONS_INPROC_NET8_ENABLED and set the .NET stack to " +
			strings.TrimPrefix(opt.TargetFramework, "net") + " isolated on a staging slot, deploy there, verify, then swap",
		Ref: "MAPPING.md §6.3", URL: "https://learn.microsoft.com/azure/azure-functions/migrate-dotnet-to-isolated-model"}})

	sort.Slice(res.Changes, func(i, j int) bool { return res.Changes[i].Path < res.Changes[j].Path })
	sortFindings(res.Findings)
	return res, nil
}

// sortFindings orders findings by file, then line, keeping the rules'
// order within a line.
func sortFindings(fs []report.Finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		if fs[i].Path != fs[j].Path {
			return fs[i].Path < fs[j].Path
		}
		return fs[i].Line < fs[j].Line
	})
}

// migrateFile runs the C# rules over one file and merges their fixes.
// moved is what the Startup move does to the file, or nil.
// The migrated content's tree comes back when the merge parsed it to
// validate it, else nil; the caller closes it.
func migrateFile(f *cs.File, m *cs.Model, facts *Facts, opt Options, moved *startup.FileChange) (out []byte, findings []report.Finding, needs []string, migrated *cs.File, err error) {
	var fixes []Fix
	if moved != nil && len(moved.Edits) > 0 {
		fixes = append(fixes, Fix{Rule: startup.Rule, Message: "move the Startup class into Program.cs", Edits: moved.Edits})
	}
	for _, r := range opt.Rules {
		pass := &Pass{Rule: r, File: f, Model: m, Facts: facts}
		r.Run(pass)
		for _, fx := range pass.fixes {
			if moved == nil || !touchesRanges(fx.Edits, moved.Removed) {
				fixes = append(fixes, fx)
			}
		}
		for _, fd := range pass.findings {
			// Code that moved to Program.cs is judged there.
			if moved == nil || !inRanges(fd.Offset, moved.Removed) {
				findings = append(findings, fd)
			}
		}
		needs = append(needs, pass.needs...)
	}
	if moved != nil {
		findings = append(findings, moved.Findings...)
	}
	errs := f.Errors()
	findings = append(findings, syntaxErrorFinding(f, errs)...)
	if len(fixes) == 0 && !(opt.TODOComments && anyMarker(findings)) {
		return f.Src, withPathLines(findings, f), needs, nil, nil
	}
	check := &csharpCheck{orig: f, errs: errs}
	fm := &fileMerge{path: f.Path, src: f.Src, fixes: fixes, findings: findings,
		style: &csharpComment, markers: opt.TODOComments, errors: errs,
		valid: check.valid, neutralMarkers: len(errs) == 0, literalStart: csharpLiteralStart(f)}
	out, findings, err = fm.merge()
	migrated = check.take(out)
	if err != nil {
		migrated.Close()
		return nil, nil, nil, nil, err
	}
	return out, findings, needs, migrated, nil
}

// A source is one C# file of a project on its way through the migration.
type source struct {
	abs string
	parsedFile
	err error // reading or parsing it failed; an *InputError is reported, not fatal

	// The summary the project-wide facts need, taken at load.
	http    bool       // a function with an HTTP trigger
	bound   *BoundFile // for BoundTypes
	startup bool       // startup.Mentions: the Startup plan may read it

	moved    *startup.FileChange // what the Startup move does to it
	out      []byte
	findings []report.Finding
	needs    []string
	migrated *cs.File // out parsed, when the merge did
	sides    [2]*funcSide
	declares bool // may declare part of a function class (markDeclarers)
}

// markDeclarers marks the sources whose declarations the dependents' index
// can use: a function attribute needs the word Function, and a class
// without one counts only as part of a class of that name that has one
// (partial, or same-named, as the index merges by name). The others, most
// of an app's code, are not walked again.
func markDeclarers(sources []*source) {
	word := []byte("Function")
	fnTypes := map[string]bool{}
	for _, s := range sources {
		if s.declares = bytes.Contains(s.src, word); s.declares {
			for _, d := range s.bound.decls {
				fnTypes[d.name] = true
			}
		}
	}
	for _, s := range sources {
		for _, d := range s.bound.decls {
			s.declares = s.declares || fnTypes[d.name]
		}
	}
}

// treeBudget bounds the C# source bytes whose trees wait, parsed, for the
// rules, across every project being migrated: a tree takes about 40 times
// its source in C memory. Past it a file is parsed twice, once for the
// project's facts and once for the rules, so a 10,000-file project costs
// time, not memory. Small and medium apps fit whole.
var treeBudget atomic.Int64

const treeBudgetBytes = 4 << 20

func init() { treeBudget.Store(treeBudgetBytes) }

// load reads, parses, analyzes and summarizes the file, and keeps its tree
// if the budget allows.
func (s *source) load(abs string, display func(string) string) {
	s.abs, s.path = abs, display(abs)
	if s.src, s.err = readText(abs); s.err != nil {
		return
	}
	s.startup = startup.Mentions(s.src)
	if s.err = s.open(); s.err != nil {
		return
	}
	for _, a := range s.model.Attributes {
		if a.Name == "HttpTrigger" && a.Param != nil {
			s.http = true
		}
	}
	s.bound = BindingsOf(s.model)
	s.keepOrClose()
}

// close releases the file's trees and its share of the budget.
func (s *source) close() {
	s.parsedFile.close()
	s.migrated.Close()
	s.migrated = nil
}

// A parsedFile is a C# file's content and, while open, its tree and model.
type parsedFile struct {
	path  string // display path
	src   []byte
	file  *cs.File
	model *cs.Model
	held  int64 // what the open tree holds of treeBudget
}

// open parses the file unless its tree is open.
func (p *parsedFile) open() error {
	if p.file != nil {
		return nil
	}
	f, err := cs.Parse(p.path, p.src)
	if err != nil {
		return err
	}
	p.file, p.model = f, cs.Analyze(f)
	return nil
}

// keepOrClose keeps the open tree for later if treeBudget allows, and
// closes it otherwise.
func (p *parsedFile) keepOrClose() {
	if treeBudget.Add(-int64(len(p.src))) >= 0 {
		p.held = int64(len(p.src))
		return
	}
	treeBudget.Add(int64(len(p.src)))
	p.close()
}

// close releases the tree and its share of the budget.
func (p *parsedFile) close() {
	p.file.Close()
	p.file, p.model = nil, nil
	treeBudget.Add(p.held)
	p.held = 0
}

// syntaxErrorFinding reports a file's syntax errors once, at the first,
// with the lines of the others (the parser's recovery often splits one
// mistake into several nodes). No edit touches an error, so code next to
// them may still be in-process.
func syntaxErrorFinding(f *cs.File, errs []cs.ErrorRange) []report.Finding {
	if len(errs) == 0 {
		return nil
	}
	msg := "syntax error: the C# parser cannot read this code, so nothing here was migrated"
	var lines []string
	last := f.Line(errs[0].Start)
	for _, e := range errs[1:] {
		if l := f.Line(e.Start); l != last {
			last = l
			lines = append(lines, strconv.Itoa(l))
		}
	}
	if len(lines) > 10 {
		lines = append(lines[:10], "…")
	}
	if len(lines) > 0 {
		msg += " (more errors at lines " + strings.Join(lines, ", ") + ")"
	}
	return []report.Finding{{Rule: ruleSource, Offset: errs[0].Start, Message: msg,
		Action: "fix the syntax error, then migrate the code around it by hand (funcmigrate skips the project once its project file is migrated)",
		Ref:    "MAPPING.md §9"}}
}

// MigrateSource migrates one C# file on its own, as Migrate does for each
// file of a project; facts stand in for what the project would tell.
func MigrateSource(path string, src []byte, facts Facts, opt Options) ([]byte, []report.Finding, error) {
	f, err := cs.Parse(path, src)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	out, fs, _, migrated, err := migrateFile(f, cs.Analyze(f), &facts, opt, nil)
	migrated.Close()
	sortFindings(fs)
	return out, fs, err
}

func anyMarker(fs []report.Finding) bool {
	for _, f := range fs {
		if f.Marker {
			return true
		}
	}
	return false
}

// withPathLines fills Path and Line for findings of an unchanged file.
func withPathLines(fs []report.Finding, f *cs.File) []report.Finding {
	for i := range fs {
		fs[i].Path = f.Path
		fs[i].Line = f.Line(fs[i].Offset)
	}
	return fs
}

func dedupe(ss []string) []string {
	ss = slices.Clone(ss)
	slices.Sort(ss)
	return slices.Compact(ss)
}

func (r *Result) addChange(abs, display string, old, new []byte) {
	if bytes.Equal(old, new) {
		return
	}
	mode := fs.FileMode(0o644)
	if fi, err := os.Stat(abs); err == nil {
		mode = fi.Mode().Perm()
	}
	r.Changes = append(r.Changes, FileChange{Path: display, Abs: abs, Old: old, New: new, Mode: mode})
}

// mergeSettings applies a settings file's edits.
func (r *Result) mergeSettings(abs, display string, src []byte, edits []edit.Edit, findings []report.Finding, add func([]report.Finding)) error {
	var fixes []Fix
	if len(edits) > 0 {
		fixes = []Fix{{Rule: "settings", Message: "update " + filepath.Base(abs), Edits: edits}}
	}
	fm := &fileMerge{path: display, src: src, fixes: fixes, findings: findings}
	out, fs, err := fm.merge()
	if err != nil {
		return err
	}
	add(fs)
	r.addChange(abs, display, src, out)
	return nil
}

// settingsChange says what migrating a settings file does (MAPPING.md §6).
func settingsChange(abs string) string {
	if filepath.Base(abs) == "host.json" {
		return "review its logging section, which now governs only the host's own logs (MAPPING.md §6.2)"
	}
	return `set "FUNCTIONS_WORKER_RUNTIME": "dotnet-isolated" under "Values" and remove FUNCTIONS_INPROC_NET8_ENABLED (MAPPING.md §6.1)`
}

// mergeXML applies project-file edits with markers and re-parses the result.
func (r *Result) mergeXML(abs, display string, src []byte, edits []edit.Edit, findings []report.Finding, opt Options, add func([]report.Finding)) error {
	var fixes []Fix
	if len(edits) > 0 {
		fixes = []Fix{{Rule: "csproj", Message: "migrate " + filepath.Base(abs), Edits: edits}}
	}
	fm := &fileMerge{path: display, src: src, fixes: fixes, findings: findings, style: &xmlComment, markers: opt.TODOComments,
		valid: func(out []byte, _ []edit.Edit) error { _, err := csproj.Parse(display, out); return err }}
	out, fs, err := fm.merge()
	if err != nil {
		return err
	}
	add(fs)
	r.addChange(abs, display, src, out)
	return nil
}

// isEntryPoint reports whether a source file already holds the app's entry
// point (a worker Program.cs from an earlier run, or a Main method).
func isEntryPoint(src []byte) bool {
	for _, marker := range []string{"ConfigureFunctionsWorkerDefaults", "ConfigureFunctionsWebApplication", "FunctionsApplication.CreateBuilder", "static void Main(", "static async Task Main(", "static int Main("} {
		if bytes.Contains(src, []byte(marker)) {
			return true
		}
	}
	return false
}

// sourceStyle counts the line endings and BOMs of a project's C# files, so
// a generated file can follow the majority.
type sourceStyle struct{ n, crlf, boms int }

// A generatedProgram is the new Program.cs and the findings about it.
type generatedProgram struct {
	change   FileChange
	findings []report.Finding
}

// buildProgram plans the Startup move and renders Program.cs. It returns a
// nil program when the project already has an entry point or a file in the
// way; then nothing moves and findings say why.
//
// sources are the files the plan may concern (startup.Mentions, Named);
// indent is the indentation most of the project's files use.
func buildProgram(p *Project, doc *csproj.Doc, facts *Facts, opt Options, sources []startup.Source, indent string, entry string, style sourceStyle, display func(string) string) (*startup.Plan, *generatedProgram, error) {
	form := startup.ApplicationBuilder
	if facts.NetFramework || opt.HostBuilder {
		form = startup.HostBuilder
	}
	build := func(entry string) *startup.Plan {
		plan := startup.Build(sources, form, entry)
		plan.Indent = indent
		return plan
	}
	path := filepath.Join(p.Dir, "Program.cs")
	if entry != "" {
		plan := build(display(entry))
		src, _ := os.ReadFile(entry)
		if !bytes.Contains(src, []byte("ConfigureFunctions")) && !bytes.Contains(src, []byte("FunctionsApplication")) {
			return plan, &generatedProgram{findings: []report.Finding{{Rule: ruleProgram, Path: display(entry),
				Message: "the project already has an entry point, so no Program.cs was generated",
				Action:  "make it build the worker host: FunctionsApplication.CreateBuilder(args), ConfigureFunctionsWebApplication (HTTP) and Build().Run()", Ref: "MAPPING.md §5.2"}}}, nil
		}
		return plan, nil, nil
	}
	if _, err := os.Lstat(path); err == nil {
		plan := build(display(path))
		return plan, &generatedProgram{findings: []report.Finding{{Rule: ruleProgram, Path: display(path),
			Message: "Program.cs exists but is not compiled by the project, so it was left alone",
			Action:  "write the worker entry point by hand (MAPPING.md §5.2)", Ref: "MAPPING.md §5.2"}}}, nil
	}
	ns := ""
	for _, name := range []string{"RootNamespace", "AssemblyName"} {
		if v, ok := doc.Property(name); ok && strings.TrimSpace(v.Value) != "" && !strings.Contains(v.Value, "$(") {
			ns = strings.TrimSpace(v.Value)
			break
		}
	}
	if ns == "" {
		ns = strings.TrimSuffix(filepath.Base(p.File), filepath.Ext(p.File))
	}
	tform := templates.FormApplicationBuilder
	switch {
	case facts.NetFramework:
		tform = templates.FormNetFramework
	case opt.HostBuilder:
		tform = templates.FormHostBuilder
	}
	// The new file follows the project's majority style.
	eol, bom := doc.EOL, false
	if style.n > 0 {
		eol, bom = "\n", style.boms*2 > style.n
		if style.crlf*2 > style.n {
			eol = "\r\n"
		}
	}
	render := func(plan *startup.Plan) ([]byte, error) {
		out, err := templates.Program{Form: tform, Namespace: ns, ASPNetCore: facts.HTTP && !facts.NetFramework, AppInsights: true, EOL: eol,
			Usings: plan.Usings, Locals: plan.Locals, Config: plan.Config, Services: plan.Services, Functions: plan.Functions}.Render()
		if err != nil {
			return nil, fmt.Errorf("%s: generating Program.cs: %v", p.File, err)
		}
		return out, nil
	}
	plan := build("")
	out, err := render(plan)
	if err == nil {
		err = checkCSharp(display(path), out)
	}
	if err != nil && len(plan.Moved) > 0 {
		// The moved code does not fit: generate the plain Program.cs and
		// leave the Startup classes in place with a finding.
		plan = plan.Abandon(err.Error())
		out, err = render(plan)
	}
	if err != nil {
		return nil, nil, err
	}
	out, located := plan.Locate(plan.Reindent(out))
	fm := &fileMerge{path: display(path), src: out, findings: located, style: &csharpComment, markers: opt.TODOComments}
	out, fs, err := fm.merge()
	if err != nil {
		return nil, nil, err
	}
	if bom {
		out = append([]byte("\xef\xbb\xbf"), out...)
	}
	return plan, &generatedProgram{change: FileChange{Path: display(path), Abs: path, New: out, Created: true, Mode: 0o644}, findings: fs}, nil
}

// addDeletion records a file that the migration removes.
func (r *Result) addDeletion(abs, display string, old []byte) {
	mode := fs.FileMode(0o644)
	if fi, err := os.Stat(abs); err == nil {
		mode = fi.Mode().Perm()
	}
	r.Changes = append(r.Changes, FileChange{Path: display, Abs: abs, Old: old, Deleted: true, Mode: mode})
}

// touchesRanges reports whether an edit overlaps one of the ranges.
func touchesRanges(edits []edit.Edit, ranges [][2]int) bool {
	for _, e := range edits {
		for _, r := range ranges {
			if e.Start < r[1] && e.End > r[0] || (e.Start == e.End && e.Start > r[0] && e.Start < r[1]) {
				return true
			}
		}
	}
	return false
}

func inRanges(off int, ranges [][2]int) bool {
	for _, r := range ranges {
		if off >= r[0] && off < r[1] {
			return true
		}
	}
	return false
}
