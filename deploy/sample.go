package deploy

import (
	"strings"

	"github.com/funcmigrate/funcmigrate/settings"
)

// sample migrates a sample settings file (local.settings.example.json,
// local.settings.Development.json, *.settings.sample.json ...) exactly like
// local.settings.json, with settings.MigrateLocalSettings (MAPPING.md §6.1):
// local.settings.json is often git-ignored, and these files are what the
// next developer copies.
//
// Only a sample of a .NET in-process app is changed: its runtime is "dotnet"
// or it has FUNCTIONS_INPROC_NET8_ENABLED. A sample without a runtime could
// belong to any language and is left alone, and so is one the scanner
// cannot read (the catch-all still reports what it mentions).
func (f *file) sample() {
	rt, ok := settings.LocalSetting(f.src, workerRuntimeKey)
	_, inproc := settings.LocalSetting(f.src, inprocNet8Key)
	if !(ok && strings.EqualFold(rt, "dotnet")) && !(inproc && (!ok || strings.EqualFold(rt, "dotnet") || strings.EqualFold(rt, isolated))) {
		return
	}
	edits, findings, err := settings.MigrateLocalSettings(f.path, f.src)
	if err != nil {
		return
	}
	f.edits = append(f.edits, edits...)
	for _, fd := range findings {
		fd.Rule = RuleSampleSettings
		fd.Ref, fd.URL = refs[RuleSampleSettings][0], refs[RuleSampleSettings][1]
		f.findings = append(f.findings, fd)
	}
	// Everything the settings migration rewrote or removed is dealt with.
	for _, k := range append(f.words(workerRuntimeKey), f.words(inprocNet8Key)...) {
		f.handle(k)
	}
}
