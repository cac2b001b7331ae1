package corpus

// More optional blocks of the service-file shapes (services.go), so that a
// file can grow to maxServiceLines.

func serviceMore(x func(string) string) []svcBlock {
	return []svcBlock{
		{iface: x("Task<{{E}}Summary> SubmitAsync(string id, CancellationToken cancellationToken = default);"), member: x(`
/// <summary>
/// Sends a draft {{lower}} for approval.
/// </summary>
public async Task<{{E}}Summary> SubmitAsync(string id, CancellationToken cancellationToken = default)
{
    var current = await FindAsync(id, cancellationToken).ConfigureAwait(false)
        ?? throw new KeyNotFoundException($"{{E}} '{id}' does not exist.");
    if (current is not { Status: {{E}}Status.Draft })
    {
        throw new InvalidOperationException($"Only drafts can be submitted; {{lower}} {id} is {current.Status}.");
    }

    var submitted = current with { Status = {{E}}Status.Submitted, UpdatedOn = DateTimeOffset.UtcNow };
    await _source.SaveAsync(submitted, cancellationToken).ConfigureAwait(false);
    _logger.LogInformation("{{E}} {Id} submitted for approval", id);
    return submitted;
}
`)},
		{iface: x("Task<{{E}}Summary> RejectAsync(string id, string reason, CancellationToken cancellationToken = default);"), member: x(`
/// <summary>
/// Rejects a submitted {{lower}}, recording why.
/// </summary>
public async Task<{{E}}Summary> RejectAsync(string id, string reason, CancellationToken cancellationToken = default)
{
    if (string.IsNullOrWhiteSpace(reason))
    {
        throw new ArgumentException("A reason is required.", nameof(reason));
    }

    var current = await FindAsync(id, cancellationToken).ConfigureAwait(false)
        ?? throw new KeyNotFoundException($"{{E}} '{id}' does not exist.");
    if (current.Status != {{E}}Status.Submitted)
    {
        _logger.LogWarning("Ignoring the rejection of {{lower}} {Id} in status {Status}", id, current.Status);
        return current;
    }

    var rejected = current with { Status = {{E}}Status.Rejected, UpdatedOn = DateTimeOffset.UtcNow };
    await _source.SaveAsync(rejected, cancellationToken).ConfigureAwait(false);
    _logger.LogInformation("{{E}} {Id} rejected: {Reason}", id, reason.Trim());
    return rejected;
}
`)},
		{iface: x("Task<{{E}}Statistics> GetStatisticsAsync(CancellationToken cancellationToken = default);"), member: x(`
/// <summary>
/// Computes summary figures over every {{lower}} that is not archived.
/// </summary>
public async Task<{{E}}Statistics> GetStatisticsAsync(CancellationToken cancellationToken = default)
{
    var live = (await _source.LoadAsync(cancellationToken).ConfigureAwait(false))
        .Where(x => x.Status != {{E}}Status.Archived)
        .ToList();
    if (live.Count == 0)
    {
        return {{E}}Statistics.Empty;
    }

    var total = live.Sum(x => x.Amount);
    return new {{E}}Statistics(
        live.Count,
        total,
        Math.Round(total / live.Count, 2),
        live.Max(x => x.Amount),
        live.Max(x => x.UpdatedOn));
}
`), types: []string{x(`
/// <summary>
/// Figures about the {{lowerPlural}} of the service.
/// </summary>
public sealed record {{E}}Statistics(int Count, decimal Total, decimal Average, decimal Largest, DateTimeOffset? LastChange)
{
    public static {{E}}Statistics Empty { get; } = new(0, 0m, 0m, 0m, null);

    public override string ToString() =>
        Count == 0 ? "no {{lowerPlural}}" : $"{Count} {{lowerPlural}}, {Total:N2} in total, {Average:N2} on average";
}
`)}},
		{iface: x("Task<string> ExportCsvAsync(CancellationToken cancellationToken = default);"), usings: []string{"System.Globalization", "System.Text"}, member: x(`
/// <summary>
/// Writes every {{lower}} as CSV, newest first, for the finance export.
/// </summary>
public async Task<string> ExportCsvAsync(CancellationToken cancellationToken = default)
{
    var all = await _source.LoadAsync(cancellationToken).ConfigureAwait(false);
    var csv = new StringBuilder();
    csv.AppendLine("id,name,status,amount,updated");
    foreach (var item in all.OrderByDescending(x => x.UpdatedOn))
    {
        var name = item.Name.Contains(',') ? $"\"{item.Name.Replace("\"", "\"\"")}\"" : item.Name;
        csv.Append(item.Id).Append(',')
            .Append(name).Append(',')
            .Append(item.Status.ToString().ToLowerInvariant()).Append(',')
            .Append(item.Amount.ToString("0.00", CultureInfo.InvariantCulture)).Append(',')
            .AppendLine(item.UpdatedOn.ToString("O", CultureInfo.InvariantCulture));
    }

    return csv.ToString();
}
`)},
		{iface: x("IAsyncEnumerable<{{E}}Summary> StreamAsync({{E}}Status status, CancellationToken cancellationToken = default);"), usings: []string{"System.Runtime.CompilerServices"}, member: x(`
/// <summary>
/// Streams the {{lowerPlural}} in a status one at a time, for long-running jobs.
/// </summary>
public async IAsyncEnumerable<{{E}}Summary> StreamAsync({{E}}Status status, [EnumeratorCancellation] CancellationToken cancellationToken = default)
{
    var all = await _source.LoadAsync(cancellationToken).ConfigureAwait(false);
    foreach (var item in all)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (item.Status == status)
        {
            yield return item;
        }
    }
}
`)},
		{iface: x("Task<IReadOnlyList<{{E}}Summary>> TopAsync(int count, CancellationToken cancellationToken = default);"), member: x(`
/// <inheritdoc />
public async Task<IReadOnlyList<{{E}}Summary>> TopAsync(int count, CancellationToken cancellationToken = default)
{
    var all = await _source.LoadAsync(cancellationToken).ConfigureAwait(false);
    var sorted = new List<{{E}}Summary>(all);
    sorted.Sort(AmountComparer.Descending);
    return sorted.GetRange(0, Math.Min(Math.Max(count, 0), sorted.Count));
}

private sealed class AmountComparer : IComparer<{{E}}Summary>
{
    public static readonly AmountComparer Descending = new();

    public int Compare({{E}}Summary? x, {{E}}Summary? y) => (x, y) switch
    {
        (null, null) => 0,
        (null, _) => 1,
        (_, null) => -1,
        _ => y.Amount != x.Amount ? y.Amount.CompareTo(x.Amount) : string.CompareOrdinal(x.Id, y.Id),
    };
}
`)},
	}
}

