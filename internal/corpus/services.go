package corpus

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
)

// Service files: ordinary application code beside the functions
// (Config.ServiceFiles). Each file is one shape (a service, a repository, a
// validator...) for one entity: fixed types and members, plus optional
// blocks added until the file reaches a length drawn between
// minServiceLines and maxServiceLines.

const minServiceLines, maxServiceLines = 100, 400

// A svcBlock is an optional part of a shape.
type svcBlock struct {
	iface  string   // the interface member it implements, "" for none
	member string   // members of the main class
	call   string   // a statement the shape's main method runs for it (validators)
	types  []string // top-level types it needs, after the class
	usings []string
}

// A svcShape is a file under construction.
type svcShape struct {
	folder   string   // folder in the project, also the namespace suffix
	name     string   // file name without .cs
	usings   []string // always
	before   []string // top-level types before the interface and class
	iface    string   // interface header ("public interface IOrderService"), "" for none
	ifaceDoc string
	class    *csType // the main class with its fixed members
	// body builds the fixed members that depend on the chosen blocks (a
	// Validate method calling each rule); nil when there are none.
	body   func(chosen []svcBlock) []string
	blocks []svcBlock // offered in this order
	after  []string   // top-level types after the class
}

// serviceFiles adds Config.ServiceFiles files to the app, drawing only
// from g.sr.
func (g *repoGen) serviceFiles() {
	if g.cfg.ServiceFiles == 0 || g.app == "" {
		return
	}
	r := g.sr
	var appNouns []noun
	for _, c := range g.fnClasses {
		if !slices.Contains(appNouns, c.e) {
			appNouns = append(appNouns, c.e)
		}
	}
	start := r.IntN(len(serviceShapes))
	for i := range g.cfg.ServiceFiles {
		var s *svcShape
		// A shape an entity already has, or an extension topic already
		// written, moves on to the next shape.
		for try := 0; s == nil; try++ {
			k := (start + i + try) % len(serviceShapes)
			e := pick(r, nouns)
			if len(appNouns) > 0 && chance(r, 1, 2) {
				e = pick(r, appNouns)
			}
			if try >= 3*len(serviceShapes) {
				// Every pairing is taken: numbered names keep them apart.
				e = noun{e.Name + fmt.Sprint(i+1), e.Plural + fmt.Sprint(i+1)}
			}
			s = serviceShapes[k].build(&svcCtx{g: g, r: r, e: e})
		}
		g.writeService(s)
	}
}

// svcCtx is what a shape builder sees.
type svcCtx struct {
	g *repoGen
	r *rand.Rand
	e noun
}

// ex expands a template with the entity's and the app's names.
func (c *svcCtx) ex(tmpl string, pairs ...string) string {
	e := c.e
	base := []string{"E", e.Name, "Es", e.Plural, "e", e.camel(), "es", strings.ToLower(e.Plural[:1]) + e.Plural[1:],
		"lower", e.lower(), "lowerPlural", e.lowerPlural(), "kebab", e.kebab(), "Domain", c.g.domain, "Company", c.g.company}
	return expand(tmpl, append(pairs, base...)...)
}

// claim reserves a type name in the app; false when it is taken.
func (c *svcCtx) claim(names ...string) bool {
	for _, n := range names {
		if _, ok := c.g.shared[n]; ok {
			return false
		}
	}
	for _, n := range names {
		c.g.shared[n] = "-"
	}
	return true
}

// sharedType returns the namespace that defines a helper type every file
// of a kind uses (PagedResult<T>, ValidationResult), and whether this file
// is the first and must define it.
func (c *svcCtx) sharedType(name, ns string) (string, bool) {
	if at, ok := c.g.shared[name]; ok {
		return at, false
	}
	c.g.shared[name] = ns
	return ns, true
}

type svcShapeDef struct {
	name  string
	build func(c *svcCtx) *svcShape // nil when the entity already has one
}

var serviceShapes = []svcShapeDef{
	{"service", buildService},
	{"repository", buildRepository},
	{"validator", buildValidator},
	{"mapper", buildMapper},
	{"domain", buildDomain},
	{"client", buildClient},
	{"extensions", buildExtensions},
}

func (g *repoGen) serviceNS(folder string) string { return g.ns + "." + folder }

// writeService picks the shape's blocks and adds the file.
func (g *repoGen) writeService(s *svcShape) {
	r := g.sr
	f := &csFile{ns: g.serviceNS(s.folder), fileScoped: g.fileScoped}
	if chance(r, 1, 4) {
		f.header = "// Copyright (c) " + g.company + ". All rights reserved.\n\n"
	}
	// In-process projects leave nullable reference types off, so files
	// that use the annotations turn them on themselves.
	if g.kind != AlreadyIsolated {
		f.header += "#nullable enable\n\n"
	}
	target := between(r, minServiceLines, maxServiceLines)
	var chosen []svcBlock
	text := s.render(f, chosen)
	// Blocks in a random order until the target; the minimum holds even
	// when the draw skipped the blocks that would have reached the target.
	for _, i := range r.Perm(len(s.blocks)) {
		if lines(text) >= target {
			break
		}
		next := s.render(f, append(slices.Clone(chosen), s.blocks[i]))
		if lines(next) > maxServiceLines {
			continue
		}
		chosen = append(chosen, s.blocks[i])
		text = next
	}
	for i := 0; i < len(s.blocks) && lines(text) < minServiceLines; i++ {
		if s.index(s.blocks[i]) != i || slices.ContainsFunc(chosen, func(b svcBlock) bool { return s.index(b) == i }) {
			continue
		}
		next := s.render(f, append(slices.Clone(chosen), s.blocks[i]))
		if lines(next) <= maxServiceLines {
			chosen = append(chosen, s.blocks[i])
			text = next
		}
	}
	path := joinPath(g.projDir, s.folder, s.name+".cs")
	g.addCS(path, text)
	g.services = append(g.services, path)
}

func lines(s string) int { return strings.Count(s, "\n") }

// render returns the file with the chosen blocks, in the order the shape
// offers them.
func (s *svcShape) render(base *csFile, chosen []svcBlock) string {
	f := *base
	f.usings = slices.Clone(s.usings)
	ordered := slices.Clone(chosen)
	slices.SortStableFunc(ordered, func(a, b svcBlock) int {
		return s.index(a) - s.index(b)
	})
	f.types = slices.Clone(s.before)
	if s.iface != "" {
		it := newType(s.iface)
		if s.ifaceDoc != "" {
			it.header = s.ifaceDoc + it.header
		}
		for _, b := range ordered {
			if b.iface != "" {
				it.add(b.iface)
			}
		}
		f.types = append(f.types, it.render())
	}
	cls := *s.class
	cls.members = nil
	add := func(m string) { cls.add(strings.TrimLeft(m, "\n")) }
	for _, m := range s.class.members {
		add(m)
	}
	if s.body != nil {
		for _, m := range s.body(ordered) {
			add(m)
		}
	}
	var after []string
	for _, b := range ordered {
		f.use(b.usings...)
		if b.member != "" {
			add(b.member)
		}
		for _, t := range b.types {
			after = append(after, strings.TrimLeft(t, "\n"))
		}
	}
	f.types = append(f.types, cls.render())
	f.types = append(f.types, after...)
	f.types = append(f.types, s.after...)
	return f.render()
}

func (s *svcShape) index(b svcBlock) int {
	for i := range s.blocks {
		if s.blocks[i].member == b.member && s.blocks[i].iface == b.iface && s.blocks[i].call == b.call {
			return i
		}
	}
	return len(s.blocks)
}

// region wraps members in a #region when the draw says so.
func region(r *rand.Rand, name, members string) string {
	if !chance(r, 1, 3) {
		return members
	}
	return "#region " + name + "\n\n" + strings.TrimRight(members, "\n") + "\n\n#endregion\n"
}

// extraProps returns a few optional properties for a stored class, drawn
// from a pool (each with its initializer).
func extraProps(r *rand.Rand) string {
	pool := [][2]string{
		{"string", "Reference { get; set; } = string.Empty;"},
		{"decimal", "Amount { get; set; }"},
		{"int", "Quantity { get; set; }"},
		{"string?", "Notes { get; set; }"},
		{"bool", "IsActive { get; set; } = true;"},
		{"Guid", "CorrelationId { get; set; }"},
		{"string", "CustomerId { get; set; } = string.Empty;"},
		{"DateTimeOffset?", "ClosedOn { get; set; }"},
		{"List<string>", "Tags { get; set; } = new List<string>();"},
		{"string", `Currency { get; set; } = "EUR";`},
		{"int", "Priority { get; set; }"},
		{"string?", "Region { get; set; }"},
		{"int", "Version { get; set; }"},
	}
	var b strings.Builder
	for _, p := range pickN(r, pool, between(r, 2, 6)) {
		b.WriteString("\npublic " + p[0] + " " + p[1] + "\n")
	}
	return b.String()
}

// The shapes.

