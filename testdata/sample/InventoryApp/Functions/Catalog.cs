using System.Collections.Generic;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Documents;
using Microsoft.Azure.WebJobs;
using Microsoft.Azure.WebJobs.Extensions.Http;
using Microsoft.Extensions.Logging;

namespace Contoso.Inventory.Functions
{
    public class Product
    {
        public string Id { get; set; }
        public string Name { get; set; }
        public int Stock { get; set; }
    }

    public static class Catalog
    {
        [FunctionName("GetProduct")]
        public static IActionResult GetProduct(
            [HttpTrigger(AuthorizationLevel.Function, "get", Route = "products/{id}")] HttpRequest req,
            [CosmosDB("inventory", "products", ConnectionStringSetting = "CosmosConnection", Id = "{id}", PartitionKey = "{id}")] Product product)
        {
            return product == null ? new NotFoundResult() : new OkObjectResult(product);
        }

        [FunctionName("ProductsChanged")]
        public static void ProductsChanged(
            [CosmosDBTrigger(
                databaseName: "inventory",
                collectionName: "products",
                ConnectionStringSetting = "CosmosConnection",
                LeaseCollectionName = "leases",
                CreateLeaseCollectionIfNotExists = true)] IReadOnlyList<Document> changes,
            ILogger log)
        {
            log.LogInformation("{Count} products changed", changes.Count);
        }
    }
}
