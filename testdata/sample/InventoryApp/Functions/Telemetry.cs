using Azure.Messaging.EventHubs;
using Microsoft.Azure.WebJobs;
using Microsoft.Extensions.Logging;

namespace Contoso.Inventory.Functions
{
    public class Telemetry
    {
        private readonly ILogger<Telemetry> _logger;

        public Telemetry(ILogger<Telemetry> logger) => _logger = logger;

        [FunctionName("ScannerReading")]
        public void ScannerReading([EventHubTrigger("scanners", Connection = "TelemetryHub")] string reading)
        {
            _logger.LogInformation("Scanner reading {Reading}", reading);
        }

        [FunctionName("ScannerBatch")]
        public void ScannerBatch([EventHubTrigger("scanners", Connection = "TelemetryHub", ConsumerGroup = "batch")] EventData[] events)
        {
            _logger.LogInformation("Batch of {Count} readings", events.Length);
        }
    }
}
