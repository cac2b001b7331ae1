package csproj

import (
	"strings"
	"testing"
)

// The four kinds of project file LIBRARIES.md §2 measured round trips on.
var (
	// fileA: SDK style, 2-space indent, LF, blank lines, a comment, " />".
	fileA = `<Project Sdk="Microsoft.NET.Sdk">

  <!-- Function app -->
  <PropertyGroup>
    <TargetFramework>net6.0</TargetFramework>
    <AzureFunctionsVersion>v4</AzureFunctionsVersion>
  </PropertyGroup>

  <ItemGroup>
    <PackageReference Include="Microsoft.NET.Sdk.Functions" Version="4.1.1" />
  </ItemGroup>
</Project>
`
	// fileB: BOM, CRLF, XML declaration, 4-space indent, a multi-line comment
	// holding R&D, &amp;, Conditions, single-quoted attributes, <X></X>,
	// &gt; and &quot; in attributes.
	fileB = "\ufeff" + strings.ReplaceAll(`<?xml version="1.0" encoding="utf-8"?>
<Project Sdk="Microsoft.NET.Sdk">
    <!-- R&D
         notes -->
    <PropertyGroup>
        <TargetFramework>net6.0</TargetFramework>
        <Company>Smith &amp; Sons</Company>
    </PropertyGroup>
    <PropertyGroup Condition="'$(Configuration)'=='Release'">
        <Optimize>true</Optimize>
    </PropertyGroup>
    <ItemGroup>
        <PackageReference Include='Microsoft.NET.Sdk.Functions' Version='4.1.1' />
        <Content Include="a.txt"></Content>
        <None Include="x" Label="a &gt; b &quot;q&quot;" />
    </ItemGroup>
</Project>
`, "\n", "\r\n")
	// fileC: tab indent, no final newline, <X/> with no space, attributes
	// split over lines, >, " and ' in text.
	fileC = "<Project Sdk=\"Microsoft.NET.Sdk\">\n" +
		"\t<PropertyGroup>\n" +
		"\t\t<TargetFramework>net6.0</TargetFramework>\n" +
		"\t\t<Description>a > b \"c\" 'd'</Description>\n" +
		"\t</PropertyGroup>\n" +
		"\t<ItemGroup>\n" +
		"\t\t<PackageReference Include=\"Microsoft.NET.Sdk.Functions\"\n" +
		"\t\t                  Version=\"4.1.1\"/>\n" +
		"\t\t<Compile Remove=\"Old/**\"/>\n" +
		"\t</ItemGroup>\n" +
		"</Project>"
	// fileD: single-quoted XML declaration with standalone, `Sdk = "x"`,
	// &#169;, CDATA, an empty <X></X>, xsi:nil, a tab between attributes and
	// &#x0D;&#x0A; in an attribute.
	fileD = `<?xml version='1.0' encoding='utf-8' standalone='yes'?>
<Project Sdk = "Microsoft.NET.Sdk">
  <PropertyGroup>
    <Copyright>&#169; Contoso</Copyright>
    <Script><![CDATA[if (a < b) {}]]></Script>
    <NoWarn></NoWarn>
    <Thing xsi:nil="true" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"` + "\t" + `Other="x" />
    <Multi Value="a&#x0D;&#x0A;b" />
  </PropertyGroup>
</Project>
`
)

