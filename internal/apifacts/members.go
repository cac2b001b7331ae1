package apifacts

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// The Durable surface copied into members.json: every public type of these
// namespaces, plus the Durable worker extension's types that live in the
// worker's own namespace. TaskEntityDispatcher is among the catalogue's
// isolated.types (durable extension, src/Worker.Extensions.DurableTask/
// TaskEntityDispatcher.cs), so it is checked like the rest rather than
// written out by hand.
var (
	durableNamespaces = []string{
		"Microsoft.DurableTask",
		"Microsoft.DurableTask.Client",
		"Microsoft.DurableTask.Client.Entities",
		"Microsoft.DurableTask.Entities",
		"Microsoft.Azure.Functions.Worker.Extensions.DurableTask.Http",
	}
	durableWorkerTypes = []string{
		"Microsoft.Azure.Functions.Worker.DurableTaskClientExtensions",
		"Microsoft.Azure.Functions.Worker.TaskEntityDispatcher",
		"Microsoft.Azure.Functions.Worker.HttpManagementPayload",
	}
)

// A Type is a public isolated type and its public members. Protected and
// internal members are left out: code outside the type cannot use them.
type Type struct {
	Name       string   `json:"name"` // simple name, without type parameters
	Namespace  string   `json:"namespace"`
	Kind       string   `json:"kind"` // class, record, struct, record struct, interface, enum, delegate
	TypeParams int      `json:"typeParams,omitempty"`
	Abstract   bool     `json:"abstract,omitempty"`
	Static     bool     `json:"static,omitempty"`
	Bases      []string `json:"bases,omitempty"` // as written: "EntityMetadata<SerializedData>"
	// Constructors are the public constructors, a record's positional one
	// (the catalogue's primaryConstructor) included. None listed means the
	// implicit parameterless one; the catalogue lists no internal ones.
	Constructors [][]Param  `json:"constructors,omitempty"`
	Methods      []Method   `json:"methods,omitempty"`
	Properties   []Property `json:"properties,omitempty"`
	Fields       []Field    `json:"fields,omitempty"`
	EnumMembers  []string   `json:"enumMembers,omitempty"`

	// Extensions are the extension methods declared for this type (or a
	// base) anywhere in the copy, with the receiver dropped from Params.
	// Types fills it in.
	Extensions []Method `json:"-"`
}

// A Method is a method. An extension method keeps its receiver as Params[0]
// in its declaring type (that is how a static call passes it) and loses it
// in Type.Extensions of the type it extends.
type Method struct {
	Name       string  `json:"name"`
	Params     []Param `json:"params"`
	TypeParams int     `json:"typeParams,omitempty"`
	Static     bool    `json:"static,omitempty"`
	Extends    string  `json:"extends,omitempty"` // an extension method of this type (simple name)
	Returns    string  `json:"returns"`           // as written: "Task<TResult>"

	// Set by Types: where the method is declared. An extension method is in
	// scope only where its namespace is imported.
	DeclaringType string `json:"-"`
	Namespace     string `json:"-"`
}

// A Property is a property. Setter is "set" or "init" when code outside the
// type may assign it (an object initializer may use either), else "".
type Property struct {
	Name   string `json:"name"`
	Type   string `json:"type"` // as written: "ParentOrchestrationInstance?"
	Setter string `json:"setter,omitempty"`
	Static bool   `json:"static,omitempty"`
}

// A Field is a public field or constant; none of the copied ones is writable.
type Field struct {
	Name   string `json:"name"`
	Type   string `json:"type"`
	Static bool   `json:"static,omitempty"` // static or const
}

//go:embed members.json
var membersJSON []byte

// Types returns the isolated Durable types. Each is keyed by TypeKey of its
// name ("TaskOrchestrationContext", "EntityMetadata`1"), or by its full name
// when two copied types share that key (the two DurableTaskClientExtensions
// classes). Inherited members and System.Object's methods are folded in, and
// Extensions is filled in.
func Types() (map[string]Type, error) {
	var list []Type
	if err := json.Unmarshal(membersJSON, &list); err != nil {
		return nil, fmt.Errorf("apifacts: members.json: %v", err)
	}
	return index(list), nil
}

