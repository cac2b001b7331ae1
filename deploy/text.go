package deploy

import (
	"bytes"
	"regexp"
	"strings"
)

// This file holds the text scanners every kind shares: where a setting is
// given a value, where a Linux stack or a base image is named, where a build
// output path names a framework. They work on bytes, so an edit replaces
// exactly the characters of a value and nothing else.

func isIdent(c byte) bool {
	return c == '_' || ('0' <= c && c <= '9') || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z')
}

// words returns the offsets of word in f (ignoring case) that stand as a
// whole word: no letter, digit or underscore on either side.
func (f *file) words(word string) []int {
	w := []byte(strings.ToLower(word))
	var out []int
	for i := 0; ; {
		j := bytes.Index(f.lower[i:], w)
		if j < 0 {
			return out
		}
		at := i + j
		end := at + len(w)
		if (at == 0 || !isIdent(f.src[at-1])) && (end == len(f.src) || !isIdent(f.src[end])) {
			out = append(out, at)
		}
		i = at + 1
	}
}

// lineStart returns the offset of the first byte of the line holding off.
func lineStart(src []byte, off int) int {
	for off > 0 && src[off-1] != '\n' {
		off--
	}
	return off
}

// lineEnd returns the offset of the line break ending the line holding off
// (the '\r' of a "\r\n"), or len(src).
func lineEnd(src []byte, off int) int {
	i := off
	for i < len(src) && src[i] != '\n' {
		i++
	}
	if i > off && src[i-1] == '\r' {
		return i - 1
	}
	return i
}

// nextLine returns the offset just past the line break ending the line
// holding off, or len(src).
func nextLine(src []byte, off int) int {
	i := off
	for i < len(src) && src[i] != '\n' {
		i++
	}
	if i < len(src) {
		i++
	}
	return i
}

// eol returns the file's line ending.
func eol(src []byte) string {
	if i := bytes.IndexByte(src, '\n'); i > 0 && src[i-1] == '\r' {
		return "\r\n"
	}
	return "\n"
}

// indentOf returns the spaces and tabs that start the line holding off.
func indentOf(src []byte, off int) string {
	s := lineStart(src, off)
	e := s
	for e < len(src) && (src[e] == ' ' || src[e] == '\t') {
		e++
	}
	return string(src[s:e])
}

func isBlank(b []byte) bool {
	for _, c := range b {
		if c != ' ' && c != '\t' && c != '\r' {
			return false
		}
	}
	return true
}

func skipBlanks(src []byte, i int) int {
	for i < len(src) && (src[i] == ' ' || src[i] == '\t') {
		i++
	}
	return i
}

// hashComment returns a comment test for files whose comments are whole
// lines starting with '#' (Dockerfiles, YAML, shell and PowerShell scripts).
// Trailing comments are not told apart: the values before them are what
// matters.
func hashComment(src []byte) func(int) bool {
	return func(off int) bool {
		s := lineStart(src, off)
		i := skipBlanks(src, s)
		return i < len(src) && src[i] == '#' && i <= off
	}
}

// A valueTok is the value a setting is given in text.
type valueTok struct {
	start, end int // the value, quotes excluded
	text       string
	quoted     bool
	expr       bool // a variable, expression or interpolation, not a plain word
}

// dotnet reports whether v is the in-process runtime value "dotnet".
func (v valueTok) dotnet() bool { return !v.expr && strings.EqualFold(v.text, "dotnet") }

// quoteAt returns the length of the quote at i: `"`, `'`, or an escaped
// `\"` (a setting inside a JSON string in a script), or 0.
func quoteAt(src []byte, i int) (string, int) {
	switch {
	case i < len(src) && (src[i] == '"' || src[i] == '\''):
		return string(src[i]), 1
	case i+1 < len(src) && src[i] == '\\' && src[i+1] == '"':
		return `\"`, 2
	}
	return "", 0
}

// valueAfter reads the value that follows a key ending at keyEnd:
//
//	KEY=value  KEY: value  "KEY": "value"  "KEY" = "value"  -KEY value
//
// A closing quote of the key may come first; the separator is '=', ':' or
// blanks; the value may be quoted. It reports false when no value follows on
// the same line.
func valueAfter(src []byte, keyEnd int) (valueTok, bool) {
	i := keyEnd
	if _, n := quoteAt(src, i); n > 0 {
		i += n
	}
	j := skipBlanks(src, i)
	switch {
	case j < len(src) && (src[j] == '=' || src[j] == ':'):
		if j+1 < len(src) && (src[j+1] == '=' || src[j+1] == ':') {
			return valueTok{}, false // "==", "::": a comparison or a scope, not a value
		}
		j = skipBlanks(src, j+1)
	case j > i:
		// blanks alone separate: -KEY value (AzureFunctionApp appSettings)
	default:
		return valueTok{}, false
	}
	return readValue(src, j)
}

