package deploy

import (
	"fmt"
	"sort"

	"github.com/funcmigrate/funcmigrate/rewrite/edit"
	"github.com/funcmigrate/funcmigrate/rewrite/report"
)

// Rule ids of the findings this package reports.
const (
	RuleWorkerRuntime  = "deploy-worker-runtime"  // FUNCTIONS_WORKER_RUNTIME (§6.3)
	RuleInprocNet8     = "deploy-inproc-net8"     // FUNCTIONS_INPROC_NET8_ENABLED (§6.3)
	RuleStack          = "deploy-stack"           // linuxFxVersion, netFrameworkVersion, runtime stacks (§6.3)
	RuleRollout        = "deploy-rollout"         // the staging-slot order (§6.3)
	RuleDocker         = "deploy-docker"          // base and SDK images (§1.6)
	RuleCI             = "deploy-ci"              // SDK versions, build output paths (§1.6, §8 item 6)
	RuleVSCode         = "deploy-vscode"          // .vscode settings, tasks, launch (§1.6, §6.3)
	RulePublishProfile = "deploy-publish-profile" // *.pubxml (§1.6)
	RuleSampleSettings = "deploy-sample-settings" // sample local.settings files (§6.1)
)

// Learn pages the findings point to (MAPPING.md §0: S1, S2).
const (
	migrateURL   = "https://learn.microsoft.com/azure/azure-functions/migrate-dotnet-to-isolated-model"
	isolatedURL  = "https://learn.microsoft.com/azure/azure-functions/dotnet-isolated-process-guide#deployment-requirements"
	slotsURL     = "https://learn.microsoft.com/azure/azure-functions/functions-deployment-slots"
	containerURL = "https://learn.microsoft.com/azure/azure-functions/functions-how-to-custom-container"
	vscodeURL    = "https://learn.microsoft.com/azure/azure-functions/functions-develop-vs-code"
)

// refs gives each rule its MAPPING.md section and Learn page.
var refs = map[string][2]string{
	RuleWorkerRuntime:  {"MAPPING.md §6.3", migrateURL},
	RuleInprocNet8:     {"MAPPING.md §6.3", migrateURL},
	RuleStack:          {"MAPPING.md §6.3", isolatedURL},
	RuleRollout:        {"MAPPING.md §6.3", slotsURL},
	RuleDocker:         {"MAPPING.md §1.6, §6.3", containerURL},
	RuleCI:             {"MAPPING.md §1.6, §8 item 6", migrateURL},
	RuleVSCode:         {"MAPPING.md §1.6, §6.3", vscodeURL},
	RulePublishProfile: {"MAPPING.md §1.6", migrateURL},
	RuleSampleSettings: {"MAPPING.md §6.1", migrateURL},
}

// Setting names and values (MAPPING.md §6.1, §6.3).
const (
	workerRuntimeKey = "FUNCTIONS_WORKER_RUNTIME"
	inprocNet8Key    = "FUNCTIONS_INPROC_NET8_ENABLED"
	isolated         = "dotnet-isolated"
)

// notSticky is said wherever a finding asks to set the runtime setting: a
// slot (sticky) setting would stay behind on swap (MAPPING.md §6.3).
const notSticky = "as a normal app setting, not a slot (sticky) setting"

// A file is one deployment file being migrated: its bytes, the target, and
// what the rules found so far.
type file struct {
	path  string // slash-separated, as given to MigrateFile
	src   []byte
	lower []byte // src in lower case (ASCII), for case-insensitive searches
	t     target

	edits    []edit.Edit
	findings []report.Finding
	handled  map[int]bool // offsets of occurrences a rule dealt with: the catch-all leaves them alone

	rollout int                // offset of the first runtime or stack setting, -1 for none
	linux10 bool               // a Linux stack was set to .NET 10
	comment func(off int) bool // reports offsets inside comments, for kinds that lex
}

// inComment reports whether off lies in a comment of a lexed kind.
func (f *file) inComment(off int) bool { return f.comment != nil && f.comment(off) }

func newFile(p string, src []byte, t target) *file {
	return &file{path: p, src: src, lower: asciiLower(src), t: t, handled: map[int]bool{}, rollout: -1}
}

// asciiLower lower-cases ASCII letters only, so offsets into the result are
// offsets into b (strings.ToLower may change the length of other letters).
func asciiLower(b []byte) []byte {
	out := make([]byte, len(b))
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		out[i] = c
	}
	return out
}

// replace records an edit of src[start:end].
func (f *file) replace(start, end int, s string) {
	f.edits = append(f.edits, edit.Edit{Start: start, End: end, New: s})
}

// handle marks the occurrence at off as dealt with.
func (f *file) handle(off int) { f.handled[off] = true }

// touch notes that the runtime settings of an app change at off, which calls
// for the staging-slot rollout finding.
func (f *file) touch(off int) {
	if f.inComment(off) {
		return // a comment changes nothing in Azure
	}
	if f.rollout < 0 || off < f.rollout {
		f.rollout = off
	}
}

// report adds a finding that needs a person.
func (f *file) report(rule string, off int, msg, action string) {
	r := refs[rule]
	f.findings = append(f.findings, report.Finding{Rule: rule, Offset: off, Message: msg, Action: action, Ref: r[0], URL: r[1]})
	f.handle(off)
}

// note adds a finding that is information only.
func (f *file) note(rule string, off int, msg, action string) {
	f.report(rule, off, msg, action)
	f.findings[len(f.findings)-1].Severity = report.SeverityNote
}

// edited reports whether an edit covers off.
func (f *file) edited(off int) bool {
	for _, e := range f.edits {
		if e.Start <= off && off < e.End {
			return true
		}
	}
	return false
}

// finish adds the file-level findings, validates the edits and sorts the
// findings by offset.
func (f *file) finish() ([]edit.Edit, []report.Finding, error) {
	if f.rollout >= 0 {
		stack := "the " + f.t.name() + " isolated stack (Windows netFrameworkVersion " + f.t.windows()
		if l, ok := f.t.linux(); ok {
			stack += ", Linux linuxFxVersion " + l
		}
		stack += ")"
		f.report(RuleRollout, f.rollout,
			"this file switches the function app to the isolated worker; if the app's runtime settings and the deployed "+
				"build disagree (in-process build on dotnet-isolated, or the reverse) the app fails to start with AZFD0013",
			"Roll out through a staging slot: set FUNCTIONS_WORKER_RUNTIME=dotnet-isolated ("+notSticky+") and "+stack+
				" on the slot, remove FUNCTIONS_INPROC_NET8_ENABLED there, deploy the isolated build to the slot, verify it, then swap")
	}
	if f.linux10 {
		f.note(RuleStack, max(f.rollout, 0),
			"the Linux stack is now .NET 10, which the Linux Consumption plan cannot run",
			"Host this app on Flex Consumption, Premium or Dedicated if it runs on Linux Consumption today (net8.0 still runs there but is out of support since 10 Nov 2026)")
	}
	edits, err := edit.Validate(len(f.src), f.edits)
	if err != nil {
		return nil, nil, fmt.Errorf("deploy rules produced invalid edits for %s: %w", f.path, err)
	}
	sort.SliceStable(f.findings, func(i, j int) bool { return f.findings[i].Offset < f.findings[j].Offset })
	if len(edits) == 0 {
		edits = nil
	}
	return edits, f.findings, nil
}
