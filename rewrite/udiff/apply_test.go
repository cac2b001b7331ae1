package udiff

import (
	"bytes"
	"fmt"
	"maps"
	"strconv"
	"strings"
	"testing"
)

const marker = "\\ No newline at end of file\n"

// applyPatch applies a patch in the format Write produces to the files in
// old and returns the resulting files. It is strict: hunk positions must be
// exact on both sides, and context must follow Write's rules (3 lines, cut
// only at the file edges; changes more than 6 lines apart in separate hunks).
func applyPatch(old map[string][]byte, patch []byte) (map[string][]byte, error) {
	files := maps.Clone(old)
	if files == nil {
		files = map[string][]byte{}
	}
	lines := splitLines(string(patch))
	for i := 0; i < len(lines); {
		header, ok := strings.CutPrefix(lines[i], "diff --git ")
		if !ok {
			return nil, fmt.Errorf("line %d: want diff --git, got %q", i+1, lines[i])
		}
		name, err := gitHeaderName(strings.TrimSuffix(header, "\n"))
		if err != nil {
			return nil, fmt.Errorf("line %d: %v", i+1, err)
		}
		i++
		isNew, isDel := false, false
		for ; i < len(lines) && !strings.HasPrefix(lines[i], "--- ") && !strings.HasPrefix(lines[i], "diff --git "); i++ {
			switch l := lines[i]; {
			case l == "new file mode 100644\n" || l == "new file mode 100755\n":
				isNew = true
			case l == "deleted file mode 100644\n" || l == "deleted file mode 100755\n":
				isDel = true
			case l == "index 0000000..e69de29\n" && isNew, l == "index e69de29..0000000\n" && isDel:
			default:
				return nil, fmt.Errorf("line %d: unexpected %q", i+1, l)
			}
		}
		var src []string
		if isNew {
			if _, ok := files[name]; ok {
				return nil, fmt.Errorf("%s: created but exists", name)
			}
		} else {
			data, ok := files[name]
			if !ok {
				return nil, fmt.Errorf("%s: missing", name)
			}
			src = splitLines(string(data))
		}
		var dst []string
		if i < len(lines) && strings.HasPrefix(lines[i], "--- ") {
			if i+1 == len(lines) {
				return nil, fmt.Errorf("%s: no +++ line", name)
			}
			wantOld, wantNew := "a/"+name, "b/"+name
			if isNew {
				wantOld = "/dev/null"
			}
			if isDel {
				wantNew = "/dev/null"
			}
			if n, err := parseName(lines[i][4:]); err != nil || n != wantOld {
				return nil, fmt.Errorf("line %d: %q (%v), want %q", i+1, lines[i], err, wantOld)
			}
			if n, err := parseName(strings.TrimPrefix(lines[i+1], "+++ ")); err != nil || n != wantNew || !strings.HasPrefix(lines[i+1], "+++ ") {
				return nil, fmt.Errorf("line %d: %q (%v), want %q", i+2, lines[i+1], err, wantNew)
			}
			i += 2
			if dst, i, err = applyHunks(src, lines, i); err != nil {
				return nil, fmt.Errorf("%s: %v", name, err)
			}
		} else if !isNew && !isDel || len(src) > 0 {
			return nil, fmt.Errorf("%s: no ---/+++ lines", name)
		}
		if isDel {
			if len(dst) > 0 {
				return nil, fmt.Errorf("%s: deleted but not emptied", name)
			}
			delete(files, name)
		} else {
			files[name] = []byte(strings.Join(dst, ""))
		}
	}
	return files, nil
}

