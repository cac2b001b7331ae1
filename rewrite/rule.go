// Package rewrite is the migration engine: it finds in-process function-app
// projects, runs the rules over the same baseline, merges and validates their
// fixes, and returns a change set plus findings. It never prints and never
// writes files; cmd/funcmigrate does that.
package rewrite

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/funcmigrate/funcmigrate/rewrite/cs"
	"github.com/funcmigrate/funcmigrate/rewrite/edit"
	"github.com/funcmigrate/funcmigrate/rewrite/report"
)

// A Rule migrates one concern of a C# file. Run inspects the Pass's model and
// reports fixes and findings; it never writes files and never prints.
type Rule struct {
	Name string // identifier used in findings and TODO markers, e.g. "cs-function-attribute"
	Doc  string // title line (no capital, no period), blank line, then full sentences
	Ref  string // the MAPPING.md section the rule implements, e.g. "MAPPING.md §3.1"
	URL  string // the Learn page behind that section
	Run  func(*Pass)
}

// Project-wide facts every C# rule may read.
type Facts struct {
	TargetFramework string // e.g. "net10.0"
	NetFramework    bool   // net48: no ASP.NET Core integration
	HTTP            bool   // some function in the project has an HTTP trigger
	// BoundTypes maps the simple names of the project's own types whose
	// values cross a binding or HTTP boundary to that boundary (BoundTypes).
	BoundTypes map[string]string
}

// A Pass is one rule running on one file.
type Pass struct {
	Rule  *Rule
	File  *cs.File
	Model *cs.Model
	Facts *Facts

	fixes    []Fix
	findings []report.Finding
	needs    []string
}

// A Fix is a set of edits to one file that stand or fall together.
type Fix struct {
	Rule    string
	Message string // verb phrase: "Replace [FunctionName] with [Function]"
	Edits   []edit.Edit
}

// Fix records one atomic fix.
func (p *Pass) Fix(message string, edits ...edit.Edit) {
	if len(edits) == 0 {
		return
	}
	p.fixes = append(p.fixes, Fix{Rule: p.Rule.Name, Message: message, Edits: edits})
}

// Report records a finding at byte offset off of the original file. marker
// says the code stays in place and gets a TODO comment above it.
func (p *Pass) Report(off int, marker bool, message, action string) {
	p.findings = append(p.findings, report.Finding{
		Rule: p.Rule.Name, Offset: off, Marker: marker,
		Message: message, Action: action, Ref: p.Rule.Ref, URL: p.Rule.URL,
	})
}

// Note records an informational finding that needs no action.
func (p *Pass) Note(off int, message string) {
	p.findings = append(p.findings, report.Finding{
		Rule: p.Rule.Name, Offset: off, Message: message, Ref: p.Rule.Ref, URL: p.Rule.URL,
		Severity: report.SeverityNote,
	})
}

// Need records that the migrated project needs an isolated package.
func (p *Pass) Need(pkg string) { p.needs = append(p.needs, pkg) }

var ruleName = regexp.MustCompile(`^[a-z][a-z0-9]*(-[a-z0-9]+)*$`)

// Validate checks a rule set the way analysis.Validate does: unique valid
// names, a Doc whose title has no capital or period, a MAPPING.md reference.
func Validate(rules []*Rule) error {
	seen := map[string]bool{}
	for _, r := range rules {
		switch {
		case !ruleName.MatchString(r.Name):
			return fmt.Errorf("rule %q: name must be lower-case words joined by '-'", r.Name)
		case seen[r.Name]:
			return fmt.Errorf("rule %q: duplicate name", r.Name)
		case r.Run == nil:
			return fmt.Errorf("rule %q: no Run", r.Name)
		case !strings.HasPrefix(r.Ref, "MAPPING.md §"):
			return fmt.Errorf("rule %q: Ref must cite a MAPPING.md section", r.Name)
		}
		seen[r.Name] = true
		title, rest, _ := strings.Cut(r.Doc, "\n\n")
		if title == "" || strings.HasSuffix(title, ".") || strings.ToLower(title[:1]) != title[:1] {
			return fmt.Errorf("rule %q: Doc title must be lower-case with no period: %q", r.Name, title)
		}
		if rest = strings.TrimSpace(rest); rest == "" || !strings.HasSuffix(rest, ".") {
			return fmt.Errorf("rule %q: Doc needs full sentences after the title", r.Name)
		}
	}
	return nil
}
