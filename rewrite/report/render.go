package report

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
)

// WriteText writes findings for a person: one block per finding, then
// counts by rule.
func WriteText(w io.Writer, fs []Finding) error {
	byRule := map[string]int{}
	for _, f := range fs {
		loc := f.Path
		if f.Line > 0 {
			loc = fmt.Sprintf("%s:%d", f.Path, f.Line)
		}
		kind := "needs a person"
		if !f.NeedsPerson() {
			kind = "note"
		}
		if _, err := fmt.Fprintf(w, "%s: %s [%s, %s]\n", loc, f.Message, f.Rule, kind); err != nil {
			return err
		}
		if f.Action != "" {
			fmt.Fprintf(w, "    do: %s\n", f.Action)
		}
		ref := f.Ref
		if f.URL != "" {
			ref += " " + f.URL
		}
		if ref != "" {
			fmt.Fprintf(w, "    see: %s\n", ref)
		}
		if f.NeedsPerson() {
			byRule[f.Rule]++
		}
	}
	if len(byRule) > 0 {
		rules := make([]string, 0, len(byRule))
		for r := range byRule {
			rules = append(rules, r)
		}
		sort.Strings(rules)
		fmt.Fprintf(w, "\nfindings that need a person, by rule:\n")
		for _, r := range rules {
			fmt.Fprintf(w, "  %-28s %d\n", r, byRule[r])
		}
	}
	return nil
}

// WriteJSON writes one JSON object per finding per line.
func WriteJSON(w io.Writer, fs []Finding) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for _, f := range fs {
		if f.Severity == "" {
			f.Severity = SeverityWarning
		}
		if err := enc.Encode(f); err != nil {
			return err
		}
	}
	return nil
}