func buildService(c *svcCtx) *svcShape {
	e := c.e.Name
	if !c.claim("I"+e+"Service", e+"Service", e+"Summary", e+"Status", "I"+e+"Source", e+"ServiceOptions", e+"Statistics") {
		return nil
	}
	r := c.r
	pairs := []string{"days", fmt.Sprint(between(r, 7, 120)), "limit", fmt.Sprint(between(r, 1, 50) * 100),
		"pageSize", fmt.Sprint(pick(r, []int{10, 20, 25, 50, 100}))}
	x := func(s string) string { return c.ex(s, pairs...) }
	s := &svcShape{folder: "Services", name: e + "Service",
		usings: []string{"System", "System.Collections.Generic", "System.Linq", "System.Threading", "System.Threading.Tasks",
			"Microsoft.Extensions.Logging", "Microsoft.Extensions.Options"}}
	s.before = []string{x(`
/// <summary>
/// The states a {{lower}} goes through.
/// </summary>
public enum {{E}}Status
{
    Draft,
    Submitted,
    Approved,
    Rejected,
    Archived,
}
`), x(`
/// <summary>
/// A read-only view of a {{lower}} for lists and reports.
/// </summary>
/// <param name="Id">The identifier of the {{lower}}.</param>
/// <param name="Name">The display name.</param>
/// <param name="Status">Where the {{lower}} is in its lifecycle.</param>
/// <param name="Amount">The current amount, in the account currency.</param>
/// <param name="UpdatedOn">When the {{lower}} last changed.</param>
public sealed record {{E}}Summary(string Id, string Name, {{E}}Status Status, decimal Amount, DateTimeOffset UpdatedOn);
`), x(`
/// <summary>
/// Loads and stores {{lowerPlural}}; the host registers the real implementation.
/// </summary>
public interface I{{E}}Source
{
    Task<IReadOnlyList<{{E}}Summary>> LoadAsync(CancellationToken cancellationToken);

    Task SaveAsync({{E}}Summary item, CancellationToken cancellationToken);
}
`), x(`
/// <summary>
/// Settings of <see cref="{{E}}Service"/>, bound from configuration.
/// </summary>
public class {{E}}ServiceOptions
{
    public int PageSize { get; set; } = {{pageSize}};

    public int StaleAfterDays { get; set; } = {{days}};

    public decimal ReviewThreshold { get; set; } = {{limit}}m;
}
`)}
	s.iface = x("public interface I{{E}}Service")
	s.ifaceDoc = x("/// <summary>\n/// Queries and updates {{lowerPlural}}.\n/// </summary>\n")
	s.class = newType(x("public class {{E}}Service : I{{E}}Service"))
	s.class.header = x("/// <summary>\n/// Application logic for {{lowerPlural}}: queries, approvals and housekeeping.\n/// </summary>\n") + s.class.header
	s.class.add(x(`
private readonly I{{E}}Source _source;
private readonly {{E}}ServiceOptions _options;
private readonly ILogger<{{E}}Service> _logger;
`))
	s.class.add(x(`
public {{E}}Service(I{{E}}Source source, IOptions<{{E}}ServiceOptions> options, ILogger<{{E}}Service> logger)
{
    _source = source ?? throw new ArgumentNullException(nameof(source));
    _options = options?.Value ?? new {{E}}ServiceOptions();
    _logger = logger;
}
`))
	s.class.add(x(`
/// <inheritdoc />
public async Task<{{E}}Summary?> FindAsync(string id, CancellationToken cancellationToken = default)
{
    if (string.IsNullOrWhiteSpace(id))
    {
        throw new ArgumentException("An id is required.", nameof(id));
    }

    var all = await _source.LoadAsync(cancellationToken).ConfigureAwait(false);
    var match = all.FirstOrDefault(x => string.Equals(x.Id, id, StringComparison.OrdinalIgnoreCase));
    if (match is null)
    {
        _logger.LogDebug("{{E}} {Id} not found", id);
    }

    return match;
}
`))
	s.blocks = []svcBlock{
		{iface: x("Task<{{E}}Summary?> FindAsync(string id, CancellationToken cancellationToken = default);")},
		{iface: x("Task<IReadOnlyList<{{E}}Summary>> ListAsync(int page, CancellationToken cancellationToken = default);"), member: x(`
/// <inheritdoc />
public async Task<IReadOnlyList<{{E}}Summary>> ListAsync(int page, CancellationToken cancellationToken = default)
{
    if (page < 1)
    {
        throw new ArgumentOutOfRangeException(nameof(page), page, "Pages start at 1.");
    }

    var all = await _source.LoadAsync(cancellationToken).ConfigureAwait(false);
    return all
        .Where(x => x.Status is not {{E}}Status.Archived)
        .OrderByDescending(x => x.UpdatedOn)
        .ThenBy(x => x.Name, StringComparer.OrdinalIgnoreCase)
        .Skip((page - 1) * _options.PageSize)
        .Take(_options.PageSize)
        .ToList();
}
`)},
		{iface: x("Task<{{E}}Summary> ApproveAsync(string id, CancellationToken cancellationToken = default);"), member: x(`
/// <summary>
/// Approves a submitted {{lower}}; approving twice is harmless.
/// </summary>
/// <exception cref="KeyNotFoundException">No {{lower}} has that id.</exception>
/// <exception cref="InvalidOperationException">The {{lower}} is not waiting for approval.</exception>
public async Task<{{E}}Summary> ApproveAsync(string id, CancellationToken cancellationToken = default)
{
    var current = await FindAsync(id, cancellationToken).ConfigureAwait(false)
        ?? throw new KeyNotFoundException($"{{E}} '{id}' does not exist.");

    var next = current.Status switch
    {
        {{E}}Status.Submitted => current with { Status = {{E}}Status.Approved, UpdatedOn = DateTimeOffset.UtcNow },
        {{E}}Status.Approved => current,
        {{E}}Status.Draft or {{E}}Status.Rejected => throw new InvalidOperationException(
            $"A {current.Status.ToString().ToLowerInvariant()} {{lower}} cannot be approved."),
        _ => throw new InvalidOperationException($"Unexpected status {current.Status}."),
    };

    if (!ReferenceEquals(next, current))
    {
        await _source.SaveAsync(next, cancellationToken).ConfigureAwait(false);
        _logger.LogInformation("Approved {{lower}} {Id} ({Amount:N2})", next.Id, next.Amount);
    }

    return next;
}
`)},
		{iface: x("Task<IReadOnlyDictionary<{{E}}Status, decimal>> GetTotalsAsync(CancellationToken cancellationToken = default);"), member: x(`
/// <summary>
/// Sums the amounts of all {{lowerPlural}} by status.
/// </summary>
public async Task<IReadOnlyDictionary<{{E}}Status, decimal>> GetTotalsAsync(CancellationToken cancellationToken = default)
{
    var all = await _source.LoadAsync(cancellationToken).ConfigureAwait(false);
    var totals = all
        .GroupBy(x => x.Status)
        .ToDictionary(g => g.Key, g => g.Sum(x => x.Amount));

    foreach (var status in Enum.GetValues<{{E}}Status>())
    {
        totals.TryAdd(status, 0m);
    }

    return totals;
}
`)},
		{iface: x("Task<IReadOnlyList<string>> FindStaleAsync(CancellationToken cancellationToken = default);"), member: x(`
/// <summary>
/// Returns the ids of open {{lowerPlural}} nobody touched for
/// <see cref="{{E}}ServiceOptions.StaleAfterDays"/> days, oldest first.
/// </summary>
public async Task<IReadOnlyList<string>> FindStaleAsync(CancellationToken cancellationToken = default)
{
    var all = await _source.LoadAsync(cancellationToken).ConfigureAwait(false);
    var cutoff = DateTimeOffset.UtcNow.AddDays(-_options.StaleAfterDays);
    var stale =
        from item in all
        where item.UpdatedOn < cutoff && IsOpen(item.Status)
        orderby item.UpdatedOn
        select item.Id;
    return stale.ToList();
}

private static bool IsOpen({{E}}Status status) => status is {{E}}Status.Draft or {{E}}Status.Submitted;
`)},
		{iface: x("Task<int> ArchiveAsync(IEnumerable<string> ids, CancellationToken cancellationToken = default);"), member: x(`
/// <summary>
/// Archives the given {{lowerPlural}} and returns how many changed.
/// </summary>
public async Task<int> ArchiveAsync(IEnumerable<string> ids, CancellationToken cancellationToken = default)
{
    var wanted = new HashSet<string>(ids, StringComparer.OrdinalIgnoreCase);
    if (wanted.Count == 0)
    {
        return 0;
    }

    var archived = 0;
    foreach (var item in await _source.LoadAsync(cancellationToken).ConfigureAwait(false))
    {
        if (!wanted.Contains(item.Id) || item.Status == {{E}}Status.Archived)
        {
            continue;
        }

        await _source.SaveAsync(item with { Status = {{E}}Status.Archived, UpdatedOn = DateTimeOffset.UtcNow }, cancellationToken).ConfigureAwait(false);
        archived++;
    }

    _logger.LogInformation("Archived {Count} of {Requested} {{lowerPlural}}", archived, wanted.Count);
    return archived;
}
`)},
		{member: region(r, "Formatting", x(`
/// <summary>
/// Describes a {{lower}} for notifications and logs.
/// </summary>
public string Describe({{E}}Summary item) => item.Amount switch
{
    < 0m => $"{item.Name} has a negative balance of {-item.Amount:N2}",
    0m => $"{item.Name} is empty",
    var amount when amount >= _options.ReviewThreshold => $"{item.Name}: {amount:N2} (needs review)",
    _ => $"{item.Name}: {item.Amount:N2}",
};

/// <summary>
/// A short label for a status, as the UI shows it.
/// </summary>
public static string Label({{E}}Status status) => status switch
{
    {{E}}Status.Draft => "draft",
    {{E}}Status.Submitted => "waiting for approval",
    {{E}}Status.Approved => "approved",
    {{E}}Status.Rejected => "rejected",
    {{E}}Status.Archived => "archived",
    _ => status.ToString(),
};
`))},
		{iface: x("Task<{{E}}Summary?> FindLargestAsync(Func<{{E}}Summary, bool>? filter = null, CancellationToken cancellationToken = default);"), member: x(`
/// <inheritdoc />
public async Task<{{E}}Summary?> FindLargestAsync(Func<{{E}}Summary, bool>? filter = null, CancellationToken cancellationToken = default)
{
    var all = await _source.LoadAsync(cancellationToken).ConfigureAwait(false);
    IEnumerable<{{E}}Summary> query = all;
    if (filter is not null)
    {
        query = query.Where(filter);
    }

    return query.OrderByDescending(x => x.Amount).ThenBy(x => x.Id).FirstOrDefault();
}
`)},
	}
	s.blocks = append(s.blocks, serviceMore(x)...)
	return s
}

