package csproj

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/funcmigrate/funcmigrate/rewrite/edit"
	"github.com/funcmigrate/funcmigrate/rewrite/report"
)

// DefaultTargetFramework is the target when Options.TargetFramework is
// empty: .NET 10, LTS until Nov 2028 (DESIGN.md, Target state).
const DefaultTargetFramework = "net10.0"

// Options are the facts Migrate cannot read from the project file.
type Options struct {
	// TargetFramework is "net10.0" (the default when empty), "net9.0",
	// "net8.0" or "net48".
	TargetFramework string
	// HTTP is set when the app has HTTP-triggered functions. It decides
	// whether the HTTP extension is added (Http.AspNetCore, or
	// Extensions.Http on net48). A reference to
	// Microsoft.Azure.WebJobs.Extensions.Http implies it.
	HTTP bool
	// NeedPackages are isolated package ids the C# code needs, inferred from
	// attribute usage (Timer, Warmup, Storage.Queues, Tables, ...): the
	// in-process SDK brought some of them implicitly (MAPPING.md §1.1). Each
	// must be a package packages.json has a version for.
	NeedPackages []string
}

// Result is what Migrate plans: edits against the original bytes of each
// file and findings whose Offset refers to that same file. Slices are nil
// when there is nothing to report.
type Result struct {
	Project         []edit.Edit      // edits to the project file
	Central         []edit.Edit      // edits to Directory.Packages.props; nil without central package management
	ProjectFindings []report.Finding // Offset is a byte offset in the project file
	CentralFindings []report.Finding // Offset is a byte offset in Directory.Packages.props
}

// ErrNotInProcess is returned (wrapped) by Migrate for projects that are
// not in-process Functions apps: Logic Apps Standard projects and projects
// that do not reference Microsoft.NET.Sdk.Functions.
var ErrNotInProcess = errors.New("not an in-process Azure Functions project")

// Migrate plans the project-file half of the migration (MAPPING.md §1–§2):
// in-process package references are replaced by isolated ones, properties
// and items are brought to the isolated shape (projects from the Functions
// 1.x–3.x era included: a .NET Framework or .NET Standard target is
// replaced, AzureFunctionsVersion becomes v4, and framework <Reference>
// items that .NET already provides go on .NET targets), and whatever cannot be
// migrated safely is left in place with a finding that asks for a TODO
// marker. central is the Directory.Packages.props in force when central
// package management is on, else nil; then versions go there and project
// references are version-less.
//
// An already isolated project yields an empty Result, and so does running
// Migrate on its own output: the plan is idempotent. Edits from several
// projects that share one Directory.Packages.props must be merged by the
// caller.
func Migrate(proj, central *Doc, opt Options) (Result, error) {
	tfm := opt.TargetFramework
	if tfm == "" {
		tfm = DefaultTargetFramework
	}
	tgt, ok := data.target(tfm)
	if !ok {
		return Result{}, fmt.Errorf("unknown target framework %q; choose one of %s", tfm, data.targetNames())
	}
	switch k := proj.Kind(); k {
	case Isolated:
		return Result{}, nil
	case InProcess:
	default:
		return Result{}, fmt.Errorf("%s: %w (it is classified %s)", proj.Path, ErrNotInProcess, k)
	}
	return plan(proj, central, tgt, opt)
}

// planner holds the state of one plan. Removals are decided first, so that
// insertions never anchor on an element that is going away.
type planner struct {
	d, c *Doc
	tgt  target
	opt  Options
	cpm  bool

	removed   map[*Element]bool // project elements to delete
	receivers map[*Element]bool // groups that get new children: never deleted as empty
	edits     []edit.Edit       // project edits other than deletions
	central   []edit.Edit
	newGroups []Node // groups to add before </Project>, in order
	findings  []report.Finding
	cfindings []report.Finding

	removedIDs map[string]bool // lower-case ids of removed in-process packages

	// from is the unconditional TargetFramework the project had, "" when
	// it multi-targets, sets none, or computes it. It tells the Functions
	// host version of projects without AzureFunctionsVersion.
	from string
}

