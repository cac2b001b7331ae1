// Package apifacts gives tests the isolated worker's real API surface,
// extracted from ../shared/worker-api.json so tests run on any clone: the
// attributes (attributes.json) and the Durable types' members (members.json).
// TestCopyMatchesShared keeps the copies honest where the shared catalogue is
// present; -update rewrites them.
package apifacts

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// An Attribute is an isolated attribute: usage name, namespace, its
// constructors' parameter lists and its settable (named) properties.
type Attribute struct {
	Name         string    `json:"name"`
	Namespace    string    `json:"namespace"`
	Package      string    `json:"package"`
	Targets      string    `json:"targets"`
	Constructors [][]Param `json:"constructors"`
	Settable     []string  `json:"settable"`
}

// A Param is a constructor or method parameter.
type Param struct {
	Name     string `json:"name"`
	Type     string `json:"type,omitempty"`     // as written (members.json only): "Func<TaskEntityOperation, ValueTask<object?>>"
	Optional bool   `json:"optional,omitempty"` // has a default value
	Params   bool   `json:"params,omitempty"`   // a params array: any number of trailing arguments
	Generic  bool   `json:"generic,omitempty"`  // its type names a type parameter of the method, so an argument lets C# infer it
}

// Fits reports whether n positional arguments fit one of the constructors.
func (a Attribute) Fits(n int) bool {
	for _, c := range a.Constructors {
		min, max := 0, 0
		for _, p := range c {
			switch {
			case p.Params:
				max = 1 << 30
			case p.Optional:
				max++
			default:
				min++
				max++
			}
		}
		if n >= min && n <= max {
			return true
		}
	}
	return false
}

// HasParam reports whether some constructor has a parameter called name
// (so `name: value` is a valid argument label).
func (a Attribute) HasParam(name string) bool {
	name = strings.TrimPrefix(name, "@")
	for _, c := range a.Constructors {
		for _, p := range c {
			if strings.TrimPrefix(p.Name, "@") == name {
				return true
			}
		}
	}
	return false
}

//go:embed attributes.json
var attributesJSON []byte

// Attributes returns the isolated attributes by usage name ("QueueOutput").
func Attributes() (map[string]Attribute, error) {
	var list []Attribute
	if err := json.Unmarshal(attributesJSON, &list); err != nil {
		return nil, fmt.Errorf("apifacts: attributes.json: %v", err)
	}
	m := map[string]Attribute{}
	for _, a := range list {
		m[a.Name] = a
	}
	return m, nil
}

// Extract builds the attribute list from the shared worker-api.json bytes.
func Extract(workerAPI []byte) ([]Attribute, error) {
	var doc struct {
		Isolated struct {
			Attributes []struct {
				UsageName      string `json:"usageName"`
				Namespace      string `json:"namespace"`
				Package        string `json:"package"`
				AttributeUsage string `json:"attributeUsage"`
				Constructors   []struct {
					Parameters []struct {
						Name      string   `json:"name"`
						Default   *string  `json:"default"`
						Modifiers []string `json:"modifiers"`
					} `json:"parameters"`
					Signature string `json:"signature"`
				} `json:"constructors"`
				SettableProperties []string `json:"settableProperties"`
			} `json:"attributes"`
		} `json:"isolated"`
	}
	if err := json.Unmarshal(workerAPI, &doc); err != nil {
		return nil, err
	}
	var out []Attribute
	for _, a := range doc.Isolated.Attributes {
		x := Attribute{Name: a.UsageName, Namespace: a.Namespace, Package: a.Package, Targets: a.AttributeUsage, Settable: a.SettableProperties}
		if x.Settable == nil {
			x.Settable = []string{}
		}
		for _, c := range a.Constructors {
			params := []Param{}
			for _, p := range c.Parameters {
				params = append(params, Param{Name: p.Name, Optional: p.Default != nil, Params: slices.Contains(p.Modifiers, "params")})
			}
			x.Constructors = append(x.Constructors, params)
		}
		out = append(out, x)
	}
	return out, nil
}
