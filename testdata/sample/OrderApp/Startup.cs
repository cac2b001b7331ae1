using System;
using Contoso.Orders.Services;
using Microsoft.Azure.Functions.Extensions.DependencyInjection;
using Microsoft.Azure.WebJobs.Host;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

[assembly: FunctionsStartup(typeof(Contoso.Orders.Startup))]

namespace Contoso.Orders
{
    public class Startup : FunctionsStartup
    {
        public override void Configure(IFunctionsHostBuilder builder)
        {
            var configuration = builder.GetContext().Configuration;

            builder.Services.AddHttpClient<IShippingQuotes, ShippingQuotes>(client =>
                client.BaseAddress = new Uri(configuration["ShippingApiUrl"]));
            builder.Services.AddOptions<ShippingOptions>()
                .Configure<IConfiguration>((options, config) => config.GetSection("Shipping").Bind(options));

            // Every invocation is audited.
            builder.Services.AddSingleton<IFunctionInvocationFilter, AuditFilter>();
        }
    }
}