// plan migrates d without checking its Kind; Migrate gates it. Tests call it
// on migrated output to check idempotence.
func plan(d, c *Doc, tgt target, opt Options) (Result, error) {
	if !d.Root.Is("Project") {
		return Result{}, d.errorf(d.Root.Start, "root element is <%s>, not <Project>", d.Root.Name)
	}
	if c != nil && !c.Root.Is("Project") {
		return Result{}, c.errorf(c.Root.Start, "root element is <%s>, not <Project>", c.Root.Name)
	}
	if c == nil {
		if pr, ok := d.Property("ManagePackageVersionsCentrally"); ok && strings.EqualFold(pr.Value, "true") {
			return Result{}, d.errorf(pr.El.Start, "ManagePackageVersionsCentrally is true but no Directory.Packages.props was given")
		}
	}
	p := &planner{
		d: d, c: c, tgt: tgt, opt: opt, cpm: c != nil,
		removed:    map[*Element]bool{},
		receivers:  map[*Element]bool{},
		removedIDs: map[string]bool{},
	}
	// Phase 1: decide what goes.
	refs := d.PackageReferences()
	for _, r := range refs {
		if rule, ok := data.inprocess(r.ID); ok && rule.Action == actReplace {
			p.removed[r.El] = true
			p.removedIDs[strings.ToLower(r.ID)] = true
		}
	}
	for _, name := range data.ObsoleteProperties {
		for _, pr := range d.Properties(name) {
			p.removed[pr.El] = true
		}
	}
	for _, name := range data.ObsoleteItems {
		for _, it := range d.Items(name) {
			p.removed[it.El] = true
		}
	}
	if pr, ok := d.Property("TargetFramework"); ok && pr.Condition == "" && !strings.Contains(pr.Value, "$(") && len(d.Properties("TargetFrameworks")) == 0 {
		p.from = pr.Value
	}
	p.frameworkReferences()
	// Phase 2: what comes in.
	if err := p.packages(refs); err != nil {
		return Result{}, err
	}
	p.properties()
	p.items()
	return p.finish()
}

