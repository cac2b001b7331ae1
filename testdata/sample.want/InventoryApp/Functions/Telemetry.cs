using Azure.Messaging.EventHubs;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace Contoso.Inventory.Functions
{
    public class Telemetry
    {
        private readonly ILogger<Telemetry> _logger;

        public Telemetry(ILogger<Telemetry> logger) => _logger = logger;

        [Function("ScannerReading")]
        public void ScannerReading([EventHubTrigger("scanners", Connection = "TelemetryHub", IsBatched = false)] string reading)
        {
            _logger.LogInformation("Scanner reading {Reading}", reading);
        }

        [Function("ScannerBatch")]
        public void ScannerBatch([EventHubTrigger("scanners", Connection = "TelemetryHub", ConsumerGroup = "batch")] EventData[] events)
        {
            _logger.LogInformation("Batch of {Count} readings", events.Length);
        }
    }
}
