using System.CommandLine;
using Receptionist.Cloud.Tables;

namespace Receptionist.Cli.Commands;

/// <summary>`notifications list --tenant ID [--json]`: every text message sent or planned for a business, newest first.</summary>
internal static class NotificationsCommand
{
    public static Command Create(Func<CliEnvironment> environment)
    {
        var tenant = new Option<string>("--tenant") { Description = "Tenant id.", Required = true };
        var json = new Option<bool>("--json") { Description = "Print JSON." };
        var list = new Command("list", "List confirmations, reminders and owner alerts: to, kind, status, attempts, when, provider id.") { tenant, json };
        list.SetAction((parse, ct) => List(environment(), parse.GetValue(tenant)!, parse.GetValue(json), ct));
        return new Command("notifications", "See the text messages sent to callers and owners.") { list };
    }

    private static Task<int> List(CliEnvironment env, string tenantId, bool json, CancellationToken ct) => Cli.WithStorage(env, async () =>
    {
        var tables = env.Tables();
        await tables.EnsureCreatedAsync(ct);
        await Cli.TenantAsync(tables, tenantId, ct);
        var list = await new TableNotificationStore(tables).ListAsync(tenantId, ct);
        if (json)
        {
            Cli.WriteJson(list);
        }
        else
        {
            foreach (var n in list)
            {
                var detail = n.Detail is { Length: > 0 } d && n.Status != "sent" ? $" — {d}" : string.Empty;
                Console.WriteLine($"{n.ScheduledFor.UtcDateTime:yyyy-MM-dd HH:mm}Z {n.Kind,-13} {n.Status,-13} to {n.To ?? "(none)"} ×{n.Attempts} {n.ProviderId}{detail}");
                Console.WriteLine($"    {n.Body}");
            }

            Console.WriteLine($"{list.Count} notification(s)");
        }

        return Cli.Ok;
    });
}