func repositoryMore(x func(string) string) []svcBlock {
	return []svcBlock{
		{iface: x("Task<int> DeleteOlderThanAsync(DateTimeOffset cutoff, CancellationToken cancellationToken = default);"), member: x(`
/// <summary>
/// Removes {{lowerPlural}} not changed since <paramref name="cutoff"/>; returns how many went.
/// </summary>
public async Task<int> DeleteOlderThanAsync(DateTimeOffset cutoff, CancellationToken cancellationToken = default)
{
    var expired = Items.Where(x => x.UpdatedOn < cutoff).Select(x => x.Id).ToList();
    var deleted = 0;
    foreach (var id in expired)
    {
        if (await DeleteAsync(id, cancellationToken).ConfigureAwait(false))
        {
            deleted++;
        }
    }

    Logger.LogInformation("Deleted {Deleted} of {Expired} expired {{lowerPlural}} (before {Cutoff:O})", deleted, expired.Count, cutoff);
    return deleted;
}
`)},
		{iface: x("Task<IReadOnlyDictionary<string, {{E}}Entity>> GetManyAsync(IEnumerable<string> ids, CancellationToken cancellationToken = default);"), member: x(`
/// <inheritdoc />
public async Task<IReadOnlyDictionary<string, {{E}}Entity>> GetManyAsync(IEnumerable<string> ids, CancellationToken cancellationToken = default)
{
    var found = new Dictionary<string, {{E}}Entity>(StringComparer.Ordinal);
    foreach (var id in ids.Where(i => !string.IsNullOrEmpty(i)).Distinct())
    {
        var entity = await GetAsync(id, cancellationToken).ConfigureAwait(false);
        if (entity != null)
        {
            found[id] = entity;
        }
    }

    return found;
}
`)},
		{iface: x("Task<(int Added, int Updated, int Skipped)> ImportAsync(IEnumerable<{{E}}Entity> incoming, bool overwrite, CancellationToken cancellationToken = default);"), member: x(`
/// <summary>
/// Imports {{lowerPlural}} from another system. Existing ones are kept unless
/// <paramref name="overwrite"/> is set and the incoming copy is at least as recent.
/// </summary>
public async Task<(int Added, int Updated, int Skipped)> ImportAsync(IEnumerable<{{E}}Entity> incoming, bool overwrite, CancellationToken cancellationToken = default)
{
    int added = 0, updated = 0, skipped = 0;
    foreach (var entity in incoming)
    {
        if (string.IsNullOrWhiteSpace(entity.Id))
        {
            skipped++;
            continue;
        }

        var existing = await GetAsync(entity.Id, cancellationToken).ConfigureAwait(false);
        switch (existing)
        {
            case null:
                added++;
                break;
            case { } when overwrite && existing.UpdatedOn <= entity.UpdatedOn:
                updated++;
                break;
            default:
                skipped++;
                continue;
        }

        await UpsertAsync(entity, cancellationToken).ConfigureAwait(false);
    }

    Logger.LogInformation("Import of {{lowerPlural}}: {Added} added, {Updated} updated, {Skipped} skipped", added, updated, skipped);
    return (added, updated, skipped);
}
`)},
		{member: x(`
/// <summary>
/// Counts and date range of the stored {{lowerPlural}}, for health checks.
/// </summary>
public {{E}}RepositoryStats GetStats()
{
    var items = Items.ToList();
    return items.Count == 0
        ? new {{E}}RepositoryStats(0, null, null)
        : new {{E}}RepositoryStats(items.Count, items.Min(x => x.UpdatedOn), items.Max(x => x.UpdatedOn));
}
`), types: []string{x(`
/// <summary>
/// How many {{lowerPlural}} are stored and how old they are.
/// </summary>
public readonly record struct {{E}}RepositoryStats(int Count, DateTimeOffset? Oldest, DateTimeOffset? Newest);
`)}},
		{iface: x("Task<IReadOnlyList<{{E}}Entity>> WhereAsync(Expression<Func<{{E}}Entity, bool>> predicate, CancellationToken cancellationToken = default);"),
			usings: []string{"System.Linq.Expressions"}, member: x(`
/// <summary>
/// Finds {{lowerPlural}} matching an expression; a database-backed repository translates it to a query.
/// </summary>
public Task<IReadOnlyList<{{E}}Entity>> WhereAsync(Expression<Func<{{E}}Entity, bool>> predicate, CancellationToken cancellationToken = default)
{
    ArgumentNullException.ThrowIfNull(predicate);
    var compiled = predicate.Compile();
    IReadOnlyList<{{E}}Entity> result = Items.Where(compiled).ToList();
    return Task.FromResult(result);
}
`)},
	}
}

