using System.Collections.Generic;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Documents;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace Contoso.Inventory.Functions
{
    public class Product
    {
        public string Id { get; set; }
        public string Name { get; set; }
        public int Stock { get; set; }
    }

    public class Catalog
    {
        private readonly ILogger<Catalog> _logger;

        public Catalog(ILogger<Catalog> logger)
        {
            _logger = logger;
        }

        [Function("GetProduct")]
        public static IActionResult GetProduct(
            [HttpTrigger(AuthorizationLevel.Function, "get", Route = "products/{id}")] HttpRequest req,
            [CosmosDBInput("inventory", "products", Connection = "CosmosConnection", Id = "{id}", PartitionKey = "{id}")] Product product)
        {
            return product == null ? new NotFoundResult() : new OkObjectResult(product);
        }

        [Function("ProductsChanged")]
        public void ProductsChanged(
            // TODO(funcmigrate): cs-bindings use a POCO, or JsonNode for untyped documents (IReadOnlyList<T>) (MAPPING.md §4.6, §8 item 23)
            [CosmosDBTrigger(
                databaseName: "inventory",
                containerName: "products",
                Connection = "CosmosConnection",
                LeaseContainerName = "leases",
                CreateLeaseContainerIfNotExists = true)] IReadOnlyList<Document> changes)
        {
            _logger.LogInformation("{Count} products changed", changes.Count);
        }
    }
}