// readValue reads a quoted or bare value starting at i, on one line.
func readValue(src []byte, i int) (valueTok, bool) {
	q, n := quoteAt(src, i)
	if n > 0 {
		start := i + n
		end := start
		for end < len(src) && src[end] != '\n' {
			if strings.HasPrefix(string(src[end:min(len(src), end+len(q))]), q) {
				break
			}
			if q != `\"` && src[end] == '\\' && end+1 < len(src) {
				end++ // an escaped character inside the value
			}
			end++
		}
		if end >= len(src) || src[end] == '\n' {
			return valueTok{}, false
		}
		text := string(src[start:end])
		return valueTok{start: start, end: end, text: text, quoted: true, expr: isExpr(text, true)}, text != ""
	}
	// A bare value ends at a blank or a delimiter, except inside the
	// brackets of an expression: $(var), ${{ x }}, [parameters('x')].
	end, depth := i, 0
	for end < len(src) && src[end] != '\n' && src[end] != '\r' {
		c := src[end]
		if depth == 0 && strings.IndexByte(" \t,;\"'#`\\", c) >= 0 {
			break
		}
		if c == '(' || c == '[' || c == '{' {
			depth++
		} else if c == ')' || c == ']' || c == '}' {
			if depth == 0 {
				break
			}
			depth--
		}
		end++
	}
	if end == i {
		return valueTok{}, false
	}
	text := string(src[i:end])
	return valueTok{start: i, end: end, text: text, expr: isExpr(text, false)}, true
}

// isExpr reports whether a value is computed rather than written out: a
// variable ($x, $(x), ${{ x }}, %X%), a call or an interpolation. (Bicep and
// Terraform expressions are told by their lexer, see lex.go.)
func isExpr(text string, quoted bool) bool {
	return strings.ContainsAny(text, "$[({%@")
}

// nameValue reads the value of the name/value pair whose name is the quoted
// key at [keyStart, keyEnd):
//
//	{ name: 'FUNCTIONS_WORKER_RUNTIME'      {"name": "FUNCTIONS_WORKER_RUNTIME", "value": "dotnet"}
//	  value: 'dotnet' }                     - name: FUNCTIONS_WORKER_RUNTIME
//	                                          value: dotnet
//
// It reports false unless the key is the value of a "name" property and a
// "value" property follows within the same object.
func nameValue(src []byte, keyStart, keyEnd int) (valueTok, bool) {
	i := keyStart
	if i > 0 && (src[i-1] == '"' || src[i-1] == '\'') {
		i--
		if i > 0 && src[i-1] == '\\' {
			i--
		}
	}
	for i > 0 && (src[i-1] == ' ' || src[i-1] == '\t') {
		i--
	}
	if i == 0 || (src[i-1] != ':' && src[i-1] != '=') {
		return valueTok{}, false
	}
	i--
	for i > 0 && (src[i-1] == ' ' || src[i-1] == '\t') {
		i--
	}
	if i > 0 && (src[i-1] == '"' || src[i-1] == '\'') {
		i--
		if i > 0 && src[i-1] == '\\' {
			i--
		}
	}
	if i < 4 || !strings.EqualFold(string(src[i-4:i]), "name") || (i > 4 && isIdent(src[i-5])) {
		return valueTok{}, false
	}
	// The "value" property: within a few lines, before the object closes.
	limit := min(len(src), keyEnd+400)
	for j := keyEnd; j < limit; j++ {
		c := src[j]
		if c == '{' || c == '}' || c == '[' || c == ']' {
			return valueTok{}, false
		}
		for _, w := range []string{"value", "name"} {
			end := j + len(w)
			if end > len(src) || !strings.EqualFold(string(src[j:end]), w) || isIdent(src[j-1]) || (end < len(src) && isIdent(src[end])) {
				continue
			}
			v, ok := valueAfter(src, end)
			switch {
			case ok && w == "value":
				return v, true
			case ok:
				return valueTok{}, false // the next pair's name: this one has no value
			}
		}
	}
	return valueTok{}, false
}

// runtimeNear returns the first runtime name that follows the key ending at
// keyEnd on its line or the next, for the catch-all: "FUNCTIONS_WORKER_RUNTIME
// to dotnet", "| FUNCTIONS_WORKER_RUNTIME | dotnet |", a name/value pair.
func runtimeNear(src []byte, keyEnd int) (start, end int, name string) {
	limit := nextLine(src, nextLine(src, keyEnd))
	for i := keyEnd; i < limit; {
		if !isIdent(src[i]) {
			i++
			continue
		}
		j := i
		for j < limit && (isIdent(src[j]) || src[j] == '-') {
			j++
		}
		w := strings.ToLower(string(src[i:j]))
		switch w {
		case "dotnet", "dotnet-isolated", "node", "python", "java", "powershell", "custom":
			if j < len(src) && (src[j] == '|' || src[j] == ':' || (src[j] == '.' && j+1 < len(src) && isIdent(src[j+1]))) {
				break // DOTNET|6.0, dotnet:8, dotnet.exe: not a runtime name
			}
			return i, j, w
		}
		i = j
	}
	return -1, -1, ""
}

