using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;
using Receptionist.Core.Conversation;
using Receptionist.Core.Scheduling;
using Receptionist.Core.Storage;
using Receptionist.Core.Tenants;

namespace Receptionist.Cloud.Tables;

/// <summary>
/// SlotLocks (tenant_yyyyMMdd / HHmm): one entity per 15-minute granule a booking covers, inserted in one transaction,
/// so two overlapping bookings can never both succeed. Appointments (tenant / UTC start + id) for listing and availability.
/// </summary>
public sealed class TableAppointmentStore(TableSet tables) : IAppointmentStore
{
    public const string Booked = "booked";
    public const string Cancelled = "cancelled";
    public const string Rescheduled = "rescheduled";

    public async Task<Appointment?> ReserveAsync(BookingRequest booking, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var b = booking;
        var id = AppointmentId(b);
        var partition = LockPartition(b.TenantId, b.Date);
        var granules = Granules(b.Time, b.Minutes);
        var locks = granules.Select(g => new TableTransactionAction(TableTransactionActionType.Add, Lock(partition, g, id, b.CallId))).ToList();
        try
        {
            await tables.SlotLocks.SubmitTransactionAsync(locks, cancellationToken);
        }
        catch (TableTransactionFailedException ex) when (ex.Status == 409)
        {
            // Someone holds a granule. If it is this very booking (a retried webhook), carry on; otherwise the slot is taken.
            if (!await HoldsAsync(partition, granules, id, cancellationToken))
            {
                return null;
            }
        }

        var appointment = new Appointment(b.TenantId, id, b.Service, b.Start, b.Minutes, b.Name, b.Phone, Booked, b.CallId, now);
        await tables.Appointments.UpsertEntityAsync(ToEntity(appointment), TableUpdateMode.Replace, cancellationToken);
        return appointment;
    }

    public async Task<Appointment?> MoveAsync(AppointmentRef from, BookingRequest to, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var id = AppointmentId(to);
        var oldPartition = LockPartition(to.TenantId, from.Date);
        var newPartition = LockPartition(to.TenantId, to.Date);
        var oldGranules = Granules(from.Time, from.Minutes);
        var newGranules = Granules(to.Time, to.Minutes);
        if (!await HoldsAsync(newPartition, newGranules, id, cancellationToken))
        {
            var actions = new List<TableTransactionAction>();
            if (oldPartition == newPartition)
            {
                // Same day: hand over the granules the old booking holds, take the new ones, free the rest — atomically.
                var held = new Dictionary<string, TableEntity>(StringComparer.Ordinal);
                foreach (var g in oldGranules)
                {
                    var e = await tables.SlotLocks.GetEntityIfExistsAsync<TableEntity>(oldPartition, g, cancellationToken: cancellationToken);
                    if (e.HasValue && e.Value!.GetString("AppointmentId") == from.Id)
                    {
                        held[g] = e.Value;
                    }
                }

                foreach (var g in newGranules)
                {
                    actions.Add(held.TryGetValue(g, out var mine)
                        ? new TableTransactionAction(TableTransactionActionType.UpdateReplace, Lock(newPartition, g, id, to.CallId), mine.ETag)
                        : new TableTransactionAction(TableTransactionActionType.Add, Lock(newPartition, g, id, to.CallId)));
                }

                actions.AddRange(held.Where(h => !newGranules.Contains(h.Key))
                    .Select(h => new TableTransactionAction(TableTransactionActionType.Delete, h.Value, h.Value.ETag)));
            }
            else
            {
                actions.AddRange(newGranules.Select(g => new TableTransactionAction(TableTransactionActionType.Add, Lock(newPartition, g, id, to.CallId))));
            }

            try
            {
                await tables.SlotLocks.SubmitTransactionAsync(actions, cancellationToken);
            }
            catch (TableTransactionFailedException ex) when (ex.Status is 409 or 412 or 404)
            {
                return null;
            }
        }

        var moved = new Appointment(to.TenantId, id, to.Service, to.Start, to.Minutes, to.Name, to.Phone, Booked, to.CallId, now);
        var entity = ToEntity(moved);
        entity["RescheduledFrom"] = from.Id;
        await tables.Appointments.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken);
        if (from.Id != id)
        {
            await tables.Appointments.UpdateEntityAsync(
                new TableEntity(to.TenantId, RowPrefix(from.Start) + "_" + from.Id) { ["Status"] = Rescheduled, ["MovedTo"] = id, ["ChangedByCall"] = to.CallId },
                ETag.All, TableUpdateMode.Merge, cancellationToken);
            if (oldPartition != newPartition)
            {
                await ReleaseAsync(oldPartition, oldGranules, from.Id, cancellationToken);
            }
        }