func index(list []Type) map[string]Type {
	count := map[string]int{}
	for _, t := range list {
		count[t.key()]++
	}
	m := map[string]Type{}
	for _, t := range list {
		for i := range t.Methods {
			t.Methods[i].DeclaringType, t.Methods[i].Namespace = t.Name, t.Namespace
		}
		k := t.key()
		if count[k] > 1 {
			k = t.Namespace + "." + k
		}
		m[k] = t
	}
	for _, t := range list {
		for _, x := range t.Methods {
			ext, ok := m[TypeKey(x.Extends)]
			if x.Extends == "" || !ok || len(x.Params) == 0 {
				continue
			}
			x.Params = x.Params[1:]
			ext.Extensions = append(ext.Extensions, x)
			m[TypeKey(x.Extends)] = ext
		}
	}
	done := map[string]bool{}
	var inherit func(k string) Type
	inherit = func(k string) Type {
		t := m[k]
		if done[k] {
			return t
		}
		done[k] = true // also stops a cycle
		for _, b := range t.Bases {
			if _, ok := m[TypeKey(b)]; ok {
				t = t.merge(inherit(TypeKey(b)))
			} else if TypeKey(b) == "Exception" {
				t = t.merge(exceptionType)
			}
			// Other bases outside the copy are interfaces whose members
			// the copied types implement publicly and list themselves.
		}
		if !t.Static {
			t = t.merge(objectType)
		}
		m[k] = t
		return t
	}
	for k := range m {
		inherit(k)
	}
	return m
}

// exceptionType holds the public instance members of System.Exception,
// which TaskFailedException and EntityOperationFailedException derive from
// and worker-api.json (the extensions' own types only) does not list.
var exceptionType = Type{
	Methods: []Method{
		{Name: "GetBaseException", Params: []Param{}, Returns: "Exception"},
		{Name: "GetObjectData", Params: []Param{{Name: "info", Type: "SerializationInfo"}, {Name: "context", Type: "StreamingContext"}}, Returns: "void"},
	},
	Properties: []Property{
		{Name: "Message", Type: "string"},
		{Name: "InnerException", Type: "Exception?"},
		{Name: "StackTrace", Type: "string?"},
		{Name: "Source", Type: "string?", Setter: "set"},
		{Name: "HelpLink", Type: "string?", Setter: "set"},
		{Name: "HResult", Type: "int", Setter: "set"},
		{Name: "Data", Type: "IDictionary"},
		{Name: "TargetSite", Type: "MethodBase?"},
	},
}

// objectType holds what every type inherits from System.Object.
var objectType = Type{Methods: []Method{
	{Name: "ToString", Params: []Param{}, Returns: "string"},
	{Name: "Equals", Params: []Param{{Name: "obj"}}, Returns: "bool"},
	{Name: "GetHashCode", Params: []Param{}, Returns: "int"},
	{Name: "GetType", Params: []Param{}, Returns: "Type"},
}}

// merge adds base's members that t does not declare itself. The shared
// catalogue already lists inherited members of some types; those are not
// added twice.
func (t Type) merge(base Type) Type {
	sig := func(x Method) string {
		var b strings.Builder
		fmt.Fprintf(&b, "%s`%d(", x.Name, x.TypeParams)
		for _, p := range x.Params {
			b.WriteString(p.Name + ",")
		}
		return b.String()
	}
	have := map[string]bool{}
	for _, x := range t.Methods {
		have[sig(x)] = true
	}
	t.Methods = slices.Clone(t.Methods)
	for _, x := range base.Methods {
		if !have[sig(x)] {
			t.Methods = append(t.Methods, x)
		}
	}
	have = map[string]bool{}
	for _, x := range t.Extensions {
		have[sig(x)] = true
	}
	t.Extensions = slices.Clone(t.Extensions)
	for _, x := range base.Extensions {
		if !have[sig(x)] {
			t.Extensions = append(t.Extensions, x)
		}
	}
	t.Properties = slices.Clone(t.Properties)
	for _, p := range base.Properties {
		if _, ok := t.Property(p.Name); !ok {
			t.Properties = append(t.Properties, p)
		}
	}
	t.Fields = slices.Clone(t.Fields)
	for _, f := range base.Fields {
		if !slices.ContainsFunc(t.Fields, func(g Field) bool { return g.Name == f.Name }) {
			t.Fields = append(t.Fields, f)
		}
	}
	return t
}

func (t Type) key() string {
	if t.TypeParams > 0 {
		return fmt.Sprintf("%s`%d", t.Name, t.TypeParams)
	}
	return t.Name
}

// HasMember reports whether name is a method (extension methods included),
// property, field or enum member of t.
func (t Type) HasMember(name string) bool {
	if len(t.Method(name)) > 0 || slices.Contains(t.EnumMembers, name) {
		return true
	}
	if _, ok := t.Property(name); ok {
		return true
	}
	return slices.ContainsFunc(t.Fields, func(f Field) bool { return f.Name == name })
}

