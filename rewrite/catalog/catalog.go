// Package catalog describes every rule whose id a funcmigrate finding can
// carry (report.Finding.Rule), for `funcmigrate rules` and for reports that
// carry rule metadata (SARIF).
//
// The C# rules describe themselves: their entries come from rules.All, the
// title from the first line of each Rule.Doc and the description from the
// rest. Every other id (the project-level steps of package rewrite, the
// project-file, settings and deployment migrations, the Startup move, the
// dependent scan, discovery, and the fix rule names that appear in a
// finding when a fix is dropped) is described in rules.json, embedded here.
// TestComplete checks that the two together name exactly the ids the code
// emits.
package catalog

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/funcmigrate/funcmigrate/rewrite"
	"github.com/funcmigrate/funcmigrate/rewrite/report"
	"github.com/funcmigrate/funcmigrate/rewrite/rules"
)

// rules.json holds one object per id that is not a C# rule:
//
//	id     the rule id, as findings carry it
//	title  one line, lower-case start, no final period
//	doc    what the rule does or what its finding means, and what a person
//	       does about it; paragraphs are separated by a blank line
//	ref    the MAPPING.md section(s) the code cites for it
//	url    the Learn page or issue the code uses for it, or ""
//
//go:embed rules.json
var rulesJSON []byte

// data is the catalog, built once. A broken rules.json is a build defect,
// so building it panics; the tests keep it honest.
var data = mustBuild(rulesJSON, rules.All)

type catalog struct {
	all  []report.RuleInfo // sorted by ID
	byID map[string]report.RuleInfo
}

// All returns every rule, sorted by ID.
func All() []report.RuleInfo {
	return append([]report.RuleInfo(nil), data.all...)
}

// Lookup returns the rule with that id.
func Lookup(id string) (report.RuleInfo, bool) {
	r, ok := data.byID[id]
	return r, ok
}

func mustBuild(b []byte, csRules []*rewrite.Rule) *catalog {
	c, err := build(b, csRules)
	if err != nil {
		panic("catalog: " + err.Error())
	}
	return c
}

// build decodes rules.json and adds the C# rules. An id may be described
// only once.
func build(b []byte, csRules []*rewrite.Rule) (*catalog, error) {
	var file struct {
		About string `json:"about"`
		Rules []struct {
			ID    string `json:"id"`
			Title string `json:"title"`
			Doc   string `json:"doc"`
			Ref   string `json:"ref"`
			URL   string `json:"url"`
		} `json:"rules"`
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields() // a misspelt key must not silently drop a fact
	if err := dec.Decode(&file); err != nil {
		return nil, fmt.Errorf("rules.json: %v", err)
	}
	c := &catalog{byID: map[string]report.RuleInfo{}}
	add := func(r report.RuleInfo, from string) error {
		if r.ID == "" {
			return fmt.Errorf("%s: a rule without an id", from)
		}
		if _, dup := c.byID[r.ID]; dup {
			return fmt.Errorf("%s: rule %q is described twice", from, r.ID)
		}
		c.byID[r.ID] = r
		c.all = append(c.all, r)
		return nil
	}
	for _, r := range csRules {
		if err := add(fromRule(r), "rules.All"); err != nil {
			return nil, err
		}
	}
	for _, r := range file.Rules {
		info := report.RuleInfo{ID: r.ID, Title: r.Title, Doc: r.Doc, Ref: r.Ref, URL: r.URL}
		if err := add(info, "rules.json"); err != nil {
			return nil, err
		}
	}
	sort.Slice(c.all, func(i, j int) bool { return c.all[i].ID < c.all[j].ID })
	return c, nil
}

// fromRule describes a C# rule from its own fields. Its Doc is the title
// line, a blank line, then paragraphs wrapped for the source file; the
// description rejoins each paragraph into one line.
func fromRule(r *rewrite.Rule) report.RuleInfo {
	title, rest, _ := strings.Cut(r.Doc, "\n\n")
	return report.RuleInfo{
		ID:    r.Name,
		Title: strings.TrimSpace(title),
		Doc:   unwrap(rest),
		Ref:   r.Ref,
		URL:   r.URL,
	}
}

// unwrap joins the lines of each paragraph of s with single spaces and
// separates the paragraphs with one blank line.
func unwrap(s string) string {
	var paras, para []string
	flush := func() {
		if len(para) > 0 {
			paras = append(paras, strings.Join(para, " "))
			para = nil
		}
	}
	for _, line := range strings.Split(s, "\n") {
		if f := strings.Fields(line); len(f) > 0 {
			para = append(para, f...)
		} else {
			flush()
		}
	}
	flush()
	return strings.Join(paras, "\n\n")
}
