package csproj

import (
	"strings"
	"testing"

	"github.com/funcmigrate/funcmigrate/rewrite/edit"
)

// applyEdits applies es to d and re-parses the result.
func applyEdits(t *testing.T, d *Doc, es []edit.Edit) string {
	t.Helper()
	out, err := edit.Apply(d.Src, es)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Parse(d.Path, out); err != nil {
		t.Fatalf("result does not parse: %v\n%s", err, out)
	}
	return string(out)
}

func crlf(s string) string { return strings.ReplaceAll(s, "\n", "\r\n") }

func TestRemove(t *testing.T) {
	for _, tc := range []struct {
		name, src, elem, want string
	}{
		{"alone on its line",
			"<P>\n  <A />\n  <B />\n</P>\n", "A",
			"<P>\n  <B />\n</P>\n"},
		{"crlf",
			crlf("<P>\n    <A />\n    <B />\n</P>\n"), "A",
			crlf("<P>\n    <B />\n</P>\n")},
		{"multi-line element",
			"<P>\n\t<A Include=\"x\">\n\t\t<Version>1</Version>\n\t</A>\n\t<B/>\n</P>", "A",
			"<P>\n\t<B/>\n</P>"},
		{"shares its line",
			"<P>\n  <A /><B />\n</P>\n", "A",
			"<P>\n  <B />\n</P>\n"},
		{"trailing comment keeps the line",
			"<P>\n  <A /> <!-- a -->\n</P>\n", "A",
			"<P>\n   <!-- a -->\n</P>\n"},
		{"blank lines on both sides collapse to one",
			"<P>\n  <X />\n\n  <A />\n\n  <B />\n</P>\n", "A",
			"<P>\n  <X />\n\n  <B />\n</P>\n"},
		{"followed by the parent's end tag",
			"<R><P>\n  <A /></P>\n<B/></R>", "B",
			"<R><P>\n  <A /></P>\n</R>"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := mustParse(t, "x.xml", tc.src)
			if got := applyEdits(t, d, d.Remove(find(t, d, tc.elem))); got != tc.want {
				t.Errorf("got\n%q\nwant\n%q", got, tc.want)
			}
		})
	}
}

// An element alone on the last line of a file with no final newline takes
// the previous line ending with it, so the file still has none. Only a root
// can sit there, so the result is checked without re-parsing.
func TestRemoveLastLine(t *testing.T) {
	d := mustParse(t, "x.xml", "<!-- head -->\r\n<R>\r\n</R>")
	out, err := edit.Apply(d.Src, d.Remove(d.Root))
	if err != nil || string(out) != "<!-- head -->" {
		t.Errorf("got %q, %v; want %q", out, err, "<!-- head -->")
	}
}

func TestInsert(t *testing.T) {
	ref := func(id string) Node {
		return Node{Name: "PackageReference", Attrs: []NodeAttr{{"Include", id}, {"Version", "1.0"}}}
	}
	for _, tc := range []struct {
		name, src, elem string
		before          bool
		want            string
	}{
		{"after, 2 spaces",
			"<P>\n  <G>\n    <A Include=\"a\" />\n  </G>\n</P>\n", "A", false,
			"<P>\n  <G>\n    <A Include=\"a\" />\n    <PackageReference Include=\"x\" Version=\"1.0\" />\n  </G>\n</P>\n"},
		{"after, crlf and single quotes",
			crlf("<P>\n    <G>\n        <A Include='a' />\n    </G>\n</P>\n"), "A", false,
			crlf("<P>\n    <G>\n        <A Include='a' />\n        <PackageReference Include='x' Version='1.0' />\n    </G>\n</P>\n")},
		{"after, tabs, no space before />, no final newline",
			"<P>\n\t<G>\n\t\t<A Include=\"a\"/>\n\t</G>\n</P>", "A", false,
			"<P>\n\t<G>\n\t\t<A Include=\"a\"/>\n\t\t<PackageReference Include=\"x\" Version=\"1.0\"/>\n\t</G>\n</P>"},
		{"after, a trailing comment stays on its line",
			"<P>\n  <A /> <!-- keep -->\n</P>\n", "A", false,
			"<P>\n  <A /> <!-- keep -->\n  <PackageReference Include=\"x\" Version=\"1.0\" />\n</P>\n"},
		{"after, something else follows on the line",
			"<P>\n  <G><A /></G>\n</P>\n", "A", false,
			"<P>\n  <G><A />\n    <PackageReference Include=\"x\" Version=\"1.0\" /></G>\n</P>\n"},
		{"before",
			"<P>\n  <A />\n</P>\n", "A", true,
			"<P>\n  <PackageReference Include=\"x\" Version=\"1.0\" />\n  <A />\n</P>\n"},
		{"before, shares its line",
			"<P>\n  <B /><A />\n</P>\n", "A", true,
			"<P>\n  <B />\n  <PackageReference Include=\"x\" Version=\"1.0\" />\n  <A />\n</P>\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := mustParse(t, "x.xml", tc.src)
			el := find(t, d, tc.elem)
			var es []edit.Edit
			if tc.before {
				es = d.InsertBefore(el, ref("x"))
			} else {
				es = d.InsertAfter(el, ref("x"))
			}
			if got := applyEdits(t, d, es); got != tc.want {
				t.Errorf("got\n%q\nwant\n%q", got, tc.want)
			}
		})
	}
}

