namespace Contoso.Orders.Models
{
    public class Order
    {
        public string Id { get; set; }
        public string Customer { get; set; }
        public decimal Total { get; set; }
    }
}
