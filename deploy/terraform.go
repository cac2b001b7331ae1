package deploy

import (
	"bytes"
	"regexp"
	"strings"
)

// terraform migrates Terraform files (*.tf, *.tfvars) that deploy function
// apps with the azurerm provider (MAPPING.md §6.3):
//
//   - app_settings "FUNCTIONS_WORKER_RUNTIME" = "dotnet" (key quoted or bare)
//     becomes "dotnet-isolated"; a variable or expression is reported with the
//     value it must have and the default it has here;
//   - FUNCTIONS_INPROC_NET8_ENABLED is removed when its map entry stands on a
//     line of its own, and reported otherwise;
//   - in azurerm_windows_function_app, azurerm_linux_function_app and their
//     _slot resources, site_config.application_stack.dotnet_version becomes
//     the target in the resource's format ("v10.0" on Windows, "10.0" on
//     Linux), use_dotnet_isolated_runtime = false becomes true, and a missing
//     use_dotnet_isolated_runtime is inserted on the line after
//     dotnet_version with its indentation (terraform fmt may then realign
//     the '=' of the block); what cannot be edited safely is reported with
//     the exact lines;
//   - the deprecated azurerm_function_app, which cannot express the isolated
//     stacks of .NET 8 and later, is reported;
//   - "DOTNET|x" (linux_fx_version) becomes "DOTNET-ISOLATED|<ver>";
//   - in *.tfvars, a variable named functions_worker_runtime is rewritten
//     like the setting; variables whose names say dotnet_version,
//     worker_runtime or use_dotnet_isolated_runtime are reported, since
//     where they are used is another file's business.
func (f *file) terraform() {
	lx := lexHCL(f.src)
	f.comment = lx.inComment

	for _, k := range lx.keys(workerRuntimeKey, "=:") {
		if v, ok := lx.valueAt(k[1]); ok {
			f.runtimeValue(k[0], v, true, f.hclDefault(lx, v))
		}
	}
	for _, nv := range lx.nameValues(workerRuntimeKey, "=") {
		if v, ok := lx.valueAt(nv.val); ok {
			f.runtimeValue(nv.key, v, true, f.hclDefault(lx, v))
		}
	}
	for _, k := range lx.keys(inprocNet8Key, "=:") {
		f.handle(k[0])
		f.touch(k[0])
		if !f.removeLine(lx, k[0], k[1]) {
			f.reportInproc(k[0])
		}
	}
	for _, r := range hclResources(lx) {
		switch r.typ {
		case "azurerm_windows_function_app", "azurerm_windows_function_app_slot":
			f.applicationStack(lx, r, true)
		case "azurerm_linux_function_app", "azurerm_linux_function_app_slot":
			f.applicationStack(lx, r, false)
		case "azurerm_function_app", "azurerm_function_app_slot":
			f.touch(r.at)
			f.report(RuleStack, r.at,
				r.typ+" is deprecated and cannot set the isolated stack of "+f.t.name()+" (its dotnet_framework_version stops at v6.0)",
				"Replace it with azurerm_windows_function_app or azurerm_linux_function_app (keep functions_extension_version \"~4\") and set "+
					f.stackBlock(true)+" or "+f.stackBlock(false))
		}
	}
	for _, s := range f.stacks() {
		t := lx.stringHolding(s.start)
		if t == nil {
			continue
		}
		if t.interp {
			s.ver = ""
		}
		f.linuxStack(s, true)
	}
	if strings.HasSuffix(f.path, ".tfvars") {
		f.tfvars(lx)
	}
	f.images(true)
}

// stackBlock is the application_stack a function app needs, as one line.
func (f *file) stackBlock(windows bool) string {
	v, ok := f.tfDotnetVersion(windows)
	if !ok {
		return "(Windows only for .NET Framework 4.8)"
	}
	return `site_config { application_stack { dotnet_version = "` + v + `" use_dotnet_isolated_runtime = true } }`
}

// tfDotnetVersion is application_stack.dotnet_version in the format of the
// resource: "v10.0" for Windows apps, "10.0" for Linux apps; .NET Framework
// 4.8 is "v4.0" and has no Linux value.
func (f *file) tfDotnetVersion(windows bool) (string, bool) {
	if windows {
		return f.t.windows(), true
	}
	if f.t.netfx {
		return "", false
	}
	return f.t.ver, true
}

// An hclResource is one resource block.
type hclResource struct {
	typ       string
	at        int // the resource keyword
	open, end int // the braces
}

