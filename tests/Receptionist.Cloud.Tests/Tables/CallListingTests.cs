using Receptionist.Cloud.Tables;
using Receptionist.Core.Conversation;
using Receptionist.Core.Reporting;
using Receptionist.Core.Storage;
using Receptionist.Testing;

namespace Receptionist.Cloud.Tests.Tables;

/// <summary>A tenant's call list, a page at a time: ended calls come from the index alone (with the report's summary and
/// cost once it exists), calls in progress from their state, and the pages cover every call once, newest first.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class CallListingTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-11-23T08:00:00-05:00");

    private static CallRecord Record(string callId, int minutesAgo) =>
        new(new CallSession(callId, "bright-smiles", TestTenants.Caller, TestTenants.DentistNumber, Now.AddMinutes(-minutesAgo), ConversationState.Greeting, BookingDraft.Empty),
            0, [new Say("Hello.")], 1, Now);

    private static async Task EndAsync(TableCallStore store, string callId, CallOutcome outcome)
    {
        var stored = (await store.GetAsync(callId, CancellationToken.None))!;
        var ended = stored.Record with { Session = stored.Record.Session with { State = ConversationState.Ended, Outcome = outcome }, DurationSeconds = 61 };
        await store.SaveTurnAsync(ended, stored.ETag, [], CancellationToken.None);
    }

    [Fact]
    public async Task Page_EndedCall_ListedFromTheIndexWithItsReport()
    {
        var tables = await azurite.NewTablesAsync();
        var store = new TableCallStore(tables);
        await store.CreateAsync(Record("CA1", 5), [], CancellationToken.None);
        await EndAsync(store, "CA1", CallOutcome.Booked);
        await new TableCallReportStore(tables).SaveAsync(new CallReportRecord("CA1", "bright-smiles", Now,
            new CallSummary("Booked", "Booked a checkup for Monday at 9 am.", [], null, [], false), new CostBreakdown([new CostLine("telephony", 2, "minute", 0.0085m, 0.017m)])), CancellationToken.None);

        // With its state row gone, the listing still stands: it was read from the index alone.
        await tables.Calls.DeleteEntityAsync("CA1", "state");
        var page = await store.PageByTenantAsync("bright-smiles", null, null, 10, null, CancellationToken.None);

        var call = Assert.Single(page.Calls);
        Assert.Equal((CallOutcome.Booked, true, 61, TestTenants.Caller), (call.Outcome, call.Ended, call.DurationSeconds, call.From));
        Assert.Equal(("Booked a checkup for Monday at 9 am.", 0.017m), (call.Summary, call.Cost));
        Assert.Equal(Now.AddMinutes(-5), call.StartedAt);
    }

    [Fact]
    public async Task Page_CallInProgress_ListedFromItsStateAsItStands()
    {
        var tables = await azurite.NewTablesAsync();
        var store = new TableCallStore(tables);
        await store.CreateAsync(Record("CA1", 1), [], CancellationToken.None);

        var call = Assert.Single((await store.PageByTenantAsync("bright-smiles", null, null, 10, null, CancellationToken.None)).Calls);

        Assert.Equal((CallOutcome.InProgress, false, (string?)null), (call.Outcome, call.Ended, call.Summary));
    }

    [Fact]
    public async Task Page_MixedCallsPageByPage_EveryCallOnceNewestFirst()
    {
        var store = new TableCallStore(await azurite.NewTablesAsync());
        for (var i = 0; i < 7; i++)
        {
            await store.CreateAsync(Record("CA" + i, 10 * i), [], CancellationToken.None);
            if (i % 2 == 0)
            {
                await EndAsync(store, "CA" + i, CallOutcome.Completed);
            }
        }

        var seen = new List<string>();
        string? next = null;
        do
        {
            var page = await store.PageByTenantAsync("bright-smiles", null, null, 3, next, CancellationToken.None);
            seen.AddRange(page.Calls.Select(c => c.CallId));
            next = page.Continuation;
        }
        while (next is not null);

        Assert.Equal(Enumerable.Range(0, 7).Select(i => "CA" + i), seen);
        await Assert.ThrowsAsync<FormatException>(() => store.PageByTenantAsync("bright-smiles", null, null, 3, "bm90LWEtdG9rZW4", CancellationToken.None));
    }
}
