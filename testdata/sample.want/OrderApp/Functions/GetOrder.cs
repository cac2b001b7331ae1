using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace Contoso.Orders.Functions
{
    public class GetOrder
    {
        private readonly ILogger<GetOrder> _logger;

        public GetOrder(ILogger<GetOrder> logger)
        {
            _logger = logger;
        }

        [Function("GetOrder")]
        public async Task<IActionResult> Run(
            [HttpTrigger(AuthorizationLevel.Function, "get", Route = "orders/{id}")] HttpRequest req,
            string id)
        {
            _logger.LogInformation("Looking up order {OrderId}", id);
            if (string.IsNullOrWhiteSpace(id))
            {
                return new BadRequestObjectResult("an order id is required");
            }

            var includeLines = req.Query["lines"] == "true";
            await Task.Yield();
            _logger.LogDebug("Lines requested: {Lines}", includeLines);
            return new OkObjectResult(new { id, includeLines });
        }
    }
}
