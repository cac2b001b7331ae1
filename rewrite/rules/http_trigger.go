package rules

import (
	"strings"

	sitter "github.com/tree-sitter/go-tree-sitter"

	"github.com/funcmigrate/funcmigrate/rewrite"
	"github.com/funcmigrate/funcmigrate/rewrite/cs"
)

// HTTPTrigger keeps [HttpTrigger] functions on ASP.NET Core types with an
// explicit authorization level.
var HTTPTrigger = &rewrite.Rule{
	Name: "cs-http-trigger",
	Doc: `make the HTTP trigger's authorization level explicit

The in-process HttpTrigger(params string[] methods) constructor chains to
the default one and so means AuthorizationLevel.Function; the isolated
attribute's methods-only constructor leaves the level unset. The rule writes
AuthorizationLevel.Function wherever the level was implicit, and shortens a
fully qualified in-process AuthorizationLevel to the worker's enum, which has
the same members. HttpRequest and IActionResult stay: the project moves to
ASP.NET Core integration. What ASP.NET Core integration cannot carry is
reported: .NET Framework targets, ClaimsPrincipal parameters and POCO-bound
trigger parameters. HttpRequestMessage functions are cs-http-message's. A
Functions 1.x WebHookType is removed with a finding: the isolated trigger
neither parses nor verifies webhook payloads.`,
	Ref: "MAPPING.md §3.2",
	URL: "https://learn.microsoft.com/azure/azure-functions/dotnet-isolated-process-guide#aspnet-core-integration",
	Run: runHTTPTrigger,
}

var authLevels = map[string]bool{"Anonymous": true, "User": true, "Function": true, "System": true, "Admin": true}

// isAuthLevel reports whether an attribute argument is an AuthorizationLevel
// value (rather than an HTTP method string).
func isAuthLevel(text string) (bool, bool) {
	t := strings.TrimSpace(text)
	if strings.Contains(t, "AuthorizationLevel") {
		return true, true
	}
	if strings.HasPrefix(t, "\"") || strings.HasPrefix(t, "@\"") || strings.HasPrefix(t, "$\"") {
		return false, true
	}
	if i := strings.LastIndexByte(t, '.'); i >= 0 && authLevels[t[i+1:]] {
		return true, true
	}
	return false, false // an identifier: could be either
}

func runHTTPTrigger(p *rewrite.Pass) {
	f := p.File
	for _, a := range p.Model.Attributes {
		if a.Name != "HttpTrigger" || a.Param == nil {
			continue
		}
		fn := a.Func
		pos := a.Positional()
		if hook := a.Named("WebHookType"); hook != nil {
			// Functions 1.x webhooks: the host parsed and verified the
			// payload; no isolated counterpart.
			p.Report(int(hook.Node.StartByte()), true,
				"WebHookType = "+f.Text(hook.Value)+" (Functions 1.x webhooks) has no isolated counterpart and was removed: the body is no longer parsed or its signature verified for you",
				"read the body from the request and verify the provider's signature header in code (MAPPING.md §3.2)")
			if len(a.Args) == 1 {
				p.Fix("Drop WebHookType and make the HTTP authorization level explicit", replace(a.ArgList, "(AuthorizationLevel.Function)"))
				if fn != nil {
					checkHTTPTypes(p, fn, a.Param)
				}
				continue
			}
			var items []*sitter.Node
			drop := map[int]bool{}
			for i, arg := range a.Args {
				items = append(items, arg.Node)
				drop[i] = arg == hook
			}
			p.Fix("Drop WebHookType", removeListItems(items, drop)...)
		}
		switch {
		case a.ArgList == nil:
			at := int(a.Node.EndByte())
			p.Fix("Make the HTTP authorization level explicit", insertAt(at, "(AuthorizationLevel.Function)"))
		case len(pos) == 0:
			at := int(a.ArgList.StartByte()) + 1
			sep := ""
			if len(a.Args) > 0 {
				sep = ", "
			}
			p.Fix("Make the HTTP authorization level explicit", insertAt(at, "AuthorizationLevel.Function"+sep))
		default:
			first := pos[0]
			level, sure := isAuthLevel(f.Text(first.Value))
			switch {
			case !sure:
				p.Report(int(first.Node.StartByte()), true,
					"cannot tell whether "+f.Text(first.Value)+" is an authorization level or an HTTP method; the isolated methods-only constructor does not default to AuthorizationLevel.Function",
					"make the first argument an explicit AuthorizationLevel value")
			case !level:
				p.Fix("Make the HTTP authorization level explicit", insertAt(int(first.Node.StartByte()), "AuthorizationLevel.Function, "))
			default:
				// Shorten an in-process qualified enum to the worker's enum.
				t := f.Text(first.Value)
				if i := strings.Index(t, "AuthorizationLevel."); i > 0 {
					p.Fix("Use the worker's AuthorizationLevel", replace(first.Value, t[i:]))
				}
			}
		}
		if fn == nil {
			continue
		}
		checkHTTPTypes(p, fn, a.Param)
	}
}

func checkHTTPTypes(p *rewrite.Pass, fn *cs.Function, req *cs.Param) {
	reqType := simpleTypeName(req.TypeText)
	switch reqType {
	case "HttpRequest":
		if p.Facts.NetFramework {
			p.Report(int(req.Node.StartByte()), true,
				"HttpRequest needs ASP.NET Core integration, which .NET Framework 4.8 does not have",
				"change the function to HttpRequestData and return HttpResponseData (MAPPING.md §1.6, §4.1)")
		}
	case "HttpRequestMessage", "HttpRequestData": // HttpRequestMessage: cs-http-message
	default:
		p.Report(int(req.Node.StartByte()), true,
			"the HTTP trigger binds the request body to "+req.TypeText+"; the isolated worker binds the body with a separate [FromBody] parameter",
			"take HttpRequest req as the trigger parameter and add [FromBody] "+req.TypeText+" "+req.Name+" (MAPPING.md §3.2)")
	}
	if fn.ReturnType != nil {
		rt := p.File.Text(fn.ReturnType)
		if p.Facts.NetFramework && (strings.Contains(rt, "ActionResult") || strings.Contains(rt, "Result>")) {
			p.Report(int(fn.ReturnType.StartByte()), true,
				"IActionResult needs ASP.NET Core integration, which .NET Framework 4.8 does not have",
				"return HttpResponseData created with req.CreateResponse (MAPPING.md §4.1)")
		}
	}
	for _, q := range fn.Params {
		if simpleTypeName(q.TypeText) == "ClaimsPrincipal" && len(q.Attrs) == 0 {
			from := req.Name + ".HttpContext.User"
			if reqType != "HttpRequest" {
				from = req.Name + ".Identities"
			}
			p.Report(int(q.Node.StartByte()), true,
				"a ClaimsPrincipal parameter is not bound by the isolated worker (it stays null)",
				"read the caller from "+from+", or decode the X-MS-CLIENT-PRINCIPAL header that App Service Authentication (Easy Auth) adds to each request (MAPPING.md §4.1)")
		}
	}
}
