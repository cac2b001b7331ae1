package rules

import (
	"regexp"
	"strings"

	sitter "github.com/tree-sitter/go-tree-sitter"

	"github.com/funcmigrate/funcmigrate/rewrite"
	"github.com/funcmigrate/funcmigrate/rewrite/cs"
	"github.com/funcmigrate/funcmigrate/rewrite/edit"
)

// HTTPMessage moves HttpRequestMessage functions to the built-in HTTP model.
var HTTPMessage = &rewrite.Rule{
	Name: "cs-http-message",
	Doc: `move HttpRequestMessage functions to HttpRequestData and HttpResponseData

The isolated worker cannot bind System.Net.Http types. HttpRequestData is
the closest counterpart (it also has CreateResponse, Url, header lookups and
works on .NET Framework), so the trigger parameter becomes HttpRequestData
and an HttpResponseMessage result becomes HttpResponseData. The request's
own uses are rewritten where the worker has the same operation:
CreateResponse(status) stays, CreateResponse(status, value) becomes a call
to a small generated helper that writes the value as JSON (the function
turns async when it was not), Content.ReadAsStringAsync and ReadAsAsync
become the worker's ReadAsStringAsync and ReadFromJsonAsync, RequestUri
becomes Url, Method is wrapped back into an HttpMethod, and the classic
GetQueryNameValuePairs().FirstOrDefault(...) lookup becomes req.Query[name].
new HttpResponseMessage(status) becomes req.CreateResponse(status). Every
other use (typed headers, HttpContent bodies, the request passed on to
helpers, CreateErrorResponse) is left as written and reported at its line;
the request passed to a Durable client's check-status calls is
cs-durable-client's.
HttpRequestMessage objects the function builds for outgoing calls are never
touched.`,
	Ref: "MAPPING.md §4.1",
	URL: "https://learn.microsoft.com/azure/azure-functions/dotnet-isolated-process-guide#built-in-http-model",
	Run: runHTTPMessage,
}

const workerHTTPNamespace = "Microsoft.Azure.Functions.Worker.Http"

func isHTTPRequestMessage(t string) bool {
	t = strings.ReplaceAll(t, " ", "")
	return t == "HttpRequestMessage" || t == "System.Net.Http.HttpRequestMessage"
}

// httpResponseData rewrites HttpResponseMessage inside a type's text.
func httpResponseData(t string) string {
	t = strings.ReplaceAll(t, "System.Net.Http.HttpResponseMessage", "HttpResponseMessage")
	return strings.ReplaceAll(t, "HttpResponseMessage", "HttpResponseData")
}

// The v1 template's query lookup: q => string.Compare(q.Key, "name", true) == 0
// and the case-insensitive equality forms, whitespace removed.
var queryLookup = []*regexp.Regexp{
	regexp.MustCompile(`^(\w+)=>[Ss]tring\.Compare\((\w+)\.Key,("[^"\\]*"),true\)==0$`),
	regexp.MustCompile(`^(\w+)=>[Ss]tring\.Compare\((\w+)\.Key,("[^"\\]*"),(?:System\.)?StringComparison\.(?:Ordinal|InvariantCulture|CurrentCulture)IgnoreCase\)==0$`),
	regexp.MustCompile(`^(\w+)=>[Ss]tring\.Equals\((\w+)\.Key,("[^"\\]*"),(?:System\.)?StringComparison\.(?:Ordinal|InvariantCulture|CurrentCulture)IgnoreCase\)$`),
}

// httpMessageFn collects one function's edits and what they need.
type httpMessageFn struct {
	p         *rewrite.Pass
	fn        *cs.Function
	req       *cs.Param
	edits     []edit.Edit
	helper    bool // uses the generated JSON response helper
	json      bool // JSON now goes through the worker's serializer
	responses map[string]bool
}

