package udiff

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// numbered returns lines "prefix1\n" … "prefixN\n".
func numbered(prefix string, n int) string {
	var s strings.Builder
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&s, "%s%d\n", prefix, i)
	}
	return s.String()
}

// replaceLines returns text with the 1-based lines in repl replaced.
func replaceLines(text string, repl map[int]string) string {
	lines := splitLines(text)
	for n, l := range repl {
		lines[n-1] = l
	}
	return strings.Join(lines, "")
}

type writeCase struct {
	name   string
	reason string
	file   File
	want   string
}

// modified returns a File for a change of an existing file.
func modified(path, old, new string) File {
	return File{Path: path, Old: []byte(old), New: []byte(new), OldExists: true, NewExists: true}
}

var nine = numbered("line", 9)
var twenty = numbered("l", 20)

const bom = "\xef\xbb\xbf"

var writeCases = []writeCase{
	{
		name:   "middle",
		reason: "a one-line change gets 3 context lines on each side",
		file:   modified("middle.txt", nine, replaceLines(nine, map[int]string{5: "LINE5\n"})),
		want: "diff --git a/middle.txt b/middle.txt\n--- a/middle.txt\n+++ b/middle.txt\n" +
			"@@ -2,7 +2,7 @@\n line2\n line3\n line4\n-line5\n+LINE5\n line6\n line7\n line8\n",
	},
	{
		name:   "start",
		reason: "leading context is cut at the start of the file",
		file:   modified("start.txt", nine, replaceLines(nine, map[int]string{1: "LINE1\n"})),
		want: "diff --git a/start.txt b/start.txt\n--- a/start.txt\n+++ b/start.txt\n" +
			"@@ -1,4 +1,4 @@\n-line1\n+LINE1\n line2\n line3\n line4\n",
	},
	{
		name:   "end",
		reason: "trailing context is cut at the end of the file",
		file:   modified("end.txt", nine, replaceLines(nine, map[int]string{9: "LINE9\n"})),
		want: "diff --git a/end.txt b/end.txt\n--- a/end.txt\n+++ b/end.txt\n" +
			"@@ -6,4 +6,4 @@\n line6\n line7\n line8\n-line9\n+LINE9\n",
	},
	{
		name:   "crlf",
		reason: "CR stays inside the line content",
		file:   modified("crlf.txt", "a\r\nb\r\nc\r\n", "a\r\nB\r\nc\r\n"),
		want: "diff --git a/crlf.txt b/crlf.txt\n--- a/crlf.txt\n+++ b/crlf.txt\n" +
			"@@ -1,3 +1,3 @@\n a\r\n-b\r\n+B\r\n c\r\n",
	},
	{
		name:   "bom crlf",
		reason: "a BOM is just bytes of the first line",
		file: modified("Bom.cs",
			bom+"using System;\r\n\r\nnamespace App\r\n{\r\n}\r\n",
			bom+"using System;\r\nusing System.Net;\r\n\r\nnamespace App\r\n{\r\n}\r\n"),
		want: "diff --git a/Bom.cs b/Bom.cs\n--- a/Bom.cs\n+++ b/Bom.cs\n" +
			"@@ -1,4 +1,5 @@\n " + bom + "using System;\r\n+using System.Net;\r\n \r\n namespace App\r\n {\r\n",
	},
	{
		name:   "no eol changed last line",
		reason: "both versions of the last line get the marker",
		file:   modified("noeol.txt", "a\nb\nc", "a\nb\nC"),
		want: "diff --git a/noeol.txt b/noeol.txt\n--- a/noeol.txt\n+++ b/noeol.txt\n" +
			"@@ -1,3 +1,3 @@\n a\n b\n-c\n\\ No newline at end of file\n+C\n\\ No newline at end of file\n",
	},
	{
		name:   "append after no eol",
		reason: "the old last line is replaced by the same text with a newline",
		file:   modified("append.txt", "a\nb", "a\nb\nc\n"),
		want: "diff --git a/append.txt b/append.txt\n--- a/append.txt\n+++ b/append.txt\n" +
			"@@ -1,2 +1,3 @@\n a\n-b\n\\ No newline at end of file\n+b\n+c\n",
	},
	{
		name:   "add eol",
		reason: "adding only the final newline changes the last line",
		file:   modified("AddEol.cs", "a\nb", "a\nb\n"),
		want: "diff --git a/AddEol.cs b/AddEol.cs\n--- a/AddEol.cs\n+++ b/AddEol.cs\n" +
			"@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n",
	},
	{
		name:   "drop eol",
		reason: "dropping only the final newline changes the last line",
		file:   modified("DropEol.cs", "a\nb\n", "a\nb"),
		want: "diff --git a/DropEol.cs b/DropEol.cs\n--- a/DropEol.cs\n+++ b/DropEol.cs\n" +
			"@@ -1,2 +1,2 @@\n a\n-b\n+b\n\\ No newline at end of file\n",
	},
	{
		name:   "new file",
		reason: "a created file diffs against /dev/null with range 0,0",
		file:   File{Path: "Program.cs", New: []byte("using System;\n\nclass Program {}\n"), NewExists: true},
		want: "diff --git a/Program.cs b/Program.cs\nnew file mode 100644\n--- /dev/null\n+++ b/Program.cs\n" +
			"@@ -0,0 +1,3 @@\n+using System;\n+\n+class Program {}\n",
	},
	{
		name:   "deleted file",
		reason: "a deleted file diffs against /dev/null with range 0,0",
		file:   File{Path: "Startup.cs", Old: []byte("using System;\n\nclass Startup {}\n"), OldExists: true},
		want: "diff --git a/Startup.cs b/Startup.cs\ndeleted file mode 100644\n--- a/Startup.cs\n+++ /dev/null\n" +
			"@@ -1,3 +0,0 @@\n-using System;\n-\n-class Startup {}\n",
	},
	{
		name:   "new crlf no eol",
		reason: "a new CRLF file in a new directory ends with the marker",
		file:   File{Path: "src/New/Func.cs", New: []byte("a\r\nb"), NewExists: true},
		want: "diff --git a/src/New/Func.cs b/src/New/Func.cs\nnew file mode 100644\n--- /dev/null\n+++ b/src/New/Func.cs\n" +
			"@@ -0,0 +1,2 @@\n+a\r\n+b\n\\ No newline at end of file\n",
	},
	{
		name:   "distant hunks",
		reason: "changes 13 lines apart get separate hunks",
		file:   modified("distant.txt", twenty, replaceLines(twenty, map[int]string{3: "L3\n", 17: "L17\n"})),
		want: "diff --git a/distant.txt b/distant.txt\n--- a/distant.txt\n+++ b/distant.txt\n" +
			"@@ -1,6 +1,6 @@\n l1\n l2\n-l3\n+L3\n l4\n l5\n l6\n" +
			"@@ -14,7 +14,7 @@\n l14\n l15\n l16\n-l17\n+L17\n l18\n l19\n l20\n",
	},
	{
		name:   "nearby hunks merge",
		reason: "changes 6 (2*context) lines apart share one hunk",
		file:   modified("nearby.txt", twenty, replaceLines(twenty, map[int]string{5: "L5\n", 12: "L12\n"})),
		want: "diff --git a/nearby.txt b/nearby.txt\n--- a/nearby.txt\n+++ b/nearby.txt\n" +
			"@@ -2,14 +2,14 @@\n l2\n l3\n l4\n-l5\n+L5\n l6\n l7\n l8\n l9\n l10\n l11\n-l12\n+L12\n l13\n l14\n l15\n",
	},
	{
		name:   "hunks 7 apart",
		reason: "changes 7 lines apart are just too far to merge",
		file:   modified("seven.txt", twenty, replaceLines(twenty, map[int]string{5: "L5\n", 13: "L13\n"})),
		want: "diff --git a/seven.txt b/seven.txt\n--- a/seven.txt\n+++ b/seven.txt\n" +
			"@@ -2,7 +2,7 @@\n l2\n l3\n l4\n-l5\n+L5\n l6\n l7\n l8\n" +
			"@@ -10,7 +10,7 @@\n l10\n l11\n l12\n-l13\n+L13\n l14\n l15\n l16\n",
	},
	{
		name:   "insert and delete shift lines",
		reason: "the new-side start of a later hunk includes earlier size changes",
		file: modified("shift.txt", twenty, strings.Replace(strings.Replace(twenty,
			"l2\n", "l2\nnew a\nnew b\n", 1), "l16\n", "", 1)),
		want: "diff --git a/shift.txt b/shift.txt\n--- a/shift.txt\n+++ b/shift.txt\n" +
			"@@ -1,5 +1,7 @@\n l1\n l2\n+new a\n+new b\n l3\n l4\n l5\n" +
			"@@ -13,7 +15,6 @@\n l13\n l14\n l15\n-l16\n l17\n l18\n l19\n",
	},
	{
		name:   "space in path",
		reason: "git ends ---/+++ names that contain a space with a TAB",
		file:   modified("My App/Run Func.cs", "a\n", "b\n"),
		want: "diff --git a/My App/Run Func.cs b/My App/Run Func.cs\n--- a/My App/Run Func.cs\t\n+++ b/My App/Run Func.cs\t\n" +
			"@@ -1 +1 @@\n-a\n+b\n",
	},
	{
		name:   "space in new file path",
		reason: "/dev/null gets no TAB, the real name does",
		file:   File{Path: "new dir/a b.cs", New: []byte("x\n"), NewExists: true},
		want:   "diff --git a/new dir/a b.cs b/new dir/a b.cs\nnew file mode 100644\n--- /dev/null\n+++ b/new dir/a b.cs\t\n@@ -0,0 +1 @@\n+x\n",
	},
	{
		name:   "quoted path",
		reason: "git C-quotes names with control characters, quotes or backslashes",
		file:   modified("odd\t\"name\\\x01.txt", "a\n", "b\n"),
		want: "diff --git \"a/odd\\t\\\"name\\\\\\001.txt\" \"b/odd\\t\\\"name\\\\\\001.txt\"\n" +
			"--- \"a/odd\\t\\\"name\\\\\\001.txt\"\n+++ \"b/odd\\t\\\"name\\\\\\001.txt\"\n@@ -1 +1 @@\n-a\n+b\n",
	},
	{
		name:   "quoted path with space",
		reason: "the TAB goes after the closing quote of a name with a space",
		file:   File{Path: "a b\tc.cs", New: []byte("x\n"), NewExists: true},
		want:   "diff --git \"a/a b\\tc.cs\" \"b/a b\\tc.cs\"\nnew file mode 100644\n--- /dev/null\n+++ \"b/a b\\tc.cs\"\t\n@@ -0,0 +1 @@\n+x\n",
	},
	{
		name:   "equal",
		reason: "no change, no output",
		file:   modified("same.txt", nine, nine),
		want:   "",
	},
	{
		name:   "new empty file",
		reason: "git prints no ---/+++ lines and no hunk for an empty new file",
		file:   File{Path: "empty new.txt", NewExists: true},
		want:   "diff --git a/empty new.txt b/empty new.txt\nnew file mode 100644\nindex 0000000..e69de29\n",
	},
	{
		name:   "deleted empty file",
		reason: "git prints no ---/+++ lines and no hunk for a deleted empty file",
		file:   File{Path: "gone/empty.txt", OldExists: true},
		want:   "diff --git a/gone/empty.txt b/gone/empty.txt\ndeleted file mode 100644\nindex e69de29..0000000\n",
	},
	{
		name:   "fill empty file",
		reason: "an existing empty side has the range 0,0",
		file:   modified("filled.txt", "", "x"),
		want:   "diff --git a/filled.txt b/filled.txt\n--- a/filled.txt\n+++ b/filled.txt\n@@ -0,0 +1 @@\n+x\n\\ No newline at end of file\n",
	},
	{
		name:   "empty a file",
		reason: "a file kept but emptied has the new range 0,0",
		file:   modified("emptied.txt", "x\ny\n", ""),
		want:   "diff --git a/emptied.txt b/emptied.txt\n--- a/emptied.txt\n+++ b/emptied.txt\n@@ -1,2 +0,0 @@\n-x\n-y\n",
	},
	{
		name:   "executable new file",
		reason: "Mode is printed on the new file mode line",
		file:   File{Path: "run.sh", New: []byte("#!/bin/sh\n"), NewExists: true, Mode: "100755"},
		want:   "diff --git a/run.sh b/run.sh\nnew file mode 100755\n--- /dev/null\n+++ b/run.sh\n@@ -0,0 +1 @@\n+#!/bin/sh\n",
	},
	{
		name:   "mixed endings no eol context",
		reason: "an unchanged last line without newline is context with the marker",
		file:   modified("mixed.txt", "a\r\nb\nc\r\nd", "a\r\nB\nc\r\nd"),
		want: "diff --git a/mixed.txt b/mixed.txt\n--- a/mixed.txt\n+++ b/mixed.txt\n" +
			"@@ -1,4 +1,4 @@\n a\r\n-b\n+B\n c\r\n d\n\\ No newline at end of file\n",
	},
	{
		name:   "diff-like content",
		reason: "lines that look like patch syntax are just prefixed",
		file: modified("tricky.txt", "--- a/x\n+++ b/x\n@@ -1 +1 @@\n\\ No newline at end of file\n",
			"--- a/x\n+++ b/y\n@@ -1 +1 @@\ndiff --git a/x b/x\n\\ No newline at end of file\n"),
		want: "diff --git a/tricky.txt b/tricky.txt\n--- a/tricky.txt\n+++ b/tricky.txt\n" +
			"@@ -1,4 +1,5 @@\n --- a/x\n-+++ b/x\n++++ b/y\n @@ -1 +1 @@\n+diff --git a/x b/x\n \\ No newline at end of file\n",
	},
	{
		name:   "nul bytes",
		reason: "NUL is an ordinary byte inside a line",
		file:   modified("nul.bin", "a\x00b\nc\n", "a\x00B\nc\n"),
		want:   "diff --git a/nul.bin b/nul.bin\n--- a/nul.bin\n+++ b/nul.bin\n@@ -1,2 +1,2 @@\n-a\x00b\n+a\x00B\n c\n",
	},
}

