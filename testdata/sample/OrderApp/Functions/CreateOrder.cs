using System.IO;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.WebJobs;
using Microsoft.Azure.WebJobs.Extensions.Http;
using Microsoft.Extensions.Logging;
using Newtonsoft.Json;
using Contoso.Orders.Models;

namespace Contoso.Orders.Functions
{
    public static class CreateOrder
    {
        // Accepts an order and hands it to the fulfilment queue.
        [FunctionName("CreateOrder")]
        public static IActionResult Run(
            [HttpTrigger("post", Route = "orders")] HttpRequest req,
            [Queue("orders", Connection = "OrdersQueueConnection")] out string orderMessage,
            ILogger log,
            ExecutionContext context)
        {
            string body = new StreamReader(req.Body).ReadToEnd();
            var order = JsonConvert.DeserializeObject<Order>(body);
            if (order == null || string.IsNullOrEmpty(order.Customer))
            {
                orderMessage = null;
                log.LogWarning("Rejected an order without a customer ({Invocation})", context.InvocationId);
                return new BadRequestResult();
            }

            orderMessage = JsonConvert.SerializeObject(order);
            log.LogInformation($"Queued order {order.Id} in {context.FunctionName}");
            return new AcceptedResult();
        }
    }
}