func runHTTPMessage(p *rewrite.Pass) {
	helpers := map[*cs.Class]string{}
	for _, fn := range p.Model.Functions {
		var req *cs.Param
		for _, prm := range fn.Params {
			for _, a := range prm.Attrs {
				if a.Name == "HttpTrigger" {
					req = prm
				}
			}
		}
		if req == nil {
			continue
		}
		if !isHTTPRequestMessage(req.TypeText) {
			if fn.ReturnType != nil && strings.Contains(p.File.Text(fn.ReturnType), "HttpResponseMessage") {
				p.Report(int(fn.ReturnType.StartByte()), true,
					"HttpResponseMessage results are not supported by the isolated worker",
					"return IActionResult (ASP.NET Core integration) or HttpResponseData (MAPPING.md §4.1)")
			}
			continue
		}
		if fn.Class != nil {
			if _, ok := helpers[fn.Class]; !ok {
				helpers[fn.Class] = freeMemberName(fn.Class, "CreateJsonResponseAsync", "CreateJsonResponseAsync2")
			}
		}
		h := &httpMessageFn{p: p, fn: fn, req: req, responses: map[string]bool{}}
		h.migrate(helpers[fn.Class])
	}
}

func (h *httpMessageFn) report(n *sitter.Node, why, do string) {
	h.p.Report(int(n.StartByte()), true, why, do+" (MAPPING.md §4.1)")
}

func (h *httpMessageFn) migrate(helperName string) {
	f, fn, req := h.p.File, h.fn, h.req
	h.edits = append(h.edits, replace(req.Type, "HttpRequestData"))
	if fn.Body != nil {
		h.collectResponses()
		for _, id := range fn.BodyIdents {
			switch name := f.Text(id); {
			case name == req.Name && isVariableUse(h.p.Model, id):
				h.requestUse(id, helperName)
			case name == "HttpResponseMessage":
				h.responseType(id)
			case h.responses[name] && isVariableUse(h.p.Model, id):
				h.responseUse(id)
			}
		}
	}

	// The return type, and async when a JSON body must now be written.
	rt := ""
	if fn.ReturnType != nil {
		rt = f.Text(fn.ReturnType)
	}
	newRT := httpResponseData(rt)
	async := fn.Async
	if h.helper && !fn.Async {
		switch {
		case hasOutParam(fn) || fn.Body == nil || simpleTypeName(rt) == "Task" || simpleTypeName(rt) == "ValueTask":
			h.p.Report(int(fn.Node.StartByte()), true,
				"writing a JSON body to HttpResponseData is asynchronous, and this function cannot simply become async",
				"make the function async and await WriteAsJsonAsync on the response, or write the body with WriteString (MAPPING.md §4.1)")
			return
		default:
			newRT = "Task<" + newRT + ">"
			async = true
			h.edits = append(h.edits, insertAt(int(fn.ReturnType.StartByte()), "async "))
		}
	}
	if newRT != rt && !hasRestructuredOutputs(f, fn) {
		h.edits = append(h.edits, replace(fn.ReturnType, newRT))
	}
	if async && !fn.Async || h.helper {
		h.edits = append(h.edits, h.using("System.Threading.Tasks")...)
	}
	h.edits = append(h.edits, h.using(workerHTTPNamespace)...)
	if h.helper && fn.Class != nil && fn.Class.Body != nil {
		h.edits = append(h.edits, h.using("System.Net")...)
		h.edits = append(h.edits, h.helperMethod(helperName))
	}
	if h.json {
		h.p.Note(int(fn.Node.StartByte()), "request and response JSON now goes through the worker's serializer (System.Text.Json by default) instead of Newtonsoft.Json: check [JsonProperty] names, casing and converters (MAPPING.md §4.9)")
	}
	h.p.Fix("Move "+fn.Name+" to HttpRequestData and HttpResponseData", h.edits...)
}

// using imports ns unless the file does; every function asks, and the
// identical insertions collapse into one.
func (h *httpMessageFn) using(ns string) []edit.Edit {
	if hasUsing(h.p.Model, ns) {
		return nil
	}
	return []edit.Edit{insertUsingLine(h.p.File, h.p.Model, ns)}
}

