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
        var reports = new TableCallReportStore(tables);
        var smsCosts = new Dictionary<string, IReadOnlyList<Core.Reporting.CostEntry>>(StringComparer.Ordinal); // the ledger, by month
        var result = new List<object>();
        foreach (var call in await store.ListByTenantAsync(tenantId, Math.Clamp(max, 1, 1000), ct))
        {
            var s = call.Session;
            var history = await store.HistoryAsync(s.CallId, ct);
            var turns = history.Where(h => h.Speaker is "agent" or "caller")
                .Select(h => new { h.Speaker, Text = h.Kind == "silence" ? "(silence)" : h.Text })
                .ToList();
            var latencies = history.Where(h => h.Speaker == "system" && h.Kind == Core.Reporting.CallNotes.LatencyKind)
                .Select(h => Core.Conversation.TurnTimed.Parse(h.Text)).OfType<IReadOnlyDictionary<string, int>>().ToList();
            var report = await reports.GetAsync(s.CallId, ct);
            var sms = await SmsCostAsync(tables, tenantId, s.StartedAt, s.CallId, smsCosts, ct);
            var cost = report is null ? null : new { Call = report.Cost.Total, Sms = sms, Total = report.Cost.Total + sms, report.Cost.Lines };
            if (json)
            {
                result.Add(new
                {
                    s.CallId, StartedAt = s.StartedAt, From = s.CallerNumber, To = s.DialledNumber, call.Channel, call.Mode, call.DurationSeconds, s.Outcome, s.State,
                    s.AppointmentId, Summary = report?.Summary, Cost = cost, Turns = turns,
                    LatencyMilliseconds = latencies.Count == 0 ? null : latencies, // streamed calls: per turn, from the end of the caller's speech
                });
            }
            else
            {
                Console.WriteLine($"{s.StartedAt:yyyy-MM-dd HH:mm:ss} {s.CallId} {call.Channel}/{call.Mode} from {s.CallerNumber ?? "(withheld)"}{(call.DurationSeconds is { } d ? $" {d}s" : string.Empty)} → {s.Outcome}"
                    + (cost is null ? string.Empty : $" ${cost.Total:0.0000}"));
                if (report is not null)
                {
                    Console.WriteLine($"    {report.Summary.Text}");
                }

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

    /// <summary>What the texts a call caused cost so far: ledger entries of its month, the one before (zones) and the
    /// one after (a reminder may go out after the month turns). Each month is read once.</summary>
    private static async Task<decimal> SmsCostAsync(TableSet tables, string tenantId, DateTimeOffset startedAt, string callId,
        Dictionary<string, IReadOnlyList<Core.Reporting.CostEntry>> months, CancellationToken ct)
    {
        var total = 0m;
        foreach (var month in new[] { startedAt.AddMonths(-1), startedAt, startedAt.AddMonths(1) }.Select(m => m.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture)))
        {
            if (!months.TryGetValue(month, out var entries))
            {
                months[month] = entries = await new TableCostLedger(tables).MonthAsync(tenantId, month, ct);
            }

            total += entries.Where(e => e.Kind == "sms" && e.CallId == callId).Sum(e => e.Cost.Total);
        }

        return total;
    }
}