func TestWrite(t *testing.T) {
	for _, tc := range writeCases {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := Write(&buf, tc.file); err != nil {
				t.Fatal(err)
			}
			if got := buf.String(); got != tc.want {
				t.Errorf("%s\ngot:\n%s\nwant:\n%s", tc.reason, got, tc.want)
			}
		})
	}
}

func TestWriteInvalidPath(t *testing.T) {
	for _, p := range []string{"", "/abs/x.cs", "a\x00b"} {
		var buf bytes.Buffer
		err := Write(&buf, modified(p, "a\n", "b\n"))
		if err == nil || buf.Len() != 0 {
			t.Errorf("Write(path %q) = %v, %q; want an error and no output", p, err, buf.String())
		}
	}
}

type errWriter struct{}

func (errWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestWriteError(t *testing.T) {
	if err := Write(errWriter{}, modified("x", "a\n", "b\n")); err == nil {
		t.Error("Write did not report the writer's error")
	}
}

func TestPatch(t *testing.T) {
	var files []File
	var want strings.Builder
	for _, tc := range writeCases {
		files = append(files, tc.file)
		want.WriteString(tc.want)
	}
	if got := string(Patch(files)); got != want.String() {
		t.Errorf("Patch is not the concatenation of the Write outputs:\n%s", got)
	}
	if got := Patch(nil); len(got) != 0 {
		t.Errorf("Patch(nil) = %q", got)
	}
}

// genCS returns a repetitive C# source of about n lines: many identical
// function bodies that differ only in their names.
func genCS(n int, eol string) []string {
	lines := []string{"using System;", "using Microsoft.AspNetCore.Mvc;", "", "namespace FunctionApp", "{", "    public static class Functions", "    {"}
	for i := 0; len(lines) < n-2; i++ {
		lines = append(lines,
			fmt.Sprintf("        [FunctionName(\"Run%d\")]", i),
			fmt.Sprintf("        public static IActionResult Run%d(", i),
			"            [HttpTrigger(AuthorizationLevel.Function, \"get\", \"post\", Route = null)] HttpRequest req,",
			"            ILogger log)",
			"        {",
			"            log.LogInformation(\"C# HTTP trigger function processed a request.\");",
			"            string name = req.Query[\"name\"];",
			"            return new OkObjectResult(name);",
			"        }",
			"")
	}
	lines = append(lines, "    }", "}")
	for i := range lines {
		lines[i] += eol
	}
	return lines
}

// scatter applies edits modify / insert-2 / delete / replace-with-2 changes
// at distinct random lines, deterministically for a seed.
func scatter(lines []string, edits int, seed uint64, eol string) []string {
	r := rand.New(rand.NewPCG(seed, 0x5eed))
	out := append([]string(nil), lines...)
	pos := r.Perm(len(lines))[:edits]
	sort.Sort(sort.Reverse(sort.IntSlice(pos))) // bottom up keeps positions valid
	for k, p := range pos {
		e1 := fmt.Sprintf("            log.LogWarning(\"edit %d\");%s", k, eol)
		e2 := fmt.Sprintf("            await Task.Delay(%d);%s", k, eol)
		switch r.IntN(4) {
		case 0:
			out[p] = e1
		case 1:
			out = append(out[:p], append([]string{e1, e2}, out[p:]...)...)
		case 2:
			out = append(out[:p], out[p+1:]...)
		case 3:
			out = append(out[:p], append([]string{e1, e2}, out[p+1:]...)...)
		}
	}
	return out
}

// generated returns a generated file of n lines and a copy with edits
// scattered edits.
func generated(n, edits int, eol string) (old, new []byte) {
	lines := genCS(n, eol)
	return []byte(strings.Join(lines, "")), []byte(strings.Join(scatter(lines, edits, uint64(n), eol), ""))
}

// oracleCases returns the table cases plus generated large files, each
// with a distinct path.
func oracleCases() []File {
	var files []File
	for _, tc := range writeCases {
		files = append(files, tc.file)
	}
	old, new := generated(2000, 100, "\n")
	files = append(files, modified("gen/Functions.cs", string(old), string(new)))
	old, new = generated(2000, 100, "\r\n")
	files = append(files, modified("gen/FunctionsCrlf.cs", string(old), strings.TrimSuffix(string(new), "\r\n")))
	return files
}

// git runs git in dir with a configuration that ignores the user's.
func git(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", append([]string{"-c", "core.autocrlf=false"}, args...)...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL="+os.DevNull, "GIT_CONFIG_NOSYSTEM=1")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	return stdout.String()
}

