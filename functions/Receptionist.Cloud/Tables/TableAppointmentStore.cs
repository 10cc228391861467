using System.Globalization;
using System.Security.Cryptography;
using System.Text;
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

    public async Task<Appointment?> ReserveAsync(BookingRequest booking, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var b = booking;
        var id = AppointmentId(b);
        var partition = LockPartition(b.TenantId, b.Date);
        var granules = Availability.Granules(b.Time, b.Minutes).Select(g => g.ToString("HHmm", CultureInfo.InvariantCulture)).ToList();
        var locks = granules.Select(g => new TableTransactionAction(TableTransactionActionType.Add,
            new TableEntity(partition, g) { ["AppointmentId"] = id, ["CallId"] = b.CallId })).ToList();
        try
        {
            await tables.SlotLocks.SubmitTransactionAsync(locks, cancellationToken);
        }
        catch (TableTransactionFailedException ex) when (ex.Status == 409)
        {
            // Someone holds a granule. If it is this very booking (a retried webhook), carry on; otherwise the slot is taken.
            foreach (var g in granules)
            {
                var held = await tables.SlotLocks.GetEntityIfExistsAsync<TableEntity>(partition, g, cancellationToken: cancellationToken);
                if (!held.HasValue || held.Value!.GetString("AppointmentId") != id)
                {
                    return null;
                }
            }
        }

        var appointment = new Appointment(b.TenantId, id, b.Service, b.Start, b.Minutes, b.Name, b.Phone, Booked, b.CallId, now);
        await tables.Appointments.UpsertEntityAsync(ToEntity(appointment), TableUpdateMode.Replace, cancellationToken);
        return appointment;
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