func buildRepository(c *svcCtx) *svcShape {
	e := c.e.Name
	if !c.claim(e+"Entity", "I"+e+"EntityRepository", e+"EntityRepository", e+"Query", e+"Sort", e+"RepositoryStats") {
		return nil
	}
	r := c.r
	x := func(s string) string { return c.ex(s) }
	ns := c.g.serviceNS("Infrastructure")
	s := &svcShape{folder: "Infrastructure", name: e + "EntityRepository",
		usings: []string{"System", "System.Collections.Generic", "System.Linq", "System.Threading", "System.Threading.Tasks", "Microsoft.Extensions.Logging"}}
	if _, first := c.sharedType("RepositoryBase", ns); first {
		s.usings = append(s.usings, "System.Collections.Concurrent")
		s.before = append(s.before, repositoryBase)
	}
	s.before = append(s.before, x(`
/// <summary>
/// A {{lower}} as it is stored.
/// </summary>
public class {{E}}Entity
{
    public string Id { get; set; } = string.Empty;

    public string Name { get; set; } = string.Empty;
`)+indent(extraProps(r), "    ")+`
    public DateTimeOffset UpdatedOn { get; set; }
}
`)
	s.iface = x("public interface I{{E}}EntityRepository : IRepository<{{E}}Entity, string>")
	s.class = newType(x("public sealed class {{E}}EntityRepository : RepositoryBase<{{E}}Entity, string>, I{{E}}EntityRepository"))
	s.class.add(x(`
public {{E}}EntityRepository(ILogger<{{E}}EntityRepository> logger)
    : base(logger)
{
}
`))
	s.class.add(x(`
protected override string KeyOf({{E}}Entity entity) => entity.Id;
`))
	s.class.add(x(`
protected override IEnumerable<{{E}}Entity> Order(IEnumerable<{{E}}Entity> items) =>
    items.OrderByDescending(x => x.UpdatedOn).ThenBy(x => x.Id, StringComparer.Ordinal);
`))
	s.blocks = []svcBlock{
		{iface: x("Task<IReadOnlyList<{{E}}Entity>> FindByNameAsync(string prefix, int max = 20, CancellationToken cancellationToken = default);"), member: x(`
/// <summary>
/// Finds {{lowerPlural}} whose name starts with <paramref name="prefix"/>, case-insensitively.
/// </summary>
public Task<IReadOnlyList<{{E}}Entity>> FindByNameAsync(string prefix, int max = 20, CancellationToken cancellationToken = default)
{
    cancellationToken.ThrowIfCancellationRequested();
    IReadOnlyList<{{E}}Entity> matches = Items
        .Where(x => x.Name.StartsWith(prefix ?? string.Empty, StringComparison.OrdinalIgnoreCase))
        .OrderBy(x => x.Name, StringComparer.OrdinalIgnoreCase)
        .Take(Math.Clamp(max, 1, 500))
        .ToList();
    return Task.FromResult(matches);
}
`)},
		{iface: x("Task<IReadOnlyDictionary<DateTime, int>> CountByDayAsync(DateTimeOffset since, CancellationToken cancellationToken = default);"), member: x(`
/// <summary>
/// Counts the {{lowerPlural}} changed on each day since <paramref name="since"/> (UTC days).
/// </summary>
public Task<IReadOnlyDictionary<DateTime, int>> CountByDayAsync(DateTimeOffset since, CancellationToken cancellationToken = default)
{
    var counts = Items
        .Where(x => x.UpdatedOn >= since)
        .GroupBy(x => x.UpdatedOn.UtcDateTime.Date)
        .OrderBy(g => g.Key)
        .ToDictionary(g => g.Key, g => g.Count());
    Logger.LogDebug("{Days} day(s) with {{lower}} changes since {Since:O}", counts.Count, since);
    return Task.FromResult<IReadOnlyDictionary<DateTime, int>>(counts);
}
`)},
		{iface: x("Task<int> TouchAsync(IEnumerable<string> ids, DateTimeOffset now, CancellationToken cancellationToken = default);"), member: x(`
/// <summary>
/// Marks the given {{lowerPlural}} as changed now; unknown ids are skipped.
/// </summary>
public async Task<int> TouchAsync(IEnumerable<string> ids, DateTimeOffset now, CancellationToken cancellationToken = default)
{
    var touched = 0;
    foreach (var id in ids.Distinct(StringComparer.Ordinal))
    {
        if (await GetAsync(id, cancellationToken).ConfigureAwait(false) is not { } entity)
        {
            continue;
        }

        entity.UpdatedOn = now;
        await UpsertAsync(entity, cancellationToken).ConfigureAwait(false);
        touched++;
    }

    return touched;
}
`)},
		{iface: x("Task<bool> ExistsAsync(string id, CancellationToken cancellationToken = default);"), member: x(`
/// <inheritdoc />
public async Task<bool> ExistsAsync(string id, CancellationToken cancellationToken = default) =>
    !string.IsNullOrEmpty(id) && await GetAsync(id, cancellationToken).ConfigureAwait(false) is not null;
`)},
		{iface: x("Task<PagedResult<{{E}}Entity>> SearchAsync({{E}}Query query, CancellationToken cancellationToken = default);"), member: x(`
/// <summary>
/// Runs a search with optional filters and paging.
/// </summary>
public Task<PagedResult<{{E}}Entity>> SearchAsync({{E}}Query query, CancellationToken cancellationToken = default)
{
    ArgumentNullException.ThrowIfNull(query);
    IEnumerable<{{E}}Entity> items = Items;
    if (!string.IsNullOrWhiteSpace(query.Text))
    {
        items = items.Where(x => x.Name.Contains(query.Text, StringComparison.OrdinalIgnoreCase)
            || x.Id.Equals(query.Text, StringComparison.OrdinalIgnoreCase));
    }

    if (query.ChangedAfter is { } after)
    {
        items = items.Where(x => x.UpdatedOn > after);
    }

    items = query.Sort switch
    {
        {{E}}Sort.Name => items.OrderBy(x => x.Name, StringComparer.OrdinalIgnoreCase),
        {{E}}Sort.Oldest => items.OrderBy(x => x.UpdatedOn),
        _ => items.OrderByDescending(x => x.UpdatedOn),
    };

    var all = items.ToList();
    var page = all.Skip((query.Page - 1) * query.PageSize).Take(query.PageSize).ToList();
    return Task.FromResult(new PagedResult<{{E}}Entity>(page, query.Page, query.PageSize, all.Count));
}
`), types: []string{x(`
/// <summary>
/// How search results are ordered.
/// </summary>
public enum {{E}}Sort
{
    Newest,
    Oldest,
    Name,
}
`), x(`
/// <summary>
/// The filters of a {{lower}} search.
/// </summary>
public sealed record {{E}}Query(string? Text = null, DateTimeOffset? ChangedAfter = null, {{E}}Sort Sort = {{E}}Sort.Newest, int Page = 1, int PageSize = 25);
`)}},
		{member: region(r, "Seeding", x(`
/// <summary>
/// Fills the repository with sample {{lowerPlural}} for local runs and demos.
/// </summary>
public async Task SeedAsync(int count, DateTimeOffset now, CancellationToken cancellationToken = default)
{
    for (var i = 1; i <= count; i++)
    {
        var entity = new {{E}}Entity
        {
            Id = $"{{kebab}}-{i:D4}",
            Name = $"Sample {{lower}} {i}",
            UpdatedOn = now.AddMinutes(-i * 7),
        };
        await UpsertAsync(entity, cancellationToken).ConfigureAwait(false);
    }

    Logger.LogInformation("Seeded {Count} {{lowerPlural}}", count);
}
`))},
	}
	s.blocks = append(s.blocks, repositoryMore(x)...)
	return s
}

