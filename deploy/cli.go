package deploy

import (
	"regexp"
	"strings"

	"github.com/funcmigrate/funcmigrate/rewrite/report"
)

// This file handles settings written as text, the way pipelines, scripts
// and Dockerfiles write them: KEY=value pairs, name/value lists, and the
// options of `az functionapp` and New-AzFunctionApp (MAPPING.md §6.3).
// canEdit is false for files only the catch-all reads (Markdown), whose
// occurrences are reported with the same advice instead of rewritten.

// runtimeNames are the FUNCTIONS_WORKER_RUNTIME values of the Functions
// languages; only "dotnet" is the in-process model.
var runtimeNames = map[string]bool{
	"dotnet": true, "dotnet-isolated": true, "node": true, "python": true,
	"java": true, "powershell": true, "custom": true,
}

// runtimeSettings handles every FUNCTIONS_WORKER_RUNTIME given a value in
// text form. Occurrences without a recognisable value stay for the
// catch-all.
func (f *file) runtimeSettings(canEdit bool) {
	for _, k := range f.words(workerRuntimeKey) {
		if f.handled[k] || f.inComment(k) {
			continue // a comment is the catch-all's
		}
		end := k + len(workerRuntimeKey)
		v, ok := valueAfter(f.src, end)
		if !ok || (!v.expr && !runtimeNames[strings.ToLower(v.text)]) {
			v, ok = nameValue(f.src, k, end)
		}
		if !ok || (!v.expr && !runtimeNames[strings.ToLower(v.text)]) {
			continue
		}
		f.runtimeValue(k, v, canEdit, "")
	}
}

// runtimeValue handles the value v given to FUNCTIONS_WORKER_RUNTIME at key:
// "dotnet" becomes "dotnet-isolated" (or is reported), a computed value is
// reported with the value it must have, other runtimes are left alone.
// hint adds what is known about a computed value (a parameter's default).
func (f *file) runtimeValue(key int, v valueTok, canEdit bool, hint string) {
	f.handle(key)
	switch {
	case v.dotnet():
		f.touch(key)
		if canEdit {
			f.replace(v.start, v.end, isolated)
		} else {
			f.report(RuleWorkerRuntime, key,
				"FUNCTIONS_WORKER_RUNTIME is dotnet, the in-process model",
				"Change it to dotnet-isolated ("+notSticky+")")
		}
	case v.expr:
		f.touch(key)
		f.report(RuleWorkerRuntime, key,
			"FUNCTIONS_WORKER_RUNTIME is set from "+v.text+", which must now evaluate to dotnet-isolated"+hint,
			"Make "+v.text+" evaluate to dotnet-isolated ("+notSticky+")")
	default:
		return // another language, or already isolated
	}
	if f.sticky(key) {
		f.findings = append(f.findings, f.stickyFinding(key))
	}
}

// stickyRE matches what makes an app setting a slot setting: ARM's
// slotConfigNames.appSettingNames, Terraform's sticky_settings, the CLI's
// --slot-settings, and the slotSetting flag of settings JSON.
var stickyRE = regexp.MustCompile(`(?i)appsettingnames|app_setting_names|--slot-settings`)

// sticky reports whether the runtime setting at off is made a slot setting.
func (f *file) sticky(off int) bool {
	if s, _ := commandSpan(f.src, off); s < off && strings.Contains(string(f.lower[s:off]), "--slot-settings") {
		return true
	}
	// In a list of sticky names: the marker, then an open '[' before off.
	from := max(0, off-300)
	if loc := stickyRE.FindAllIndex(f.lower[from:off], -1); len(loc) > 0 {
		between := f.lower[from+loc[len(loc)-1][1] : off]
		if strings.Count(string(between), "[") > strings.Count(string(between), "]") {
			return true
		}
	}
	// A name/value element flagged slotSetting: true.
	end := min(len(f.src), off+300)
	if i := strings.IndexByte(string(f.src[off:end]), '}'); i >= 0 {
		end = off + i
	}
	tail := strings.ReplaceAll(strings.ReplaceAll(string(f.lower[off:end]), " ", ""), `"`, "")
	return strings.Contains(tail, "slotsetting:true")
}

func (f *file) stickyFinding(off int) report.Finding {
	r := refs[RuleWorkerRuntime]
	return report.Finding{Rule: RuleWorkerRuntime, Offset: off,
		Message: "FUNCTIONS_WORKER_RUNTIME is a slot (sticky) setting here: on swap it stays with the slot, " +
			"so the isolated build would land in production with the old runtime setting (AZFD0013)",
		Action: "Make FUNCTIONS_WORKER_RUNTIME a normal app setting: remove it from the slot settings and set it to dotnet-isolated on each slot",
		Ref:    r[0], URL: r[1]}
}