// checkSpans checks the invariants of every element's spans.
func checkSpans(t *testing.T, d *Doc) {
	t.Helper()
	src := string(d.Src)
	for i, el := range d.Elements {
		start := src[el.Start:el.StartTagEnd]
		if !strings.HasPrefix(start, "<"+el.Name) || !strings.HasSuffix(start, ">") {
			t.Errorf("element %d <%s>: start tag span is %q", i, el.Name, start)
		}
		end := src[el.EndTagStart:el.End]
		if el.SelfClosing {
			if end != "" || !strings.HasSuffix(start, "/>") || el.EndTagStart != el.StartTagEnd {
				t.Errorf("element %d <%s>: self-closing but start %q end %q", i, el.Name, start, end)
			}
		} else if end != "</"+el.Name+">" {
			t.Errorf("element %d <%s>: end tag span is %q", i, el.Name, end)
		}
		for _, a := range el.Attrs {
			if src[a.ValueStart-1] != a.Quote || src[a.ValueEnd] != a.Quote {
				t.Errorf("<%s %s>: value span [%d,%d) is not between %c quotes", el.Name, a.Name, a.ValueStart, a.ValueEnd, a.Quote)
			}
		}
		for _, c := range el.Children {
			if c.Parent != el || c.Start < el.StartTagEnd || c.End > el.EndTagStart {
				t.Errorf("child <%s> of <%s> lies outside its parent's content", c.Name, el.Name)
			}
		}
	}
	if d.Elements[0] != d.Root {
		t.Errorf("Elements[0] is not the root")
	}
}

