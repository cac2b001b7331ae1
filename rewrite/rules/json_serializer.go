package rules

import (
	"strings"

	sitter "github.com/tree-sitter/go-tree-sitter"

	"github.com/funcmigrate/funcmigrate/rewrite"
	"github.com/funcmigrate/funcmigrate/rewrite/cs"
)

// JSONSerializer reports what the switch from Newtonsoft.Json to
// System.Text.Json changes in payloads (MAPPING.md §4.9).
var JSONSerializer = &rewrite.Rule{
	Name: "cs-json-serializer",
	Doc: `report Newtonsoft.Json features that bindings and HTTP bodies stop honouring

The in-process host (de)serialized binding payloads and IActionResult bodies
with Newtonsoft.Json; the isolated worker uses System.Text.Json for bindings
and HttpRequestData/HttpResponseData, and ASP.NET Core integration formats
results with System.Text.Json too. On every type of the project that crosses
a binding or HTTP boundary (Facts.BoundTypes: parameter and return types of
bindings, request bodies read as T, values handed to result objects, and the
types of their members), each Newtonsoft.Json attribute on the type or its
members is reported with a TODO marker, with what System.Text.Json does
instead and the attribute to use; for a renamed property the exact
[JsonPropertyName] is given. JObject, JToken and JArray binding parameters and
return values are reported, as are assignments to JsonConvert.DefaultSettings,
which bindings no longer read. Attributes that could be System.Text.Json's
own (JsonIgnore, JsonConverter and the like, when the file imports
System.Text.Json.Serialization) and types no binding uses are left alone.
Nothing is rewritten: keeping Newtonsoft through WorkerOptions.Serializer is a
valid choice the tool cannot make for you.`,
	Ref: "MAPPING.md §4.9, §8 item 18",
	URL: "https://learn.microsoft.com/azure/azure-functions/dotnet-isolated-process-guide",
	Run: runJSONSerializer,
}

// keepNewtonsoft is the alternative every finding offers (MAPPING.md §4.9).
const keepNewtonsoft = "or keep Newtonsoft for the worker with WorkerOptions.Serializer = new NewtonsoftJsonObjectSerializer() (package Microsoft.Azure.Core.NewtonsoftJson) and, for IActionResult bodies, AddMvc().AddNewtonsoftJson()"

// newtonsoftOnly are Newtonsoft.Json attributes with no System.Text.Json
// namesake; shared names (JsonIgnore, JsonConverter, ...) exist in both.
var newtonsoftOnly = map[string]bool{"JsonProperty": true, "JsonObject": true, "JsonArray": true, "JsonDictionary": true}

var newtonsoftShared = map[string]bool{"JsonIgnore": true, "JsonConverter": true, "JsonRequired": true, "JsonExtensionData": true, "JsonConstructor": true}

// jsonCheck is one run of the rule over a file.
type jsonCheck struct {
	p      *rewrite.Pass
	f      *cs.File
	marked map[int]bool // lines that already carry this rule's TODO marker
}

func runJSONSerializer(p *rewrite.Pass) {
	j := &jsonCheck{p: p, f: p.File, marked: map[int]bool{}}
	j.attributes()
	j.jsonDOMBindings()
	j.defaultSettings()
}

// report puts one TODO marker per line: two markers above the same line
// would not be recognised as already there on a second run.
func (j *jsonCheck) report(off int, message, action string) {
	line := j.f.Line(off)
	j.p.Report(off, !j.marked[line], message, action)
	j.marked[line] = true
}

// attributes reports Newtonsoft.Json attributes on bound types and their members.
func (j *jsonCheck) attributes() {
	bound := j.p.Facts.BoundTypes
	if len(bound) == 0 {
		return
	}
	m := j.p.Model
	newtonsoft, stj := hasUsing(m, "Newtonsoft.Json"), hasUsing(m, "System.Text.Json.Serialization")
	for _, a := range m.Attributes {
		isDataMember := a.Name == "DataMember"
		if !isDataMember && !j.isNewtonsoft(a, newtonsoft, stj) {
			continue
		}
		decl, member := attributeOwner(j.p.Model, a)
		if decl == nil || decl.ChildByFieldName("name") == nil {
			continue
		}
		typeName := j.f.Text(decl.ChildByFieldName("name"))
		boundary, ok := bound[typeName]
		if !ok {
			continue
		}
		if isDataMember && !hasAttribute(m, decl, "DataContract") {
			continue // Newtonsoft reads [DataMember] only on [DataContract] types
		}
		what, action := j.attributeChange(a, member, typeName)
		if what == "" {
			continue
		}
		j.report(int(a.Node.StartByte()),
			typeName+" crosses "+boundary+", now (de)serialized with System.Text.Json: "+what,
			action+", "+keepNewtonsoft+" (MAPPING.md §4.9)")
	}
}

