using Contoso.Orders.Functions;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Contoso.Orders.Tests
{
    public class ProcessOrderTests
    {
        [Fact]
        public void NamesTheCarrier()
        {
            var function = new ProcessOrder();

            var shipment = function.Run("{\"Id\":\"42\"}", 1, NullLogger.Instance);

            Assert.Contains("contoso-post", shipment);
        }
    }
}
