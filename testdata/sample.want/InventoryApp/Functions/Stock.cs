using System.Threading.Tasks;
using Azure.Messaging.ServiceBus;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace Contoso.Inventory.Functions
{
    public class Stock
    {
        private readonly ILogger<Stock> _logger;

        public Stock(ILogger<Stock> logger) => _logger = logger;

        [Function("StockChanged")]
        public async Task StockChanged(
            [ServiceBusTrigger("stock", "inventory", AutoCompleteMessages = false, Connection = "InventoryBus")] ServiceBusReceivedMessage message,
            ServiceBusMessageActions messageActions)
        {
            _logger.LogInformation("Stock change {Id}", message.MessageId);
            await messageActions.CompleteMessageAsync(message);
        }

        [Function("RestockBatch")]
        [ServiceBusOutput("restock-orders", Connection = "InventoryBus")]
        public string RestockBatch(
            [ServiceBusTrigger("restock-requests", Connection = "InventoryBus", IsBatched = true)] string[] requests)
        {
            string order;
            order = string.Join(",", requests);
            return order;
        }
    }
}