// packages replaces in-process references with isolated ones (MAPPING.md
// §1.4, §1.5, §2) and, under central package management, adds the versions
// to Directory.Packages.props.
func (p *planner) packages(refs []PackageRef) error {
	d := p.d
	present := map[string]PackageRef{} // lower id -> reference that stays
	origin := map[string]*Element{}    // lower id -> in-process reference that asked for it
	var adds []string
	add := func(id string, from *Element) {
		k := strings.ToLower(id)
		if _, dup := origin[k]; dup {
			return
		}
		adds = append(adds, id)
		origin[k] = from
	}
	wantHTTP := p.opt.HTTP
	var httpFrom, firstRemoved *Element
	for _, r := range refs {
		rule, ok := data.inprocess(r.ID)
		switch {
		case !ok || rule.Action == actLeave:
			if !r.Update {
				present[strings.ToLower(r.ID)] = r
			}
		case rule.Action == actKeep:
			f := rule.Finding.expand(r.ID)
			p.findings = append(p.findings, report.Finding{
				Rule: f.Rule, Message: f.Message, Action: f.Action, URL: f.URL, Ref: rule.Ref,
				Offset: r.El.Start, Marker: true,
			})
			if !r.Update {
				present[strings.ToLower(r.ID)] = r
			}
		case rule.Action == actReplace:
			// An Update= item only sets metadata of a reference made
			// elsewhere; it goes, but does not ask for replacements.
			if r.Update {
				break
			}
			if firstRemoved == nil && r.Condition == "" {
				firstRemoved = r.El
			}
			if strings.EqualFold(r.ID, pkgSdkFunctions) && isNetFramework(p.from) {
				p.findings = append(p.findings, implicitDependencies(r))
			}
			for _, a := range rule.Add {
				add(a, r.El)
			}
			if rule.HTTP && !wantHTTP {
				wantHTTP, httpFrom = true, r.El
			}
		}
	}
	for _, id := range data.Always {
		add(id, nil)
	}
	if wantHTTP {
		id := data.HTTP.Default
		if p.tgt.NetFx {
			id = data.HTTP.NetFx
		}
		add(id, httpFrom)
	}
	for _, id := range p.opt.NeedPackages {
		if _, ok := data.isolated(id); !ok {
			return fmt.Errorf("%s: Options.NeedPackages names %q, which packages.json has no version for", d.Path, id)
		}
		add(id, nil)
	}
	adds = slices.DeleteFunc(adds, func(id string) bool {
		_, ok := present[strings.ToLower(id)]
		return ok
	})
	data.sortIsolated(adds)

	// Where the new references go: in place of the first in-process one,
	// else after the references that stay, else in a new ItemGroup.
	var block []Node
	// The Web SDK references ASP.NET Core implicitly; a second reference
	// would only draw warning NETSDK1086.
	webSdk := strings.Contains(strings.ToLower(d.Root.attrValue("Sdk")), "microsoft.net.sdk.web")
	if !p.tgt.NetFx && !webSdk && !p.hasItem("FrameworkReference", "Microsoft.AspNetCore.App") {
		block = append(block, Node{Name: "FrameworkReference", Attrs: []NodeAttr{{"Include", "Microsoft.AspNetCore.App"}}})
	}
	for _, id := range adds {
		pkg, _ := data.isolated(id)
		n := Node{Name: "PackageReference", Attrs: []NodeAttr{{"Include", pkg.ID}}}
		if !p.cpm {
			n.Attrs = append(n.Attrs, NodeAttr{"Version", pkg.Version})
		}
		block = append(block, n)
	}
	anchor := d.Root.EndTagStart
	if len(block) > 0 {
		switch after := p.lastKeptReference(); {
		case firstRemoved != nil:
			anchor = firstRemoved.Start
			p.receivers[firstRemoved.Parent] = true
			p.edits = append(p.edits, d.InsertBefore(firstRemoved, block...)...)
		case after != nil:
			anchor = after.Start
			p.receivers[after.Parent] = true
			p.edits = append(p.edits, d.InsertAfter(after, block...)...)
		default:
			p.newGroups = append(p.newGroups, Node{Name: "ItemGroup", Children: block})
		}
	}
	for _, id := range adds {
		pkg, _ := data.isolated(id)
		if pkg.Verify == "" {
			continue
		}
		off := anchor
		if from := origin[strings.ToLower(id)]; from != nil {
			off = from.Start
		}
		p.findings = append(p.findings, report.Finding{
			Rule:    "csproj-verify-version",
			Message: fmt.Sprintf("%s %s %s", pkg.ID, pkg.Version, pkg.Verify),
			Action:  "Check the current version on nuget.org and raise it if a newer one is listed",
			Ref:     pkg.Ref,
			URL:     "https://www.nuget.org/packages/" + pkg.ID,
			Offset:  off,
		})
	}

	if !p.cpm {
		for _, r := range refs {
			if kept, ok := present[strings.ToLower(r.ID)]; ok && kept.El == r.El {
				p.raise(d, r, &p.edits, &p.findings)
			}
		}
		return nil
	}
	return p.centralVersions(adds, present)
}

// lastKeptReference returns the last PackageReference that stays in the
// first unconditional ItemGroup holding one, or nil.
func (p *planner) lastKeptReference() *Element {
	for _, r := range p.d.PackageReferences() {
		g := r.El.Parent
		if p.removed[r.El] || r.Update || g.Parent != p.d.Root || g.attrValue("Condition") != "" {
			continue
		}
		var last *Element
		for _, c := range g.Children {
			if c.Is("PackageReference") && !p.removed[c] {
				last = c
			}
		}
		return last
	}
	return nil
}

