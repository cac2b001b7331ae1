// Package udiff writes git-style unified diffs that `git apply` accepts.
//
// Lines are split on "\n" only and a "\r" before it stays part of the line,
// so CRLF, LF and mixed line endings round-trip byte for byte. A last line
// without "\n" is followed by the "\ No newline at end of file" marker.
//
// The line diff comes from github.com/sergi/go-diff in line mode with no
// time limit, which makes the output deterministic and minimal (the same
// number of removed and added lines as `git diff --minimal`). Its worst
// case is quadratic: a 10,000-line file with every line changed takes
// about a second.
package udiff

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/sergi/go-diff/diffmatchpatch"
)

// context is the number of unchanged lines shown around each change.
const context = 3

// noNewline follows a line that has no "\n" at the end of the file.
const noNewline = "\n\\ No newline at end of file\n"

// File is one file's change in a patch.
type File struct {
	Path      string // slash-separated path relative to the patch root; printed as a/Path and b/Path
	Old, New  []byte
	OldExists bool   // false: the file is created (--- /dev/null, "new file mode")
	NewExists bool   // false: the file is deleted (+++ /dev/null, "deleted file mode")
	Mode      string // git mode, "100644" when empty; "100755" for executables
}

// Write writes the git-style unified diff of f to w with 3 lines of context.
// It writes nothing when both sides exist and the bytes are equal.
//
// Write also writes nothing when neither side exists. The content of a side
// that does not exist is ignored. Mode is printed only on the "new file
// mode" and "deleted file mode" lines. Write returns an error if Path is
// empty, starts with "/" or contains a NUL byte, or if w fails; the whole
// diff of f is passed to w in a single call.
func Write(w io.Writer, f File) error {
	if f.Path == "" || f.Path[0] == '/' || strings.IndexByte(f.Path, 0) >= 0 {
		return fmt.Errorf("udiff: invalid path %q", f.Path)
	}
	var a, b []byte
	if f.OldExists {
		a = f.Old
	}
	if f.NewExists {
		b = f.New
	}
	if !f.OldExists && !f.NewExists || f.OldExists && f.NewExists && bytes.Equal(a, b) {
		return nil
	}
	mode := f.Mode
	if mode == "" {
		mode = "100644"
	}

	var buf bytes.Buffer
	oldName, newName := label("a/", f.Path), label("b/", f.Path)
	fmt.Fprintf(&buf, "diff --git %s %s\n", oldName, newName)
	switch {
	case !f.OldExists:
		fmt.Fprintf(&buf, "new file mode %s\n", mode)
		oldName = "/dev/null"
	case !f.NewExists:
		fmt.Fprintf(&buf, "deleted file mode %s\n", mode)
		newName = "/dev/null"
	}
	if len(a) == 0 && len(b) == 0 {
		// An empty file is created or deleted. Like git, print the blob
		// names (e69de29 is the empty blob) and no ---/+++ lines or hunks.
		if f.OldExists {
			buf.WriteString("index e69de29..0000000\n")
		} else {
			buf.WriteString("index 0000000..e69de29\n")
		}
		_, err := w.Write(buf.Bytes())
		return err
	}
	// Like git, end a name that contains a space with a TAB.
	fmt.Fprintf(&buf, "--- %s%s\n+++ %s%s\n", oldName, tab(oldName), newName, tab(newName))
	writeHunks(&buf, lineOps(string(a), string(b)))
	_, err := w.Write(buf.Bytes())
	return err
}

// Patch returns the concatenated diff of files, in the order given.
//
// Patch panics if Write reports an error, which happens only for an invalid
// Path.
func Patch(files []File) []byte {
	var buf bytes.Buffer
	for _, f := range files {
		if err := Write(&buf, f); err != nil {
			panic(err)
		}
	}
	return buf.Bytes()
}

// An op is one line of the edit script: ' ' keeps, '-' removes and '+' adds
// line, which includes its "\n" unless it is the last line of its side.
type op struct {
	kind byte
	line string
}