// inprocSettings reports FUNCTIONS_INPROC_NET8_ENABLED given in text; the
// kinds that can remove it safely do so before this runs.
func (f *file) inprocSettings() {
	for _, k := range f.words(inprocNet8Key) {
		if f.handled[k] || f.inComment(k) {
			continue
		}
		s, e := commandSpan(f.src, k)
		if strings.Contains(string(f.lower[s:e]), "appsettings delete") {
			f.handle(k) // already removing it
			continue
		}
		f.touch(k)
		f.reportInproc(k)
	}
}

func (f *file) reportInproc(off int) {
	f.report(RuleInprocNet8, off,
		"FUNCTIONS_INPROC_NET8_ENABLED opts the host into running .NET 8 in-process; the isolated worker does not use it",
		"Remove the setting here and from the app: az functionapp config appsettings delete --name <app> --resource-group <group> --setting-names FUNCTIONS_INPROC_NET8_ENABLED")
}

// commandSpan returns the logical command line holding off: lines continued
// with a trailing \ (sh), ` (PowerShell) or ^ (cmd) are joined, and so are
// the following lines that start with an option, as a YAML folded scalar
// writes a long command.
func commandSpan(src []byte, off int) (start, end int) {
	start = lineStart(src, off)
	for start > 0 {
		prev := lineStart(src, start-1)
		if !continues(src[prev:lineEnd(src, prev)]) && !startsOption(src[start:lineEnd(src, start)]) {
			break
		}
		start = prev
	}
	end = lineEnd(src, off)
	for end < len(src) {
		next := nextLine(src, end)
		if next >= len(src) || (!continues(src[lineStart(src, end):end]) && !startsOption(src[next:lineEnd(src, next)])) {
			break
		}
		end = lineEnd(src, next)
	}
	return start, end
}

func continues(line []byte) bool {
	t := strings.TrimRight(string(line), " \t\r")
	return strings.HasSuffix(t, "\\") || strings.HasSuffix(t, "`") || strings.HasSuffix(t, "^")
}

func startsOption(line []byte) bool {
	t := strings.TrimLeft(string(line), " \t")
	return strings.HasPrefix(t, "--") || (strings.HasPrefix(t, "-") && len(t) > 1 && isIdent(t[1]) && !strings.HasPrefix(t, "- "))
}

var (
	azFunctionAppRE = regexp.MustCompile(`(?i)\baz[ \t]+functionapp[ \t]+((?:config[ \t]+appsettings|config|deployment)?[ \t]*[a-z-]+)`)
	runtimeOptRE    = regexp.MustCompile(`(?i)--runtime(?:[ \t]+|=)`)
	runtimeVerOptRE = regexp.MustCompile(`(?i)--runtime-version(?:[ \t]+|=)`)
	funcVerOptRE    = regexp.MustCompile(`(?i)--functions-version(?:[ \t]+|=)`)
	netFxOptRE      = regexp.MustCompile(`(?i)--net-framework-version(?:[ \t]+|=)`)
	osTypeLinuxRE   = regexp.MustCompile(`(?i)--os-type[ \t=]+["']?linux\b|--is-linux\b`)
	newAzFuncRE     = regexp.MustCompile(`(?i)\bNew-AzFunctionApp\b`)
	psRuntimeOptRE  = regexp.MustCompile(`(?i)-Runtime[ \t]+`)
	psRuntimeVerRE  = regexp.MustCompile(`(?i)-RuntimeVersion[ \t]+`)
)

// option returns the value of the first option matching re in src[s:e].
func option(src []byte, s, e int, re *regexp.Regexp) (valueTok, bool) {
	loc := re.FindIndex(src[s:e])
	if loc == nil {
		return valueTok{}, false
	}
	return readValue(src, s+loc[1])
}

// azCLI handles `az functionapp` commands (MAPPING.md §6.3):
//
//   - create: --runtime dotnet becomes dotnet-isolated; a --runtime-version
//     for another .NET, a missing one, a --functions-version other than 4,
//     and a Linux plan for .NET Framework are reported;
//   - config set: --net-framework-version of a .NET (Core) version becomes
//     the target's (the Linux stack is handled with the other stacks).
func (f *file) azCLI(canEdit bool) {
	seen := map[int]bool{}
	for _, m := range azFunctionAppRE.FindAllSubmatchIndex(f.src, -1) {
		s, e := commandSpan(f.src, m[0])
		if seen[s] || f.inComment(m[0]) {
			continue
		}
		seen[s] = true
		sub := strings.Join(strings.Fields(strings.ToLower(string(f.src[m[2]:m[3]]))), " ")
		switch {
		case sub == "create":
			f.azCreate(m[0], s, e, canEdit)
		case sub == "config set":
			if v, ok := option(f.src, s, e, netFxOptRE); ok {
				f.netFrameworkVersion(v, true, canEdit)
			}
		}
	}
}

