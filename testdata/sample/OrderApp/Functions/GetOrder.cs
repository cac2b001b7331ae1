using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.WebJobs;
using Microsoft.Azure.WebJobs.Extensions.Http;
using Microsoft.Extensions.Logging;

namespace Contoso.Orders.Functions
{
    public static class GetOrder
    {
        [FunctionName("GetOrder")]
        public static async Task<IActionResult> Run(
            [HttpTrigger(AuthorizationLevel.Function, "get", Route = "orders/{id}")] HttpRequest req,
            string id,
            ILogger log)
        {
            log.LogInformation("Looking up order {OrderId}", id);
            if (string.IsNullOrWhiteSpace(id))
            {
                return new BadRequestObjectResult("an order id is required");
            }

            var includeLines = req.Query["lines"] == "true";
            await Task.Yield();
            log.LogDebug("Lines requested: {Lines}", includeLines);
            return new OkObjectResult(new { id, includeLines });
        }
    }
}
