package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/sample.want from the tool's output")

const sampleDir = "../../testdata/sample"

func requireGit(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
}

func git(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", append([]string{"-c", "core.autocrlf=false", "-c", "user.name=t", "-c", "user.email=t@t"}, args...)...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
	return string(out)
}

// newRepo copies the sample app into a fresh git repository and commits it.
func newRepo(t *testing.T, from string) string {
	t.Helper()
	dir := t.TempDir()
	copyTree(t, from, dir)
	git(t, dir, "init", "-q")
	git(t, dir, "add", "-A")
	git(t, dir, "commit", "-qm", "in-process app")
	return dir
}

func copyTree(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, path)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(to, rel), 0o755)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(to, rel), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// readTree returns every file under dir except .git, by slash path.
func readTree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			t.Fatal(err)
		}
		if d.IsDir() && d.Name() == ".git" {
			return filepath.SkipDir
		}
		if !d.IsDir() {
			rel, _ := filepath.Rel(dir, path)
			files[filepath.ToSlash(rel)], _ = os.ReadFile(path)
		}
		return nil
	})
	return files
}

func runIn(t *testing.T, dir string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	t.Chdir(dir)
	var o, e bytes.Buffer
	code = run(args, &o, &e)
	return code, o.String(), e.String()
}

// TestSampleRoundTrip is the promise of the README: the patch that diff
// prints for the sample apps applies with git apply and gives exactly what
// apply writes, and that is the reviewed expected tree in
// testdata/sample.want.
func TestSampleRoundTrip(t *testing.T) {
	requireGit(t)
	want, err := filepath.Abs(sampleDir + ".want")
	if err != nil {
		t.Fatal(err)
	}
	viaPatch := newRepo(t, sampleDir)
	inPlace := newRepo(t, sampleDir)

	code, patch, stderr := runIn(t, viaPatch, "diff", ".")
	if code != 1 { // the sample has findings that need a person (deployment settings)
		t.Fatalf("diff exit %d, want 1\n%s", code, stderr)
	}
	if !strings.Contains(patch, "+++ b/OrderApp/Program.cs") || !strings.Contains(patch, "+++ b/InventoryApp/Program.cs") {
		t.Fatalf("patch does not create Program.cs:\n%s", patch)
	}
	os.WriteFile(filepath.Join(viaPatch, "m.patch"), []byte(patch), 0o644)
	git(t, viaPatch, "apply", "--check", "m.patch")
	git(t, viaPatch, "apply", "m.patch")
	os.Remove(filepath.Join(viaPatch, "m.patch"))

	code, out, stderr := runIn(t, inPlace, "apply", ".")
	if code != 1 {
		t.Fatalf("apply exit %d, want 1\n%s%s", code, out, stderr)
	}
	a, b := readTree(t, viaPatch), readTree(t, inPlace)
	for path, data := range b {
		if !bytes.Equal(a[path], data) {
			t.Errorf("%s: git apply of the patch and apply differ", path)
		}
	}
	if len(a) != len(b) {
		t.Errorf("git apply gave %d files, apply %d", len(a), len(b))
	}

	wantDir := want
	if *update {
		os.RemoveAll(wantDir)
		copyTree(t, inPlace, wantDir)
		os.RemoveAll(filepath.Join(wantDir, ".git"))
		t.Logf("updated %s", wantDir)
		return
	}
	wantFiles := readTree(t, wantDir)
	for path, data := range b {
		if w, ok := wantFiles[path]; !ok {
			t.Errorf("%s: not in testdata/sample.want", path)
		} else if !bytes.Equal(w, data) {
			t.Errorf("%s differs from testdata/sample.want:\n--- got ---\n%s\n--- want ---\n%s", path, data, w)
		}
	}
	for path := range wantFiles {
		if _, ok := b[path]; !ok {
			t.Errorf("%s: expected but not produced", path)
		}
	}

	// A second run finds an isolated project and changes nothing.
	code, patch, stderr = runIn(t, inPlace, "diff", "--check", ".")
	if code != 0 || patch != "" {
		t.Errorf("second run: exit %d, patch %q\n%s", code, patch, stderr)
	}
	if !strings.Contains(stderr, "already uses the isolated worker") {
		t.Errorf("second run does not say why it skipped the project:\n%s", stderr)
	}
}