func validatorMore(x func(string) string) []svcBlock {
	return []svcBlock{
		{call: "if (CheckQuantity(request.Quantity) is string quantityError)\n{\n    errors.Add(new ValidationError(nameof(request.Quantity), quantityError));\n}", member: x(`
private static string? CheckQuantity(int quantity) => quantity switch
{
    < 0 => "The quantity cannot be negative.",
    > {{maxQuantity}} => "The quantity cannot be more than {{maxQuantity}}.",
    _ => null,
};
`)},
		{call: "errors.AddRange(CheckReference(request.Reference));", usings: []string{"System.Text.RegularExpressions"}, member: x(`
private static readonly Regex ReferencePattern = new(@"^[A-Z]{2,4}-\d{4,10}$", RegexOptions.CultureInvariant);

private static IEnumerable<ValidationError> CheckReference(string? reference)
{
    if (reference is null)
    {
        yield break;
    }

    if (!ReferencePattern.IsMatch(reference))
    {
        yield return new ValidationError(nameof({{E}}Request.Reference), $"'{reference}' does not look like a reference such as {{prefix}}-000123.");
    }
}
`)},
		{call: "errors.AddRange(CheckNotes(request.Notes));", member: x(`
private static readonly string[] ForbiddenWords = { "password", "secret", "iban" };

private static IEnumerable<ValidationError> CheckNotes(string? notes)
{
    if (string.IsNullOrEmpty(notes))
    {
        yield break;
    }

    if (notes.Length > 2000)
    {
        yield return new ValidationError(nameof({{E}}Request.Notes), "Notes have at most 2000 characters.");
    }

    var found = ForbiddenWords.Where(w => notes.Contains(w, StringComparison.OrdinalIgnoreCase)).ToList();
    if (found.Count > 0)
    {
        yield return new ValidationError(nameof({{E}}Request.Notes), $"Notes must not mention {string.Join(" or ", found)}.");
    }
}
`)},
		{call: "if (CheckPriority(request.Priority) is { } priorityError)\n{\n    errors.Add(priorityError);\n}", member: x(`
private static ValidationError? CheckPriority(string? priority) =>
    priority?.ToLowerInvariant() switch
    {
        null or "low" or "normal" or "high" => null,
        "urgent" or "critical" => new ValidationError(nameof({{E}}Request.Priority), $"Use \"high\" instead of \"{priority}\"."),
        _ => new ValidationError(nameof({{E}}Request.Priority), $"Unknown priority \"{priority}\"."),
    };
`)},
		{call: "errors.AddRange(CheckConsistency(request));", member: x(`
/// <summary>
/// Rules that involve more than one field.
/// </summary>
private static IEnumerable<ValidationError> CheckConsistency({{E}}Request request)
{
    if (request is { Amount: > 0m, Currency: null })
    {
        yield return new ValidationError(nameof({{E}}Request.Currency), "A currency is required when there is an amount.");
    }

    if (request is { Quantity: 0, Amount: > 0m })
    {
        yield return new ValidationError(nameof({{E}}Request.Quantity), "An amount needs a quantity.");
    }
}
`)},
		{member: x(`
/// <summary>
/// Validates a batch and returns the results of the invalid requests by position.
/// </summary>
public IReadOnlyDictionary<int, ValidationResult> ValidateAll(IEnumerable<{{E}}Request> requests) =>
    requests
        .Select((request, index) => (index, result: Validate(request)))
        .Where(p => !p.result.IsValid)
        .ToDictionary(p => p.index, p => p.result);
`)},
	}
}

