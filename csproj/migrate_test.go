package csproj

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/funcmigrate/funcmigrate/rewrite/edit"
	"github.com/funcmigrate/funcmigrate/rewrite/report"
	"github.com/rogpeppe/go-internal/txtar"
)

var update = flag.Bool("update", false, "rewrite the want/ sections of testdata/*.txtar from the current output (never the input sections)")

// TestMigrate runs every testdata/*.txtar fixture. An archive holds:
//
//	first comment line      why the case exists
//	-- options --           space-separated key=value pairs:
//	                          target=net10.0   Options.TargetFramework (empty: the default)
//	                          http=true        Options.HTTP
//	                          need=A,B         Options.NeedPackages
//	                          crlf=true        turn every \n of the in/ and want/ files into \r\n
//	                          bom=true         prefix the in/ and want/ files with a UTF-8 BOM
//	                          noeol=true       drop the final newline of the in/ and want/ files
//	-- in/App.csproj --     the project
//	-- in/Directory.Packages.props --    optional; present = central package management
//	-- want/App.csproj --   expected project (absent: must be unchanged)
//	-- want/Directory.Packages.props --  expected props (absent: must be unchanged)
//	-- want/findings --     one line per finding: rule file:line [marker] message
//
// The crlf, bom and noeol options exist because txtar (and git) would not
// keep those bytes reliably; the conversion is applied to inputs and wants
// alike and undone when -update writes a want section back.
//
// Every fixture also checks that the output parses, that a second run on
// the want files plans no edit, and that every input line no edit touches
// is still in the output, in order.
func TestMigrate(t *testing.T) {
	files, err := filepath.Glob("testdata/*.txtar")
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixtures in testdata: %v", err)
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) {
			runFixture(t, file)
		})
	}
}

type fixtureOptions struct {
	opt              Options
	crlf, bom, noeol bool
}

func parseFixtureOptions(t *testing.T, s string) fixtureOptions {
	var fo fixtureOptions
	for _, f := range strings.Fields(s) {
		k, v, ok := strings.Cut(f, "=")
		if !ok {
			t.Fatalf("options: %q is not key=value", f)
		}
		switch k {
		case "target":
			fo.opt.TargetFramework = v
		case "http":
			fo.opt.HTTP = v == "true"
		case "need":
			fo.opt.NeedPackages = strings.Split(v, ",")
		case "crlf":
			fo.crlf = v == "true"
		case "bom":
			fo.bom = v == "true"
		case "noeol":
			fo.noeol = v == "true"
		default:
			t.Fatalf("options: unknown key %q", k)
		}
	}
	return fo
}

// toDisk turns a txtar section into file bytes; fromDisk undoes it.
func (fo fixtureOptions) toDisk(b []byte) []byte {
	if fo.noeol {
		b = bytes.TrimSuffix(b, []byte("\n"))
	}
	if fo.crlf {
		b = bytes.ReplaceAll(b, []byte("\n"), []byte("\r\n"))
	}
	if fo.bom {
		b = append([]byte(bom), b...)
	}
	return b
}

func (fo fixtureOptions) fromDisk(b []byte) []byte {
	b = bytes.TrimPrefix(b, []byte(bom))
	b = bytes.ReplaceAll(b, []byte("\r\n"), []byte("\n"))
	if len(b) > 0 && b[len(b)-1] != '\n' {
		b = append(b, '\n')
	}
	return b
}

const (
	projName  = "App.csproj"
	propsName = "Directory.Packages.props"
)

