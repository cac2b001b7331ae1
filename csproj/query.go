package csproj

import (
	"strings"
)

// A Property is one property element inside a <PropertyGroup>, such as
// <TargetFramework>net8.0</TargetFramework>.
type Property struct {
	El    *Element
	Name  string
	Value string // text of the element, trimmed
	// Condition holds the Condition attributes of the element and of the
	// elements enclosing it (PropertyGroup, When), outermost first, joined
	// by " and "; "" when the property is unconditional.
	Condition string
}

// A PackageRef is one <PackageReference> (or, in Directory.Packages.props,
// <PackageVersion>) item.
type PackageRef struct {
	El        *Element
	ID        string   // the Include value, or Update when there is no Include
	Update    bool     // the item is written with Update= instead of Include=
	Version   string   // Version attribute or <Version> child, trimmed; "" if absent
	VersionEl *Element // the <Version> child element when the version is written that way
	Condition string   // as in Property
}

// An Item is one element inside an <ItemGroup>, such as
// <Compile Remove="Old\**" /> or <ProjectReference Include="..\Lib\Lib.csproj" />.
type Item struct {
	El        *Element
	Type      string // element name: Compile, None, ProjectReference, ...
	Include   string
	Update    string
	Remove    string
	Condition string // as in Property
}

// evaluated reports whether el sits where MSBuild evaluates properties and
// items statically: anywhere except inside a <Target>.
func evaluated(el *Element) bool {
	for p := el.Parent; p != nil; p = p.Parent {
		if p.Is("Target") {
			return false
		}
	}
	return true
}

// condition joins the Condition attributes of el and its ancestors,
// outermost first.
func condition(el *Element) string {
	var cs []string
	for p := el; p != nil; p = p.Parent {
		if c := strings.TrimSpace(p.attrValue("Condition")); c != "" {
			cs = append([]string{c}, cs...)
		}
	}
	return strings.Join(cs, " and ")
}

// Properties returns every property called name (case-insensitively) in
// document order, conditional or not.
func (d *Doc) Properties(name string) []Property {
	var out []Property
	for _, el := range d.Elements {
		if el.Parent == nil || !el.Parent.Is("PropertyGroup") || !el.Is(name) || !evaluated(el) {
			continue
		}
		out = append(out, Property{El: el, Name: el.Name, Value: strings.TrimSpace(el.Text(d.Src)), Condition: condition(el)})
	}
	return out
}

// Property returns the first property called name, ignoring conditions;
// the returned Condition tells whether it had any.
func (d *Doc) Property(name string) (Property, bool) {
	ps := d.Properties(name)
	if len(ps) == 0 {
		return Property{}, false
	}
	return ps[0], true
}

// Items returns every item of the given type (element name,
// case-insensitive) in document order. An empty itemType returns all items.
func (d *Doc) Items(itemType string) []Item {
	var out []Item
	for _, el := range d.Elements {
		if el.Parent == nil || !el.Parent.Is("ItemGroup") || !evaluated(el) {
			continue
		}
		if itemType != "" && !el.Is(itemType) {
			continue
		}
		out = append(out, Item{
			El:        el,
			Type:      el.Name,
			Include:   el.attrValue("Include"),
			Update:    el.attrValue("Update"),
			Remove:    el.attrValue("Remove"),
			Condition: condition(el),
		})
	}
	return out
}

// CompileItems returns the <Compile> items: Include/Remove patterns that
// change which .cs files the project owns beyond the SDK's default globs.
func (d *Doc) CompileItems() []Item { return d.Items("Compile") }

// ProjectReferences returns the <ProjectReference> items.
func (d *Doc) ProjectReferences() []Item { return d.Items("ProjectReference") }

// PackageReferences returns the <PackageReference> items in document order.
func (d *Doc) PackageReferences() []PackageRef { return d.packageItems("PackageReference") }

// PackageVersions returns the <PackageVersion> items of a central package
// management file (Directory.Packages.props).
func (d *Doc) PackageVersions() []PackageRef { return d.packageItems("PackageVersion") }

