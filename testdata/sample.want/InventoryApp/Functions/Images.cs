using System.IO;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace Contoso.Inventory.Functions
{
    public class Images
    {
        private readonly ILogger<Images> _logger;

        public Images(ILogger<Images> logger)
        {
            _logger = logger;
        }

        [Function("MakeThumbnail")]
        [BlobOutput("thumbnails/{name}")]
        public byte[] MakeThumbnail(
            [BlobTrigger("product-images/{name}", Connection = "AzureWebJobsStorage")] Stream image,
            string name)
        {
            byte[] thumbnail;
            using var buffer = new MemoryStream();
            image.CopyTo(buffer);
            thumbnail = buffer.ToArray();
            _logger.LogInformation("Thumbnail for {Name}: {Bytes} bytes", name, thumbnail.Length);
            return thumbnail;
        }

        [Function("ArchiveImage")]
        public static void ArchiveImage(
            [BlobTrigger("product-images/{name}")] Stream image,
            // TODO(funcmigrate): cs-outputs return the content from a method or output property marked [BlobOutput], or write with the service's SDK client (MAPPING.md §3.5, §4.5)
            [Blob("archive/{name}", FileAccess.Write)] Stream archive)
        {
            image.CopyTo(archive);
        }
    }
}
