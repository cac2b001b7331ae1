using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.WebJobs;
using Microsoft.Azure.WebJobs.Extensions.DurableTask;
using Microsoft.Azure.WebJobs.Extensions.Http;
using Microsoft.Extensions.Logging;

namespace Contoso.Fulfillment.Functions
{
    public static class FulfillOrder
    {
        [FunctionName("FulfillOrder_Start")]
        public static async Task<IActionResult> Start(
            [HttpTrigger(AuthorizationLevel.Function, "post", Route = "orders/{orderId}/fulfill")] HttpRequest req,
            string orderId,
            [DurableClient] IDurableOrchestrationClient starter,
            ILogger log)
        {
            string instanceId = await starter.StartNewAsync("FulfillOrder", orderId, new[] { "pick", "pack", "ship" });
            log.LogInformation("Started fulfillment {InstanceId}", instanceId);
            return starter.CreateCheckStatusResponse(req, instanceId);
        }

        [FunctionName("FulfillOrder")]
        public static async Task<int> Run(
            [OrchestrationTrigger] IDurableOrchestrationContext context,
            ILogger log)
        {
            log = context.CreateReplaySafeLogger(log);
            string[] steps = context.GetInput<string[]>();
            var retry = new RetryOptions(TimeSpan.FromSeconds(10), 3) { BackoffCoefficient = 2 };

            var work = steps.Select(step => context.CallActivityWithRetryAsync<int>("RunStep", retry, step));
            int[] minutes = await Task.WhenAll(work);

            await context.CallEntityAsync(new EntityId("Counter", "fulfilled"), "add", 1);
            log.LogInformation("Order {Id} fulfilled in {Minutes} minutes", context.InstanceId, minutes.Sum());
            return minutes.Sum();
        }

        [FunctionName("RunStep")]
        public static int RunStep([ActivityTrigger] IDurableActivityContext context, ILogger log)
        {
            string step = context.GetInput<string>();
            log.LogInformation("Running {Step}", step);
            return step.Length;
        }

        [FunctionName("Counter")]
        public static Task Counter([EntityTrigger] IDurableEntityContext ctx) => ctx.DispatchAsync<CounterState>();
    }

    public class CounterState
    {
        public int Value { get; set; }

        public void Add(int amount) => Value += amount;

        public int Get() => Value;
    }
}
