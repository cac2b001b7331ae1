using System.IO;
using Microsoft.Azure.WebJobs;
using Microsoft.Extensions.Logging;

namespace Contoso.Inventory.Functions
{
    public static class Images
    {
        [FunctionName("MakeThumbnail")]
        public static void MakeThumbnail(
            [BlobTrigger("product-images/{name}", Connection = "AzureWebJobsStorage")] Stream image,
            string name,
            [Blob("thumbnails/{name}", FileAccess.Write)] out byte[] thumbnail,
            ILogger log)
        {
            using var buffer = new MemoryStream();
            image.CopyTo(buffer);
            thumbnail = buffer.ToArray();
            log.LogInformation("Thumbnail for {Name}: {Bytes} bytes", name, thumbnail.Length);
        }

        [FunctionName("ArchiveImage")]
        public static void ArchiveImage(
            [BlobTrigger("product-images/{name}")] Stream image,
            [Blob("archive/{name}", FileAccess.Write)] Stream archive)
        {
            image.CopyTo(archive);
        }
    }
}