// requestUse rewrites or reports one use of the request variable.
func (h *httpMessageFn) requestUse(id *sitter.Node, helperName string) {
	m := h.p.Model
	f, req := h.p.File, h.req.Name
	member := m.Parent(id)
	if member.Kind() != "member_access_expression" || member.ChildByFieldName("expression").Id() != id.Id() {
		if durableCheckStatusRequest(f, m, id) {
			return // cs-durable-client rewrites or reports that call
		}
		h.report(id, req+" is passed on as an HttpRequestMessage, which the isolated worker does not bind",
			"change what receives it to take HttpRequestData, or pass only what it reads from the request")
		return
	}
	name := f.Text(member.ChildByFieldName("name"))
	if i := strings.IndexByte(name, '<'); i >= 0 {
		name = name[:i]
	}
	up := m.Parent(member)
	call := up
	if call == nil || call.Kind() != "invocation_expression" || call.ChildByFieldName("function").Id() != member.Id() {
		call = nil
	}
	switch name {
	case "CreateResponse":
		args := callArgs(call)
		switch {
		case call == nil:
		case len(args) == 0:
			return
		case len(args) == 1 && looksLikeStatus(f.Text(args[0])):
			return
		case len(args) == 2 && !insideNestedFunction(m, call, h.fn.Body):
			h.helper, h.json = true, true
			// Replace only up to the opening parenthesis, so that edits
			// inside the arguments (req.RequestUri, ...) still apply.
			open := int(call.ChildByFieldName("arguments").StartByte()) + 1
			h.edits = append(h.edits, edit.Edit{Start: int(call.StartByte()), End: open, New: "await " + helperName + "(" + req + ", "})
			return
		}
		h.report(member, req+".CreateResponse with a content type, formatter or lone value has no HttpRequestData counterpart",
			"create the response with "+req+".CreateResponse(status) and write the body with WriteStringAsync or WriteAsJsonAsync")
	case "CreateErrorResponse":
		h.report(member, "CreateErrorResponse (an HttpError body) has no HttpRequestData counterpart",
			"create the response with "+req+".CreateResponse(status) and write the error with WriteAsJsonAsync or WriteStringAsync")
	case "Content":
		h.contentUse(member)
	case "RequestUri":
		h.edits = append(h.edits, replace(member, req+".Url"))
	case "Method":
		if up != nil && up.Kind() == "member_access_expression" && f.Text(up.ChildByFieldName("name")) == "Method" {
			h.edits = append(h.edits, replace(up, req+".Method"))
			return
		}
		httpMethod := "HttpMethod"
		if !hasUsing(h.p.Model, "System.Net.Http") {
			httpMethod = "System.Net.Http.HttpMethod"
		}
		h.edits = append(h.edits, replace(member, "new "+httpMethod+"("+req+".Method)"))
	case "Headers":
		if up != nil && up.Kind() == "member_access_expression" {
			switch f.Text(up.ChildByFieldName("name")) {
			case "TryGetValues", "GetValues", "Contains", "NonValidated":
				return
			}
		}
		if up != nil && up.Kind() == "foreach_statement" {
			return
		}
		h.report(member, req+".Headers is used as HttpRequestHeaders; HttpRequestData.Headers (HttpHeadersCollection) only looks headers up by name",
			"read the header with "+req+".Headers.TryGetValues(\"<name>\", out var values)")
	case "GetQueryNameValuePairs":
		if h.queryLookup(call) {
			return
		}
		h.report(member, "GetQueryNameValuePairs has no HttpRequestData counterpart",
			"read the query string from "+req+".Query (a NameValueCollection: "+req+".Query[\"name\"])")
	default:
		h.report(member, req+"."+name+" has no HttpRequestData counterpart",
			"rewrite this use against HttpRequestData (Url, Headers, Query, Body, Identities, FunctionContext)")
	}
}