// applyHunks applies the hunks starting at lines[i] to src and returns the
// result and the index of the first line after the hunks.
func applyHunks(src, lines []string, i int) (dst []string, next int, err error) {
	cur, delta, lastChange := 0, 0, -2*context-1 // next src line, new-old line count, src index after the last change
	if i == len(lines) || !strings.HasPrefix(lines[i], "@@ ") {
		return nil, i, fmt.Errorf("no hunks")
	}
	for ; i < len(lines) && strings.HasPrefix(lines[i], "@@ "); i++ {
		var o, n string
		if _, err := fmt.Sscanf(lines[i], "@@ -%s +%s @@\n", &o, &n); err != nil || lines[i] != "@@ -"+o+" +"+n+" @@\n" {
			return nil, i, fmt.Errorf("bad hunk header %q", lines[i])
		}
		oldBefore, oldN, err1 := parseRange(o)
		newBefore, newN, err2 := parseRange(n)
		if err1 != nil || err2 != nil || oldBefore < cur || newBefore != oldBefore+delta || oldN+newN == 0 {
			return nil, i, fmt.Errorf("bad hunk position %q at src line %d, delta %d", lines[i], cur, delta)
		}
		dst = append(dst, src[cur:oldBefore]...)
		cur = oldBefore
		first, ctx := -1, 0 // src index of the first change, context lines since the last change
		for i++; oldN > 0 || newN > 0; i++ {
			if i == len(lines) || !strings.HasSuffix(lines[i], "\n") || len(lines[i]) < 2 {
				return nil, i, fmt.Errorf("hunk %d truncated", i)
			}
			kind, text := lines[i][0], lines[i][1:]
			if i+1 < len(lines) && lines[i+1] == marker {
				text = strings.TrimSuffix(text, "\n")
				i++
			}
			if kind == ' ' {
				ctx++
			} else {
				if first < 0 {
					first = cur
					if ctx != min(context, cur) || cur-lastChange <= 2*context {
						return nil, i, fmt.Errorf("%d leading context lines at src line %d", ctx, cur)
					}
				} else if ctx > 2*context {
					return nil, i, fmt.Errorf("%d context lines inside a hunk", ctx)
				}
				ctx = 0
			}
			switch kind {
			case ' ', '-':
				if cur == len(src) || src[cur] != text {
					return nil, i, fmt.Errorf("line %d: %q does not match src line %d", i+1, lines[i], cur+1)
				}
				if kind == ' ' {
					dst = append(dst, text)
					newN--
				}
				cur++
				oldN--
			case '+':
				dst = append(dst, text)
				newN--
			default:
				return nil, i, fmt.Errorf("line %d: bad line %q", i+1, lines[i])
			}
			if kind != ' ' {
				lastChange = cur
			}
			if oldN < 0 || newN < 0 {
				return nil, i, fmt.Errorf("line %d: hunk longer than its header", i+1)
			}
		}
		if first < 0 || ctx != min(context, len(src)-cur+ctx) {
			return nil, i, fmt.Errorf("hunk before line %d: no change or %d trailing context lines", i+1, ctx)
		}
		delta = len(dst) - cur
		i--
	}
	return append(dst, src[cur:]...), i, nil
}

// parseRange parses a hunk range "N" or "N,M" into the number of lines
// before it and its length.
func parseRange(s string) (before, n int, err error) {
	start, count, ok := strings.Cut(s, ",")
	b, err := strconv.Atoi(start)
	if err != nil {
		return 0, 0, err
	}
	if !ok {
		return b - 1, 1, nil
	}
	if n, err = strconv.Atoi(count); err != nil || n == 1 {
		return 0, 0, fmt.Errorf("bad range %q", s)
	}
	if n == 0 {
		return b, 0, nil
	}
	return b - 1, n, nil
}

// gitHeaderName returns the path of "a/P b/P" (or the C-quoted form).
func gitHeaderName(s string) (string, error) {
	if strings.HasPrefix(s, `"`) {
		a, rest, err := unquote(s)
		if err != nil || !strings.HasPrefix(rest, ` "`) {
			return "", fmt.Errorf("bad names %q", s)
		}
		b, rest, err := unquote(rest[1:])
		if err != nil || rest != "" || a != "a/"+b[min(2, len(b)):] || !strings.HasPrefix(b, "b/") {
			return "", fmt.Errorf("bad names %q", s)
		}
		return b[2:], nil
	}
	n := (len(s) - len("a/ b/")) / 2
	if n <= 0 || s != "a/"+s[2:2+n]+" b/"+s[2:2+n] {
		return "", fmt.Errorf("bad names %q", s)
	}
	return s[2 : 2+n], nil
}

// parseName parses the name on a ---/+++ line (with its "\n"), dropping
// the TAB that ends a name with a space.
func parseName(s string) (string, error) {
	s, ok := strings.CutSuffix(s, "\n")
	if !ok {
		return "", fmt.Errorf("no newline")
	}
	if t, ok := strings.CutSuffix(s, "\t"); ok != strings.Contains(s, " ") {
		return "", fmt.Errorf("TAB %v but space %v", ok, !ok)
	} else {
		s = t
	}
	if !strings.HasPrefix(s, `"`) {
		return s, nil
	}
	name, rest, err := unquote(s)
	if err == nil && rest != "" {
		err = fmt.Errorf("text after quoted name")
	}
	return name, err
}

