using System.CommandLine;
using System.Globalization;
using Receptionist.Cloud.Tables;

namespace Receptionist.Cli.Commands;

/// <summary>`costs --tenant ID [--month YYYY-MM] [--json]`: what a business's calls and texts cost in a month, by item.</summary>
internal static class CostsCommand
{
    public static Command Create(Func<CliEnvironment> environment)
    {
        var tenant = new Option<string>("--tenant") { Description = "Tenant id.", Required = true };
        var month = new Option<string?>("--month") { Description = "YYYY-MM in the business's zone (default: this month)." };
        month.Validators.Add(r =>
        {
            var value = r.GetValueOrDefault<string?>();
            if (value is not null && !DateOnly.TryParseExact(value + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
            {
                r.AddError($"--month: '{value}' is not YYYY-MM.");
            }
        });
        var json = new Option<bool>("--json") { Description = "Print JSON." };
        var costs = new Command("costs", "The month's cost per item (telephony, speech, LLM tokens, SMS) and in total.") { tenant, month, json };
        costs.SetAction((parse, ct) => Run(environment(), parse.GetValue(tenant)!, parse.GetValue(month), parse.GetValue(json), ct));
        return costs;
    }

    private static Task<int> Run(CliEnvironment env, string tenantId, string? month, bool json, CancellationToken ct) => Cli.WithStorage(env, async () =>
    {
        var tables = env.Tables();
        await tables.EnsureCreatedAsync(ct);
        var doc = await Cli.TenantAsync(tables, tenantId, ct);
        var zone = TimeZoneInfo.FindSystemTimeZoneById(doc.TimeZone!);
        month ??= TimeZoneInfo.ConvertTime(env.Now, zone).ToString("yyyy-MM", CultureInfo.InvariantCulture);
        var entries = await new TableCostLedger(tables).MonthAsync(tenantId, month, ct);
        var items = entries.SelectMany(e => e.Cost.Lines)
            .GroupBy(l => (l.Item, l.Unit))
            .Select(g => new { g.Key.Item, Quantity = g.Sum(l => l.Quantity), g.Key.Unit, Amount = g.Sum(l => l.Amount) })
            .OrderByDescending(i => i.Amount)
            .ToList();
        var calls = entries.Count(e => e.Kind == "call");
        var texts = entries.Count(e => e.Kind == "sms");
        var total = entries.Sum(e => e.Cost.Total);
        if (json)
        {
            Cli.WriteJson(new { Tenant = tenantId, Month = month, Currency = "USD", Calls = calls, Texts = texts, Total = total, PerCall = calls > 0 ? total / calls : 0, Items = items });
            return Cli.Ok;
        }

        Console.WriteLine($"{tenantId} {month}: {calls} call(s), {texts} text(s)");
        foreach (var i in items)
        {
            Console.WriteLine($"  {i.Item,-38} {i.Quantity,12:0.##} {i.Unit,-12} ${i.Amount,10:0.0000}");
        }

        Console.WriteLine($"  {"total",-38} {string.Empty,25} ${total,10:0.0000}{(calls > 0 ? $"  (${total / calls:0.0000} per call)" : string.Empty)}");
        return Cli.Ok;
    });
}
