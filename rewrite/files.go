package rewrite

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/funcmigrate/funcmigrate/rewrite/report"
)

// MaxFileSize bounds what funcmigrate reads: larger files are reported and
// skipped rather than parsed (generated code, data checked in by mistake).
const MaxFileSize = 16 << 20

// readFile reads a regular file, refusing symlinks, oversized files and
// files that change size while being read. Errors are *InputError.
func readFile(path string) ([]byte, error) {
	bad := func(format string, args ...any) error {
		return &InputError{File: path, Err: fmt.Errorf(format, args...)}
	}
	fi, err := os.Lstat(path)
	if err != nil {
		return nil, bad("%v", UnwrapPath(err))
	}
	if fi.Mode()&os.ModeSymlink != 0 {
		return nil, bad("is a symbolic link; funcmigrate does not follow links so it never edits files outside the tree")
	}
	if !fi.Mode().IsRegular() {
		return nil, bad("not a regular file")
	}
	if fi.Size() > MaxFileSize {
		return nil, bad("%d bytes is over the %d-byte limit; migrate it by hand", fi.Size(), MaxFileSize)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, bad("%v", UnwrapPath(err))
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, fi.Size()+1))
	if err != nil {
		return nil, bad("%v", UnwrapPath(err))
	}
	if int64(len(data)) != fi.Size() {
		return nil, bad("size changed while reading; run again when nothing else writes to it")
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

// Rule ids of findings about files the migration could not use.
const (
	// RuleUnreadable: a project, props or settings file that could not be
	// read or parsed; it and what depends on it were left alone.
	RuleUnreadable = "unreadable"
	// RuleInternalError: migrating a project failed in a way that points
	// at funcmigrate itself; nothing in the project was changed.
	RuleInternalError = "internal-error"
	// RuleOutsideTree: a file the migration would change lies outside the
	// folders funcmigrate was pointed at.
	RuleOutsideTree = "outside-tree"
)

// An InputError is a file funcmigrate cannot use as it is: unreadable,
// malformed, too large or not UTF-8 text.
type InputError struct {
	File string // absolute
	Err  error  // why, without the file name (a parser's error may repeat it)
}

func (e *InputError) Error() string {
	msg := e.Err.Error()
	if strings.HasPrefix(msg, e.File+":") {
		return msg
	}
	return e.File + ": " + msg
}

func (e *InputError) Unwrap() error { return e.Err }

// readText reads a text file for editing: readFile, then the checks of
// textProblem.
func readText(path string) ([]byte, error) {
	src, err := readFile(path)
	if err != nil {
		return nil, err
	}
	if why := textProblem(src); why != "" {
		return nil, &InputError{File: path, Err: errors.New(why)}
	}
	return src, nil
}

// inputFinding reports a file that could not be used, by its display path,
// with the line a parser named when it named one.
func inputFinding(base, file string, err error, action string) report.Finding {
	f := report.Finding{Rule: RuleUnreadable, Path: DisplayPath(base, file), Action: action, Ref: "MAPPING.md §9"}
	var ie *InputError
	if errors.As(err, &ie) && ie.File != "" {
		file = ie.File
		f.Path = DisplayPath(base, file)
	}
	msg := strings.TrimPrefix(err.Error(), file+":")
	// Parsers name the place as path:line:col: or path:line:.
	if n, rest, ok := leadingNumber(msg); ok && n > 0 {
		f.Line, msg = n, rest
		if _, rest, ok := leadingNumber(msg); ok {
			msg = rest
		}
	}
	f.Message = strings.TrimSpace(msg)
	return f
}

// leadingNumber splits "12: rest" into 12 and " rest".
func leadingNumber(s string) (int, string, bool) {
	num, rest, ok := strings.Cut(s, ":")
	if !ok {
		return 0, s, false
	}
	n, err := strconv.Atoi(num)
	if err != nil {
		return 0, s, false
	}
	return n, rest, true
}