// lineOps returns the minimal line edit script that turns a into b.
func lineOps(a, b string) []op {
	dmp := diffmatchpatch.New()
	dmp.DiffTimeout = 0 // no deadline: deterministic and minimal
	ra, rb, lines := dmp.DiffLinesToRunes(a, b)
	diffs := dmp.DiffCharsToLines(dmp.DiffMainRunes(ra, rb, false), lines)
	var ops []op
	for _, d := range diffs {
		kind := byte(' ')
		switch d.Type {
		case diffmatchpatch.DiffDelete:
			kind = '-'
		case diffmatchpatch.DiffInsert:
			kind = '+'
		}
		for _, l := range splitLines(d.Text) {
			ops = append(ops, op{kind, l})
		}
	}
	return ops
}

// splitLines splits s after each "\n". The last line has no "\n" if s does
// not end with one; an empty s has no lines.
func splitLines(s string) []string {
	lines := make([]string, 0, strings.Count(s, "\n")+1)
	for s != "" {
		n := strings.IndexByte(s, '\n') + 1
		if n == 0 {
			n = len(s)
		}
		lines = append(lines, s[:n])
		s = s[n:]
	}
	return lines
}

// writeHunks writes the hunks of ops. Changes that are at most 2*context
// unchanged lines apart share a hunk.
func writeHunks(buf *bytes.Buffer, ops []op) {
	oldBefore, newBefore := 0, 0 // lines of each side before ops[pos]
	for pos := 0; pos < len(ops); {
		c := pos // first change
		for c < len(ops) && ops[c].kind == ' ' {
			c++
		}
		if c == len(ops) {
			return
		}
		start := max(c-context, pos)
		oldBefore += start - pos
		newBefore += start - pos
		end := c
		for {
			for end < len(ops) && ops[end].kind != ' ' {
				end++
			}
			next := end // next change, if any
			for next < len(ops) && ops[next].kind == ' ' {
				next++
			}
			if next == len(ops) || next-end > 2*context {
				end = min(next, end+context)
				break
			}
			end = next
		}
		oldN, newN := 0, 0
		for _, o := range ops[start:end] {
			if o.kind != '+' {
				oldN++
			}
			if o.kind != '-' {
				newN++
			}
		}
		fmt.Fprintf(buf, "@@ -%s +%s @@\n", hunkRange(oldBefore, oldN), hunkRange(newBefore, newN))
		for _, o := range ops[start:end] {
			buf.WriteByte(o.kind)
			buf.WriteString(o.line)
			if !strings.HasSuffix(o.line, "\n") {
				buf.WriteString(noNewline)
			}
		}
		oldBefore += oldN
		newBefore += newN
		pos = end
	}
}

// hunkRange formats the n lines after the first before lines of one side:
// "N" for one line, "N,0" (N is the line before) for none, else "N,n".
func hunkRange(before, n int) string {
	switch n {
	case 0:
		return strconv.Itoa(before) + ",0"
	case 1:
		return strconv.Itoa(before + 1)
	}
	return strconv.Itoa(before+1) + "," + strconv.Itoa(n)
}

// label returns prefix+path as git prints a file name: in double quotes
// with C escapes if path contains a control character, '"' or '\\'.
func label(prefix, path string) string {
	if !strings.ContainsFunc(path, func(r rune) bool { return r < 0x20 || r == 0x7f || r == '"' || r == '\\' }) {
		return prefix + path
	}
	var s strings.Builder
	s.WriteString(`"` + prefix)
	for i := 0; i < len(path); i++ {
		c := path[i]
		switch k := strings.IndexByte("\a\b\t\n\v\f\r\"\\", c); {
		case k >= 0:
			s.WriteByte('\\')
			s.WriteByte(`abtnvfr"\`[k])
		case c < 0x20 || c == 0x7f:
			fmt.Fprintf(&s, `\%03o`, c)
		default:
			s.WriteByte(c)
		}
	}
	s.WriteByte('"')
	return s.String()
}

// tab returns "\t" if name contains a space, as git ends such names on the
// ---/+++ lines.
func tab(name string) string {
	if strings.Contains(name, " ") {
		return "\t"
	}
	return ""
}