func runFixture(t *testing.T, file string) {
	ar, err := txtar.ParseFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if first, _, _ := strings.Cut(string(ar.Comment), "\n"); !strings.HasPrefix(first, "#") {
		t.Errorf("%s: the first comment line must say why the case exists (# ...)", file)
	}
	sec := map[string][]byte{}
	for _, f := range ar.Files {
		sec[f.Name] = f.Data
	}
	fo := parseFixtureOptions(t, string(sec["options"]))
	inProj, ok := sec["in/"+projName]
	if !ok {
		t.Fatalf("%s: no in/%s", file, projName)
	}
	proj, err := Parse(projName, fo.toDisk(inProj))
	if err != nil {
		t.Fatal(err)
	}
	var central *Doc
	if b, ok := sec["in/"+propsName]; ok {
		if central, err = Parse(propsName, fo.toDisk(b)); err != nil {
			t.Fatal(err)
		}
	}
	res, err := Migrate(proj, central, fo.opt)
	if err != nil {
		t.Fatal(err)
	}
	gotProj := applyChecked(t, proj, res.Project)
	var gotProps []byte
	if central != nil {
		gotProps = applyChecked(t, central, res.Central)
	} else if res.Central != nil {
		t.Errorf("central edits without a central file: %v", res.Central)
	}
	gotFindings := formatFindings(proj, res.ProjectFindings) + formatFindings(central, res.CentralFindings)

	got := map[string][]byte{
		"want/" + projName: gotProj,
		"want/findings":    []byte(gotFindings),
	}
	if central != nil {
		got["want/"+propsName] = gotProps
	}
	if *update {
		writeWants(t, file, ar, fo, got, proj, central)
		return
	}
	compare := func(name string, in *Doc, out []byte) {
		want, ok := sec[name]
		if !ok {
			if !bytes.Equal(out, in.Src) {
				t.Errorf("%s: no %s section, so the file must not change; got\n%s", file, name, out)
			}
			return
		}
		if w := fo.toDisk(want); !bytes.Equal(out, w) {
			t.Errorf("%s: %s mismatch\n--- got\n%s\n--- want\n%s", file, name, visible(out), visible(w))
		}
	}
	compare("want/"+projName, proj, gotProj)
	if central != nil {
		compare("want/"+propsName, central, gotProps)
	}
	if want := string(sec["want/findings"]); gotFindings != want {
		t.Errorf("%s: findings mismatch\n--- got\n%s--- want\n%s", file, gotFindings, want)
	}

	// Idempotence: the migrated files plan no further edit, whether gated by
	// Kind (Migrate) or not (plan).
	again, err := Parse(projName, gotProj)
	if err != nil {
		t.Fatal(err)
	}
	var againCentral *Doc
	if central != nil {
		if againCentral, err = Parse(propsName, gotProps); err != nil {
			t.Fatal(err)
		}
	}
	tgt, _ := data.target(cmpOr(fo.opt.TargetFramework, DefaultTargetFramework))
	runs := map[string]func() (Result, error){
		"Migrate": func() (Result, error) { return Migrate(again, againCentral, fo.opt) },
	}
	if proj.Kind() == InProcess {
		// Only output funcmigrate produced must be a fixed point of the
		// ungated plan; a hand-written isolated project need not be.
		runs["plan"] = func() (Result, error) { return plan(again, againCentral, tgt, fo.opt) }
	}
	for name, run := range runs {
		r2, err := run()
		if err != nil {
			t.Fatalf("second run (%s): %v", name, err)
		}
		if len(r2.Project) > 0 || len(r2.Central) > 0 {
			out, _ := edit.Apply(gotProj, r2.Project)
			t.Errorf("second run (%s) is not a no-op: %d project and %d central edits; project would become\n%s", name, len(r2.Project), len(r2.Central), out)
		}
	}
}

