package deploy

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"

	"github.com/funcmigrate/funcmigrate/rewrite/edit"
	"github.com/funcmigrate/funcmigrate/rewrite/report"
	"github.com/funcmigrate/funcmigrate/settings"
)

var update = flag.Bool("update", false, "rewrite the want and findings sections of testdata/*/*.txtar (never the input)")

// TestFixtures runs every testdata/<kind>/*.txtar fixture through MigrateFile.
//
// The comment starts with a "# " line saying why the case exists. Further
// comment lines are options:
//
//	target net8.0   the target framework (default net10.0)
//	crlf            convert "\n" to "\r\n" in the input and want before
//	                running, so the fixture itself stays LF-only
//	bom             prepend a UTF-8 byte order mark to the input and want
//
// Sections:
//
//	-- in/<path> --  the input; <path> decides the kind (.github/workflows/x.yml)
//	-- want --       the file after the edits; absent means unchanged
//	-- findings --   one line per finding: "<line>: <rule>: <message> | <action>",
//	                 line 1-based in the input; absent means none
//
// Every fixture also checks that a second run on the output gives no edits,
// that the edits change something and leave the bytes around them alone,
// that a CRLF file gains no bare "\n", that JSON still parses, and that each
// finding is complete.
func TestFixtures(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "*", "*.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no fixtures")
	}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.ToSlash(strings.TrimPrefix(file, "testdata"+string(filepath.Separator))), ".txtar")
		t.Run(name, func(t *testing.T) { runFixture(t, file) })
	}
}

func runFixture(t *testing.T, file string) {
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	ar := txtar.Parse(data)
	lines := strings.Split(strings.TrimRight(string(ar.Comment), "\n"), "\n")
	if !strings.HasPrefix(lines[0], "# ") {
		t.Fatalf("the comment must start with a \"# why\" line")
	}
	opt := Options{TargetFramework: "net10.0"}
	crlf, bom := false, false
	for _, l := range lines[1:] {
		switch f := strings.Fields(l); {
		case len(f) == 0:
		case f[0] == "crlf":
			crlf = true
		case f[0] == "bom":
			bom = true
		case f[0] == "target" && len(f) == 2:
			opt.TargetFramework = f[1]
		default:
			t.Fatalf("unknown option %q", l)
		}
	}
	conv := func(b []byte) []byte {
		if crlf {
			b = bytes.ReplaceAll(b, []byte("\n"), []byte("\r\n"))
		}
		if bom {
			b = append([]byte("\xef\xbb\xbf"), b...)
		}
		return b
	}
	unconv := func(b []byte) []byte {
		return bytes.ReplaceAll(bytes.TrimPrefix(b, []byte("\xef\xbb\xbf")), []byte("\r\n"), []byte("\n"))
	}
	var path string
	var in []byte
	sections := map[string][]byte{}
	for _, f := range ar.Files {
		switch {
		case strings.HasPrefix(f.Name, "in/"):
			if path != "" {
				t.Fatal("more than one in/ section")
			}
			path, in = strings.TrimPrefix(f.Name, "in/"), conv(f.Data)
		case f.Name == "want" || f.Name == "findings":
			sections[f.Name] = f.Data
		default:
			t.Fatalf("unknown section %q", f.Name)
		}
	}
	if path == "" {
		t.Fatal("no -- in/<path> -- section")
	}

	edits, findings, err := MigrateFile(path, in, opt)
	if err != nil {
		t.Fatal(err)
	}
	got, err := edit.Apply(in, edits)
	if err != nil {
		t.Fatalf("invalid edits: %v", err)
	}
	gotFindings := formatFindings(t, in, findings)

	if *update {
		out := &txtar.Archive{Comment: ar.Comment, Files: []txtar.File{{Name: "in/" + path, Data: ar.Files[0].Data}}}
		for _, f := range ar.Files {
			if strings.HasPrefix(f.Name, "in/") {
				out.Files[0].Data = f.Data
			}
		}
		if !bytes.Equal(got, in) {
			out.Files = append(out.Files, txtar.File{Name: "want", Data: unconv(got)})
		}
		if len(gotFindings) > 0 {
			out.Files = append(out.Files, txtar.File{Name: "findings", Data: gotFindings})
		}
		if formatted := txtar.Format(out); !bytes.Equal(formatted, data) {
			if err := os.WriteFile(file, formatted, 0o666); err != nil {
				t.Fatal(err)
			}
			t.Logf("updated %s", file)
		}
		sections = map[string][]byte{}
		for _, f := range out.Files[1:] {
			sections[f.Name] = f.Data
		}
	}

	want, ok := sections["want"]
	if !ok {
		want = in
	} else {
		want = conv(want)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("output mismatch\n--- got ---\n%s\n--- want ---\n%s", got, want)
	}
	if w := sections["findings"]; !bytes.Equal(gotFindings, w) {
		t.Errorf("findings mismatch\n--- got ---\n%s--- want ---\n%s", gotFindings, w)
	}

	checkEdits(t, in, got, edits)
	if crlf && bytes.Count(got, []byte("\n")) != bytes.Count(got, []byte("\r\n")) {
		t.Errorf("output has a bare \\n line ending in a CRLF file:\n%q", got)
	}
	if bom && !bytes.HasPrefix(got, []byte("\xef\xbb\xbf")) {
		t.Errorf("the byte order mark is gone")
	}
	if strings.HasSuffix(path, ".json") {
		if _, err := settings.ParseJSON(path, in); err == nil {
			if _, err := settings.ParseJSON(path, got); err != nil {
				t.Errorf("output no longer parses: %v", err)
			}
		}
	}
	again, _, err := MigrateFile(path, got, opt)
	if err != nil {
		t.Fatalf("second run: %v", err)
	}
	if len(again) > 0 {
		out, _ := edit.Apply(got, again)
		t.Errorf("second run is not a no-op: %v\n%s", again, out)
	}
}

