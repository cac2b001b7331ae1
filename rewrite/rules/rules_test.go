package rules

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"

	"github.com/funcmigrate/funcmigrate/internal/apifacts"
	"github.com/funcmigrate/funcmigrate/rewrite"
	"github.com/funcmigrate/funcmigrate/rewrite/cs"
	"github.com/funcmigrate/funcmigrate/rewrite/report"
)

var update = flag.Bool("update", false, "rewrite the want.cs and findings sections of the fixtures")

func TestValidate(t *testing.T) {
	if err := rewrite.Validate(All); err != nil {
		t.Fatal(err)
	}
}

// Each fixture in testdata/<rule>/ runs the whole C# rule set on in.cs:
//
//	# why the case exists (required)
//	# options: target=net48 http crlf notodo
//	-- in.cs --
//	-- want.cs --      (absent: the file must come out unchanged)
//	-- findings --     (one "line: rule: message" per finding)
//
// crlf converts both sections to CRLF before running, so CRLF cases stay
// readable; the file must then come out with CRLF only.
func TestFixtures(t *testing.T) {
	files, _ := filepath.Glob("testdata/*/*.txtar")
	if len(files) == 0 {
		t.Fatal("no fixtures found")
	}
	dirs := map[string]bool{}
	for _, file := range files {
		dirs[filepath.Base(filepath.Dir(file))] = true
		file := file
		t.Run(strings.TrimSuffix(strings.TrimPrefix(file, "testdata/"), ".txtar"), func(t *testing.T) {
			t.Parallel()
			runFixture(t, file)
		})
	}
	for _, r := range All {
		if !dirs[r.Name] {
			t.Errorf("rule %s has no fixtures in testdata/%s/", r.Name, r.Name)
		}
	}
}

type fixtureOptions struct {
	facts  rewrite.Facts
	crlf   bool
	bom    bool
	notodo bool
}

func parseOptions(t *testing.T, comment string) fixtureOptions {
	o := fixtureOptions{facts: rewrite.Facts{TargetFramework: "net10.0"}}
	lines := strings.Split(strings.TrimSpace(comment), "\n")
	if len(lines) == 0 || !strings.HasPrefix(lines[0], "# ") || len(lines[0]) < 10 {
		t.Fatalf("fixture must start with a '# reason' line")
	}
	for _, l := range lines {
		rest, ok := strings.CutPrefix(l, "# options:")
		if !ok {
			continue
		}
		for _, f := range strings.Fields(rest) {
			switch {
			case strings.HasPrefix(f, "target="):
				o.facts.TargetFramework = strings.TrimPrefix(f, "target=")
				o.facts.NetFramework = strings.HasPrefix(o.facts.TargetFramework, "net4")
			case f == "http":
				o.facts.HTTP = true
			case f == "crlf":
				o.crlf = true
			case f == "bom":
				o.bom = true
			case f == "notodo":
				o.notodo = true
			default:
				t.Fatalf("unknown option %q", f)
			}
		}
	}
	return o
}

// loadFixture reads a rule fixture: its options, its sections by name,
// in.cs and the expected output (in.cs itself when there is no want.cs).
func loadFixture(t *testing.T, file string) (ar *txtar.Archive, o fixtureOptions, sections map[string][]byte, in, want []byte) {
	ar, err := txtar.ParseFile(file)
	if err != nil {
		t.Fatal(err)
	}
	o = parseOptions(t, string(ar.Comment))
	sections = map[string][]byte{}
	for _, f := range ar.Files {
		sections[f.Name] = f.Data
	}
	var ok bool
	in, ok = sections["in.cs"]
	if !ok {
		t.Fatal("no in.cs section")
	}
	if want, ok = sections["want.cs"]; !ok {
		want = in
	}
	return ar, o, sections, in, want
}

