package csproj

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/funcmigrate/funcmigrate/rewrite/edit"
)

// fuzzOptions are the plans FuzzParseMigrate makes for every input: the
// targets that shape the output differently, with and without HTTP and
// packages the C# code asks for.
var fuzzOptions = []Options{
	{TargetFramework: "net10.0"},
	{TargetFramework: "net8.0", HTTP: true, NeedPackages: []string{"Microsoft.Azure.Functions.Worker.Extensions.Timer", "Microsoft.Azure.Functions.Worker.Extensions.Storage.Queues"}},
	{TargetFramework: "net48", HTTP: true},
}

// FuzzParseMigrate parses a project file (and a Directory.Packages.props
// when props is not empty) and, when both parse, plans the migration for
// each of fuzzOptions. Properties:
//
//   - Parse never panics, on any bytes;
//   - Migrate never panics, and fails only for the reasons it documents
//     (not an in-process project, a root other than <Project>, central
//     package management without the props file); its own "csproj
//     produced ..." errors are bugs;
//   - its edits pass edit.Validate, and applying them keeps the file's
//     conventions and untouched lines (applyChecked, as for the fixtures),
//     gives output Parse accepts, and leaves every byte outside the edit
//     ranges where it was;
//   - the plan is idempotent as TestMigrate defines it: Migrate on the
//     output plans no edit, nor does the ungated plan when the input was
//     an in-process project.
//
// Byte mutations of XML seldom parse, so the same checks also run on a
// project and props file that assemble builds from the input bytes: those
// always parse and reach every part of Migrate.
//
// The seeds in testdata/fuzz/FuzzParseMigrate are the in/ sections of the
// fixtures (with their crlf, bom and noeol options applied) and a few
// malformed files.
func FuzzParseMigrate(f *testing.F) {
	f.Fuzz(func(t *testing.T, projSrc, propsSrc []byte) {
		if proj, err := Parse(projName, projSrc); err == nil {
			var central *Doc
			if len(propsSrc) == 0 {
				checkAll(t, proj, nil)
			} else if central, err = Parse(propsName, propsSrc); err == nil {
				checkAll(t, proj, central)
			}
		}

		src, cpm := assemble(projSrc, projFragments)
		proj, err := Parse(projName, src)
		if err != nil {
			t.Fatalf("assembled project does not parse: %v\n%s", err, src)
		}
		var central *Doc
		if cpm {
			props, _ := assemble(propsSrc, propsFragments)
			if central, err = Parse(propsName, props); err != nil {
				t.Fatalf("assembled props do not parse: %v\n%s", err, props)
			}
		}
		checkAll(t, proj, central)
	})
}

func checkAll(t *testing.T, proj, central *Doc) {
	for _, opt := range fuzzOptions {
		checkMigrate(t, proj, central, opt)
	}
}

