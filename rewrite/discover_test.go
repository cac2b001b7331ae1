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
	if strings.Join(got, " ") != "App/F.cs App/Sub/G.cs" {
		t.Errorf("sources: %v (want the default glob minus Legacy/, bin/, obj/, the nested test project and the symlink)", got)
	}
	if len(p.Outside) != 2 || !strings.HasSuffix(p.Outside[0], "Link.cs") || !strings.HasSuffix(p.Outside[1], "Linked.cs") {
		t.Errorf("linked file outside the project not recorded: %v", p.Outside)
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
		"Lib/Lib.csproj":     "class library",
	} {
		if !strings.Contains(reasons[file], want) {
			t.Errorf("%s: skip reason %q, want it to mention %q", file, reasons[file], want)
		}
	}
	if len(skips) != 3 {
		t.Errorf("want 3 skips (dot-folders, node_modules and plain projects are silent), got %v", reasons)
	}
}

func TestDiscoverErrorsNameTheFile(t *testing.T) {
	root := t.TempDir()
	write(t, root, map[string]string{"A/A.csproj": "<Project>\n<PropertyGroup>\n</Project>\n"})
	_, _, err := Discover([]string{root})
	if err == nil || !strings.Contains(err.Error(), "A.csproj:3") {
		t.Fatalf("error %v should name A.csproj and line 3", err)
	}
	if _, _, err := Discover([]string{filepath.Join(root, "nope")}); err == nil || !strings.Contains(err.Error(), "nope") {
		t.Fatalf("missing path error %v should name it", err)
	}
	write(t, root, map[string]string{"notes.txt": "x"})
	if _, _, err := Discover([]string{filepath.Join(root, "notes.txt")}); err == nil || !strings.Contains(err.Error(), "not a folder, .csproj or .sln") {
		t.Fatalf("error %v", err)
	}
}