// repositoryBase is the generic base every repository file of an app
// shares; the first one defines it.
const repositoryBase = `/// <summary>
/// A page of results and the total the query matched.
/// </summary>
/// <typeparam name="T">The type of the items.</typeparam>
public sealed record PagedResult<T>(IReadOnlyList<T> Items, int Page, int PageSize, int Total)
{
    public int PageCount => PageSize == 0 ? 0 : (Total + PageSize - 1) / PageSize;

    public bool HasNext => Page < PageCount;

    public static PagedResult<T> Empty(int pageSize) => new(Array.Empty<T>(), 1, pageSize, 0);
}

/// <summary>
/// Basic persistence operations for an entity type.
/// </summary>
/// <typeparam name="TEntity">The stored type.</typeparam>
/// <typeparam name="TKey">The type of its key.</typeparam>
public interface IRepository<TEntity, TKey>
    where TEntity : class
    where TKey : notnull
{
    Task<TEntity?> GetAsync(TKey key, CancellationToken cancellationToken = default);

    Task<PagedResult<TEntity>> ListAsync(int page, int pageSize, CancellationToken cancellationToken = default);

    Task UpsertAsync(TEntity entity, CancellationToken cancellationToken = default);

    Task<bool> DeleteAsync(TKey key, CancellationToken cancellationToken = default);
}

/// <summary>
/// An in-memory repository that derived classes specialise. Reads are
/// lock-free; writes are serialised so that hooks see a consistent state.
/// </summary>
public abstract class RepositoryBase<TEntity, TKey> : IRepository<TEntity, TKey>
    where TEntity : class
    where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, TEntity> _items = new();
    private readonly SemaphoreSlim _writeLock = new(1, 1);

    protected RepositoryBase(ILogger logger)
    {
        Logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    protected ILogger Logger { get; }

    protected IEnumerable<TEntity> Items => _items.Values;

    protected abstract TKey KeyOf(TEntity entity);

    protected virtual IEnumerable<TEntity> Order(IEnumerable<TEntity> items) => items;

    public virtual Task<TEntity?> GetAsync(TKey key, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(_items.TryGetValue(key, out var entity) ? entity : null);
    }

    public virtual Task<PagedResult<TEntity>> ListAsync(int page, int pageSize, CancellationToken cancellationToken = default)
    {
        if (page < 1 || pageSize < 1)
        {
            return Task.FromResult(PagedResult<TEntity>.Empty(Math.Max(pageSize, 1)));
        }

        var all = Order(_items.Values).ToList();
        var items = all.Skip((page - 1) * pageSize).Take(pageSize).ToList();
        return Task.FromResult(new PagedResult<TEntity>(items, page, pageSize, all.Count));
    }

    public virtual async Task UpsertAsync(TEntity entity, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entity);
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var key = KeyOf(entity);
            _items.AddOrUpdate(key, entity, (_, _) => entity);
            Logger.LogDebug("Stored {Type} {Key}", typeof(TEntity).Name, key);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public virtual Task<bool> DeleteAsync(TKey key, CancellationToken cancellationToken = default) =>
        Task.FromResult(_items.TryRemove(key, out _));
}
`

func buildValidator(c *svcCtx) *svcShape {
	e := c.e.Name
	if !c.claim(e+"Request", e+"RequestValidator", e+"ValidationExtensions") {
		return nil
	}
	r := c.r
	pairs := []string{"maxName", fmt.Sprint(pick(r, []int{50, 80, 100, 120, 200})), "maxAmount", fmt.Sprint(between(r, 1, 100) * 1000),
		"maxTags", fmt.Sprint(between(r, 3, 12)), "days", fmt.Sprint(between(r, 30, 730)), "maxQuantity", fmt.Sprint(between(r, 1, 100) * 10),
		"prefix", strings.ToUpper(c.e.Name[:min(3, len(c.e.Name))])}
	x := func(s string) string { return c.ex(s, pairs...) }
	ns := c.g.serviceNS("Validation")
	s := &svcShape{folder: "Validation", name: e + "RequestValidator",
		usings: []string{"System", "System.Collections.Generic", "System.Linq", "Microsoft.Extensions.Logging"}}
	if _, first := c.sharedType("ValidationResult", ns); first {
		s.before = append(s.before, validationTypes)
	}
	s.before = append(s.before, x(`
/// <summary>
/// What a client sends to create or change a {{lower}}.
/// </summary>
public sealed record {{E}}Request
{
    public string? Name { get; init; }

    public string? Email { get; init; }

    public decimal Amount { get; init; }

    public string? Currency { get; init; }

    public DateTime? DueDate { get; init; }

    public IReadOnlyList<string>? Tags { get; init; }

    public string? Reference { get; init; }

    public int Quantity { get; init; }

    public string? Notes { get; init; }

    public string? Priority { get; init; }
}
`))
	s.class = newType(x("public sealed class {{E}}RequestValidator : IValidator<{{E}}Request>"))
	s.class.header = x("/// <summary>\n/// Checks {{lower}} requests before they reach the service.\n/// </summary>\n") + s.class.header
	s.class.add(x(`
private const int MaxNameLength = {{maxName}};
private const decimal MaxAmount = {{maxAmount}}m;

private readonly ILogger<{{E}}RequestValidator>? _logger;
`))
	s.class.add(x(`
public {{E}}RequestValidator(ILogger<{{E}}RequestValidator>? logger = null)
{
    _logger = logger;
}
`))
	s.body = func(chosen []svcBlock) []string {
		var calls strings.Builder
		calls.WriteString("errors.AddRange(CheckName(request.Name));\n")
		for _, b := range chosen {
			if b.call != "" {
				calls.WriteString(b.call + "\n")
			}
		}
		return []string{x(`
/// <summary>
/// Validates <paramref name="request"/> and returns every problem found, not just the first.
/// </summary>
public ValidationResult Validate({{E}}Request request)
{
    if (request is null)
    {
        return new ValidationResult(new[] { new ValidationError(nameof(request), "A request body is required.") });
    }

    var errors = new List<ValidationError>();
` + indent(calls.String(), "    ") + `    if (errors.Count > 0)
    {
        _logger?.LogDebug("{{E}} request rejected with {Count} problem(s)", errors.Count);
        return new ValidationResult(errors);
    }

    return ValidationResult.Success;
}
`), x(`
private static IEnumerable<ValidationError> CheckName(string? name)
{
    if (name is null || name.Trim().Length == 0)
    {
        yield return new ValidationError(nameof({{E}}Request.Name), "A name is required.");
        yield break;
    }

    if (name.Length > MaxNameLength)
    {
        yield return new ValidationError(nameof({{E}}Request.Name), $"A name has at most {MaxNameLength} characters.");
    }

    if (name.Any(char.IsControl))
    {
        yield return new ValidationError(nameof({{E}}Request.Name), "A name cannot contain control characters.");
    }
}
`)}
	}
	s.blocks = []svcBlock{
		{call: "errors.AddRange(CheckEmail(request.Email));", usings: []string{"System.Text.RegularExpressions"}, member: x(`
private static readonly Regex EmailPattern = new(@"^[^@\s]+@[^@\s]+\.[a-z]{2,}$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

private static IEnumerable<ValidationError> CheckEmail(string? email)
{
    if (string.IsNullOrEmpty(email))
    {
        yield break;
    }

    if (!EmailPattern.IsMatch(email))
    {
        yield return new ValidationError(nameof({{E}}Request.Email), $"'{email}' is not an email address.");
    }
}
`)},
		{call: "if (CheckAmount(request.Amount) is { } amountError)\n{\n    errors.Add(new ValidationError(nameof(request.Amount), amountError));\n}", member: x(`
/// <summary>
/// Returns why an amount is not acceptable, or null when it is.
/// </summary>
private static string? CheckAmount(decimal amount) => amount switch
{
    < 0m => "The amount cannot be negative.",
    0m => "The amount must be more than zero.",
    > MaxAmount => $"The amount cannot be more than {MaxAmount:N0}.",
    _ when decimal.Round(amount, 2) != amount => "The amount has at most two decimals.",
    _ => null,
};
`)},
		{call: "errors.AddRange(CheckCurrency(request.Currency));", member: x(`
private static readonly HashSet<string> Currencies = new(StringComparer.OrdinalIgnoreCase) { "EUR", "USD", "GBP", "SEK", "NOK", "DKK", "CHF" };

private static IEnumerable<ValidationError> CheckCurrency(string? currency)
{
    switch (currency)
    {
        case null:
            yield break;
        case { Length: not 3 }:
            yield return new ValidationError(nameof({{E}}Request.Currency), "A currency is a three-letter ISO code.");
            break;
        case var code when !Currencies.Contains(code):
            yield return new ValidationError(nameof({{E}}Request.Currency), $"{code} is not a supported currency.");
            break;
    }
}
`)},
		{call: "errors.AddRange(CheckDueDate(request.DueDate, DateTime.UtcNow));", member: x(`
private static IEnumerable<ValidationError> CheckDueDate(DateTime? dueDate, DateTime now)
{
    if (dueDate is not { } due)
    {
        yield break;
    }

    if (due.Date < now.Date)
    {
        yield return new ValidationError(nameof({{E}}Request.DueDate), "The due date is in the past.");
    }
    else if (due > now.AddDays({{days}}))
    {
        yield return new ValidationError(nameof({{E}}Request.DueDate), "The due date is too far ahead.");
    }
}
`)},
		{call: "errors.AddRange(CheckTags(request.Tags));", member: x(`
private static IEnumerable<ValidationError> CheckTags(IReadOnlyList<string>? tags)
{
    if (tags is null or { Count: 0 })
    {
        yield break;
    }

    if (tags.Count > {{maxTags}})
    {
        yield return new ValidationError(nameof({{E}}Request.Tags), "At most {{maxTags}} tags are allowed.");
    }

    var duplicates = tags
        .GroupBy(t => t.Trim(), StringComparer.OrdinalIgnoreCase)
        .Where(g => g.Count() > 1)
        .Select(g => g.Key)
        .ToList();
    if (duplicates.Count > 0)
    {
        yield return new ValidationError(nameof({{E}}Request.Tags), $"Duplicate tags: {string.Join(", ", duplicates)}.");
    }
}
`)},
	}
	s.after = []string{x(`
/// <summary>
/// Helpers for callers that want an exception rather than a result.
/// </summary>
public static class {{E}}ValidationExtensions
{
    public static {{E}}Request EnsureValid(this IValidator<{{E}}Request> validator, {{E}}Request request)
    {
        var result = validator.Validate(request);
        return result.IsValid
            ? request
            : throw new ArgumentException($"Invalid {{lower}} request: {result}", nameof(request));
    }
}
`)}
	s.blocks = append(s.blocks, validatorMore(x)...)
	return s
}

