package deploy

import (
	"fmt"
	"strconv"
	"strings"
)

// A target is the framework the project moves to, with the spellings each
// kind of file uses for it (MAPPING.md §1.6, §6.3).
type target struct {
	tfm   string // "net10.0", "net48"
	ver   string // "10.0"; "4.8" for .NET Framework
	major int    // 10; 4 for .NET Framework
	netfx bool   // .NET Framework 4.8: Windows only, no Linux stack or image
}

func parseTarget(tfm string) (target, error) {
	if tfm == "" {
		tfm = "net10.0" // the engine's default (rewrite.Options)
	}
	switch tfm {
	case "net8.0", "net9.0", "net10.0":
		ver := strings.TrimPrefix(tfm, "net")
		major, _ := strconv.Atoi(strings.TrimSuffix(ver, ".0"))
		return target{tfm: tfm, ver: ver, major: major}, nil
	case "net48":
		return target{tfm: tfm, ver: "4.8", major: 4, netfx: true}, nil
	}
	return target{}, fmt.Errorf("unknown target framework %q: want net10.0, net8.0, net9.0 or net48", tfm)
}

// windows is the site's netFrameworkVersion on Windows: .NET Framework 4.8
// apps run with "v4.0", the CLR 4 version (Functions stack definitions).
func (t target) windows() string {
	if t.netfx {
		return "v4.0"
	}
	return "v" + t.ver
}

// linux is the site's linuxFxVersion; .NET Framework has no Linux stack.
func (t target) linux() (string, bool) {
	if t.netfx {
		return "", false
	}
	return "DOTNET-ISOLATED|" + t.ver, true
}

// sdkChannel is the SDK band a build needs, as setup-dotnet and UseDotNet
// spell it; .NET Framework apps build with whatever SDK runs the Worker SDK.
func (t target) sdkChannel() (string, bool) {
	if t.netfx {
		return "", false
	}
	return t.ver + ".x", true
}

// name is how messages speak of the target.
func (t target) name() string {
	if t.netfx {
		return ".NET Framework 4.8"
	}
	return ".NET " + strconv.Itoa(t.major)
}

// netCoreMajor returns the major version of a .NET (Core) version string such
// as "v6.0", "6.0", "8", "6.0.x" or "6.0.100", or false for anything else,
// including the CLR version "v4.0" of .NET Framework sites.
func netCoreMajor(s string) (int, bool) {
	s = strings.TrimPrefix(strings.TrimPrefix(strings.TrimSpace(s), "v"), "V")
	end := 0
	for end < len(s) && s[end] >= '0' && s[end] <= '9' {
		end++
	}
	if end == 0 {
		return 0, false
	}
	n, err := strconv.Atoi(s[:end])
	if err != nil || n < 2 || n == 4 {
		return 0, false
	}
	return n, true
}