func mapperMore(x func(string) string) []svcBlock {
	return []svcBlock{
		{member: x(`
/// <summary>
/// Parses a line written by the CSV export back; returns null when it is malformed.
/// </summary>
public static {{E}}Dto? FromCsvLine(string line)
{
    var parts = line.Split(',');
    if (parts.Length < 7 || !decimal.TryParse(parts[3], NumberStyles.Number, CultureInfo.InvariantCulture, out var amount))
    {
        return null;
    }

    var updated = DateTimeOffset.TryParseExact(parts[6], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var day)
        ? day
        : DateTimeOffset.MinValue;
    return new {{E}}Dto(parts[0], parts[1], NormalizeStatus(parts[2]), amount, parts[4], Array.Empty<{{E}}LineDto>(), updated);
}
`)},
		{member: x(`
/// <summary>
/// Lists the fields that differ between two versions of a {{lower}}, for the audit log.
/// </summary>
public static IEnumerable<string> Diff({{E}}Dto before, {{E}}Dto after)
{
    if (!string.Equals(before.Name, after.Name, StringComparison.Ordinal))
    {
        yield return $"name: '{before.Name}' -> '{after.Name}'";
    }

    if (before.Status != after.Status)
    {
        yield return $"status: {before.Status} -> {after.Status}";
    }

    if (before.Amount != after.Amount)
    {
        yield return $"amount: {before.Amount:0.00} -> {after.Amount:0.00} {after.Currency}";
    }

    var added = after.Lines.Select(l => l.Sku).Except(before.Lines.Select(l => l.Sku)).ToList();
    if (added.Count > 0)
    {
        yield return "lines added: " + string.Join(", ", added);
    }
}
`)},
		{member: x(`
/// <summary>
/// Deep-copies a document so that a handler can change it without touching the cached one.
/// </summary>
public static {{E}}Document Clone(this {{E}}Document document) => new()
{
    Id = document.Id,
    Name = document.Name,
    Status = document.Status,
    AmountInCents = document.AmountInCents,
    Currency = document.Currency,
    Lines = document.Lines.ConvertAll(l => new {{E}}LineDocument { Sku = l.Sku, Quantity = l.Quantity, UnitPriceInCents = l.UnitPriceInCents }),
    UpdatedUnixSeconds = document.UpdatedUnixSeconds,
    ETag = document.ETag,
};
`)},
		{member: x(`
public static string ToSummaryText(this {{E}}Dto dto) =>
    dto.Lines.Count switch
    {
        0 => $"{dto.Name} ({dto.Status}), no lines",
        1 => $"{dto.Name} ({dto.Status}), 1 line, {dto.Amount:N2} {dto.Currency}",
        var n => $"{dto.Name} ({dto.Status}), {n} lines, {dto.Amount:N2} {dto.Currency}",
    };
`)},
		{member: x(`
/// <summary>
/// Combines lines of the same SKU; the first unit price wins.
/// </summary>
public static IReadOnlyList<{{E}}LineDto> CombineLines(IEnumerable<{{E}}LineDto> lines) =>
    lines
        .GroupBy(l => l.Sku, StringComparer.OrdinalIgnoreCase)
        .Select(g => new {{E}}LineDto(g.Key, g.Sum(l => l.Quantity), g.First().UnitPrice))
        .OrderBy(l => l.Sku, StringComparer.Ordinal)
        .ToList();
`)},
	}
}