func mustParse(t *testing.T, path, src string) *Doc {
	t.Helper()
	d, err := Parse(path, []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// find returns the first element called name.
func find(t *testing.T, d *Doc, name string) *Element {
	t.Helper()
	for _, el := range d.Elements {
		if el.Name == name {
			return el
		}
	}
	t.Fatalf("no <%s>", name)
	return nil
}

func TestParseFileA(t *testing.T) {
	d := mustParse(t, "a.csproj", fileA)
	checkSpans(t, d)
	if d.BOM || d.EOL != "\n" || d.IndentUnit() != "  " || len(d.Elements) != 6 {
		t.Errorf("BOM %v EOL %q unit %q elements %d; want false, LF, 2 spaces, 6", d.BOM, d.EOL, d.IndentUnit(), len(d.Elements))
	}
	pr := d.PackageReferences()
	if len(pr) != 1 || pr[0].ID != "Microsoft.NET.Sdk.Functions" || pr[0].Version != "4.1.1" {
		t.Errorf("PackageReferences = %+v", pr)
	}
	el := pr[0].El
	if got := fileA[el.Start:el.End]; got != `<PackageReference Include="Microsoft.NET.Sdk.Functions" Version="4.1.1" />` {
		t.Errorf("PackageReference span %q", got)
	}
	if tf, _ := d.Property("TargetFramework"); tf.Value != "net6.0" || d.Line(tf.El.Start) != 5 {
		t.Errorf("TargetFramework %q at line %d; want net6.0 at 5", tf.Value, d.Line(tf.El.Start))
	}
	if k := d.Kind(); k != InProcess {
		t.Errorf("Kind = %v, want in-process", k)
	}
}

func TestParseFileB(t *testing.T) {
	d := mustParse(t, "b.csproj", fileB)
	checkSpans(t, d)
	if !d.BOM || d.EOL != "\r\n" || d.IndentUnit() != "    " {
		t.Errorf("BOM %v EOL %q unit %q; want true, CRLF, 4 spaces", d.BOM, d.EOL, d.IndentUnit())
	}
	if c, _ := d.Property("Company"); c.Value != "Smith & Sons" {
		t.Errorf("Company = %q", c.Value)
	}
	if o, _ := d.Property("Optimize"); o.Condition != "'$(Configuration)'=='Release'" {
		t.Errorf("Optimize condition = %q", o.Condition)
	}
	pr := d.PackageReferences()[0]
	inc, _ := pr.El.Attr("include")
	if inc.Quote != '\'' || fileB[inc.ValueStart:inc.ValueEnd] != "Microsoft.NET.Sdk.Functions" {
		t.Errorf("Include attr %+v", inc)
	}
	content := find(t, d, "Content")
	if content.SelfClosing || fileB[content.Start:content.End] != `<Content Include="a.txt"></Content>` {
		t.Errorf("Content span %q", fileB[content.Start:content.End])
	}
	none := find(t, d, "None")
	label, _ := none.Attr("Label")
	if label.Value != `a > b "q"` || fileB[label.ValueStart:label.ValueEnd] != "a &gt; b &quot;q&quot;" {
		t.Errorf("Label value %q raw %q", label.Value, fileB[label.ValueStart:label.ValueEnd])
	}
	// Line 1 starts after the BOM, which is not a column.
	if line, col := d.Position(d.Root.Start); line != 2 || col != 1 {
		t.Errorf("root at %d:%d, want 2:1", line, col)
	}
	if line, col := d.Position(3); line != 1 || col != 1 {
		t.Errorf("declaration at %d:%d, want 1:1", line, col)
	}
}

func TestParseFileC(t *testing.T) {
	d := mustParse(t, "c.csproj", fileC)
	checkSpans(t, d)
	if d.EOL != "\n" || d.IndentUnit() != "\t" {
		t.Errorf("EOL %q unit %q; want LF, tab", d.EOL, d.IndentUnit())
	}
	if d.Root.End != len(fileC) {
		t.Errorf("root ends at %d, want %d", d.Root.End, len(fileC))
	}
	pr := d.PackageReferences()[0]
	if !pr.El.SelfClosing || pr.Version != "4.1.1" || d.Line(pr.El.Start) != 7 || d.Line(pr.El.End) != 8 {
		t.Errorf("multi-line PackageReference: %+v lines %d-%d", pr, d.Line(pr.El.Start), d.Line(pr.El.End))
	}
	if st := d.StyleOf(pr.El); st.SlashSpace || st.Quote != '"' {
		t.Errorf("StyleOf = %+v, want '\"' and no space before />", st)
	}
	if desc, _ := d.Property("Description"); desc.Value != `a > b "c" 'd'` {
		t.Errorf("Description = %q", desc.Value)
	}
	ci := d.CompileItems()
	if len(ci) != 1 || ci[0].Remove != "Old/**" {
		t.Errorf("CompileItems = %+v", ci)
	}
}

func TestParseFileD(t *testing.T) {
	d := mustParse(t, "d.csproj", fileD)
	checkSpans(t, d)
	if got := d.Root.attrValue("Sdk"); got != "Microsoft.NET.Sdk" {
		t.Errorf("Sdk = %q", got)
	}
	for name, want := range map[string]string{
		"Copyright": "© Contoso",
		"Script":    "if (a < b) {}",
		"NoWarn":    "",
	} {
		if p, _ := d.Property(name); p.Value != want {
			t.Errorf("%s = %q, want %q", name, p.Value, want)
		}
	}
	thing := find(t, d, "Thing")
	if len(thing.Attrs) != 3 || thing.Attrs[0].Name != "xsi:nil" || thing.Attrs[2].Name != "Other" || thing.Attrs[2].Value != "x" {
		t.Errorf("Thing attrs %+v", thing.Attrs)
	}
	multi := find(t, d, "Multi")
	v, _ := multi.Attr("Value")
	if v.Value != "a\r\nb" || fileD[v.ValueStart:v.ValueEnd] != "a&#x0D;&#x0A;b" {
		t.Errorf("Multi value %q raw %q", v.Value, fileD[v.ValueStart:v.ValueEnd])
	}
	if d.Kind() != Other {
		t.Errorf("Kind = %v, want other", d.Kind())
	}
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct {
		name, src, want string
	}{
		{"mismatch", "<Project>\n  <ItemGroup>\n  </PropertyGroup>\n</Project>\n",
			"App.csproj:3:3: element <ItemGroup> closed by </PropertyGroup>"},
		{"unclosed", "<Project>\n  <ItemGroup>\n",
			"App.csproj:2:3: element <ItemGroup> is never closed"},
		{"stray end", "<Project/>\n</Project>\n",
			"App.csproj:2:1: unexpected </Project> with no open element"},
		{"second root", "<Project/>\n<Project/>\n",
			"App.csproj:2:1: second root element <Project>; <Project> already closed"},
		{"text outside", "<Project/>\njunk\n",
			`App.csproj:1:11: text "junk" outside the root element`},
		{"unquoted", "<Project>\n  <A b=c/>\n</Project>\n",
			"App.csproj:2:8: unquoted or missing attribute value in element"},
		{"bad entity", "<Project>\n  <A>&nbsp;</A>\n</Project>\n",
			"App.csproj:2:11: invalid character entity &nbsp;"},
		{"no root", "<?xml version=\"1.0\"?>\n<!-- nothing -->\n",
			"App.csproj:3:1: no root element"},
		{"empty", "", "App.csproj: file is empty; an MSBuild project needs at least a <Project> element"},
		{"blank with BOM", "\ufeff \r\n", "App.csproj: file is empty; an MSBuild project needs at least a <Project> element"},
		{"utf-16 le", "\xff\xfe<\x00P\x00/\x00>\x00", "App.csproj: file is UTF-16 encoded; save it as UTF-8 and run again"},
		{"utf-16 be", "\xfe\xff\x00<\x00P\x00/\x00>", "App.csproj: file is UTF-16 encoded; save it as UTF-8 and run again"},
		{"utf-16 no bom", "<\x00P\x00/\x00>\x00", "App.csproj: file is UTF-16 encoded; save it as UTF-8 and run again"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("App.csproj", []byte(tc.src))
			if err == nil || err.Error() != tc.want {
				t.Errorf("Parse error:\n got %v\nwant %s", err, tc.want)
			}
		})
	}
}

func TestKind(t *testing.T) {
	for _, tc := range []struct {
		src  string
		want Kind
	}{
		{`<Project Sdk="Microsoft.NET.Sdk"><ItemGroup><PackageReference Include="microsoft.net.sdk.functions" Version="4.4.0" /></ItemGroup></Project>`, InProcess},
		{`<Project Sdk="Microsoft.NET.Sdk"><ItemGroup><PackageReference Include="Microsoft.Azure.Functions.Worker.Sdk" Version="2.1.0" /></ItemGroup></Project>`, Isolated},
		{`<Project Sdk="Azure.Functions.Sdk/0.5.0"><ItemGroup><PackageReference Include="Microsoft.Azure.Functions.Worker" Version="2.52.0" /></ItemGroup></Project>`, Isolated},
		{`<Project><Sdk Name="Azure.Functions.Sdk" Version="0.5.0" /></Project>`, Isolated},
		{`<Project Sdk="Microsoft.NET.Sdk"><ItemGroup><PackageReference Include="Microsoft.NET.Sdk.Functions" Version="4.4.0" /><PackageReference Include="Microsoft.Azure.Workflows.WebJobs.Extension" Version="1.2.3" /></ItemGroup></Project>`, LogicApps},
		{`<Project Sdk="Microsoft.NET.Sdk"><ItemGroup><PackageReference Include="Microsoft.NET.Sdk.Functions" Version="4.4.0" /><PackageReference Include="Microsoft.Azure.Functions.Worker.Sdk" Version="2.1.0" /></ItemGroup></Project>`, InProcess},
		{`<Project Sdk="Microsoft.NET.Sdk"><ItemGroup><PackageReference Include="Microsoft.Azure.WebJobs" Version="3.0.41" /></ItemGroup></Project>`, Other},
		// Functions 1.x and early 2.x shapes: an XML declaration, ToolsVersion,
		// a .NET Framework or .NET Standard target, a <Version> child or a
		// floating version, the MSBuild namespace of pre-SDK project files.
		{"<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n<Project Sdk=\"Microsoft.NET.Sdk\" ToolsVersion=\"15.0\"><PropertyGroup><TargetFramework>net461</TargetFramework></PropertyGroup><ItemGroup><PackageReference Include=\"Microsoft.NET.Sdk.Functions\"><Version>1.0.6</Version></PackageReference></ItemGroup></Project>", InProcess},
		{`<Project Sdk="Microsoft.NET.Sdk"><PropertyGroup><TargetFramework>netstandard2.0</TargetFramework><AzureFunctionsVersion>v2</AzureFunctionsVersion></PropertyGroup><ItemGroup><PackageReference Include="Microsoft.NET.Sdk.Functions" Version="1.0.*" /></ItemGroup></Project>`, InProcess},
		{`<Project Sdk="Microsoft.NET.Sdk" xmlns="http://schemas.microsoft.com/developer/msbuild/2003"><ItemGroup><PackageReference Include="Microsoft.NET.Sdk.Functions" Version="1.0.24" /><Reference Include="Microsoft.CSharp" /></ItemGroup></Project>`, InProcess},
		{`<Project Sdk="Microsoft.NET.Sdk"><ItemGroup><PackageReference Include="Microsoft.Azure.WebJobs.ServiceBus" Version="2.2.0" /><PackageReference Include="WindowsAzure.Storage" Version="8.7.0" /></ItemGroup></Project>`, Other},
	} {
		d := mustParse(t, "App.csproj", tc.src)
		if got := d.Kind(); got != tc.want {
			t.Errorf("Kind of %s = %v, want %v", tc.src, got, tc.want)
		}
	}
	lib := mustParse(t, "Lib.csproj", `<Project><ItemGroup><PackageReference Include="Microsoft.Azure.WebJobs.Extensions.Storage" Version="5.0.0" /></ItemGroup></Project>`)
	if !lib.ReferencesWebJobs() {
		t.Errorf("ReferencesWebJobs = false for a WebJobs class library")
	}
	if mustParse(t, "a.csproj", fileA).ReferencesWebJobs() {
		t.Errorf("ReferencesWebJobs = true for a project that only references Microsoft.NET.Sdk.Functions")
	}
}

func TestQueries(t *testing.T) {
	src := `<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup Condition="'$(Configuration)'=='Debug'">
    <RootNamespace>Debugging</RootNamespace>
  </PropertyGroup>
  <PropertyGroup>
    <RootNamespace>Contoso.Functions</RootNamespace>
    <ManagePackageVersionsCentrally>true</ManagePackageVersionsCentrally>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="Newtonsoft.Json">
      <Version>13.0.3</Version>
    </PackageReference>
    <PackageReference Update="Microsoft.NET.Sdk.Functions" Version="4.4.0" />
    <Compile Include="..\Shared\*.cs" />
    <Compile Remove="Legacy\**" />
    <ProjectReference Include="..\Lib\Lib.csproj" />
  </ItemGroup>
  <Target Name="X">
    <PropertyGroup><RootNamespace>Ignored</RootNamespace></PropertyGroup>
  </Target>
</Project>
`
	d := mustParse(t, "App.csproj", src)
	rn := d.Properties("rootnamespace")
	if len(rn) != 2 || rn[0].Value != "Debugging" || rn[0].Condition == "" || rn[1].Value != "Contoso.Functions" || rn[1].Condition != "" {
		t.Errorf("Properties(RootNamespace) = %+v", rn)
	}
	if p, ok := d.Property("ManagePackageVersionsCentrally"); !ok || p.Value != "true" {
		t.Errorf("ManagePackageVersionsCentrally = %+v", p)
	}
	prs := d.PackageReferences()
	if len(prs) != 2 || prs[0].Version != "13.0.3" || prs[0].VersionEl == nil || !prs[1].Update || prs[1].ID != "Microsoft.NET.Sdk.Functions" {
		t.Errorf("PackageReferences = %+v", prs)
	}
	if d.Kind() != Other {
		t.Errorf("an Update= reference must not make the project in-process")
	}
	ci := d.CompileItems()
	if len(ci) != 2 || ci[0].Include != `..\Shared\*.cs` || ci[1].Remove != `Legacy\**` {
		t.Errorf("CompileItems = %+v", ci)
	}
	if pr := d.ProjectReferences(); len(pr) != 1 || pr[0].Include != `..\Lib\Lib.csproj` {
		t.Errorf("ProjectReferences = %+v", pr)
	}
}