// centralVersions adds a PackageVersion for every new package that
// Directory.Packages.props lacks, raises Worker versions below the minimum,
// and marks the entries of packages this project no longer uses.
func (p *planner) centralVersions(adds []string, present map[string]PackageRef) error {
	c := p.c
	pvs := c.PackageVersions()
	have := map[string]PackageRef{}
	for _, pv := range pvs {
		if !pv.Update {
			have[strings.ToLower(pv.ID)] = pv
		}
	}
	var nodes []Node
	for _, id := range adds {
		if _, ok := have[strings.ToLower(id)]; ok {
			continue
		}
		pkg, _ := data.isolated(id)
		nodes = append(nodes, Node{Name: "PackageVersion", Attrs: []NodeAttr{{"Include", pkg.ID}, {"Version", pkg.Version}}})
	}
	// Raise the versions this project uses, new references and kept ones.
	for _, pv := range pvs {
		k := strings.ToLower(pv.ID)
		_, kept := present[k]
		if !pv.Update && (kept || slices.ContainsFunc(adds, func(a string) bool { return strings.EqualFold(a, pv.ID) })) {
			p.raise(c, pv, &p.central, &p.cfindings)
		}
	}
	var after *Element
	for _, pv := range pvs {
		k := strings.ToLower(pv.ID)
		if p.removedIDs[k] && !pv.Update {
			p.cfindings = append(p.cfindings, report.Finding{
				Rule:    "csproj-central-leftover",
				Message: fmt.Sprintf("%s is an in-process package %s no longer references; other projects may still use this PackageVersion", pv.ID, baseName(p.d.Path)),
				Action:  fmt.Sprintf("Remove this PackageVersion once no project in the repository references %s", pv.ID),
				Ref:     "MAPPING.md §1.4, §1.5",
				Offset:  pv.El.Start,
				Marker:  true,
			})
			if after == nil && pv.Condition == "" {
				after = pv.El
			}
		}
	}
	if after == nil {
		for _, pv := range pvs {
			if pv.Condition == "" {
				after = pv.El
				break
			}
		}
	}
	if len(nodes) == 0 {
		return nil
	}
	if after == nil {
		p.central = append(p.central, c.AddItemGroups(Node{Name: "ItemGroup", Children: nodes})...)
		return nil
	}
	kids := after.Parent.Children
	p.central = append(p.central, c.InsertAfter(kids[len(kids)-1], nodes...)...)
	return nil
}

// raise lifts r's version to the catalog version when it is below the
// minimum the target needs (Worker and Worker.Sdk 2.x for net9.0/net10.0,
// MAPPING.md §1.5). Versions written as ranges or properties are left alone.
func (p *planner) raise(doc *Doc, r PackageRef, edits *[]edit.Edit, findings *[]report.Finding) {
	pkg, ok := data.isolated(r.ID)
	if !ok || pkg.Minimum == nil || !slices.Contains(pkg.Minimum.Targets, p.tgt.TFM) || !validVersion(r.Version) {
		return
	}
	if compareVersions(r.Version, pkg.Minimum.Version) >= 0 {
		return
	}
	if r.VersionEl != nil {
		es, err := doc.SetText(r.VersionEl, pkg.Version)
		if err != nil {
			return
		}
		*edits = append(*edits, es...)
	} else {
		*edits = append(*edits, doc.SetAttr(r.El, "Version", pkg.Version)...)
	}
	*findings = append(*findings, report.Finding{
		Rule:    "csproj-version-raised",
		Message: fmt.Sprintf("%s %s is below %s, the minimum for %s; raised to %s", r.ID, r.Version, pkg.Minimum.Version, p.tgt.TFM, pkg.Version),
		Action:  "Review the Worker 2.x behaviour changes (scope validation, user-code exceptions) before deploying",
		Ref:     pkg.Minimum.Ref,
		URL:     "https://learn.microsoft.com/azure/azure-functions/dotnet-isolated-process-guide",
		Offset:  r.El.Start,
	})
}

