package corpus

import "strings"

// sourceBreakers turn a valid C# file (LF line endings) into one with a
// syntax error of the kind people commit.
var sourceBreakers = []struct {
	name string
	fn   func(string) (string, bool)
}{
	{"missing-semicolon", missingSemicolon},
	{"missing-brace", missingBrace},
	{"conflict-markers", conflictMarkers},
	{"unterminated-string", unterminatedString},
}

// breakSource applies breaker variant to src; when the breaker finds
// nothing to break it falls back to dropping the last closing brace, which
// every file has.
func breakSource(src string, variant int) string {
	if out, ok := sourceBreakers[variant%len(sourceBreakers)].fn(src); ok {
		return out
	}
	out, _ := missingBrace(src)
	return out
}

// statementLine returns the index of the first line that is a statement in
// a method body ending with suffix.
func statementLine(lines []string, suffix string) int {
	for i, l := range lines {
		t := strings.TrimSpace(l)
		if strings.HasPrefix(l, "        ") && strings.HasSuffix(t, suffix) && !strings.HasPrefix(t, "[") &&
			!strings.HasPrefix(t, "using ") && !strings.HasPrefix(t, "private ") && !strings.HasPrefix(t, "public ") {
			return i
		}
	}
	return -1
}

func missingSemicolon(src string) (string, bool) {
	lines := strings.Split(src, "\n")
	i := statementLine(lines, ");")
	if i < 0 {
		return src, false
	}
	lines[i] = strings.TrimSuffix(lines[i], ";")
	return strings.Join(lines, "\n"), true
}

func missingBrace(src string) (string, bool) {
	lines := strings.Split(src, "\n")
	for i := len(lines) - 1; i >= 0; i-- {
		if strings.TrimSpace(lines[i]) == "}" {
			return strings.Join(append(lines[:i:i], lines[i+1:]...), "\n"), true
		}
	}
	return src, false
}

// conflictMarkers leaves an unresolved merge conflict around a statement.
func conflictMarkers(src string) (string, bool) {
	lines := strings.Split(src, "\n")
	i := statementLine(lines, ";")
	if i < 0 {
		return src, false
	}
	theirs := lines[i] + " // keep in sync with the retry policy"
	out := append([]string{}, lines[:i]...)
	out = append(out, "<<<<<<< HEAD", lines[i], "=======", theirs, ">>>>>>> feature/retry-policy")
	out = append(out, lines[i+1:]...)
	return strings.Join(out, "\n"), true
}

// unterminatedString drops the closing quote of the first string argument
// of a statement.
func unterminatedString(src string) (string, bool) {
	lines := strings.Split(src, "\n")
	for i, l := range lines {
		t := strings.TrimSpace(l)
		if !strings.HasPrefix(l, "        ") || strings.HasPrefix(t, "[") || !strings.HasSuffix(t, ";") {
			continue
		}
		open := strings.Index(l, `("`)
		if open < 0 {
			continue
		}
		end := strings.Index(l[open+2:], `"`)
		if end < 0 {
			continue
		}
		end += open + 2
		lines[i] = l[:end] + l[end+1:]
		return strings.Join(lines, "\n"), true
	}
	return src, false
}

// projectBreakers make a project file malformed XML the way hand edits and
// bad merges do.
var projectBreakers = []struct {
	name string
	fn   func(string) string
}{
	{"unclosed-element", func(s string) string { return strings.Replace(s, "  </PropertyGroup>\n", "", 1) }},
	{"truncated", func(s string) string { return strings.TrimSuffix(s, "</Project>\n") }},
	{"bare-ampersand", func(s string) string {
		return strings.Replace(s, "<PropertyGroup>\n", "<PropertyGroup>\n    <Description>Functions & background jobs</Description>\n", 1)
	}},
	{"unquoted-attribute", func(s string) string {
		return strings.Replace(s, `Include="Microsoft.NET.Sdk.Functions"`, `Include=Microsoft.NET.Sdk.Functions`, 1)
	}},
	{"misspelled-end-tag", func(s string) string { return strings.Replace(s, "</TargetFramework>", "</TargetFramwork>", 1) }},
}

func breakProject(src string, variant int) string {
	return projectBreakers[variant%len(projectBreakers)].fn(src)
}
