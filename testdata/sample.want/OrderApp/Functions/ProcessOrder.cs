using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Newtonsoft.Json;
using Contoso.Orders.Models;

namespace Contoso.Orders.Functions
{
    public class ProcessOrder
    {
        private readonly ILogger<ProcessOrder> _logger;

        public ProcessOrder(ILogger<ProcessOrder> logger)
        {
            _logger = logger;
        }

        [Function("ProcessOrder")]
        [QueueOutput("shipments", Connection = "OrdersQueueConnection")]
        public string Run(
            [QueueTrigger("orders", Connection = "OrdersQueueConnection")] string orderMessage,
            int dequeueCount)
        {
            var order = JsonConvert.DeserializeObject<Order>(orderMessage);
            _logger.LogInformation("Processing order {OrderId} (attempt {Attempt})", order.Id, dequeueCount);
            return JsonConvert.SerializeObject(new { order.Id, Carrier = "contoso-post" });
        }
    }
}
