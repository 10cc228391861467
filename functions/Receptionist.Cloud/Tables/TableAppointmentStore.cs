using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;
using Receptionist.Core.Conversation;
using Receptionist.Core.Notifications;
using Receptionist.Core.Scheduling;
using Receptionist.Core.Storage;
using Receptionist.Core.Tenants;

namespace Receptionist.Cloud.Tables;

/// <summary>
/// The Calendar table: one partition per tenant and local day (<c>tenant_yyyyMMdd</c>) holding that day's appointments
/// (<c>apt-{UTC start}_{id}</c>) and their slot locks (<c>lock-HHmm</c>, one per 15-minute granule, naming the
/// appointment that owns it). Because a booking and its locks share a partition, every change of one day is one
/// entity-group transaction: a booking inserts its locks and the appointment together, a cancel marks it and deletes
/// its locks together, a same-day move hands the locks over together. There is never a lock without its appointment.
/// A move to another day is a saga (docs/storage.md): the new appointment is first written as <c>holding</c> with an
/// expiry, then the old one is released, then the new one is confirmed; a retry finishes it, and anyone who meets an
/// expired hold completes or rolls it back.
/// </summary>
public sealed class TableAppointmentStore(TableSet tables) : IAppointmentStore
{
    public const string Booked = "booked";
    public const string Cancelled = "cancelled";
    public const string Rescheduled = "rescheduled";

    /// <summary>A move to another day in progress: its slot is reserved, but it is not an appointment yet.</summary>
    public const string Holding = "holding";

    /// <summary>How long a move may stay in progress before others may complete or roll it back.</summary>
    public static readonly TimeSpan HoldFor = TimeSpan.FromMinutes(2);

    private const string AptPrefix = "apt-";
    private const string LockPrefix = "lock-";

    public async Task<Appointment?> ReserveAsync(BookingRequest booking, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var b = booking;
        var id = AppointmentId(b);
        var day = DayPartition(b.TenantId, b.Date);
        var appointment = new Appointment(b.TenantId, id, b.Service, b.Start, b.Minutes, b.Name, b.Phone, Booked, b.CallId, now);
        for (var attempt = 0; attempt < 2; attempt++)
        {
            var actions = Granules(b.Time, b.Minutes).Select(g => Add(Lock(day, g, id, b.CallId))).ToList();
            actions.Add(Add(ToEntity(day, appointment)));
            try
            {
                await tables.Calendar.SubmitTransactionAsync(actions, cancellationToken);
                return appointment;
            }
            catch (TableTransactionFailedException ex) when (ex.Status == 409)
            {
                // A retried confirmation finds its own appointment; otherwise a granule is held — perhaps by a move
                // that died half-way, which is resolved before one more try.
                if (await GetAsync(day, RowKey(b.Start, id), cancellationToken) is { } mine)
                {
                    return mine.GetString("Status") == Booked ? appointment : null;
                }

                if (!await RecoverDayAsync(day, now, cancellationToken))
                {
                    return null;
                }

                if (attempt == 0)
                {
                    CloudTelemetry.StorageRetry("reserve");
                }
            }
        }

        return null;
    }

    public async Task<Appointment?> MoveAsync(AppointmentRef from, BookingRequest to, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var id = AppointmentId(to);
        var oldDay = DayPartition(to.TenantId, from.Date);
        var newDay = DayPartition(to.TenantId, to.Date);
        var moved = new Appointment(to.TenantId, id, to.Service, to.Start, to.Minutes, to.Name, to.Phone, Booked, to.CallId, now);
        if (id == from.Id)
        {
            return moved; // the same slot: nothing to move
        }

        return oldDay == newDay
            ? await MoveWithinDayAsync(from, to, moved, oldDay, recover: true, cancellationToken)
            : await MoveAcrossDaysAsync(from, to, moved, oldDay, newDay, now, cancellationToken);
    }