// validationTypes are shared by the validator files of an app.
const validationTypes = `/// <summary>
/// One problem with a value, tied to the property it concerns.
/// </summary>
public sealed record ValidationError(string Property, string Message);

/// <summary>
/// The outcome of validating a value.
/// </summary>
public sealed class ValidationResult
{
    public ValidationResult(IReadOnlyList<ValidationError> errors)
    {
        Errors = errors ?? Array.Empty<ValidationError>();
    }

    public static ValidationResult Success { get; } = new(Array.Empty<ValidationError>());

    public IReadOnlyList<ValidationError> Errors { get; }

    public bool IsValid => Errors.Count == 0;

    public override string ToString() =>
        IsValid ? "valid" : string.Join("; ", Errors.Select(e => $"{e.Property}: {e.Message}"));
}

/// <summary>
/// Validates values of type <typeparamref name="T"/>.
/// </summary>
public interface IValidator<in T>
{
    ValidationResult Validate(T instance);
}
`

func buildMapper(c *svcCtx) *svcShape {
	e := c.e.Name
	if !c.claim(e+"Dto", e+"LineDto", e+"Document", e+"LineDocument", e+"Mapper") {
		return nil
	}
	r := c.r
	currency := pick(r, []string{"EUR", "USD", "GBP", "SEK"})
	x := func(s string) string { return c.ex(s, "currency", currency) }
	s := &svcShape{folder: "Mapping", name: e + "Mapper", usings: []string{"System", "System.Collections.Generic", "System.Globalization", "System.Linq"}}
	s.before = []string{x(`
/// <summary>
/// A {{lower}} as the public API returns it.
/// </summary>
public sealed record {{E}}Dto(
    string Id,
    string Name,
    string Status,
    decimal Amount,
    string Currency,
    IReadOnlyList<{{E}}LineDto> Lines,
    DateTimeOffset UpdatedOn);
`), x(`
/// <summary>
/// One line of a {{lower}}.
/// </summary>
public sealed record {{E}}LineDto(string Sku, int Quantity, decimal UnitPrice)
{
    public decimal Total => Quantity * UnitPrice;
}
`), x(`
/// <summary>
/// A {{lower}} as it is stored in the document database; amounts are in cents.
/// </summary>
public class {{E}}Document
{
    public string Id { get; set; } = string.Empty;

    public string? Name { get; set; }

    public string? Status { get; set; }

    public long AmountInCents { get; set; }

    public string? Currency { get; set; }

    public List<{{E}}LineDocument> Lines { get; set; } = new();

    public long UpdatedUnixSeconds { get; set; }

    public string? ETag { get; set; }
}
`), x(`
public class {{E}}LineDocument
{
    public string Sku { get; set; } = string.Empty;

    public int Quantity { get; set; }

    public long UnitPriceInCents { get; set; }
}
`)}
	s.class = newType(x("public static class {{E}}Mapper"))
	s.class.header = x("/// <summary>\n/// Maps {{lowerPlural}} between the stored and the API shapes.\n/// </summary>\n") + s.class.header
	s.class.add(x(`private const string DefaultCurrency = "{{currency}}";`))
	s.class.add(x(`
/// <summary>
/// Converts a stored {{lower}} to its API shape.
/// </summary>
public static {{E}}Dto ToDto(this {{E}}Document document)
{
    ArgumentNullException.ThrowIfNull(document);
    var lines = document.Lines?.Select(ToLineDto).ToList() ?? new List<{{E}}LineDto>();
    return new {{E}}Dto(
        document.Id,
        document.Name ?? string.Empty,
        NormalizeStatus(document.Status),
        FromCents(document.AmountInCents),
        string.IsNullOrEmpty(document.Currency) ? DefaultCurrency : document.Currency!,
        lines,
        DateTimeOffset.FromUnixTimeSeconds(document.UpdatedUnixSeconds));
}
`))
	s.class.add(x(`
public static {{E}}LineDto ToLineDto({{E}}LineDocument line) =>
    new(line.Sku, line.Quantity, FromCents(line.UnitPriceInCents));
`))
	s.class.add(region(r, "Conversions", `
private static decimal FromCents(long cents) => cents / 100m;

private static long ToCents(decimal amount) => (long)decimal.Round(amount * 100m, 0, MidpointRounding.AwayFromZero);
`))
	s.class.add(x(`
/// <summary>
/// Maps the spellings older clients stored to the current status names.
/// </summary>
public static string NormalizeStatus(string? status) => status?.Trim().ToLowerInvariant() switch
{
    null or "" => "draft",
    "new" or "created" => "draft",
    "pending" or "awaiting-approval" => "submitted",
    "ok" or "accepted" => "approved",
    "declined" => "rejected",
    var other when other.StartsWith("archived", StringComparison.Ordinal) => "archived",
    var other => other,
};
`))
	s.blocks = []svcBlock{
		{member: x(`
/// <summary>
/// Converts an API {{lower}} to the stored shape, keeping the concurrency tag of <paramref name="existing"/>.
/// </summary>
public static {{E}}Document ToDocument(this {{E}}Dto dto, {{E}}Document? existing = null) => new()
{
    Id = dto.Id,
    Name = dto.Name,
    Status = NormalizeStatus(dto.Status),
    AmountInCents = ToCents(dto.Amount),
    Currency = dto.Currency == DefaultCurrency ? null : dto.Currency,
    Lines = dto.Lines
        .Select(l => new {{E}}LineDocument { Sku = l.Sku, Quantity = l.Quantity, UnitPriceInCents = ToCents(l.UnitPrice) })
        .ToList(),
    UpdatedUnixSeconds = dto.UpdatedOn.ToUnixTimeSeconds(),
    ETag = existing?.ETag,
};
`)},
		{member: x(`
/// <summary>
/// Converts a batch of stored {{lowerPlural}}, skipping any without an id.
/// </summary>
public static IReadOnlyList<{{E}}Dto> ToDtos(this IEnumerable<{{E}}Document>? documents) =>
    documents?
        .Where(d => !string.IsNullOrEmpty(d.Id))
        .Select(d => d.ToDto())
        .ToList()
    ?? (IReadOnlyList<{{E}}Dto>)Array.Empty<{{E}}Dto>();
`)},
		{member: x(`
/// <summary>
/// Applies the fields a PATCH request set; nulls leave a field as it was.
/// </summary>
public static {{E}}Dto Merge(this {{E}}Dto current, string? name, decimal? amount, string? status)
{
    var merged = current;
    if (name is { Length: > 0 })
    {
        merged = merged with { Name = name.Trim() };
    }

    if (amount is { } value && value != current.Amount)
    {
        merged = merged with { Amount = value };
    }

    if (status is not null)
    {
        merged = merged with { Status = NormalizeStatus(status) };
    }

    return ReferenceEquals(merged, current) ? current : merged with { UpdatedOn = DateTimeOffset.UtcNow };
}
`)},
		{member: x(`
/// <summary>
/// Renders a {{lower}} as one line of the CSV export.
/// </summary>
public static string ToCsvLine(this {{E}}Dto dto)
{
    static string Escape(string value) =>
        value.IndexOfAny(new[] { ',', '"', '\n' }) >= 0 ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;

    var amount = dto.Amount.ToString("0.00", CultureInfo.InvariantCulture);
    return $"{Escape(dto.Id)},{Escape(dto.Name)},{dto.Status},{amount},{dto.Currency},{dto.Lines.Count},{dto.UpdatedOn:yyyy-MM-dd}";
}
`)},
		{member: x(`
/// <summary>
/// Groups {{lowerPlural}} by status for the dashboard.
/// </summary>
public static ILookup<string, {{E}}Dto> ByStatus(this IEnumerable<{{E}}Dto> items) =>
    items.ToLookup(i => i.Status, StringComparer.OrdinalIgnoreCase);

/// <summary>
/// The total of each currency over <paramref name="items"/>.
/// </summary>
public static IDictionary<string, decimal> TotalsByCurrency(this IEnumerable<{{E}}Dto> items)
{
    var totals = new SortedDictionary<string, decimal>(StringComparer.Ordinal);
    foreach (var item in items)
    {
        totals[item.Currency] = totals.TryGetValue(item.Currency, out var sum) ? sum + item.Amount : item.Amount;
    }

    return totals;
}
`)},
		{member: x(`
/// <summary>
/// Checks that the lines add up to the amount, to the cent.
/// </summary>
public static bool IsConsistent(this {{E}}Dto dto) =>
    dto.Lines.Count == 0 || decimal.Round(dto.Lines.Sum(l => l.Total), 2) == decimal.Round(dto.Amount, 2);
`)},
	}
	s.blocks = append(s.blocks, mapperMore(x)...)
	return s
}

