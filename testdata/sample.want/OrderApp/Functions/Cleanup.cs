using System;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace Contoso.Orders.Functions
{
    public class Cleanup
    {
        private readonly ILogger<Cleanup> _logger;

        public Cleanup(ILogger<Cleanup> logger)
        {
            _logger = logger;
        }

        // Runs every night at 02:30 UTC and removes abandoned carts.
        [Function("NightlyCleanup")]
        public void Run([TimerTrigger("0 30 2 * * *")] TimerInfo timer)
        {
            if (timer.IsPastDue)
            {
                _logger.LogWarning("Cleanup is running late");
            }

            _logger.LogInformation("Cleanup started at {Now}; next run {Next}", DateTime.UtcNow, timer.ScheduleStatus?.Next);
        }
    }
}
