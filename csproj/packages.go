package csproj

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// packages.json holds the package map and versions (MAPPING.md §1.2, §1.4,
// §1.5, §2, §10). Its format:
//
//	isolated[]           one row per isolated package funcmigrate can emit:
//	  id, version, ref     the package, the version to emit, the MAPPING.md section
//	  group                "core", "extension", "telemetry" or "library" (a
//	                       plain NuGet library the code needs): decides the
//	                       order of new references
//	  verify               set when MAPPING.md says to confirm the number; becomes a finding
//	  minimum              {version, targets, ref}: existing references below version are raised
//	always[]             isolated ids every migrated app references
//	http                 {default, netfx}: the HTTP extension for .NET and for .NET Framework
//	obsoleteProperties[] properties to delete; obsoleteItems[]: item types to delete
//	frameworkReferences  {sharedFramework[], ref, note}: simple names of .NET Framework
//	                     assemblies that are part of the .NET shared framework; on .NET
//	                     targets a <Reference> to one of them (no HintPath) is removed
//	targets[]            one row per supported target framework: tfm, netfx, finding
//	inprocess[]          one row per in-process package rule, matched by exact id, else by
//	                     the longest prefix:
//	  action               "replace": remove the reference and add `add` (and the HTTP
//	                       extension when http is true); "keep": leave it with a TODO
//	                       marker and `finding`; "leave": leave it silently
//	  finding              {rule, message, action, url}; {id} in the text is the package id,
//	                       {suggest} the id with the WebJobs prefix swapped for the worker one
//
//go:embed packages.json
var packagesJSON []byte

// catalog is the decoded packages.json.
type catalog struct {
	About              string        `json:"about"`
	Isolated           []isolatedPkg `json:"isolated"`
	Always             []string      `json:"always"`
	AlwaysRef          string        `json:"alwaysRef"`
	HTTP               httpPkgs      `json:"http"`
	ObsoleteProperties []string      `json:"obsoleteProperties"`
	ObsoleteItems      []string      `json:"obsoleteItems"`
	ObsoleteRef        string        `json:"obsoleteRef"`
	FrameworkRefs      frameworkRefs `json:"frameworkReferences"`
	Targets            []target      `json:"targets"`
	InProcess          []inprocRule  `json:"inprocess"`
}

type isolatedPkg struct {
	ID      string   `json:"id"`
	Version string   `json:"version"`
	Group   string   `json:"group"`
	Ref     string   `json:"ref"`
	Verify  string   `json:"verify"`
	Minimum *minimum `json:"minimum"`
}

type minimum struct {
	Version string   `json:"version"`
	Targets []string `json:"targets"`
	Ref     string   `json:"ref"`
}

type httpPkgs struct {
	Default string `json:"default"`
	NetFx   string `json:"netfx"`
	Ref     string `json:"ref"`
}

type frameworkRefs struct {
	SharedFramework []string `json:"sharedFramework"`
	Ref             string   `json:"ref"`
	Note            string   `json:"note"`
}

type target struct {
	TFM     string      `json:"tfm"`
	NetFx   bool        `json:"netfx"`
	Ref     string      `json:"ref"`
	Finding findingText `json:"finding"`
}

type inprocRule struct {
	ID      string       `json:"id"`
	Prefix  string       `json:"prefix"`
	Action  string       `json:"action"`
	Add     []string     `json:"add"`
	HTTP    bool         `json:"http"`
	Ref     string       `json:"ref"`
	Note    string       `json:"note"`
	Finding *findingText `json:"finding"`
}

type findingText struct {
	Rule    string `json:"rule"`
	Message string `json:"message"`
	Action  string `json:"action"`
	URL     string `json:"url"`
}

// Actions of an in-process rule.
const (
	actReplace = "replace"
	actKeep    = "keep"
	actLeave   = "leave"
)

var groupRank = map[string]int{"core": 0, "extension": 1, "telemetry": 2, "library": 3}

// data is the catalog every migration uses. A broken packages.json is a
// build defect, so loading it panics; TestCatalog keeps it honest.
var data = mustLoadCatalog(packagesJSON)

func mustLoadCatalog(b []byte) *catalog {
	c, err := loadCatalog(b)
	if err != nil {
		panic("csproj: packages.json: " + err.Error())
	}
	return c
}

func loadCatalog(b []byte) (*catalog, error) {
	var c catalog
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields() // a misspelt key must not silently drop a fact
	if err := dec.Decode(&c); err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	for _, p := range c.Isolated {
		k := strings.ToLower(p.ID)
		switch {
		case p.ID == "" || p.Ref == "":
			return nil, fmt.Errorf("isolated row %q: id and ref are required", p.ID)
		case seen[k]:
			return nil, fmt.Errorf("isolated package %s listed twice", p.ID)
		case !validVersion(p.Version):
			return nil, fmt.Errorf("isolated package %s: bad version %q", p.ID, p.Version)
		}
		if _, ok := groupRank[p.Group]; !ok {
			return nil, fmt.Errorf("isolated package %s: unknown group %q", p.ID, p.Group)
		}
		if p.Minimum != nil && (!validVersion(p.Minimum.Version) || compareVersions(p.Minimum.Version, p.Version) > 0) {
			return nil, fmt.Errorf("isolated package %s: bad minimum %q", p.ID, p.Minimum.Version)
		}
		seen[k] = true
	}
	ids := append(append([]string{}, c.Always...), c.HTTP.Default, c.HTTP.NetFx)
	for _, r := range c.InProcess {
		if (r.ID == "") == (r.Prefix == "") || r.Ref == "" {
			return nil, fmt.Errorf("in-process row %q%q: exactly one of id and prefix, and ref, are required", r.ID, r.Prefix)
		}
		switch r.Action {
		case actReplace, actLeave:
		case actKeep:
			if r.Finding == nil {
				return nil, fmt.Errorf("in-process row %s%s: keep needs a finding", r.ID, r.Prefix)
			}
		default:
			return nil, fmt.Errorf("in-process row %s%s: unknown action %q", r.ID, r.Prefix, r.Action)
		}
		ids = append(ids, r.Add...)
	}
	for _, id := range ids {
		if !seen[strings.ToLower(id)] {
			return nil, fmt.Errorf("package %s is emitted but has no isolated row (no version)", id)
		}
	}
	if len(c.Targets) == 0 {
		return nil, fmt.Errorf("no targets")
	}
	if len(c.FrameworkRefs.SharedFramework) > 0 && c.FrameworkRefs.Ref == "" {
		return nil, fmt.Errorf("frameworkReferences: ref is required")
	}
	return &c, nil
}

