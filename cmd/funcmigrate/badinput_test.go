package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/funcmigrate/funcmigrate/rewrite"
)

// appFiles is a small in-process HTTP app; NAME is the project's name.
var appFiles = map[string]string{
	"NAME.csproj": `<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>net8.0</TargetFramework>
    <AzureFunctionsVersion>v4</AzureFunctionsVersion>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="Microsoft.NET.Sdk.Functions" Version="4.4.0" />
  </ItemGroup>
</Project>
`,
	"host.json": `{
  "version": "2.0"
}
`,
	"local.settings.json": `{
  "IsEncrypted": false,
  "Values": {
    "AzureWebJobsStorage": "UseDevelopmentStorage=true",
    "FUNCTIONS_WORKER_RUNTIME": "dotnet"
  }
}
`,
	"Hello.cs": `using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.WebJobs;
using Microsoft.Azure.WebJobs.Extensions.Http;

namespace NAME
{
    public static class Hello
    {
        [FunctionName("Hello")]
        public static IActionResult Run([HttpTrigger(AuthorizationLevel.Function, "get")] HttpRequest req)
        {
            return new OkObjectResult("hello");
        }
    }
}
`,
}

func writeApp(t *testing.T, dir, name string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for file, text := range appFiles {
		file = strings.ReplaceAll(file, "NAME", name)
		if err := os.WriteFile(filepath.Join(dir, file), []byte(strings.ReplaceAll(text, "NAME", name)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func write(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func utf16LE(s string) string {
	var b bytes.Buffer
	b.WriteString("\xff\xfe")
	for _, u := range utf16.Encode([]rune(s)) {
		b.WriteByte(byte(u))
		b.WriteByte(byte(u >> 8))
	}
	return b.String()
}

// oversize makes path a sparse file just over the size limit.
func oversize(t *testing.T, path string) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := f.Truncate(rewrite.MaxFileSize + 1); err != nil {
		t.Fatal(err)
	}
}

func symlink(t *testing.T, target, link string) {
	t.Helper()
	os.Remove(link)
	if err := os.Symlink(target, link); err != nil {
		t.Skipf("symbolic links: %v", err)
	}
}

// A badCase is a tree holding a good app (Good/) and an app with one
// hostile or malformed input (Bad/), with a folder outside the tree.
type badCase struct {
	name  string
	setup func(t *testing.T, root, outside string)
	// findings are the exact first lines of the text findings about the
	// bad input; each must appear in diff's and apply's output.
	findings []string
	// same lists files (relative to root) that must keep their bytes
	// after apply; the outside folder always must.
	same []string
	// changed lists files of Bad/ that apply must still migrate.
	changed []string
}

var badCases = []badCase{
	{
		name: "project file not well-formed",
		setup: func(t *testing.T, root, _ string) {
			write(t, filepath.Join(root, "Bad/Bad.csproj"), "<Project Sdk=\"Microsoft.NET.Sdk\">\n  <ItemGroup>\n</Project>\n")
		},
		findings: []string{"Bad/Bad.csproj:3: element <ItemGroup> closed by </Project> [unreadable, needs a person]"},
		same:     []string{"Bad/Bad.csproj", "Bad/Hello.cs", "Bad/local.settings.json"},
	},
	{
		name: "empty project file",
		setup: func(t *testing.T, root, _ string) {
			write(t, filepath.Join(root, "Bad/Bad.csproj"), "")
		},
		findings: []string{"Bad/Bad.csproj: file is empty; an MSBuild project needs at least a <Project> element [unreadable, needs a person]"},
		same:     []string{"Bad/Bad.csproj", "Bad/Hello.cs"},
	},
	{
		name: "UTF-16 project file",
		setup: func(t *testing.T, root, _ string) {
			write(t, filepath.Join(root, "Bad/Bad.csproj"), utf16LE(strings.ReplaceAll(appFiles["NAME.csproj"], "NAME", "Bad")))
		},
		findings: []string{"Bad/Bad.csproj: is UTF-16 encoded; save it as UTF-8 and run funcmigrate again [unreadable, needs a person]"},
		same:     []string{"Bad/Bad.csproj", "Bad/Hello.cs"},
	},
	{
		name: "binary project file",
		setup: func(t *testing.T, root, _ string) {
			write(t, filepath.Join(root, "Bad/Bad.csproj"), "\x00\x01\x02PK\x03\x04")
		},
		findings: []string{"Bad/Bad.csproj: contains NUL bytes (binary or UTF-16 without a byte-order mark); it was not edited [unreadable, needs a person]"},
		same:     []string{"Bad/Bad.csproj", "Bad/Hello.cs"},
	},
	{
		name: "project file over the size limit",
		setup: func(t *testing.T, root, _ string) {
			oversize(t, filepath.Join(root, "Bad/Bad.csproj"))
		},
		findings: []string{"Bad/Bad.csproj: 16777217 bytes is over the 16777216-byte limit; migrate it by hand [unreadable, needs a person]"},
		same:     []string{"Bad/Bad.csproj", "Bad/Hello.cs"},
	},
	{
		name: "malformed Directory.Packages.props",
		setup: func(t *testing.T, root, _ string) {
			write(t, filepath.Join(root, "Bad/Directory.Packages.props"), "<Project>\n  <PropertyGroup>\n    <ManagePackageVersionsCentrally>true\n  </PropertyGroup>\n</Project>\n")
		},
		findings: []string{"Bad/Directory.Packages.props:4: element <ManagePackageVersionsCentrally> closed by </PropertyGroup>; Bad/Bad.csproj was not migrated [unreadable, needs a person]"},
		same:     []string{"Bad/Bad.csproj", "Bad/Hello.cs", "Bad/Directory.Packages.props"},
	},
	{
		name: "C# syntax error",
		setup: func(t *testing.T, root, _ string) {
			write(t, filepath.Join(root, "Bad/Broken.cs"), `using Microsoft.Azure.WebJobs;

namespace Bad
{
    public static class Broken
    {
        [FunctionName("Broken")]
        public static void Run([QueueTrigger("q")] string item)
        {
            var x = ;
        }

        [FunctionName("Fine")]
        public static void Fine([QueueTrigger("q2")] string item)
        {
        }
    }
}
`)
		},
		findings: []string{"Bad/Broken.cs:10: syntax error: the C# parser cannot read this code, so nothing here was migrated [cs-source, needs a person]"},
		changed:  []string{"Bad/Bad.csproj", "Bad/Hello.cs", "Bad/Broken.cs"},
	},
	{
		name: "binary file with a .cs name",
		setup: func(t *testing.T, root, _ string) {
			write(t, filepath.Join(root, "Bad/Blob.cs"), "MZ\x90\x00\x03\x00\x00\x00")
		},
		findings: []string{"Bad/Blob.cs: contains NUL bytes (binary or UTF-16 without a byte-order mark); it was not edited [cs-source, needs a person]"},
		same:     []string{"Bad/Blob.cs"},
		changed:  []string{"Bad/Bad.csproj", "Bad/Hello.cs"},
	},
	{
		name: "UTF-16 C# file",
		setup: func(t *testing.T, root, _ string) {
			write(t, filepath.Join(root, "Bad/Hello.cs"), utf16LE(strings.ReplaceAll(appFiles["Hello.cs"], "NAME", "Bad")))
		},
		findings: []string{"Bad/Hello.cs: is UTF-16 encoded; save it as UTF-8 and run funcmigrate again [cs-source, needs a person]"},
		same:     []string{"Bad/Hello.cs"},
		changed:  []string{"Bad/Bad.csproj"},
	},
	{
		name: "C# file over the size limit",
		setup: func(t *testing.T, root, _ string) {
			oversize(t, filepath.Join(root, "Bad/Huge.cs"))
		},
		findings: []string{"Bad/Huge.cs: 16777217 bytes is over the 16777216-byte limit; migrate it by hand [cs-source, needs a person]"},
		same:     []string{"Bad/Huge.cs"},
		changed:  []string{"Bad/Bad.csproj", "Bad/Hello.cs"},
	},
	{
		name: "empty C# file",
		setup: func(t *testing.T, root, _ string) {
			write(t, filepath.Join(root, "Bad/Empty.cs"), "")
		},
		same:    []string{"Bad/Empty.cs"},
		changed: []string{"Bad/Bad.csproj", "Bad/Hello.cs"},
	},
	{
		name: "Latin-1 bytes in a C# comment",
		setup: func(t *testing.T, root, _ string) {
			src := strings.ReplaceAll(appFiles["Hello.cs"], "NAME", "Bad")
			write(t, filepath.Join(root, "Bad/Hello.cs"), strings.Replace(src, "namespace", "// caf\xe9 cr\xe8me\nnamespace", 1))
		},
		changed: []string{"Bad/Bad.csproj", "Bad/Hello.cs"},
	},
	{
		name: "settings with comments and trailing commas",
		setup: func(t *testing.T, root, _ string) {
			write(t, filepath.Join(root, "Bad/local.settings.json"), "{\n  // local only\n  \"Values\": {\n    \"FUNCTIONS_WORKER_RUNTIME\": \"dotnet\", /* was in-process */\n  },\n}\n")
		},
		changed: []string{"Bad/Bad.csproj", "Bad/Hello.cs", "Bad/local.settings.json"},
	},
	{
		name: "broken local.settings.json",
		setup: func(t *testing.T, root, _ string) {
			write(t, filepath.Join(root, "Bad/local.settings.json"), "{\n  \"Values\": {\n    \"FUNCTIONS_WORKER_RUNTIME\" \"dotnet\"\n  }\n}\n")
		},
		findings: []string{`Bad/local.settings.json:3: expected ':' after object key [unreadable, needs a person]`},
		same:     []string{"Bad/local.settings.json"},
		changed:  []string{"Bad/Bad.csproj", "Bad/Hello.cs"},
	},
	{
		name: "empty host.json",
		setup: func(t *testing.T, root, _ string) {
			write(t, filepath.Join(root, "Bad/host.json"), "")
		},
		findings: []string{"Bad/host.json: empty file, expected a JSON object [unreadable, needs a person]"},
		same:     []string{"Bad/host.json"},
		changed:  []string{"Bad/Bad.csproj", "Bad/Hello.cs", "Bad/local.settings.json"},
	},
	{
		name: "C# file that cannot be read",
		setup: func(t *testing.T, root, _ string) {
			requireNotRoot(t)
			path := filepath.Join(root, "Bad/Secret.cs")
			write(t, path, "class Secret {}\n")
			os.Chmod(path, 0)
			t.Cleanup(func() { os.Chmod(path, 0o644) })
		},
		findings: []string{"Bad/Secret.cs: permission denied [cs-source, needs a person]"},
		same:     []string{"Bad/Hello.cs"},
	},
	{
		name: "folder that cannot be read",
		setup: func(t *testing.T, root, _ string) {
			requireNotRoot(t)
			dir := filepath.Join(root, "Locked")
			writeApp(t, dir, "Locked")
			os.Chmod(dir, 0)
			t.Cleanup(func() { os.Chmod(dir, 0o755) })
		},
		findings: []string{"Locked: permission denied; the folder was not searched [unreadable, needs a person]"},
		changed:  []string{"Bad/Bad.csproj", "Bad/Hello.cs"},
	},
	{
		name: "C# file linked from outside the tree",
		setup: func(t *testing.T, root, outside string) {
			write(t, filepath.Join(outside, "Shared.cs"), "using Microsoft.Azure.WebJobs;\nclass Shared {}\n")
			symlink(t, filepath.Join(outside, "Shared.cs"), filepath.Join(root, "Bad/Shared.cs"))
		},
		findings: []string{"Bad/Shared.cs: the project compiles Bad/Shared.cs from outside its folder or through a symbolic link; it was not edited [cs-source, needs a person]"},
		changed:  []string{"Bad/Bad.csproj", "Bad/Hello.cs"},
	},
	{
		name: "folder linked from outside the tree",
		setup: func(t *testing.T, root, outside string) {
			write(t, filepath.Join(outside, "lib/Queue.cs"), "using Microsoft.Azure.WebJobs;\nclass Q { [FunctionName(\"Q\")] public static void Run([QueueTrigger(\"q\")] string s) {} }\n")
			symlink(t, filepath.Join(outside, "lib"), filepath.Join(root, "Bad/lib"))
		},
		findings: []string{"Bad/lib: the project compiles Bad/lib from outside its folder or through a symbolic link; it was not edited [cs-source, needs a person]"},
		changed:  []string{"Bad/Bad.csproj", "Bad/Hello.cs"},
	},
	{
		name: "Compile item outside the tree",
		setup: func(t *testing.T, root, outside string) {
			write(t, filepath.Join(outside, "Linked.cs"), "using Microsoft.Azure.WebJobs;\nclass Linked {}\n")
			proj := strings.ReplaceAll(appFiles["NAME.csproj"], "</Project>", "  <ItemGroup>\n    <Compile Include=\"..\\..\\outside\\Linked.cs\" />\n  </ItemGroup>\n</Project>")
			write(t, filepath.Join(root, "Bad/Bad.csproj"), proj)
		},
		findings: []string{"../outside/Linked.cs: the project compiles ../outside/Linked.cs from outside its folder or through a symbolic link; it was not edited [cs-source, needs a person]"},
		changed:  []string{"Bad/Bad.csproj", "Bad/Hello.cs"},
	},
	{
		name: "Compile item elsewhere in the tree",
		setup: func(t *testing.T, root, _ string) {
			write(t, filepath.Join(root, "Common/Timer.cs"), "using Microsoft.Azure.WebJobs;\n\nnamespace Common\n{\n    public static class Tick\n    {\n        [FunctionName(\"Tick\")]\n        public static void Run([TimerTrigger(\"0 */5 * * * *\")] TimerInfo timer)\n        {\n        }\n    }\n}\n")
			proj := strings.ReplaceAll(appFiles["NAME.csproj"], "</Project>", "  <ItemGroup>\n    <Compile Include=\"..\\Common\\Timer.cs\" />\n  </ItemGroup>\n</Project>")
			write(t, filepath.Join(root, "Bad/Bad.csproj"), proj)
		},
		changed: []string{"Bad/Bad.csproj", "Bad/Hello.cs", "Common/Timer.cs"},
	},
	{
		name: "central package versions above the tree",
		setup: func(t *testing.T, root, _ string) {
			write(t, filepath.Join(root, "../Directory.Packages.props"), "<Project>\n  <PropertyGroup>\n    <ManagePackageVersionsCentrally>true</ManagePackageVersionsCentrally>\n  </PropertyGroup>\n  <ItemGroup>\n    <PackageVersion Include=\"Microsoft.NET.Sdk.Functions\" Version=\"4.4.0\" />\n  </ItemGroup>\n</Project>\n")
			proj := strings.ReplaceAll(appFiles["NAME.csproj"], ` Version="4.4.0"`, "")
			write(t, filepath.Join(root, "Bad/Bad.csproj"), proj)
			write(t, filepath.Join(root, "Good/Good.csproj"), strings.ReplaceAll(proj, "Bad", "Good"))
		},
		findings: []string{"../Directory.Packages.props: outside the folder funcmigrate was pointed at (or reached through a symbolic link), so it was not edited [outside-tree, needs a person]"},
		same:     []string{"../Directory.Packages.props"},
		changed:  []string{"Bad/Bad.csproj", "Bad/Hello.cs"},
	},
	{
		name: "settings file that is a symbolic link",
		setup: func(t *testing.T, root, outside string) {
			write(t, filepath.Join(outside, "local.settings.json"), appFiles["local.settings.json"])
			symlink(t, filepath.Join(outside, "local.settings.json"), filepath.Join(root, "Bad/local.settings.json"))
		},
		findings: []string{"Bad/local.settings.json: is a symbolic link; funcmigrate does not follow links so it never edits files outside the tree [unreadable, needs a person]"},
		changed:  []string{"Bad/Bad.csproj", "Bad/Hello.cs"},
	},
}

func requireNotRoot(t *testing.T) {
	t.Helper()
	if os.Geteuid() == 0 {
		t.Skip("permissions do not apply to root")
	}
}

// TestBadInput runs diff and apply over a tree with one bad input each, and
// checks the exact findings, that diff writes nothing, that apply leaves
// the bad input and everything outside the tree alone, and that the rest
// of the tree is still migrated.
func TestBadInput(t *testing.T) {
	for _, tc := range badCases {
		t.Run(tc.name, func(t *testing.T) {
			for _, mode := range []string{"diff", "apply"} {
				top := t.TempDir()
				root, outside := filepath.Join(top, "repo"), filepath.Join(top, "outside")
				writeApp(t, filepath.Join(root, "Good"), "Good")
				writeApp(t, filepath.Join(root, "Bad"), "Bad")
				os.MkdirAll(outside, 0o755)
				tc.setup(t, root, outside)
				before := takeSnapshot(t, top)

				code, stdout, stderr := runIn(t, root, mode, ".")
				findings := stderr
				if mode == "apply" {
					findings = stdout
				}
				if code != 1 {
					t.Fatalf("%s: exit %d, want 1 (findings need a person)\n%s%s", mode, code, stdout, stderr)
				}
				for _, want := range tc.findings {
					if !containsLine(findings, want) {
						t.Errorf("%s: no finding\n\t%s\nin\n%s", mode, want, findings)
					}
				}
				after := takeSnapshot(t, top)
				if mode == "diff" {
					if d := diffSnapshots(after, before); d != "" {
						t.Errorf("diff changed the tree:\n%s", d)
					}
					if !strings.Contains(stdout, "+++ b/Good/Program.cs") {
						t.Errorf("diff did not migrate the good app:\n%s", stdout)
					}
					continue
				}
				if _, ok := after["repo/Good/Program.cs"]; !ok {
					t.Errorf("apply did not migrate the good app")
				}
				// Idempotent: after apply, nothing is left to change.
				if _, patch, _ := runIn(t, root, "diff", "."); patch != "" {
					t.Errorf("a second run still changes the tree:\n%s", patch)
				}
				for _, p := range tc.same {
					key := filepath.ToSlash(filepath.Join("repo", p))
					if !bytes.Equal(after[key].data, before[key].data) {
						t.Errorf("apply changed %s", p)
					}
				}
				for _, p := range tc.changed {
					key := filepath.ToSlash(filepath.Join("repo", p))
					if bytes.Equal(after[key].data, before[key].data) {
						t.Errorf("apply did not migrate %s", p)
					}
				}
				for p, f := range before {
					if strings.HasPrefix(p, "outside/") && !bytes.Equal(after[p].data, f.data) {
						t.Errorf("apply wrote outside the tree: %s", p)
					}
				}
				for p := range after {
					if strings.HasPrefix(p, "outside/") {
						if _, ok := before[p]; !ok {
							t.Errorf("apply created a file outside the tree: %s", p)
						}
					}
				}
			}
		})
	}
}

func containsLine(text, line string) bool {
	for _, l := range strings.Split(text, "\n") {
		if l == line {
			return true
		}
	}
	return false
}
