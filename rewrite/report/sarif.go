package report

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
)

// SARIF 2.1.0 is the OASIS Standard at
// https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html; section
// numbers below refer to it. .ci/sarif/validate.mjs checks the output against
// its JSON schema.
const (
	sarifSchema  = "https://json.schemastore.org/sarif-2.1.0.json"
	sarifVersion = "2.1.0"
	toolName     = "funcmigrate"
	toolURI      = "https://github.com/funcmigrate/funcmigrate"
	// srcRoot is the base every artifact URI is relative to: the repository
	// root. Code scanning and Azure DevOps resolve it to their checkout.
	srcRoot = "SRCROOT"
	// fingerprintKey names our partial fingerprint; the version lets the
	// hash change later without matching old alerts to new ones by accident.
	fingerprintKey = "funcmigrate/v1"
)

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool               sarifTool                `json:"tool"`
	OriginalURIBaseIDs map[string]sarifArtifact `json:"originalUriBaseIds"`
	Results            []sarifResult            `json:"results"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version,omitempty"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules"`
}

type sarifRule struct {
	ID                   string       `json:"id"`
	Name                 string       `json:"name,omitempty"`
	ShortDescription     *sarifText   `json:"shortDescription,omitempty"`
	FullDescription      *sarifText   `json:"fullDescription,omitempty"`
	Help                 *sarifHelp   `json:"help,omitempty"`
	HelpURI              string       `json:"helpUri,omitempty"`
	DefaultConfiguration *sarifConfig `json:"defaultConfiguration,omitempty"`
}

type sarifText struct {
	Text string `json:"text"`
}

type sarifHelp struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown"`
}

type sarifConfig struct {
	Level string `json:"level"`
}

type sarifResult struct {
	RuleID              string            `json:"ruleId"`
	RuleIndex           int               `json:"ruleIndex"`
	Level               string            `json:"level"`
	Message             sarifText         `json:"message"`
	Locations           []sarifLocation   `json:"locations,omitempty"`
	PartialFingerprints map[string]string `json:"partialFingerprints"`
}

type sarifLocation struct {
	PhysicalLocation sarifPhysicalLocation `json:"physicalLocation"`
}

type sarifPhysicalLocation struct {
	ArtifactLocation sarifArtifact `json:"artifactLocation"`
	Region           *sarifRegion  `json:"region,omitempty"`
}

type sarifArtifact struct {
	URI         string     `json:"uri,omitempty"`
	URIBaseID   string     `json:"uriBaseId,omitempty"`
	Description *sarifText `json:"description,omitempty"`
}

type sarifRegion struct {
	StartLine int `json:"startLine"`
}

// WriteSARIF writes findings as a SARIF 2.1.0 log with one run, for GitHub
// code scanning and Azure DevOps. The driver lists every rule in rules,
// sorted by ID, plus a minimal entry for any finding's rule that rules lacks,
// so every result's ruleIndex is valid and no finding is dropped.
// toolVersion may be "" (no version is written).
//
// Paths are taken as relative to the repository root (uriBaseId SRCROOT).
// A finding with Line 0 has no region (it concerns the whole file) and one
// with no Path points at its Project file, or has no location without one.
// The same input always gives the same bytes.
func WriteSARIF(w io.Writer, fs []Finding, rules []RuleInfo, toolVersion string) error {
	known := map[string]bool{}
	var all []RuleInfo
	for _, r := range rules {
		if !known[r.ID] {
			known[r.ID] = true
			all = append(all, r)
		}
	}
	for _, f := range fs {
		if !known[f.Rule] {
			known[f.Rule] = true
			all = append(all, RuleInfo{ID: f.Rule})
		}
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].ID < all[j].ID })

	index := map[string]int{}
	descriptors := make([]sarifRule, len(all))
	for i, r := range all {
		index[r.ID] = i
		descriptors[i] = sarifDescriptor(r)
	}

	// Findings that are alike in rule, file and message are told apart by
	// their order in the file, so each keeps its own alert.
	seen := map[string]int{}
	results := make([]sarifResult, 0, len(fs)) // [] rather than null: the schema wants an array
	for _, f := range fs {
		hash := findingHash(f)
		seen[hash]++
		level := "warning"
		if !f.NeedsPerson() {
			level = "note"
		}
		res := sarifResult{
			RuleID:              f.Rule,
			RuleIndex:           index[f.Rule],
			Level:               level,
			Message:             sarifText{Text: sarifMessage(f)},
			PartialFingerprints: map[string]string{fingerprintKey: fmt.Sprintf("%s:%d", hash, seen[hash])},
		}
		// Code scanning rejects a whole upload when one result has no
		// location, so a finding about no file in particular points at its
		// project file.
		path, line := f.Path, f.Line
		if path == "" {
			path, line = f.Project, 0
		}
		if path != "" {
			loc := sarifLocation{PhysicalLocation: sarifPhysicalLocation{
				ArtifactLocation: sarifArtifact{URI: sarifURI(path), URIBaseID: srcRoot},
			}}
			if line > 0 {
				loc.PhysicalLocation.Region = &sarifRegion{StartLine: line}
			}
			res.Locations = []sarifLocation{loc}
		}
		results = append(results, res)
	}

	log := sarifLog{
		Schema:  sarifSchema,
		Version: sarifVersion,
		Runs: []sarifRun{{
			Tool: sarifTool{Driver: sarifDriver{
				Name:           toolName,
				Version:        toolVersion,
				InformationURI: toolURI,
				Rules:          descriptors,
			}},
			// No uri: the root is wherever the repository is checked out,
			// and an absolute path would make the output machine-dependent.
			OriginalURIBaseIDs: map[string]sarifArtifact{
				srcRoot: {Description: &sarifText{Text: "The root of the repository funcmigrate ran on."}},
			},
			Results: results,
		}},
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(log)
}

