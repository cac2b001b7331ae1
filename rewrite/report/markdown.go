package report

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"unicode"
)

// Summary is what a Markdown report says about the change itself.
type Summary struct {
	Projects int      // in-process function-app projects migrated
	Changed  []string // display paths of the files changed, created or deleted
	Applied  bool     // written in place (apply) rather than previewed (diff)
}

// WriteMarkdown writes a report to paste into a pull-request description or
// a tracking issue (GitHub-flavoured Markdown, which Azure DevOps also
// renders): a heading and a one-sentence summary, the changed files in a
// collapsed list, the findings that need a person as a task list grouped by
// file, the notes collapsed, and a count of the findings that need a person
// by rule. Text that comes from findings is escaped, so no message can break
// the page. Neither fs nor s.Changed is modified.
func WriteMarkdown(w io.Writer, fs []Finding, s Summary) error {
	var todo, notes []Finding
	for _, f := range fs {
		if f.NeedsPerson() {
			todo = append(todo, f)
		} else {
			notes = append(notes, f)
		}
	}
	sortByPlace(todo)
	sortByPlace(notes)
	changed := append([]string(nil), s.Changed...)
	sort.Strings(changed)

	var b strings.Builder
	b.WriteString("## funcmigrate: migration to the isolated worker model\n\n")
	projects := count(s.Projects, "in-process function-app project", "in-process function-app projects")
	files := count(len(changed), "file", "files")
	people := "no finding needs a person"
	if n := len(todo); n == 1 {
		people = "1 finding needs a person"
	} else if n > 1 {
		people = fmt.Sprintf("%d findings need a person", n)
	}
	switch {
	case s.Projects == 0 && len(changed) == 0:
		fmt.Fprintf(&b, "funcmigrate found no in-process function-app project to migrate; %s.\n", people)
	case s.Applied:
		fmt.Fprintf(&b, "Applied: migrated %s to the isolated worker model and changed %s; %s.\n", projects, files, people)
	default:
		fmt.Fprintf(&b, "Preview: migrating %s to the isolated worker model would change %s (nothing is written yet); %s.\n", projects, files, people)
	}

	if len(changed) > 0 {
		verb := "would change"
		if s.Applied {
			verb = "changed"
		}
		fmt.Fprintf(&b, "\n<details>\n<summary>Files funcmigrate %s (%d)</summary>\n\n", verb, len(changed))
		for _, p := range changed {
			fmt.Fprintf(&b, "- %s\n", codeSpan(p))
		}
		b.WriteString("\n</details>\n")
	}

	if len(fs) == 0 {
		b.WriteString("\nfuncmigrate reported no findings: nothing is left for a person to do.\n")
		_, err := io.WriteString(w, b.String())
		return err
	}

	if len(todo) > 0 {
		fmt.Fprintf(&b, "\n### Findings that need a person (%d)\n", len(todo))
		for i, f := range todo {
			if i == 0 || place(f) != place(todo[i-1]) {
				fmt.Fprintf(&b, "\n%s\n\n", fileLabel(place(f)))
			}
			switch {
			case place(f) == "":
				// The group heading already says so.
				fmt.Fprintf(&b, "- [ ] %s\n", findingText(f))
			case f.Line > 0:
				fmt.Fprintf(&b, "- [ ] line %d: %s\n", f.Line, findingText(f))
			default:
				fmt.Fprintf(&b, "- [ ] whole file: %s\n", findingText(f))
			}
		}
	}

	if len(notes) > 0 {
		fmt.Fprintf(&b, "\n<details>\n<summary>%s, no action needed</summary>\n\n", count(len(notes), "note", "notes"))
		for _, f := range notes {
			where := "no file"
			if place(f) != "" {
				where = codeSpan(place(f))
				if f.Line > 0 {
					where += fmt.Sprintf(" line %d", f.Line)
				}
			}
			fmt.Fprintf(&b, "- %s: %s\n", where, findingText(f))
		}
		b.WriteString("\n</details>\n")
	}

	if len(todo) > 0 {
		byRule := map[string]int{}
		for _, f := range todo {
			byRule[f.Rule]++
		}
		rules := make([]string, 0, len(byRule))
		for r := range byRule {
			rules = append(rules, r)
		}
		sort.Strings(rules)
		b.WriteString("\n### Findings that need a person, by rule\n\n| rule | findings |\n| --- | ---: |\n")
		for _, r := range rules {
			fmt.Fprintf(&b, "| %s | %d |\n", EscapeMarkdownCell(r), byRule[r])
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// place is the file a finding is listed under: its own, or for a finding
// about no file in particular, its project's.
func place(f Finding) string {
	if f.Path == "" {
		return f.Project
	}
	return f.Path
}

// sortByPlace orders findings by file, then line, keeping the given order
// within a line (the engine's rule order).
func sortByPlace(fs []Finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		if place(fs[i]) != place(fs[j]) {
			return place(fs[i]) < place(fs[j])
		}
		return fs[i].Line < fs[j].Line
	})
}

func count(n int, one, many string) string {
	switch n {
	case 0:
		return "no " + one
	case 1:
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// fileLabel heads the task list of one file.
func fileLabel(path string) string {
	if path == "" {
		return "**Not tied to a file**"
	}
	return "**" + codeSpan(path) + "**"
}

// findingText is "message — do: action (reference)", escaped.
func findingText(f Finding) string {
	s := EscapeMarkdownCell(f.Message)
	if a := EscapeMarkdownCell(f.Action); a != "" {
		s += " — do: " + a
	}
	if f.Ref != "" || f.URL != "" {
		s += " (" + markdownRef(f.Ref, f.URL) + ")"
	}
	return s
}

// markdownRef is the reference as a link to url, or as text when there is
// no url.
func markdownRef(ref, url string) string {
	text := EscapeMarkdownCell(ref)
	if url == "" {
		return text
	}
	if text == "" {
		text = EscapeMarkdownCell(url)
	}
	return "[" + text + "](" + linkDestination(url) + ")"
}

// linkDestination percent-encodes what would end or break a link
// destination: spaces and controls, parentheses, angle brackets, backslash,
// backtick, quote and pipe (a table cell boundary).
func linkDestination(url string) string {
	var b strings.Builder
	for i := 0; i < len(url); i++ {
		c := url[i]
		if c <= ' ' || c == 0x7f || strings.IndexByte("()<>\\`\"|", c) >= 0 {
			fmt.Fprintf(&b, "%%%02X", c)
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// codeSpan shows s as inline code. The fence is one backtick longer than
// the longest run of backticks in s, and padded with a space when s starts
// or ends with one, so any text stays inside the span (CommonMark §6.1).
func codeSpan(s string) string {
	s = foldLines(s)
	longest, run := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	fence := strings.Repeat("`", longest+1)
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") || s == "" {
		s = " " + s + " "
	}
	return fence + s + fence
}

// EscapeMarkdownCell makes s safe inside a Markdown table cell, and so in
// any other inline position: line breaks are folded into single spaces,
// other control characters become spaces, and every character that could
// start code, emphasis, strikethrough, math, a link, HTML or an entity, or
// end the cell (|), is escaped with a backslash, so it shows as written.
func EscapeMarkdownCell(s string) string {
	s = foldLines(s)
	var b strings.Builder
	for _, r := range s {
		switch {
		case strings.ContainsRune("\\`*_~[]<>|&$", r):
			b.WriteByte('\\')
		case unicode.IsControl(r):
			r = ' '
		}
		b.WriteRune(r)
	}
	return b.String()
}

// foldLines joins the lines of s with single spaces, dropping blank lines
// and the spaces around each break.
func foldLines(s string) string {
	if !strings.ContainsAny(s, "\r\n") {
		return strings.TrimSpace(s)
	}
	lines := strings.FieldsFunc(s, func(r rune) bool { return r == '\r' || r == '\n' })
	kept := lines[:0]
	for _, l := range lines {
		if l = strings.TrimSpace(l); l != "" {
			kept = append(kept, l)
		}
	}
	return strings.Join(kept, " ")
}

// markdownParagraphs renders plain text as Markdown paragraphs: paragraphs
// are separated by blank lines, the lines inside one are joined, and a
// paragraph that would otherwise start a heading, quote, list or thematic
// break has that marker escaped.
func markdownParagraphs(text string) string {
	var paras, para []string
	flush := func() {
		p := EscapeMarkdownCell(strings.Join(para, "\n"))
		para = para[:0]
		if p == "" {
			return
		}
		if strings.ContainsRune("#>-+=", rune(p[0])) {
			p = "\\" + p
		} else if i := orderedListMarker(p); i > 0 {
			p = p[:i] + "\\" + p[i:]
		}
		paras = append(paras, p)
	}
	for _, l := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		if strings.TrimSpace(l) == "" {
			flush()
			continue
		}
		para = append(para, l)
	}
	flush()
	return strings.Join(paras, "\n\n")
}

// orderedListMarker returns the index of the "." or ")" when p starts like
// an ordered list item ("1." or "1)"), else 0.
func orderedListMarker(p string) int {
	i := 0
	for i < len(p) && i < 9 && '0' <= p[i] && p[i] <= '9' {
		i++
	}
	if i > 0 && i < len(p) && (p[i] == '.' || p[i] == ')') {
		return i
	}
	return 0
}