func domainMore(x func(string) string) []svcBlock {
	return []svcBlock{
		{member: x(`
public void ChangeQuantity(string sku, int quantity)
{
    EnsureOpen("change a line of");
    var index = _lines.FindIndex(l => l.Sku == sku);
    if (index < 0)
    {
        throw new {{E}}DomainException($"{{E}} {Id} has no line {sku}.");
    }

    if (quantity == 0)
    {
        _lines.RemoveAt(index);
        return;
    }

    _lines[index] = _lines[index] with { Quantity = quantity };
}
`)},
		{member: x(`
/// <summary>
/// What <paramref name="discount"/> takes off the current total; never more than the total.
/// </summary>
public decimal DiscountFor({{E}}Discount discount)
{
    var off = discount switch
    {
        Percentage{{E}}Discount { Percent: <= 0m or > 100m } p => throw new {{E}}DomainException($"Discount {p.Code} has an invalid percentage."),
        Percentage{{E}}Discount p => Math.Round(Total * p.Percent / 100m, 2, MidpointRounding.AwayFromZero),
        Fixed{{E}}Discount f => f.Amount,
        _ => 0m,
    };
    return Math.Min(off, Total);
}
`), types: []string{x(`
/// <summary>
/// A discount on a {{lower}}: a percentage or a fixed amount.
/// </summary>
public abstract record {{E}}Discount(string Code);

public sealed record Percentage{{E}}Discount(string Code, decimal Percent) : {{E}}Discount(Code);

public sealed record Fixed{{E}}Discount(string Code, decimal Amount) : {{E}}Discount(Code);
`)}},
		{member: x(`
public void Close()
{
    Phase = Phase switch
    {
        {{E}}Phase.Submitted => {{E}}Phase.Closed,
        {{E}}Phase.Closed => {{E}}Phase.Closed,
        _ => throw new {{E}}DomainException($"Only a submitted {{lower}} can be closed, not a {Phase.ToString().ToLowerInvariant()} one."),
    };
}
`)},
		{member: x(`
public {{E}}Snapshot ToSnapshot() => new(Id, Name, Phase, _lines.ToArray());

public static {{E}}Aggregate FromSnapshot({{E}}Snapshot snapshot)
{
    var aggregate = new {{E}}Aggregate(snapshot.Id, snapshot.Name) { Phase = snapshot.Phase };
    aggregate._lines.AddRange(snapshot.Lines);
    return aggregate;
}
`), types: []string{x(`
/// <summary>
/// The stored form of a {{lower}} between requests.
/// </summary>
public sealed record {{E}}Snapshot(string Id, string Name, {{E}}Phase Phase, IReadOnlyList<{{E}}Line> Lines);
`)}},
	}
}

