package deploy

import (
	"bytes"
	"regexp"
	"strings"
)

// bicep migrates a Bicep file (MAPPING.md §6.3):
//
//   - FUNCTIONS_WORKER_RUNTIME given the literal 'dotnet' becomes
//     'dotnet-isolated', in the object form (FUNCTIONS_WORKER_RUNTIME:
//     'dotnet') and the array form ({ name: 'FUNCTIONS_WORKER_RUNTIME'
//     value: 'dotnet' }); a parameter, variable or expression is reported
//     with the value it must have and the default it has here;
//   - FUNCTIONS_INPROC_NET8_ENABLED is removed when its property, or its
//     whole array element, stands on lines of its own, and reported
//     otherwise;
//   - 'DOTNET|x' becomes 'DOTNET-ISOLATED|<ver>';
//   - netFrameworkVersion 'vX' of a .NET (Core) version becomes v<ver> inside
//     a resource or module that is a function app (kind functionapp, or
//     FUNCTIONS_WORKER_RUNTIME in its body, or its parent's); where that
//     cannot be told, it is reported;
//   - in-process container images become their isolated counterparts.
//
// FUNCTIONS_EXTENSION_VERSION stays ~4. Comments are never edited; what they
// mention is left to the catch-all.
func (f *file) bicep() {
	lx := lexBicep(f.src)
	f.comment = lx.inComment
	blocks := bicepBlocks(lx)

	for _, k := range lx.keys(workerRuntimeKey, ":") {
		if v, ok := lx.valueAt(k[1]); ok {
			f.runtimeValue(k[0], v, true, f.bicepDefault(lx, v))
		}
	}
	for _, nv := range lx.nameValues(workerRuntimeKey, ":") {
		if v, ok := lx.valueAt(nv.val); ok {
			f.runtimeValue(nv.key, v, true, f.bicepDefault(lx, v))
		}
	}

	for _, k := range lx.keys(inprocNet8Key, ":") {
		f.handle(k[0])
		f.touch(k[0])
		if f.removeLine(lx, k[0], k[1]) {
			continue
		}
		f.reportInproc(k[0])
	}
	for _, nv := range lx.nameValues(inprocNet8Key, ":") {
		f.handle(nv.key)
		f.touch(nv.key)
		s, e := lineStart(f.src, nv.open), lineEnd(f.src, nv.close)
		// An object left unclosed (match gives the end of the file) is
		// reported, never cut.
		if nv.close < len(f.src) && isBlank(lx.code[s:nv.open]) && isBlank([]byte(strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(string(lx.code[nv.close+1:e])), ",")))) {
			f.replace(s, nextLine(f.src, nv.close), "")
			continue
		}
		f.reportInproc(nv.key)
	}

	for _, s := range f.stacks() {
		t := lx.stringHolding(s.start)
		if t == nil {
			continue // a comment: the catch-all reports it
		}
		if t.interp {
			s.ver = ""
		}
		f.linuxStack(s, true)
	}
	for _, k := range lx.keys("linuxFxVersion", ":") {
		v, ok := lx.valueAt(k[1])
		if !ok || !v.expr || strings.Contains(strings.ToLower(v.text), "dotnet|") || f.bicepCtx(blocks, k[0]) == ctxNo {
			continue
		}
		if def := f.bicepDefaultTok(lx, v); def != nil && strings.Contains(strings.ToLower(string(f.src[def.cstart:def.cend])), "dotnet") {
			continue // its default is a stack literal, handled above
		}
		if want, ok := f.t.linux(); ok {
			f.touch(k[0])
			f.report(RuleStack, k[0], "linuxFxVersion comes from "+v.text+"; a Linux function app's stack must now be "+want,
				"Make "+v.text+" evaluate to "+want+" on Linux")
		}
	}
	for _, k := range lx.keys("netFrameworkVersion", ":") {
		if v, ok := lx.valueAt(k[1]); ok {
			f.netFrameworkVersionCtx(v, f.bicepCtx(blocks, k[0]))
		}
	}
	f.images(true)
}

// removeLine removes the property whose key starts at key (a bare or
// quoted name) and whose value starts at val, with its whole line, when the
// line holds that property only (a comment after it may go too) and the
// value ends on it. It reports false, changing nothing, otherwise.
func (f *file) removeLine(lx *lexed, key, val int) bool {
	v, ok := lx.valueAt(val)
	if !ok {
		return false
	}
	keyStart := key
	if keyStart > 0 && (f.src[keyStart-1] == '\'' || f.src[keyStart-1] == '"') {
		keyStart--
	}
	after := v.end
	if v.quoted {
		after++
	}
	s, e := lineStart(f.src, key), lineEnd(f.src, key)
	if after > e || !isBlank(lx.code[s:keyStart]) || !isBlank([]byte(strings.TrimPrefix(strings.TrimSpace(string(lx.code[after:e])), ","))) {
		return false
	}
	if strings.Count(v.text, "{")+strings.Count(v.text, "[")+strings.Count(v.text, "(") !=
		strings.Count(v.text, "}")+strings.Count(v.text, "]")+strings.Count(v.text, ")") {
		return false // the value goes on past this line
	}
	f.replace(s, nextLine(f.src, key), "")
	return true
}

// A siteCtx says whether a stack setting belongs to a function app.
type siteCtx int

const (
	ctxNo    siteCtx = iota // another kind of site, or nothing about Functions in the file
	ctxMaybe                // cannot tell: report rather than edit
	ctxYes                  // a function app: edit
)

