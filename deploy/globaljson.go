package deploy

import (
	"strings"

	"github.com/funcmigrate/funcmigrate/settings"
)

// globalJSON reports a global.json that pins an SDK older than the target
// (MAPPING.md §1.6): dotnet, and every CI step that honours global.json,
// would pick an SDK that cannot build the migrated project.
func (f *file) globalJSON() {
	root, err := settings.ParseJSON(f.path, f.src)
	if err != nil || f.t.netfx {
		return
	}
	sdk := root.Lookup("sdk")
	if sdk == nil {
		return
	}
	v := sdk.Value.Lookup("version")
	if v == nil || v.Value.Kind != settings.JSONString {
		return
	}
	major, ok := netCoreMajor(v.Value.Str)
	if !ok || major >= f.t.major {
		return
	}
	action := "Set sdk.version to " + f.t.ver + ".100 (the first " + f.t.ver + " SDK band) or later"
	if r := sdk.Value.Lookup("rollForward"); r == nil || !strings.Contains(strings.ToLower(r.Value.Str), "major") {
		action += `, or allow newer SDKs with "rollForward": "latestMajor"`
	}
	f.report(RuleCI, v.Value.Start+1, "global.json pins the .NET SDK "+v.Value.Str+", which cannot build a project that targets "+f.t.tfm, action)
}