// applyChecked applies es to d, checks that the result parses and keeps the
// file's conventions, and that untouched lines survive in order.
func applyChecked(t *testing.T, d *Doc, es []edit.Edit) []byte {
	t.Helper()
	out, err := edit.Apply(d.Src, es)
	if err != nil {
		t.Fatalf("%s: %v", d.Path, err)
	}
	if _, err := Parse(d.Path, out); err != nil {
		t.Errorf("%s: output does not parse: %v", d.Path, err)
	}
	if d.BOM != bytes.HasPrefix(out, []byte(bom)) {
		t.Errorf("%s: BOM changed", d.Path)
	}
	if d.EOL == "\r\n" && bytes.Count(out, []byte("\n")) != bytes.Count(out, []byte("\r\n")) && bytes.Count(d.Src, []byte("\n")) == bytes.Count(d.Src, []byte("\r\n")) {
		t.Errorf("%s: a CRLF file gained bare LF line endings", d.Path)
	}
	if d.EOL == "\n" && bytes.Contains(out, []byte("\r\n")) && !bytes.Contains(d.Src, []byte("\r\n")) {
		t.Errorf("%s: an LF file gained CRLF line endings", d.Path)
	}
	if (len(d.Src) > 0 && d.Src[len(d.Src)-1] == '\n') != (len(out) > 0 && out[len(out)-1] == '\n') {
		t.Errorf("%s: the final newline was added or lost", d.Path)
	}
	checkUntouchedLines(t, d, es, out)
	return out
}

// checkUntouchedLines checks that every input line (with its line ending)
// that no edit overlaps appears unchanged in out, in the same order: byte
// splicing must not disturb anything else.
func checkUntouchedLines(t *testing.T, d *Doc, es []edit.Edit, out []byte) {
	t.Helper()
	var keep [][]byte
	for ls := 0; ls < len(d.Src); {
		le := len(d.Src)
		if i := bytes.IndexByte(d.Src[ls:], '\n'); i >= 0 {
			le = ls + i + 1
		}
		touched := slices.ContainsFunc(es, func(e edit.Edit) bool {
			if e.Start == e.End {
				return e.Start > ls && e.Start < le
			}
			return e.Start < le && e.End > ls
		})
		if !touched {
			keep = append(keep, d.Src[ls:le])
		}
		ls = le
	}
	lines := bytes.SplitAfter(out, []byte("\n"))
	i := 0
	for _, l := range lines {
		if i < len(keep) && bytes.Equal(l, keep[i]) {
			i++
		}
	}
	if i < len(keep) {
		t.Errorf("%s: untouched input line %q is missing from the output or out of order", d.Path, keep[i])
	}
}

// formatFindings renders findings one per line: rule file:line [marker] message.
func formatFindings(d *Doc, fs []report.Finding) string {
	var b strings.Builder
	for _, f := range fs {
		if f.Rule == "" || f.Message == "" || f.Action == "" || !strings.HasPrefix(f.Ref, "MAPPING.md §") {
			fmt.Fprintf(&b, "INCOMPLETE FINDING %+v\n", f)
		}
		if f.Path != "" || f.Line != 0 || f.Project != "" {
			fmt.Fprintf(&b, "ENGINE FIELDS SET %+v\n", f)
		}
		marker := ""
		if f.Marker {
			marker = " [marker]"
		}
		fmt.Fprintf(&b, "%s %s:%d%s %s\n", f.Rule, d.Path, d.Line(f.Offset), marker, f.Message)
	}
	return b.String()
}

// writeWants rewrites the want/ sections of file from got, keeping the
// comment, the options and the in/ sections byte for byte.
func writeWants(t *testing.T, file string, ar *txtar.Archive, fo fixtureOptions, got map[string][]byte, proj, central *Doc) {
	var files []txtar.File
	for _, f := range ar.Files {
		if !strings.HasPrefix(f.Name, "want/") {
			files = append(files, f)
		}
	}
	for _, name := range []string{"want/" + projName, "want/" + propsName, "want/findings"} {
		b, ok := got[name]
		if !ok || len(b) == 0 {
			continue
		}
		if name != "want/findings" {
			in := proj
			if name == "want/"+propsName {
				in = central
			}
			if bytes.Equal(b, in.Src) {
				continue // unchanged: no want section
			}
			b = fo.fromDisk(b)
		}
		files = append(files, txtar.File{Name: name, Data: b})
	}
	ar.Files = files
	if err := os.WriteFile(file, txtar.Format(ar), 0o666); err != nil {
		t.Fatal(err)
	}
	t.Logf("updated %s", file)
}

