using System.IO;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Newtonsoft.Json;
using Contoso.Orders.Models;

namespace Contoso.Orders.Functions
{
    public class CreateOrder
    {
        private readonly ILogger<CreateOrder> _logger;

        public CreateOrder(ILogger<CreateOrder> logger)
        {
            _logger = logger;
        }

        // Accepts an order and hands it to the fulfilment queue.
        [Function("CreateOrder")]
        public CreateOrderOutput Run(
            [HttpTrigger(AuthorizationLevel.Function, "post", Route = "orders")] HttpRequest req,
            FunctionContext context)
        {
            string orderMessage;
            string body = new StreamReader(req.Body).ReadToEnd();
            var order = JsonConvert.DeserializeObject<Order>(body);
            if (order == null || string.IsNullOrEmpty(order.Customer))
            {
                orderMessage = null;
                _logger.LogWarning("Rejected an order without a customer ({Invocation})", context.InvocationId);
                return new CreateOrderOutput { HttpResponse = new BadRequestResult(), OrderMessage = orderMessage };
            }

            orderMessage = JsonConvert.SerializeObject(order);
            _logger.LogInformation($"Queued order {order.Id} in {context.FunctionDefinition.Name}");
            return new CreateOrderOutput { HttpResponse = new AcceptedResult(), OrderMessage = orderMessage };
        }
    }

    public class CreateOrderOutput
    {
        [QueueOutput("orders", Connection = "OrdersQueueConnection")]
        public string OrderMessage { get; set; }

        [HttpResult]
        public IActionResult HttpResponse { get; set; }
    }
}