// isNewtonsoft reports whether a names a Newtonsoft.Json attribute: written
// with the namespace (or an alias of it), or unqualified in a file that
// imports Newtonsoft.Json and, for names System.Text.Json shares, not
// System.Text.Json.Serialization too.
func (j *jsonCheck) isNewtonsoft(a *cs.Attribute, newtonsoft, stj bool) bool {
	if !newtonsoftOnly[a.Name] && !newtonsoftShared[a.Name] {
		return false
	}
	if a.Qualifier != "" {
		q := strings.TrimPrefix(a.Qualifier, "global::")
		if q == "Newtonsoft.Json" {
			return true
		}
		for _, u := range j.p.Model.Usings {
			if u.Alias != "" && u.Alias == q && u.Name == "Newtonsoft.Json" {
				return true
			}
		}
		return false
	}
	if !newtonsoft {
		return false
	}
	return newtonsoftOnly[a.Name] || !stj
}

// attributeOwner returns the type declaration an attribute belongs to,
// directly or through one of its members, and that member's name ("" for
// the type itself). Attributes elsewhere (on methods' parameters, accessors,
// local functions) return nil.
func attributeOwner(m *cs.Model, a *cs.Attribute) (decl *sitter.Node, member string) {
	f := m.File
	holder := m.Parent(a.List)
	if holder == nil {
		return nil, ""
	}
	if isTypeDecl(holder.Kind()) {
		return holder, ""
	}
	par := m.Parent(holder)
	if par == nil {
		return nil, ""
	}
	owner := m.Parent(par)
	switch {
	case par.Kind() == "declaration_list" && owner != nil && isTypeDecl(owner.Kind()):
		return owner, memberName(f, holder)
	case holder.Kind() == "parameter" && par.Kind() == "parameter_list" && owner != nil && isTypeDecl(owner.Kind()):
		// A primary constructor parameter: a record's property.
		if n := holder.ChildByFieldName("name"); n != nil {
			return owner, f.Text(n)
		}
	}
	return nil, ""
}

func isTypeDecl(kind string) bool {
	return kind == "class_declaration" || kind == "record_declaration" || kind == "struct_declaration"
}

// memberName is the name of a property, method or constructor, or the
// first variable of a field declaration.
func memberName(f *cs.File, mem *sitter.Node) string {
	if n := mem.ChildByFieldName("name"); n != nil {
		return f.Text(n)
	}
	var name string
	walkNodes(mem, func(n *sitter.Node) {
		if name == "" && n.Kind() == "variable_declarator" {
			if id := n.ChildByFieldName("name"); id != nil {
				name = f.Text(id)
			}
		}
	})
	return name
}

func walkNodes(n *sitter.Node, visit func(*sitter.Node)) {
	visit(n)
	for i := uint(0); i < n.NamedChildCount(); i++ {
		walkNodes(n.NamedChild(i), visit)
	}
}

// hasAttribute reports whether declaration decl itself carries [name].
func hasAttribute(m *cs.Model, decl *sitter.Node, name string) bool {
	for _, a := range attrsOn(m, decl) {
		if a.Name == name {
			return true
		}
	}
	return false
}