// visible shows CR and a missing final newline in failure output.
func visible(b []byte) string {
	s := strings.ReplaceAll(string(b), "\r", "␍")
	if !strings.HasSuffix(s, "\n") {
		s += "⏎(no final newline)\n"
	}
	return s
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func TestMigrateErrors(t *testing.T) {
	inproc := `<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>net6.0</TargetFramework>
    <ManagePackageVersionsCentrally>true</ManagePackageVersionsCentrally>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="Microsoft.NET.Sdk.Functions" />
  </ItemGroup>
</Project>
`
	logic := `<Project Sdk="Microsoft.NET.Sdk">
  <ItemGroup>
    <PackageReference Include="Microsoft.NET.Sdk.Functions" Version="4.4.0" />
    <PackageReference Include="Microsoft.Azure.Workflows.WebJobs.Extension" Version="1.94.0" />
  </ItemGroup>
</Project>
`
	props := "<Project>\n  <ItemGroup />\n</Project>\n"
	for _, tc := range []struct {
		name, src string
		central   bool
		opt       Options
		want      string
	}{
		{"unknown target", inproc, true, Options{TargetFramework: "net7.0"},
			`unknown target framework "net7.0"; choose one of net10.0, net9.0, net8.0, net48`},
		{"cpm without props", inproc, false, Options{},
			"App.csproj:4:5: ManagePackageVersionsCentrally is true but no Directory.Packages.props was given"},
		{"unknown needed package", inproc, true, Options{NeedPackages: []string{"Microsoft.Azure.Functions.Worker.Extensions.Dapr"}},
			`App.csproj: Options.NeedPackages names "Microsoft.Azure.Functions.Worker.Extensions.Dapr", which packages.json has no version for`},
		{"logic apps", logic, false, Options{},
			"App.csproj: not an in-process Azure Functions project (it is classified logic-apps)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var central *Doc
			if tc.central {
				central = mustParse(t, propsName, props)
			}
			_, err := Migrate(mustParse(t, projName, tc.src), central, tc.opt)
			if err == nil || err.Error() != tc.want {
				t.Errorf("err = %v\nwant %s", err, tc.want)
			}
		})
	}
}

