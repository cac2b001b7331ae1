package corpus

import (
	"math/rand/v2"
	"slices"
	"strings"
)

// Word lists the seed picks names from.
var (
	companies = []string{"Contoso", "Fabrikam", "Northwind", "AdventureWorks", "Tailspin", "Wingtip", "Litware", "Proseware",
		"Woodgrove", "Relecloud", "Lamna", "Humongous", "Trey", "Alpine", "Coho", "Margie", "Bellows", "Lucerne"}
	domains = []string{"Orders", "Billing", "Inventory", "Shipping", "Payments", "Catalog", "Notifications", "Reports",
		"Customers", "Invoices", "Returns", "Loyalty", "Telemetry", "Scheduling", "Bookings", "Claims", "Documents", "Pricing"}
	// appSuffixes end the project name: Contoso.Orders.Functions, OrdersApi.
	appSuffixes = []string{"Functions", "Api", "App", "Func", "Processor", "Jobs"}
	statuses    = []string{"received", "validated", "approved", "queued", "shipped", "settled", "archived", "published"}
	regions     = []string{"westeurope", "northeurope", "eastus", "eastus2", "westus2", "uksouth", "swedencentral", "australiaeast"}
	crons       = []string{"0 */5 * * * *", "0 0 * * * *", "0 30 2 * * *", "0 0 6 * * 1-5", "0 15 */2 * * *", "0 0 0 * * 0", "*/30 * * * * *", "0 45 23 * * *"}
)

// A noun is an entity the functions of a file deal with.
type noun struct {
	Name, Plural string
}

// lower is the name in lower-case words, for messages: "work order".
func (n noun) lower() string { return strings.ReplaceAll(kebab(n.Name), "-", " ") }

func (n noun) lowerPlural() string { return strings.ReplaceAll(kebab(n.Plural), "-", " ") }

// camel is the name with a lower-case first letter, for locals.
func (n noun) camel() string { return strings.ToLower(n.Name[:1]) + n.Name[1:] }

// kebab is the name in lower-case words joined by '-', for queues, routes
// and containers.
func (n noun) kebab() string { return kebab(n.Name) }

func (n noun) kebabPlural() string { return kebab(n.Plural) }

var nouns = []noun{
	{"Order", "Orders"}, {"Invoice", "Invoices"}, {"Shipment", "Shipments"}, {"Product", "Products"},
	{"Customer", "Customers"}, {"Payment", "Payments"}, {"Ticket", "Tickets"}, {"Booking", "Bookings"},
	{"Report", "Reports"}, {"Device", "Devices"}, {"Reading", "Readings"}, {"Coupon", "Coupons"},
	{"Refund", "Refunds"}, {"Document", "Documents"}, {"Appointment", "Appointments"}, {"Subscription", "Subscriptions"},
	{"Parcel", "Parcels"}, {"Voucher", "Vouchers"}, {"Quote", "Quotes"},
	{"StockItem", "StockItems"}, {"PriceList", "PriceLists"}, {"WorkOrder", "WorkOrders"}, {"Delivery", "Deliveries"},
}

func kebab(s string) string {
	var b strings.Builder
	for i, c := range s {
		if c >= 'A' && c <= 'Z' {
			if i > 0 {
				b.WriteByte('-')
			}
			c += 'a' - 'A'
		}
		b.WriteRune(c)
	}
	return b.String()
}

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

// pickN returns n distinct elements of xs in a random order (all of them
// when n >= len(xs)).
func pickN[T any](r *rand.Rand, xs []T, n int) []T {
	p := r.Perm(len(xs))
	if n > len(xs) {
		n = len(xs)
	}
	out := make([]T, n)
	for i := range out {
		out[i] = xs[p[i]]
	}
	return out
}

func chance(r *rand.Rand, num, den int) bool { return r.IntN(den) < num }

// between returns a number in [lo, hi].
func between(r *rand.Rand, lo, hi int) int { return lo + r.IntN(hi-lo+1) }

func sortStrings(ss []string) { slices.Sort(ss) }

// hexID returns n random hex digits in upper case, for GUIDs.
func hexID(r *rand.Rand, n int) string {
	const digits = "0123456789ABCDEF"
	b := make([]byte, n)
	for i := range b {
		b[i] = digits[r.IntN(16)]
	}
	return string(b)
}

func guid(r *rand.Rand) string {
	return hexID(r, 8) + "-" + hexID(r, 4) + "-" + hexID(r, 4) + "-" + hexID(r, 4) + "-" + hexID(r, 12)
}