var hclResourceRE = regexp.MustCompile(`(?m)^[ \t]*resource[ \t]+"`)

func hclResources(lx *lexed) []hclResource {
	var out []hclResource
	for _, loc := range hclResourceRE.FindAllIndex(lx.code, -1) {
		typ := lx.stringAt(loc[1] - 1)
		if typ == nil {
			continue
		}
		open := bytes.IndexByte(lx.code[typ.end:], '{')
		if open < 0 {
			continue
		}
		open += typ.end
		// Only labels ("name", blanked to quotes) may stand between the
		// type and the brace: a header broken by an unterminated string
		// would otherwise take the next resource's block as its own.
		if len(bytes.Trim(lx.code[typ.end:open], " \t\r\n\"")) > 0 {
			continue
		}
		at := loc[0] + len(indentOf(lx.src, loc[0]))
		out = append(out, hclResource{typ: string(lx.src[typ.cstart:typ.cend]), at: at, open: open, end: lx.match(open)})
	}
	return out
}

// attr finds the attribute name = value directly inside the block [open, end).
func (lx *lexed) attr(open, end int, name string) (at int, v valueTok, ok bool) {
	re := regexp.MustCompile(`\b` + name + `[ \t]*=`)
	for _, loc := range re.FindAllIndex(lx.code[open:end], -1) {
		at := open + loc[0]
		if lx.enclosing(at) != open || (at > 0 && lx.code[at-1] == '.') ||
			(open+loc[1] < len(lx.code) && lx.code[open+loc[1]] == '=') {
			continue // nested deeper, a reference (var.name), or a comparison
		}
		v, ok := lx.valueAt(open + loc[1])
		return at, v, ok
	}
	return -1, valueTok{}, false
}

// nested finds the block "name {" directly inside [open, end).
func (lx *lexed) nested(open, end int, name string) (int, int, bool) {
	re := regexp.MustCompile(`\b` + name + `[ \t]*\{`)
	for _, loc := range re.FindAllIndex(lx.code[open:end], -1) {
		at := open + loc[0]
		if lx.enclosing(at) != open {
			continue
		}
		o := open + loc[1] - 1
		return o, lx.match(o), true
	}
	return 0, 0, false
}

// applicationStack checks the .NET stack of an azurerm function app.
func (f *file) applicationStack(lx *lexed, r hclResource, windows bool) {
	body := strings.ToLower(string(f.src[r.open:min(r.end+1, len(f.src))]))
	var stackOpen, stackEnd int
	hasStack := false
	if so, se, ok := lx.nested(r.open, r.end, "site_config"); ok {
		stackOpen, stackEnd, hasStack = lx.nested(so, se, "application_stack")
	}
	dvAt, dv, hasDV := -1, valueTok{}, false
	if hasStack {
		dvAt, dv, hasDV = lx.attr(stackOpen, stackEnd, "dotnet_version")
	}
	dotnetApp := hasDV
	if !hasDV && !regexp.MustCompile(`\b(node|python|java|powershell_core)_version\b|use_custom_runtime`).MatchString(body) {
		// No stack, or an empty one: .NET if the runtime setting says so.
		for _, k := range lx.keys(workerRuntimeKey, "=:") {
			if k[0] > r.open && k[0] < r.end {
				if v, ok := lx.valueAt(k[1]); ok && (v.dotnet() || v.expr || strings.EqualFold(v.text, isolated)) {
					dotnetApp = true
				}
			}
		}
	}
	if !dotnetApp {
		return // another language
	}
	want, ok := f.tfDotnetVersion(windows)
	f.touch(r.at)
	if !ok {
		f.report(RuleStack, r.at, r.typ+" runs on Linux, and .NET Framework 4.8 runs only on Windows",
			"Deploy the app as azurerm_windows_function_app with "+f.stackBlock(true)+", or target net10.0")
		return
	}
	if !hasDV {
		f.report(RuleStack, r.at, r.typ+" sets no .NET version in site_config.application_stack, so the platform does not know the app runs isolated",
			"Add "+f.stackBlock(windows))
		return
	}
	f.handle(dvAt)
	switch {
	case dv.expr || !dv.quoted:
		f.report(RuleStack, dvAt, "application_stack.dotnet_version comes from "+dv.text+", which must now be \""+want+"\"",
			"Make "+dv.text+" evaluate to \""+want+"\" ("+f.t.name()+" isolated, in the "+map[bool]string{true: "Windows", false: "Linux"}[windows]+" format)")
	case dv.text != want:
		f.replace(dv.start, dv.end, want)
	}
	at, iso, hasIso := lx.attr(stackOpen, stackEnd, "use_dotnet_isolated_runtime")
	switch {
	case hasIso && iso.text == "true":
	case hasIso && iso.text == "false":
		f.replace(iso.start, iso.end, "true")
	case hasIso:
		f.report(RuleStack, at, "use_dotnet_isolated_runtime comes from "+iso.text+", which must now be true",
			"Make "+iso.text+" evaluate to true")
	default:
		ls, le := lineStart(f.src, dvAt), lineEnd(f.src, dvAt)
		after := dv.end
		if dv.quoted && after < len(f.src) && f.src[after] == '"' {
			after++ // the closing quote; an unterminated string has none
		}
		if isBlank(lx.code[ls:dvAt]) && isBlank(lx.code[after:le]) {
			ins := nextLine(f.src, dvAt)
			text := indentOf(f.src, dvAt) + "use_dotnet_isolated_runtime = true" + eol(f.src)
			if ins == len(f.src) && (len(f.src) == 0 || f.src[len(f.src)-1] != '\n') {
				text = eol(f.src) + strings.TrimSuffix(text, eol(f.src))
			}
			f.replace(ins, ins, text)
		} else {
			f.report(RuleStack, dvAt, "application_stack has no use_dotnet_isolated_runtime, so the app would run in-process",
				"Add use_dotnet_isolated_runtime = true to application_stack")
		}
	}
}

