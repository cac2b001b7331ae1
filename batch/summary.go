package batch

import (
	"bytes"
	"fmt"
	"sort"

	"github.com/funcmigrate/funcmigrate/rewrite/report"
)

// statusTitles head the summary's sections.
var statusTitles = map[Status]string{
	Failed:          "Failed",
	NeedsManualWork: "Needs manual work",
	Migrated:        "Migrated",
	NothingToDo:     "Nothing to do",
	Skipped:         "Skipped",
}

// Summary renders summary.md: repositories grouped by status and findings
// by rule, as a table a platform team pastes into a tracking issue. It holds
// nothing that varies between runs of the same input (no times, no absolute
// paths), so shards merge into exactly the unsharded summary.
func Summary(rows []*Row, m *Manifest, selected int, rules []report.RuleInfo) []byte {
	cell := report.EscapeMarkdownCell
	var b bytes.Buffer
	b.WriteString("# funcmigrate batch\n\n")
	scope := fmt.Sprintf("%d repositories", selected)
	if m.Shard != "" {
		scope = fmt.Sprintf("%d of %d repositories (shard %s)", selected, m.Total, m.Shard)
	}
	fmt.Fprintf(&b, "%s, funcmigrate %s, options `%s`.\n\n", scope, m.Version, m.Options)
	if len(rows) < selected {
		fmt.Fprintf(&b, "**Incomplete:** %d of %d repositories done. Run the same command again to finish; finished repositories are not redone.\n\n", len(rows), selected)
	}
	byStatus := map[Status][]*Row{}
	for _, r := range rows {
		byStatus[r.Status] = append(byStatus[r.Status], r)
	}
	b.WriteString("| status | repositories |\n|---|---:|\n")
	for _, s := range Statuses {
		fmt.Fprintf(&b, "| %s | %d |\n", s, len(byStatus[s]))
	}
	fmt.Fprintf(&b, "| **total** | %d |\n", len(rows))

	for _, s := range Statuses {
		rs := byStatus[s]
		if len(rs) == 0 {
			continue
		}
		sort.Slice(rs, func(i, j int) bool { return rs[i].Index < rs[j].Index })
		fmt.Fprintf(&b, "\n## %s (%d)\n\n", statusTitles[s], len(rs))
		switch s {
		case Failed:
			b.WriteString("| # | repository | error |\n|---:|---|---|\n")
			for _, r := range rs {
				fmt.Fprintf(&b, "| %d | %s | %s |\n", r.Index, cell(r.Repo), cell(r.Error))
			}
		case NeedsManualWork:
			b.WriteString("| # | repository | files changed | findings that need a person | top rules | patch | findings |\n|---:|---|---:|---:|---|---|---|\n")
			for _, r := range rs {
				fmt.Fprintf(&b, "| %d | %s | %d | %d | %s | %s | %s |\n", r.Index, cell(r.Repo), r.Changed, r.NeedsPerson, cell(topRules(r.ByRule, 3)), cell(r.Patch), cell(r.Report))
			}
		case Migrated:
			b.WriteString("| # | repository | files changed | patch | findings |\n|---:|---|---:|---|---|\n")
			for _, r := range rs {
				fmt.Fprintf(&b, "| %d | %s | %d | %s | %s |\n", r.Index, cell(r.Repo), r.Changed, cell(r.Patch), cell(r.Report))
			}
		default:
			b.WriteString("| # | repository | reason |\n|---:|---|---|\n")
			for _, r := range rs {
				fmt.Fprintf(&b, "| %d | %s | %s |\n", r.Index, cell(r.Repo), cell(r.Reason))
			}
		}
	}

	findings, repos := map[string]int{}, map[string]int{}
	for _, r := range rows {
		for rule, n := range r.ByRule {
			findings[rule] += n
			repos[rule]++
		}
	}
	if len(findings) > 0 {
		ref := map[string]string{}
		for _, ri := range rules {
			ref[ri.ID] = ri.Ref
		}
		ids := mostFirst(findings)
		b.WriteString("\n## Findings that need a person, by rule\n\n")
		b.WriteString("Run `funcmigrate rules RULE` for what each rule does and what to do about its findings.\n\n")
		b.WriteString("| rule | findings | repositories | reference |\n|---|---:|---:|---|\n")
		for _, id := range ids {
			fmt.Fprintf(&b, "| %s | %d | %d | %s |\n", cell(id), findings[id], repos[id], cell(ref[id]))
		}
	}
	return b.Bytes()
}

// mostFirst orders the rules by their count, highest first, then by id.
func mostFirst(byRule map[string]int) []string {
	ids := make([]string, 0, len(byRule))
	for id := range byRule {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool {
		if byRule[ids[i]] != byRule[ids[j]] {
			return byRule[ids[i]] > byRule[ids[j]]
		}
		return ids[i] < ids[j]
	})
	return ids
}

// topRules names the n rules with the most findings, most first.
func topRules(byRule map[string]int, n int) string {
	s := ""
	for i, id := range mostFirst(byRule) {
		if i == n {
			s += ", …"
			break
		}
		if i > 0 {
			s += ", "
		}
		s += fmt.Sprintf("%s (%d)", id, byRule[id])
	}
	return s
}
