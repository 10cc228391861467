using System.CommandLine;
using Receptionist.Cloud.Tables;

namespace Receptionist.Cli.Commands;

/// <summary>`calls list --tenant ID [--json] [--max N]`: every call with its turns and outcome, newest first.</summary>
internal static class CallsCommand
{
    public static Command Create(Func<CliEnvironment> environment)
    {
        var tenant = new Option<string>("--tenant") { Description = "Tenant id.", Required = true };
        var json = new Option<bool>("--json") { Description = "Print JSON." };
        var max = new Option<int>("--max") { Description = "How many calls (newest first).", DefaultValueFactory = _ => 50 };
        var list = new Command("list", "List a tenant's calls with transcripts and outcomes.") { tenant, json, max };
        list.SetAction((parse, ct) => List(environment(), parse.GetValue(tenant)!, parse.GetValue(json), parse.GetValue(max), ct));
        return new Command("calls", "See calls.") { list };
    }

    private static Task<int> List(CliEnvironment env, string tenantId, bool json, int max, CancellationToken ct) => Cli.WithStorage(env, async () =>
    {
        var tables = env.Tables();
        await tables.EnsureCreatedAsync(ct);
        await Cli.TenantAsync(tables, tenantId, ct);
        var store = new TableCallStore(tables);
        var result = new List<object>();
        foreach (var call in await store.ListByTenantAsync(tenantId, Math.Clamp(max, 1, 1000), ct))
        {
            var s = call.Session;
            var history = await store.HistoryAsync(s.CallId, ct);
            var turns = history.Where(h => h.Speaker is "agent" or "caller")
                .Select(h => new { h.Speaker, Text = h.Kind == "silence" ? "(silence)" : h.Text })
                .ToList();
            if (json)
            {
                result.Add(new { s.CallId, StartedAt = s.StartedAt, From = s.CallerNumber, To = s.DialledNumber, call.Channel, call.Mode, call.DurationSeconds, s.Outcome, s.State, s.AppointmentId, Turns = turns });
            }
            else
            {
                Console.WriteLine($"{s.StartedAt:yyyy-MM-dd HH:mm:ss} {s.CallId} {call.Channel}/{call.Mode} from {s.CallerNumber ?? "(withheld)"}{(call.DurationSeconds is { } d ? $" {d}s" : string.Empty)} → {s.Outcome}");
                foreach (var t in turns)
                {
                    Console.WriteLine($"    {t.Speaker,-6} {t.Text}");
                }
            }
        }

        if (json)
        {
            Cli.WriteJson(result);
        }

        return Cli.Ok;
    });
}