// attributeChange says what System.Text.Json does instead of a Newtonsoft
// attribute, and what to write for it.
func (j *jsonCheck) attributeChange(a *cs.Attribute, member, typeName string) (what, action string) {
	f := j.f
	on := member
	if on == "" {
		on = typeName
	}
	written := "[" + strings.Join(strings.Fields(f.Text(a.Node)), " ") + "]"
	switch a.Name {
	case "JsonProperty", "DataMember":
		name := jsonName(f, a)
		if name == "" {
			if a.Name == "DataMember" {
				return "", "" // no rename: System.Text.Json serializes the member anyway
			}
			return "it ignores Newtonsoft's " + written + " on " + on + ", so its settings (and, on a non-public member, its inclusion) no longer apply",
				"express each setting with its System.Text.Json.Serialization attribute ([JsonPropertyName], [JsonRequired], [JsonInclude], [JsonIgnore(Condition = ...)])"
		}
		owner := "Newtonsoft's "
		if a.Name == "DataMember" {
			owner = "" // DataMember is System.Runtime.Serialization's, which Newtonsoft.Json honoured
		}
		what = "it ignores " + owner + written + ", so " + on + " goes by its C# name (matched case-insensitively on read) and \"" + name + "\" no longer maps to it"
		if len(a.Args) > 1 {
			what += "; the attribute's other settings no longer apply either"
		}
		keep := ""
		if a.Name == "JsonProperty" {
			keep = " (keep both attributes while both serializers are in use)"
		}
		target := "" // a record parameter's [property: ...] stays on the property
		if a.Target != "" {
			target = a.Target + ": "
		}
		return what, "use [" + target + "JsonPropertyName(\"" + name + "\")] from System.Text.Json.Serialization" + keep
	case "JsonIgnore":
		return "it does not see Newtonsoft's " + written + ", so " + on + " is serialized and bound again",
			"add [System.Text.Json.Serialization.JsonIgnore] (written with its namespace while Newtonsoft.Json is imported: both define JsonIgnore)"
	case "JsonConverter":
		conv := converterType(f, a)
		if conv == "StringEnumConverter" {
			return "it does not run Newtonsoft's StringEnumConverter, so " + on + " is written as a number and names in incoming JSON fail to bind",
				"use [JsonConverter(typeof(JsonStringEnumConverter))] from System.Text.Json.Serialization (written with its namespace while Newtonsoft.Json is imported: both define JsonConverter)"
		}
		if conv == "" {
			conv = "converter"
		}
		return "it does not run Newtonsoft's " + conv + " from " + written + ", so " + on + " takes System.Text.Json's default JSON shape",
			"write a System.Text.Json JsonConverter<T> and apply it with [JsonConverter(typeof(...))] from System.Text.Json.Serialization (written with its namespace while Newtonsoft.Json is imported)"
	case "JsonObject", "JsonArray", "JsonDictionary":
		return "it ignores Newtonsoft's " + written + " on " + on + ", so its member-selection and naming settings no longer apply",
			"express its settings with System.Text.Json.Serialization attributes ([JsonPropertyName], [JsonIgnore], [JsonInclude]) or a JsonNamingPolicy"
	case "JsonRequired":
		return "it ignores Newtonsoft's " + written + ", so a payload without " + on + " no longer fails to deserialize",
			"use [JsonRequired] from System.Text.Json.Serialization (written with its namespace while Newtonsoft.Json is imported)"
	case "JsonExtensionData":
		return "it ignores Newtonsoft's " + written + ", so JSON members " + typeName + " does not declare are no longer collected into " + on,
			"use [JsonExtensionData] from System.Text.Json.Serialization on a Dictionary<string, JsonElement> (or JsonObject) property"
	case "JsonConstructor":
		return "it ignores Newtonsoft's " + written + " and constructs " + typeName + " with its public parameterless constructor when it has one",
			"use [JsonConstructor] from System.Text.Json.Serialization (written with its namespace while Newtonsoft.Json is imported)"
	}
	return "", ""
}

// jsonName returns the JSON name an attribute gives its member: the first
// positional string or PropertyName / Name = "...".
func jsonName(f *cs.File, a *cs.Attribute) string {
	for _, arg := range a.Args {
		positional := arg.Name == "" || (arg.Colon && arg.Name == "propertyName")
		if !(positional || (!arg.Colon && (arg.Name == "PropertyName" || arg.Name == "Name"))) || arg.Value == nil {
			continue
		}
		if a.Name == "DataMember" && positional {
			continue
		}
		if arg.Value.Kind() == "string_literal" {
			return strings.Trim(f.Text(arg.Value), `"`)
		}
	}
	return ""
}

// converterType returns the simple name inside [JsonConverter(typeof(X))].
func converterType(f *cs.File, a *cs.Attribute) string {
	pos := a.Positional()
	if len(pos) == 0 || pos[0].Value == nil || pos[0].Value.Kind() != "typeof_expression" {
		return ""
	}
	if t := pos[0].Value.ChildByFieldName("type"); t != nil {
		return simpleTypeName(f.Text(t))
	}
	return ""
}

// jsonDOMType returns the Newtonsoft DOM type (JObject, JToken, JArray) a
// parameter or return type binds, directly or as an element, or "".
func jsonDOMType(t string) string {
	names := []string{simpleTypeName(t)}
	if g := genericArg(t); g != "" {
		names = append(names, simpleTypeName(g))
	}
	if elem, ok := strings.CutSuffix(strings.TrimSpace(t), "[]"); ok {
		names = append(names, simpleTypeName(elem))
	}
	for _, n := range names {
		switch n {
		case "JObject", "JToken", "JArray":
			return n
		}
	}
	return ""
}

