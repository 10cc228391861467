using Azure.Data.Tables;
using Receptionist.Cloud.Tables;
using Receptionist.Core.Tenants;
using Xunit;

namespace Receptionist.Testing;

/// <summary>The calendar's invariants (docs/storage.md), checked on the raw rows: every lock names a live appointment
/// (or a move hold) of its day, and every live appointment (or hold) holds exactly the locks of its granules.</summary>
public static class CalendarInvariants
{
    public static async Task AssertAsync(TableSet tables, Tenant tenant, bool allowHolds, string what)
    {
        var rows = new List<TableEntity>();
        await foreach (var e in tables.Calendar.QueryAsync<TableEntity>(cancellationToken: CancellationToken.None))
        {
            rows.Add(e);
        }

        foreach (var day in rows.GroupBy(r => r.PartitionKey))
        {
            var locks = day.Where(r => r.RowKey.StartsWith("lock-", StringComparison.Ordinal)).ToList();
            var owners = day.Where(r => r.RowKey.StartsWith("apt-", StringComparison.Ordinal)
                && (r.GetString("Status") == TableAppointmentStore.Booked || (r.GetString("Status") == TableAppointmentStore.Holding && allowHolds))).ToList();
            Assert.True(allowHolds || day.All(r => r.GetString("Status") != TableAppointmentStore.Holding), $"{what}: a move hold was left in {day.Key}");
            foreach (var l in locks)
            {
                Assert.True(owners.Any(o => o.GetString("AppointmentId") == l.GetString("AppointmentId")),
                    $"{what}: ghost lock {day.Key}/{l.RowKey} owned by {l.GetString("AppointmentId")}, which is not live");
            }

            foreach (var o in owners)
            {
                var start = TimeOnly.FromDateTime(tenant.ToLocal(o.GetDateTimeOffset("StartUtc")!.Value).DateTime);
                var expected = Core.Scheduling.Availability.Granules(start, o.GetInt32("Minutes") ?? 0)
                    .Select(g => "lock-" + g.ToString("HHmm", System.Globalization.CultureInfo.InvariantCulture)).Order(StringComparer.Ordinal).ToList();
                var held = locks.Where(l => l.GetString("AppointmentId") == o.GetString("AppointmentId")).Select(l => l.RowKey).Order(StringComparer.Ordinal).ToList();
                Assert.True(expected.SequenceEqual(held), $"{what}: {o.GetString("AppointmentId")} holds [{string.Join(",", held)}], expected [{string.Join(",", expected)}]");
            }
        }
    }
}
