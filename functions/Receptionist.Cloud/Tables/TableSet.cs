using Azure.Data.Tables;

namespace Receptionist.Cloud.Tables;

/// <summary>The application's tables (docs/storage.md, docs/protocols.md §6.1), each named with the configured prefix.</summary>
public sealed class TableSet
{
    private readonly TableServiceClient _service;
    private readonly string _prefix;

    /// <summary>The table service's address (for messages that say which storage is meant).</summary>
    public Uri ServiceUri => _service.Uri;

    public TableSet(TableServiceClient service, string prefix)
    {
        _service = service;
        _prefix = prefix;
        Tenants = Table("Tenants");
        PhoneRoutes = Table("PhoneRoutes");
        Calls = Table("Calls");
        CallsByTenant = Table("CallsByTenant");
        Calendar = Table("Calendar");
        Messages = Table("Messages");
        LookupLimits = Table("LookupLimits");
        Notifications = Table("Notifications");
        SmsOptOuts = Table("SmsOptOuts");
        Costs = Table("Costs");
        Access = Table("Access");
        WorkflowOutbox = Table("WorkflowOutbox");
    }

    public TableClient Tenants { get; }
    public TableClient PhoneRoutes { get; }
    public TableClient Calls { get; }
    public TableClient CallsByTenant { get; }

    /// <summary>Appointments and their slot locks, one partition per tenant and local day (see TableAppointmentStore).</summary>
    public TableClient Calendar { get; }

    public TableClient Messages { get; }

    /// <summary>Name lookups per caller number and day (see TableLookupLimiter).</summary>
    public TableClient LookupLimits { get; }

    /// <summary>Every text message sent or planned, per tenant (see TableNotificationStore).</summary>
    public TableClient Notifications { get; }

    /// <summary>Numbers that replied STOP to a tenant's texts (see TableOptOutStore).</summary>
    public TableClient SmsOptOuts { get; }

    /// <summary>Each tenant's cost ledger by month (see TableCostLedger).</summary>
    public TableClient Costs { get; }

    /// <summary>Owners, their sign-in links and the API keys (see TableAccessStore).</summary>
    public TableClient Access { get; }

    /// <summary>Workflow starts written in a turn and not carried out yet, per tenant (see WorkflowOutbox).</summary>
    public TableClient WorkflowOutbox { get; }

    public IEnumerable<TableClient> All => [Tenants, PhoneRoutes, Calls, CallsByTenant, Calendar, Messages, LookupLimits, Notifications, SmsOptOuts, Costs, Access, WorkflowOutbox];

    /// <summary>Creates the tables that are missing, all at once (one round trip's wait, not twelve, at every start).</summary>
    public Task EnsureCreatedAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(All.Select(table => table.CreateIfNotExistsAsync(cancellationToken)));

    /// <summary>A cheap round trip that proves storage answers (for /readyz).</summary>
    public async Task PingAsync(CancellationToken cancellationToken)
    {
        await foreach (var _ in Tenants.QueryAsync<TableEntity>(maxPerPage: 1, select: ["PartitionKey"], cancellationToken: cancellationToken).AsPages(pageSizeHint: 1))
        {
            break;
        }
    }

    public async Task DeleteAllAsync(CancellationToken cancellationToken)
    {
        foreach (var table in All)
        {
            await table.DeleteAsync(cancellationToken);
        }
    }

    private TableClient Table(string name) => _service.GetTableClient(_prefix + name);
}