// jsonDOMBindings reports JObject/JToken/JArray parameters and return values
// that a binding fills or sends.
func (j *jsonCheck) jsonDOMBindings() {
	const action = "bind a class of your own, or JsonElement/JsonNode from System.Text.Json, " + keepNewtonsoft + " (MAPPING.md §4.9)"
	f := j.f
	for _, fn := range j.p.Model.Functions {
		name := fn.Name
		if fn.NameAttr != nil {
			if pos := fn.NameAttr.Positional(); len(pos) > 0 && pos[0].Value != nil && pos[0].Value.Kind() == "string_literal" {
				name = strings.Trim(f.Text(pos[0].Value), `"`)
			}
		}
		http := false
		for _, prm := range fn.Params {
			if len(prm.Attrs) == 0 {
				continue
			}
			a := prm.Attrs[0]
			http = http || a.Name == "HttpTrigger"
			dom := jsonDOMType(prm.TypeText)
			if dom == "" || j.reportedElsewhere(a, prm.TypeText) {
				continue
			}
			msg := "the in-process [" + a.Name + "] binding filled " + prm.TypeText + " " + prm.Name + " of function " + name + " with Newtonsoft.Json; the isolated worker binds with System.Text.Json, which does not produce " + dom
			off := int(prm.Node.StartByte())
			if a.Name == "HttpTrigger" {
				// cs-http-trigger already marks this parameter (the body
				// moves to [FromBody]); one marker per line.
				j.p.Report(off, false, msg, action)
				j.marked[f.Line(off)] = true
				continue
			}
			j.report(off, msg, action)
		}
		if fn.ReturnType == nil {
			continue
		}
		rt := f.Text(fn.ReturnType)
		if s := simpleTypeName(rt); s == "Task" || s == "ValueTask" {
			rt = genericArg(rt)
		}
		dom := jsonDOMType(rt)
		if dom == "" {
			continue
		}
		var via *cs.Attribute
		for _, a := range fn.MethodAttrs {
			if a.Target == "return" {
				via = a
			}
		}
		switch {
		case via != nil && j.reportedElsewhere(via, rt):
			continue
		case via != nil:
			j.report(int(fn.ReturnType.StartByte()), "the "+dom+" that function "+name+" returns to its [return: "+via.Name+"] binding is serialized with System.Text.Json in the isolated worker, which does not write the JSON a "+dom+" holds", action)
		case http:
			j.report(int(fn.ReturnType.StartByte()), "the "+dom+" that function "+name+" returns as its HTTP response is serialized with System.Text.Json in the isolated worker, which does not write the JSON a "+dom+" holds", action)
		}
	}
}

// reportedElsewhere reports whether the binding table already flags type t
// on binding a (cs-bindings and cs-outputs report it then).
func (j *jsonCheck) reportedElsewhere(a *cs.Attribute, t string) bool {
	r := bindings.byName[a.Name]
	return r != nil && typeProblem(j.p, r, t) != nil
}

// defaultSettings reports assignments to JsonConvert.DefaultSettings.
func (j *jsonCheck) defaultSettings() {
	f := j.f
	for _, x := range j.p.Model.Named("DefaultSettings") {
		id := x.Node
		access := j.p.Model.Parent(id)
		if access == nil || access.Kind() != "member_access_expression" {
			continue
		}
		if n := access.ChildByFieldName("name"); n == nil || n.Id() != id.Id() {
			continue
		}
		if recv := access.ChildByFieldName("expression"); recv == nil || simpleTypeName(f.Text(recv)) != "JsonConvert" {
			continue
		}
		assign := j.p.Model.Parent(access)
		if assign == nil || assign.Kind() != "assignment_expression" {
			continue
		}
		if left := assign.ChildByFieldName("left"); left == nil || left.Id() != access.Id() {
			continue
		}
		j.report(int(assign.StartByte()),
			"bindings and HTTP bodies no longer read JsonConvert.DefaultSettings: the isolated worker and ASP.NET Core integration serialize them with System.Text.Json (JsonConvert calls in your own code still use these settings)",
			"set the same behaviour on the worker's JsonSerializerOptions (services.Configure<JsonSerializerOptions>) and on ASP.NET Core's JSON options, or pass these settings to Newtonsoft for the worker with WorkerOptions.Serializer = new NewtonsoftJsonObjectSerializer(settings) (package Microsoft.Azure.Core.NewtonsoftJson) and, for IActionResult bodies, AddMvc().AddNewtonsoftJson() (MAPPING.md §4.9)")
	}
}
