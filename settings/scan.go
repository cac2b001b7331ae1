package settings

import (
	"fmt"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// A kind is the JSON type of a scanned value.
type kind uint8

const (
	kindObject kind = iota + 1
	kindArray
	kindString
	kindNumber
	kindBool
	kindNull
)

func (k kind) String() string {
	switch k {
	case kindObject:
		return "object"
	case kindArray:
		return "array"
	case kindString:
		return "string"
	case kindNumber:
		return "number"
	case kindBool:
		return "boolean"
	case kindNull:
		return "null"
	}
	return "invalid"
}

// A value is one scanned JSON value and where it stands in the source.
// Offsets are bytes into the scanned input, [start, end).
type value struct {
	kind       kind
	start, end int
	str        string   // decoded text of a string
	members    []member // object members, in source order
	elems      []*value // array elements, in source order
}

// A member is one "key": value pair of an object.
//
// The spans nest and never go backwards:
// start == keyStart < keyEnd <= val.start < val.end <= end.
// end is just past the ',' that separates the member from the next one
// (or, for a trailing comma, from the closing brace), or val.end when no comma
// follows. Comments between the value and the comma lie inside [start, end).
type member struct {
	key              string // decoded
	keyStart, keyEnd int    // the key literal, quotes included
	val              *value
	comma            int // offset of the separating ',', or -1
	start, end       int
}

// lookup returns the last member whose key equals key, ignoring case, or nil.
// The Functions host reads settings through case-insensitive configuration,
// and with duplicate keys the last one wins.
func (v *value) lookup(key string) *member {
	if v == nil || v.kind != kindObject {
		return nil
	}
	for i := len(v.members) - 1; i >= 0; i-- {
		if strings.EqualFold(v.members[i].key, key) {
			return &v.members[i]
		}
	}
	return nil
}

// A SyntaxError reports input the tolerant JSON scanner cannot read.
// Line and Col are 1-based; Col counts characters, not bytes, and a leading
// byte order mark is not counted. Line is 0 for errors about the whole file.
type SyntaxError struct {
	Path      string
	Line, Col int
	Offset    int // byte offset of the error in the input
	Msg       string
}

func (e *SyntaxError) Error() string {
	prefix := e.Path
	if e.Line > 0 {
		if prefix != "" {
			prefix += ":"
		}
		prefix += fmt.Sprintf("%d:%d", e.Line, e.Col)
	}
	if prefix == "" {
		return e.Msg
	}
	return prefix + ": " + e.Msg
}

const bom = "\xef\xbb\xbf"

// maxDepth bounds nesting so hostile input cannot exhaust the stack.
const maxDepth = 256

// scan parses src as JSON the way the Functions host reads its settings files:
// standard JSON plus // and /* */ comments and trailing commas in objects and
// arrays. A UTF-8 byte order mark is skipped. Anything else that strict JSON
// rejects (single quotes, bare keys, NaN) is an error here too.
// path only labels errors.
func scan(path string, src []byte) (*value, error) {
	s := &scanner{path: path, src: src}
	if len(src) >= len(bom) && string(src[:len(bom)]) == bom {
		s.pos = len(bom)
	}
	if s.pos == len(src) {
		return nil, &SyntaxError{Path: path, Msg: "empty file, expected a JSON object"}
	}
	if err := s.space(); err != nil {
		return nil, err
	}
	if s.pos == len(src) {
		return nil, s.errAt(s.pos, "no JSON value, expected a JSON object")
	}
	v, err := s.value()
	if err != nil {
		return nil, err
	}
	if err := s.space(); err != nil {
		return nil, err
	}
	if s.pos < len(src) {
		return nil, s.errAt(s.pos, "unexpected %s after the end of the top-level value", s.describe(s.pos))
	}
	return v, nil
}

type scanner struct {
	path  string
	src   []byte
	pos   int
	depth int
}

// errAt builds a SyntaxError for byte offset off.
func (s *scanner) errAt(off int, format string, args ...any) error {
	line, col := position(s.src, off)
	return &SyntaxError{Path: s.path, Line: line, Col: col, Offset: off, Msg: fmt.Sprintf(format, args...)}
}

// position returns the 1-based line and character column of byte offset off.
func position(src []byte, off int) (line, col int) {
	line, lineStart := 1, 0
	for i := 0; i < off && i < len(src); i++ {
		if src[i] == '\n' {
			line++
			lineStart = i + 1
		}
	}
	if lineStart == 0 && len(src) >= len(bom) && string(src[:len(bom)]) == bom && off >= len(bom) {
		lineStart = len(bom)
	}
	if off > len(src) {
		off = len(src)
	}
	return line, utf8.RuneCount(src[lineStart:off]) + 1
}

// describe names the token at off for an error message.
func (s *scanner) describe(off int) string {
	if off >= len(s.src) {
		return "end of file"
	}
	r, _ := utf8.DecodeRune(s.src[off:])
	if r == utf8.RuneError {
		return fmt.Sprintf("byte 0x%02x", s.src[off])
	}
	return fmt.Sprintf("%q", r)
}

// space skips whitespace and comments.
func (s *scanner) space() error {
	for s.pos < len(s.src) {
		switch s.src[s.pos] {
		case ' ', '\t', '\n', '\r':
			s.pos++
		case '/':
			if s.pos+1 < len(s.src) && s.src[s.pos+1] == '/' {
				for s.pos < len(s.src) && s.src[s.pos] != '\n' {
					s.pos++
				}
				continue
			}
			if s.pos+1 < len(s.src) && s.src[s.pos+1] == '*' {
				end := strings.Index(string(s.src[s.pos+2:]), "*/")
				if end < 0 {
					return s.errAt(s.pos, "comment not terminated: missing */")
				}
				s.pos += 2 + end + 2
				continue
			}
			return s.errAt(s.pos, "unexpected '/': comments start with // or /*")
		default:
			return nil
		}
	}
	return nil
}

func (s *scanner) value() (*value, error) {
	if s.pos >= len(s.src) {
		return nil, s.errAt(s.pos, "unexpected end of file, expected a value")
	}
	switch c := s.src[s.pos]; {
	case c == '{':
		return s.object()
	case c == '[':
		return s.array()
	case c == '"':
		start := s.pos
		str, err := s.str()
		if err != nil {
			return nil, err
		}
		return &value{kind: kindString, start: start, end: s.pos, str: str}, nil
	case c == '-' || ('0' <= c && c <= '9'):
		return s.number()
	case c == 't':
		return s.literal("true", kindBool)
	case c == 'f':
		return s.literal("false", kindBool)
	case c == 'n':
		return s.literal("null", kindNull)
	case c == '\'':
		return nil, s.errAt(s.pos, "single-quoted string: JSON strings use double quotes")
	case ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') || c == '_':
		return s.literal("", 0)
	default:
		return nil, s.errAt(s.pos, "unexpected %s, expected a value", s.describe(s.pos))
	}
}

func (s *scanner) enter() error {
	s.depth++
	if s.depth > maxDepth {
		return s.errAt(s.pos, "values nested deeper than %d levels", maxDepth)
	}
	return nil
}

func (s *scanner) object() (*value, error) {
	if err := s.enter(); err != nil {
		return nil, err
	}
	defer func() { s.depth-- }()
	v := &value{kind: kindObject, start: s.pos}
	s.pos++ // '{'
	for {
		if err := s.space(); err != nil {
			return nil, err
		}
		if s.pos >= len(s.src) {
			return nil, s.unclosed(v.start, "object")
		}
		if s.src[s.pos] == '}' {
			s.pos++
			v.end = s.pos
			return v, nil
		}
		if s.src[s.pos] != '"' {
			return nil, s.errAt(s.pos, "unexpected %s, expected a string key or '}'", s.describe(s.pos))
		}
		m := member{keyStart: s.pos, start: s.pos, comma: -1}
		key, err := s.str()
		if err != nil {
			return nil, err
		}
		m.key, m.keyEnd = key, s.pos
		if err := s.space(); err != nil {
			return nil, err
		}
		if s.pos >= len(s.src) {
			return nil, s.unclosed(v.start, "object")
		}
		if s.src[s.pos] != ':' {
			return nil, s.errAt(s.pos, "expected ':' after object key")
		}
		s.pos++
		if err := s.space(); err != nil {
			return nil, err
		}
		if m.val, err = s.value(); err != nil {
			return nil, err
		}
		m.end = m.val.end
		if err := s.space(); err != nil {
			return nil, err
		}
		if s.pos >= len(s.src) {
			return nil, s.unclosed(v.start, "object")
		}
		switch s.src[s.pos] {
		case ',':
			m.comma = s.pos
			s.pos++
			m.end = s.pos
			v.members = append(v.members, m)
		case '}':
			v.members = append(v.members, m)
		default:
			return nil, s.errAt(s.pos, "expected ',' or '}' after object member")
		}
	}
}

func (s *scanner) array() (*value, error) {
	if err := s.enter(); err != nil {
		return nil, err
	}
	defer func() { s.depth-- }()
	v := &value{kind: kindArray, start: s.pos}
	s.pos++ // '['
	for {
		if err := s.space(); err != nil {
			return nil, err
		}
		if s.pos >= len(s.src) {
			return nil, s.unclosed(v.start, "array")
		}
		if s.src[s.pos] == ']' {
			s.pos++
			v.end = s.pos
			return v, nil
		}
		e, err := s.value()
		if err != nil {
			return nil, err
		}
		v.elems = append(v.elems, e)
		if err := s.space(); err != nil {
			return nil, err
		}
		if s.pos >= len(s.src) {
			return nil, s.unclosed(v.start, "array")
		}
		switch s.src[s.pos] {
		case ',':
			s.pos++
		case ']':
		default:
			return nil, s.errAt(s.pos, "expected ',' or ']' after array element")
		}
	}
}

// unclosed reports end of input inside the object or array opened at open.
func (s *scanner) unclosed(open int, what string) error {
	line, col := position(s.src, open)
	return s.errAt(s.pos, "unexpected end of file: %s opened at %d:%d is not closed", what, line, col)
}

// str scans a string literal at s.pos and returns its decoded text.
func (s *scanner) str() (string, error) {
	start := s.pos
	s.pos++ // opening quote
	var b strings.Builder
	for {
		if s.pos >= len(s.src) {
			return "", s.errAt(start, "string not terminated")
		}
		c := s.src[s.pos]
		switch {
		case c == '"':
			s.pos++
			return b.String(), nil
		case c == '\n' || c == '\r':
			return "", s.errAt(start, "string not terminated before the end of the line")
		case c == '\\':
			if err := s.escape(&b); err != nil {
				return "", err
			}
		default:
			b.WriteByte(c)
			s.pos++
		}
	}
}

// escape decodes the escape sequence at s.pos into b.
func (s *scanner) escape(b *strings.Builder) error {
	at := s.pos
	if at+1 >= len(s.src) {
		return s.errAt(at, "string not terminated")
	}
	s.pos += 2
	switch c := s.src[at+1]; c {
	case '"', '\\', '/':
		b.WriteByte(c)
	case 'b':
		b.WriteByte('\b')
	case 'f':
		b.WriteByte('\f')
	case 'n':
		b.WriteByte('\n')
	case 'r':
		b.WriteByte('\r')
	case 't':
		b.WriteByte('\t')
	case 'u':
		r, ok := s.hex4()
		if !ok {
			return s.errAt(at, `invalid \u escape: expected 4 hex digits`)
		}
		if utf16.IsSurrogate(r) {
			// A high surrogate followed by \u-escaped low surrogate forms one
			// character; a lone half decodes to U+FFFD.
			save := s.pos
			if s.pos+1 < len(s.src) && s.src[s.pos] == '\\' && s.src[s.pos+1] == 'u' {
				s.pos += 2
				if r2, ok := s.hex4(); ok {
					if d := utf16.DecodeRune(r, r2); d != utf8.RuneError {
						b.WriteRune(d)
						return nil
					}
				}
			}
			s.pos = save
			r = utf8.RuneError
		}
		b.WriteRune(r)
	default:
		return s.errAt(at, "invalid escape %s in string", s.describeEscape(at))
	}
	return nil
}

func (s *scanner) describeEscape(at int) string {
	r, _ := utf8.DecodeRune(s.src[at+1:])
	return "\\" + string(r)
}

// hex4 reads four hex digits at s.pos.
func (s *scanner) hex4() (rune, bool) {
	if s.pos+4 > len(s.src) {
		return 0, false
	}
	var r rune
	for _, c := range s.src[s.pos : s.pos+4] {
		r <<= 4
		switch {
		case '0' <= c && c <= '9':
			r |= rune(c - '0')
		case 'a' <= c && c <= 'f':
			r |= rune(c-'a') + 10
		case 'A' <= c && c <= 'F':
			r |= rune(c-'A') + 10
		default:
			return 0, false
		}
	}
	s.pos += 4
	return r, true
}

// number scans a number with the JSON grammar:
// -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?
func (s *scanner) number() (*value, error) {
	start := s.pos
	bad := func() error { return s.errAt(start, "invalid number") }
	if s.src[s.pos] == '-' {
		s.pos++
	}
	switch {
	case s.pos < len(s.src) && s.src[s.pos] == '0':
		s.pos++
	case s.digits() == 0:
		return nil, bad()
	}
	if s.pos < len(s.src) && s.src[s.pos] == '.' {
		s.pos++
		if s.digits() == 0 {
			return nil, bad()
		}
	}
	if s.pos < len(s.src) && (s.src[s.pos] == 'e' || s.src[s.pos] == 'E') {
		s.pos++
		if s.pos < len(s.src) && (s.src[s.pos] == '+' || s.src[s.pos] == '-') {
			s.pos++
		}
		if s.digits() == 0 {
			return nil, bad()
		}
	}
	if s.pos < len(s.src) && isWordByte(s.src[s.pos]) {
		return nil, bad()
	}
	return &value{kind: kindNumber, start: start, end: s.pos}, nil
}

func (s *scanner) digits() int {
	n := 0
	for s.pos < len(s.src) && '0' <= s.src[s.pos] && s.src[s.pos] <= '9' {
		s.pos++
		n++
	}
	return n
}

func (s *scanner) literal(word string, k kind) (*value, error) {
	start := s.pos
	end := start + len(word)
	if word == "" || end > len(s.src) || string(s.src[start:end]) != word || (end < len(s.src) && isWordByte(s.src[end])) {
		w := start
		for w < len(s.src) && isWordByte(s.src[w]) {
			w++
		}
		if w > start {
			return nil, s.errAt(start, "unexpected word %q, expected a value (strings need double quotes)", s.src[start:w])
		}
		return nil, s.errAt(start, "unexpected %s, expected a value", s.describe(start))
	}
	s.pos = end
	return &value{kind: k, start: start, end: end}, nil
}

func isWordByte(c byte) bool {
	return c == '_' || c == '.' || c == '+' || c == '-' ||
		('0' <= c && c <= '9') || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z')
}