func buildDomain(c *svcCtx) *svcShape {
	e := c.e.Name
	if !c.claim(e+"Aggregate", e+"Event", e+"Created", e+"LineAdded", e+"Submitted", e+"Cancelled", e+"Phase", e+"Line", e+"DomainException",
		e+"Discount", "Percentage"+e+"Discount", "Fixed"+e+"Discount", e+"Snapshot") {
		return nil
	}
	r := c.r
	maxLines := fmt.Sprint(between(r, 10, 200))
	x := func(s string) string { return c.ex(s, "maxLines", maxLines) }
	s := &svcShape{folder: "Domain", name: e + "Aggregate", usings: []string{"System", "System.Collections.Generic", "System.Linq"}}
	s.before = []string{x(`
/// <summary>
/// Something that happened to a {{lower}}; handlers publish these after saving.
/// </summary>
public abstract record {{E}}Event(string {{E}}Id, DateTimeOffset OccurredOn);

public sealed record {{E}}Created(string {{E}}Id, string Name, DateTimeOffset OccurredOn) : {{E}}Event({{E}}Id, OccurredOn);

public sealed record {{E}}LineAdded(string {{E}}Id, string Sku, int Quantity, DateTimeOffset OccurredOn) : {{E}}Event({{E}}Id, OccurredOn);

public sealed record {{E}}Submitted(string {{E}}Id, decimal Total, DateTimeOffset OccurredOn) : {{E}}Event({{E}}Id, OccurredOn);

public sealed record {{E}}Cancelled(string {{E}}Id, string Reason, DateTimeOffset OccurredOn) : {{E}}Event({{E}}Id, OccurredOn);
`), x(`
public enum {{E}}Phase
{
    Open,
    Submitted,
    Cancelled,
    Closed,
}
`), x(`
/// <summary>
/// A line of a {{lower}}: what, how many and at what price.
/// </summary>
public sealed record {{E}}Line(string Sku, int Quantity, decimal UnitPrice)
{
    public decimal Total => Quantity * UnitPrice;
}
`), x(`
/// <summary>
/// Thrown when a change would break one of the rules of a {{lower}}.
/// </summary>
public class {{E}}DomainException : Exception
{
    public {{E}}DomainException(string message)
        : base(message)
    {
    }
}
`)}
	s.class = newType(x("public class {{E}}Aggregate"))
	s.class.header = x("/// <summary>\n/// A {{lower}} and the rules that keep it consistent.\n/// </summary>\n") + s.class.header
	s.class.add(x(`
private const int MaxLines = {{maxLines}};

private readonly List<{{E}}Line> _lines = new();
private readonly List<{{E}}Event> _events = new();
`))
	s.class.add(x(`
private {{E}}Aggregate(string id, string name)
{
    Id = id;
    Name = name;
    Phase = {{E}}Phase.Open;
}
`))
	s.class.add(x(`
public string Id { get; }

public string Name { get; private set; }

public {{E}}Phase Phase { get; private set; }

public IReadOnlyList<{{E}}Line> Lines => _lines;

public IReadOnlyList<{{E}}Event> PendingEvents => _events;

public decimal Total => _lines.Sum(l => l.Total);
`))
	s.class.add(x(`
/// <summary>
/// Starts a new {{lower}}.
/// </summary>
public static {{E}}Aggregate Create(string id, string name, DateTimeOffset now)
{
    if (string.IsNullOrWhiteSpace(id))
    {
        throw new ArgumentException("An id is required.", nameof(id));
    }

    var aggregate = new {{E}}Aggregate(id, name?.Trim() ?? string.Empty);
    aggregate._events.Add(new {{E}}Created(id, aggregate.Name, now));
    return aggregate;
}
`))
	s.class.add(x(`
private void EnsureOpen(string action)
{
    if (Phase != {{E}}Phase.Open)
    {
        throw new {{E}}DomainException($"Cannot {action} {{lower}} {Id}: it is {Phase.ToString().ToLowerInvariant()}.");
    }
}
`))
	s.blocks = []svcBlock{
		{member: x(`
/// <summary>
/// Adds a line, or more of the same SKU to an existing line.
/// </summary>
public void AddLine(string sku, int quantity, decimal unitPrice, DateTimeOffset now)
{
    EnsureOpen("add a line to");
    if (quantity <= 0)
    {
        throw new {{E}}DomainException("The quantity must be positive.");
    }

    var index = _lines.FindIndex(l => string.Equals(l.Sku, sku, StringComparison.OrdinalIgnoreCase));
    if (index >= 0)
    {
        var existing = _lines[index];
        _lines[index] = existing with { Quantity = existing.Quantity + quantity };
    }
    else if (_lines.Count >= MaxLines)
    {
        throw new {{E}}DomainException($"A {{lower}} has at most {MaxLines} lines.");
    }
    else
    {
        _lines.Add(new {{E}}Line(sku, quantity, unitPrice));
    }

    _events.Add(new {{E}}LineAdded(Id, sku, quantity, now));
}
`)},
		{member: x(`
/// <summary>
/// Removes a line; removing a line that is not there does nothing.
/// </summary>
public bool RemoveLine(string sku)
{
    EnsureOpen("remove a line from");
    return _lines.RemoveAll(l => string.Equals(l.Sku, sku, StringComparison.OrdinalIgnoreCase)) > 0;
}
`)},
		{member: x(`
public void Rename(string name)
{
    EnsureOpen("rename");
    Name = string.IsNullOrWhiteSpace(name)
        ? throw new {{E}}DomainException("A name is required.")
        : name.Trim();
}
`)},
		{member: x(`
/// <summary>
/// Submits the {{lower}}; it must have at least one line.
/// </summary>
public void Submit(DateTimeOffset now)
{
    EnsureOpen("submit");
    if (_lines is { Count: 0 })
    {
        throw new {{E}}DomainException("An empty {{lower}} cannot be submitted.");
    }

    Phase = {{E}}Phase.Submitted;
    _events.Add(new {{E}}Submitted(Id, Total, now));
}
`)},
		{member: x(`
public void Cancel(string reason, DateTimeOffset now)
{
    switch (Phase)
    {
        case {{E}}Phase.Cancelled:
            return;
        case {{E}}Phase.Closed:
            throw new {{E}}DomainException("A closed {{lower}} cannot be cancelled.");
        default:
            Phase = {{E}}Phase.Cancelled;
            _events.Add(new {{E}}Cancelled(Id, string.IsNullOrEmpty(reason) ? "unspecified" : reason, now));
            break;
    }
}
`)},
		{member: region(r, "Replay", x(`
/// <summary>
/// Rebuilds a {{lower}} from its stored events, oldest first.
/// </summary>
public static {{E}}Aggregate Replay(IEnumerable<{{E}}Event> history)
{
    {{E}}Aggregate? aggregate = null;
    foreach (var evt in history)
    {
        switch (evt)
        {
            case {{E}}Created created:
                aggregate = new {{E}}Aggregate(created.{{E}}Id, created.Name);
                break;
            case {{E}}LineAdded added when aggregate is not null:
                aggregate._lines.Add(new {{E}}Line(added.Sku, added.Quantity, 0m));
                break;
            case {{E}}Submitted when aggregate is not null:
                aggregate.Phase = {{E}}Phase.Submitted;
                break;
            case {{E}}Cancelled when aggregate is not null:
                aggregate.Phase = {{E}}Phase.Cancelled;
                break;
            default:
                throw new {{E}}DomainException($"Unexpected event {evt.GetType().Name} for {evt.{{E}}Id}.");
        }
    }

    return aggregate ?? throw new {{E}}DomainException("The history does not start with a creation.");
}

/// <summary>
/// Returns the events raised since the last save and forgets them.
/// </summary>
public IReadOnlyList<{{E}}Event> DequeueEvents()
{
    var events = _events.ToArray();
    _events.Clear();
    return events;
}
`))},
		{member: x(`
public override string ToString() => Phase switch
{
    {{E}}Phase.Open when _lines.Count == 0 => $"{{E}} {Id} ({Name}): empty",
    {{E}}Phase.Open => $"{{E}} {Id} ({Name}): {_lines.Count} line(s), {Total:N2}",
    {{E}}Phase.Submitted => $"{{E}} {Id} ({Name}): submitted for {Total:N2}",
    var phase => $"{{E}} {Id} ({Name}): {phase.ToString().ToLowerInvariant()}",
};
`)},
	}
	s.blocks = append(s.blocks, domainMore(x)...)
	return s
}

