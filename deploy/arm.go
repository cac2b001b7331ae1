package deploy

import (
	"strings"

	"github.com/funcmigrate/funcmigrate/settings"
)

// json migrates a *.json file that is an ARM template or parameters file:
// its $schema names deploymentTemplate or deploymentParameters, or its name
// ends in .parameters.json. Any other JSON is left to the catch-all.
func (f *file) json() {
	root, err := settings.ParseJSON(f.path, f.src)
	if err != nil || root.Kind != settings.JSONObject {
		return
	}
	schema := ""
	if s := root.Lookup("$schema"); s != nil && s.Value.Kind == settings.JSONString {
		schema = strings.ToLower(s.Value.Str)
	}
	if !strings.Contains(schema, "deploymenttemplate") && !strings.Contains(schema, "deploymentparameters") &&
		!strings.HasSuffix(strings.ToLower(f.path), ".parameters.json") {
		return
	}
	f.arm(root)
}

// arm migrates an ARM template or parameters file (MAPPING.md §6.3), read
// with the tolerant scanner of package settings so nothing is re-serialised:
//
//   - FUNCTIONS_WORKER_RUNTIME "dotnet" becomes "dotnet-isolated", as an
//     object member ("appsettings" config resources) or a name/value element
//     (siteConfig.appSettings); an ARM expression ("[parameters('x')]") is
//     reported with the value it must have, and the parameter's default;
//   - FUNCTIONS_INPROC_NET8_ENABLED is removed: an object member with the
//     settings package's member removal, an array element when it stands on
//     lines of its own; otherwise it is reported;
//   - "DOTNET|x" becomes "DOTNET-ISOLATED|<ver>" (inside an expression it is
//     reported);
//   - netFrameworkVersion "vX" of a .NET (Core) version becomes v<ver> in a
//     function app's site (kind functionapp, or FUNCTIONS_WORKER_RUNTIME in
//     its settings) and in config resources nested in one; a top-level
//     sites/config resource is edited when every site of the template is a
//     function app, and reported when the template mixes kinds;
//   - parameters whose name says runtime and whose value or default is
//     "dotnet" are reported (they usually feed FUNCTIONS_WORKER_RUNTIME);
//   - slotConfigNames listing FUNCTIONS_WORKER_RUNTIME, or a settings
//     element flagged slotSetting, is reported: the setting must not stick.
func (f *file) arm(root *settings.JSONValue) {
	a := &armWalk{f: f, root: root, params: map[string]*settings.JSONValue{}, stacks: f.stacks()}
	if ps := root.Lookup("parameters"); ps != nil && ps.Value.Kind == settings.JSONObject {
		for _, m := range ps.Value.Members {
			if m.Value.Kind != settings.JSONObject {
				continue
			}
			for _, k := range []string{"defaultValue", "value"} {
				if d := m.Value.Lookup(k); d != nil {
					a.params[strings.ToLower(m.Key)] = d.Value
					a.param(m, d.Value)
				}
			}
		}
	}
	var sites []*settings.JSONValue
	collectSites(root, &sites)
	a.allFunc = len(sites) > 0
	for _, s := range sites {
		if !isFuncSite(s) {
			a.allFunc = false
		}
	}
	a.walk(root, ctxMaybe, nil)
	f.images(true)
}

type armWalk struct {
	f       *file
	root    *settings.JSONValue
	params  map[string]*settings.JSONValue // lower-case name → default or value
	allFunc bool                           // every Microsoft.Web/sites resource is a function app
	stacks  []stackTok                     // the file's DOTNET| values, found once
}

// resourceType returns the lower-case "type" of a resource object, or "".
func resourceType(v *settings.JSONValue) string {
	if t := v.Lookup("type"); t != nil && t.Value.Kind == settings.JSONString {
		return strings.ToLower(t.Value.Str)
	}
	return ""
}

// collectSites gathers the Microsoft.Web/sites and sites/slots resources.
func collectSites(v *settings.JSONValue, out *[]*settings.JSONValue) {
	switch v.Kind {
	case settings.JSONObject:
		if t := resourceType(v); t == "microsoft.web/sites" || t == "microsoft.web/sites/slots" {
			*out = append(*out, v)
		}
		for _, m := range v.Members {
			collectSites(m.Value, out)
		}
	case settings.JSONArray:
		for _, e := range v.Elems {
			collectSites(e, out)
		}
	}
}

// isFuncSite reports whether a site resource is a function app: its kind
// says so, or its settings name the worker runtime.
func isFuncSite(v *settings.JSONValue) bool {
	if k := v.Lookup("kind"); k != nil && k.Value.Kind == settings.JSONString &&
		strings.Contains(strings.ToLower(k.Value.Str), "functionapp") {
		return true
	}
	return mentions(v, workerRuntimeKey)
}