func (d *Doc) packageItems(itemType string) []PackageRef {
	var out []PackageRef
	for _, it := range d.Items(itemType) {
		r := PackageRef{El: it.El, ID: strings.TrimSpace(it.Include), Condition: it.Condition}
		if r.ID == "" && it.Update != "" {
			r.ID, r.Update = strings.TrimSpace(it.Update), true
		}
		if r.ID == "" {
			continue
		}
		if a, ok := it.El.Attr("Version"); ok {
			r.Version = strings.TrimSpace(a.Value)
		} else {
			for _, c := range it.El.Children {
				if c.Is("Version") {
					r.VersionEl = c
					r.Version = strings.TrimSpace(c.Text(d.Src))
					break
				}
			}
		}
		out = append(out, r)
	}
	return out
}

// A Kind classifies a project for discovery (MAPPING.md §1.1).
type Kind int

const (
	Other     Kind = iota // not a Functions app
	InProcess             // references Microsoft.NET.Sdk.Functions
	Isolated              // references Microsoft.Azure.Functions.Worker.Sdk or uses the Azure.Functions.Sdk MSBuild SDK
	LogicApps             // Logic Apps Standard (Microsoft.Azure.Workflows.WebJobs.Extension); never migrate
)

func (k Kind) String() string {
	switch k {
	case InProcess:
		return "in-process"
	case Isolated:
		return "isolated"
	case LogicApps:
		return "logic-apps"
	}
	return "other"
}

// Package ids that classify a project.
const (
	pkgSdkFunctions = "Microsoft.NET.Sdk.Functions"
	pkgWorker       = "Microsoft.Azure.Functions.Worker"
	pkgWorkerSdk    = "Microsoft.Azure.Functions.Worker.Sdk"
	pkgLogicApps    = "Microsoft.Azure.Workflows.WebJobs.Extension"
	msbuildSdk      = "Azure.Functions.Sdk"
)

// Kind classifies the project. Logic Apps Standard projects also reference
// Microsoft.NET.Sdk.Functions, so they are recognised first (MAPPING.md
// §1.1, §8 item 26); a project that references both the in-process and the
// isolated SDK is half migrated and counts as in-process.
func (d *Doc) Kind() Kind {
	if d.hasPackage(pkgLogicApps) {
		return LogicApps
	}
	if d.hasPackage(pkgSdkFunctions) {
		return InProcess
	}
	if d.hasPackage(pkgWorkerSdk) || d.usesFunctionsMSBuildSdk() {
		return Isolated
	}
	return Other
}

// ReferencesWebJobs reports whether the project references any
// Microsoft.Azure.WebJobs* package, as shared class libraries of in-process
// apps do (MAPPING.md §8 item 4).
func (d *Doc) ReferencesWebJobs() bool {
	for _, r := range d.PackageReferences() {
		if hasPrefixFold(r.ID, "Microsoft.Azure.WebJobs") {
			return true
		}
	}
	return false
}

func (d *Doc) hasPackage(id string) bool {
	for _, r := range d.PackageReferences() {
		if !r.Update && strings.EqualFold(r.ID, id) {
			return true
		}
	}
	return false
}

// usesFunctionsMSBuildSdk reports <Project Sdk="Azure.Functions.Sdk/…"> or
// <Sdk Name="Azure.Functions.Sdk" …/> (MAPPING.md §1.9).
func (d *Doc) usesFunctionsMSBuildSdk() bool {
	if d.Root == nil {
		return false
	}
	for _, s := range strings.Split(d.Root.attrValue("Sdk"), ";") {
		if hasPrefixFold(strings.TrimSpace(s), msbuildSdk) {
			return true
		}
	}
	for _, c := range d.Root.Children {
		if c.Is("Sdk") && hasPrefixFold(strings.TrimSpace(c.attrValue("Name")), msbuildSdk) {
			return true
		}
	}
	return false
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}