// Method returns the overloads called name: t's methods, then the
// extension methods for t.
func (t Type) Method(name string) []Method {
	var out []Method
	for _, m := range t.Methods {
		if m.Name == name {
			out = append(out, m)
		}
	}
	for _, m := range t.Extensions {
		if m.Name == name {
			out = append(out, m)
		}
	}
	return out
}

// Property returns the property called name.
func (t Type) Property(name string) (Property, bool) {
	for _, p := range t.Properties {
		if p.Name == name {
			return p, true
		}
	}
	return Property{}, false
}

// Settable reports whether an object initializer may assign prop.
func (t Type) Settable(prop string) bool {
	p, ok := t.Property(prop)
	return ok && p.Setter != "" && !p.Static
}

// FitsCall reports whether x.name(args) fits an instance method or an
// extension method of t: nargs arguments, of which the named ones (which C#
// places after the positional ones) carry the labels in named. Type
// arguments are not considered; see Method.Fits.
func (t Type) FitsCall(name string, nargs int, named []string) bool {
	for _, m := range t.Methods {
		if m.Name == name && !m.Static && m.Fits(0, nargs, named) {
			return true
		}
	}
	for _, m := range t.Extensions {
		if m.Name == name && m.Fits(0, nargs, named) {
			return true
		}
	}
	return false
}

// FitsStaticCall reports whether T.name(args) fits a static method of t.
func (t Type) FitsStaticCall(name string, nargs int, named []string) bool {
	for _, m := range t.Methods {
		if m.Name == name && m.Static && m.Fits(0, nargs, named) {
			return true
		}
	}
	return false
}

// Constructible reports whether `new T(…)` can create a t at all.
func (t Type) Constructible() bool {
	switch t.Kind {
	case "interface", "enum", "delegate":
		return false
	}
	return !t.Abstract && !t.Static
}

// FitsConstructor reports whether `new T(args)` fits a constructor of t.
// Structs always have a parameterless constructor, and so does a class or
// record that declares none.
func (t Type) FitsConstructor(nargs int, named []string) bool {
	if !t.Constructible() {
		return false
	}
	if nargs == 0 && (len(t.Constructors) == 0 || strings.HasSuffix(t.Kind, "struct")) {
		return true
	}
	for _, c := range t.Constructors {
		if _, ok := bind(c, nargs, named); ok {
			return true
		}
	}
	return false
}

// Fits reports whether a call with typeArgs explicit type arguments (0
// when none are written), nargs arguments and the labels named binds to m.
// Without type arguments a generic method needs an argument to infer them
// from (GetInput<T>() cannot be called as GetInput()).
func (m Method) Fits(typeArgs, nargs int, named []string) bool {
	if typeArgs > 0 && typeArgs != m.TypeParams {
		return false
	}
	bound, ok := bind(m.Params, nargs, named)
	if !ok {
		return false
	}
	if typeArgs == 0 && m.TypeParams > 0 {
		for i, p := range m.Params {
			if p.Generic && bound[i] {
				return true
			}
		}
		return false
	}
	return true
}

// bind binds nargs arguments, the last len(named) of them labelled, to
// params the way C# does, and reports which parameters received one.
func bind(params []Param, nargs int, named []string) ([]bool, bool) {
	pos := nargs - len(named)
	if pos < 0 {
		return nil, false
	}
	bound := make([]bool, len(params))
	for k := 0; k < pos; k++ {
		if k >= len(params) {
			return nil, false
		}
		bound[k] = true
		if params[k].Params {
			break // a params array takes the remaining positional arguments
		}
	}
	for _, label := range named {
		label = strings.TrimPrefix(label, "@")
		j := slices.IndexFunc(params, func(p Param) bool { return strings.TrimPrefix(p.Name, "@") == label })
		if j < 0 || bound[j] {
			return nil, false
		}
		bound[j] = true
	}
	for i, p := range params {
		if !bound[i] && !p.Optional && !p.Params {
			return nil, false
		}
	}
	return bound, true
}

// SplitGeneric splits a type as written into its name and top-level type
// arguments: "Task<EntityMetadata<T>?>" gives "Task", ["EntityMetadata<T>?"].
// A trailing nullable mark and "global::" are dropped.
func SplitGeneric(written string) (name string, args []string) {
	s := strings.TrimSuffix(strings.TrimSpace(written), "?")
	s = strings.TrimPrefix(s, "global::")
	i := strings.IndexByte(s, '<')
	if i < 0 || !strings.HasSuffix(s, ">") {
		return s, nil
	}
	name, inner := s[:i], s[i+1:len(s)-1]
	depth, start := 0, 0
	for j, c := range inner {
		switch c {
		case '<', '(', '[':
			depth++
		case '>', ')', ']':
			depth--
		case ',':
			if depth == 0 {
				args = append(args, strings.TrimSpace(inner[start:j]))
				start = j + 1
			}
		}
	}
	return name, append(args, strings.TrimSpace(inner[start:]))
}