func TestSetTextAndAttr(t *testing.T) {
	src := "<P>\n  <TargetFramework>net6.0</TargetFramework>\n  <OutputType/>\n  <R Include='a' Version=\"1\" />\n  <G><X/></G>\n</P>\n"
	d := mustParse(t, "x.xml", src)
	var es []edit.Edit
	for _, step := range []func() ([]edit.Edit, error){
		func() ([]edit.Edit, error) { return d.SetText(find(t, d, "TargetFramework"), "net10.0") },
		func() ([]edit.Edit, error) { return d.SetText(find(t, d, "OutputType"), "Exe & <more>") },
		func() ([]edit.Edit, error) { return d.SetAttr(find(t, d, "R"), "Include", `it's "x" & <y>`), nil },
		func() ([]edit.Edit, error) { return d.SetAttr(find(t, d, "R"), "Version", "2\t3"), nil },
		func() ([]edit.Edit, error) { return d.SetAttr(find(t, d, "X"), "Alias", "a'b"), nil },
	} {
		e, err := step()
		if err != nil {
			t.Fatal(err)
		}
		es = append(es, e...)
	}
	want := "<P>\n  <TargetFramework>net10.0</TargetFramework>\n  <OutputType>Exe &amp; &lt;more></OutputType>\n" +
		"  <R Include='it&apos;s \"x\" &amp; &lt;y>' Version=\"2&#x9;3\" />\n  <G><X Alias='a&apos;b'/></G>\n</P>\n"
	if got := applyEdits(t, d, es); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if _, err := d.SetText(find(t, d, "G"), "x"); err == nil || !strings.HasPrefix(err.Error(), "x.xml:5:3: ") {
		t.Errorf("SetText on an element with children: err = %v", err)
	}
}

func TestAddItemGroups(t *testing.T) {
	group := Node{Name: "ItemGroup", Children: []Node{
		{Name: "None", Attrs: []NodeAttr{{"Update", "host.json"}}, Children: []Node{{Name: "CopyToOutputDirectory", Text: "PreserveNewest"}}},
	}}
	for _, tc := range []struct{ name, src, want string }{
		{"4 spaces, crlf",
			crlf("<Project>\n    <PropertyGroup>\n        <A>1</A>\n    </PropertyGroup>\n</Project>\n"),
			crlf("<Project>\n    <PropertyGroup>\n        <A>1</A>\n    </PropertyGroup>\n    <ItemGroup>\n        <None Update=\"host.json\">\n            <CopyToOutputDirectory>PreserveNewest</CopyToOutputDirectory>\n        </None>\n    </ItemGroup>\n</Project>\n")},
		{"tabs, blank lines between groups, no final newline",
			"<Project>\n\t<PropertyGroup>\n\t\t<A>1</A>\n\t</PropertyGroup>\n\n\t<ItemGroup>\n\t\t<B/>\n\t</ItemGroup>\n</Project>",
			"<Project>\n\t<PropertyGroup>\n\t\t<A>1</A>\n\t</PropertyGroup>\n\n\t<ItemGroup>\n\t\t<B/>\n\t</ItemGroup>\n\n\t<ItemGroup>\n\t\t<None Update=\"host.json\">\n\t\t\t<CopyToOutputDirectory>PreserveNewest</CopyToOutputDirectory>\n\t\t</None>\n\t</ItemGroup>\n</Project>"},
		{"one line",
			"<Project><PropertyGroup><A>1</A></PropertyGroup></Project>",
			"<Project><PropertyGroup><A>1</A></PropertyGroup>\n  <ItemGroup>\n    <None Update=\"host.json\">\n      <CopyToOutputDirectory>PreserveNewest</CopyToOutputDirectory>\n    </None>\n  </ItemGroup>\n</Project>"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := mustParse(t, "x.xml", tc.src)
			if got := applyEdits(t, d, d.AddItemGroups(group)); got != tc.want {
				t.Errorf("got\n%q\nwant\n%q", got, tc.want)
			}
		})
	}
}

func TestAppendChild(t *testing.T) {
	prop := Node{Name: "OutputType", Text: "Exe"}
	for _, tc := range []struct{ name, src, want string }{
		{"after the last child",
			"<Project>\n  <PropertyGroup>\n    <A>1</A>\n  </PropertyGroup>\n</Project>\n",
			"<Project>\n  <PropertyGroup>\n    <A>1</A>\n    <OutputType>Exe</OutputType>\n  </PropertyGroup>\n</Project>\n"},
		{"empty group",
			"<Project>\n  <PropertyGroup>\n  </PropertyGroup>\n</Project>\n",
			"<Project>\n  <PropertyGroup>\n    <OutputType>Exe</OutputType>\n  </PropertyGroup>\n</Project>\n"},
		{"self-closing group",
			"<Project>\n    <PropertyGroup />\n</Project>\n",
			"<Project>\n    <PropertyGroup>\n        <OutputType>Exe</OutputType>\n    </PropertyGroup>\n</Project>\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := mustParse(t, "x.xml", tc.src)
			if got := applyEdits(t, d, d.AppendChild(find(t, d, "PropertyGroup"), prop)); got != tc.want {
				t.Errorf("got\n%q\nwant\n%q", got, tc.want)
			}
		})
	}
}

func TestIndentUnit(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		{"<P>\n  <A>\n    <B/>\n  </A>\n</P>", "  "},
		{"<P>\n    <A>\n        <B/>\n    </A>\n</P>", "    "},
		{"<P>\n\t<A>\n\t\t<B/>\n\t</A>\n</P>", "\t"},
		{"<P><A><B/></A></P>", "  "},
	} {
		if got := mustParse(t, "x.xml", tc.src).IndentUnit(); got != tc.want {
			t.Errorf("IndentUnit(%q) = %q, want %q", tc.src, got, tc.want)
		}
	}
}
