using Receptionist.Cloud.Llm;
using Receptionist.Core.Reporting;
using Receptionist.Core.Storage;
using Receptionist.Core.Tenants;
using Receptionist.Testing;

namespace Receptionist.Cloud.Tests.Llm;

/// <summary>The owner's call summary written by the LLM when one is configured — against a loopback OpenAI-compatible
/// server — and the rules' summary whenever the model fails, is slow, or writes something the call did not do.</summary>
public sealed class LlmSummaryWriterTests : IAsyncLifetime
{
    private static readonly Tenant Dentist = TenantParser.Parse("t.json", TestTenants.Dentist, _ => true).Tenants[0].Tenant;
    private static readonly DateTimeOffset Started = DateTimeOffset.Parse("2026-11-23T08:00:00-05:00");

    private static readonly CallSummary Rules = new("Booked", "Booked a Cleaning for Tuesday, November 24 at 10 am.",
        [new SummaryAppointment(CallNotes.BookedKind, "apt-1", "Cleaning", DateTimeOffset.Parse("2026-11-24T10:00:00-05:00"))], null, [], false);

    private static readonly List<CallTurn> History =
    [
        new(1, Started, "agent", "say", "Thanks for calling Bright Smiles Dental. How can I help?"),
        new(2, Started, "caller", "speech", "This is Sam Lee, I'd like a cleaning tomorrow at 10"),
        new(3, Started, "system", CallNotes.BookedKind, CallNotes.Booked("apt-1", "Cleaning", DateTimeOffset.Parse("2026-11-24T10:00:00-05:00"))),
        new(4, Started, "agent", "say", "You're booked for a Cleaning on Tuesday at 10 am."),
    ];

    private FakeOpenAIServer _server = null!;
    private readonly ListLogger<LlmSummaryWriter> _log = new();

    public async Task InitializeAsync() => _server = await FakeOpenAIServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private LlmSummaryWriter Writer(double timeoutSeconds = 5) => new(
        ChatClientFactory.Create(new OpenAIOptions { Endpoint = _server.Endpoint.ToString(), Deployment = "receptionist-mini", ApiKey = "test-key", TimeoutMilliseconds = 5000 }),
        TimeSpan.FromSeconds(timeoutSeconds), TimeProvider.System, _log);

    [Fact]
    public async Task Write_ModelTrueToTheCall_ItsTextWithTheRulesFactsAndItsTokens()
    {
        _server.Script(new FakeReply(Content: "Sam Lee booked a cleaning for Tuesday at 10 am."));

        var (summary, tokens) = await Writer().WriteAsync(Rules, History, Dentist, Started, CancellationToken.None);

        Assert.Equal(("Sam Lee booked a cleaning for Tuesday at 10 am.", "llm"), (summary.Text, summary.Source));
        Assert.Equal(Rules.Appointments, summary.Appointments);
        Assert.Equal(new Core.Understanding.LlmTokens(120, 40), tokens);
        var request = Assert.Single(_server.Requests);
        var prompt = request.Messages[1]!["content"]!.ToString();
        Assert.Contains("Booked a Cleaning for Tuesday, November 24 at 10 am.", prompt, StringComparison.Ordinal);
        Assert.Contains("Caller: This is Sam Lee, I'd like a cleaning tomorrow at 10", prompt, StringComparison.Ordinal);
        Assert.DoesNotContain("apt-1", prompt, StringComparison.Ordinal); // the system's own notes stay out
    }

    [Fact]
    public async Task Write_ModelStatesAnotherTime_RulesSummaryStands()
    {
        _server.Script(new FakeReply(Content: "Sam Lee booked a cleaning for Tuesday at 11 am."));

        var (summary, tokens) = await Writer().WriteAsync(Rules, History, Dentist, Started, CancellationToken.None);

        Assert.Equal(Rules, summary);
        Assert.NotNull(tokens); // it was spent all the same
    }

    [Fact]
    public async Task Write_ModelFails_RulesSummaryStandsAndAWarning()
    {
        _server.Script(FakeReply.Error(500));

        var (summary, tokens) = await Writer().WriteAsync(Rules, History, Dentist, Started, CancellationToken.None);

        Assert.Equal(Rules, summary);
        Assert.Null(tokens);
        Assert.Contains(_log.Entries, e => e.Level == Microsoft.Extensions.Logging.LogLevel.Warning && e.Message.Contains("HTTP 500", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Write_ModelSlowerThanTheBudget_RulesSummaryStands()
    {
        _server.Script(new FakeReply(Content: "Sam Lee booked a cleaning.", Delay: TimeSpan.FromSeconds(5)));

        var (summary, _) = await Writer(timeoutSeconds: 0.3).WriteAsync(Rules, History, Dentist, Started, CancellationToken.None);

        Assert.Equal(Rules, summary);
        Assert.Contains(_log.Entries, e => e.Message.Contains("no answer within 0.3 s", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Write_ModelCutOff_RulesSummaryStands()
    {
        _server.Script(new FakeReply(Content: "Sam Lee booked a", FinishReason: "length"));

        var (summary, _) = await Writer().WriteAsync(Rules, History, Dentist, Started, CancellationToken.None);

        Assert.Equal(Rules, summary);
    }
}