func TestCheckAndOutputFile(t *testing.T) {
	requireGit(t)
	repo := newRepo(t, filepath.Join(sampleDir, "OrderApp"))
	code, stdout, _ := runIn(t, repo, "diff", "--check", "--no-todo-comments", "-o", "m.patch", ".")
	if code != 1 {
		t.Fatalf("--check with pending changes: exit %d, want 1", code)
	}
	patch, err := os.ReadFile(filepath.Join(repo, "m.patch"))
	if err != nil || !bytes.Contains(patch, []byte("diff --git a/OrderApp.csproj b/OrderApp.csproj")) {
		t.Fatalf("-o did not write the patch: %v", err)
	}
	if !strings.Contains(stdout, "deploy-settings") {
		t.Errorf("with -o the findings go to standard output; got:\n%s", stdout)
	}
	if bytes.Contains(patch, []byte("TODO(funcmigrate)")) {
		t.Errorf("--no-todo-comments still wrote markers")
	}
}

func TestApplyRefusesDirtyTree(t *testing.T) {
	requireGit(t)
	repo := newRepo(t, filepath.Join(sampleDir, "OrderApp"))
	path := filepath.Join(repo, "Functions", "GetOrder.cs")
	orig, _ := os.ReadFile(path)
	os.WriteFile(path, append(orig, []byte("// local edit\n")...), 0o644)
	code, _, stderr := runIn(t, repo, "apply", ".")
	if code != 2 || !strings.Contains(stderr, "uncommitted changes in Functions/GetOrder.cs") {
		t.Fatalf("exit %d, stderr:\n%s", code, stderr)
	}
	if now, _ := os.ReadFile(filepath.Join(repo, "OrderApp.csproj")); bytes.Contains(now, []byte("Worker")) {
		t.Fatalf("refused apply still wrote the project file")
	}
	code, _, stderr = runIn(t, repo, "apply", "--allow-dirty", ".")
	if code != 1 {
		t.Fatalf("--allow-dirty: exit %d\n%s", code, stderr)
	}
}

func TestJSONFindings(t *testing.T) {
	requireGit(t)
	repo := newRepo(t, filepath.Join(sampleDir, "OrderApp"))
	_, _, stderr := runIn(t, repo, "diff", "--format", "json", ".")
	lines := strings.Split(strings.TrimSpace(stderr), "\n")
	if len(lines) < 3 {
		t.Fatalf("too few findings:\n%s", stderr)
	}
	for _, l := range lines {
		var f map[string]any
		if err := json.Unmarshal([]byte(l), &f); err != nil {
			t.Fatalf("not a JSON line: %q: %v", l, err)
		}
		for _, k := range []string{"rule", "file", "line", "message", "reference", "severity"} {
			if _, ok := f[k]; !ok {
				t.Errorf("finding lacks %q: %s", k, l)
			}
		}
	}
}

func TestErrors(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"frobnicate"}, `unknown command "frobnicate"`},
		{[]string{"diff"}, "no PATH given"},
		{[]string{"diff", "--target-framework", "net7.0", "."}, "choose one of net10.0"},
		{[]string{"diff", "--format", "xml", "."}, "choose text, json, sarif, markdown"},
		{[]string{"apply", "--check", "."}, "--check and -o belong to diff"},
		{[]string{"diff", "missing-folder"}, "missing-folder"},
	} {
		code, _, stderr := runIn(t, dir, tc.args...)
		if code != 2 || !strings.Contains(stderr, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 mentioning %q", tc.args, code, stderr, tc.want)
		}
	}
}

