using System.Threading.Tasks;
using Azure.Messaging.ServiceBus;
using Microsoft.Azure.WebJobs;
using Microsoft.Azure.WebJobs.ServiceBus;
using Microsoft.Extensions.Logging;

namespace Contoso.Inventory.Functions
{
    [ServiceBusAccount("InventoryBus")]
    public class Stock
    {
        private readonly ILogger<Stock> _logger;

        public Stock(ILogger<Stock> logger) => _logger = logger;

        [FunctionName("StockChanged")]
        public async Task StockChanged(
            [ServiceBusTrigger("stock", "inventory", AutoCompleteMessages = false)] ServiceBusReceivedMessage message,
            ServiceBusMessageActions messageActions)
        {
            _logger.LogInformation("Stock change {Id}", message.MessageId);
            await messageActions.CompleteMessageAsync(message);
        }

        [FunctionName("RestockBatch")]
        public void RestockBatch(
            [ServiceBusTrigger("restock-requests")] string[] requests,
            [ServiceBus("restock-orders")] out string order)
        {
            order = string.Join(",", requests);
        }
    }
}
