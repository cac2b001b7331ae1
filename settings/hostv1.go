package settings

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/funcmigrate/funcmigrate/rewrite/edit"
	"github.com/funcmigrate/funcmigrate/rewrite/report"
)

// This file handles the Functions 1.x layout of host.json. A 1.x host.json
// has no "version"; the Functions 2.x and later hosts refuse such a file
// (they require the string "version": "2.0"), read the binding sections
// under "extensions" instead of at the top level, and read logging settings
// under "logging" instead of "logger" and "tracing" (Azure Functions host
// wiki, "host.json (v2)"; Learn, "host.json reference for Azure Functions
// 1.x" and "... 2.x and later"; Learn, "Migrate apps from Azure Functions
// version 1.x to version 4.x").
//
// What maps mechanically is migrated: "version": "2.0" is added and the
// binding sections move under "extensions", renamed to the names the
// extensions that the 4.x host loads read (MAPPING.md §2, last column;
// §6.2). The rest is reported with its key path.

// Learn pages the findings point to.
const (
	hostJSONURL   = "https://learn.microsoft.com/azure/azure-functions/functions-host-json"
	hostJSONv1URL = "https://learn.microsoft.com/azure/azure-functions/functions-host-json-v1"
	hostIDsURL    = "https://github.com/Azure/azure-functions-host/wiki/Host-IDs"
)

// An optionNote is an option of a 1.x section and what becomes of it.
type optionNote struct{ key, text string }

// A v1Section is a 1.x top-level binding section that the 2.0 layout keeps
// under "extensions".
type v1Section struct {
	key string // top-level key in 1.x
	to  string // key under "extensions"
	ext string // the extension the 4.x host loads for it, for messages
	// renames are 1.x options and the names that extension reads instead.
	renames []optionNote
	// millis are options 1.x read as milliseconds (a number) and 2.x and
	// later read as a time span ("hh:mm:ss").
	millis []string
	// ignored are 1.x options that extension does not have, with what to do.
	ignored []optionNote
}

// v1Sections lists the sections to move. Option names of the 4.x-era
// extensions come from their options classes: QueuesOptions (MaxPollingInterval
// is a TimeSpan), EventHubOptions (MaxEventBatchSize, PrefetchCount,
// BatchCheckpointFrequency), the Service Bus 5.x options of MAPPING.md §6.2,
// and CosmosDBOptions of the 4.x extension, which has ConnectionMode only.
var v1Sections = []v1Section{
	{key: "http", to: "http", ext: "HTTP"},
	{key: "queues", to: "queues", ext: "Storage Queues 5.x", millis: []string{"maxPollingInterval"}},
	{key: "serviceBus", to: "serviceBus", ext: "Service Bus 5.x", renames: []optionNote{
		{"autoRenewTimeout", "maxAutoLockRenewalDuration"},
		{"autoComplete", "autoCompleteMessages"},
	}},
	{key: "eventHub", to: "eventHubs", ext: "Event Hubs 6.x", renames: []optionNote{
		{"maxBatchSize", "maxEventBatchSize"},
	}},
	{key: "documentDB", to: "cosmosDB", ext: "Cosmos DB 4.x", ignored: []optionNote{
		{"protocol", "Remove it: the Cosmos DB 4.x extension reads only connectionMode"},
		{"leaseOptions", "Set LeaseContainerPrefix on each CosmosDBTrigger instead of leaseOptions.leasePrefix, then remove leaseOptions"},
	}},
	{key: "sendGrid", to: "sendGrid", ext: "SendGrid 3.x"},
}

// A v1Reported section has no mechanical 2.0 counterpart: it is reported.
type v1Reported struct {
	key     string
	message string
	action  string
	url     string
}

