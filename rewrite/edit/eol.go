package edit

import "bytes"

// EOL returns the line ending that new lines in src must use: "\r\n" when
// at least half of src's line endings are CRLF, else "\n" (also when src
// has none). The C# rules, the TODO markers, the project files and the
// settings files all ask this one function, so a file that mixes endings
// gets the same answer whichever code inserts into it; lines already in
// the file keep their own endings whatever it says.
func EOL(src []byte) string {
	lf := bytes.Count(src, []byte("\n"))
	crlf := bytes.Count(src, []byte("\r\n"))
	if crlf > 0 && crlf*2 >= lf {
		return "\r\n"
	}
	return "\n"
}