// gitApply writes the old sides of files to a new repository, applies
// patch with git apply and checks the result byte for byte.
func gitApply(t *testing.T, files []File, patch []byte) {
	t.Helper()
	dir := t.TempDir()
	git(t, dir, "init", "-q")
	for _, f := range files {
		if f.OldExists {
			p := filepath.Join(dir, filepath.FromSlash(f.Path))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, f.Old, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	patchFile := filepath.Join(t.TempDir(), "change.patch")
	if err := os.WriteFile(patchFile, patch, 0o644); err != nil {
		t.Fatal(err)
	}
	git(t, dir, "apply", "--check", patchFile)
	git(t, dir, "apply", patchFile)
	for _, f := range files {
		got, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(f.Path)))
		switch {
		case !f.NewExists && err == nil:
			t.Errorf("%s: still exists after the patch", f.Path)
		case !f.NewExists && !os.IsNotExist(err):
			t.Errorf("%s: %v", f.Path, err)
		case f.NewExists && err != nil:
			t.Errorf("%s: %v", f.Path, err)
		case f.NewExists && !bytes.Equal(got, f.New):
			t.Errorf("%s: git apply result differs from New", f.Path)
		}
	}
}

func TestGitApply(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not on PATH")
	}
	files := oracleCases()
	for _, f := range files {
		t.Run(f.Path, func(t *testing.T) {
			patch := Patch([]File{f})
			if len(patch) == 0 {
				return // git apply rejects an empty patch
			}
			gitApply(t, []File{f}, patch)
		})
	}
	t.Run("all files in one patch", func(t *testing.T) {
		gitApply(t, files, Patch(files))
	})
}

