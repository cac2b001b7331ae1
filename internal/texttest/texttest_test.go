package texttest

import (
	"bytes"
	"testing"
)

func TestSplitJoin(t *testing.T) {
	for _, s := range []string{"", "a", "a\n", "a\r\nb\nc", "\r\n\n", "a\rb\n"} {
		if got := string(Join(Split([]byte(s)))); got != s {
			t.Errorf("Join(Split(%q)) = %q", s, got)
		}
	}
	if got := Split([]byte("a\rb\r\n")); len(got) != 1 || got[0].Text != "a\rb" || got[0].EOL != "\r\n" {
		t.Errorf("a lone CR is text, not a line ending: %q", got)
	}
}

func TestTabs(t *testing.T) {
	in := "class A\n{\n    void M()\n    {\n          x(1,\n            2);\n    }\n}\n"
	want := "class A\n{\n\tvoid M()\n\t{\n\t\t  x(1,\n\t\t\t2);\n\t}\n}\n"
	unit, why := SpaceUnit([]byte(in), nil)
	if unit != 4 || why != "" {
		t.Fatalf("SpaceUnit = %d, %q", unit, why)
	}
	if got := string(Tabs([]byte(in), 4, nil)); got != want {
		t.Errorf("Tabs = %q\nwant %q", got, want)
	}
	frozen := map[int]bool{4: true}
	if got := string(Tabs([]byte(in), 4, frozen)); got != "class A\n{\n\tvoid M()\n\t{\n          x(1,\n\t\t\t2);\n\t}\n}\n" {
		t.Errorf("a frozen line changed: %q", got)
	}
	if _, why := SpaceUnit([]byte("a\n\tb\n"), nil); why == "" {
		t.Error("a tab-indented file has a space unit")
	}
	if _, why := SpaceUnit([]byte("a\n/*\n * c\n */\nb\n"), nil); why != noIndent {
		t.Errorf("block comment continuations count as indentation: %q", why)
	}
}

func TestMixed(t *testing.T) {
	in := []byte("one\ntwo\nthree\nfour\nfive\nsix\n")
	want := []byte("one\ntwo\nnew\nthree\nfour\nFIVE\nsix\n")
	tin, twant, ok := Mixed(in, want, "\r\n", "\n", 0)
	if !ok {
		t.Fatal("not ok")
	}
	// Fit lines: all six; phase 0 takes the 1st and 4th: one, four.
	if w := "one\ntwo\r\nthree\r\nfour\nfive\r\nsix\r\n"; string(tin) != w {
		t.Errorf("in = %q\nwant %q", tin, w)
	}
	// "five" changed and "new" is new: both take the majority.
	if w := "one\ntwo\r\nnew\r\nthree\r\nfour\nFIVE\r\nsix\r\n"; string(twant) != w {
		t.Errorf("want = %q\nwant %q", twant, w)
	}
	// Lines that repeat (even at another indentation) are never chosen.
	braces := []byte("{\n  {\n  }\n}\n")
	if tin, _, ok = Mixed(braces, braces, "\r\n", "\n", 0); ok || bytes.Count(tin, []byte("\r\n")) != 4 {
		t.Errorf("repeated lines chosen: %q, %v", tin, ok)
	}
	// Two lines cannot hold a minority.
	if _, _, ok := Mixed([]byte("a\nb\n"), []byte("a\nb\n"), "\n", "\r\n", 0); ok {
		t.Error("one line of two called a minority")
	}
}

func TestApply(t *testing.T) {
	p := Pair{In: []byte("a\n    b\n"), Want: []byte("a\n    b\n    c\n")}
	out, _, skip := Encoding{CRLF: true, BOM: true, Tabs: true, NoEOL: true}.Apply(Base{}, []int{4}, p)
	if skip != "" {
		t.Fatal(skip)
	}
	if got, w := string(out[0].In), BOM+"a\r\n\tb"; got != w {
		t.Errorf("in = %q, want %q", got, w)
	}
	if got, w := string(out[0].Want), BOM+"a\r\n\tb\r\n\tc"; got != w {
		t.Errorf("want = %q, want %q", got, w)
	}
	if _, _, skip := (Encoding{CRLF: true}).Apply(Base{CRLF: true}, nil, p); skip == "" {
		t.Error("CRLF over a CRLF fixture not skipped")
	}
	if _, _, skip := (Encoding{Tabs: true}).Apply(Base{}, []int{2}, p); skip == "" {
		t.Error("a 4-space file converted with a 2-space unit")
	}
	all, notApplied, skip := Encoding{Tabs: true, CRLF: true, All: true}.Apply(Base{}, []int{2}, p)
	if skip != "" || len(notApplied) != 1 || string(all[0].In) != "a\r\n    b\r\n" {
		t.Errorf("All: %+v, %q, %q", all, notApplied, skip)
	}
}
