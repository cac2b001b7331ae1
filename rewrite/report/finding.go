// Package report defines what funcmigrate tells a person: findings about code
// it could not migrate safely, and how they are rendered.
package report

// A Finding is one thing a person must look at: where it is, what was found
// and why it matters, what to do, and where the fact comes from.
//
// Rules fill Offset (a byte offset into the ORIGINAL file); the engine turns it
// into Line, counted in the migrated file, so the line shown is where the code
// (and its TODO marker) stands after the migration.
type Finding struct {
	Rule    string `json:"rule"`              // rule id, e.g. "cs-executioncontext"
	Path    string `json:"file"`              // slash-separated, as in the patch
	Line    int    `json:"line"`              // 1-based; 0 concerns the whole file
	Message string `json:"message"`           // what was found and why it matters
	Action  string `json:"action"`            // what the person should do
	Ref     string `json:"reference"`         // e.g. "MAPPING.md §4.3"
	URL     string `json:"url,omitempty"`     // Learn page or issue
	Offset  int    `json:"-"`                 // byte offset in the original file
	Marker  bool   `json:"-"`                 // code left in place: add a TODO marker above it
	Project string `json:"project,omitempty"` // project file the finding belongs to
	// Severity is SeverityNote for information that needs no action (a
	// target's support date, say); anything else needs a person.
	Severity string `json:"severity,omitempty"`
}

// Severities. The zero value counts as SeverityWarning.
const (
	SeverityWarning = "warning"
	SeverityNote    = "note"
)

// NeedsPerson reports whether f asks a person to act.
func (f Finding) NeedsPerson() bool { return f.Severity != SeverityNote }
