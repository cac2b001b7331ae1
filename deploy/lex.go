package deploy

import (
	"bytes"
	"regexp"
	"sort"
	"strings"
)

// This file lexes Bicep and Terraform (HCL) just enough to tell code from
// strings and comments: code is a copy of the source with comments and the
// insides of strings blanked (quotes and line breaks kept), so patterns and
// bracket matching on code never see a string's or a comment's text, while
// offsets stay those of the source.

// A strTok is one string literal.
type strTok struct {
	start, end   int  // the literal, quotes included
	cstart, cend int  // its contents
	interp       bool // contains ${...} (or HCL %{...})
	multi        bool // Bicep '''...''' or an HCL heredoc
}

type lexed struct {
	src  []byte
	code []byte
	strs []strTok // in source order
	cmts [][2]int // comment spans
}

func blank(code []byte, s, e int) {
	for i := s; i < e; i++ {
		if code[i] != '\n' && code[i] != '\r' {
			code[i] = ' '
		}
	}
}

// lexBicep lexes Bicep: // and /* */ comments, '...' strings with \
// escapes and ${...} interpolation, and ”'...”' strings.
func lexBicep(src []byte) *lexed {
	lx := &lexed{src: src, code: append([]byte(nil), src...)}
	for i := 0; i < len(src); {
		switch {
		case bytes.HasPrefix(src[i:], []byte("//")):
			e := lineEnd(src, i)
			lx.comment(i, e)
			i = e
		case bytes.HasPrefix(src[i:], []byte("/*")):
			i = lx.blockComment(i)
		case bytes.HasPrefix(src[i:], []byte("'''")):
			e := bytes.Index(src[i+3:], []byte("'''"))
			t := strTok{start: i, cstart: i + 3, multi: true}
			if e < 0 { // unterminated: the string runs to the end of the file
				t.cend, t.end = len(src), len(src)
			} else {
				t.cend, t.end = i+3+e, i+6+e
			}
			lx.str(t)
			i = t.end
		case src[i] == '\'':
			t := lx.quoted(i, '\'', "${")
			i = t.end
		default:
			i++
		}
	}
	return lx
}

// blockComment records the /* */ comment starting at i (unclosed: to the
// end) and returns the offset after it.
func (lx *lexed) blockComment(i int) int {
	e := len(lx.src)
	if j := bytes.Index(lx.src[i+2:], []byte("*/")); j >= 0 {
		e = i + 2 + j + 2
	}
	lx.comment(i, e)
	return e
}

// lexHCL lexes Terraform: #, // and /* */ comments, "..." strings with \
// escapes and ${...} or %{...} templates, and <<EOF heredocs.
func lexHCL(src []byte) *lexed {
	lx := &lexed{src: src, code: append([]byte(nil), src...)}
	for i := 0; i < len(src); {
		switch {
		case src[i] == '#' || bytes.HasPrefix(src[i:], []byte("//")):
			e := lineEnd(src, i)
			lx.comment(i, e)
			i = e
		case bytes.HasPrefix(src[i:], []byte("/*")):
			i = lx.blockComment(i)
		case bytes.HasPrefix(src[i:], []byte("<<")):
			if m := heredocRE.FindSubmatch(src[i:]); m != nil {
				body := i + len(m[0])
				end := len(src)
				closeRE := regexp.MustCompile(`(?m)^[ \t]*` + regexp.QuoteMeta(string(m[1])) + `[ \t]*\r?$`)
				if loc := closeRE.FindIndex(src[body:]); loc != nil {
					end = body + loc[0]
				}
				lx.str(strTok{start: i, end: end, cstart: body, cend: end, multi: true})
				i = end
				continue
			}
			i += 2
		case src[i] == '"':
			t := lx.quoted(i, '"', "${", "%{")
			i = t.end
		default:
			i++
		}
	}
	return lx
}

