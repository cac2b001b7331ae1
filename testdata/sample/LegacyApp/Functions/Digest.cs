using System;
using Microsoft.Azure.WebJobs;
using Microsoft.Azure.WebJobs.Host;

namespace Fabrikam.Legacy
{
    public static class Digest
    {
        [FunctionName("RouteFeedback")]
        public static void Route(
            [QueueTrigger("feedback")] FeedbackItem item,
            [Queue("praise")] out string praise,
            [Queue("complaints")] out string complaint,
            TraceWriter log)
        {
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
            log.Verbose("Routed feedback from " + item.Author);
        }

        [FunctionName("DailyDigest")]
        [return: Queue("digests")]
        public static string Daily([TimerTrigger("0 0 6 * * *")] TimerInfo timer, TraceWriter log)
        {
            log.Info("Building the daily digest");
            return DateTime.UtcNow.ToString("yyyy-MM-dd");
        }
    }
}