// TypeKey returns the Types key for a type as written: the simple name,
// with `N appended for N type arguments ("EntityMetadata<int>?" gives
// "EntityMetadata`1").
func TypeKey(written string) string {
	name, args := SplitGeneric(written)
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		name = name[i+1:]
	}
	if len(args) > 0 {
		return fmt.Sprintf("%s`%d", name, len(args))
	}
	return name
}

// ExtractTypes builds the Durable type list from the shared worker-api.json
// bytes: the types of the Durable namespaces (isolated.types), plus the
// declaring types of the extension methods isolated.extensionMethodsByExtendedType
// lists for them.
func ExtractTypes(workerAPI []byte) ([]Type, error) {
	type rawParam struct {
		Name      string   `json:"name"`
		Type      string   `json:"type"`
		Default   *string  `json:"default"`
		Modifiers []string `json:"modifiers"`
	}
	type rawMember struct {
		Kind           string     `json:"kind"`
		Name           string     `json:"name"`
		Access         string     `json:"access"`
		Modifiers      []string   `json:"modifiers"`
		Parameters     []rawParam `json:"parameters"`
		TypeParameters string     `json:"typeParameters"`
		Type           string     `json:"type"`
		ReturnType     string     `json:"returnType"`
		Settable       bool       `json:"settable"`
		Setter         string     `json:"setter"`
		ExtensionOf    string     `json:"extensionOf"`
	}
	type rawType struct {
		Name               string      `json:"name"`
		Namespace          string      `json:"namespace"`
		FullName           string      `json:"fullName"`
		Kind               string      `json:"kind"`
		Modifiers          []string    `json:"modifiers"`
		TypeParameters     string      `json:"typeParameters"`
		Bases              []string    `json:"bases"`
		PrimaryConstructor []rawParam  `json:"primaryConstructor"`
		Members            []rawMember `json:"members"`
	}
	var doc struct {
		Isolated struct {
			Types      []rawType `json:"types"`
			Extensions map[string][]struct {
				Method        string `json:"method"`
				DeclaringType string `json:"declaringType"`
			} `json:"extensionMethodsByExtendedType"`
		} `json:"isolated"`
	}
	if err := json.Unmarshal(workerAPI, &doc); err != nil {
		return nil, err
	}
	want := map[string]bool{}
	names := map[string]bool{}
	for _, t := range doc.Isolated.Types {
		if slices.Contains(durableNamespaces, t.Namespace) || slices.Contains(durableWorkerTypes, t.FullName) {
			want[t.FullName] = true
			names[t.Name] = true
		}
	}
	// An extension method for a copied type is part of its surface wherever
	// it is declared.
	for extended, list := range doc.Isolated.Extensions {
		if !names[extended] {
			continue
		}
		for _, e := range list {
			want[e.DeclaringType] = true
		}
	}
	params := func(raw []rawParam, typeParams []string) []Param {
		out := []Param{}
		for _, p := range raw {
			out = append(out, Param{Name: p.Name, Type: p.Type, Optional: p.Default != nil, Params: slices.Contains(p.Modifiers, "params"),
				Generic: mentionsAny(p.Type, typeParams)})
		}
		return out
	}
	var out []Type
	found := map[string]bool{}
	for _, rt := range doc.Isolated.Types {
		if !want[rt.FullName] {
			continue
		}
		found[rt.FullName] = true
		t := Type{Name: rt.Name, Namespace: rt.Namespace, Kind: rt.Kind, Bases: rt.Bases,
			TypeParams: len(typeParamNames(rt.TypeParameters)),
			Abstract:   slices.Contains(rt.Modifiers, "abstract"), Static: slices.Contains(rt.Modifiers, "static")}
		if t.Kind == "record" && slices.Contains(rt.Modifiers, "readonly") {
			t.Kind = "record struct" // only a record struct can be readonly
		}
		if rt.PrimaryConstructor != nil {
			t.Constructors = append(t.Constructors, params(rt.PrimaryConstructor, nil))
		}
		for _, m := range rt.Members {
			if m.Access != "" && m.Access != "public" {
				continue
			}
			static := slices.Contains(m.Modifiers, "static") || slices.Contains(m.Modifiers, "const")
			switch m.Kind {
			case "constructor":
				t.Constructors = append(t.Constructors, params(m.Parameters, nil))
			case "method":
				tp := typeParamNames(m.TypeParameters)
				t.Methods = append(t.Methods, Method{Name: m.Name, Params: params(m.Parameters, tp), TypeParams: len(tp),
					Static: static, Extends: m.ExtensionOf, Returns: m.ReturnType})
			case "property":
				p := Property{Name: m.Name, Type: m.Type, Static: static}
				if m.Settable {
					if m.Setter != "set" && m.Setter != "init" {
						return nil, fmt.Errorf("%s.%s: settable with setter %q", rt.FullName, m.Name, m.Setter)
					}
					p.Setter = m.Setter
				}
				t.Properties = append(t.Properties, p)
			case "field":
				t.Fields = append(t.Fields, Field{Name: m.Name, Type: m.Type, Static: static})
			case "enum_member":
				t.EnumMembers = append(t.EnumMembers, m.Name)
			}
		}
		// A positional record's parameters are also public init properties.
		if strings.HasPrefix(t.Kind, "record") {
			for _, p := range rt.PrimaryConstructor {
				if _, ok := t.Property(p.Name); !ok {
					t.Properties = append(t.Properties, Property{Name: p.Name, Type: p.Type, Setter: "init"})
				}
			}
		}
		out = append(out, t)
	}
	for fullName := range want {
		if !found[fullName] {
			return nil, fmt.Errorf("extension methods are declared in %s, which isolated.types lacks", fullName)
		}
	}
	// Every listed extension method must have come through with its type.
	for extended, list := range doc.Isolated.Extensions {
		for _, e := range list {
			if names[extended] && !slices.ContainsFunc(out, func(t Type) bool {
				return t.Namespace+"."+t.Name == e.DeclaringType && slices.ContainsFunc(t.Methods, func(m Method) bool { return m.Name == e.Method && m.Extends == extended })
			}) {
				return nil, fmt.Errorf("extension method %s.%s for %s not found in isolated.types", e.DeclaringType, e.Method, extended)
			}
		}
	}
	return out, nil
}