// TestGitMinimal checks that the generated diff removes and adds as few
// lines as git diff --minimal.
func TestGitMinimal(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not on PATH")
	}
	dir := t.TempDir()
	old, new := generated(2000, 100, "\n")
	for name, data := range map[string][]byte{"old.cs": old, "new.cs": new, "p.patch": Patch([]File{modified("old.cs", string(old), string(new))})} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ours := strings.Fields(git(t, dir, "apply", "--numstat", "p.patch"))
	cmd := exec.Command("git", "diff", "--no-index", "--minimal", "--numstat", "old.cs", "new.cs")
	cmd.Dir = dir
	out, _ := cmd.Output() // exit status 1 means "differs"
	theirs := strings.Fields(string(out))
	if len(ours) < 2 || len(theirs) < 2 || ours[0] != theirs[0] || ours[1] != theirs[1] {
		t.Errorf("numstat: ours %q, git diff --minimal %q", ours, theirs)
	}
}

// BenchmarkWrite is the diff writer on its own: a 10,000-line file with a
// change every 100 lines. MB/s counts the old and the new content.
//
//	go test ./rewrite/udiff -run '^$' -bench Write -benchmem
func BenchmarkWrite(b *testing.B) {
	old, new := generated(10000, 100, "\n")
	f := modified("Functions.cs", string(old), string(new))
	b.SetBytes(int64(len(old) + len(new)))
	var buf bytes.Buffer
	for b.Loop() {
		buf.Reset()
		if err := Write(&buf, f); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "files/s")
}
