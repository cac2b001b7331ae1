using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Azure.WebJobs.Host;
using Microsoft.Extensions.Logging;

namespace Contoso.Orders.Services
{
    public class ShippingOptions
    {
        public string DefaultCarrier { get; set; } = "contoso-post";
    }

    public interface IShippingQuotes
    {
        Task<decimal> QuoteAsync(string orderId);
    }

    public class ShippingQuotes : IShippingQuotes
    {
        private readonly HttpClient _client;

        public ShippingQuotes(HttpClient client) => _client = client;

        public async Task<decimal> QuoteAsync(string orderId)
        {
            var text = await _client.GetStringAsync("quotes/" + orderId);
            return decimal.Parse(text);
        }
    }

    public class AuditFilter : IFunctionInvocationFilter
    {
        private readonly ILogger<AuditFilter> _logger;

        public AuditFilter(ILogger<AuditFilter> logger) => _logger = logger;

        public Task OnExecutingAsync(FunctionExecutingContext context, CancellationToken cancellationToken)
        {
            _logger.LogInformation("Running {Function}", context.FunctionName);
            return Task.CompletedTask;
        }

        public Task OnExecutedAsync(FunctionExecutedContext context, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