// checkEdits checks that every edit changes something and that the bytes
// between edits are those of the input, in order.
func checkEdits(t *testing.T, in, got []byte, edits []edit.Edit) {
	t.Helper()
	es := append([]edit.Edit(nil), edits...)
	sort.SliceStable(es, func(i, j int) bool { return es[i].Start < es[j].Start })
	pos, last := 0, 0
	for _, e := range es {
		if string(in[e.Start:e.End]) == e.New {
			t.Errorf("edit %+v changes nothing", e)
		}
		keep := in[last:e.Start]
		if !bytes.Equal(got[pos:pos+len(keep)], keep) {
			t.Errorf("bytes before edit %+v changed", e)
		}
		pos += len(keep) + len(e.New)
		last = e.End
	}
	if !bytes.Equal(got[pos:], in[last:]) {
		t.Errorf("bytes after the last edit changed")
	}
}

// formatFindings renders findings as "line: rule: message | action",
// checking that each is complete.
func formatFindings(t *testing.T, src []byte, findings []report.Finding) []byte {
	t.Helper()
	var b bytes.Buffer
	for _, f := range findings {
		if !strings.HasPrefix(f.Rule, "deploy-") || f.Message == "" || f.Action == "" ||
			!strings.HasPrefix(f.Ref, "MAPPING.md §") || !strings.HasPrefix(f.URL, "https://learn.microsoft.com/") {
			t.Errorf("incomplete finding: %+v", f)
		}
		if f.Path != "" || f.Line != 0 || f.Marker {
			t.Errorf("finding sets Path, Line or Marker, which are the engine's: %+v", f)
		}
		if f.Offset < 0 || f.Offset > len(src) {
			t.Errorf("finding offset %d outside the file (%d bytes)", f.Offset, len(src))
		}
		line := 1 + bytes.Count(src[:min(f.Offset, len(src))], []byte("\n"))
		fmt.Fprintf(&b, "%d: %s: %s | %s\n", line, f.Rule, f.Message, f.Action)
	}
	return b.Bytes()
}