// unquote decodes the C-quoted string at the start of s and returns the
// rest of s.
func unquote(s string) (string, string, error) {
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"':
			return b.String(), s[i+1:], nil
		case c != '\\':
			b.WriteByte(c)
		case i+1 < len(s) && strings.IndexByte(`abtnvfr"\`, s[i+1]) >= 0:
			i++
			b.WriteByte("\a\b\t\n\v\f\r\"\\"[strings.IndexByte(`abtnvfr"\`, s[i])])
		case i+3 < len(s):
			v, err := strconv.ParseUint(s[i+1:i+4], 8, 8)
			if err != nil {
				return "", "", err
			}
			b.WriteByte(byte(v))
			i += 3
		default:
			return "", "", fmt.Errorf("bad escape")
		}
	}
	return "", "", fmt.Errorf("unterminated quote")
}

func TestApplyPatch(t *testing.T) {
	var files []File
	old, want := map[string][]byte{}, map[string][]byte{}
	for _, f := range oracleCases() {
		files = append(files, f)
		if f.OldExists {
			old[f.Path] = f.Old
		}
		if f.NewExists {
			want[f.Path] = f.New
		}
	}
	got, err := applyPatch(old, Patch(files))
	if err != nil {
		t.Fatal(err)
	}
	if !maps.EqualFunc(got, want, bytes.Equal) {
		t.Error("applyPatch(old, Patch(files)) differs from the new files")
	}
	// The applier must reject a wrong patch, or the fuzz test proves nothing.
	for _, bad := range []string{
		"diff --git a/middle.txt b/middle.txt\n--- a/middle.txt\n+++ b/middle.txt\n@@ -3,7 +3,7 @@\n line2\n",
		"diff --git a/end.txt b/end.txt\n--- a/end.txt\n+++ b/end.txt\n@@ -6,4 +6,4 @@\n line6\n line7\n line8\n-line9\n" + marker + "+LINE9\n",
		"diff --git a/end.txt b/end.txt\n--- a/end.txt\n+++ b/end.txt\n@@ -7,3 +7,3 @@\n line7\n line8\n-line9\n+LINE9\n",
		"diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n",
	} {
		if _, err := applyPatch(old, []byte(bad)); err == nil {
			t.Errorf("applyPatch accepted %q", bad)
		}
	}
}

// expand turns each byte of b into one of a few short lines, so that small
// fuzz inputs become repetitive many-line files.
func expand(b []byte) []byte {
	pieces := []string{"a\n", "b\n", "}\n", "a\r\n", "\n", "c", "    {\n", "\\ x\n"}
	var s strings.Builder
	for _, c := range b {
		s.WriteString(pieces[int(c)%len(pieces)])
	}
	return []byte(s.String())
}

// checkWrite checks that applying Write's diff of f to f.Old yields f.New.
func checkWrite(t *testing.T, f File) {
	var buf bytes.Buffer
	if err := Write(&buf, f); err != nil {
		if f.Path != "" && f.Path[0] != '/' && !strings.Contains(f.Path, "\x00") {
			t.Fatalf("Write(%q): %v", f.Path, err)
		}
		return
	}
	old, want := map[string][]byte{}, map[string][]byte{}
	if f.OldExists {
		old[f.Path] = f.Old
	}
	if f.NewExists {
		want[f.Path] = f.New
	}
	if buf.Len() == 0 != (!f.OldExists && !f.NewExists || f.OldExists && f.NewExists && bytes.Equal(f.Old, f.New)) {
		t.Fatalf("Write wrote %d bytes for %+v", buf.Len(), f)
	}
	got, err := applyPatch(old, buf.Bytes())
	if err != nil {
		t.Fatalf("%v\npatch:\n%q", err, buf.String())
	}
	if !maps.EqualFunc(got, want, bytes.Equal) {
		t.Fatalf("applying the patch gives %q, want %q\npatch:\n%q", got, want, buf.String())
	}
}

func FuzzWrite(f *testing.F) {
	for _, tc := range writeCases {
		f.Add(tc.file.Path, tc.file.Old, tc.file.New, tc.file.OldExists, tc.file.NewExists)
	}
	f.Fuzz(func(t *testing.T, path string, old, new []byte, oldExists, newExists bool) {
		checkWrite(t, File{Path: path, Old: old, New: new, OldExists: oldExists, NewExists: newExists})
		checkWrite(t, File{Path: path, Old: expand(old), New: expand(new), OldExists: oldExists, NewExists: newExists})
	})
}