// TestMigrateEdges covers shapes the fixtures do not: no TargetFramework,
// only local.settings.json present, and an emptied last group.
func TestMigrateEdges(t *testing.T) {
	src := `<Project Sdk="Microsoft.NET.Sdk">
    <PropertyGroup>
        <RootNamespace>X</RootNamespace>
    </PropertyGroup>
    <ItemGroup>
        <None Update="local.settings.json" CopyToOutputDirectory="PreserveNewest" CopyToPublishDirectory="Never" />
        <PackageReference Include="Microsoft.NET.Sdk.Functions" Version="4.4.0" />
    </ItemGroup>
    <ItemGroup>
        <FunctionsPreservedDependencies Include="a.dll" />
        <FunctionsPreservedDependencies Include="b.dll" />
    </ItemGroup>
</Project>`
	want := `<Project Sdk="Microsoft.NET.Sdk">
    <PropertyGroup>
        <RootNamespace>X</RootNamespace>
        <TargetFramework>net10.0</TargetFramework>
        <AzureFunctionsVersion>v4</AzureFunctionsVersion>
        <OutputType>Exe</OutputType>
    </PropertyGroup>
    <ItemGroup>
        <None Update="host.json">
            <CopyToOutputDirectory>PreserveNewest</CopyToOutputDirectory>
        </None>
        <None Update="local.settings.json" CopyToOutputDirectory="PreserveNewest" CopyToPublishDirectory="Never" />
        <FrameworkReference Include="Microsoft.AspNetCore.App" />
        <PackageReference Include="Microsoft.Azure.Functions.Worker" Version="2.52.0" />
        <PackageReference Include="Microsoft.Azure.Functions.Worker.Sdk" Version="2.1.0" />
        <PackageReference Include="Microsoft.ApplicationInsights.WorkerService" Version="2.23.0" />
        <PackageReference Include="Microsoft.Azure.Functions.Worker.ApplicationInsights" Version="2.51.0" />
    </ItemGroup>
    <ItemGroup>
        <Using Include="System.Threading.ExecutionContext" Alias="ExecutionContext" />
    </ItemGroup>
</Project>`
	d := mustParse(t, projName, src)
	res, err := Migrate(d, nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := string(applyChecked(t, d, res.Project)); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if got := formatFindings(d, res.ProjectFindings); !strings.Contains(got, "csproj-target-framework App.csproj:1 the project sets no TargetFramework") {
		t.Errorf("findings:\n%s", got)
	}
}

func TestLegacyHost(t *testing.T) {
	for tfm, want := range map[string]string{
		"net461": "1.x", "NET48": "1.x", "net472": "1.x", "net46": "1.x",
		"netstandard2.0": "2.x", "netcoreapp2.1": "2.x", "netcoreapp3.1": "3.x",
		"net6.0": "", "net8.0": "", "net10.0": "", "netstandard2.1": "", "": "", "net": "", "net4x": "",
	} {
		if got := legacyHost(tfm); got != want {
			t.Errorf("legacyHost(%q) = %q, want %q", tfm, got, want)
		}
	}
}

// TestFrameworkReferences covers <Reference> shapes the fixtures do not: a
// strong-name Include, a HintPath attribute, a conditional item, and the same
// project on net48, where every item stays.
func TestFrameworkReferences(t *testing.T) {
	src := `<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>net462</TargetFramework>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="Microsoft.NET.Sdk.Functions" Version="1.0.39" />
    <Reference Include="System.Net.Http, Version=4.0.0.0, Culture=neutral, PublicKeyToken=b03f5f7f11d50a3a" />
    <Reference Include="Vendor" HintPath="lib\Vendor.dll" />
    <Reference Include="System.Web" Condition="'$(TargetFramework)' == 'net462'" />
    <Reference Include="System.Web" />
  </ItemGroup>
</Project>
`
	for _, tc := range []struct {
		tfm      string
		gone     []string
		stay     []string
		findings []string
	}{
		{"net10.0", []string{`Include="System.Net.Http, `}, []string{`Include="Vendor"`, `Include="System.Web" Condition`, `<Reference Include="System.Web" />`},
			[]string{"csproj-framework-reference App.csproj:10 [marker] Reference System.Web names a .NET Framework assembly"}},
		{"net48", nil, []string{`Include="System.Net.Http, `, `Include="Vendor"`, `Include="System.Web" Condition`, `<Reference Include="System.Web" />`}, nil},
	} {
		t.Run(tc.tfm, func(t *testing.T) {
			d := mustParse(t, projName, src)
			res, err := Migrate(d, nil, Options{TargetFramework: tc.tfm})
			if err != nil {
				t.Fatal(err)
			}
			out := string(applyChecked(t, d, res.Project))
			for _, s := range tc.gone {
				if strings.Contains(out, s) {
					t.Errorf("%s is still there:\n%s", s, out)
				}
			}
			for _, s := range tc.stay {
				if !strings.Contains(out, s) {
					t.Errorf("%s is gone:\n%s", s, out)
				}
			}
			got := formatFindings(d, res.ProjectFindings)
			for _, f := range tc.findings {
				if !strings.Contains(got, f) {
					t.Errorf("no finding %q in\n%s", f, got)
				}
			}
			if n := strings.Count(got, "csproj-framework-reference"); n != len(tc.findings) {
				t.Errorf("%d framework-reference findings, want %d:\n%s", n, len(tc.findings), got)
			}
		})
	}
}
