package corpus

import (
	"slices"
	"strconv"
	"strings"
)

// A csFile is one C# source file under construction: its usings, an
// optional assembly attribute, and the types of one namespace.
type csFile struct {
	path       string // relative to the repository
	ns         string
	fileScoped bool
	usings     []string
	assembly   []string // assembly-level attributes, e.g. [assembly: FunctionsStartup(...)]
	types      []string // each type's text at indentation 0
	topLevel   string   // top-level statements (Program.cs); no namespace then
	header     string   // lines before the usings: a copyright comment, #nullable enable
}

func (f *csFile) use(ns ...string) {
	for _, n := range ns {
		if !slices.Contains(f.usings, n) {
			f.usings = append(f.usings, n)
		}
	}
}

// sortUsings orders usings the way the .NET formatter does by default:
// System namespaces first, then the rest, each alphabetically.
func sortUsings(us []string) []string {
	us = slices.Clone(us)
	system := func(u string) bool { return u == "System" || strings.HasPrefix(u, "System.") }
	slices.SortFunc(us, func(a, b string) int {
		if sa, sb := system(a), system(b); sa != sb {
			if sa {
				return -1
			}
			return 1
		}
		return strings.Compare(a, b)
	})
	return us
}

// render returns the file's text with LF line endings.
func (f *csFile) render() string {
	var b strings.Builder
	b.WriteString(f.header)
	for _, u := range sortUsings(f.usings) {
		b.WriteString("using " + u + ";\n")
	}
	if len(f.usings) > 0 {
		b.WriteString("\n")
	}
	for _, a := range f.assembly {
		b.WriteString(a + "\n")
	}
	if len(f.assembly) > 0 {
		b.WriteString("\n")
	}
	if f.topLevel != "" {
		// Top-level statements, then the types they use, in the global
		// namespace.
		b.WriteString(f.topLevel)
		for _, t := range f.types {
			b.WriteString("\n" + t)
		}
		return b.String()
	}
	types := strings.Join(f.types, "\n")
	if f.fileScoped {
		b.WriteString("namespace " + f.ns + ";\n\n")
		b.WriteString(types)
		return b.String()
	}
	b.WriteString("namespace " + f.ns + "\n{\n")
	b.WriteString(indent(types, "    "))
	b.WriteString("}\n")
	return b.String()
}

// indent prefixes every non-empty line of s.
func indent(s, prefix string) string {
	lines := strings.SplitAfter(s, "\n")
	var b strings.Builder
	for _, l := range lines {
		if strings.TrimSpace(l) != "" {
			b.WriteString(prefix)
		}
		b.WriteString(l)
	}
	return b.String()
}

// A csType is a class (or interface) under construction.
type csType struct {
	comment string   // a // comment line, without the slashes
	attrs   []string // type attributes
	header  string   // e.g. "public static class OrderFunctions"
	members []string // each member's text at indentation 0, no trailing blank line
	names   map[string]int
}

func newType(header string) *csType { return &csType{header: header, names: map[string]int{}} }

// memberName returns base, or base2, base3... when the type has one already.
func (t *csType) memberName(base string) string {
	t.names[base]++
	if n := t.names[base]; n > 1 {
		return base + strconv.Itoa(n)
	}
	return base
}

func (t *csType) add(member string) {
	t.members = append(t.members, strings.TrimRight(member, "\n")+"\n")
}

func (t *csType) render() string {
	var b strings.Builder
	if t.comment != "" {
		b.WriteString("// " + t.comment + "\n")
	}
	for _, a := range t.attrs {
		b.WriteString(a + "\n")
	}
	b.WriteString(t.header + "\n{\n")
	b.WriteString(indent(strings.Join(t.members, "\n"), "    "))
	b.WriteString("}\n")
	return b.String()
}

// A method is a function method; body is at indentation 0.
type method struct {
	comment string
	attrs   []string
	sig     string // modifiers, return type and name: "public static string Run"
	params  []string
	body    string
	// kind names the template that wrote the method and names holds its
	// key, value details (activity function names), so that generated
	// tests know what to call and expect; neither is rendered.
	kind  string
	names []string
}

func (m method) render() string {
	var b strings.Builder
	if m.comment != "" {
		b.WriteString("// " + m.comment + "\n")
	}
	for _, a := range m.attrs {
		b.WriteString(a + "\n")
	}
	one := m.sig + "(" + strings.Join(m.params, ", ") + ")"
	if len(m.params) <= 2 && len(one) <= 110 {
		b.WriteString(one + "\n")
	} else {
		b.WriteString(m.sig + "(\n")
		for i, p := range m.params {
			b.WriteString("    " + p)
			if i < len(m.params)-1 {
				b.WriteString(",\n")
			}
		}
		b.WriteString(")\n")
	}
	b.WriteString("{\n")
	b.WriteString(indent(strings.Trim(m.body, "\n")+"\n", "    "))
	b.WriteString("}\n")
	return b.String()
}

// expand replaces {{Key}} placeholders; pairs are key, value. A leading
// newline of tmpl is dropped so templates can start on their own line.
func expand(tmpl string, pairs ...string) string {
	tmpl = strings.TrimPrefix(tmpl, "\n")
	if len(pairs) == 0 {
		return tmpl
	}
	args := make([]string, 0, len(pairs))
	for i := 0; i+1 < len(pairs); i += 2 {
		args = append(args, "{{"+pairs[i]+"}}", pairs[i+1])
	}
	return strings.NewReplacer(args...).Replace(tmpl)
}

// quote returns s as a C# string literal (s never needs escapes here).
func quote(s string) string { return `"` + s + `"` }