var tfvarsRE = regexp.MustCompile(`(?im)^[ \t]*([a-z0-9_]*(?:dotnet_version|worker_runtime|use_dotnet_isolated_runtime)[a-z0-9_]*)[ \t]*=`)

// tfvars reports variable values that look like they feed the runtime or
// the application stack; a variable's use is in another file, so these are
// never edited (FUNCTIONS_WORKER_RUNTIME itself was handled above).
func (f *file) tfvars(lx *lexed) {
	for _, m := range tfvarsRE.FindAllSubmatchIndex(lx.code, -1) {
		if f.handled[m[2]] {
			continue
		}
		name := strings.ToLower(string(f.src[m[2]:m[3]]))
		v, ok := lx.valueAt(m[1])
		if !ok {
			continue
		}
		switch {
		case strings.Contains(name, "worker_runtime") && v.dotnet():
			f.touch(m[2])
			f.report(RuleWorkerRuntime, m[2], name+" = \"dotnet\" looks like the value of FUNCTIONS_WORKER_RUNTIME, the in-process model",
				"If it feeds FUNCTIONS_WORKER_RUNTIME, set it to \"dotnet-isolated\" ("+notSticky+")")
		case strings.Contains(name, "use_dotnet_isolated_runtime") && v.text == "false":
			f.touch(m[2])
			f.report(RuleStack, m[2], name+" = false keeps application_stack in-process",
				"Set it to true")
		case strings.Contains(name, "dotnet_version") && v.quoted:
			major, ok := netCoreMajor(v.text)
			if !ok || major == f.t.major {
				continue
			}
			w, _ := f.tfDotnetVersion(true)
			action := "If it feeds application_stack.dotnet_version, set it to \"" + w + "\" for a Windows app"
			if l, ok := f.tfDotnetVersion(false); ok {
				action += " or \"" + l + "\" for a Linux app"
			}
			f.report(RuleStack, m[2], name+" = \""+v.text+"\" selects .NET "+strings.TrimPrefix(v.text, "v"), action)
		}
	}
}

var hclVarRE = regexp.MustCompile(`^var\.([A-Za-z_][A-Za-z0-9_-]*)$`)

// hclDefault describes the default of the variable an expression names.
func (f *file) hclDefault(lx *lexed, v valueTok) string {
	m := hclVarRE.FindStringSubmatch(strings.TrimSpace(v.text))
	if !v.expr || m == nil {
		return ""
	}
	re := regexp.MustCompile(`(?m)^[ \t]*variable[ \t]+"` + regexp.QuoteMeta(m[1]) + `"[ \t]*\{`)
	// The name is blanked in code; search the source for the declaration.
	loc := re.FindIndex(f.src)
	if loc == nil {
		return ""
	}
	open := loc[1] - 1
	if _, d, ok := lx.attr(open, lx.match(open), "default"); ok && d.quoted {
		return " (its default here is \"" + d.text + "\")"
	}
	return ""
}