// netFrameworkVersionCtx applies netFrameworkVersion in a context.
func (f *file) netFrameworkVersionCtx(v valueTok, ctx siteCtx) {
	switch ctx {
	case ctxYes:
		f.netFrameworkVersion(v, true, true)
	case ctxMaybe:
		f.netFrameworkVersion(v, false, false)
	default:
		f.handle(v.start)
	}
}

// A block is a resource or module declaration's body.
type block struct {
	symbol     string
	open, end  int // the braces
	funcApp    bool
	parent     string
	typeOrPath string
}

var bicepDeclRE = regexp.MustCompile(`(?m)^[ \t]*(?:resource|module)[ \t]+([A-Za-z_][A-Za-z0-9_]*)[ \t]+'`)
var bicepParentRE = regexp.MustCompile(`(?m)^[ \t]*parent[ \t]*:[ \t]*([A-Za-z_][A-Za-z0-9_]*)`)

// bicepBlocks finds the resource and module declarations and whether each
// is a function app: its body names the functionapp kind or the runtime
// setting.
func bicepBlocks(lx *lexed) []block {
	var out []block
	for _, m := range bicepDeclRE.FindAllSubmatchIndex(lx.code, -1) {
		typ := lx.stringAt(m[1] - 1)
		if typ == nil {
			continue
		}
		open := bytes.IndexByte(lx.code[typ.end:], '{')
		if open < 0 {
			continue
		}
		open += typ.end
		end := lx.match(open)
		body := strings.ToLower(string(lx.src[open:min(end+1, len(lx.src))]))
		b := block{symbol: string(lx.src[m[2]:m[3]]), open: open, end: end,
			funcApp:    strings.Contains(body, "functionapp") || strings.Contains(body, strings.ToLower(workerRuntimeKey)),
			typeOrPath: strings.ToLower(string(lx.src[typ.cstart:typ.cend]))}
		if p := bicepParentRE.FindSubmatch(lx.code[open:end]); p != nil {
			b.parent = string(p[1])
		}
		out = append(out, b)
	}
	return out
}

// bicepCtx decides whether the setting at off belongs to a function app.
func (f *file) bicepCtx(blocks []block, off int) siteCtx {
	var in *block
	for i := range blocks {
		b := &blocks[i]
		if b.open < off && off < b.end && (in == nil || b.open > in.open) {
			in = b
		}
	}
	related := f.functionsRelated()
	switch {
	case in == nil && related:
		return ctxMaybe
	case in == nil:
		return ctxNo
	case in.funcApp:
		return ctxYes
	}
	if in.parent != "" {
		for _, b := range blocks {
			if b.symbol == in.parent {
				if b.funcApp {
					return ctxYes
				}
				if strings.HasPrefix(b.typeOrPath, "microsoft.web/sites@") {
					return ctxNo // a web app's config
				}
			}
		}
	}
	if strings.HasPrefix(in.typeOrPath, "microsoft.web/sites@") || strings.HasPrefix(in.typeOrPath, "microsoft.web/sites/slots@") {
		return ctxNo // a site of another kind
	}
	if related {
		return ctxMaybe
	}
	return ctxNo
}

// functionsRelated reports whether the file deploys a function app at all.
func (f *file) functionsRelated() bool {
	for _, w := range []string{"functionapp", "functions_worker_runtime", "functions_extension_version", "function_app"} {
		if bytes.Contains(f.lower, []byte(w)) {
			return true
		}
	}
	return false
}

var bicepIdentRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// bicepDefaultTok returns the string literal a parameter or variable named
// by an expression defaults to in this file, or nil.
func (f *file) bicepDefaultTok(lx *lexed, v valueTok) *strTok {
	if !v.expr || !bicepIdentRE.MatchString(v.text) {
		return nil
	}
	re := regexp.MustCompile(`(?m)^[ \t]*(?:param[ \t]+` + v.text + `[ \t]+[A-Za-z]+|var[ \t]+` + v.text + `)[ \t]*=[ \t]*`)
	loc := re.FindIndex(lx.code)
	if loc == nil {
		return nil
	}
	return lx.stringAt(loc[1])
}

// bicepDefault describes the default of the parameter or variable v names,
// and an @allowed list on the parameter that would reject dotnet-isolated.
func (f *file) bicepDefault(lx *lexed, v valueTok) string {
	t := f.bicepDefaultTok(lx, v)
	if t == nil {
		return ""
	}
	hint := " (its default here is " + string(f.src[t.start:t.end])
	// Decorators stand on the lines right above the declaration.
	decl := lineStart(f.src, t.start)
	from := decl
	for from > 0 {
		prev := lineStart(f.src, from-1)
		line := strings.TrimSpace(string(lx.code[prev:from]))
		if line == "" || strings.HasPrefix(line, "param ") || strings.HasPrefix(line, "var ") ||
			strings.HasPrefix(line, "resource ") || strings.HasPrefix(line, "module ") || (strings.HasPrefix(line, "}") && !strings.HasPrefix(line, "})")) {
			break
		}
		from = prev
	}
	if a := strings.Index(string(asciiLower(lx.code[from:decl])), "@allowed("); a >= 0 {
		list := strings.ToLower(string(f.src[from+a : decl]))
		if !strings.Contains(list, "'dotnet-isolated'") {
			hint += ", and its @allowed list lacks 'dotnet-isolated'"
		}
	}
	return hint + ")"
}