    public async Task<bool> CancelAsync(string tenantId, AppointmentRef appointment, string callId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var day = DayPartition(tenantId, appointment.Date);
        var row = RowKey(appointment.Start, appointment.Id);
        if (await GetAsync(day, row, cancellationToken) is not { } e)
        {
            return false;
        }

        if (e.GetString("Status") != Booked)
        {
            // A retried cancel of the same call succeeded before; anything else was not ours to cancel.
            return e.GetString("Status") == Cancelled && e.GetString("ChangedByCall") == callId;
        }

        // Marked cancelled and its locks deleted in one transaction: the slot is free exactly when the appointment is gone.
        var actions = new List<TableTransactionAction>
        {
            new(TableTransactionActionType.UpdateMerge, new TableEntity(day, row) { ["Status"] = Cancelled, ["ChangedByCall"] = callId, ["CancelledAt"] = now }, e.ETag),
        };
        actions.AddRange((await LocksOfAsync(day, appointment.Id, cancellationToken)).Select(Delete));
        try
        {
            await tables.Calendar.SubmitTransactionAsync(actions, cancellationToken);
            return true;
        }
        catch (TableTransactionFailedException ex) when (ex.Status is 412 or 404)
        {
            // Changed under us (a concurrent cancel or move): look again.
            return await GetAsync(day, row, cancellationToken) is { } after
                && after.GetString("Status") == Cancelled && after.GetString("ChangedByCall") == callId;
        }
    }