// properties sets TargetFramework, AzureFunctionsVersion and OutputType
// (MAPPING.md §1.2, §1.6).
func (p *planner) properties() {
	d, tfm := p.d, p.tgt.TFM
	var anchor *Element // unconditional TargetFramework(s): new properties follow it
	findingAt := d.Root.Start
	var newProps []Node

	if tfs := d.Properties("TargetFrameworks"); len(tfs) > 0 {
		for _, pr := range tfs {
			p.findings = append(p.findings, report.Finding{
				Rule:    "csproj-target-frameworks",
				Message: fmt.Sprintf("the project multi-targets (TargetFrameworks %s); funcmigrate only sets a single TargetFramework", pr.Value),
				Action:  fmt.Sprintf("Replace TargetFrameworks with <TargetFramework>%s</TargetFramework>, or list only isolated-capable targets", tfm),
				Ref:     "MAPPING.md §1.2, §1.6",
				Offset:  pr.El.Start,
				Marker:  true,
			})
			if anchor == nil && pr.Condition == "" {
				anchor = pr.El
			}
		}
		findingAt = tfs[0].El.Start
	} else if tfs := d.Properties("TargetFramework"); len(tfs) > 0 {
		findingAt = tfs[0].El.Start
		for _, pr := range tfs {
			switch {
			case pr.Condition != "":
				p.markTFM(pr, fmt.Sprintf("TargetFramework is set under a condition (%s); funcmigrate only changes unconditional values", pr.Condition))
			case strings.Contains(pr.Value, "$("):
				p.markTFM(pr, fmt.Sprintf("TargetFramework is computed (%s); funcmigrate cannot tell what it evaluates to", pr.Value))
			case !strings.EqualFold(pr.Value, tfm):
				p.setText(pr.El, tfm)
			}
			if pr.Condition == "" && anchor == nil {
				anchor = pr.El
			}
		}
	} else {
		newProps = append(newProps, Node{Name: "TargetFramework", Text: tfm})
		p.findings = append(p.findings, report.Finding{
			Rule:    "csproj-target-framework",
			Message: fmt.Sprintf("the project sets no TargetFramework (an imported file may); funcmigrate added %s", tfm),
			Action:  "Check that Directory.Build.props or another import does not set a different TargetFramework",
			Ref:     "MAPPING.md §1.2, §1.6",
			Offset:  d.Root.Start,
		})
	}
	f := p.tgt.Finding
	p.findings = append(p.findings, report.Finding{Rule: f.Rule, Message: f.Message, Action: f.Action, URL: f.URL, Ref: p.tgt.Ref, Offset: findingAt})

	afvs := d.Properties("AzureFunctionsVersion")
	for _, pr := range afvs {
		if strings.EqualFold(pr.Value, "v4") || strings.Contains(pr.Value, "$(") {
			continue
		}
		p.setText(pr.El, "v4")
		host := "" // 2.x or 3.x: the v3 to v4 guide applies
		if strings.EqualFold(pr.Value, "v1") {
			host = "1.x"
		}
		p.findings = append(p.findings, hostVersionFinding(
			fmt.Sprintf("AzureFunctionsVersion was %q; the isolated worker on these targets runs on Functions v4 only", pr.Value),
			host, pr.El.Start))
	}
	if len(afvs) == 0 {
		newProps = append(newProps, Node{Name: "AzureFunctionsVersion", Text: "v4"})
		if host := legacyHost(p.from); host != "" {
			p.findings = append(p.findings, hostVersionFinding(
				fmt.Sprintf("AzureFunctionsVersion is not set and TargetFramework %s means Functions %s; the isolated worker on these targets runs on Functions v4 only, so funcmigrate set v4", p.from, host),
				host, findingAt))
		}
	}
	ots := d.Properties("OutputType")
	for _, pr := range ots {
		if !strings.EqualFold(pr.Value, "Exe") && !strings.Contains(pr.Value, "$(") {
			p.setText(pr.El, "Exe")
		}
	}
	if len(ots) == 0 {
		newProps = append(newProps, Node{Name: "OutputType", Text: "Exe"})
	}
	if len(newProps) == 0 {
		return
	}
	if anchor != nil {
		after := anchor
		if len(afvs) > 0 && afvs[0].El.Parent == anchor.Parent && afvs[0].El.Start > anchor.Start {
			after = afvs[0].El
		}
		p.receivers[after.Parent] = true
		p.edits = append(p.edits, d.InsertAfter(after, newProps...)...)
		return
	}
	for _, g := range d.Root.Children {
		if g.Is("PropertyGroup") && g.attrValue("Condition") == "" {
			p.appendTo(g, newProps...)
			return
		}
	}
	p.newGroups = append([]Node{{Name: "PropertyGroup", Children: newProps}}, p.newGroups...)
}

