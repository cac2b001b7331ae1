using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Microsoft.DurableTask;
using Microsoft.Azure.Functions.Worker.Http;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Entities;

namespace Contoso.Fulfillment.Functions
{
    public class FulfillOrder
    {
        private readonly ILogger<FulfillOrder> _logger;

        public FulfillOrder(ILogger<FulfillOrder> logger)
        {
            _logger = logger;
        }

        [Function("FulfillOrder_Start")]
        public async Task<HttpResponseData> Start(
            [HttpTrigger(AuthorizationLevel.Function, "post", Route = "orders/{orderId}/fulfill")] HttpRequestData req,
            string orderId,
            [DurableClient] DurableTaskClient starter)
        {
            string instanceId = await starter.ScheduleNewOrchestrationInstanceAsync("FulfillOrder", new[] { "pick", "pack", "ship" }, new StartOrchestrationOptions(orderId));
            _logger.LogInformation("Started fulfillment {InstanceId}", instanceId);
            return await starter.CreateCheckStatusResponseAsync(req, instanceId);
        }

        [Function("FulfillOrder")]
        public static async Task<int> Run(
            [OrchestrationTrigger] TaskOrchestrationContext context)
        {
            ILogger log = context.CreateReplaySafeLogger("FulfillOrder");
            string[] steps = context.GetInput<string[]>();
            var retry = new RetryPolicy(3, TimeSpan.FromSeconds(10), backoffCoefficient: 2);

            var work = steps.Select(step => context.CallActivityAsync<int>("RunStep", step, TaskOptions.FromRetryPolicy(retry)));
            int[] minutes = await Task.WhenAll(work);

            await context.Entities.CallEntityAsync(new EntityInstanceId("Counter", "fulfilled"), "add", 1);
            log.LogInformation("Order {Id} fulfilled in {Minutes} minutes", context.InstanceId, minutes.Sum());
            return minutes.Sum();
        }

        [Function("RunStep")]
        public int RunStep([ActivityTrigger] string input)
        {
            string step = input;
            _logger.LogInformation("Running {Step}", step);
            return step.Length;
        }

        [Function("Counter")]
        public static Task Counter([EntityTrigger] TaskEntityDispatcher dispatcher) => dispatcher.DispatchAsync<CounterState>();
    }

    public class CounterState
    {
        public int Value { get; set; }

        public void Add(int amount) => Value += amount;

        public int Get() => Value;
    }
}