// Fragments of project files for assemble. A fragment that starts with "<"
// and ends with "Group>" or "Group ...>" opens a group; the others go into
// the current group, one line each, and "\t" starts a line one level deeper.
var projFragments = []string{
	"<PropertyGroup>",
	"<ItemGroup>",
	"<ItemGroup Condition=\"'$(Configuration)' == 'Debug'\">",
	"<PropertyGroup Condition=\"'$(TargetFramework)' == 'net48'\">",
	"<TargetFramework>net6.0</TargetFramework>",
	"<TargetFramework>net48</TargetFramework>",
	"<TargetFramework>netstandard2.0</TargetFramework>",
	"<TargetFramework>net10.0</TargetFramework>",
	"<TargetFramework>$(Tfm)</TargetFramework>",
	"<TargetFrameworks>net6.0;net48</TargetFrameworks>",
	"<TargetFramework />",
	"<AzureFunctionsVersion>v3</AzureFunctionsVersion>",
	"<AzureFunctionsVersion>v4</AzureFunctionsVersion>",
	"<AzureFunctionsVersion>v1</AzureFunctionsVersion>",
	"<OutputType>Library</OutputType>",
	"<OutputType>Exe</OutputType>",
	"<_FunctionsSkipCleanOutput>true</_FunctionsSkipCleanOutput>",
	"<ManagePackageVersionsCentrally>true</ManagePackageVersionsCentrally>",
	"<!-- a comment -->",
	`<PackageReference Include="Microsoft.NET.Sdk.Functions" Version="4.4.0" />`,
	`<PackageReference Include="Microsoft.NET.Sdk.Functions" Version="1.0.39" />`,
	"<PackageReference Include=\"Microsoft.NET.Sdk.Functions\">\n\t<Version>4.1.1</Version>\n</PackageReference>",
	`<PackageReference Include="Microsoft.NET.Sdk.Functions" Version="4.4.0" Condition="'$(X)' == ''" />`,
	`<PackageReference Update="Microsoft.NET.Sdk.Functions" Version="4.4.0" />`,
	`<PackageReference Include="Microsoft.Azure.WebJobs.Extensions.Storage" Version="5.0.0" />`,
	`<PackageReference Include="Microsoft.Azure.WebJobs.Extensions.Http" Version="3.2.0" />`,
	`<PackageReference Include="Microsoft.Azure.WebJobs.Extensions.DurableTask" Version="2.9.0" />`,
	`<PackageReference Include="Microsoft.Azure.WebJobs.Extensions.Twilio" Version="3.0.0" />`,
	`<PackageReference Include="Microsoft.Azure.WebJobs.Extensions.OpenApi.Core" Version="1.5.1" />`,
	`<PackageReference Include="Microsoft.Azure.Functions.Worker.Sdk" Version="1.17.0" />`,
	`<PackageReference Include="Microsoft.Azure.Functions.Worker" Version="1.21.0" />`,
	`<PackageReference Include="Newtonsoft.Json" Version="13.0.1" />`,
	`<PackageReference Include="Microsoft.Azure.Workflows.WebJobs.Extension" Version="1.94.0" />`,
	"<None Update=\"host.json\">\n\t<CopyToOutputDirectory>PreserveNewest</CopyToOutputDirectory>\n</None>",
	`<None Update="local.settings.json" CopyToOutputDirectory="PreserveNewest" />`,
	`<Reference Include="System.Net.Http" />`,
	`<Reference Include="System.Web" />`,
	`<FunctionsPreservedDependencies Include="a.dll" />`,
	`<FrameworkReference Include="Microsoft.AspNetCore.App" />`,
	`<Using Include="System.Threading.ExecutionContext" Alias="ExecutionContext" />`,
	`<Compile Remove="x.cs" />`,
}

var propsFragments = []string{
	"<PropertyGroup>",
	"<ItemGroup>",
	"<ManagePackageVersionsCentrally>true</ManagePackageVersionsCentrally>",
	"<!-- a comment -->",
	`<PackageVersion Include="Microsoft.Azure.Functions.Worker" Version="1.21.0" />`,
	`<PackageVersion Include="Microsoft.Azure.Functions.Worker.Sdk" Version="2.0.0" />`,
	`<PackageVersion Include="Microsoft.NET.Sdk.Functions" Version="4.1.1" />`,
	`<PackageVersion Include="Microsoft.Azure.WebJobs.Extensions.Storage" Version="5.0.0" />`,
	`<PackageVersion Update="Microsoft.Azure.Functions.Worker" Version="1.0.0" />`,
	`<PackageVersion Include="Newtonsoft.Json" Version="13.0.3" />`,
}

// assemble builds a well-formed MSBuild file from b. b[0] picks the style:
// indent unit, CRLF, BOM, final newline, blank lines between groups and the
// Sdk attribute. Each later byte c picks fragment c&63 (modulo the list);
// c&64 adds a comment after it on its line, and c&128 puts it on the line
// of the one before. It reports whether the file turns on central package
// management.
func assemble(b []byte, fragments []string) (src []byte, cpm bool) {
	style := byte(0)
	if len(b) > 0 {
		style, b = b[0], b[1:]
	}
	unit := []string{"  ", "    ", "\t", " "}[style&3]
	eol := "\n"
	if style&4 != 0 {
		eol = "\r\n"
	}
	var s bytes.Buffer
	if style&8 != 0 {
		s.WriteString(bom)
	}
	sdk := []string{` Sdk="Microsoft.NET.Sdk"`, ` Sdk="Microsoft.NET.Sdk.Web"`, "", ` Sdk="Microsoft.NET.Sdk"`}[style>>5&3]
	s.WriteString("<Project" + sdk + ">" + eol)
	open := ""
	closeGroup := func() {
		if open != "" {
			s.WriteString(unit + "</" + open + ">" + eol)
			open = ""
		}
	}
	for _, c := range b {
		frag := fragments[int(c&63)%len(fragments)]
		name, _, _ := strings.Cut(strings.TrimPrefix(frag, "<"), " ")
		name = strings.TrimSuffix(name, ">")
		if strings.HasSuffix(name, "Group") {
			closeGroup()
			if style&128 != 0 {
				s.WriteString(eol)
			}
			s.WriteString(unit + frag + eol)
			open = name
			continue
		}
		if open == "" {
			s.WriteString(unit + "<ItemGroup>" + eol)
			open = "ItemGroup"
		}
		cpm = cpm || strings.Contains(frag, "ManagePackageVersionsCentrally")
		for i, line := range strings.Split(frag, "\n") {
			indent := unit + unit
			if l, ok := strings.CutPrefix(line, "\t"); ok {
				indent, line = indent+unit, l
			}
			if i == 0 && c&128 != 0 && bytes.HasSuffix(s.Bytes(), []byte("/>"+eol)) {
				s.Truncate(s.Len() - len(eol))
				indent = " "
			}
			s.WriteString(indent + line)
			if i == 0 && c&64 != 0 {
				s.WriteString(" <!-- note -->")
			}
			s.WriteString(eol)
		}
	}
	closeGroup()
	s.WriteString("</Project>")
	if style&16 == 0 {
		s.WriteString(eol)
	}
	return s.Bytes(), cpm
}

