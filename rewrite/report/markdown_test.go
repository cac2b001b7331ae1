package report

import (
	"bytes"
	"reflect"
	"slices"
	"testing"
)

// markdownCases are compared byte for byte with testdata/<name>.
var markdownCases = []struct {
	name string
	fs   []Finding
	s    Summary
}{
	{"findings.md", testFindings, Summary{Projects: 2, Changed: []string{
		"src/InventoryApp/Program.cs",
		"src/Café Orders/Functions/Ørders.cs",
		"src/InventoryApp/InventoryApp.csproj",
		"src/InventoryApp/Startup.cs",
		"src/InventoryApp/host.json",
	}}},
	// Singular wording, and a report whose only finding is a note.
	{"notes.md", []Finding{testFindings[3]}, Summary{Projects: 1, Changed: []string{"src/InventoryApp/InventoryApp.csproj"}, Applied: true}},
	{"clean.md", nil, Summary{Projects: 1, Changed: []string{"src/App/Program.cs", "src/App/App.csproj"}, Applied: true}},
	// Nothing found to migrate: no file list, and still a clear sentence.
	{"nothing.md", nil, Summary{}},
}

func TestMarkdownGolden(t *testing.T) {
	for _, tc := range markdownCases {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := WriteMarkdown(&buf, tc.fs, tc.s); err != nil {
				t.Fatal(err)
			}
			checkGolden(t, tc.name, buf.Bytes())
		})
	}
}

// TestMarkdownOrder: the report lists files and findings in file order
// whatever order they come in, and leaves the caller's slices alone.
func TestMarkdownOrder(t *testing.T) {
	fs := slices.Clone(testFindings)
	slices.Reverse(fs)
	s := markdownCases[0].s
	s.Changed = slices.Clone(s.Changed)
	slices.Reverse(s.Changed)
	before, changedBefore := slices.Clone(fs), slices.Clone(s.Changed)

	var got, want bytes.Buffer
	if err := WriteMarkdown(&got, fs, s); err != nil {
		t.Fatal(err)
	}
	if err := WriteMarkdown(&want, testFindings, markdownCases[0].s); err != nil {
		t.Fatal(err)
	}
	if got.String() != want.String() {
		t.Errorf("the report depends on the order of its input:\n%s", got.String())
	}
	if !reflect.DeepEqual(fs, before) || !slices.Equal(s.Changed, changedBefore) {
		t.Error("WriteMarkdown reordered the caller's slices")
	}
}

func TestEscapeMarkdownCell(t *testing.T) {
	tests := []struct {
		in, want, reason string
	}{
		{"plain text, 42", "plain text, 42", "nothing to escape"},
		{"a | b", `a \| b`, "a pipe would end the cell"},
		{"first\nsecond", "first second", "a newline would end the row"},
		{"first\r\n\r\n  second  \rthird", "first second third", "CRLF, CR and blank lines fold into one space each"},
		{"  padded\n", "padded", "surrounding space and breaks go"},
		{"`code` and ``more``", "\\`code\\` and \\`\\`more\\`\\`", "backticks would open a code span"},
		{"*bold* _em_ ~~del~~", `\*bold\* \_em\_ \~\~del\~\~`, "emphasis and strikethrough"},
		{"<script>x</script>", `\<script\>x\</script\>`, "HTML"},
		{"[a](b) ![i](j)", `\[a\](b) !\[i\](j)`, "links and images"},
		{`a\|b`, `a\\\|b`, "a backslash would escape what follows it"},
		{"&lt; $x$", `\&lt; \$x\$`, "entities and GitHub math"},
		{"tab\there\x00nul", "tab here nul", "control characters become spaces"},
		{"Café Ørders — §4.3", "Café Ørders — §4.3", "non-ASCII stays"},
	}
	for _, tc := range tests {
		if got := EscapeMarkdownCell(tc.in); got != tc.want {
			t.Errorf("EscapeMarkdownCell(%q) = %q, want %q (%s)", tc.in, got, tc.want, tc.reason)
		}
	}
}

func TestCodeSpan(t *testing.T) {
	tests := []struct{ in, want string }{
		{"src/App/Orders.cs", "`src/App/Orders.cs`"},
		{"a|b<c>*d*", "`a|b<c>*d*`"},
		{"a`b", "``a`b``"},
		{"`a``", "``` `a`` ```"},
		{"two\nlines", "`two lines`"},
	}
	for _, tc := range tests {
		if got := codeSpan(tc.in); got != tc.want {
			t.Errorf("codeSpan(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestMarkdownParagraphs(t *testing.T) {
	tests := []struct{ in, want string }{
		{"one line", "one line"},
		{"wrapped\nlines\n\nsecond\n  \nthird", "wrapped lines\n\nsecond\n\nthird"},
		{"# not a heading", `\# not a heading`},
		{"- not a list\n\n+ nor this\n\n> nor a quote", `\- not a list` + "\n\n" + `\+ nor this` + "\n\n" + `\> nor a quote`},
		{"1. not a list\n\n2) nor this", `1\. not a list` + "\n\n" + `2\) nor this`},
	}
	for _, tc := range tests {
		if got := markdownParagraphs(tc.in); got != tc.want {
			t.Errorf("markdownParagraphs(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
