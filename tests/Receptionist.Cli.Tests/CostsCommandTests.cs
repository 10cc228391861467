using System.Text.Json;
using Receptionist.Cloud.Tables;
using Receptionist.Core.Reporting;
using Receptionist.Testing;

namespace Receptionist.Cli.Tests;

using Cli = Receptionist.Cli.Commands.Cli;

/// <summary>`costs --tenant ID [--month YYYY-MM]`: a month of the ledger, added up by item.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class CostsCommandTests(AzuriteFixture azurite) : IDisposable
{
    private readonly CliRun _cli = new(azurite);

    public void Dispose() => _cli.Dispose();

    private async Task<TableCostLedger> DentistWithLedgerAsync()
    {
        var file = Path.Combine(_cli.Root, "dentist.json");
        await File.WriteAllTextAsync(file, TestTenants.Dentist);
        Assert.Equal(Cli.Ok, (await _cli.RunAsync("tenants", "import", file)).ExitCode);
        var ledger = new TableCostLedger(_cli.Environment().Tables());
        var at = DateTimeOffset.Parse("2026-11-23T10:00:00-05:00");
        CostLine Line(string item, decimal quantity, decimal price) => new(item, quantity, "unit", price, quantity * price);
        await ledger.RecordAsync(new CostEntry("bright-smiles", "2026-11", "CA1", "call", "CA1", at, new CostBreakdown([Line("telephony (Twilio)", 2, 0.0085m), Line("speech recognition", 5, 0.02m)])), CancellationToken.None);
        await ledger.RecordAsync(new CostEntry("bright-smiles", "2026-11", "CA2", "call", "CA2", at, new CostBreakdown([Line("telephony (Twilio)", 1, 0.0085m)])), CancellationToken.None);
        await ledger.RecordAsync(new CostEntry("bright-smiles", "2026-11", "sms|apt-1.booked", "sms", "CA1", at, CallCosts.ForSms("Booked.", new CostRates())), CancellationToken.None);
        await ledger.RecordAsync(new CostEntry("bright-smiles", "2026-12", "CA3", "call", "CA3", at.AddDays(10), new CostBreakdown([Line("telephony (Twilio)", 9, 0.0085m)])), CancellationToken.None);
        return ledger;
    }

    [Fact]
    public async Task Costs_Month_AddsUpEachItemAcrossCallsAndTexts()
    {
        await DentistWithLedgerAsync();

        var result = await _cli.RunAsync("costs", "--tenant", "bright-smiles", "--month", "2026-11", "--json");

        Assert.True(result.ExitCode == Cli.Ok, result.ToString());
        using var json = JsonDocument.Parse(result.Out);
        var root = json.RootElement;
        Assert.Equal((2, 1), (root.GetProperty("calls").GetInt32(), root.GetProperty("texts").GetInt32()));
        Assert.Equal(3 * 0.0085m + 0.1m + 0.0113m, root.GetProperty("total").GetDecimal());
        var telephony = root.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("item").GetString() == "telephony (Twilio)");
        Assert.Equal(3m, telephony.GetProperty("quantity").GetDecimal());
    }

    [Fact]
    public async Task Costs_Text_ListsItemsAndThePerCallAverage()
    {
        await DentistWithLedgerAsync();

        var result = await _cli.RunAsync("costs", "--tenant", "bright-smiles", "--month", "2026-12");

        Assert.True(result.ExitCode == Cli.Ok, result.ToString());
        Assert.Contains("1 call(s), 0 text(s)", result.Out, StringComparison.Ordinal);
        Assert.Contains("$    0.0765", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Costs_MonthNotYyyyMm_ExitsWithTheOptionNamed()
    {
        var result = await _cli.RunAsync("costs", "--tenant", "bright-smiles", "--month", "November");

        Assert.NotEqual(Cli.Ok, result.ExitCode);
        Assert.Contains("--month: 'November' is not YYYY-MM", result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Costs_UnknownTenant_ExitsFailedNamingIt()
    {
        var result = await _cli.RunAsync("costs", "--tenant", "nosuch");

        Expect.OneLineError(result, Cli.Failed, "no tenant 'nosuch'");
    }
}
