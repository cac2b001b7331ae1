package rewrite

import (
	"bytes"
	"fmt"
	"io"
	"os"
)

// MaxFileSize bounds what funcmigrate reads: larger files are reported and
// skipped rather than parsed (generated code, data checked in by mistake).
const MaxFileSize = 16 << 20

// readFile reads a regular file, refusing symlinks, oversized files and
// files that change size while being read. Errors name the file.
func readFile(path string) ([]byte, error) {
	fi, err := os.Lstat(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	if fi.Mode()&os.ModeSymlink != 0 {
		return nil, fmt.Errorf("%s: is a symbolic link; funcmigrate does not follow links so it never edits files outside the tree", path)
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("%s: not a regular file", path)
	}
	if fi.Size() > MaxFileSize {
		return nil, fmt.Errorf("%s: %d bytes is over the %d-byte limit; migrate it by hand", path, fi.Size(), MaxFileSize)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, fi.Size()+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	if int64(len(data)) != fi.Size() {
		return nil, fmt.Errorf("%s: size changed while reading; run again when nothing else writes to it", path)
	}
	return data, nil
}

// textProblem says why src cannot be edited as UTF-8 text, or "".
func textProblem(src []byte) string {
	switch {
	case bytes.HasPrefix(src, []byte{0xFF, 0xFE}) || bytes.HasPrefix(src, []byte{0xFE, 0xFF}):
		return "is UTF-16 encoded; save it as UTF-8 and run funcmigrate again"
	case bytes.IndexByte(src, 0) >= 0:
		return "contains NUL bytes (binary or UTF-16 without a byte-order mark); it was not edited"
	}
	return ""
}

func hasBOM(src []byte) bool { return bytes.HasPrefix(src, []byte("\xef\xbb\xbf")) }