func clientMore(x func(string) string) []svcBlock {
	return []svcBlock{
		{iface: x("Task<bool> UpdateAsync({{E}}Resource resource, string? etag = null, CancellationToken cancellationToken = default);"), member: x(`
/// <inheritdoc />
public async Task<bool> UpdateAsync({{E}}Resource resource, string? etag = null, CancellationToken cancellationToken = default)
{
    var body = JsonSerializer.Serialize(resource, JsonOptions);
    using var response = await SendWithRetryAsync(() =>
    {
        var request = new HttpRequestMessage(HttpMethod.Put, $"{{kebab}}s/{Uri.EscapeDataString(resource.Id)}")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        if (!string.IsNullOrEmpty(etag))
        {
            request.Headers.TryAddWithoutValidation("If-Match", etag);
        }

        return request;
    }, cancellationToken).ConfigureAwait(false);

    switch (response.StatusCode)
    {
        case HttpStatusCode.PreconditionFailed:
            _logger.LogInformation("{{E}} {Id} changed since it was read", resource.Id);
            return false;
        case HttpStatusCode.NotFound:
            throw new KeyNotFoundException($"{{E}} {resource.Id} does not exist.");
        default:
            response.EnsureSuccessStatusCode();
            return true;
    }
}
`)},
		{iface: x("Task<IReadOnlyList<{{E}}Resource>> SearchAsync(string? text, string? status = null, int top = 50, CancellationToken cancellationToken = default);"), member: x(`
/// <inheritdoc />
public async Task<IReadOnlyList<{{E}}Resource>> SearchAsync(string? text, string? status = null, int top = 50, CancellationToken cancellationToken = default)
{
    var query = new List<string> { $"top={top}" };
    if (!string.IsNullOrWhiteSpace(text))
    {
        query.Add("q=" + Uri.EscapeDataString(text.Trim()));
    }

    if (status is { Length: > 0 })
    {
        query.Add("status=" + Uri.EscapeDataString(status));
    }

    var url = "{{kebab}}s/search?" + string.Join("&", query);
    using var response = await SendWithRetryAsync(() => new HttpRequestMessage(HttpMethod.Get, url), cancellationToken).ConfigureAwait(false);
    response.EnsureSuccessStatusCode();
    return await ReadAsync<List<{{E}}Resource>>(response, cancellationToken).ConfigureAwait(false) ?? new List<{{E}}Resource>();
}
`)},
		{usings: []string{"System.Diagnostics"}, member: x(`
/// <summary>
/// Checks that the API answers, and how fast, for the health endpoint.
/// </summary>
public async Task<TimeSpan?> PingAsync(CancellationToken cancellationToken = default)
{
    var watch = Stopwatch.StartNew();
    try
    {
        using var response = await _http.SendAsync(new HttpRequestMessage(HttpMethod.Head, "health"), cancellationToken).ConfigureAwait(false);
        return response.IsSuccessStatusCode ? watch.Elapsed : null;
    }
    catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
    {
        _logger.LogWarning(ex, "{{E}} API health check failed after {Elapsed} ms", watch.ElapsedMilliseconds);
        return null;
    }
}
`)},
		{iface: x("IAsyncEnumerable<{{E}}Resource> StreamAllAsync(CancellationToken cancellationToken = default);"), usings: []string{"System.Runtime.CompilerServices"}, member: x(`
/// <summary>
/// Streams every {{lower}} page by page, without holding them all in memory.
/// </summary>
public async IAsyncEnumerable<{{E}}Resource> StreamAllAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
{
    for (var page = 1; ; page++)
    {
        var url = $"{{kebab}}s?page={page}";
        using var response = await SendWithRetryAsync(() => new HttpRequestMessage(HttpMethod.Get, url), cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NoContent)
        {
            yield break;
        }

        response.EnsureSuccessStatusCode();
        var items = await ReadAsync<List<{{E}}Resource>>(response, cancellationToken).ConfigureAwait(false);
        if (items is null or { Count: 0 })
        {
            yield break;
        }

        foreach (var item in items)
        {
            yield return item;
        }
    }
}
`)},
	}
}

