package deploy

import (
	"path"
	"strings"

	"github.com/funcmigrate/funcmigrate/settings"
)

// vscode migrates the Visual Studio Code files of a Functions project
// (MAPPING.md §1.6, §6.3), read as JSON with comments:
//
//   - settings.json: azureFunctions.deploySubpath naming a framework folder
//     (bin/Release/net6.0/publish) gets the target's folder;
//     azureFunctions.projectRuntime stays ~4 (an older value is reported);
//   - tasks.json: every string holding a build output path (the cwd of the
//     func host task, say) gets the target's folder;
//   - launch.json: a coreclr (or clr) attach configuration that picks the
//     func host process is reported: the isolated worker runs the app's
//     code in its own process.
func (f *file) vscode() {
	root, err := settings.ParseJSON(f.path, f.src)
	if err != nil || root.Kind != settings.JSONObject {
		return
	}
	switch strings.ToLower(path.Base(f.path)) {
	case "settings.json":
		if m := root.Lookup("azureFunctions.deploySubpath"); m != nil && m.Value.Kind == settings.JSONString {
			f.retargetPaths(f.buildPaths(), m.Value)
		}
		if m := root.Lookup("azureFunctions.projectRuntime"); m != nil && m.Value.Kind == settings.JSONString && m.Value.Str != "~4" {
			f.report(RuleVSCode, m.Value.Start+1, "azureFunctions.projectRuntime is "+m.Value.Str+"; the isolated worker model runs on Functions 4.x",
				"Set azureFunctions.projectRuntime to ~4")
		}
	case "tasks.json":
		paths := f.buildPaths()
		eachString(root, func(v *settings.JSONValue) { f.retargetPaths(paths, v) })
	case "launch.json":
		f.launch(root)
	}
}

// eachString calls fn for every string value in v.
func eachString(v *settings.JSONValue, fn func(*settings.JSONValue)) {
	switch v.Kind {
	case settings.JSONString:
		fn(v)
	case settings.JSONObject:
		for _, m := range v.Members {
			eachString(m.Value, fn)
		}
	case settings.JSONArray:
		for _, e := range v.Elems {
			eachString(e, fn)
		}
	}
}

// retargetPaths rewrites the framework folder of the build output paths
// (found once per file) that lie inside the JSON string v; framework names contain no characters JSON escapes, so
// the raw bytes are edited in place.
func (f *file) retargetPaths(paths []tfmTok, v *settings.JSONValue) {
	for _, p := range paths {
		if v.Start < p.start && p.end < v.End {
			f.replace(p.start, p.end, f.t.tfm)
		}
	}
}

// launch reports attach configurations aimed at the func host process.
func (f *file) launch(root *settings.JSONValue) {
	cfgs := root.Lookup("configurations")
	if cfgs == nil || cfgs.Value.Kind != settings.JSONArray {
		return
	}
	for _, c := range cfgs.Value.Elems {
		typ, req := c.Lookup("type"), c.Lookup("request")
		if typ == nil || req == nil || typ.Value.Kind != settings.JSONString || req.Value.Kind != settings.JSONString ||
			!strings.EqualFold(req.Value.Str, "attach") {
			continue
		}
		t := strings.ToLower(typ.Value.Str)
		if t != "coreclr" && t != "clr" {
			continue
		}
		pick := false
		for _, k := range []string{"processId", "processName"} {
			if m := c.Lookup(k); m != nil && m.Value.Kind == settings.JSONString {
				s := strings.ToLower(m.Value.Str)
				if strings.Contains(s, "azurefunctions.pickprocess") || s == "func" || s == "func.exe" {
					pick = true
				}
			}
		}
		if !pick {
			continue
		}
		action := "Start the host with func host start --dotnet-isolated-debug, which waits and prints the worker's process id, and attach this configuration to that process"
		if f.t.netfx && t != "clr" {
			action += `; for .NET Framework 4.8 use "type": "clr"`
		}
		f.report(RuleVSCode, typ.KeyStart+1,
			"this attach configuration targets the func host process, where in-process functions ran; "+
				"isolated functions run in a separate dotnet worker process",
			action)
	}
}