// sarifDescriptor is the reportingDescriptor (§3.49) of one rule. A rule
// known only from a finding has its id as its short description.
func sarifDescriptor(r RuleInfo) sarifRule {
	d := sarifRule{ID: r.ID, Name: camelCase(r.ID), ShortDescription: &sarifText{Text: r.ID}}
	if r.Title == "" && r.Doc == "" && r.Ref == "" && r.URL == "" {
		return d
	}
	if r.Title != "" {
		d.ShortDescription.Text = r.Title
	}
	doc := strings.TrimSpace(r.Doc)
	if doc != "" {
		d.FullDescription = &sarifText{Text: doc}
	}

	text, md := doc, markdownParagraphs(doc)
	if doc == "" {
		text, md = d.ShortDescription.Text, markdownParagraphs(d.ShortDescription.Text)
	}
	// No period after a bare URL: a reader's linkifier would take it in.
	switch {
	case r.Ref != "" && r.URL != "":
		text += "\n\nSee " + r.Ref + ": " + r.URL
	case r.Ref != "":
		text += "\n\nSee " + r.Ref + "."
	case r.URL != "":
		text += "\n\nSee " + r.URL
	}
	if r.Ref != "" || r.URL != "" {
		md += "\n\nSee " + markdownRef(r.Ref, r.URL) + "."
	}
	d.Help = &sarifHelp{Text: text, Markdown: md}
	d.HelpURI = r.URL
	// Every result states its own level; this is what a rule is for.
	d.DefaultConfiguration = &sarifConfig{Level: "warning"}
	return d
}

// sarifMessage is the finding's message followed by what to do.
func sarifMessage(f Finding) string {
	msg := strings.TrimSpace(f.Message)
	action := strings.TrimSpace(f.Action)
	if action == "" {
		return msg
	}
	if msg == "" {
		return "Do: " + action
	}
	if !strings.HasSuffix(msg, ".") && !strings.HasSuffix(msg, "!") && !strings.HasSuffix(msg, "?") {
		msg += "."
	}
	return msg + " Do: " + action
}

// findingHash identifies a finding by what it says, not where: the line is
// left out so that an alert survives edits above it.
func findingHash(f Finding) string {
	sum := sha256.Sum256([]byte(f.Rule + "\x00" + f.Path + "\x00" + f.Message))
	return hex.EncodeToString(sum[:16])
}

// sarifURI turns a slash-separated relative path into a relative URI
// reference (RFC 3986 §4.2). Only unreserved characters and "/" stay as
// they are; everything else, including non-ASCII (as UTF-8), is
// percent-encoded. That also encodes a ":" that would otherwise make the
// first segment read as a scheme.
func sarifURI(path string) string {
	var b strings.Builder
	for i := 0; i < len(path); i++ {
		c := path[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
			c == '-' || c == '.' || c == '_' || c == '~' || c == '/' {
			b.WriteByte(c)
			continue
		}
		fmt.Fprintf(&b, "%%%02X", c)
	}
	return b.String()
}

// camelCase turns a rule id such as "cs-function-attribute" into the
// reportingDescriptor name "CsFunctionAttribute".
func camelCase(id string) string {
	var b strings.Builder
	upper := true
	for _, r := range id {
		if !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9') {
			upper = true
			continue
		}
		if upper && 'a' <= r && r <= 'z' {
			r -= 'a' - 'A'
		}
		upper = false
		b.WriteRune(r)
	}
	return b.String()
}