func (f *file) azCreate(at, s, e int, canEdit bool) {
	rt, ok := option(f.src, s, e, runtimeOptRE)
	if !ok {
		return
	}
	switch {
	case rt.dotnet():
		f.handle(rt.start)
		f.touch(rt.start)
		if canEdit {
			f.replace(rt.start, rt.end, isolated)
		} else {
			f.report(RuleStack, rt.start, "az functionapp create --runtime dotnet creates an in-process app",
				"Use --runtime dotnet-isolated")
		}
	case rt.expr:
		f.touch(rt.start)
		f.report(RuleStack, rt.start, "az functionapp create takes its runtime from "+rt.text+", which must now be dotnet-isolated",
			"Make "+rt.text+" evaluate to dotnet-isolated")
		return // the language is not known, nor the version it needs
	case strings.EqualFold(rt.text, isolated):
	default:
		return // another language
	}
	want := f.t.ver // the CLI takes "8.0" as well as "8"
	if rv, ok := option(f.src, s, e, runtimeVerOptRE); ok {
		got := rv.text
		if major, ok := netCoreMajor(got); !ok || major != f.t.major || f.t.netfx {
			if !strings.Contains(got, ".") && !f.t.netfx {
				want = strings.TrimSuffix(want, ".0")
			}
			if got != want {
				f.report(RuleStack, rv.start, "--runtime-version "+got+" does not select "+f.t.name(),
					"Use --runtime-version "+want+" (az functionapp list-runtimes lists the dotnet-isolated versions)")
			}
		}
	} else {
		f.report(RuleStack, at, "az functionapp create has no --runtime-version, so the CLI picks its default .NET version for dotnet-isolated",
			"Add --runtime-version "+want+" (az functionapp list-runtimes lists the dotnet-isolated versions)")
	}
	if fv, ok := option(f.src, s, e, funcVerOptRE); ok && fv.text != "4" {
		f.report(RuleStack, fv.start, "--functions-version "+fv.text+" is not the Functions 4.x host the isolated worker model needs",
			"Use --functions-version 4")
	}
	if loc := osTypeLinuxRE.FindIndex(f.src[s:e]); loc != nil && f.t.netfx {
		f.report(RuleStack, s+loc[0], ".NET Framework 4.8 apps run only on Windows, but this creates a Linux app",
			"Create the app on Windows (drop --os-type Linux)")
	}
}

// netFrameworkVersion handles a Windows stack value: a .NET (Core) version
// other than the target's is rewritten when known to belong to a function
// app (funcApp), otherwise reported; v4.0 (.NET Framework, or in-process
// .NET Core 3.1) is reported unless the target is .NET Framework.
func (f *file) netFrameworkVersion(v valueTok, funcApp, canEdit bool) {
	f.handle(v.start)
	want := f.t.windows()
	if v.expr {
		if funcApp {
			f.touch(v.start)
			f.report(RuleStack, v.start, "netFrameworkVersion comes from "+v.text+", which must now be "+want,
				"Make "+v.text+" evaluate to "+want+" ("+f.t.name()+" isolated on Windows)")
		}
		return
	}
	if strings.EqualFold(v.text, want) {
		return
	}
	_, core := netCoreMajor(v.text)
	switch {
	case core && funcApp && canEdit:
		f.touch(v.start)
		f.replace(v.start, v.end, want)
	case funcApp:
		f.touch(v.start)
		f.report(RuleStack, v.start, "netFrameworkVersion "+v.text+" does not select "+f.t.name()+" for the function app",
			"Set netFrameworkVersion to "+want+", the Windows stack of "+f.t.name()+" isolated")
	case core:
		f.report(RuleStack, v.start, "netFrameworkVersion "+v.text+" selects .NET "+strings.TrimPrefix(strings.TrimPrefix(v.text, "v"), "V")+
			"; if this site is the function app, its Windows stack must be "+f.t.name()+" isolated",
			"If this site is the function app, set netFrameworkVersion to "+want)
	}
}

// newAzFunctionApp reports New-AzFunctionApp -Runtime DotNet (Az PowerShell).
func (f *file) newAzFunctionApp() {
	for _, loc := range newAzFuncRE.FindAllIndex(f.src, -1) {
		if f.inComment(loc[0]) {
			continue
		}
		s, e := commandSpan(f.src, loc[0])
		rt, ok := option(f.src, s, e, psRuntimeOptRE)
		if !ok || !rt.dotnet() {
			continue
		}
		f.handle(rt.start)
		f.touch(rt.start)
		action := "Create it with -Runtime dotnet-isolated"
		if !f.t.netfx {
			action += " -RuntimeVersion " + strings.TrimSuffix(f.t.ver, ".0")
		}
		if _, ok := option(f.src, s, e, psRuntimeVerRE); ok {
			action += " (replacing the current -RuntimeVersion)"
		}
		f.report(RuleStack, rt.start, "New-AzFunctionApp -Runtime "+rt.text+" creates an in-process app", action)
	}
}

// cliText runs the text rules that pipelines, scripts and Dockerfiles share.
func (f *file) cliText(canEdit bool) {
	f.azCLI(canEdit)
	f.newAzFunctionApp()
	f.runtimeSettings(canEdit)
	f.inprocSettings()
	for _, s := range f.stacks() {
		if !f.handled[s.start] && !f.inComment(s.start) {
			f.linuxStack(s, canEdit)
		}
	}
	f.images(canEdit)
}
