package deploy

import (
	"regexp"
	"strconv"
	"strings"
)

// docker migrates a Dockerfile (MAPPING.md §1.6, §6.3):
//
//   - an in-process base image mcr.microsoft.com/azure-functions/dotnet:<tag>
//     becomes mcr.microsoft.com/azure-functions/dotnet-isolated:4-dotnet-isolated<ver>
//     wherever it is named (FROM, ARG defaults), keeping "AS name" and the
//     rest of the line; -appservice tags map to the isolated -appservice tag;
//     other tags (slim, core-tools, pinned versions, older hosts) are
//     reported with the image to use;
//   - an SDK image older than the target (mcr.microsoft.com/dotnet/sdk:6.0)
//     is reported with the exact image;
//   - ENV FUNCTIONS_WORKER_RUNTIME=dotnet (or with a blank) becomes
//     dotnet-isolated, and the other text rules apply to RUN lines;
//   - build output paths naming another framework are reported.
//
// .NET Framework 4.8 has no Linux container images: every in-process base
// image is then reported instead of rewritten.
func (f *file) docker() {
	f.comment = hashComment(f.src)
	f.cliText(true)
	f.sdkImages()
	f.reportBuildOutput(RuleCI)
}

var (
	funcImageRE  = regexp.MustCompile(`(?i)mcr\.microsoft\.com/azure-functions/dotnet:([A-Za-z0-9._-]+)`)
	inprocTagRE  = regexp.MustCompile(`(?i)^4(?:-dotnet\d+(?:\.0)?)?(-appservice)?$`)
	sdkImageRE   = regexp.MustCompile(`(?i)mcr\.microsoft\.com/dotnet/(?:core/)?sdk:(\d+)\.(\d+)([A-Za-z0-9._-]*)`)
	isolatedRepo = "mcr.microsoft.com/azure-functions/dotnet-isolated:4-dotnet-isolated"
)

// isolatedImage returns the isolated base image for an in-process tag, or
// false when the tag has no mechanical counterpart.
func (f *file) isolatedImage(tag string) (string, bool) {
	m := inprocTagRE.FindStringSubmatch(tag)
	if m == nil || f.t.netfx {
		return "", false
	}
	// The isolated images exist per .NET version, each with an -appservice
	// variant (SSH and remote debugging on App Service).
	return isolatedRepo + f.t.ver + strings.ToLower(m[1]), true
}

// images handles in-process Functions base images named anywhere in the file.
func (f *file) images(canEdit bool) {
	for _, m := range funcImageRE.FindAllSubmatchIndex(f.src, -1) {
		if f.handled[m[0]] || (canEdit && f.inComment(m[0])) {
			continue // a comment is the catch-all's
		}
		f.handle(m[0])
		f.touch(m[0])
		old := string(f.src[m[0]:m[1]])
		tag := string(f.src[m[2]:m[3]])
		img, ok := f.isolatedImage(tag)
		switch {
		case ok && canEdit:
			f.replace(m[0], m[1], img)
		case ok:
			f.report(RuleDocker, m[0], old+" is an in-process Functions base image",
				"Use "+img)
		case f.t.netfx:
			f.report(RuleDocker, m[0], old+" is an in-process Functions base image, and .NET Framework 4.8 has no Linux container image",
				"Deploy the .NET Framework 4.8 app to a Windows function app without a container, or target net10.0")
		default:
			f.report(RuleDocker, m[0], old+" is an in-process Functions base image whose tag "+tag+" has no direct isolated counterpart",
				"Use "+isolatedRepo+f.t.ver+" (or "+isolatedRepo+f.t.ver+"-appservice for SSH and remote debugging on App Service)")
		}
	}
}

// sdkImages reports .NET SDK images older than the target: the build stage
// could not build the migrated project.
func (f *file) sdkImages() {
	if f.t.netfx {
		return // the SDK that builds a net48 project is not tied to its framework
	}
	for _, m := range sdkImageRE.FindAllSubmatchIndex(f.src, -1) {
		if f.inComment(m[0]) {
			continue
		}
		major, _ := strconv.Atoi(string(f.src[m[2]:m[3]]))
		if major >= f.t.major {
			continue
		}
		want := "mcr.microsoft.com/dotnet/sdk:" + f.t.ver + string(f.src[m[6]:m[7]])
		f.report(RuleDocker, m[0], string(f.src[m[0]:m[1]])+" cannot build a project that targets "+f.t.tfm,
			"Use "+want)
	}
}
