// Package apifacts gives tests the isolated worker's real attribute surface,
// extracted from ../shared/worker-api.json into attributes.json so tests run
// on any clone. TestCopyMatchesShared keeps the copy honest where the shared
// catalogue is present; -update rewrites it.
package apifacts

import (
	_ "embed"
	"encoding/json"
	"fmt"
)

// An Attribute is an isolated attribute: usage name, namespace, its
// constructors' parameter lists and its settable (named) properties.
type Attribute struct {
	Name         string     `json:"name"`
	Namespace    string     `json:"namespace"`
	Package      string     `json:"package"`
	Targets      string     `json:"targets"`
	Constructors [][]string `json:"constructors"` // parameter names; a trailing "params" parameter is prefixed with "params "
	Settable     []string   `json:"settable"`
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
						Name   string `json:"name"`
						Type   string `json:"type"`
						Params bool   `json:"params"`
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
			params := []string{}
			for _, p := range c.Parameters {
				params = append(params, p.Name)
			}
			x.Constructors = append(x.Constructors, params)
		}
		out = append(out, x)
	}
	return out, nil
}
