using System;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace Fabrikam.Legacy
{
    public class Digest
    {
        private readonly ILogger<Digest> _logger;

        public Digest(ILogger<Digest> logger)
        {
            _logger = logger;
        }

        [Function("RouteFeedback")]
        public RouteFeedbackOutput Route(
            [QueueTrigger("feedback")] FeedbackItem item)
        {
            string praise;
            string complaint;
            praise = null;
            complaint = null;
            if (item.Text.IndexOf("thanks", StringComparison.OrdinalIgnoreCase) >= 0)
            {
                praise = item.Text;
            }
            else
            {
                complaint = item.Text;
            }
            _logger.LogDebug("Routed feedback from " + item.Author);
            return new RouteFeedbackOutput { Praise = praise, Complaint = complaint };
        }

        [Function("DailyDigest")]
        [QueueOutput("digests")]
        public string Daily([TimerTrigger("0 0 6 * * *")] TimerInfo timer)
        {
            _logger.LogInformation("Building the daily digest");
            return DateTime.UtcNow.ToString("yyyy-MM-dd");
        }
    }

    public class RouteFeedbackOutput
    {
        [QueueOutput("praise")]
        public string Praise { get; set; }

        [QueueOutput("complaints")]
        public string Complaint { get; set; }
    }
}
