using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using Microsoft.Azure.Functions.Worker;
using Newtonsoft.Json;
using Microsoft.Azure.Functions.Worker.Http;
using System.Collections.Generic;
using Microsoft.Extensions.Logging;

namespace Fabrikam.Legacy
{
    public class FeedbackItem
    {
        // TODO(funcmigrate): cs-json-serializer use [JsonPropertyName("author")] from System.Text.Json.Serialization (keep both attributes while both serializers are in use), or keep Newtonsoft for the worker with WorkerOptions.Serializer = new NewtonsoftJsonObjectSerializer() (package Microsoft.Azure.Core.NewtonsoftJson) and, for IActionResult bodies, AddMvc().AddNewtonsoftJson() (MAPPING.md §4.9)
        [JsonProperty("author")]
        public string Author { get; set; }
        public string Text { get; set; }
    }

    public class Feedback
    {
        private readonly ILogger<Feedback> _logger;

        public Feedback(ILogger<Feedback> logger)
        {
            _logger = logger;
        }

        [Function("SubmitFeedback")]
        public async Task<SubmitFeedbackOutput> Submit(
            [HttpTrigger(AuthorizationLevel.Function, "post", Route = "feedback")] HttpRequestData req)
        {
            var queued = new List<FeedbackItem>();
            var item = await req.ReadFromJsonAsync<FeedbackItem>();
            if (item == null || string.IsNullOrEmpty(item.Text))
            {
                _logger.LogWarning("Empty feedback rejected");
                return new SubmitFeedbackOutput { HttpResponse = await CreateJsonResponseAsync(req, HttpStatusCode.BadRequest, "text is required"), Queued = queued.ToArray() };
            }
            queued.Add(item);
            _logger.LogInformation($"Feedback from {item.Author} queued");
            return new SubmitFeedbackOutput { HttpResponse = req.CreateResponse(HttpStatusCode.Accepted), Queued = queued.ToArray() };
        }

        [Function("FeedbackStatus")]
        public static HttpResponseData Status(
            [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "feedback/status")] HttpRequestData req)
        {
            string verbose = req.Query["verbose"];
            return verbose == null
                ? req.CreateResponse(HttpStatusCode.OK)
                : req.CreateResponse(HttpStatusCode.NoContent);
        }

        private static async Task<HttpResponseData> CreateJsonResponseAsync<T>(HttpRequestData req, HttpStatusCode status, T value)
        {
            var response = req.CreateResponse(status);
            await response.WriteAsJsonAsync(value);
            return response;
        }
    }

    public class SubmitFeedbackOutput
    {
        [QueueOutput("feedback")]
        public FeedbackItem[] Queued { get; set; }

        [HttpResult]
        public HttpResponseData HttpResponse { get; set; }
    }
}