        return moved;
    }

    public async Task<bool> CancelAsync(string tenantId, AppointmentRef appointment, string callId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var row = RowPrefix(appointment.Start) + "_" + appointment.Id;
        var found = await tables.Appointments.GetEntityIfExistsAsync<TableEntity>(tenantId, row, cancellationToken: cancellationToken);
        if (!found.HasValue)
        {
            return false;
        }

        var e = found.Value!;
        if (e.GetString("Status") != Booked)
        {
            // A retried cancel of the same call succeeded before; anything else was not ours to cancel.
            return e.GetString("Status") == Cancelled && e.GetString("ChangedByCall") == callId;
        }

        // Mark it cancelled first (If-Match), then free the slot: a crash in between blocks a slot, never double-books it.
        try
        {
            await tables.Appointments.UpdateEntityAsync(
                new TableEntity(tenantId, row) { ["Status"] = Cancelled, ["ChangedByCall"] = callId, ["CancelledAt"] = now }, e.ETag, TableUpdateMode.Merge, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 412)
        {
            return false;
        }

        await ReleaseAsync(LockPartition(tenantId, appointment.Date), Granules(appointment.Time, appointment.Minutes), appointment.Id, cancellationToken);
        return true;
    }

    public async Task<IReadOnlyList<Appointment>> FindUpcomingAsync(string tenantId, DateTimeOffset from, string? phone, string? name, CancellationToken cancellationToken)
    {
        var words = (name ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {tenantId} and RowKey ge {RowPrefix(from)} and Status eq {Booked}");
        var list = new List<Appointment>();
        await foreach (var e in tables.Appointments.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            var a = FromEntity(e);
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
        var filter = from is { } f
            ? TableClient.CreateQueryFilter($"PartitionKey eq {tenantId} and RowKey ge {RowPrefix(f)}")
            : TableClient.CreateQueryFilter($"PartitionKey eq {tenantId}");
        var list = new List<Appointment>();
        await foreach (var e in tables.Appointments.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            list.Add(FromEntity(e));
        }

        return list;
    }

    public async Task<IReadOnlyList<BusyInterval>> BusyAsync(Tenant tenant, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        // Start a day early so a long booking that began before 'from' still counts.
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {tenant.Id} and RowKey ge {RowPrefix(from.AddDays(-1))} and RowKey lt {RowPrefix(to)} and Status eq {Booked}");
        var list = new List<BusyInterval>();
        await foreach (var e in tables.Appointments.QueryAsync<TableEntity>(filter, select: ["StartUtc", "Minutes"], cancellationToken: cancellationToken))
        {
            var start = tenant.ToLocal(e.GetDateTimeOffset("StartUtc")!.Value).DateTime;
            list.Add(new BusyInterval(start, start.AddMinutes(e.GetInt32("Minutes") ?? 0)));
        }

        return list;
    }

    private static List<string> Granules(TimeOnly start, int minutes) =>
        Availability.Granules(start, minutes).Select(g => g.ToString("HHmm", CultureInfo.InvariantCulture)).ToList();

    private static TableEntity Lock(string partition, string granule, string appointmentId, string callId) =>
        new(partition, granule) { ["AppointmentId"] = appointmentId, ["CallId"] = callId };

    /// <summary>Whether every granule is already locked by this appointment (a retried request).</summary>
    private async Task<bool> HoldsAsync(string partition, IEnumerable<string> granules, string appointmentId, CancellationToken cancellationToken)
    {
        foreach (var g in granules)
        {
            var held = await tables.SlotLocks.GetEntityIfExistsAsync<TableEntity>(partition, g, cancellationToken: cancellationToken);
            if (!held.HasValue || held.Value!.GetString("AppointmentId") != appointmentId)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Deletes the locks this appointment still holds (a lock another booking took over is left alone).</summary>
    private async Task ReleaseAsync(string partition, IEnumerable<string> granules, string appointmentId, CancellationToken cancellationToken)
    {
        var deletes = new List<TableTransactionAction>();
        foreach (var g in granules)
        {
            var held = await tables.SlotLocks.GetEntityIfExistsAsync<TableEntity>(partition, g, cancellationToken: cancellationToken);
            if (held.HasValue && held.Value!.GetString("AppointmentId") == appointmentId)
            {
                deletes.Add(new TableTransactionAction(TableTransactionActionType.Delete, held.Value, held.Value.ETag));
            }
        }

        if (deletes.Count > 0)
        {
            await tables.SlotLocks.SubmitTransactionAsync(deletes, cancellationToken);
        }
    }

    /// <summary>Deterministic per call and slot, so a retried confirmation finds its own locks.</summary>
    private static string AppointmentId(BookingRequest b)
    {
        var key = $"{b.TenantId}|{b.CallId}|{b.Start.UtcDateTime:O}|{b.Service}";
        return "apt-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..16];
    }

    private static string LockPartition(string tenantId, DateOnly date) =>
        tenantId + "_" + date.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    private static string RowPrefix(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString("yyyyMMddHHmm", CultureInfo.InvariantCulture);

    private static TableEntity ToEntity(Appointment a) => new(a.TenantId, RowPrefix(a.Start) + "_" + a.Id)
    {
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

    private static Appointment FromEntity(TableEntity e) => new(
        e.PartitionKey,
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