var heredocRE = regexp.MustCompile(`^<<-?([A-Za-z_][A-Za-z0-9_]*)\r?\n`)

func (lx *lexed) comment(s, e int) {
	lx.cmts = append(lx.cmts, [2]int{s, e})
	blank(lx.code, s, e)
}

func (lx *lexed) str(t strTok) {
	lx.strs = append(lx.strs, t)
	blank(lx.code, t.cstart, t.cend)
}

// quoted lexes a one-line string opened by q at i. Template openers start an
// interpolation, whose expression may hold strings and braces of its own.
func (lx *lexed) quoted(i int, q byte, openers ...string) strTok {
	src := lx.src
	t := strTok{start: i, cstart: i + 1}
	j := i + 1
	for j < len(src) && src[j] != '\n' {
		c := src[j]
		if c == '\\' {
			j += 2
			continue
		}
		if c == q {
			break
		}
		opened := false
		for _, o := range openers {
			if strings.HasPrefix(string(src[j:min(len(src), j+2)]), o) {
				opened = true
			}
		}
		if opened {
			t.interp = true
			j = skipTemplate(src, j+2, q)
			continue
		}
		j++
	}
	t.cend = min(j, len(src))
	t.end = min(j+1, len(src))
	if j >= len(src) || src[j] == '\n' {
		t.end = t.cend // unterminated: the string ends with its line
	}
	lx.str(t)
	return t
}

// skipTemplate skips the expression of an interpolation from i to just past
// its closing brace, stepping over nested braces and strings quoted with q.
func skipTemplate(src []byte, i int, q byte) int {
	depth := 1
	for i < len(src) && src[i] != '\n' {
		switch src[i] {
		case '{':
			depth++
		case '}':
			depth--
			if depth == 0 {
				return i + 1
			}
		case q:
			for i++; i < len(src) && src[i] != q && src[i] != '\n'; i++ {
				if src[i] == '\\' {
					i++
				}
			}
		}
		i++
	}
	return i
}

// stringAt returns the string literal starting at i, or nil.
func (lx *lexed) stringAt(i int) *strTok {
	k := sort.Search(len(lx.strs), func(k int) bool { return lx.strs[k].start >= i })
	if k < len(lx.strs) && lx.strs[k].start == i {
		return &lx.strs[k]
	}
	return nil
}

// stringHolding returns the string literal whose contents hold offset i.
func (lx *lexed) stringHolding(i int) *strTok {
	k := sort.Search(len(lx.strs), func(k int) bool { return lx.strs[k].cend > i })
	if k < len(lx.strs) && lx.strs[k].cstart <= i {
		return &lx.strs[k]
	}
	return nil
}

// inComment reports whether offset i lies in a comment.
func (lx *lexed) inComment(i int) bool {
	for _, c := range lx.cmts {
		if c[0] <= i && i < c[1] {
			return true
		}
	}
	return false
}

// valueAt reads the value that starts at i (after blanks): a string literal,
// whose contents are the value, or an expression running to the end of the
// line or to a ',' or closing bracket outside brackets.
func (lx *lexed) valueAt(i int) (valueTok, bool) {
	i = skipBlanks(lx.src, i)
	if s := lx.stringAt(i); s != nil {
		text := string(lx.src[s.cstart:s.cend])
		return valueTok{start: s.cstart, end: s.cend, text: text, quoted: true, expr: s.interp || s.multi}, true
	}
	end, depth := i, 0
	for end < len(lx.code) && lx.code[end] != '\n' && lx.code[end] != '\r' {
		c := lx.code[end]
		if c == '(' || c == '[' || c == '{' {
			depth++
		} else if c == ')' || c == ']' || c == '}' || c == ',' {
			if depth == 0 {
				break
			}
			if c != ',' {
				depth--
			}
		}
		end++
	}
	text := strings.TrimRight(string(lx.src[i:end]), " \t")
	if text == "" {
		return valueTok{}, false
	}
	return valueTok{start: i, end: i + len(text), text: text, expr: true}, true
}