// A stackTok is a Linux stack value naming the in-process runtime.
type stackTok struct {
	start, end int    // "DOTNET|6.0", or "DOTNET|" when the version is computed
	ver        string // "6.0"; "" when computed
}

// stacks finds DOTNET|<version>, the linuxFxVersion (and AzureFunctionApp
// runtimeStack) of in-process apps. DOTNET-ISOLATED|, DOTNETCORE| (web apps)
// and DOCKER| do not match.
func (f *file) stacks() []stackTok {
	var out []stackTok
	for i := 0; ; {
		j := bytes.Index(f.lower[i:], []byte("dotnet|"))
		if j < 0 {
			return out
		}
		at := i + j
		i = at + 1
		if at > 0 && (isIdent(f.src[at-1]) || f.src[at-1] == '-') {
			continue
		}
		end := at + len("dotnet|")
		v := end
		for v < len(f.src) && (('0' <= f.src[v] && f.src[v] <= '9') || f.src[v] == '.') {
			v++
		}
		for v > end && f.src[v-1] == '.' {
			v-- // the end of a sentence
		}
		if v > end && v < len(f.src) && (isIdent(f.src[v]) || f.src[v] == '$') {
			v = end // 6.0-preview, 6${x}: not a plain version
		}
		out = append(out, stackTok{start: at, end: v, ver: string(f.src[end:v])})
	}
}

// linuxStack handles one DOTNET|x: with edit it becomes DOTNET-ISOLATED|<ver>,
// otherwise (or when the value is computed, or for .NET Framework, which has
// no Linux stack) it is reported with the value it needs.
func (f *file) linuxStack(s stackTok, canEdit bool) {
	f.handle(s.start)
	f.touch(s.start)
	want, ok := f.t.linux()
	switch {
	case !ok:
		f.report(RuleStack, s.start,
			"the Linux stack "+string(f.src[s.start:s.end])+" selects the in-process runtime, and .NET Framework 4.8 does not run on Linux",
			"Move the app to a Windows plan with netFrameworkVersion v4.0 and FUNCTIONS_WORKER_RUNTIME=dotnet-isolated, or target net10.0")
	case canEdit && s.ver != "":
		f.replace(s.start, s.end, want)
		if f.t.major == 10 {
			f.linux10 = true
		}
	case s.ver == "":
		f.report(RuleStack, s.start,
			"a Linux stack built from DOTNET| and a computed version selects the in-process runtime",
			"Make the value "+want+" ("+f.t.name()+" isolated)")
	default:
		f.report(RuleStack, s.start,
			"the Linux stack "+string(f.src[s.start:s.end])+" selects the in-process runtime",
			"Change it to "+want)
	}
}

// buildPathRE matches a build output folder naming a framework:
// bin/Release/net6.0/publish, obj\Debug\netcoreapp3.1.
var buildPathRE = regexp.MustCompile(`(?i)\b(?:bin|obj)[/\\]+[^/\\\s"'<>]+[/\\]+(net\d+\.\d+|netcoreapp\d+\.\d+|net4\d\d?)\b`)

// A tfmTok is a framework name inside a path or a command line.
type tfmTok struct{ start, end int }

// buildPaths returns the framework names of build output paths in src that
// differ from the target.
func (f *file) buildPaths() []tfmTok {
	var out []tfmTok
	for _, m := range buildPathRE.FindAllSubmatchIndex(f.src, -1) {
		if !strings.EqualFold(string(f.src[m[2]:m[3]]), f.t.tfm) {
			out = append(out, tfmTok{m[2], m[3]})
		}
	}
	return out
}

// frameworkFlagRE matches the --framework (-f) option of dotnet build and
// publish.
var frameworkFlagRE = regexp.MustCompile(`(?i)(?:--framework|\s-f)[ =]+["']?(net\d+\.\d+|netcoreapp\d+\.\d+|net4\d\d?)\b`)

// reportBuildOutput reports build output paths and --framework options that
// name another framework than the target: the project now builds into the
// target's folder.
func (f *file) reportBuildOutput(rule string) {
	for _, p := range f.buildPaths() {
		old := string(f.src[p.start:p.end])
		f.report(rule, p.start,
			"the build output path names "+old+"; the migrated project builds for "+f.t.tfm,
			"Change "+old+" to "+f.t.tfm+" in this path if it is the function app's output")
	}
	for _, m := range frameworkFlagRE.FindAllSubmatchIndex(f.src, -1) {
		old := string(f.src[m[2]:m[3]])
		if strings.EqualFold(old, f.t.tfm) {
			continue
		}
		f.report(rule, m[2],
			"the build targets "+old+"; the migrated project targets "+f.t.tfm,
			"Change the framework to "+f.t.tfm+" if this builds the function app")
	}
}
