package settings

import (
	"strings"

	"github.com/funcmigrate/funcmigrate/rewrite/edit"
)

// This file exposes the tolerant scanner of scan.go to other packages, so
// that JSON deployment files (ARM templates, VS Code settings) are read
// exactly like the settings files: comments and trailing commas allowed,
// every value with its byte span, nothing re-serialised.

// A JSONKind is the JSON type of a parsed value.
type JSONKind uint8

// The JSON types.
const (
	JSONObject JSONKind = JSONKind(kindObject)
	JSONArray  JSONKind = JSONKind(kindArray)
	JSONString JSONKind = JSONKind(kindString)
	JSONNumber JSONKind = JSONKind(kindNumber)
	JSONBool   JSONKind = JSONKind(kindBool)
	JSONNull   JSONKind = JSONKind(kindNull)
)

func (k JSONKind) String() string { return kind(k).String() }

// A JSONValue is one parsed JSON value and where it stands in the source.
// Offsets are bytes into the parsed input, [Start, End); for a string they
// include the quotes.
type JSONValue struct {
	Kind       JSONKind
	Start, End int
	Str        string       // decoded text of a string
	Members    []JSONMember // object members, in source order
	Elems      []*JSONValue // array elements, in source order

	v *value // the scanned value, for the edit helpers
}

// A JSONMember is one "key": value pair of an object.
//
// KeyStart, KeyEnd span the key literal, quotes included. End is just past
// the ',' that follows the member, or Value.End when no comma follows;
// Comma is the offset of that ',' or -1.
type JSONMember struct {
	Key              string
	KeyStart, KeyEnd int
	Value            *JSONValue
	Comma            int
	Start, End       int
}

// ParseJSON parses src the way the Functions host reads its settings files:
// JSON plus // and /* */ comments and trailing commas, after an optional
// UTF-8 byte order mark. Any top-level value is accepted. path only labels
// errors; a syntax error is a *SyntaxError.
func ParseJSON(path string, src []byte) (*JSONValue, error) {
	v, err := scan(path, src)
	if err != nil {
		return nil, err
	}
	return export(v), nil
}

func export(v *value) *JSONValue {
	out := &JSONValue{Kind: JSONKind(v.kind), Start: v.start, End: v.end, Str: v.str, v: v}
	if len(v.members) > 0 {
		out.Members = make([]JSONMember, len(v.members))
		for i, m := range v.members {
			out.Members[i] = JSONMember{Key: m.key, KeyStart: m.keyStart, KeyEnd: m.keyEnd,
				Value: export(m.val), Comma: m.comma, Start: m.start, End: m.end}
		}
	}
	if len(v.elems) > 0 {
		out.Elems = make([]*JSONValue, len(v.elems))
		for i, e := range v.elems {
			out.Elems[i] = export(e)
		}
	}
	return out
}

// Lookup returns the last member whose key equals key, ignoring case, or nil
// when v is not an object or has no such member; with duplicate keys the
// last one is the one a configuration reader keeps.
func (v *JSONValue) Lookup(key string) *JSONMember {
	if v == nil || v.Kind != JSONObject {
		return nil
	}
	for i := len(v.Members) - 1; i >= 0; i-- {
		if strings.EqualFold(v.Members[i].Key, key) {
			return &v.Members[i]
		}
	}
	return nil
}

// RemoveMembers returns the edits that delete the members of the object v
// whose indexes are listed in idx (in increasing order) from src, the input
// v was parsed from. Members on lines of their own go with their line; the
// commas are fixed up so the object keeps its comma style.
func (v *JSONValue) RemoveMembers(src []byte, idx ...int) []edit.Edit {
	if v == nil || v.Kind != JSONObject || len(idx) == 0 {
		return nil
	}
	return removeMembers(src, v.v, idx)
}