var v1ReportedSections = []v1Reported{
	{"logger", `"logger" is the Functions 1.x log filter; Functions 2.x and later ignore it and read logging.logLevel`,
		`Move categoryFilter.defaultLevel to logging.logLevel.default and each categoryFilter.categoryLevels entry to logging.logLevel.<category>, then remove "logger"`,
		hostJSONURL + "#logging"},
	{"tracing", `"tracing" configured the Functions 1.x TraceWriter logs; Functions 2.x and later ignore it`,
		`Move fileLoggingMode to logging.fileLoggingMode, express consoleLevel as logging.logLevel levels, then remove "tracing"`,
		hostJSONURL + "#logging"},
	{"applicationInsights", `top-level "applicationInsights" is the Functions 1.x layout; Functions 2.x and later ignore it and read logging.applicationInsights`,
		"Move sampling to logging.applicationInsights.samplingSettings (isEnabled and maxTelemetryItemsPerSecond keep their names), then remove the top-level section",
		hostJSONURL + "#applicationinsights"},
	{"durableTask", `top-level "durableTask" is the Functions 1.x layout; Functions 2.x and later ignore it and read extensions.durableTask`,
		"Move it to extensions.durableTask and check each option against the Durable Functions 2.x host.json reference (the storage options moved under storageProvider)",
		"https://learn.microsoft.com/azure/azure-functions/durable/durable-functions-bindings#host-json-settings"},
}

// A move is a top-level section going under "extensions".
type move struct {
	idx  int // member index in the root object
	sec  *v1Section
	text string // the member as it will read under "extensions", before re-indenting
}

// hostV1 handles the 1.x layout. convert is set when host.json has no
// "version": then it returns the edits that add "version": "2.0" and move
// the binding sections, with their findings. Otherwise it only reports 1.x
// sections that a "version"ed file still has, which the host ignores.
func hostV1(src []byte, root *value, convert bool) ([]edit.Edit, []report.Finding) {
	ext := root.lookup("extensions")
	extOK := ext == nil || ext.val.kind == kindObject
	var findings []report.Finding
	var moves []move
	for i, m := range root.members {
		if strings.EqualFold(m.key, "id") {
			findings = append(findings, idFinding(m))
			continue
		}
		if r := reportedSection(m.key); r != nil {
			findings = append(findings, report.Finding{Rule: RuleHostV1Section, Message: r.message, Action: r.action,
				Ref: "MAPPING.md §6.2", URL: r.url, Offset: m.keyStart})
			continue
		}
		sec := movableSection(m.key)
		if sec == nil {
			continue
		}
		switch {
		case !convert:
			findings = append(findings, report.Finding{
				Rule:    RuleHostV1Section,
				Message: fmt.Sprintf(`top-level %s is the Functions 1.x layout; Functions 2.x and later ignore it and read extensions.%s`, quote(m.key), sec.to),
				Action:  fmt.Sprintf("Move it to extensions.%s%s, then remove the top-level section", sec.to, sec.changes()),
				Ref:     "MAPPING.md §6.2",
				URL:     hostJSONURL,
				Offset:  m.keyStart,
			})
		case !extOK || (ext != nil && ext.val.lookup(sec.to) != nil):
			why := fmt.Sprintf("extensions.%s already exists", sec.to)
			if !extOK {
				why = `"extensions" is not an object`
			}
			findings = append(findings, report.Finding{
				Rule:    RuleHostV1Section,
				Message: fmt.Sprintf(`top-level %s is the Functions 1.x layout and %s; Functions 2.x and later read only extensions.%s`, quote(m.key), why, sec.to),
				Action:  fmt.Sprintf("Merge the top-level %s settings into extensions.%s%s, then remove the top-level section", quote(m.key), sec.to, sec.changes()),
				Ref:     "MAPPING.md §6.2",
				URL:     hostJSONURL,
				Offset:  m.keyStart,
			})
		default:
			text, fs := sec.render(src, m)
			findings = append(findings, fs...)
			moves = append(moves, move{idx: i, sec: sec, text: text})
		}
	}
	if !convert {
		return nil, findings
	}

	var edits []edit.Edit
	edits = append(edits, insertFirst(src, root, func(layout) string {
		return quote("version") + separator(src, root) + quote("2.0")
	})...)
	if len(moves) > 0 {
		edits = append(edits, placeMoves(src, root, ext, moves)...)
	}

	msg := `host.json has no "version" (the Functions 1.x layout); added "version": "2.0", which the Functions 4.x host requires`
	if len(moves) > 0 {
		var keys []string
		for _, mv := range moves {
			keys = append(keys, root.members[mv.idx].key)
		}
		msg += fmt.Sprintf(`, and moved %s under "extensions"`, strings.Join(keys, ", "))
	}
	action := "Review the remaining settings against the host.json reference for Functions 2.x and later"
	if root.lookup("functionTimeout") == nil {
		action += "; with no functionTimeout, functions on an App Service plan now stop after 30 minutes (1.x had no limit)"
	}
	version := report.Finding{Rule: RuleHostVersion, Message: msg, Action: action, Ref: "MAPPING.md §6.2", URL: hostJSONURL, Offset: root.start}
	return edits, append([]report.Finding{version}, findings...)
}