// TestScan runs Scan over a small tree: folders that must be skipped (bin,
// obj, node_modules, dot-folders) and entered (.github, .vscode), symbolic
// links that must not be followed, files too large or not text, and the
// settings files the engine handles itself.
func TestScan(t *testing.T) {
	root := t.TempDir()
	outside := t.TempDir()
	inproc := "FUNCTIONS_WORKER_RUNTIME: 'dotnet'\n"
	write := func(dir, name, content string) {
		t.Helper()
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(root, ".github/workflows/deploy.yml", "env:\n  FUNCTIONS_WORKER_RUNTIME: dotnet\n")
	write(root, ".vscode/settings.json", `{"azureFunctions.deploySubpath": "bin/Release/net6.0/publish"}`)
	write(root, "infra/main.bicep", "var settings = {\n  "+inproc+"}\n")
	write(root, "docs/README.md", "Set FUNCTIONS_WORKER_RUNTIME to dotnet.\n")
	write(root, "infra/node.bicep", "var s = {\n  FUNCTIONS_WORKER_RUNTIME: 'node'\n}\n")
	write(root, "bin/Release/x.bicep", "var s = {\n  "+inproc+"}\n")
	write(root, "src/obj/Dockerfile", "FROM mcr.microsoft.com/azure-functions/dotnet:4\n")
	write(root, "node_modules/pkg/azure-pipelines.yml", "FUNCTIONS_WORKER_RUNTIME: dotnet\n")
	write(root, ".git/hooks/x.sh", "az functionapp create --runtime dotnet\n")
	write(root, ".terraform/modules/m.tf", `app_settings = { FUNCTIONS_WORKER_RUNTIME = "dotnet" }`+"\n")
	write(root, "app/local.settings.json", `{"Values": {"FUNCTIONS_WORKER_RUNTIME": "dotnet"}}`)
	write(root, "app/host.json", `{"version": "2.0"}`)
	write(root, "app/Function1.cs", "// FUNCTIONS_WORKER_RUNTIME: dotnet\n")
	write(root, "infra/binary.bicep", "FUNCTIONS_WORKER_RUNTIME: 'dotnet'\x00\n")
	write(root, "infra/latin1.bicep", "// caf\xe9\nvar s = {\n  "+inproc+"}\n")
	write(root, "infra/big.bicep", "var s = {\n  "+inproc+"}\n"+strings.Repeat("// padding\n", 2<<20/11+1))
	write(outside, "main.bicep", "var s = {\n  "+inproc+"}\n")
	if err := os.Symlink(outside, filepath.Join(root, "linked")); err != nil {
		t.Skipf("no symbolic links here: %v", err)
	}
	if err := os.Symlink(filepath.Join(outside, "main.bicep"), filepath.Join(root, "infra", "link.bicep")); err != nil {
		t.Fatal(err)
	}

	results, err := Scan(root, Options{TargetFramework: "net8.0"})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range results {
		if !filepath.IsAbs(r.Abs) {
			t.Errorf("%s is not absolute", r.Abs)
		}
		data, err := os.ReadFile(r.Abs)
		if err != nil || !bytes.Equal(data, r.Src) {
			t.Errorf("%s: Src is not the file's bytes", r.Abs)
		}
		if len(r.Edits) == 0 && len(r.Findings) == 0 {
			t.Errorf("%s: listed without edits or findings", r.Abs)
		}
		rel, _ := filepath.Rel(root, r.Abs)
		got = append(got, filepath.ToSlash(rel))
	}
	want := []string{".github/workflows/deploy.yml", ".vscode/settings.json", "docs/README.md", "infra/main.bicep"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("Scan found\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, r := range results {
		if strings.HasSuffix(r.Abs, "settings.json") {
			out, _ := edit.Apply(r.Src, r.Edits)
			if !strings.Contains(string(out), "bin/Release/net8.0/publish") {
				t.Errorf("deploySubpath not retargeted: %s", out)
			}
		}
	}

	if _, err := Scan(root, Options{TargetFramework: "net7.0"}); err == nil {
		t.Error("Scan accepted net7.0")
	}
}

// TestKindOf pins the file name rules of doc.go.
func TestKindOf(t *testing.T) {
	for p, want := range map[string]kind{
		"infra/main.bicep":                       kindBicep,
		"main.bicepparam":                        kindBicep,
		"azuredeploy.json":                       kindJSON,
		"main.tf":                                kindTerraform,
		"prod.tfvars":                            kindTerraform,
		".github/workflows/ci.yaml":              kindPipeline,
		"azure-pipelines.release.yml":            kindPipeline,
		"build/steps.yml":                        kindYAML,
		"deploy.ps1":                             kindScript,
		"deploy.azcli":                           kindScript,
		"Dockerfile":                             kindDocker,
		"src/Api.Dockerfile":                     kindDocker,
		"Dockerfile.dev":                         kindDocker,
		".vscode/tasks.json":                     kindVSCode,
		"app/.vscode/launch.json":                kindVSCode,
		"other/settings.json":                    kindJSON,
		"Properties/PublishProfiles/x.pubxml":    kindPubxml,
		"local.settings.example.json":            kindSample,
		"local.settings.json.template":           kindSample,
		"app.settings.sample.json":               kindSample,
		"local.settings.json":                    kindNone,
		"app/host.json":                          kindNone,
		"global.json":                            kindGlobalJSON,
		"README.md":                              kindText,
		".env":                                   kindText,
		"Function1.cs":                           kindNone,
		".github/workflows/nested/deep/file.yml": kindYAML,
	} {
		if got := kindOf(p); got != want {
			t.Errorf("kindOf(%q) = %v, want %v", p, got, want)
		}
	}
}
