using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Receptionist.Cloud.Llm;
using Receptionist.Cloud.Tables;
using Receptionist.Cloud.Tests.Llm;
using Receptionist.Cloud.Workflows;
using Receptionist.Core.Conversation;
using Receptionist.Core.Notifications;
using Receptionist.Core.Reporting;
using Receptionist.Core.Storage;
using Receptionist.Core.Tenants;
using Receptionist.Testing;

namespace Receptionist.Cloud.Tests.Workflows;

/// <summary>
/// The after-call report on real table storage with an LLM configured (a loopback OpenAI-compatible server): the
/// owner reads the model's summary when it is true to the call, the rules' when the model fails, and either way the
/// call's cost counts the tokens the summary spent.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ReportActivityTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly Tenant Dentist = TenantParser.Parse("t.json", TestTenants.Dentist, _ => true).Tenants[0].Tenant;
    private static readonly DateTimeOffset Start = DateTimeOffset.Parse(TestTenants.MondayMorning, System.Globalization.CultureInfo.InvariantCulture);
    private FakeOpenAIServer _model = null!;

    public async Task InitializeAsync() => _model = await FakeOpenAIServer.StartAsync();

    public async Task DisposeAsync() => await _model.DisposeAsync();

    private async Task<(WorkflowServices Services, TableCallReportStore Reports)> BookedCallAsync(string callId)
    {
        var tables = await azurite.NewTablesAsync();
        var reports = new TableCallReportStore(tables);
        var calls = new TableCallStore(tables);
        var session = new CallSession(callId, Dentist.Id, TestTenants.Caller, TestTenants.DentistNumber, Start, ConversationState.Ended, BookingDraft.Empty, Outcome: CallOutcome.Booked);
        var record = new CallRecord(session, 4, [], 4, Start.AddSeconds(90)) { Channel = "twilio", Mode = "gather", DurationSeconds = 90, LlmInputTokens = 1000, LlmOutputTokens = 100 };
        var tenAm = DateTimeOffset.Parse("2026-11-24T10:00:00-05:00", System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(await calls.CreateAsync(record,
        [
            new(1, Start, "agent", "say", "Thanks for calling Bright Smiles Dental. How can I help?"),
            new(2, Start, "caller", "speech", "This is Sam Lee, a cleaning tomorrow at 10 please"),
            new(3, Start, "system", CallNotes.BookedKind, CallNotes.Booked("apt-1", "Cleaning", tenAm)),
            new(4, Start, "agent", "say", "You're booked for a Cleaning on Tuesday at 10 am."),
        ], CancellationToken.None));
        var services = new WorkflowServices(new OneTenant(Dentist), new TableAppointmentStore(tables), calls, new TableMessageStore(tables),
            new TableNotificationStore(tables), new TableOptOutStore(tables), reports, new TableCostLedger(tables), new CostRates(), new NoSms(),
            new FakeTimeProvider(Start.AddMinutes(2)), NullLogger<WorkflowServices>.Instance);
        return (services, reports);
    }

    private LlmSummaryWriter Writer() => new(
        ChatClientFactory.Create(new OpenAIOptions { Endpoint = _model.Endpoint.ToString(), Deployment = "receptionist-mini", ApiKey = "test-key", TimeoutMilliseconds = 5000 }),
        TimeSpan.FromSeconds(5), TimeProvider.System, NullLogger<LlmSummaryWriter>.Instance);

    private static WorkflowJob Job(string callId) => new("report", Dentist.Id, callId, "2026-11-23", DateTime.UnixEpoch, new SendPolicy(3, 1, 10));

    private static decimal Tokens(CallReportRecord report, string item) => report.Cost.Lines.Single(l => l.Item == item).Quantity;

    [Fact]
    public async Task Report_ModelTrueToTheCall_OwnerReadsItsSummaryAndTheCostCountsItsTokens()
    {
        var (services, reports) = await BookedCallAsync("CA-report-1");
        _model.Script(new FakeReply(Content: "Sam Lee booked a cleaning for Tuesday at 10 am."));

        await ReportActivity.ReportAsync(services, Writer(), Job("CA-report-1"), CancellationToken.None);

        var report = await reports.GetAsync("CA-report-1", CancellationToken.None);
        Assert.Equal(("Sam Lee booked a cleaning for Tuesday at 10 am.", "llm"), (report!.Summary.Text, report.Summary.Source));
        Assert.Equal("apt-1", Assert.Single(report.Summary.Appointments).Id);
        Assert.Equal((1120m, 140m), (Tokens(report, "LLM input"), Tokens(report, "LLM output"))); // the call's 1000/100 and the summary's 120/40
    }

    [Fact]
    public async Task Report_ModelFails_OwnerReadsTheRulesSummary()
    {
        var (services, reports) = await BookedCallAsync("CA-report-2");
        _model.Script(FakeReply.Error(503));

        await ReportActivity.ReportAsync(services, Writer(), Job("CA-report-2"), CancellationToken.None);

        var report = await reports.GetAsync("CA-report-2", CancellationToken.None);
        Assert.Equal(("Booked a Cleaning for Tuesday, November 24 at 10 am.", "rules"), (report!.Summary.Text, report.Summary.Source));
        Assert.Equal((1000m, 100m), (Tokens(report, "LLM input"), Tokens(report, "LLM output")));
    }

    private sealed class OneTenant(Tenant tenant) : ITenants
    {
        public Task<Tenant?> ByIdAsync(string tenantId, CancellationToken cancellationToken) => Task.FromResult(tenantId == tenant.Id ? tenant : null);
    }

    private sealed class NoSms : ISmsSender
    {
        public Task<SmsResult> SendAsync(SmsMessage message, CancellationToken cancellationToken) => throw new InvalidOperationException("a report sends no text");
    }
}