// contentUse rewrites the body reads HttpRequestData has helpers for.
func (h *httpMessageFn) contentUse(content *sitter.Node) {
	m := h.p.Model
	f, req := h.p.File, h.req.Name
	read := m.Parent(content)
	var call *sitter.Node
	method := ""
	if read != nil && read.Kind() == "member_access_expression" {
		method = f.Text(read.ChildByFieldName("name"))
		if c := m.Parent(read); c != nil && c.Kind() == "invocation_expression" && len(callArgs(c)) == 0 {
			call = c
		}
	}
	generic := ""
	if i := strings.IndexByte(method, '<'); i >= 0 {
		method, generic = method[:i], method[i:]
	}
	awaited := false
	if call != nil {
		aw := m.Parent(call)
		awaited = aw != nil && aw.Kind() == "await_expression"
	}
	if call != nil {
		switch method {
		case "ReadAsStringAsync":
			if up := m.Parent(call); up != nil && up.Kind() == "member_access_expression" && f.Text(up.ChildByFieldName("name")) == "Result" {
				h.edits = append(h.edits, replace(up, req+".ReadAsString()"))
			} else {
				h.edits = append(h.edits, replace(call, req+".ReadAsStringAsync()"))
			}
			return
		case "ReadAsAsync":
			switch strings.Trim(generic, "<> ") {
			case "object", "dynamic", "JObject", "JToken", "JArray", "Newtonsoft.Json.Linq.JObject":
				h.report(content, req+".Content.ReadAsAsync"+generic+"() yields a Newtonsoft.Json object that the code reads dynamically; the worker's ReadFromJsonAsync"+generic+"() would yield a System.Text.Json JsonElement",
					"read into a class with await "+req+".ReadFromJsonAsync<MyType>(), or keep Newtonsoft: JsonConvert.DeserializeObject(await "+req+".ReadAsStringAsync())")
				return
			}
			if awaited {
				h.json = true
				h.edits = append(h.edits, replace(call, req+".ReadFromJsonAsync"+generic+"()"))
				return
			}
		case "ReadAsStreamAsync":
			if awaited {
				h.edits = append(h.edits, replace(m.Parent(call), req+".Body"))
				return
			}
		}
	}
	h.report(content, req+".Content (HttpContent) has no HttpRequestData counterpart here",
		"read the body with await "+req+".ReadAsStringAsync(), await "+req+".ReadFromJsonAsync<T>() or "+req+".Body")
}

// queryLookup rewrites the v1 template's case-insensitive query lookup.
func (h *httpMessageFn) queryLookup(call *sitter.Node) bool {
	m := h.p.Model
	f := h.p.File
	if call == nil {
		return false
	}
	first := m.Parent(call)
	if first == nil || first.Kind() != "member_access_expression" || f.Text(first.ChildByFieldName("name")) != "FirstOrDefault" {
		return false
	}
	inv := m.Parent(first)
	args := callArgs(inv)
	if inv == nil || inv.Kind() != "invocation_expression" || len(args) != 1 {
		return false
	}
	value := m.Parent(inv)
	if value == nil || value.Kind() != "member_access_expression" || f.Text(value.ChildByFieldName("name")) != "Value" {
		return false
	}
	lambda := strings.Join(strings.Fields(f.Text(args[0])), "")
	for _, re := range queryLookup {
		if m := re.FindStringSubmatch(lambda); m != nil && m[1] == m[2] {
			h.edits = append(h.edits, replace(value, h.req.Name+".Query["+m[3]+"]"))
			return true
		}
	}
	return false
}

// collectResponses finds locals that hold the function's response:
// initialised from the request's CreateResponse or a new HttpResponseMessage.
func (h *httpMessageFn) collectResponses() {
	f := h.p.File
	var walk func(n *sitter.Node)
	walk = func(n *sitter.Node) {
		if n.Kind() == "variable_declarator" {
			if name := n.ChildByFieldName("name"); name != nil {
				for i := uint(0); i < n.NamedChildCount(); i++ {
					v := strings.TrimSpace(f.Text(n.NamedChild(i)))
					v = strings.TrimSpace(strings.TrimPrefix(v, "="))
					if strings.HasPrefix(v, h.req.Name+".CreateResponse") || strings.HasPrefix(v, "new HttpResponseMessage") || strings.HasPrefix(v, "new System.Net.Http.HttpResponseMessage") {
						h.responses[f.Text(name)] = true
					}
				}
			}
		}
		for i := uint(0); i < n.NamedChildCount(); i++ {
			walk(n.NamedChild(i))
		}
	}
	walk(h.fn.Body)
}

