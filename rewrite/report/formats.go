package report

import (
	"fmt"
	"io"
)

// Formats are the ways findings can be written, as --format names them.
var Formats = []string{"text", "json", "sarif", "markdown"}

// FormatExt is the file extension a report in format gets.
func FormatExt(format string) string {
	switch format {
	case "json":
		return ".jsonl"
	case "sarif":
		return ".sarif"
	case "markdown":
		return ".md"
	}
	return ".txt"
}

// Write renders findings in one of Formats. rules and toolVersion feed the
// SARIF driver; sum heads a Markdown report.
func Write(w io.Writer, format string, fs []Finding, sum Summary, rules []RuleInfo, toolVersion string) error {
	switch format {
	case "text":
		return WriteText(w, fs)
	case "json":
		return WriteJSON(w, fs)
	case "sarif":
		return WriteSARIF(w, fs, rules, toolVersion)
	case "markdown":
		return WriteMarkdown(w, fs, sum)
	}
	return fmt.Errorf("unknown report format %q", format)
}
