using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Azure;
using Azure.Data.Tables;
using Receptionist.Core.Conversation;
using Receptionist.Core.Storage;

namespace Receptionist.Cloud.Tables;

/// <summary>
/// Calls: one partition per call holding the session row ("state", replaced with If-Match) and the append-only history
/// ("event-000001"…), so a turn's state update and its history lines commit in one entity-group transaction.
/// CallsByTenant: tenant / inverted start ticks + call id, for newest-first listing.
/// </summary>
public sealed class TableCallStore(TableSet tables) : ICallStore
{
    private const string StateRow = "state";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    public async Task<StoredCall?> GetAsync(string callId, CancellationToken cancellationToken)
    {
        var found = await tables.Calls.GetEntityIfExistsAsync<TableEntity>(callId, StateRow, cancellationToken: cancellationToken);
        return found.HasValue ? new StoredCall(ToRecord(found.Value!), found.Value!.ETag.ToString()) : null;
    }

    public async Task<bool> CreateAsync(CallRecord record, IReadOnlyList<CallTurn> history, CancellationToken cancellationToken)
    {
        var actions = new List<TableTransactionAction> { new(TableTransactionActionType.Add, ToEntity(record)) };
        actions.AddRange(history.Select(h => new TableTransactionAction(TableTransactionActionType.Add, ToEntity(record.Session.CallId, h))));
        try
        {
            await tables.Calls.SubmitTransactionAsync(actions, cancellationToken);
        }
        catch (TableTransactionFailedException ex) when (ex.Status == 409)
        {
            return false;
        }

        var s = record.Session;
        var index = new TableEntity(s.TenantId, IndexKey(s.StartedAt, s.CallId)) { ["CallId"] = s.CallId };
        await tables.CallsByTenant.UpsertEntityAsync(index, TableUpdateMode.Replace, cancellationToken);
        if (s.Ended)
        {
            await IndexEndedAsync(record, cancellationToken); // rejected at once (an unknown number), or an import
        }

        return true;
    }

    public async Task SaveTurnAsync(CallRecord record, string etag, IReadOnlyList<CallTurn> history, CancellationToken cancellationToken)
    {
        var actions = new List<TableTransactionAction> { new(TableTransactionActionType.UpdateReplace, ToEntity(record), new ETag(etag)) };
        actions.AddRange(history.Select(h => new TableTransactionAction(TableTransactionActionType.Add, ToEntity(record.Session.CallId, h))));
        try
        {
            await tables.Calls.SubmitTransactionAsync(actions, cancellationToken);
        }
        catch (TableTransactionFailedException ex) when (ex.Status is 412 or 409)
        {
            // 412: the state row changed since we read it. 409: a concurrent turn already appended these history rows.
            // The call core reloads and decides again.
            CloudTelemetry.StorageRetry("call-turn");
            throw new CallConcurrencyException(record.Session.CallId);
        }

        if (record.Session.Ended)
        {
            await IndexEndedAsync(record, cancellationToken);
        }
    }

    /// <summary>An ended call's listing on its index row (merged: a report's summary and cost there stay). The state row
    /// is the truth: a listing write that fails only means the list reads the state row instead.</summary>
    private async Task IndexEndedAsync(CallRecord record, CancellationToken cancellationToken)
    {
        var s = record.Session;
        try
        {
            await tables.CallsByTenant.UpsertEntityAsync(new TableEntity(s.TenantId, IndexKey(s.StartedAt, s.CallId))
            {
                ["CallId"] = s.CallId,
                ["Ended"] = true,
                ["Outcome"] = s.Outcome.ToString(),
                ["From"] = s.CallerNumber,
                ["StartedAt"] = s.StartedAt,
                ["Channel"] = record.Channel,
                ["Mode"] = record.Mode,
                ["DurationSeconds"] = record.DurationSeconds,
            }, TableUpdateMode.Merge, CancellationToken.None);
        }
        catch (RequestFailedException)
        {
        }
    }

