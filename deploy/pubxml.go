package deploy

import (
	"regexp"
	"strings"
)

// pubxmlTFMRE matches the TargetFramework property of a publish profile.
var pubxmlTFMRE = regexp.MustCompile(`(?i)<TargetFramework>[ \t]*([A-Za-z0-9.\-]+)[ \t]*</TargetFramework>`)

// pubxml migrates a Visual Studio publish profile (MAPPING.md §1.6): its
// TargetFramework becomes the target (the profile would otherwise publish
// a framework the project no longer builds); runtime settings in it follow
// the text rules; output paths naming the old framework are reported.
func (f *file) pubxml() {
	for _, m := range pubxmlTFMRE.FindAllSubmatchIndex(f.src, -1) {
		if !strings.EqualFold(string(f.src[m[2]:m[3]]), f.t.tfm) {
			f.replace(m[2], m[3], f.t.tfm)
		}
		f.handle(m[2])
	}
	f.runtimeSettings(true)
	f.inprocSettings()
	for _, p := range f.buildPaths() {
		old := string(f.src[p.start:p.end])
		f.report(RulePublishProfile, p.start, "the publish path names "+old+"; the profile now publishes "+f.t.tfm,
			"Change "+old+" to "+f.t.tfm+" in this path")
	}
}
