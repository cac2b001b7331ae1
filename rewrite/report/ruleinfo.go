package report

// RuleInfo describes one rule for reports that carry rule metadata (SARIF) and for `funcmigrate rules`.
type RuleInfo struct {
	ID    string // e.g. "cs-function-attribute"
	Title string // one line, lower-case start, no final period
	Doc   string // the full description: sentences, may hold several paragraphs separated by blank lines
	Ref   string // e.g. "MAPPING.md §3.1"
	URL   string // Learn page or issue, may be ""
}
