package deploy

import (
	"bytes"
	"regexp"
	"strings"
)

// pipeline migrates a CI/CD definition: a GitHub Actions workflow, an Azure
// Pipelines file, or other YAML that deploys a function app (MAPPING.md
// §1.6, §6.3, §8 item 6). The file is read as text, not parsed as YAML, so
// every value is edited in place with its quotes and comments:
//
//   - FUNCTIONS_WORKER_RUNTIME=dotnet, FUNCTIONS_WORKER_RUNTIME: dotnet,
//     -FUNCTIONS_WORKER_RUNTIME dotnet (AzureFunctionApp appSettings) and
//     name/value lists become dotnet-isolated;
//   - runtimeStack: 'DOTNET|6.0' becomes 'DOTNET-ISOLATED|<ver>';
//   - az functionapp create --runtime dotnet becomes --runtime dotnet-isolated,
//     and az functionapp config set --net-framework-version vX becomes v<ver>
//     (see cli.go for the options reported);
//   - FUNCTIONS_INPROC_NET8_ENABLED is reported with the command that
//     removes it;
//   - an SDK older than the target (actions/setup-dotnet dotnet-version, a
//     DOTNET_VERSION variable, UseDotNet version) and build output paths or
//     --framework options naming another framework are reported.
func (f *file) pipeline() {
	f.comment = hashComment(f.src)
	f.cliText(true)
	f.sdkVersions()
	f.reportBuildOutput(RuleCI)
}

// script migrates a shell, PowerShell or batch script: the az and
// New-AzFunctionApp commands and settings it writes, like a pipeline's.
func (f *file) script() {
	f.comment = hashComment(f.src)
	f.cliText(true)
	f.reportBuildOutput(RuleCI)
}

// mentionsDeployment reports whether YAML outside the usual pipeline
// locations deploys or configures a function app.
func (f *file) mentionsDeployment() bool {
	for _, w := range []string{"azurefunctionapp", "azurewebapp", "az functionapp", "functions_worker_runtime"} {
		if bytes.Contains(f.lower, []byte(w)) {
			return true
		}
	}
	return false
}

var (
	// sdkKeyRE matches the YAML keys that pick the SDK a build installs.
	sdkKeyRE    = regexp.MustCompile(`(?im)^[ \t]*-?[ \t]*(dotnet-version|dotnet_version|dotnetVersion|dotnetSdkVersion)[ \t]*:[ \t]*`)
	useDotNetRE = regexp.MustCompile(`(?i)UseDotNet@\d`)
	versionRE   = regexp.MustCompile(`(?im)^[ \t]*version[ \t]*:[ \t]*`)
)

// sdkVersions reports SDK installs older than the target: the migrated
// project cannot build with them.
func (f *file) sdkVersions() {
	want, ok := f.t.sdkChannel()
	if !ok {
		return
	}
	for _, m := range sdkKeyRE.FindAllSubmatchIndex(f.src, -1) {
		f.sdkValue(string(f.src[m[2]:m[3]]), m[1], want)
	}
	for _, loc := range useDotNetRE.FindAllIndex(f.src, -1) {
		// The task's inputs: the lines after it that are indented deeper
		// than the list item holding it.
		itemIndent := len(indentOf(f.src, loc[0]))
		for l := nextLine(f.src, loc[0]); l < len(f.src); l = nextLine(f.src, l) {
			line := f.src[l:lineEnd(f.src, l)]
			if isBlank(line) {
				continue
			}
			if ind := len(indentOf(f.src, l)); ind < itemIndent || (ind == itemIndent && strings.HasPrefix(strings.TrimLeft(string(line), " \t"), "-")) {
				break
			}
			if v := versionRE.FindIndex(line); v != nil {
				f.sdkValue("version", l+v[1], want)
				break
			}
		}
	}
}

// sdkValue checks the SDK version given to key at off: a single version, or
// a YAML block list of them (dotnet-version: |).
func (f *file) sdkValue(key string, off int, want string) {
	v, ok := readValue(f.src, off)
	if !ok {
		return
	}
	if v.text == "|" || v.text == ">" || v.text == "|-" {
		// A block: the versions on the following, deeper lines. One of them
		// being new enough is enough.
		first := -1
		base := len(indentOf(f.src, off))
		for l := nextLine(f.src, off); l < len(f.src); l = nextLine(f.src, l) {
			line := f.src[l:lineEnd(f.src, l)]
			if isBlank(line) {
				continue
			}
			if len(indentOf(f.src, l)) <= base {
				break
			}
			e, ok := readValue(f.src, l+len(indentOf(f.src, l)))
			if !ok {
				continue
			}
			if major, ok := netCoreMajor(e.text); ok {
				if major >= f.t.major {
					return
				}
				if first < 0 {
					first = e.start
				}
			}
		}
		if first >= 0 {
			f.reportSDK(key, first, want)
		}
		return
	}
	if v.expr {
		return
	}
	if major, ok := netCoreMajor(v.text); ok && major < f.t.major {
		f.reportSDK(key, v.start, want)
	}
}

func (f *file) reportSDK(key string, off int, want string) {
	v, _ := readValue(f.src, off)
	f.report(RuleCI, off,
		"the build installs the .NET SDK "+v.text+" ("+key+"), which cannot build a project that targets "+f.t.tfm,
		"Set "+key+" to "+want)
}