// typeParamNames splits "<TInput, TOutput>" into its names.
func typeParamNames(s string) []string {
	s = strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(s), "<"), ">")
	var out []string
	for _, n := range strings.Split(s, ",") {
		if n = strings.TrimSpace(n); n != "" {
			out = append(out, n)
		}
	}
	return out
}

var identRE = regexp.MustCompile(`[A-Za-z_][A-Za-z0-9_]*`)

// mentionsAny reports whether a type as written names one of typeParams.
func mentionsAny(typ string, typeParams []string) bool {
	for _, id := range identRE.FindAllString(typ, -1) {
		if slices.Contains(typeParams, id) {
			return true
		}
	}
	return false
}

// EncodeTypes writes the list as members.json: one type per block, one
// member per line, so a regenerated copy diffs line by line.
func EncodeTypes(types []Type) []byte {
	var b bytes.Buffer
	marshal := func(v any) []byte {
		var j bytes.Buffer
		enc := json.NewEncoder(&j)
		enc.SetEscapeHTML(false) // keep Task<T> readable
		if err := enc.Encode(v); err != nil {
			panic(err) // plain structs of strings, bools and ints
		}
		return bytes.TrimSuffix(j.Bytes(), []byte("\n"))
	}
	line := func(indent string, v any) {
		b.WriteString(indent)
		b.Write(marshal(v))
	}
	b.WriteString("[\n")
	for i, t := range types {
		head := t
		head.Constructors, head.Methods, head.Properties, head.Fields, head.EnumMembers = nil, nil, nil, nil, nil
		h := marshal(head)
		b.WriteString(" ")
		b.Write(h[:len(h)-1])
		list := func(key string, n int, elem func(int) any) {
			if n == 0 {
				return
			}
			fmt.Fprintf(&b, ",\n  %q: [\n", key)
			for j := 0; j < n; j++ {
				line("   ", elem(j))
				if j < n-1 {
					b.WriteString(",")
				}
				b.WriteString("\n")
			}
			b.WriteString("  ]")
		}
		list("constructors", len(t.Constructors), func(j int) any { return t.Constructors[j] })
		list("methods", len(t.Methods), func(j int) any { return t.Methods[j] })
		list("properties", len(t.Properties), func(j int) any { return t.Properties[j] })
		list("fields", len(t.Fields), func(j int) any { return t.Fields[j] })
		if len(t.EnumMembers) > 0 {
			b.WriteString(",\n  \"enumMembers\": ")
			line("", t.EnumMembers)
		}
		b.WriteString("\n }")
		if i < len(types)-1 {
			b.WriteString(",")
		}
		b.WriteString("\n")
	}
	b.WriteString("]\n")
	return b.Bytes()
}