func buildClient(c *svcCtx) *svcShape {
	e := c.e.Name
	if !c.claim(e+"ApiClient", "I"+e+"ApiClient", e+"ApiOptions", e+"Resource", e+"Page") {
		return nil
	}
	r := c.r
	pairs := []string{"attempts", fmt.Sprint(between(r, 2, 5)), "delay", fmt.Sprint(pick(r, []int{100, 200, 250, 500, 1000})),
		"host", strings.ToLower(c.g.company) + "-" + kebab(c.g.domain) + ".example.com"}
	x := func(s string) string { return c.ex(s, pairs...) }
	s := &svcShape{folder: "Infrastructure", name: e + "ApiClient",
		usings: []string{"System", "System.Collections.Generic", "System.Net", "System.Net.Http", "System.Text", "System.Text.Json",
			"System.Text.Json.Serialization", "System.Threading", "System.Threading.Tasks", "Microsoft.Extensions.Logging", "Microsoft.Extensions.Options"}}
	s.before = []string{x(`
/// <summary>
/// Where the {{lower}} API lives and how hard to try it.
/// </summary>
public sealed class {{E}}ApiOptions
{
    public Uri BaseAddress { get; set; } = new("https://{{host}}/");

    public int MaxAttempts { get; set; } = {{attempts}};

    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromMilliseconds({{delay}});
}
`), x(`
/// <summary>
/// A {{lower}} as the remote API represents it.
/// </summary>
public sealed class {{E}}Resource
{
    [JsonPropertyName("id")]
    public string Id { get; set; } = string.Empty;

    [JsonPropertyName("name")]
    public string Name { get; set; } = string.Empty;

    [JsonPropertyName("status")]
    public string? Status { get; set; }

    [JsonPropertyName("amount")]
    public decimal Amount { get; set; }

    [JsonPropertyName("updated")]
    public DateTimeOffset? Updated { get; set; }
}
`)}
	s.iface = x("public interface I{{E}}ApiClient")
	s.class = newType(x("public sealed class {{E}}ApiClient : I{{E}}ApiClient"))
	s.class.header = x("/// <summary>\n/// Calls the {{lower}} API with retries on transient failures.\n/// </summary>\n") + s.class.header
	s.class.add(`
private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
{
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
};

private readonly HttpClient _http;
private readonly ` + x("{{E}}ApiOptions") + ` _options;
private readonly ILogger<` + x("{{E}}ApiClient") + `> _logger;
`)
	s.class.add(x(`
public {{E}}ApiClient(HttpClient http, IOptions<{{E}}ApiOptions> options, ILogger<{{E}}ApiClient> logger)
{
    _http = http;
    _options = options.Value;
    _logger = logger;
    _http.BaseAddress ??= _options.BaseAddress;
}
`))
	s.class.add(region(r, "Plumbing", x(`
/// <summary>
/// Sends a request built by <paramref name="build"/>, retrying on 5xx, 429 and network errors
/// with exponential back-off.
/// </summary>
private async Task<HttpResponseMessage> SendWithRetryAsync(Func<HttpRequestMessage> build, CancellationToken cancellationToken)
{
    for (var attempt = 1; ; attempt++)
    {
        try
        {
            var response = await _http.SendAsync(build(), cancellationToken).ConfigureAwait(false);
            var transient = response.StatusCode is HttpStatusCode.TooManyRequests or >= HttpStatusCode.InternalServerError;
            if (!transient || attempt >= _options.MaxAttempts)
            {
                return response;
            }

            _logger.LogWarning("{{E}} API answered {Status}; attempt {Attempt} of {Max}", (int)response.StatusCode, attempt, _options.MaxAttempts);
            response.Dispose();
        }
        catch (HttpRequestException ex) when (attempt < _options.MaxAttempts)
        {
            _logger.LogWarning(ex, "{{E}} API unreachable; attempt {Attempt} of {Max}", attempt, _options.MaxAttempts);
        }

        var delay = TimeSpan.FromMilliseconds(_options.FirstRetryDelay.TotalMilliseconds * Math.Pow(2, attempt - 1));
        await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
    }
}

private static async Task<T?> ReadAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken)
    where T : class
{
    var json = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
    return string.IsNullOrWhiteSpace(json) ? null : JsonSerializer.Deserialize<T>(json, JsonOptions);
}
`)))
	s.blocks = []svcBlock{
		{iface: x("Task<{{E}}Resource?> GetAsync(string id, CancellationToken cancellationToken = default);"), member: x(`
/// <inheritdoc />
public async Task<{{E}}Resource?> GetAsync(string id, CancellationToken cancellationToken = default)
{
    using var response = await SendWithRetryAsync(
        () => new HttpRequestMessage(HttpMethod.Get, $"{{kebab}}s/{Uri.EscapeDataString(id)}"),
        cancellationToken).ConfigureAwait(false);

    return response.StatusCode switch
    {
        HttpStatusCode.OK => await ReadAsync<{{E}}Resource>(response, cancellationToken).ConfigureAwait(false),
        HttpStatusCode.NotFound or HttpStatusCode.Gone => null,
        var status => throw new HttpRequestException($"GET {{kebab}} {id} failed with {(int)status} {status}."),
    };
}
`)},
		{iface: x("Task<IReadOnlyList<{{E}}Resource>> ListAllAsync(int pageSize = 100, CancellationToken cancellationToken = default);"), member: x(`
/// <inheritdoc />
public async Task<IReadOnlyList<{{E}}Resource>> ListAllAsync(int pageSize = 100, CancellationToken cancellationToken = default)
{
    var all = new List<{{E}}Resource>();
    string? next = $"{{kebab}}s?top={pageSize}";
    while (next is not null)
    {
        var url = next;
        using var response = await SendWithRetryAsync(() => new HttpRequestMessage(HttpMethod.Get, url), cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        var page = await ReadAsync<{{E}}Page>(response, cancellationToken).ConfigureAwait(false);
        if (page?.Items is { Count: > 0 } items)
        {
            all.AddRange(items);
        }

        next = page?.NextLink;
    }

    _logger.LogDebug("Listed {Count} {{lowerPlural}}", all.Count);
    return all;
}
`), types: []string{x(`
/// <summary>
/// One page of a list response.
/// </summary>
public sealed class {{E}}Page
{
    [JsonPropertyName("items")]
    public List<{{E}}Resource>? Items { get; set; }

    [JsonPropertyName("nextLink")]
    public string? NextLink { get; set; }
}
`)}},
		{iface: x("Task<{{E}}Resource> CreateAsync({{E}}Resource resource, CancellationToken cancellationToken = default);"), member: x(`
/// <inheritdoc />
public async Task<{{E}}Resource> CreateAsync({{E}}Resource resource, CancellationToken cancellationToken = default)
{
    ArgumentNullException.ThrowIfNull(resource);
    var body = JsonSerializer.Serialize(resource, JsonOptions);
    using var response = await SendWithRetryAsync(
        () => new HttpRequestMessage(HttpMethod.Post, "{{kebab}}s") { Content = new StringContent(body, Encoding.UTF8, "application/json") },
        cancellationToken).ConfigureAwait(false);

    if (response.StatusCode == HttpStatusCode.Conflict)
    {
        throw new InvalidOperationException($"A {{lower}} with id {resource.Id} already exists.");
    }

    response.EnsureSuccessStatusCode();
    return await ReadAsync<{{E}}Resource>(response, cancellationToken).ConfigureAwait(false)
        ?? throw new InvalidOperationException("The API returned an empty body.");
}
`)},
		{iface: x("Task<bool> DeleteAsync(string id, CancellationToken cancellationToken = default);"), member: x(`
/// <inheritdoc />
public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken = default)
{
    using var response = await SendWithRetryAsync(
        () => new HttpRequestMessage(HttpMethod.Delete, $"{{kebab}}s/{Uri.EscapeDataString(id)}"),
        cancellationToken).ConfigureAwait(false);
    if (response.StatusCode == HttpStatusCode.NotFound)
    {
        return false;
    }

    response.EnsureSuccessStatusCode();
    _logger.LogInformation("Deleted {{lower}} {Id}", id);
    return true;
}
`)},
		{iface: x("Task<IDictionary<string, decimal>> GetAmountsAsync(IEnumerable<string> ids, CancellationToken cancellationToken = default);"), member: x(`
/// <inheritdoc />
public async Task<IDictionary<string, decimal>> GetAmountsAsync(IEnumerable<string> ids, CancellationToken cancellationToken = default)
{
    var tasks = new Dictionary<string, Task<{{E}}Resource?>>(StringComparer.Ordinal);
    foreach (var id in ids)
    {
        tasks.TryAdd(id, GetAsync(id, cancellationToken));
    }

    await Task.WhenAll(tasks.Values).ConfigureAwait(false);
    var amounts = new Dictionary<string, decimal>(StringComparer.Ordinal);
    foreach (var (id, task) in tasks)
    {
        if (task.Result is { } resource)
        {
            amounts[id] = resource.Amount;
        }
    }

    return amounts;
}
`)},
	}
	s.blocks = append(s.blocks, clientMore(x)...)
	return s
}

// Extension topics; a file holds one static class of helpers.
var extensionTopics = []string{"EnumerableExtensions", "StringExtensions", "DateTimeExtensions", "DictionaryExtensions"}

