using Receptionist.Cloud.Tables;
using Receptionist.Core.Conversation;
using Receptionist.Core.Storage;
using Receptionist.Testing;

namespace Receptionist.Cloud.Tests.Tables;

[Collection(AzuriteCollection.Name)]
public sealed class TableCallStoreTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-11-23T08:00:00-05:00");

    private static CallRecord Record(string callId, ConversationState state = ConversationState.Greeting, int turn = 0, int history = 1) =>
        new(new CallSession(callId, "bright-smiles", TestTenants.Caller, TestTenants.DentistNumber, Now, state, BookingDraft.Empty), turn, [new Say("Hello.")], history, Now);

    [Fact]
    public async Task Create_SameCallTwice_SecondReturnsFalse()
    {
        var store = new TableCallStore(await azurite.NewTablesAsync());

        Assert.True(await store.CreateAsync(Record("CA1"), [new CallTurn(1, Now, "system", "started", "")], CancellationToken.None));
        Assert.False(await store.CreateAsync(Record("CA1"), [new CallTurn(1, Now, "system", "started", "")], CancellationToken.None));
    }

    [Fact]
    public async Task SaveTurn_StaleETag_ThrowsAndKeepsTheWinningTurn()
    {
        var store = new TableCallStore(await azurite.NewTablesAsync());
        await store.CreateAsync(Record("CA1"), [new CallTurn(1, Now, "system", "started", "")], CancellationToken.None);
        var read = (await store.GetAsync("CA1", CancellationToken.None))!;

        await store.SaveTurnAsync(Record("CA1", ConversationState.CollectDate, 1, 2), read.ETag, [new CallTurn(2, Now, "caller", "speech", "a cleaning")], CancellationToken.None);
        await Assert.ThrowsAsync<CallConcurrencyException>(() =>
            store.SaveTurnAsync(Record("CA1", ConversationState.CollectService, 1, 2), read.ETag, [new CallTurn(2, Now, "caller", "speech", "other")], CancellationToken.None));

        var after = (await store.GetAsync("CA1", CancellationToken.None))!;
        Assert.Equal(ConversationState.CollectDate, after.Record.Session.State);
        var history = await store.HistoryAsync("CA1", CancellationToken.None);
        Assert.Equal(["started", "speech"], history.Select(h => h.Kind));
        Assert.Equal("a cleaning", history[1].Text);
    }

    [Fact]
    public async Task Get_StoredDecisionAndCallFacts_RoundTrip()
    {
        var store = new TableCallStore(await azurite.NewTablesAsync());
        IReadOnlyList<CallAction> decision =
        [
            new Say("Shall I book it?", BargeIn.RealSpeech), new Listen(Core.Understanding.Expecting.YesNo, ["yes", "no"]),
            new TransferCall("+15551230000"), new Hangup(),
        ];
        var record = (Record("CA1") with { LastActions = decision, DurationSeconds = 42 }).Remember("gather:1").Remember("gather:2") with { Channel = "twilio", Mode = "relay" };

        await store.CreateAsync(record, [], CancellationToken.None);
        var read = (await store.GetAsync("CA1", CancellationToken.None))!.Record;

        Assert.Equal(decision.Select(a => a.GetType()), read.LastActions.Select(a => a.GetType()));
        Assert.Equal("+15551230000", Assert.IsType<TransferCall>(read.LastActions[2]).Number);
        Assert.Equal(BargeIn.RealSpeech, Assert.IsType<Say>(read.LastActions[0]).BargeIn);
        Assert.Equal(["yes", "no"], Assert.IsType<Listen>(read.LastActions[1]).Hints);
        Assert.Equal("relay", read.Mode);
        Assert.Equal(42, read.DurationSeconds);
        Assert.True(read.Seen("gather:2"));
        Assert.False(read.Seen("gather:3"));
    }

    [Fact]
    public void Remember_MoreThanTheWindow_KeepsTheNewest()
    {
        var record = Record("CA1");
        for (var i = 1; i <= CallRecord.RememberedEvents + 5; i++)
        {
            record = record.Remember($"e{i}");
        }

        Assert.Equal(CallRecord.RememberedEvents, record.RecentEvents.Count);
        Assert.False(record.Seen("e5"));
        Assert.True(record.Seen("e6"));
        Assert.True(record.Seen($"e{CallRecord.RememberedEvents + 5}"));
    }

    [Fact]
    public async Task ListByTenant_SeveralCalls_NewestFirst()
    {
        var store = new TableCallStore(await azurite.NewTablesAsync());
        foreach (var (id, minutes) in new[] { ("CA1", 0), ("CA2", 5), ("CA3", 2) })
        {
            var r = Record(id);
            await store.CreateAsync(r with { Session = r.Session with { StartedAt = Now.AddMinutes(minutes) } }, [], CancellationToken.None);
        }

        var listed = await store.ListByTenantAsync("bright-smiles", 10, CancellationToken.None);

        Assert.Equal(["CA2", "CA3", "CA1"], listed.Select(c => c.Session.CallId));
    }
}
