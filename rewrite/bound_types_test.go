package rewrite

import (
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/funcmigrate/funcmigrate/rewrite/cs"
)

func TestBoundTypes(t *testing.T) {
	tests := []struct {
		name   string
		reason string
		files  []string
		want   map[string]string // name → boundary; nil means none
	}{
		{
			name:   "cross-file-closure",
			reason: "a Cosmos DB collector of Order in one file binds Order, and through its members Line, Money and Note declared in other files; Audit (a static field) and Unused (which nothing binds) are not",
			files: []string{`
using Microsoft.Azure.WebJobs;
public static class SaveOrders
{
    [FunctionName("SaveOrders")]
    public static Task Run([QueueTrigger("in")] string id, [CosmosDB("shop", "orders")] IAsyncCollector<Order> orders) => null;
}`, `
public class Order
{
    public string Id { get; set; }
    public List<Line> Lines { get; set; }
    public static Audit Log;
}`, `
namespace Shop.Model;
public record Line(string Sku, Money Price);
public struct Money { public decimal Amount; public Dictionary<string, Note> Notes; }
public class Note { }
public class Audit { }
public class Unused { public Order Order { get; set; } }`},
			want: map[string]string{
				"Order": "the [CosmosDB] binding of function SaveOrders",
				"Line":  "the [CosmosDB] binding of function SaveOrders (through Order.Lines)",
				"Money": "the [CosmosDB] binding of function SaveOrders (through Line.Price)",
				"Note":  "the [CosmosDB] binding of function SaveOrders (through Money.Notes)",
			},
		},
		{
			name:   "parameter-shapes",
			reason: "arrays, out parameters, nullable, qualified and generic wrappers all bind their element type; an attribute-less parameter binds nothing",
			files: []string{`
public class F
{
    [FunctionName("A")]
    public void Run([QueueTrigger("q")] A[] a, [Queue("o")] out B b, [Blob("x")] System.Collections.Generic.IEnumerable<C> c,
        [CosmosDBTrigger("d", "c")] IReadOnlyList<D?> d, [Table("t")] ICollector<Shop.E> e, G notBound) { b = null; }
}
public class A { } public class B { } public class C { } public struct D { } public class E { } public class G { }`},
			want: map[string]string{
				"A": "the [QueueTrigger] binding of function A",
				"B": "the [Queue] binding of function A",
				"C": "the [Blob] binding of function A",
				"D": "the [CosmosDBTrigger] binding of function A",
				"E": "the [Table] binding of function A",
			},
		},
		{
			name:   "returns",
			reason: "[return:] bindings and HTTP trigger results bind the type inside Task<T>; a timer function's return type crosses nothing",
			files: []string{`
public class F
{
    [FunctionName("Q")]
    [return: Queue("out")]
    public static async Task<Msg> Q([QueueTrigger("in")] string s) => null;

    [FunctionName("H")]
    public static Task<Reply> H([HttpTrigger(AuthorizationLevel.Function)] HttpRequest req) => null;

    [FunctionName("T")]
    public static Task<Other> T([TimerTrigger("0 * * * * *")] TimerInfo t) => null;
}
public class Msg { } public class Reply { } public class Other { }`},
			want: map[string]string{
				"Msg":   "the [return: Queue] binding of function Q",
				"Reply": "the HTTP response of function H",
			},
		},
		{
			name:   "http-bodies",
			reason: "request bodies read with ReadAsAsync/ReadFromJsonAsync and values handed to result objects or response writers are bound, locals resolved by declared type or var initializer; an object only logged is not",
			files: []string{`
public class F
{
    [FunctionName("Post")]
    public static async Task<IActionResult> Post([HttpTrigger(AuthorizationLevel.Function, "post")] HttpRequestMessage req)
    {
        var input = await req.Content.ReadAsAsync<Input>();
        var dto = new Dto { Name = "x" };
        Summary summary = Make();
        List<Item> items = new();
        var log = new LogEntry();
        Console.WriteLine(log);
        if (input == null) return new BadRequestObjectResult(new Problem());
        if (summary != null) return new OkObjectResult(summary);
        if (items.Count > 0) return new JsonResult(new { items });
        return new OkObjectResult(dto);
    }

    [FunctionName("Get")]
    public static HttpResponseMessage Get([HttpTrigger(AuthorizationLevel.Function, "get")] HttpRequestMessage req)
        => req.CreateResponse(HttpStatusCode.OK, new[] { new Row() });

    [FunctionName("Write")]
    public static async Task<HttpResponseData> Write([HttpTrigger(AuthorizationLevel.Function, "get")] HttpRequestData req)
    {
        var body = await req.ReadFromJsonAsync<Query>();
        var resp = req.CreateResponse(HttpStatusCode.OK);
        await resp.WriteAsJsonAsync(new Page());
        return resp;
    }
}
public class Input { } public class Dto { } public class Summary { } public class Item { } public class LogEntry { }
public class Problem { } public class Row { } public class Query { } public class Page { }`},
			want: map[string]string{
				"Input":   "the HTTP request body read by ReadAsAsync<Input> in function Post",
				"Dto":     "the HTTP response body (OkObjectResult) of function Post",
				"Summary": "the HTTP response body (OkObjectResult) of function Post",
				"Item":    "the HTTP response body (JsonResult) of function Post",
				"Problem": "the HTTP response body (BadRequestObjectResult) of function Post",
				"Row":     "the HTTP response body (CreateResponse) of function Get",
				"Query":   "the HTTP request body read by ReadFromJsonAsync<Query> in function Write",
				"Page":    "the HTTP response body (WriteAsJsonAsync) of function Write",
			},
		},
		{
			name:   "base-types",
			reason: "a bound type's base class is serialized with it; framework types and types declared nowhere in the project are left out",
			files: []string{`
public class F
{
    [FunctionName("E")]
    public static void Run([EventGridTrigger] Order o, [Blob("b")] Stream s, [Queue("q")] out External x) { x = null; }
}
public class Order : Entity { public Guid Id { get; set; } public System.Text.Json.JsonElement Raw { get; set; } }
public abstract class Entity { public Tag Tag { get; set; } }
public class Tag { }`},
			want: map[string]string{
				"Order":  "the [EventGridTrigger] binding of function E",
				"Entity": "the [EventGridTrigger] binding of function E (as a base type of Order)",
				"Tag":    "the [EventGridTrigger] binding of function E (through Entity.Tag)",
			},
		},
		{
			name:   "no-functions",
			reason: "a project without [FunctionName] methods binds nothing, however its types look",
			files:  []string{`public class Order { [JsonProperty("id")] public string Id { get; set; } }`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.reason == "" {
				t.Fatal("every case needs a reason")
			}
			var models []*cs.Model
			for i, src := range tt.files {
				f, err := cs.Parse("f"+strings.Repeat("x", i)+".cs", []byte(src))
				if err != nil {
					t.Fatal(err)
				}
				defer f.Close()
				models = append(models, cs.Analyze(f))
			}
			got := BoundTypes(models...)
			if len(got) == 0 && len(tt.want) == 0 {
				return
			}
			if !maps.Equal(got, tt.want) {
				t.Errorf("BoundTypes mismatch (-want +got):\n%s", mapDiff(tt.want, got))
			}
		})
	}
}

func mapDiff(want, got map[string]string) string {
	keys := slices.Sorted(maps.Keys(want))
	for k := range got {
		if _, ok := want[k]; !ok {
			keys = append(keys, k)
		}
	}
	var b strings.Builder
	for _, k := range keys {
		w, wok := want[k]
		g, gok := got[k]
		switch {
		case wok && !gok:
			b.WriteString("-" + k + ": " + w + "\n")
		case !wok && gok:
			b.WriteString("+" + k + ": " + g + "\n")
		case w != g:
			b.WriteString("-" + k + ": " + w + "\n+" + k + ": " + g + "\n")
		}
	}
	return b.String()
}