// TestSharedCentralPackages: two function apps under one
// Directory.Packages.props. The patch must hold one diff for the shared
// file with both apps' needs, and git apply must agree with apply.
func TestSharedCentralPackages(t *testing.T) {
	requireGit(t)
	proj := func(pkgs string) string {
		return "<Project Sdk=\"Microsoft.NET.Sdk\">\n  <PropertyGroup>\n    <TargetFramework>net8.0</TargetFramework>\n    <AzureFunctionsVersion>v4</AzureFunctionsVersion>\n  </PropertyGroup>\n  <ItemGroup>\n" + pkgs + "  </ItemGroup>\n</Project>\n"
	}
	src := t.TempDir()
	files := map[string]string{
		"Directory.Packages.props": "<Project>\n  <PropertyGroup>\n    <ManagePackageVersionsCentrally>true</ManagePackageVersionsCentrally>\n  </PropertyGroup>\n  <ItemGroup>\n    <PackageVersion Include=\"Microsoft.NET.Sdk.Functions\" Version=\"4.4.1\" />\n    <PackageVersion Include=\"Microsoft.Azure.WebJobs.Extensions.Storage.Queues\" Version=\"5.3.1\" />\n  </ItemGroup>\n</Project>\n",
		"Api/Api.csproj":           proj("    <PackageReference Include=\"Microsoft.NET.Sdk.Functions\" />\n"),
		"Api/Hello.cs":             "using Microsoft.AspNetCore.Http;\nusing Microsoft.AspNetCore.Mvc;\nusing Microsoft.Azure.WebJobs;\nusing Microsoft.Azure.WebJobs.Extensions.Http;\n\nnamespace Api\n{\n    public static class Hello\n    {\n        [FunctionName(\"Hello\")]\n        public static IActionResult Run([HttpTrigger(AuthorizationLevel.Anonymous, \"get\")] HttpRequest req) => new OkResult();\n    }\n}\n",
		"Worker/Worker.csproj":     proj("    <PackageReference Include=\"Microsoft.NET.Sdk.Functions\" />\n    <PackageReference Include=\"Microsoft.Azure.WebJobs.Extensions.Storage.Queues\" />\n"),
		"Worker/Drain.cs":          "using Microsoft.Azure.WebJobs;\n\nnamespace Worker\n{\n    public class Drain\n    {\n        [FunctionName(\"Drain\")]\n        public void Run([QueueTrigger(\"work\")] string item) { }\n    }\n}\n",
	}
	for name, body := range files {
		os.MkdirAll(filepath.Dir(filepath.Join(src, name)), 0o755)
		os.WriteFile(filepath.Join(src, name), []byte(body), 0o644)
	}
	viaPatch, inPlace := newRepo(t, src), newRepo(t, src)
	_, patch, stderr := runIn(t, viaPatch, "diff", ".")
	if n := strings.Count(patch, "diff --git a/Directory.Packages.props"); n != 1 {
		t.Fatalf("want one diff for the shared props file, got %d\n%s\n%s", n, patch, stderr)
	}
	os.WriteFile(filepath.Join(viaPatch, "m.patch"), []byte(patch), 0o644)
	git(t, viaPatch, "apply", "m.patch")
	os.Remove(filepath.Join(viaPatch, "m.patch"))
	if code, _, stderr := runIn(t, inPlace, "apply", "."); code == 2 {
		t.Fatalf("apply failed: %s", stderr)
	}
	a, b := readTree(t, viaPatch), readTree(t, inPlace)
	for path := range b {
		if !bytes.Equal(a[path], b[path]) {
			t.Errorf("%s: git apply and apply differ:\n%s\n---\n%s", path, a[path], b[path])
		}
	}
	props := string(b["Directory.Packages.props"])
	for _, want := range []string{
		`<PackageVersion Include="Microsoft.Azure.Functions.Worker" Version="2.52.0" />`,
		`<PackageVersion Include="Microsoft.Azure.Functions.Worker.Extensions.Http.AspNetCore" Version="2.1.1" />`,
		`<PackageVersion Include="Microsoft.Azure.Functions.Worker.Extensions.Storage.Queues" Version="5.5.5" />`,
	} {
		if strings.Count(props, want) != 1 {
			t.Errorf("props should list %s exactly once:\n%s", want, props)
		}
	}
	if strings.Contains(string(b["Worker/Worker.csproj"]), "Version=") {
		t.Errorf("with central package management the project's references stay version-less:\n%s", b["Worker/Worker.csproj"])
	}
}

// Run from outside the repository, the patch paths are still relative to
// the repository that holds the app, so git apply takes them there.
func TestPatchPathsFromOutsideTheRepo(t *testing.T) {
	requireGit(t)
	repo := newRepo(t, filepath.Join(sampleDir, "OrderApp"))
	elsewhere := t.TempDir()
	_, patch, _ := runIn(t, elsewhere, "diff", repo)
	if !strings.Contains(patch, "diff --git a/OrderApp.csproj b/OrderApp.csproj") {
		t.Fatalf("paths are not relative to the app's repository:\n%.300s", patch)
	}
	os.WriteFile(filepath.Join(repo, "m.patch"), []byte(patch), 0o644)
	git(t, repo, "apply", "--check", "m.patch")
}