// responseType rewrites `new HttpResponseMessage(status)` and the declared
// type of a response local; anything else that builds one is reported.
func (h *httpMessageFn) responseType(id *sitter.Node) {
	m := h.p.Model
	typ := id
	if par := m.Parent(id); par != nil && par.Kind() == "qualified_name" {
		typ = par
	}
	par := m.Parent(typ)
	switch {
	case par != nil && par.Kind() == "object_creation_expression":
		args := callArgs(par)
		if list := par.ChildByFieldName("arguments"); list != nil && par.ChildByFieldName("initializer") == nil && len(args) <= 1 {
			h.edits = append(h.edits, edit.Edit{Start: int(par.StartByte()), End: int(list.StartByte()) + 1, New: h.req.Name + ".CreateResponse("})
			return
		}
		h.report(par, "the function builds an HttpResponseMessage with content; the isolated worker returns HttpResponseData",
			"create the response with "+h.req.Name+".CreateResponse(status) and write the body with await response.WriteStringAsync(...) or WriteAsJsonAsync(...)")
	case par != nil && par.Kind() == "variable_declaration":
		for i := uint(0); i < par.NamedChildCount(); i++ {
			d := par.NamedChild(i)
			if d.Kind() == "variable_declarator" && !h.responses[h.p.File.Text(d.ChildByFieldName("name"))] {
				h.report(typ, "an HttpResponseMessage local that is not the request's response", "build the response with "+h.req.Name+".CreateResponse(status)")
				return
			}
		}
		h.edits = append(h.edits, replace(typ, "HttpResponseData"))
	default:
		h.report(typ, "HttpResponseMessage is used here; the isolated worker returns HttpResponseData", "use HttpResponseData created with "+h.req.Name+".CreateResponse(status)")
	}
}

// responseUse reports the response members HttpResponseData lacks.
func (h *httpMessageFn) responseUse(id *sitter.Node) {
	m := h.p.Model
	f := h.p.File
	member := m.Parent(id)
	if member.Kind() != "member_access_expression" || member.ChildByFieldName("expression").Id() != id.Id() {
		return
	}
	switch name := f.Text(member.ChildByFieldName("name")); name {
	case "StatusCode", "Body", "Cookies":
	case "Headers":
		if up := m.Parent(member); up != nil && up.Kind() == "member_access_expression" {
			switch f.Text(up.ChildByFieldName("name")) {
			case "Add", "TryAddWithoutValidation", "Remove", "Contains", "TryGetValues", "GetValues", "Clear":
				return
			}
		}
		h.report(member, f.Text(id)+".Headers is used as HttpResponseHeaders; HttpResponseData.Headers only adds and looks up headers by name",
			"set the header with "+f.Text(id)+".Headers.Add(\"<name>\", value)")
	case "Content":
		h.report(member, f.Text(id)+".Content sets the body through HttpContent, which HttpResponseData does not have",
			"write the body with await "+f.Text(id)+".WriteStringAsync(text) (and Headers.Add(\"Content-Type\", ...)) or await "+f.Text(id)+".WriteAsJsonAsync(value)")
	default:
		h.report(member, f.Text(id)+"."+name+" has no HttpResponseData counterpart", "rewrite this use against HttpResponseData (StatusCode, Headers, Body, Cookies)")
	}
}

// helperMethod is the generated JSON response helper, placed at the end of
// the function class. It mirrors CreateResponse(status, value): the worker
// writes JSON and keeps the status (Worker 2.x, MAPPING.md §4.1).
func (h *httpMessageFn) helperMethod(name string) edit.Edit {
	f, cls := h.p.File, h.fn.Class
	closeAt := int(cls.Body.EndByte()) - 1
	indent := cs.Indent(f.Src, closeAt) + indentUnit(h.p.Model)
	unit := indentUnit(h.p.Model)
	eol := f.EOL
	lines := []string{
		"private static async Task<HttpResponseData> " + name + "<T>(HttpRequestData req, HttpStatusCode status, T value)",
		"{",
		unit + "var response = req.CreateResponse(status);",
		unit + "await response.WriteAsJsonAsync(value);",
		unit + "return response;",
		"}",
	}
	var b strings.Builder
	b.WriteString(eol)
	for _, l := range lines {
		b.WriteString(indent + l + eol)
	}
	if cs.OnlyWhitespaceBefore(f.Src, closeAt) {
		return insertAt(cs.LineStart(f.Src, closeAt), b.String())
	}
	return insertAt(closeAt, b.String())
}

func looksLikeStatus(arg string) bool {
	return strings.Contains(arg, "HttpStatusCode")
}

func hasOutParam(fn *cs.Function) bool {
	for _, prm := range fn.Params {
		if prm.Modifier == "out" || prm.Modifier == "ref" {
			return true
		}
	}
	return false
}

// hasRestructuredOutputs reports whether cs-outputs owns the function's
// return type (out or collector outputs beside the HTTP response).
func hasRestructuredOutputs(f *cs.File, fn *cs.Function) bool {
	for _, prm := range fn.Params {
		if (prm.Modifier == "out" || isCollector(prm.TypeText)) && hasOutputBinding(f, prm) {
			return true
		}
	}
	return false
}