// mentions reports whether a key or string in v equals word, ignoring case.
func mentions(v *settings.JSONValue, word string) bool {
	switch v.Kind {
	case settings.JSONString:
		return strings.EqualFold(v.Str, word)
	case settings.JSONObject:
		for _, m := range v.Members {
			if strings.EqualFold(m.Key, word) || mentions(m.Value, word) {
				return true
			}
		}
	case settings.JSONArray:
		for _, e := range v.Elems {
			if mentions(e, word) {
				return true
			}
		}
	}
	return false
}

// walk visits v in the site context ctx; parent is the array holding v.
func (a *armWalk) walk(v *settings.JSONValue, ctx siteCtx, parent *settings.JSONValue) {
	f := a.f
	switch v.Kind {
	case settings.JSONString:
		a.str(v)
	case settings.JSONArray:
		for i, e := range v.Elems {
			if e.Kind == settings.JSONObject && a.inprocElement(v, i) {
				continue
			}
			a.walk(e, ctx, v)
		}
	case settings.JSONObject:
		switch t := resourceType(v); {
		case t == "microsoft.web/sites" || t == "microsoft.web/sites/slots":
			ctx = ctxNo
			if isFuncSite(v) {
				ctx = ctxYes
			}
		case strings.HasPrefix(t, "microsoft.web/sites/") && ctx == ctxMaybe:
			// A top-level config resource: its site is named by an
			// expression, so decide by the template as a whole.
			switch {
			case a.allFunc:
				ctx = ctxYes
			case !f.functionsRelated():
				ctx = ctxNo
			}
		}
		// The name/value form: {"name": "FUNCTIONS_WORKER_RUNTIME", "value": ...}.
		if n := v.Lookup("name"); n != nil && n.Value.Kind == settings.JSONString && strings.EqualFold(n.Value.Str, workerRuntimeKey) {
			if val := v.Lookup("value"); val != nil {
				a.runtime(n.Value.Start+1, val.Value)
			} else {
				f.handle(n.Value.Start + 1)
			}
		}
		var drop []int
		for i, m := range v.Members {
			switch {
			case strings.EqualFold(m.Key, workerRuntimeKey):
				a.runtime(m.KeyStart+1, m.Value)
				continue
			case strings.EqualFold(m.Key, inprocNet8Key):
				f.handle(m.KeyStart + 1)
				f.touch(m.KeyStart + 1)
				drop = append(drop, i)
				continue
			case strings.EqualFold(m.Key, "netFrameworkVersion") && m.Value.Kind == settings.JSONString:
				f.netFrameworkVersionCtx(a.tok(m.Value), ctx)
				continue
			case strings.EqualFold(m.Key, "linuxFxVersion") && m.Value.Kind == settings.JSONString &&
				strings.HasPrefix(m.Value.Str, "[") && !strings.Contains(strings.ToLower(m.Value.Str), "dotnet|") && ctx != ctxNo:
				if want, ok := f.t.linux(); ok && f.functionsRelated() && !a.paramIsStack(m.Value.Str) {
					f.touch(m.Value.Start + 1)
					f.report(RuleStack, m.Value.Start+1, "linuxFxVersion comes from "+m.Value.Str+"; a Linux function app's stack must now be "+want,
						"Make "+m.Value.Str+" evaluate to "+want+" on Linux")
				}
			case strings.EqualFold(m.Key, "appSettingNames") && m.Value.Kind == settings.JSONArray:
				for _, e := range m.Value.Elems {
					if e.Kind == settings.JSONString && strings.EqualFold(e.Str, workerRuntimeKey) {
						f.handle(e.Start + 1)
						f.findings = append(f.findings, f.stickyFinding(e.Start+1))
					}
				}
				continue
			}
			a.walk(m.Value, ctx, nil)
		}
		if len(drop) > 0 {
			f.edits = append(f.edits, v.RemoveMembers(f.src, drop...)...)
		}
	}
}

// tok turns a JSON string into the value token of its raw contents. Its
// text is the decoded string; a value with escapes is never rewritten.
func (a *armWalk) tok(v *settings.JSONValue) valueTok {
	raw := string(a.f.src[v.Start+1 : v.End-1])
	return valueTok{start: v.Start + 1, end: v.End - 1, text: v.Str, quoted: true,
		expr: strings.HasPrefix(v.Str, "[") || raw != v.Str}
}

// runtime handles the value of FUNCTIONS_WORKER_RUNTIME, whose key (or name
// string) contents start at key.
func (a *armWalk) runtime(key int, v *settings.JSONValue) {
	if v.Kind != settings.JSONString {
		a.f.handle(key)
		return
	}
	a.f.runtimeValue(key, a.tok(v), true, a.paramDefault(v.Str))
}