func runFixture(t *testing.T, file string) {
	ar, o, sections, in, want := loadFixture(t, file)
	conv := func(b []byte) []byte {
		if o.crlf {
			b = bytes.ReplaceAll(b, []byte("\n"), []byte("\r\n"))
		}
		if o.bom {
			b = append([]byte("\xef\xbb\xbf"), b...)
		}
		return b
	}
	opt := rewrite.Options{Rules: All, TODOComments: !o.notodo}
	src := conv(in)
	o.facts.BoundTypes = boundTypesOf(t, src)
	out, findings, err := rewrite.MigrateSource("in.cs", src, o.facts, opt)
	if err != nil {
		t.Fatal(err)
	}
	gotFindings := formatFindings(findings)

	if *update {
		plain := out
		if o.bom {
			plain = bytes.TrimPrefix(plain, []byte("\xef\xbb\xbf"))
		}
		if o.crlf {
			plain = bytes.ReplaceAll(plain, []byte("\r\n"), []byte("\n"))
		}
		var files []txtar.File
		files = append(files, txtar.File{Name: "in.cs", Data: in})
		if !bytes.Equal(plain, in) {
			files = append(files, txtar.File{Name: "want.cs", Data: plain})
		}
		files = append(files, txtar.File{Name: "findings", Data: []byte(gotFindings)})
		ar.Files = files
		if err := os.WriteFile(file, txtar.Format(ar), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("updated %s", file)
		return
	}

	if w := conv(want); !bytes.Equal(out, w) {
		t.Errorf("output differs from want.cs\n--- got ---\n%s\n--- want ---\n%s", out, w)
	}
	if w := string(sections["findings"]); gotFindings != w {
		t.Errorf("findings differ\n--- got ---\n%s--- want ---\n%s", gotFindings, w)
	}
	checkInvariants(t, src, out, findings, o, opt)
}

// boundTypesOf computes Facts.BoundTypes from the fixture file alone, as
// migrate does from all of a project's files.
func boundTypesOf(t *testing.T, src []byte) map[string]string {
	f, err := cs.Parse("in.cs", src)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	return rewrite.BoundTypes(cs.Analyze(f))
}

func formatFindings(fs []report.Finding) string {
	var b strings.Builder
	for _, f := range fs {
		fmt.Fprintf(&b, "%d: %s: %s\n", f.Line, f.Rule, f.Message)
	}
	return b.String()
}

// checkInvariants runs the checks every rule must pass whatever its fixture
// says: the output parses no worse than the input, a second run changes
// nothing, the file keeps its BOM, line endings and indentation style, the
// worker attributes and Durable members it uses exist with those arguments
// (checkDurableAPI), and every in-process attribute or Durable type left in
// the output carries a finding on its line (checkDurableLeftovers).
func checkInvariants(t *testing.T, in, out []byte, findings []report.Finding, o fixtureOptions, opt rewrite.Options) {
	t.Helper()
	fin, _ := cs.Parse("in.cs", in)
	defer fin.Close()
	fout, _ := cs.Parse("out.cs", out)
	defer fout.Close()
	if len(fout.Errors()) > len(fin.Errors()) {
		t.Errorf("output has new syntax errors: %v", fout.Errors())
	}
	again, _, err := rewrite.MigrateSource("in.cs", out, o.facts, opt)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(again, out) {
		t.Errorf("not idempotent: a second run changes the output to\n%s", again)
	}
	if bytes.HasPrefix(in, []byte("\xef\xbb\xbf")) != bytes.HasPrefix(out, []byte("\xef\xbb\xbf")) {
		t.Errorf("byte-order mark added or lost")
	}
	crlfIn, lfIn := countEOL(in)
	crlfOut, lfOut := countEOL(out)
	if lfIn == 0 && crlfIn > 0 && lfOut > 0 {
		t.Errorf("a CRLF file gained %d LF-only line endings", lfOut)
	}
	if crlfIn == 0 && crlfOut > 0 {
		t.Errorf("an LF file gained %d CRLF line endings", crlfOut)
	}
	if !bytes.Contains(indentation(in), []byte("\t")) && bytes.Contains(indentation(out), []byte("\t")) {
		t.Errorf("tabs introduced into a file indented with spaces")
	}
	checkWorkerAPI(t, in, fout, findings)
	checkLeftovers(t, importsInProcess(cs.Analyze(fin)), fout, findings)
	for _, p := range checkDurableAPI(in, fout, findings) {
		t.Error(p)
	}
	for _, p := range checkDurableLeftovers(fin, fout, findings) {
		t.Error(p)
	}
}

func countEOL(b []byte) (crlf, lf int) {
	crlf = bytes.Count(b, []byte("\r\n"))
	return crlf, bytes.Count(b, []byte("\n")) - crlf
}

func indentation(b []byte) []byte {
	var out []byte
	for _, line := range bytes.Split(b, []byte("\n")) {
		trimmed := bytes.TrimLeft(line, " \t")
		out = append(out, line[:len(line)-len(trimmed)]...)
	}
	return out
}

// checkWorkerAPI checks every isolated attribute in the output against the
// real API: its arguments fit a constructor, its named properties are
// settable, and output attributes sit on methods or properties only.
// Attributes the tool left exactly as they were, with a finding on their
// line, are the input's, not something the tool emitted.
func checkWorkerAPI(t *testing.T, in []byte, f *cs.File, findings []report.Finding) {
	t.Helper()
	reported := map[int]bool{}
	for _, fd := range findings {
		reported[fd.Line] = true
	}
	facts, err := apifacts.Attributes()
	if err != nil {
		t.Fatal(err)
	}
	m := cs.Analyze(f)
	usesWorker := false
	for _, u := range m.Usings {
		if u.Name == workerNamespace {
			usesWorker = true
		}
	}
	if !usesWorker {
		return
	}
	for _, a := range m.Attributes {
		api, ok := facts[a.Name]
		if !ok || a.Qualifier != "" {
			continue
		}
		line := f.Line(int(a.Node.StartByte()))
		if reported[line] && bytes.Contains(in, []byte(f.Text(a.Node))) {
			continue
		}
		pos := a.Positional()
		if !api.Fits(len(pos)) {
			t.Errorf("line %d: [%s] with %d positional arguments matches no constructor", line, a.Name, len(pos))
		}
		for _, arg := range pos {
			if arg.Colon && !api.HasParam(arg.Name) {
				t.Errorf("line %d: [%s] has no constructor parameter %s", line, a.Name, arg.Name)
			}
		}
		for _, arg := range a.Args {
			if arg.Name != "" && !arg.Colon && !slices.Contains(api.Settable, arg.Name) {
				t.Errorf("line %d: [%s] has no settable property %s", line, a.Name, arg.Name)
			}
		}
		if strings.Contains(api.Targets, "AttributeTargets.Method") && !strings.Contains(api.Targets, "Parameter") && (a.Param != nil || a.Target == "return") {
			t.Errorf("line %d: [%s] may only target %s", line, a.Name, api.Targets)
		}
	}
}

// checkLeftovers: an in-process attribute still in the output must have a
// finding on its line. inProcess says whether the input file imported an
// in-process namespace; without one only qualified names can be WebJobs'.
func checkLeftovers(t *testing.T, inProcess bool, f *cs.File, findings []report.Finding) {
	t.Helper()
	lines := map[int]bool{}
	for _, fd := range findings {
		lines[fd.Line] = true
	}
	// Any WebJobs name still written out in code (not in a comment) must be
	// reported on its line; the OpenAPI extension keeps its namespaces.
	for i, line := range strings.Split(string(f.Src), "\n") {
		code, _, _ := strings.Cut(line, "//")
		if strings.Contains(code, "Microsoft.Azure.WebJobs") && !strings.Contains(code, "Microsoft.Azure.WebJobs.Extensions.OpenApi") && !lines[i+1] {
			t.Errorf("line %d: in-process name left without a finding: %s", i+1, strings.TrimSpace(line))
		}
	}
	m := cs.Analyze(f)
	for _, a := range m.Attributes {
		_, left := leftovers.attrs[a.Name]
		if !inProcess && !strings.HasPrefix(a.Qualifier, "Microsoft.Azure.WebJobs") {
			continue
		}
		if a.Name == "FunctionName" || a.Name == "Queue" || left {
			if l := f.Line(int(a.Node.StartByte())); !lines[l] {
				t.Errorf("line %d: in-process [%s] left without a finding", l, a.Name)
			}
		}
	}
}