// checkMigrate checks the properties of FuzzParseMigrate for one Options.
func checkMigrate(t *testing.T, proj, central *Doc, opt Options) {
	t.Helper()
	res, err := Migrate(proj, central, opt)
	if err != nil {
		if errors.Is(err, ErrNotInProcess) ||
			strings.Contains(err.Error(), ": root element is <") ||
			strings.Contains(err.Error(), ": ManagePackageVersionsCentrally is true but no Directory.Packages.props was given") {
			return
		}
		t.Fatalf("%s: Migrate: %v", opt.TargetFramework, err)
	}
	if central == nil && res.Central != nil {
		t.Fatalf("%s: central edits without a central file: %v", opt.TargetFramework, res.Central)
	}
	gotProj := checkPlan(t, proj, res.Project)
	var gotProps []byte
	var again, againCentral *Doc
	if again, err = Parse(projName, gotProj); err != nil {
		t.Fatalf("%s: output does not parse: %v\n%s", opt.TargetFramework, err, gotProj)
	}
	if central != nil {
		gotProps = checkPlan(t, central, res.Central)
		if againCentral, err = Parse(propsName, gotProps); err != nil {
			t.Fatalf("%s: props output does not parse: %v\n%s", opt.TargetFramework, err, gotProps)
		}
	}
	if t.Failed() {
		t.FailNow()
	}

	// Idempotence, as runFixture checks it.
	tgt, _ := data.target(opt.TargetFramework)
	runs := map[string]func() (Result, error){
		"Migrate": func() (Result, error) { return Migrate(again, againCentral, opt) },
	}
	if proj.Kind() == InProcess {
		runs["plan"] = func() (Result, error) { return plan(again, againCentral, tgt, opt) }
	}
	for name, run := range runs {
		r2, err := run()
		if err != nil {
			t.Fatalf("%s: second run (%s): %v\ninput:\n%s\noutput:\n%s", opt.TargetFramework, name, err, proj.Src, gotProj)
		}
		if len(r2.Project) > 0 || len(r2.Central) > 0 {
			out, _ := edit.Apply(gotProj, r2.Project)
			props, _ := edit.Apply(gotProps, r2.Central)
			t.Fatalf("%s: second run (%s) is not a no-op: %v and central %v\ninput:\n%s\noutput:\n%s\nwould become:\n%s\nprops would become:\n%s",
				opt.TargetFramework, name, r2.Project, r2.Central, proj.Src, gotProj, out, props)
		}
	}
}

// checkPlan checks one file's edits: Validate accepts them unchanged (Migrate
// returns them validated), applyChecked's checks pass, and the bytes
// between the edits are the input's, in order and in place.
func checkPlan(t *testing.T, d *Doc, es []edit.Edit) []byte {
	t.Helper()
	vs, err := edit.Validate(len(d.Src), append([]edit.Edit(nil), es...))
	if err != nil {
		t.Fatalf("%s: invalid edits: %v", d.Path, err)
	}
	if len(vs) != len(es) {
		t.Fatalf("%s: edits not validated: %v, Validate gives %v", d.Path, es, vs)
	}
	out := applyChecked(t, d, es)
	at, last := 0, 0 // offset in out, end of the previous edit in d.Src
	for _, e := range vs {
		gap := d.Src[last:e.Start]
		if !bytes.HasPrefix(out[at:], gap) || !bytes.HasPrefix(out[at+len(gap):], []byte(e.New)) {
			t.Fatalf("%s: bytes [%d,%d) outside the edits changed", d.Path, last, e.Start)
		}
		at += len(gap) + len(e.New)
		last = e.End
	}
	if !bytes.Equal(out[at:], d.Src[last:]) {
		t.Fatalf("%s: bytes after offset %d changed", d.Path, last)
	}
	return out
}
