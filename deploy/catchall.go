package deploy

// catchAll reports what still selects the in-process model after the rules
// of the file's kind ran, so that every occurrence is either rewritten or
// reported (MAPPING.md §6.1, §6.3, §8 item 6). It runs on every file read,
// and is all that reads Markdown and .env files:
//
//   - FUNCTIONS_WORKER_RUNTIME with "dotnet" as the first runtime name after
//     it on its line or the next (KEY=dotnet, a name/value pair, a table row,
//     "set FUNCTIONS_WORKER_RUNTIME to dotnet"); other languages and
//     dotnet-isolated are not reported, and neither is the name alone;
//   - FUNCTIONS_WORKER_RUNTIME in a list of slot (sticky) settings;
//   - every FUNCTIONS_INPROC_NET8_ENABLED;
//   - every DOTNET|x Linux stack;
//   - every in-process Functions base image;
//   - in Markdown, also `az functionapp create --runtime dotnet` and
//     New-AzFunctionApp -Runtime DotNet, as pipelines would have them edited.
//
// Occurrences a rule edited, reported or deliberately left (another
// language's runtime, a comment it read) are skipped.
func (f *file) catchAll() {
	text := kindOf(f.path) == kindText || kindOf(f.path) == kindSample
	if kindOf(f.path) == kindText {
		f.azCLI(false)
		f.newAzFunctionApp()
	}
	touch := func(off int) {
		if !text {
			f.touch(off)
		}
	}
	for _, k := range f.words(workerRuntimeKey) {
		if f.handled[k] || f.edited(k) {
			continue
		}
		if f.sticky(k) {
			f.handle(k)
			f.findings = append(f.findings, f.stickyFinding(k))
			continue
		}
		s, _, name := runtimeNear(f.src, k+len(workerRuntimeKey))
		if name != "dotnet" || f.handled[s] || f.edited(s) {
			continue
		}
		touch(k)
		f.report(RuleWorkerRuntime, k, "FUNCTIONS_WORKER_RUNTIME is given dotnet here, the in-process model",
			"Change dotnet to dotnet-isolated here ("+notSticky+")")
	}
	for _, k := range f.words(inprocNet8Key) {
		if f.handled[k] || f.edited(k) {
			continue
		}
		touch(k)
		f.reportInproc(k)
	}
	for _, s := range f.stacks() {
		if f.handled[s.start] || f.edited(s.start) {
			continue
		}
		f.linuxStack(s, false)
	}
	f.images(false)
	if text {
		f.rollout = -1 // documentation and local settings are not rolled out
	}
}
