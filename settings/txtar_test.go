package settings

import (
	"bytes"
	"strings"
)

// This file holds a minimal reader and writer for the txtar archive format
// used by the fixtures. It mirrors the API of
// github.com/rogpeppe/go-internal/txtar (Archive, File, Parse, Format), which
// cannot be built here: that package wraps golang.org/x/tools/txtar, and
// go.sum has no entry for golang.org/x/tools. Once it does, replace this file
// with the import.
//
// Format: comment lines, then entries that each start with a marker line
// "-- NAME --" and run to the next marker line. A missing final newline is
// treated as present.

type txtarArchive struct {
	Comment []byte
	Files   []txtarFile
}

type txtarFile struct {
	Name string
	Data []byte
}

// parseTxtar parses an archive. It never fails: text before the first marker
// is the comment.
func parseTxtar(data []byte) *txtarArchive {
	a := &txtarArchive{}
	var cur *[]byte = &a.Comment
	for len(data) > 0 {
		line := data
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			line, data = data[:i+1], data[i+1:]
		} else {
			data = nil
		}
		if name, ok := txtarMarker(line); ok {
			a.Files = append(a.Files, txtarFile{Name: name, Data: []byte{}})
			cur = &a.Files[len(a.Files)-1].Data
			continue
		}
		*cur = append(*cur, line...)
		if line[len(line)-1] != '\n' {
			*cur = append(*cur, '\n')
		}
	}
	return a
}

// txtarMarker reports whether line is a "-- NAME --" marker and returns NAME.
func txtarMarker(line []byte) (string, bool) {
	s := strings.TrimRight(string(line), "\r\n")
	if !strings.HasPrefix(s, "-- ") || !strings.HasSuffix(s, " --") || len(s) < len("-- x --") {
		return "", false
	}
	name := strings.TrimSpace(s[3 : len(s)-3])
	return name, name != ""
}

// formatTxtar serialises an archive; parseTxtar(formatTxtar(a)) gives back a
// when every comment and file ends in a newline and holds no marker lines.
func formatTxtar(a *txtarArchive) []byte {
	var b bytes.Buffer
	b.Write(withNewline(a.Comment))
	for _, f := range a.Files {
		b.WriteString("-- " + f.Name + " --\n")
		b.Write(withNewline(f.Data))
	}
	return b.Bytes()
}

func withNewline(b []byte) []byte {
	if len(b) == 0 || b[len(b)-1] == '\n' {
		return b
	}
	return append(append([]byte(nil), b...), '\n')
}
