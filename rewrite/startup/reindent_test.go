package startup

import "testing"

func TestReindent(t *testing.T) {
	in := "var x = 1;\n" +
		"void F()\n" +
		"{\n" +
		"    var s = @\"a\n" +
		"    b\";\n" +
		"    if (x > 0)\n" +
		"    \t{\n" +
		"          G(1,\n" +
		"            2);\n" +
		"    }\n" +
		"}\n"
	want := "var x = 1;\n" +
		"void F()\n" +
		"{\n" +
		"\tvar s = @\"a\n" +
		"    b\";\n" + // inside the verbatim string: its value
		"\tif (x > 0)\n" +
		"\t\t{\n" +
		"\t\t  G(1,\n" +
		"\t\t\t2);\n" +
		"\t}\n" +
		"}\n"
	if got := string((&Plan{Indent: "\t"}).Reindent([]byte(in))); got != want {
		t.Errorf("Reindent with tabs:\n%q\nwant\n%q", got, want)
	}
	if got := string((&Plan{Indent: "  "}).Reindent([]byte("{\n        x;\r\n}\n"))); got != "{\n    x;\r\n}\n" {
		t.Errorf("Reindent with 2 spaces: %q", got)
	}
	if got := string((&Plan{Indent: templateIndent}).Reindent([]byte(in))); got != in {
		t.Errorf("Reindent with the templates' own unit changed the text: %q", got)
	}
}
