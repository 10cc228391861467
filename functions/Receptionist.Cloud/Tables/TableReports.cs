using System.Text.Json;
using Azure.Data.Tables;
using Receptionist.Core.Reporting;

namespace Receptionist.Cloud.Tables;

/// <summary>The Costs table: partition = tenant id, row = <c>{yyyy-MM}|{key}</c> (a call id, or <c>sms|{notification key}</c>),
/// so a month is one range query and recording an entry again replaces it.</summary>
public sealed class TableCostLedger(TableSet tables) : ICostLedger
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task RecordAsync(CostEntry entry, CancellationToken cancellationToken) =>
        await tables.Costs.UpsertEntityAsync(new TableEntity(entry.TenantId, $"{entry.Month}|{entry.Key}")
        {
            ["Kind"] = entry.Kind,
            ["CallId"] = entry.CallId,
            ["At"] = entry.At,
            ["Total"] = (double)entry.Cost.Total,
            ["Lines"] = JsonSerializer.Serialize(entry.Cost.Lines, Json),
        }, TableUpdateMode.Replace, cancellationToken);

    public async Task<IReadOnlyList<CostEntry>> MonthAsync(string tenantId, string month, CancellationToken cancellationToken)
    {
        var list = new List<CostEntry>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {tenantId} and RowKey ge {month + "|"} and RowKey lt {month + "}"}");
        await foreach (var e in tables.Costs.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            var lines = JsonSerializer.Deserialize<List<CostLine>>(e.GetString("Lines") ?? "[]", Json) ?? [];
            list.Add(new CostEntry(tenantId, month, e.RowKey[(month.Length + 1)..], e.GetString("Kind") ?? string.Empty, e.GetString("CallId"),
                e.GetDateTimeOffset("At") ?? DateTimeOffset.MinValue, new CostBreakdown(lines)));
        }

        return list.OrderBy(c => c.At).ToList();
    }
}

/// <summary>A call's report (summary and cost) as the "report" row of its partition in the Calls table.</summary>
public sealed class TableCallReportStore(TableSet tables) : ICallReportStore
{
    private const string ReportRow = "report";

    /// <summary>Stores the report, then puts its summary and cost on the call's listing (the tenant's index row).</summary>
    public async Task SaveAsync(CallReportRecord report, CancellationToken cancellationToken)
    {
        await tables.Calls.UpsertEntityAsync(new TableEntity(report.CallId, ReportRow)
        {
            ["TenantId"] = report.TenantId,
            ["At"] = report.At,
            ["Summary"] = JsonSerializer.Serialize(report.Summary, TableCostLedger.Json),
            ["Cost"] = JsonSerializer.Serialize(report.Cost.Lines, TableCostLedger.Json),
        }, TableUpdateMode.Replace, cancellationToken);
        await new TableCallStore(tables).IndexReportAsync(report.CallId, report.Summary.Text, report.Cost.Total, cancellationToken);
    }

    public async Task<CallReportRecord?> GetAsync(string callId, CancellationToken cancellationToken)
    {
        var found = await tables.Calls.GetEntityIfExistsAsync<TableEntity>(callId, ReportRow, cancellationToken: cancellationToken);
        if (!found.HasValue)
        {
            return null;
        }

        var e = found.Value!;
        return new CallReportRecord(callId, e.GetString("TenantId") ?? string.Empty, e.GetDateTimeOffset("At") ?? DateTimeOffset.MinValue,
            JsonSerializer.Deserialize<CallSummary>(e.GetString("Summary") ?? "null", TableCostLedger.Json) ?? throw new InvalidDataException($"Call {callId} has an unreadable report."),
            new CostBreakdown(JsonSerializer.Deserialize<List<CostLine>>(e.GetString("Cost") ?? "[]", TableCostLedger.Json) ?? []));
    }
}