// placeMoves returns the edits that put the moved sections under
// "extensions": into the existing "extensions" object, or into a new
// "extensions" member that takes the place of the first moved section. The
// other moved sections are removed from the top level.
func placeMoves(src []byte, root *value, ext *member, moves []move) []edit.Edit {
	var edits []edit.Edit
	join := func(l layout) string {
		var parts []string
		for _, mv := range moves {
			m := root.members[mv.idx]
			text := mv.text
			if !l.inline {
				text = rebase(text, leadingBlank(src, m.start), l.indent)
			}
			parts = append(parts, text)
		}
		if l.inline {
			return strings.Join(parts, ", ")
		}
		return strings.Join(parts, ","+l.eol+l.indent)
	}
	var remove []int
	if ext != nil {
		edits = append(edits, insertMember(src, ext.val, join)...)
		for _, mv := range moves {
			remove = append(remove, mv.idx)
		}
	} else {
		first := root.members[moves[0].idx]
		eol, unit := fileEOL(src), indentUnit(src)
		head := quote("extensions") + separator(src, root) + "{"
		var text string
		if ls := lineStart(src, first.start); ls > root.start && isBlank(src[ls:first.start]) {
			indent := string(src[ls:first.start])
			text = head + eol + indent + unit + join(layout{indent: indent + unit, unit: unit, eol: eol}) + eol + indent + "}"
		} else {
			text = head + " " + join(layout{unit: unit, eol: eol, inline: true}) + " }"
		}
		edits = append(edits, edit.Edit{Start: first.keyStart, End: first.val.end, New: text})
		for _, mv := range moves[1:] {
			remove = append(remove, mv.idx)
		}
	}
	if len(remove) > 0 {
		edits = append(edits, removeMembers(src, root, remove)...)
	}
	return edits
}

// render returns member m of the top level as it reads under "extensions":
// the new key, m's own separator and its value with options renamed and
// millisecond values turned into time spans, plus findings for what cannot
// be carried over.
func (s *v1Section) render(src []byte, m member) (string, []report.Finding) {
	var inner []edit.Edit
	var findings []report.Finding
	v := m.val
	if v.kind == kindObject {
		for _, o := range v.members {
			path := fmt.Sprintf("%s.%s", m.key, o.key)
			if to, ok := lookupNote(s.renames, o.key); ok {
				inner = append(inner, edit.Edit{Start: o.keyStart, End: o.keyEnd, New: quote(to)})
			}
			if action, ok := lookupNote(s.ignored, o.key); ok {
				findings = append(findings, report.Finding{
					Rule: RuleHostV1Option,
					Message: fmt.Sprintf("%s (now extensions.%s.%s) is not an option of the %s extension the isolated host loads; it is ignored",
						path, s.to, o.key, s.ext),
					Action: action,
					Ref:    "MAPPING.md §6.2",
					URL:    hostJSONv1URL,
					Offset: o.keyStart,
				})
			}
			if !containsFold(s.millis, o.key) || o.val.kind == kindString {
				continue
			}
			lit := string(src[o.val.start:o.val.end])
			if ts, ok := millisToTimeSpan(lit); ok && o.val.kind == kindNumber {
				inner = append(inner, edit.Edit{Start: o.val.start, End: o.val.end, New: quote(ts)})
				continue
			}
			findings = append(findings, report.Finding{
				Rule: RuleHostV1Option,
				Message: fmt.Sprintf("%s (now extensions.%s.%s) is %s, which funcmigrate cannot convert: Functions 1.x read milliseconds, Functions 2.x and later read a time span",
					path, s.to, o.key, lit),
				Action: `Write the interval as a time span, such as "00:00:02" for 2000 milliseconds`,
				Ref:    "MAPPING.md §6.2",
				URL:    hostJSONURL,
				Offset: o.val.start,
			})
		}
	}
	for i := range inner {
		inner[i].Start -= v.start
		inner[i].End -= v.start
	}
	value, err := edit.Apply(src[v.start:v.end], inner)
	if err != nil {
		// The edits are key and value literals of distinct members.
		panic(fmt.Sprintf("settings: overlapping option edits in %s: %v", m.key, err))
	}
	return quote(s.to) + string(src[m.keyEnd:v.start]) + string(value), findings
}

