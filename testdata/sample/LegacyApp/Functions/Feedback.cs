using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using Microsoft.Azure.WebJobs;
using Microsoft.Azure.WebJobs.Extensions.Http;
using Microsoft.Azure.WebJobs.Host;
using Newtonsoft.Json;

namespace Fabrikam.Legacy
{
    public class FeedbackItem
    {
        [JsonProperty("author")]
        public string Author { get; set; }
        public string Text { get; set; }
    }

    public static class Feedback
    {
        [FunctionName("SubmitFeedback")]
        public static async Task<HttpResponseMessage> Submit(
            [HttpTrigger(AuthorizationLevel.Function, "post", Route = "feedback")] HttpRequestMessage req,
            [Queue("feedback")] IAsyncCollector<FeedbackItem> queued,
            TraceWriter log)
        {
            var item = await req.Content.ReadAsAsync<FeedbackItem>();
            if (item == null || string.IsNullOrEmpty(item.Text))
            {
                log.Warning("Empty feedback rejected");
                return req.CreateResponse(HttpStatusCode.BadRequest, "text is required");
            }
            await queued.AddAsync(item);
            log.Info($"Feedback from {item.Author} queued");
            return req.CreateResponse(HttpStatusCode.Accepted);
        }

        [FunctionName("FeedbackStatus")]
        public static HttpResponseMessage Status(
            [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "feedback/status")] HttpRequestMessage req)
        {
            string verbose = req.GetQueryNameValuePairs()
                .FirstOrDefault(q => string.Compare(q.Key, "verbose", true) == 0)
                .Value;
            return verbose == null
                ? req.CreateResponse(HttpStatusCode.OK)
                : new HttpResponseMessage(HttpStatusCode.NoContent);
        }
    }
}