    /// <summary>Puts a report's summary and cost on the call's index row (see <see cref="PageByTenantAsync"/>).</summary>
    public async Task IndexReportAsync(string callId, string summary, decimal cost, CancellationToken cancellationToken)
    {
        if (await GetAsync(callId, cancellationToken) is not { } call)
        {
            return;
        }

        var s = call.Record.Session;
        await tables.CallsByTenant.UpsertEntityAsync(new TableEntity(s.TenantId, IndexKey(s.StartedAt, s.CallId))
        {
            ["CallId"] = s.CallId,
            ["Summary"] = summary,
            ["Cost"] = cost.ToString(CultureInfo.InvariantCulture),
        }, TableUpdateMode.Merge, cancellationToken);
    }

    public async Task<IReadOnlyList<CallTurn>> HistoryAsync(string callId, CancellationToken cancellationToken)
    {
        var list = new List<CallTurn>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {callId} and RowKey ge {"event-"} and RowKey lt {"event."}");
        await foreach (var e in tables.Calls.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            list.Add(new CallTurn(
                int.Parse(e.RowKey["event-".Length..], CultureInfo.InvariantCulture),
                e.GetDateTimeOffset("At") ?? DateTimeOffset.MinValue,
                e.GetString("Speaker"),
                e.GetString("Kind"),
                e.GetString("Text") ?? string.Empty));
        }

        return list;
    }

    public async Task<IReadOnlyList<CallRecord>> ListByTenantAsync(string tenantId, int max, CancellationToken cancellationToken)
    {
        var ids = new List<string>();
        await foreach (var e in tables.CallsByTenant.QueryAsync<TableEntity>(x => x.PartitionKey == tenantId, maxPerPage: Math.Min(max, 1000), cancellationToken: cancellationToken))
        {
            ids.Add(e.GetString("CallId"));
            if (ids.Count >= max)
            {
                break;
            }
        }

        var records = new List<CallRecord>();
        foreach (var id in ids)
        {
            if (await GetAsync(id, cancellationToken) is { } call)
            {
                records.Add(call.Record);
            }
        }

        return records;
    }

    public async Task<CallPage> PageByTenantAsync(string tenantId, DateTimeOffset? from, DateTimeOffset? to, int pageSize, string? continuation,
        CancellationToken cancellationToken)
    {
        // The index is newest first (inverted ticks): "began before to" is a lower bound on the row key, "began at or
        // after from" an upper one, and the next page starts after the last row of this one. One range query of
        // pageSize + 1 rows (the extra one says whether there is a next page); the calls are point reads, in parallel.
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {tenantId}");
        if (to is { } t)
        {
            filter += " and " + TableClient.CreateQueryFilter($"RowKey gt {Inverted(t) + "~"}");
        }

        if (from is { } f)
        {
            filter += " and " + TableClient.CreateQueryFilter($"RowKey lt {Inverted(f) + "~"}");
        }

        if (continuation is not null)
        {
            filter += " and " + TableClient.CreateQueryFilter($"RowKey gt {FromToken(continuation)}");
        }

        var rows = new List<TableEntity>();
        await foreach (var e in tables.CallsByTenant.QueryAsync<TableEntity>(filter, maxPerPage: pageSize + 1, cancellationToken: cancellationToken))
        {
            rows.Add(e);
            if (rows.Count > pageSize)
            {
                break;
            }
        }

        var page = rows.Take(pageSize).ToList();
        var listings = await Task.WhenAll(page.Select(e => ListingAsync(e, cancellationToken)));
        return new CallPage(listings.Where(c => c is not null).Select(c => c!).ToList(), rows.Count > pageSize ? ToToken(page[^1].RowKey) : null);
    }

    /// <summary>An index row as a listing: an ended call from the row itself; a call in progress (or one indexed before
    /// listings were kept) from its state row, the only point read.</summary>
    private async Task<CallListing?> ListingAsync(TableEntity e, CancellationToken cancellationToken)
    {
        var summary = e.GetString("Summary");
        decimal? cost = decimal.TryParse(e.GetString("Cost"), NumberStyles.Number, CultureInfo.InvariantCulture, out var c) ? c : null;
        if (e.GetBoolean("Ended") == true && Enum.TryParse<CallOutcome>(e.GetString("Outcome"), out var outcome))
        {
            return new CallListing(e.GetString("CallId"), e.GetDateTimeOffset("StartedAt") ?? DateTimeOffset.MinValue, e.GetString("From"),
                e.GetString("Channel") ?? "twilio", e.GetString("Mode") ?? "gather", e.GetInt32("DurationSeconds"), outcome, true, summary, cost);
        }

        if (await GetAsync(e.GetString("CallId"), cancellationToken) is not { } stored)
        {
            return null;
        }

        var r = stored.Record;
        return new CallListing(r.Session.CallId, r.Session.StartedAt, r.Session.CallerNumber, r.Channel, r.Mode, r.DurationSeconds, r.Session.Outcome,
            r.Session.Ended, summary, cost);
    }

