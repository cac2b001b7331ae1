using Microsoft.Azure.WebJobs;
using Microsoft.Extensions.Logging;
using Newtonsoft.Json;
using Contoso.Orders.Models;

namespace Contoso.Orders.Functions
{
    public class ProcessOrder
    {
        [FunctionName("ProcessOrder")]
        [return: Queue("shipments", Connection = "OrdersQueueConnection")]
        public string Run(
            [QueueTrigger("orders", Connection = "OrdersQueueConnection")] string orderMessage,
            int dequeueCount,
            ILogger log)
        {
            var order = JsonConvert.DeserializeObject<Order>(orderMessage);
            log.LogInformation("Processing order {OrderId} (attempt {Attempt})", order.Id, dequeueCount);
            return JsonConvert.SerializeObject(new { order.Id, Carrier = "contoso-post" });
        }
    }
}