    public async Task<IReadOnlyList<Appointment>> FindUpcomingAsync(string tenantId, DateTimeOffset from, string? phone, string? name, CancellationToken cancellationToken)
    {
        // A move that died after releasing the old appointment would hide the caller's booking: resolve expired holds first.
        var firstDay = DateOnly.FromDateTime(from.UtcDateTime).AddDays(-1);
        await foreach (var hold in QueryAppointmentsAsync(tenantId, firstDay, null, $"Status eq '{Holding}'", cancellationToken))
        {
            if (hold.GetDateTimeOffset("HoldUntil") < from)
            {
                await ResolveHoldAsync(hold, release: false, cancellationToken);
            }
        }

        var words = (name ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var list = new List<Appointment>();
        await foreach (var e in QueryAppointmentsAsync(tenantId, firstDay, null, $"Status eq '{Booked}'", cancellationToken))
        {
            var a = FromEntity(tenantId, e);
            var phoneMatches = phone is null || a.CallerPhone == phone;
            var nameWords = a.CallerName.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var nameMatches = words.Length == 0 || words.All(w => nameWords.Contains(w, StringComparer.OrdinalIgnoreCase));
            if (phoneMatches && nameMatches && a.Start > from)
            {
                list.Add(a);
            }
        }

        return list.OrderBy(a => a.Start).ToList();
    }

    public async Task<IReadOnlyList<Appointment>> ListAsync(string tenantId, DateTimeOffset? from, CancellationToken cancellationToken)
    {
        var list = new List<Appointment>();
        var firstDay = from is { } f ? DateOnly.FromDateTime(f.UtcDateTime).AddDays(-1) : (DateOnly?)null;
        await foreach (var e in QueryAppointmentsAsync(tenantId, firstDay, null, null, cancellationToken))
        {
            var a = FromEntity(tenantId, e);
            if (a.Status != Holding && (from is null || a.Start >= from))
            {
                list.Add(a);
            }
        }

        return list.OrderBy(a => a.Start).ToList();
    }

    public async Task<IReadOnlyList<Appointment>> ListBetweenAsync(Tenant tenant, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var list = new List<Appointment>();
        await foreach (var e in QueryAppointmentsAsync(tenant.Id, DateOnly.FromDateTime(tenant.ToLocal(from).DateTime), DateOnly.FromDateTime(tenant.ToLocal(to).DateTime), null, cancellationToken))
        {
            var a = FromEntity(tenant.Id, e);
            if (a.Status != Holding && a.Start >= from && a.Start < to)
            {
                list.Add(a);
            }
        }

        return list.OrderBy(a => a.Start).ToList();
    }

    public async Task<Appointment?> GetAsync(AppointmentKey key, CancellationToken cancellationToken) =>
        await GetAsync(DayPartition(key.TenantId, key.Date), RowKey(key.Start, key.Id), cancellationToken) is { } e && e.GetString("Status") != Holding
            ? FromEntity(key.TenantId, e)
            : null;

    public async Task<IReadOnlyList<BusyInterval>> BusyAsync(Tenant tenant, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        // Start a day early so a long booking that began before 'from' still counts. A move in progress holds its slot
        // until its hold expires; after that the slot counts as free (the next reservation there resolves the hold).
        var list = new List<BusyInterval>();
        var filter = $"(Status eq '{Booked}' or Status eq '{Holding}')";
        await foreach (var e in QueryAppointmentsAsync(tenant.Id, DateOnly.FromDateTime(tenant.ToLocal(from).DateTime).AddDays(-1),
            DateOnly.FromDateTime(tenant.ToLocal(to).DateTime), filter, cancellationToken))
        {
            if (e.GetString("Status") == Holding && e.GetDateTimeOffset("HoldUntil") < from)
            {
                continue;
            }

            var start = tenant.ToLocal(e.GetDateTimeOffset("StartUtc")!.Value).DateTime;
            list.Add(new BusyInterval(start, start.AddMinutes(e.GetInt32("Minutes") ?? 0)));
        }

        return list;
    }

    /// <summary>Completes or rolls back every expired move hold of a day: a hold whose old appointment was released
    /// becomes the appointment; any other is deleted with its locks. True when something was resolved.</summary>
    public async Task<bool> RecoverDayAsync(string day, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var resolved = false;
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {day} and RowKey ge {AptPrefix} and RowKey lt {"apt."} and Status eq {Holding}");
        await foreach (var hold in tables.Calendar.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            if (hold.GetDateTimeOffset("HoldUntil") is { } until && until < now)
            {
                await ResolveHoldAsync(hold, release: false, cancellationToken);
                resolved = true;
            }
        }

        return resolved;
    }

    private async Task<Appointment?> MoveWithinDayAsync(AppointmentRef from, BookingRequest to, Appointment moved, string day, bool recover, CancellationToken cancellationToken)
    {
        var oldRow = RowKey(from.Start, from.Id);
        var newRow = RowKey(to.Start, moved.Id);
        if (await GetAsync(day, newRow, cancellationToken) is { } done)
        {
            return done.GetString("Status") == Booked ? moved : null; // a retried move
        }

        if (await GetAsync(day, oldRow, cancellationToken) is not { } old || old.GetString("Status") != Booked)
        {
            return null;
        }

        // Hand over the granules the old booking holds, take the new ones, free the rest, mark the old one moved and
        // write the new one — all in one transaction.
        var held = (await LocksOfAsync(day, from.Id, cancellationToken)).ToDictionary(l => l.RowKey, StringComparer.Ordinal);
        var newGranules = Granules(to.Time, to.Minutes).Select(g => LockPrefix + g).ToHashSet(StringComparer.Ordinal);
        var actions = new List<TableTransactionAction>();
        foreach (var g in newGranules)
        {
            var entity = Lock(day, g[LockPrefix.Length..], moved.Id, to.CallId);
            actions.Add(held.TryGetValue(g, out var mine) ? new TableTransactionAction(TableTransactionActionType.UpdateReplace, entity, mine.ETag) : Add(entity));
        }

        actions.AddRange(held.Values.Where(h => !newGranules.Contains(h.RowKey)).Select(Delete));
        actions.Add(new TableTransactionAction(TableTransactionActionType.UpdateMerge,
            new TableEntity(day, oldRow) { ["Status"] = Rescheduled, ["MovedTo"] = moved.Id, ["ChangedByCall"] = to.CallId }, old.ETag));
        var entityNew = ToEntity(day, moved);
        entityNew["RescheduledFrom"] = from.Id;
        actions.Add(Add(entityNew));
        try
        {
            await tables.Calendar.SubmitTransactionAsync(actions, cancellationToken);
            return moved;
        }
        catch (TableTransactionFailedException ex) when (ex.Status is 409 or 412 or 404)
        {
            // A resent request whose first send was applied finds its own result; a granule held by an expired move
            // is resolved and the move tried once more; otherwise the new time is taken and the old one is left as it was.
            if (await GetAsync(day, newRow, cancellationToken) is { } mine)
            {
                return mine.GetString("Status") == Booked ? moved : null;
            }

            return recover && await RecoverDayAsync(day, moved.CreatedAt, cancellationToken)
                ? await MoveWithinDayAsync(from, to, moved, day, recover: false, cancellationToken)
                : null;
        }
    }

    private async Task<Appointment?> MoveAcrossDaysAsync(AppointmentRef from, BookingRequest to, Appointment moved, string oldDay, string newDay,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        var oldRow = RowKey(from.Start, from.Id);
        var newRow = RowKey(to.Start, moved.Id);

        // 1. Hold the new slot (locks + the appointment as "holding", with an expiry), unless a retry already did.
        var hold = await GetAsync(newDay, newRow, cancellationToken);
        if (hold is null)
        {
            var entity = ToEntity(newDay, moved with { Status = Holding });
            entity["RescheduledFrom"] = from.Id;
            entity["MoveFromDay"] = oldDay;
            entity["MoveFromRow"] = oldRow;
            entity["HoldUntil"] = now + HoldFor;
            var actions = Granules(to.Time, to.Minutes).Select(g => Add(Lock(newDay, g, moved.Id, to.CallId))).ToList();
            actions.Add(Add(entity));
            try
            {
                await tables.Calendar.SubmitTransactionAsync(actions, cancellationToken);
            }
            catch (TableTransactionFailedException ex) when (ex.Status == 409)
            {
                // A resent request whose first send was applied finds its own hold and goes on with it.
                if (await GetAsync(newDay, newRow, cancellationToken) is null)
                {
                    if (!await RecoverDayAsync(newDay, now, cancellationToken))
                    {
                        return null; // the new time is taken; the old appointment is untouched
                    }

                    return await MoveAcrossDaysAsync(from, to, moved, oldDay, newDay, now, cancellationToken);
                }
            }

            hold = await GetAsync(newDay, newRow, cancellationToken);
        }

        if (hold is null)
        {
            return null;
        }

        switch (hold.GetString("Status"))
        {
            case Booked:
                return moved; // a retry of a move that finished
            case Holding:
                return await ResolveHoldAsync(hold, release: true, cancellationToken) ? moved : null;
            default:
                return null;
        }
    }

    /// <summary>Finishes a move hold. The move itself (<paramref name="release"/>: its own request or the carrier's
    /// retry of it) releases the old appointment — marked moved and its locks deleted in one transaction — and confirms
    /// the new one. Anyone else meeting an expired hold only completes a move whose old appointment was already
    /// released; otherwise the caller was never told it was moved, so the hold and its locks are deleted and the old
    /// appointment stays. Idempotent. True when the move completed.</summary>
    private async Task<bool> ResolveHoldAsync(TableEntity hold, bool release, CancellationToken cancellationToken)
    {
        var newId = hold.GetString("AppointmentId");
        var oldDay = hold.GetString("MoveFromDay");
        var oldRow = hold.GetString("MoveFromRow");
        var oldId = hold.GetString("RescheduledFrom");

        // This hold, exactly (a hold re-created by a retry has another ETag): what a fence on the old appointment names.
        var holdTag = hold.ETag.ToString();
        var old = await GetAsync(oldDay, oldRow, cancellationToken);
        bool Released(TableEntity? e) => e is not null && e.GetString("Status") == Rescheduled && e.GetString("MovedTo") == newId;
        bool Fenced(TableEntity? e) => e is not null && e.GetString("AbortedHold") == holdTag;
        var released = Released(old);
        if (!released && !Fenced(old) && old is not null && old.GetString("Status") == Booked)
        {
            if (release)
            {
                // 2. Release the old appointment: marked moved and its locks deleted together (If-Match: a fence set
                // by someone rolling this hold back makes it fail).
                var actions = new List<TableTransactionAction>
                {
                    new(TableTransactionActionType.UpdateMerge,
                        new TableEntity(oldDay, oldRow) { ["Status"] = Rescheduled, ["MovedTo"] = newId, ["ChangedByCall"] = hold.GetString("CallId") }, old.ETag),
                };
                actions.AddRange((await LocksOfAsync(oldDay, oldId, cancellationToken)).Select(Delete));
                try
                {
                    await tables.Calendar.SubmitTransactionAsync(actions, cancellationToken);
                    released = true;
                }
                catch (TableTransactionFailedException ex) when (ex.Status is 412 or 404)
                {
                    released = Released(await GetAsync(oldDay, oldRow, cancellationToken));
                }
            }
            else
            {
                // Rolling an expired hold back: first fence the old appointment (If-Match), so the mover cannot release
                // it afterwards; if the mover released it first, the fence fails and the move is completed instead.
                try
                {
                    await tables.Calendar.UpdateEntityAsync(new TableEntity(oldDay, oldRow) { ["AbortedHold"] = holdTag }, old.ETag, TableUpdateMode.Merge, cancellationToken);
                }
                catch (RequestFailedException ex) when (ex.Status is 412 or 404)
                {
                    var again = await GetAsync(oldDay, oldRow, cancellationToken);
                    released = Released(again);
                    if (!released && !Fenced(again) && again?.GetString("Status") == Booked)
                    {
                        return false; // changed under us in some other way: leave it for the next reader
                    }
                }
            }
        }

        var day = hold.PartitionKey;
        if (released)
        {
            // 3. Confirm the new appointment.
            try
            {
                await tables.Calendar.UpdateEntityAsync(new TableEntity(day, hold.RowKey) { ["Status"] = Booked }, hold.ETag, TableUpdateMode.Merge, cancellationToken);
            }
            catch (RequestFailedException ex) when (ex.Status == 412)
            {
                // someone else confirmed it first
            }

            return true;
        }

        // Fenced, or the old appointment was cancelled or moved elsewhere meanwhile: roll the hold back, locks and all.
        var rollback = new List<TableTransactionAction> { Delete(hold) };
        rollback.AddRange((await LocksOfAsync(day, newId, cancellationToken)).Select(Delete));
        try
        {
            await tables.Calendar.SubmitTransactionAsync(rollback, cancellationToken);
        }
        catch (TableTransactionFailedException ex) when (ex.Status is 412 or 404)
        {
            // resolved concurrently
        }

        return false;
    }

    private async IAsyncEnumerable<TableEntity> QueryAppointmentsAsync(string tenantId, DateOnly? firstDay, DateOnly? lastDay, string? extra,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var low = firstDay is { } f ? DayPartition(tenantId, f) : tenantId + "_";
        var high = lastDay is { } l ? DayPartition(tenantId, l.AddDays(1)) : tenantId + "_~";
        var filter = TableClient.CreateQueryFilter($"PartitionKey ge {low} and PartitionKey lt {high} and RowKey ge {AptPrefix} and RowKey lt {"apt."}");
        if (extra is not null)
        {
            filter += " and " + extra;
        }

        await foreach (var e in tables.Calendar.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            yield return e;
        }
    }

    private async Task<List<TableEntity>> LocksOfAsync(string day, string appointmentId, CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {day} and RowKey ge {LockPrefix} and RowKey lt {"lock."} and AppointmentId eq {appointmentId}");
        var list = new List<TableEntity>();
        await foreach (var e in tables.Calendar.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            list.Add(e);
        }

        return list;
    }

    private async Task<TableEntity?> GetAsync(string day, string row, CancellationToken cancellationToken)
    {
        var found = await tables.Calendar.GetEntityIfExistsAsync<TableEntity>(day, row, cancellationToken: cancellationToken);
        return found.HasValue ? found.Value : null;
    }

    private static TableTransactionAction Add(TableEntity e) => new(TableTransactionActionType.Add, e);

    private static TableTransactionAction Delete(TableEntity e) => new(TableTransactionActionType.Delete, e, e.ETag);

    private static List<string> Granules(TimeOnly start, int minutes) =>
        Availability.Granules(start, minutes).Select(g => g.ToString("HHmm", CultureInfo.InvariantCulture)).ToList();

    private static TableEntity Lock(string day, string granule, string appointmentId, string callId) =>
        new(day, LockPrefix + granule) { ["AppointmentId"] = appointmentId, ["CallId"] = callId };

    /// <summary>Deterministic per call and slot, so a retried confirmation finds its own appointment and locks.</summary>
    private static string AppointmentId(BookingRequest b)
    {
        var key = $"{b.TenantId}|{b.CallId}|{b.Start.UtcDateTime:O}|{b.Service}";
        return "apt-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..16];
    }

    /// <summary>The tenant's local day of an appointment: the partition its appointment and its locks share.</summary>
    public static string DayPartition(string tenantId, DateOnly date) =>
        tenantId + "_" + date.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    private static string RowKey(DateTimeOffset start, string id) =>
        AptPrefix + start.UtcDateTime.ToString("yyyyMMddHHmm", CultureInfo.InvariantCulture) + "_" + id;

    private static TableEntity ToEntity(string day, Appointment a) => new(day, RowKey(a.Start, a.Id))
    {
        ["TenantId"] = a.TenantId,
        ["AppointmentId"] = a.Id,
        ["Service"] = a.Service,
        ["StartUtc"] = a.Start.ToUniversalTime(),
        ["StartLocal"] = a.Start.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
        ["Minutes"] = a.Minutes,
        ["CallerName"] = a.CallerName,
        ["CallerPhone"] = a.CallerPhone,
        ["Status"] = a.Status,
        ["CallId"] = a.CallId,
        ["CreatedAt"] = a.CreatedAt,
    };

    private static Appointment FromEntity(string tenantId, TableEntity e) => new(
        tenantId,
        e.GetString("AppointmentId"),
        e.GetString("Service"),
        DateTimeOffset.Parse(e.GetString("StartLocal"), CultureInfo.InvariantCulture),
        e.GetInt32("Minutes") ?? 0,
        e.GetString("CallerName"),
        e.GetString("CallerPhone"),
        e.GetString("Status"),
        e.GetString("CallId"),
        e.GetDateTimeOffset("CreatedAt") ?? DateTimeOffset.MinValue);
}