func buildExtensions(c *svcCtx) *svcShape {
	var topic string
	for _, t := range pickN(c.r, extensionTopics, len(extensionTopics)) {
		if c.claim(t) {
			topic = t
			break
		}
	}
	if topic == "" {
		return nil
	}
	s := &svcShape{folder: "Extensions", name: topic, usings: []string{"System", "System.Collections.Generic", "System.Linq"}}
	s.class = newType("public static class " + topic)
	x := func(t string) string { return c.ex(t) }
	switch topic {
	case "EnumerableExtensions":
		s.class.header = "/// <summary>\n/// LINQ helpers the handlers share.\n/// </summary>\n" + s.class.header
		s.class.add(`
/// <summary>
/// Splits a sequence into batches of at most <paramref name="size"/> items.
/// </summary>
public static IEnumerable<IReadOnlyList<T>> Batch<T>(this IEnumerable<T> source, int size)
{
    if (size < 1)
    {
        throw new ArgumentOutOfRangeException(nameof(size), size, "A batch holds at least one item.");
    }

    var batch = new List<T>(size);
    foreach (var item in source)
    {
        batch.Add(item);
        if (batch.Count == size)
        {
            yield return batch;
            batch = new List<T>(size);
        }
    }

    if (batch.Count > 0)
    {
        yield return batch;
    }
}
`)
		s.blocks = []svcBlock{
			{member: `
/// <summary>
/// Applies <paramref name="predicate"/> only when <paramref name="condition"/> holds.
/// </summary>
public static IEnumerable<T> WhereIf<T>(this IEnumerable<T> source, bool condition, Func<T, bool> predicate) =>
    condition ? source.Where(predicate) : source;
`},
			{member: `
public static bool IsNullOrEmpty<T>([NotNullWhen(false)] this IEnumerable<T>? source) =>
    source is null || !source.Any();
`, usings: []string{"System.Diagnostics.CodeAnalysis"}},
			{member: `
/// <summary>
/// The item with the largest key, or the default when the sequence is empty.
/// </summary>
public static T? MaxByOrDefault<T, TKey>(this IEnumerable<T> source, Func<T, TKey> key)
    where TKey : IComparable<TKey>
{
    using var e = source.GetEnumerator();
    if (!e.MoveNext())
    {
        return default;
    }

    var best = e.Current;
    var bestKey = key(best);
    while (e.MoveNext())
    {
        var k = key(e.Current);
        if (k.CompareTo(bestKey) > 0)
        {
            best = e.Current;
            bestKey = k;
        }
    }

    return best;
}
`},
			{member: `
/// <summary>
/// Runs <paramref name="action"/> on every item, at most <paramref name="degree"/> at a time.
/// </summary>
public static async Task ForEachAsync<T>(this IEnumerable<T> source, Func<T, Task> action, int degree = 4)
{
    using var gate = new SemaphoreSlim(degree);
    var running = source.Select(async item =>
    {
        await gate.WaitAsync().ConfigureAwait(false);
        try
        {
            await action(item).ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
    });
    await Task.WhenAll(running).ConfigureAwait(false);
}
`, usings: []string{"System.Threading", "System.Threading.Tasks"}},
			{member: `
public static IReadOnlyList<T> ToReadOnlyList<T>(this IEnumerable<T>? source) =>
    source switch
    {
        null => Array.Empty<T>(),
        IReadOnlyList<T> list => list,
        _ => source.ToList(),
    };
`},
			{member: `
/// <summary>
/// Counts the items of each key, most frequent first.
/// </summary>
public static IEnumerable<(TKey Key, int Count)> Frequencies<T, TKey>(this IEnumerable<T> source, Func<T, TKey> key)
    where TKey : notnull =>
    source
        .GroupBy(key)
        .Select(g => (g.Key, g.Count()))
        .OrderByDescending(p => p.Item2);
`},
		}
	case "StringExtensions":
		s.class.header = x("/// <summary>\n/// String helpers for names, ids and log output in the {{Domain}} app.\n/// </summary>\n") + s.class.header
		s.class.add(`
/// <summary>
/// Shortens a string to <paramref name="max"/> characters, ending with an ellipsis when cut.
/// </summary>
public static string Truncate(this string? value, int max)
{
    if (string.IsNullOrEmpty(value) || value.Length <= max)
    {
        return value ?? string.Empty;
    }

    return max <= 1 ? value[..max] : value[..(max - 1)] + "…";
}
`)
		s.blocks = []svcBlock{
			{member: `
/// <summary>
/// "WorkOrderId" becomes "work-order-id", for queue and blob names.
/// </summary>
public static string ToKebabCase(this string value)
{
    var builder = new StringBuilder(value.Length + 8);
    for (var i = 0; i < value.Length; i++)
    {
        var c = value[i];
        if (char.IsUpper(c))
        {
            if (i > 0 && value[i - 1] != '-')
            {
                builder.Append('-');
            }

            builder.Append(char.ToLowerInvariant(c));
        }
        else
        {
            builder.Append(c == '_' || c == ' ' ? '-' : c);
        }
    }

    return builder.ToString();
}
`, usings: []string{"System.Text"}},
			{member: `
/// <summary>
/// Masks the local part of an email address for logs: "jane@example.com" becomes "j***@example.com".
/// </summary>
public static string MaskEmail(this string? email)
{
    if (email is null)
    {
        return string.Empty;
    }

    var at = email.IndexOf('@');
    return at switch
    {
        < 0 => new string('*', email.Length),
        0 or 1 => "*" + email[at..],
        _ => email[0] + new string('*', at - 1) + email[at..],
    };
}
`},
			{member: `
public static string? NullIfWhiteSpace(this string? value) =>
    string.IsNullOrWhiteSpace(value) ? null : value.Trim();

public static bool EqualsIgnoreCase(this string? a, string? b) =>
    string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
`},
			{member: `
/// <summary>
/// Parses "key=value;key2=value2" into a dictionary; later keys win.
/// </summary>
public static IDictionary<string, string> ParsePairs(this string? text, char separator = ';')
{
    var pairs = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
    if (string.IsNullOrWhiteSpace(text))
    {
        return pairs;
    }

    foreach (var part in text.Split(separator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
    {
        var eq = part.IndexOf('=');
        if (eq <= 0)
        {
            continue;
        }

        pairs[part[..eq].Trim()] = part[(eq + 1)..].Trim();
    }

    return pairs;
}
`},
			{member: `
public static string ToTitleCase(this string value) =>
    CultureInfo.InvariantCulture.TextInfo.ToTitleCase(value.ToLowerInvariant());
`, usings: []string{"System.Globalization"}},
		}
	case "DateTimeExtensions":
		s.class.header = "/// <summary>\n/// Calendar helpers for schedules and reports (all in UTC).\n/// </summary>\n" + s.class.header
		s.class.add(`
/// <summary>
/// Midnight of the first day of the week that contains <paramref name="date"/>.
/// </summary>
public static DateTime StartOfWeek(this DateTime date, DayOfWeek first = DayOfWeek.Monday)
{
    var diff = (7 + (date.DayOfWeek - first)) % 7;
    return date.Date.AddDays(-diff);
}
`)
		s.blocks = []svcBlock{
			{member: `
public static bool IsBusinessDay(this DateTime date) => date.DayOfWeek switch
{
    DayOfWeek.Saturday or DayOfWeek.Sunday => false,
    _ => true,
};

/// <summary>
/// Adds <paramref name="days"/> business days, skipping weekends.
/// </summary>
public static DateTime AddBusinessDays(this DateTime date, int days)
{
    var step = days < 0 ? -1 : 1;
    var result = date;
    for (var remaining = Math.Abs(days); remaining > 0;)
    {
        result = result.AddDays(step);
        if (result.IsBusinessDay())
        {
            remaining--;
        }
    }

    return result;
}
`},
			{member: `
public static int Quarter(this DateTime date) => (date.Month - 1) / 3 + 1;

public static DateTime StartOfQuarter(this DateTime date) => new(date.Year, (date.Quarter() - 1) * 3 + 1, 1, 0, 0, 0, date.Kind);
`},
			{member: `
public static string ToIsoDate(this DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

public static string ToIsoDate(this DateTime value) => value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
`, usings: []string{"System.Globalization"}},
			{member: `
/// <summary>
/// Describes how long ago <paramref name="then"/> was, for messages.
/// </summary>
public static string Ago(this DateTimeOffset then, DateTimeOffset now)
{
    var span = now - then;
    return span switch
    {
        { TotalSeconds: < 60 } => "just now",
        { TotalMinutes: < 60 } => $"{(int)span.TotalMinutes} min ago",
        { TotalHours: < 24 } => $"{(int)span.TotalHours} h ago",
        { TotalDays: < 30 } => $"{(int)span.TotalDays} days ago",
        _ => then.ToString("d MMM yyyy", CultureInfo.InvariantCulture),
    };
}
`, usings: []string{"System.Globalization"}},
			{member: `
/// <summary>
/// Every day from <paramref name="from"/> to <paramref name="to"/>, both included.
/// </summary>
public static IEnumerable<DateTime> DaysUntil(this DateTime from, DateTime to)
{
    for (var day = from.Date; day <= to.Date; day = day.AddDays(1))
    {
        yield return day;
    }
}
`},
		}
	default: // DictionaryExtensions
		s.class.header = "/// <summary>\n/// Dictionary helpers for caches and lookups.\n/// </summary>\n" + s.class.header
		s.class.add(`
/// <summary>
/// Returns the value for <paramref name="key"/>, adding the one <paramref name="create"/> makes when missing.
/// </summary>
public static TValue GetOrAdd<TKey, TValue>(this IDictionary<TKey, TValue> dictionary, TKey key, Func<TKey, TValue> create)
    where TKey : notnull
{
    if (!dictionary.TryGetValue(key, out var value))
    {
        value = create(key);
        dictionary[key] = value;
    }

    return value;
}
`)
		s.blocks = []svcBlock{
			{member: `
/// <summary>
/// Copies <paramref name="other"/> into <paramref name="target"/>; existing keys are overwritten
/// only when <paramref name="overwrite"/> is set.
/// </summary>
public static IDictionary<TKey, TValue> Merge<TKey, TValue>(this IDictionary<TKey, TValue> target, IEnumerable<KeyValuePair<TKey, TValue>> other, bool overwrite = true)
    where TKey : notnull
{
    foreach (var (key, value) in other)
    {
        if (overwrite || !target.ContainsKey(key))
        {
            target[key] = value;
        }
    }

    return target;
}
`},
			{member: `
public static int Increment<TKey>(this IDictionary<TKey, int> counts, TKey key, int by = 1)
    where TKey : notnull =>
    counts[key] = counts.TryGetValue(key, out var current) ? current + by : by;
`},
			{member: `
/// <summary>
/// Renders a dictionary as "a=1, b=2" in key order, for logs.
/// </summary>
public static string ToDisplayString<TKey, TValue>(this IReadOnlyDictionary<TKey, TValue> dictionary)
    where TKey : notnull =>
    string.Join(", ", dictionary.OrderBy(p => p.Key).Select(p => $"{p.Key}={p.Value}"));
`},
			{member: `
/// <summary>
/// Swaps keys and values; values that repeat keep their first key.
/// </summary>
public static Dictionary<TValue, TKey> Invert<TKey, TValue>(this IReadOnlyDictionary<TKey, TValue> dictionary)
    where TKey : notnull
    where TValue : notnull
{
    var inverted = new Dictionary<TValue, TKey>(dictionary.Count);
    foreach (var pair in dictionary)
    {
        inverted.TryAdd(pair.Value, pair.Key);
    }

    return inverted;
}
`},
			{member: `
public static TValue? GetValueOrNull<TKey, TValue>(this IReadOnlyDictionary<TKey, TValue> dictionary, TKey key)
    where TKey : notnull
    where TValue : class =>
    dictionary.TryGetValue(key, out var value) ? value : null;
`},
		}
	}
	s.blocks = append(s.blocks, extensionMore(topic)...)
	return s
}
