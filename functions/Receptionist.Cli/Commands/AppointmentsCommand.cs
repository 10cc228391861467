using System.CommandLine;
using System.Globalization;
using Receptionist.Cloud.Tables;

namespace Receptionist.Cli.Commands;

/// <summary>`appointments list --tenant ID [--json]`.</summary>
internal static class AppointmentsCommand
{
    public static Command Create(Func<CliEnvironment> environment)
    {
        var tenant = new Option<string>("--tenant") { Description = "Tenant id.", Required = true };
        var json = new Option<bool>("--json") { Description = "Print JSON." };
        var list = new Command("list", "List a tenant's appointments, earliest first.") { tenant, json };
        list.SetAction((parse, ct) => List(environment(), parse.GetValue(tenant)!, parse.GetValue(json), ct));
        return new Command("appointments", "See bookings.") { list };
    }

    private static Task<int> List(CliEnvironment env, string tenantId, bool json, CancellationToken ct) => Cli.WithStorage(env, async () =>
    {
        var tables = env.Tables();
        await tables.EnsureCreatedAsync(ct);
        await Cli.TenantAsync(tables, tenantId, ct);
        var items = (await new TableAppointmentStore(tables).ListAsync(tenantId, null, ct))
            .Select(a => new
            {
                a.Id,
                a.Service,
                Start = a.Start.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
                a.Minutes,
                a.CallerName,
                a.CallerPhone,
                a.Status,
                a.CallId,
            })
            .ToList();
        if (json)
        {
            Cli.WriteJson(items);
        }
        else
        {
            foreach (var a in items)
            {
                Console.WriteLine($"{a.Start}  {a.Minutes,3} min  {a.Service,-20} {a.CallerName,-20} {a.CallerPhone,-13} {a.Status}");
            }

            Console.WriteLine($"{items.Count} appointment(s)");
        }

        return Cli.Ok;
    });
}