// paramName returns the parameter an expression reads: [parameters('x')].
func paramName(expr string) string {
	const p = "[parameters('"
	lower := strings.ToLower(expr)
	if !strings.HasPrefix(lower, p) || !strings.HasSuffix(lower, "')]") {
		return ""
	}
	return lower[len(p) : len(lower)-len("')]")]
}

func (a *armWalk) paramDefault(expr string) string {
	if d := a.params[paramName(expr)]; d != nil && d.Kind == settings.JSONString {
		return ` (its default here is "` + d.Str + `")`
	}
	return ""
}

// paramIsStack reports whether an expression reads a parameter whose
// default names a .NET stack (rewritten or reported where it stands).
func (a *armWalk) paramIsStack(expr string) bool {
	d := a.params[paramName(expr)]
	return d != nil && d.Kind == settings.JSONString && strings.Contains(strings.ToLower(d.Str), "dotnet")
}

// param reports a parameter that looks like it feeds the runtime setting.
func (a *armWalk) param(m settings.JSONMember, d *settings.JSONValue) {
	f := a.f
	name := strings.ToLower(m.Key)
	if d.Kind != settings.JSONString {
		return
	}
	if strings.Contains(name, "netframeworkversion") {
		// Its use is elsewhere: report like a site that may be the function app.
		f.netFrameworkVersion(a.tok(d), false, false)
		return
	}
	if !strings.Contains(name, "runtime") || !strings.EqualFold(d.Str, "dotnet") {
		return
	}
	f.handle(d.Start + 1)
	f.touch(d.Start + 1)
	action := `If it feeds FUNCTIONS_WORKER_RUNTIME, set it to "dotnet-isolated" (` + notSticky + ")"
	if al := m.Value.Lookup("allowedValues"); al != nil && al.Value.Kind == settings.JSONArray && !mentions(al.Value, isolated) {
		action += ` and add "dotnet-isolated" to its allowedValues`
	}
	f.report(RuleWorkerRuntime, d.Start+1, "parameter "+m.Key+` is "dotnet", the in-process value of FUNCTIONS_WORKER_RUNTIME`, action)
}

// str handles the Linux stacks in a string value.
func (a *armWalk) str(v *settings.JSONValue) {
	f := a.f
	for _, s := range a.stacks {
		if s.start <= v.Start || s.start >= v.End || f.handled[s.start] {
			continue
		}
		if strings.HasPrefix(v.Str, "[") || string(f.src[v.Start+1:v.End-1]) != v.Str {
			s.ver = "" // inside an expression, or escaped: report
		}
		f.linuxStack(s, true)
	}
}

// inprocElement removes element i of arr when it is the name/value pair of
// FUNCTIONS_INPROC_NET8_ENABLED standing on lines of its own, and reports it
// otherwise. It reports whether the element was that pair.
func (a *armWalk) inprocElement(arr *settings.JSONValue, i int) bool {
	f := a.f
	e := arr.Elems[i]
	if !isInprocPair(e) {
		return false
	}
	key := e.Lookup("name").Value.Start + 1
	f.handle(key)
	f.touch(key)
	src := f.src
	ownLines := func(s, end int) bool {
		return isBlank(src[lineStart(src, s):s]) && isBlank(src[end:lineEnd(src, end)])
	}
	// The comma after the element, if any, with only blanks before it.
	comma := -1
	if j := skipSpace(src, e.End); j < len(src) && src[j] == ',' {
		comma = j
	}
	switch {
	case comma >= 0 && ownLines(e.Start, comma+1):
		f.replace(lineStart(src, e.Start), nextLine(src, comma), "")
	case comma < 0 && i > 0 && ownLines(e.Start, e.End) && isSpaceComma(src[arr.Elems[i-1].End:e.Start]) && !isInprocPair(arr.Elems[i-1]):
		// The last element: the comma before it goes with it.
		f.replace(arr.Elems[i-1].End, lineEnd(src, e.End), "")
	case comma < 0 && i == 0 && ownLines(e.Start, e.End):
		f.replace(lineStart(src, e.Start), nextLine(src, e.End), "")
	default:
		f.reportInproc(key)
	}
	return true
}

// isInprocPair reports whether v is the name/value pair of
// FUNCTIONS_INPROC_NET8_ENABLED, whose removal takes its own lines.
func isInprocPair(v *settings.JSONValue) bool {
	n := v.Lookup("name")
	return n != nil && n.Value.Kind == settings.JSONString && strings.EqualFold(n.Value.Str, inprocNet8Key)
}

func skipSpace(src []byte, i int) int {
	for i < len(src) && (src[i] == ' ' || src[i] == '\t' || src[i] == '\r' || src[i] == '\n') {
		i++
	}
	return i
}

// isSpaceComma reports whether b holds one comma and white space only.
func isSpaceComma(b []byte) bool {
	return strings.Count(string(b), ",") == 1 && strings.Trim(string(b), " \t\r\n,") == ""
}