// legacyHost returns the Functions host version ("1.x", "2.x", "3.x") that
// a project without AzureFunctionsVersion ran on, judged by its
// TargetFramework, or "" for v4-era and unknown targets. Microsoft.NET.Sdk.Functions
// 1.x built .NET Framework projects against the WebJobs 2.x SDK of Functions
// 1.x and .NET Standard 2.0 projects against WebJobs 3.x, the SDK of
// Functions 2.x (nuget.org, Microsoft.NET.Sdk.Functions 1.0.x dependency
// groups); netcoreapp2.x was Functions 2.x and netcoreapp3.x Functions 3.x
// (Learn, "Azure Functions runtime versions overview").
func legacyHost(tfm string) string {
	t := strings.ToLower(strings.TrimSpace(tfm))
	switch {
	case isNetFramework(t):
		return "1.x"
	case t == "netstandard2.0" || strings.HasPrefix(t, "netcoreapp2."):
		return "2.x"
	case strings.HasPrefix(t, "netcoreapp3."):
		return "3.x"
	}
	return ""
}

// isNetFramework reports whether tfm is a .NET Framework short name such as
// net461 or net48 (digits only after "net"; net5.0 and later have a dot).
func isNetFramework(tfm string) bool {
	t := strings.ToLower(strings.TrimSpace(tfm))
	if len(t) < 5 || !strings.HasPrefix(t, "net") {
		return false
	}
	for _, c := range t[3:] {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// hostVersionFinding reports that the project ran on an older Functions
// host; what to review depends on how old (Learn: migrate-version-1-version-4,
// migrate-version-3-version-4).
func hostVersionFinding(msg, host string, off int) report.Finding {
	f := report.Finding{
		Rule:    "csproj-functions-version",
		Message: msg,
		Action:  "Set FUNCTIONS_EXTENSION_VERSION to ~4 in the app settings and check host.json for the v4 schema",
		Ref:     "MAPPING.md §1.2",
		URL:     "https://learn.microsoft.com/azure/azure-functions/migrate-version-3-version-4",
		Offset:  off,
	}
	if host == "1.x" {
		f.Action = "Upgrade the app in Azure from ~1 to ~4 (FUNCTIONS_EXTENSION_VERSION) on a staging slot and review the 1.x behaviour changes: " +
			"function keys kept in Azure Files are reset, built-in webhook providers are gone, HTTP concurrency is throttled on Consumption, " +
			"and the App Service plan default timeout becomes 30 minutes"
		f.URL = "https://learn.microsoft.com/azure/azure-functions/migrate-version-1-version-4"
	}
	return f
}

// implicitDependencies reports what Microsoft.NET.Sdk.Functions 1.x brought
// into a .NET Framework build without a reference of its own: the WebJobs
// 2.x SDK (whose storage bindings use WindowsAzure.Storage), Newtonsoft.Json,
// and Microsoft.Azure.WebJobs.Extensions.Http 1.x with its dependency on
// ASP.NET Web API (Microsoft.AspNet.WebApi.Core), where CreateResponse and
// ReadAsAsync for HttpRequestMessage live (nuget.org dependency lists of
// Microsoft.NET.Sdk.Functions 1.0.x and Microsoft.Azure.WebJobs.Extensions.Http 1.2.0).
func implicitDependencies(r PackageRef) report.Finding {
	id := r.ID
	if validVersion(r.Version) {
		id += " " + r.Version
	}
	return report.Finding{
		Rule: "csproj-implicit-dependencies",
		Message: id + " for .NET Framework brought the WebJobs 2.x SDK (with the WindowsAzure.Storage SDK), Newtonsoft.Json and " +
			"ASP.NET Web API (HttpRequestMessage.CreateResponse, ReadAsAsync) into the build implicitly; they go with it",
		Action: "Reference what the code still uses directly (Newtonsoft.Json as a package; Azure.Storage.Blobs, Azure.Storage.Queues or " +
			"Azure.Data.Tables instead of the storage SDK); HttpRequestMessage functions move to HttpRequestData, which has no Web API extensions",
		Ref:    "MAPPING.md §1.1, §1.4, §8 item 16",
		URL:    "https://learn.microsoft.com/azure/azure-functions/migrate-version-1-version-4",
		Offset: r.El.Start,
		// The build of the migrated project shows whether anything still
		// needs them; this says why it fails.
		Severity: report.SeverityNote,
	}
}

// frameworkReferences decides the fate of <Reference> items that name
// .NET Framework assemblies (no HintPath): on net48 they all stay, since
// the SDK references only a few framework assemblies implicitly; on .NET
// targets the ones that are part of the shared framework are redundant and
// go, and the others stay with a finding (packages.json frameworkReferences).
// Conditional items and items with a HintPath (the user's own assemblies)
// are left alone.
func (p *planner) frameworkReferences() {
	if p.tgt.NetFx {
		return
	}
	for _, it := range p.d.Items("Reference") {
		inc := strings.TrimSpace(it.Include)
		if it.Condition != "" || inc == "" || strings.ContainsAny(inc, ";$*") || hasHintPath(it.El) {
			continue
		}
		name, _, _ := strings.Cut(inc, ",")
		name = strings.TrimSpace(name)
		if data.sharedFramework(name) {
			p.removed[it.El] = true
			continue
		}
		p.findings = append(p.findings, report.Finding{
			Rule:    "csproj-framework-reference",
			Message: fmt.Sprintf("Reference %s names a .NET Framework assembly that funcmigrate does not know to be part of .NET; on %s the APIs the code uses from it may be missing", name, p.tgt.TFM),
			Action:  "Build the project; replace what fails with the NuGet package that provides it (System.Configuration.ConfigurationManager, for one) or with settings read through IConfiguration, then remove this Reference",
			Ref:     data.FrameworkRefs.Ref,
			Offset:  it.El.Start,
			Marker:  true,
		})
	}
}

// hasHintPath reports whether a <Reference> points at a file.
func hasHintPath(el *Element) bool {
	if _, ok := el.Attr("HintPath"); ok {
		return true
	}
	return slices.ContainsFunc(el.Children, func(c *Element) bool { return c.Is("HintPath") })
}

// markTFM leaves a TargetFramework for a person.
func (p *planner) markTFM(pr Property, msg string) {
	p.findings = append(p.findings, report.Finding{
		Rule:    "csproj-target-framework",
		Message: msg,
		Action:  fmt.Sprintf("Set this TargetFramework to %s by hand", p.tgt.TFM),
		Ref:     "MAPPING.md §1.2, §1.6",
		Offset:  pr.El.Start,
		Marker:  true,
	})
}

func (p *planner) setText(el *Element, s string) {
	es, err := p.d.SetText(el, s)
	if err != nil {
		// Properties found by Properties are text elements; a property with
		// child elements is left as it is.
		return
	}
	p.edits = append(p.edits, es...)
}

// items adds the host.json and local.settings.json items and the
// ExecutionContext alias (MAPPING.md §1.3).
func (p *planner) items() {
	host := Node{Name: "None", Attrs: []NodeAttr{{"Update", "host.json"}}, Children: []Node{
		{Name: "CopyToOutputDirectory", Text: "PreserveNewest"},
	}}
	settings := Node{Name: "None", Attrs: []NodeAttr{{"Update", "local.settings.json"}}, Children: []Node{
		{Name: "CopyToOutputDirectory", Text: "PreserveNewest"},
		{Name: "CopyToPublishDirectory", Text: "Never"},
	}}
	h, s := p.fileItem("host.json"), p.fileItem("local.settings.json")
	switch {
	case h == nil && s == nil:
		p.newGroups = append(p.newGroups, Node{Name: "ItemGroup", Children: []Node{host, settings}})
	case h == nil:
		p.receivers[s.Parent] = true
		p.edits = append(p.edits, p.d.InsertBefore(s, host)...)
	case s == nil:
		p.receivers[h.Parent] = true
		p.edits = append(p.edits, p.d.InsertAfter(h, settings)...)
	}
	if !p.tgt.NetFx && !p.hasItem("Using", "System.Threading.ExecutionContext") {
		p.newGroups = append(p.newGroups, Node{Name: "ItemGroup", Children: []Node{
			{Name: "Using", Attrs: []NodeAttr{{"Include", "System.Threading.ExecutionContext"}, {"Alias", "ExecutionContext"}}},
		}})
	}
}

// fileItem returns the item that includes or updates file name, or nil.
func (p *planner) fileItem(name string) *Element {
	for _, it := range p.d.Items("") {
		if p.removed[it.El] {
			continue
		}
		if strings.EqualFold(strings.TrimSpace(it.Include), name) || strings.EqualFold(strings.TrimSpace(it.Update), name) {
			return it.El
		}
	}
	return nil
}

// hasItem reports whether an item of the given type includes id.
func (p *planner) hasItem(itemType, id string) bool {
	for _, it := range p.d.Items(itemType) {
		if !p.removed[it.El] && strings.EqualFold(strings.TrimSpace(it.Include), id) {
			return true
		}
	}
	return false
}

// appendTo adds nodes as the last children of group that stay.
func (p *planner) appendTo(group *Element, nodes ...Node) {
	p.receivers[group] = true
	kids := group.Children
	for i := len(kids) - 1; i >= 0; i-- {
		if !p.removed[kids[i]] {
			p.edits = append(p.edits, p.d.InsertAfter(kids[i], nodes...)...)
			return
		}
	}
	if len(kids) > 0 {
		p.edits = append(p.edits, p.d.InsertBefore(kids[0], nodes...)...)
		return
	}
	p.edits = append(p.edits, p.d.AppendChild(group, nodes...)...)
}

// finish turns removals into edits (a group left empty goes whole),
// appends the new groups, checks that the edits apply and re-parse, and
// orders the findings.
func (p *planner) finish() (Result, error) {
	d := p.d
	var edits []edit.Edit
	gone := map[*Element]bool{}
	for _, el := range d.Elements {
		if !p.removed[el] || gone[el.Parent] {
			continue
		}
		if g := el.Parent; g != nil && g.Parent == d.Root && !p.receivers[g] && p.allRemoved(g) {
			gone[g] = true
			edits = append(edits, d.Remove(g)...)
			continue
		}
		edits = append(edits, d.Remove(el)...)
	}
	edits = append(edits, p.edits...)
	if len(p.newGroups) > 0 {
		edits = append(edits, d.AddItemGroups(p.newGroups...)...)
	}
	res := Result{ProjectFindings: p.findings, CentralFindings: p.cfindings}
	var err error
	if res.Project, err = checkEdits(d, edits); err != nil {
		return Result{}, err
	}
	if p.c != nil {
		if res.Central, err = checkEdits(p.c, p.central); err != nil {
			return Result{}, err
		}
	}
	sortFindings(res.ProjectFindings)
	sortFindings(res.CentralFindings)
	if len(res.ProjectFindings) == 0 {
		res.ProjectFindings = nil
	}
	if len(res.CentralFindings) == 0 {
		res.CentralFindings = nil
	}
	return res, nil
}

// allRemoved reports whether every child of g is removed and g holds
// nothing else but whitespace (a comment keeps the group).
func (p *planner) allRemoved(g *Element) bool {
	if len(g.Children) == 0 {
		return false
	}
	last := g.StartTagEnd
	for _, c := range g.Children {
		if !p.removed[c] || !isBlank(p.d.Src[last:c.Start]) {
			return false
		}
		last = c.End
	}
	return isBlank(p.d.Src[last:g.EndTagStart])
}

// checkEdits validates edits against doc and checks that the result is
// still well-formed; a failure is a bug in this package, reported as an
// error that names the file.
func checkEdits(doc *Doc, edits []edit.Edit) ([]edit.Edit, error) {
	if len(edits) == 0 {
		return nil, nil
	}
	es, err := edit.Validate(len(doc.Src), edits)
	if err != nil {
		return nil, fmt.Errorf("%s: csproj produced an invalid plan: %v", doc.Path, err)
	}
	out, err := edit.Apply(doc.Src, es)
	if err != nil {
		return nil, fmt.Errorf("%s: csproj produced an invalid plan: %v", doc.Path, err)
	}
	if _, err := Parse(doc.Path, out); err != nil {
		return nil, fmt.Errorf("csproj produced malformed XML: %v", err)
	}
	return es, nil
}

func sortFindings(fs []report.Finding) {
	slices.SortStableFunc(fs, func(a, b report.Finding) int {
		return cmp.Or(cmp.Compare(a.Offset, b.Offset), strings.Compare(a.Rule, b.Rule))
	})
}

// baseName returns the last element of a slash- or backslash-separated path.
func baseName(path string) string {
	if i := strings.LastIndexAny(path, `/\`); i >= 0 {
		return path[i+1:]
	}
	return path
}