// isolated returns the row of isolated package id.
func (c *catalog) isolated(id string) (isolatedPkg, bool) {
	for _, p := range c.Isolated {
		if strings.EqualFold(p.ID, id) {
			return p, true
		}
	}
	return isolatedPkg{}, false
}

// sharedFramework reports whether the .NET Framework assembly called name
// is part of the .NET shared framework (frameworkReferences.sharedFramework).
func (c *catalog) sharedFramework(name string) bool {
	return slices.ContainsFunc(c.FrameworkRefs.SharedFramework, func(n string) bool { return strings.EqualFold(n, name) })
}

// target returns the row of target framework tfm.
func (c *catalog) target(tfm string) (target, bool) {
	for _, t := range c.Targets {
		if strings.EqualFold(t.TFM, tfm) {
			return t, true
		}
	}
	return target{}, false
}

// targetNames lists the supported target frameworks, for error messages.
func (c *catalog) targetNames() string {
	var ns []string
	for _, t := range c.Targets {
		ns = append(ns, t.TFM)
	}
	return strings.Join(ns, ", ")
}

// inprocess returns the rule for package id: an exact match, else the
// longest matching prefix. ok is false for packages that are not in-process
// ones (the user's own packages, isolated ones).
func (c *catalog) inprocess(id string) (inprocRule, bool) {
	var best inprocRule
	found := false
	for _, r := range c.InProcess {
		if r.ID != "" && strings.EqualFold(r.ID, id) {
			return r, true
		}
		if r.Prefix != "" && hasPrefixFold(id, r.Prefix) && (!found || len(r.Prefix) > len(best.Prefix)) {
			best, found = r, true
		}
	}
	return best, found
}

// sortIsolated orders package ids for insertion: group (core, extension,
// telemetry), then id in ordinal, case-insensitive order. With the current
// data that gives Worker, Worker.Sdk, extensions A–Z,
// ApplicationInsights.WorkerService, Worker.ApplicationInsights.
func (c *catalog) sortIsolated(ids []string) {
	rank := func(id string) int {
		p, _ := c.isolated(id)
		return groupRank[p.Group]
	}
	slices.SortStableFunc(ids, func(a, b string) int {
		if ra, rb := rank(a), rank(b); ra != rb {
			return ra - rb
		}
		return strings.Compare(strings.ToLower(a), strings.ToLower(b))
	})
}

// expand fills {id} and {suggest} in a finding text.
func (f findingText) expand(id string) findingText {
	suggest := id
	const ip, iso = "Microsoft.Azure.WebJobs.Extensions.", "Microsoft.Azure.Functions.Worker.Extensions."
	if hasPrefixFold(id, ip) {
		suggest = iso + id[len(ip):]
	}
	r := strings.NewReplacer("{id}", id, "{suggest}", suggest)
	return findingText{Rule: f.Rule, Message: r.Replace(f.Message), Action: r.Replace(f.Action), URL: f.URL}
}

// validVersion reports whether v is a plain dotted numeric version
// (1.2, 1.2.3, 1.2.3.4), the only kind the data holds.
func validVersion(v string) bool {
	_, ok := parseVersion(v)
	return ok
}

// parseVersion parses a plain NuGet version "1.2.3[.4][-pre]" into its
// numbers. Ranges, floating versions and MSBuild properties do not parse.
func parseVersion(v string) ([]int, bool) {
	v = strings.TrimSpace(v)
	if i := strings.IndexAny(v, "-+"); i >= 0 {
		v = v[:i]
	}
	parts := strings.Split(v, ".")
	if len(parts) < 2 || len(parts) > 4 {
		return nil, false
	}
	nums := make([]int, 4)
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 {
			return nil, false
		}
		nums[i] = n
	}
	return nums, true
}

// compareVersions compares two versions that parseVersion accepts; the
// result is -1, 0 or +1. Unparseable versions compare equal.
func compareVersions(a, b string) int {
	x, ok1 := parseVersion(a)
	y, ok2 := parseVersion(b)
	if !ok1 || !ok2 {
		return 0
	}
	return slices.Compare(x, y)
}

// IsolatedVersion returns the version packages.json pins for an isolated
// package id, for callers that must only name packages the data knows.
func IsolatedVersion(id string) (string, bool) {
	p, ok := data.isolated(id)
	return p.Version, ok
}