// extensionMore returns the further helpers of an extension topic.
func extensionMore(topic string) []svcBlock {
	switch topic {
	case "EnumerableExtensions":
		return []svcBlock{
			{member: `
/// <summary>
/// The first item of each key, in order; later duplicates are dropped.
/// </summary>
public static IEnumerable<T> DistinctByKey<T, TKey>(this IEnumerable<T> source, Func<T, TKey> key, IEqualityComparer<TKey>? comparer = null)
{
    var seen = new HashSet<TKey>(comparer ?? EqualityComparer<TKey>.Default);
    foreach (var item in source)
    {
        if (seen.Add(key(item)))
        {
            yield return item;
        }
    }
}
`},
			{member: `
/// <summary>
/// Splits a sequence in two by a predicate, in one pass.
/// </summary>
public static (List<T> Matching, List<T> Rest) Partition<T>(this IEnumerable<T> source, Func<T, bool> predicate)
{
    var matching = new List<T>();
    var rest = new List<T>();
    foreach (var item in source)
    {
        (predicate(item) ? matching : rest).Add(item);
    }

    return (matching, rest);
}
`},
			{member: `
/// <summary>
/// The median of the values, or null for an empty sequence.
/// </summary>
public static decimal? Median(this IEnumerable<decimal> values)
{
    var sorted = values.OrderBy(v => v).ToArray();
    if (sorted.Length == 0)
    {
        return null;
    }

    var middle = sorted.Length / 2;
    return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2m;
}
`},
			{member: `
/// <summary>
/// Alternates the items of two sequences: a1, b1, a2, b2...
/// </summary>
public static IEnumerable<T> Interleave<T>(this IEnumerable<T> first, IEnumerable<T> second)
{
    using var a = first.GetEnumerator();
    using var b = second.GetEnumerator();
    bool hasA, hasB;
    do
    {
        if (hasA = a.MoveNext())
        {
            yield return a.Current;
        }

        if (hasB = b.MoveNext())
        {
            yield return b.Current;
        }
    }
    while (hasA || hasB);
}
`},
		}
	case "StringExtensions":
		return []svcBlock{
			{usings: []string{"System.Text.RegularExpressions"}, member: `
private static readonly Regex NonSlugCharacters = new("[^a-z0-9]+", RegexOptions.Compiled);

/// <summary>
/// "Summer Sale 2024!" becomes "summer-sale-2024", for URLs and blob names.
/// </summary>
public static string Slugify(this string value) =>
    NonSlugCharacters.Replace(value.Trim().ToLowerInvariant(), "-").Trim('-');
`},
			{member: `
public static string Left(this string value, int length) =>
    value.Length <= length ? value : value.Substring(0, length);

public static string Right(this string value, int length) =>
    value.Length <= length ? value : value.Substring(value.Length - length);
`},
			{member: `
/// <summary>
/// Splits "WorkOrderLine" into "Work", "Order", "Line".
/// </summary>
public static IEnumerable<string> SplitCamelCase(this string value)
{
    var start = 0;
    for (var i = 1; i < value.Length; i++)
    {
        if (char.IsUpper(value[i]) && !char.IsUpper(value[i - 1]))
        {
            yield return value[start..i];
            start = i;
        }
    }

    if (start < value.Length)
    {
        yield return value[start..];
    }
}
`},
			{member: `
public static bool IsDigitsOnly(this string? value) =>
    !string.IsNullOrEmpty(value) && value.All(char.IsDigit);

/// <summary>
/// Base64 without padding and with URL-safe characters, for tokens in query strings.
/// </summary>
public static string ToBase64Url(this byte[] bytes) =>
    Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
`},
		}
	case "DateTimeExtensions":
		return []svcBlock{
			{member: `
public static DateTime EndOfMonth(this DateTime date) =>
    new DateTime(date.Year, date.Month, DateTime.DaysInMonth(date.Year, date.Month), 23, 59, 59, date.Kind);

public static bool IsSameDay(this DateTime a, DateTime b) => a.Date == b.Date;
`},
			{member: `
/// <summary>
/// Whether two ranges share at least one instant; ends are exclusive.
/// </summary>
public static bool Overlaps(this (DateTime Start, DateTime End) a, (DateTime Start, DateTime End) b) =>
    a.Start < b.End && b.Start < a.End;
`},
			{member: `
/// <summary>
/// Rounds down to a multiple of <paramref name="interval"/>, e.g. to the quarter hour for reports.
/// </summary>
public static DateTime RoundDown(this DateTime value, TimeSpan interval)
{
    if (interval <= TimeSpan.Zero)
    {
        throw new ArgumentOutOfRangeException(nameof(interval));
    }

    return new DateTime(value.Ticks - value.Ticks % interval.Ticks, value.Kind);
}
`},
			{member: `
/// <summary>
/// The next <paramref name="day"/> strictly after <paramref name="date"/>.
/// </summary>
public static DateTime Next(this DateTime date, DayOfWeek day)
{
    var days = ((int)day - (int)date.DayOfWeek + 7) % 7;
    return date.Date.AddDays(days == 0 ? 7 : days);
}

public static int AgeInYears(this DateTime birthDate, DateTime today)
{
    var age = today.Year - birthDate.Year;
    return birthDate.Date > today.AddYears(-age) ? age - 1 : age;
}
`},
		}
	}
	return []svcBlock{
		{member: `
/// <summary>
/// Removes the entries that match and returns how many went.
/// </summary>
public static int RemoveWhere<TKey, TValue>(this IDictionary<TKey, TValue> dictionary, Func<KeyValuePair<TKey, TValue>, bool> predicate)
    where TKey : notnull
{
    var doomed = dictionary.Where(predicate).Select(p => p.Key).ToList();
    foreach (var key in doomed)
    {
        dictionary.Remove(key);
    }

    return doomed.Count;
}
`},
		{member: `
/// <summary>
/// Groups items into lists by key.
/// </summary>
public static Dictionary<TKey, List<T>> GroupToDictionary<T, TKey>(this IEnumerable<T> source, Func<T, TKey> key)
    where TKey : notnull
{
    var groups = new Dictionary<TKey, List<T>>();
    foreach (var item in source)
    {
        var k = key(item);
        if (!groups.TryGetValue(k, out var list))
        {
            groups[k] = list = new List<T>();
        }

        list.Add(item);
    }

    return groups;
}
`},
		{member: `
public static void AddRange<TKey, TValue>(this IDictionary<TKey, TValue> dictionary, IEnumerable<(TKey Key, TValue Value)> pairs)
    where TKey : notnull
{
    foreach (var (key, value) in pairs)
    {
        dictionary[key] = value;
    }
}
`},
		{member: `
/// <summary>
/// Reads a loosely typed value (from JSON or configuration) as <typeparamref name="T"/>.
/// </summary>
public static bool TryGetValueAs<T>(this IReadOnlyDictionary<string, object?> values, string key, out T? value)
{
    if (values.TryGetValue(key, out var raw) && raw is T typed)
    {
        value = typed;
        return true;
    }

    value = default;
    return false;
}
`},
	}
}