    /// <summary>A page token: the last index row key of the page, base64url (opaque to clients).</summary>
    private static string ToToken(string rowKey) => Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(rowKey)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>The row key inside a page token; <see cref="FormatException"/> when it is not one we gave out.</summary>
    private static string FromToken(string token)
    {
        try
        {
            var padded = token.Replace('-', '+').Replace('_', '/');
            var row = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(padded + new string('=', (4 - padded.Length % 4) % 4)));
            if (row.Length is > 20 and <= 300 && row[19] == '_' && row[..19].All(char.IsAsciiDigit) && !row.Any(char.IsControl))
            {
                return row;
            }
        }
        catch (FormatException)
        {
        }

        throw new FormatException("Not a page token of this store.");
    }

    private static string Inverted(DateTimeOffset at) => (DateTimeOffset.MaxValue.UtcTicks - at.UtcTicks).ToString("D19", CultureInfo.InvariantCulture);

    private static string IndexKey(DateTimeOffset startedAt, string callId) =>
        (DateTimeOffset.MaxValue.UtcTicks - startedAt.UtcTicks).ToString("D19", CultureInfo.InvariantCulture) + "_" + callId;

    private static TableEntity ToEntity(CallRecord r) => new(r.Session.CallId, StateRow)
    {
        ["TenantId"] = r.Session.TenantId,
        ["State"] = r.Session.State.ToString(),
        ["Outcome"] = r.Session.Outcome.ToString(),
        ["Turn"] = r.Turn,
        ["HistoryCount"] = r.HistoryCount,
        ["UpdatedAt"] = r.UpdatedAt,
        ["Session"] = JsonSerializer.Serialize(r.Session, Json),
        ["LastActions"] = JsonSerializer.Serialize(r.LastActions, Json),
        ["Channel"] = r.Channel,
        ["Mode"] = r.Mode,
        ["RecentEvents"] = JsonSerializer.Serialize(r.RecentEvents, Json),
        ["DurationSeconds"] = r.DurationSeconds,
        ["ChannelData"] = r.ChannelData,
        ["LlmInputTokens"] = r.LlmInputTokens,
        ["LlmOutputTokens"] = r.LlmOutputTokens,
    };

    private static TableEntity ToEntity(string callId, CallTurn h) =>
        new(callId, "event-" + h.Sequence.ToString("D6", CultureInfo.InvariantCulture))
        {
            ["At"] = h.At,
            ["Speaker"] = h.Speaker,
            ["Kind"] = h.Kind,
            ["Text"] = h.Text,
        };

    private static CallRecord ToRecord(TableEntity e) => new(
        JsonSerializer.Deserialize<CallSession>(e.GetString("Session"), Json) ?? throw new InvalidDataException($"Call {e.PartitionKey} has no session."),
        e.GetInt32("Turn") ?? 0,
        e.GetString("LastActions") is { } actions ? JsonSerializer.Deserialize<List<CallAction>>(actions, Json) ?? [] : [],
        e.GetInt32("HistoryCount") ?? 0,
        e.GetDateTimeOffset("UpdatedAt") ?? DateTimeOffset.MinValue)
    {
        Channel = e.GetString("Channel") ?? "twilio",
        Mode = e.GetString("Mode") ?? "gather",
        RecentEvents = e.GetString("RecentEvents") is { } events ? JsonSerializer.Deserialize<List<string>>(events, Json) ?? [] : [],
        DurationSeconds = e.GetInt32("DurationSeconds"),
        ChannelData = e.GetString("ChannelData"),
        LlmInputTokens = e.GetInt32("LlmInputTokens") ?? 0,
        LlmOutputTokens = e.GetInt32("LlmOutputTokens") ?? 0,
    };
}
