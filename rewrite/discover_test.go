package rewrite

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const inprocProject = `<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><TargetFramework>net8.0</TargetFramework></PropertyGroup>
  <ItemGroup><PackageReference Include="Microsoft.NET.Sdk.Functions" Version="4.4.1" /></ItemGroup>
%s
</Project>
`

func write(t *testing.T, root string, files map[string]string) {
	t.Helper()
	for name, body := range files {
		path := filepath.Join(root, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(path), 0o755)
		if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestDiscover(t *testing.T) {
	root := t.TempDir()
	write(t, root, map[string]string{
		"App/App.csproj":               strings.Replace(inprocProject, "%s", `<ItemGroup><Compile Remove="Legacy/**" /><Compile Include="../Shared/Linked.cs" /></ItemGroup>`, 1),
		"App/F.cs":                     "class F {}",
		"App/Sub/G.cs":                 "class G {}",
		"App/Legacy/Old.cs":            "class Old {}",
		"App/bin/Debug/Gen.cs":         "class Gen {}",
		"App/obj/X.cs":                 "class X {}",
		"App/host.json":                `{"version": "2.0"}`,
		"App/Tests/Tests.csproj":       `<Project Sdk="Microsoft.NET.Sdk"><ItemGroup><PackageReference Include="xunit" Version="2.9.0" /></ItemGroup></Project>`,
		"App/Tests/T.cs":               "class T {}",
		"Shared/Linked.cs":             "class Linked {}",
		"Iso/Iso.csproj":               `<Project Sdk="Microsoft.NET.Sdk"><ItemGroup><PackageReference Include="Microsoft.Azure.Functions.Worker.Sdk" Version="2.1.0" /></ItemGroup></Project>`,
		"Logic/Logic.csproj":           strings.Replace(inprocProject, "%s", "", 1),
		"Logic/local.settings.json":    `{"Values": {"APP_KIND": "workflowApp", "FUNCTIONS_WORKER_RUNTIME": "dotnet"}}`,
		"Lib/Lib.csproj":               `<Project Sdk="Microsoft.NET.Sdk"><ItemGroup><PackageReference Include="Microsoft.Azure.WebJobs" Version="3.0.39" /></ItemGroup></Project>`,
		".hidden/Hidden.csproj":        strings.Replace(inprocProject, "%s", "", 1),
		"App/node_modules/x/Nm.csproj": strings.Replace(inprocProject, "%s", "", 1),
		"Other/Console.csproj":         `<Project Sdk="Microsoft.NET.Sdk" />`,
	})
	if err := os.Symlink(filepath.Join(root, "Shared", "Linked.cs"), filepath.Join(root, "App", "Link.cs")); err != nil {
		t.Fatal(err)
	}
	projects, skips, err := Discover([]string{root})
	if err != nil {
		t.Fatal(err)
	}
	if len(projects) != 1 {
		t.Fatalf("want only App, got %d projects", len(projects))
	}
	p := projects[0]
	var got []string
	for _, s := range p.Sources {
		rel, _ := filepath.Rel(root, s)
		got = append(got, filepath.ToSlash(rel))
	}
	// ../Shared/Linked.cs is inside the folder funcmigrate was pointed at,
	// so it is migrated with the app.
	if strings.Join(got, " ") != "App/F.cs App/Sub/G.cs Shared/Linked.cs" {
		t.Errorf("sources: %v (want the default glob minus Legacy/, bin/, obj/, the nested test project and the symlink, plus the linked file)", got)
	}
	if len(p.Outside) != 1 || !strings.HasSuffix(p.Outside[0], "Link.cs") {
		t.Errorf("symbolic link to a source not recorded: %v", p.Outside)
	}
	// Pointed at the app alone, the linked file lies outside the tree.
	projects, _, err = Discover([]string{filepath.Join(root, "App")})
	if err != nil {
		t.Fatal(err)
	}
	if o := projects[0].Outside; len(o) != 2 || !strings.HasSuffix(o[0], "Link.cs") || !strings.HasSuffix(o[1], "Linked.cs") {
		t.Errorf("linked file outside the tree not recorded: %v", o)
	}
	if p.HostJSON == "" || p.LocalSettings != "" {
		t.Errorf("settings files: host %q local %q", p.HostJSON, p.LocalSettings)
	}
	reasons := map[string]string{}
	for _, s := range skips {
		rel, _ := filepath.Rel(root, s.File)
		reasons[filepath.ToSlash(rel)] = s.Reason
	}
	for file, want := range map[string]string{
		"Iso/Iso.csproj":     "already uses the isolated worker",
		"Logic/Logic.csproj": "Logic Apps",
	} {
		if !strings.Contains(reasons[file], want) {
			t.Errorf("%s: skip reason %q, want it to mention %q", file, reasons[file], want)
		}
	}
	// A WebJobs class library is no longer skipped: DiscoverAll returns it
	// as a dependent, whose package references become findings.
	if len(skips) != 2 {
		t.Errorf("want 2 skips (dot-folders, node_modules, plain projects and dependents are silent), got %v", reasons)
	}
}

func TestDiscoverAllDependents(t *testing.T) {
	root := t.TempDir()
	const xunit = `<ItemGroup><PackageReference Include="xunit" Version="2.9.0" /></ItemGroup>`
	ref := func(include string) string {
		return `<ItemGroup><ProjectReference Include="` + include + `" /></ItemGroup>`
	}
	project := func(items ...string) string {
		return `<Project Sdk="Microsoft.NET.Sdk">` + strings.Join(items, "") + `</Project>`
	}
	write(t, root, map[string]string{
		"App/App.csproj": strings.Replace(inprocProject, "%s", "", 1),
		"App/F.cs":       "class F {}",
		// Sorts before the app it references.
		"A.Tests/A.Tests.csproj": project(xunit, ref(`..\App\App.csproj`)),
		"A.Tests/T.cs":           "class T {}",
		"A.Tests/bin/Gen.cs":     "class Gen {}",
		// References the Functions SDK for its types: a dependent, not an app.
		"FnTests/FnTests.csproj": strings.Replace(inprocProject, "%s", `<ItemGroup><PackageReference Include="MSTest.TestFramework" Version="3.1.1" /></ItemGroup>`, 1),
		// An app with host.json stays an app whatever it references.
		"Mixed/Mixed.csproj": strings.Replace(inprocProject, "%s", xunit, 1),
		"Mixed/host.json":    `{"version": "2.0"}`,
		"Lib/Lib.csproj":     project(`<ItemGroup><PackageReference Include="Microsoft.Azure.WebJobs.Extensions.Storage" Version="5.2.0" /></ItemGroup>`),
		"Lib/L.cs":           "class L {}",
		// Test packages from the nearest Directory.Build.props count when
		// unconditional, not when a condition picks projects.
		"tests/Directory.Build.props":     project(`<ItemGroup><PackageReference Include="Microsoft.NET.Test.Sdk" Version="17.8.0" /></ItemGroup>`),
		"tests/Props/Props.csproj":        project(ref(`$(MSBuildThisFileDirectory)../../App/App.csproj`)),
		"cond/Directory.Build.props":      project(`<ItemGroup Condition="$(MSBuildProjectName.EndsWith('Tests'))"><PackageReference Include="NUnit" Version="4.0.1" /></ItemGroup>`),
		"cond/Tool/Tool.csproj":           project(ref(`..\..\app\App.csproj`)),
		"cond/Api.Tests/Api.Tests.csproj": project(ref(`..\..\App\App.csproj`)),
		"Unresolved/Unresolved.csproj":    project(xunit, ref(`$(SolutionDir)App\App.csproj`)),
		"Iso/Iso.csproj":                  project(`<ItemGroup><PackageReference Include="Microsoft.Azure.Functions.Worker.Sdk" Version="2.1.0" /></ItemGroup>`, ref(`..\App\App.csproj`)),
		"Console/Console.csproj":          project(xunit),
	})
	d, err := DiscoverAll([]string{root})
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Projects) != 2 || filepath.Base(d.Projects[0].File) != "App.csproj" || filepath.Base(d.Projects[1].File) != "Mixed.csproj" {
		t.Fatalf("want App and Mixed as apps, got %d", len(d.Projects))
	}
	app := d.Projects[0].File
	type want struct {
		test, webjobs bool
		apps          int
		sources       string
	}
	wants := map[string]want{
		"A.Tests/A.Tests.csproj": {test: true, apps: 1, sources: "A.Tests/T.cs"},
		"FnTests/FnTests.csproj": {test: true, webjobs: true},
		// An app with host.json stays an app whatever it references.
		"Lib/Lib.csproj":           {webjobs: true, sources: "Lib/L.cs"},
		"tests/Props/Props.csproj": {test: true, apps: 1},
		"cond/Tool/Tool.csproj":    {apps: 1},
		// The conditional test packages reach it by its name.
		"cond/Api.Tests/Api.Tests.csproj": {test: true, apps: 1},
	}
	got := map[string]bool{}
	for _, dep := range d.Dependents {
		rel, _ := filepath.Rel(root, dep.File)
		rel = filepath.ToSlash(rel)
		got[rel] = true
		w, ok := wants[rel]
		if !ok {
			t.Errorf("%s: not a dependent, but DiscoverAll returned it", rel)
			continue
		}
		var srcs []string
		for _, s := range dep.Sources {
			r, _ := filepath.Rel(root, s)
			srcs = append(srcs, filepath.ToSlash(r))
		}
		if dep.Test != w.test || dep.WebJobs != w.webjobs || len(dep.Apps) != w.apps || strings.Join(srcs, " ") != w.sources {
			t.Errorf("%s: test %v webjobs %v apps %v sources %v, want %+v", rel, dep.Test, dep.WebJobs, dep.Apps, srcs, w)
		}
		for _, a := range dep.Apps {
			if a != app {
				t.Errorf("%s: app %s, want %s", rel, a, app)
			}
		}
		if dep.Dir != filepath.Dir(dep.File) {
			t.Errorf("%s: Dir %s", rel, dep.Dir)
		}
	}
	for rel := range wants {
		if !got[rel] {
			t.Errorf("%s: missing from the dependents", rel)
		}
	}
	if len(d.Skips) != 1 || !strings.HasSuffix(d.Skips[0].File, "Iso.csproj") {
		t.Errorf("skips: %v", d.Skips)
	}
}

func TestDiscoverErrorsNameTheFile(t *testing.T) {
	root := t.TempDir()
	write(t, root, map[string]string{"A/A.csproj": "<Project>\n<PropertyGroup>\n</Project>\n"})
	// A malformed project is a problem of the run, not its end.
	d, err := DiscoverAll([]string{root})
	if err != nil || len(d.Problems) != 1 || !strings.Contains(d.Problems[0].Err.Error(), "A.csproj:3") {
		t.Fatalf("DiscoverAll: %v, %v; want one problem naming A.csproj and line 3", d, err)
	}
	if _, _, err := Discover([]string{filepath.Join(root, "nope")}); err == nil || !strings.Contains(err.Error(), "nope") {
		t.Fatalf("missing path error %v should name it", err)
	}
	write(t, root, map[string]string{"notes.txt": "x"})
	if _, _, err := Discover([]string{filepath.Join(root, "notes.txt")}); err == nil || !strings.Contains(err.Error(), "not a folder, .csproj or .sln") {
		t.Fatalf("error %v", err)
	}
}