// changes describes the renames and conversions a section needs, for the
// action of a finding, such as " (autoComplete is now autoCompleteMessages)".
func (s *v1Section) changes() string {
	var cs []string
	for _, r := range s.renames {
		cs = append(cs, fmt.Sprintf("%s is now %s", r.key, r.text))
	}
	for _, k := range s.millis {
		cs = append(cs, fmt.Sprintf(`%s is a time span such as "00:00:02", no longer milliseconds`, k))
	}
	for _, ig := range s.ignored {
		cs = append(cs, fmt.Sprintf("%s is not read any more", ig.key))
	}
	if len(cs) == 0 {
		return ""
	}
	return " (" + strings.Join(cs, "; ") + ")"
}

// idFinding reports the 1.x host ID in host.json, which 2.x and later do not
// read: the ID comes from the app name unless the AzureFunctionsWebHost__hostid
// app setting sets it. Timer schedule status and blob receipts are stored under
// the host ID, so a changed ID can rerun blobs (Host IDs wiki; Learn, app
// settings reference).
func idFinding(m member) report.Finding {
	action := `Set the app setting AzureFunctionsWebHost__hostid to this value to keep the host ID (timer schedule status and blob receipts are stored under it), then remove "id"`
	if m.val.kind == kindString && m.val.str != "" {
		action = fmt.Sprintf(`Set the app setting AzureFunctionsWebHost__hostid to %s to keep the host ID (timer schedule status and blob receipts are stored under it), then remove "id"`, quote(m.val.str))
	}
	return report.Finding{
		Rule:    RuleHostV1Section,
		Message: `"id" is not read by Functions 2.x and later: the host ID now comes from the app name (its first 32 characters)`,
		Action:  action,
		Ref:     "MAPPING.md §6.2, §6.3",
		URL:     hostIDsURL,
		Offset:  m.keyStart,
	}
}

// millisToTimeSpan turns a whole number of milliseconds into the time span
// notation .NET parses ("[d.]hh:mm:ss[.fff]"); 2000 becomes "00:00:02".
func millisToTimeSpan(lit string) (string, bool) {
	if lit == "" || len(lit) > 15 || strings.Trim(lit, "0123456789") != "" {
		return "", false
	}
	n, err := strconv.ParseInt(lit, 10, 64)
	if err != nil {
		return "", false
	}
	ms, s := n%1000, n/1000
	days, s := s/86400, s%86400
	out := fmt.Sprintf("%02d:%02d:%02d", s/3600, s%3600/60, s%60)
	if days > 0 {
		out = fmt.Sprintf("%d.%s", days, out)
	}
	if ms > 0 {
		out += fmt.Sprintf(".%03d", ms)
	}
	return out, true
}

func movableSection(key string) *v1Section {
	for i := range v1Sections {
		if strings.EqualFold(v1Sections[i].key, key) {
			return &v1Sections[i]
		}
	}
	return nil
}

func reportedSection(key string) *v1Reported {
	for i := range v1ReportedSections {
		if strings.EqualFold(v1ReportedSections[i].key, key) {
			return &v1ReportedSections[i]
		}
	}
	return nil
}

func lookupNote(ns []optionNote, key string) (string, bool) {
	for _, n := range ns {
		if strings.EqualFold(n.key, key) {
			return n.text, true
		}
	}
	return "", false
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}