// match returns the offset of the bracket closing the one at open, in code.
func (lx *lexed) match(open int) int {
	depth := 0
	for i := open; i < len(lx.code); i++ {
		switch lx.code[i] {
		case '{', '[', '(':
			depth++
		case '}', ']', ')':
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return len(lx.code)
}

// enclosing returns the innermost '{' whose block holds off, or -1.
func (lx *lexed) enclosing(off int) int {
	depth := 0
	for i := off - 1; i >= 0; i-- {
		switch lx.code[i] {
		case '}', ']', ')':
			depth++
		case '{', '[', '(':
			if depth == 0 {
				if lx.code[i] == '{' {
					return i
				}
				return -1
			}
			depth--
		}
	}
	return -1
}

// keyAt reports whether a property key ends at end: blanks then sep.
func (lx *lexed) keyAt(end int, seps string) (int, bool) {
	j := skipBlanks(lx.code, end)
	if j < len(lx.code) && strings.IndexByte(seps, lx.code[j]) >= 0 &&
		!(j+1 < len(lx.code) && (lx.code[j+1] == '=' || lx.code[j+1] == ':')) {
		return j + 1, true
	}
	return 0, false
}

// keys returns where the property named name is given a value with one of
// seps: as a bare identifier or as a string key. Each result holds the key's
// offset and the offset after the separator. Keys are matched ignoring case.
func (lx *lexed) keys(name, seps string) [][2]int {
	var out [][2]int
	lowerCode := string(asciiLower(lx.code))
	w := strings.ToLower(name)
	for i := 0; ; {
		j := strings.Index(lowerCode[i:], w)
		if j < 0 {
			break
		}
		at := i + j
		i = at + 1
		end := at + len(w)
		if (at > 0 && isIdent(lx.code[at-1])) || (end < len(lx.code) && isIdent(lx.code[end])) {
			continue
		}
		if v, ok := lx.keyAt(end, seps); ok {
			out = append(out, [2]int{at, v})
		}
	}
	for _, s := range lx.strs {
		if s.interp || !strings.EqualFold(string(lx.src[s.cstart:s.cend]), name) {
			continue
		}
		if v, ok := lx.keyAt(s.end, seps); ok {
			out = append(out, [2]int{s.cstart, v})
		}
	}
	sort.Slice(out, func(a, b int) bool { return out[a][0] < out[b][0] })
	return out
}

// nameValues returns the name/value pairs whose name is the string name:
// { name: 'X', value: ... } (Bicep) or { name = "X" value = ... } (HCL).
// Each result holds the name string's contents offset and the offset after
// the value's separator, and the enclosing braces.
func (lx *lexed) nameValues(name, seps string) (out []struct{ key, val, open, close int }) {
	for _, s := range lx.strs {
		if s.interp || !strings.EqualFold(string(lx.src[s.cstart:s.cend]), name) {
			continue
		}
		before := strings.TrimRight(string(lx.code[lineStart(lx.code, s.start):s.start]), " \t")
		if len(before) == 0 || strings.IndexByte(seps, before[len(before)-1]) < 0 {
			continue
		}
		before = strings.TrimRight(before[:len(before)-1], " \t")
		if !strings.HasSuffix(strings.ToLower(before), "name") {
			continue
		}
		open := lx.enclosing(s.start)
		if open < 0 {
			continue
		}
		close := lx.match(open)
		re := regexp.MustCompile(`(?i)\bvalue[ \t]*[` + regexp.QuoteMeta(seps) + `]`)
		for _, loc := range re.FindAllIndex(lx.code[open:close], -1) {
			at := open + loc[0]
			if lx.enclosing(at) != open {
				continue // a nested object's value
			}
			out = append(out, struct{ key, val, open, close int }{s.cstart, open + loc[1], open, close})
			break
		}
	}
	return out
}
