package edit

import (
	"strings"
	"testing"
)

func TestApply(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		edits     []Edit
		want      string
		err       string
	}{
		{name: "replace", src: "hello world", edits: []Edit{{6, 11, "there"}}, want: "hello there"},
		{name: "insert and delete", src: "abc", edits: []Edit{{3, 3, "d"}, {0, 1, ""}}, want: "bcd"},
		{name: "two insertions at one point keep their order", src: "ac", edits: []Edit{{1, 1, "b"}, {1, 1, "B"}}, want: "abBc"},
		{name: "insertion before a replacement at the same point", src: "abc", edits: []Edit{{1, 2, "X"}, {1, 1, "+"}}, want: "a+Xc"},
		{name: "adjacent replacements", src: "abcd", edits: []Edit{{0, 2, "AB"}, {2, 4, "CD"}}, want: "ABCD"},
		{name: "identical edits coalesce", src: "abc", edits: []Edit{{0, 1, "A"}, {0, 1, "A"}}, want: "Abc"},
		{name: "identical insertions coalesce apart", src: "abc", edits: []Edit{{1, 1, "X"}, {1, 1, "Y"}, {1, 1, "X"}}, want: "aXYbc"},
		{name: "overlap", src: "abcdef", edits: []Edit{{0, 3, "x"}, {2, 4, "y"}}, err: "overlapping edits [0,3) and [2,4)"},
		{name: "same start different replacements", src: "abcdef", edits: []Edit{{0, 3, "x"}, {0, 2, "y"}}, err: "overlapping"},
		{name: "insertion inside a replacement", src: "abcdef", edits: []Edit{{0, 3, "x"}, {2, 2, "y"}}, err: "overlapping"},
		{name: "out of bounds", src: "abc", edits: []Edit{{2, 5, ""}}, err: "out of bounds"},
		{name: "reversed range", src: "abc", edits: []Edit{{2, 1, ""}}, err: "out of bounds"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Apply([]byte(tc.src), tc.edits)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil || string(got) != tc.want {
				t.Fatalf("got %q, %v; want %q", got, err, tc.want)
			}
		})
	}
}

func TestApplyDoesNotModifyInput(t *testing.T) {
	src := []byte("abc")
	edits := []Edit{{2, 3, "Z"}, {0, 1, "X"}}
	if _, err := Apply(src, edits); err != nil {
		t.Fatal(err)
	}
	if string(src) != "abc" || edits[0].Start != 2 {
		t.Fatal("Apply changed its arguments")
	}
}
