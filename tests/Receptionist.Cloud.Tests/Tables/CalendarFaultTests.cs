using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Receptionist.Cloud.Tables;
using Receptionist.Core.Conversation;
using Receptionist.Core.Storage;
using Receptionist.Core.Tenants;
using Receptionist.Testing;

namespace Receptionist.Cloud.Tests.Tables;

/// <summary>
/// Fault injection over every storage request of booking, cancelling and moving: the N-th request fails, either before
/// it reaches storage or after storage applied it (a crash or a lost response). After each fault the calendar's
/// invariant holds — every lock belongs to a live appointment (or to a move in progress) and every live appointment
/// holds exactly its locks — and then both ways of recovering restore it fully: the carrier redelivering the turn
/// (the same request again), or nobody coming back (a later reader resolves the expired move).
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class CalendarFaultTests(AzuriteFixture azurite, Xunit.Abstractions.ITestOutputHelper output)
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-11-23T08:00:00-05:00");
    private static readonly Tenant Dentist = TenantParser.Parse("t.json", TestTenants.Dentist, _ => true).Tenants[0].Tenant;
    private static readonly DateOnly Tuesday = new(2026, 11, 24);
    private static readonly DateOnly Wednesday = new(2026, 11, 25);

    public enum Fault
    {
        /// <summary>The request never reaches storage (the process died before sending).</summary>
        BeforeSend,

        /// <summary>Storage applied the request but its answer was lost (the process died after sending).</summary>
        AfterApplied,

        /// <summary>The request reaches storage twice (a transport-level resend after a lost response); the caller
        /// sees the second answer. The operation must still succeed.</summary>
        SentTwice,

        /// <summary>Not a fault: someone else acts just before the request (a race, played in order).</summary>
        Interject,
    }

    public enum Operation
    {
        Book,
        Cancel,
        MoveSameDay,
        MoveOtherDay,
    }

    public static TheoryData<Operation, Fault, int> Cases()
    {
        var data = new TheoryData<Operation, Fault, int>();
        foreach (var op in Enum.GetValues<Operation>())
        {
            foreach (var fault in Enum.GetValues<Fault>().Where(f => f != Fault.Interject))
            {
                foreach (var minutes in new[] { 30, 60, 90 })
                {
                    data.Add(op, fault, minutes);
                }
            }
        }

        return data;
    }

    private static BookingRequest Booking(string callId, DateOnly date, string time, int minutes = 60) =>
        new("bright-smiles", callId, "Cleaning", minutes, date, TimeOnly.Parse(time), Dentist.AtLocal(date, TimeOnly.Parse(time)), "Sam Lee", TestTenants.Caller);

    private static AppointmentRef Ref(Appointment a) =>
        new(a.Id, a.Service, a.Minutes, DateOnly.FromDateTime(a.Start.DateTime), TimeOnly.FromDateTime(a.Start.DateTime), a.CallerName, a.Start);

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Operation_FailingAtEveryStorageRequest_KeepsLocksEqualToLiveAppointments(Operation op, Fault fault, int minutes)
    {
        var total = await CountRequestsAsync(op, minutes);
        Assert.True(total >= 1);
        output.WriteLine($"{op} ({minutes} min): {total} storage requests, {total * 2} injected faults ({fault})");
        for (var n = 1; n <= total; n++)
        {
            foreach (var redelivered in new[] { true, false })
            {
                var prefix = AzuriteFixture.NewPrefix();
                var clean = new TableAppointmentStore(await azurite.NewTablesAsync(prefix));
                var existing = await SetUpAsync(op, clean, minutes);
                var faults = new FaultPolicy { FailAt = n, Mode = fault };
                var faulty = new TableAppointmentStore(new TableSet(FaultyService(faults), prefix));
                var what = $"{op}, request {n} of {total} fails {fault}, {(redelivered ? "redelivered" : "abandoned")}";

                try
                {
                    var succeeded = await RunAsync(op, faulty, existing, minutes);
                    Assert.True(succeeded || fault != Fault.SentTwice, $"{what}: a resent request made the operation report failure");
                }
                catch (RequestFailedException ex) when (ex.Status == 599)
                {
                    // the injected fault: the caller heard the technical-difficulty message
                }

                Assert.True(faults.Failed, $"{what}: the fault was never injected");
                await AssertConsistentAsync(prefix, allowHolds: true, what);

                if (redelivered)
                {
                    // The carrier delivers the same turn again: the operation completes exactly once.
                    Assert.True(await RunAsync(op, clean, existing, minutes), $"{what}: the retried operation failed");
                    await AssertConsistentAsync(prefix, allowHolds: false, what);
                    await AssertOutcomeAsync(op, clean, existing, completed: true, what);
                }
                else
                {
                    // Nobody comes back: once the hold expires, the next reader of the day resolves it.
                    foreach (var day in new[] { Tuesday, Wednesday })
                    {
                        await clean.RecoverDayAsync(TableAppointmentStore.DayPartition("bright-smiles", day), Now + TableAppointmentStore.HoldFor + TimeSpan.FromMinutes(1), CancellationToken.None);
                    }

                    await AssertConsistentAsync(prefix, allowHolds: false, what);
                    await AssertOutcomeAsync(op, clean, existing, completed: null, what);
                }
            }
        }
    }

    [Fact]
    public async Task Reserve_SlotHeldByAnExpiredAbandonedMove_IsFreedAndBooked()
    {
        var prefix = AzuriteFixture.NewPrefix();
        var clean = new TableAppointmentStore(await azurite.NewTablesAsync(prefix));
        var original = (await clean.ReserveAsync(Booking("CA1", Tuesday, "10:00"), Now, CancellationToken.None))!;
        var faults = new FaultPolicy { FailAt = 3, Mode = Fault.BeforeSend }; // dies right after holding Wednesday 14:00
        var faulty = new TableAppointmentStore(new TableSet(FaultyService(faults), prefix));
        await Assert.ThrowsAsync<RequestFailedException>(() => faulty.MoveAsync(Ref(original), Booking("CA2", Wednesday, "14:00"), Now, CancellationToken.None));

        var whileHeld = await clean.ReserveAsync(Booking("CA3", Wednesday, "14:00"), Now, CancellationToken.None);
        var afterExpiry = await clean.ReserveAsync(Booking("CA3", Wednesday, "14:00"), Now + TableAppointmentStore.HoldFor + TimeSpan.FromSeconds(1), CancellationToken.None);

        Assert.Null(whileHeld);
        Assert.NotNull(afterExpiry);
        await AssertConsistentAsync(prefix, allowHolds: false, "after the expired hold was resolved");
        var live = (await clean.ListAsync("bright-smiles", null, CancellationToken.None)).Where(a => a.Status == "booked").ToList();
        Assert.Equal(2, live.Count); // the original (the move rolled back) and the new booking
        Assert.Contains(live, a => a.Id == original.Id);
    }

    [Fact]
    public async Task MoveOtherDay_HoldRolledBackByAnotherCallerJustBeforeTheRelease_NothingMovesAndNothingIsLost()
    {
        var prefix = AzuriteFixture.NewPrefix();
        var clean = new TableAppointmentStore(await azurite.NewTablesAsync(prefix));
        var original = (await clean.ReserveAsync(Booking("CA1", Tuesday, "10:00"), Now, CancellationToken.None))!;
        var day = TableAppointmentStore.DayPartition("bright-smiles", Wednesday);

        // Requests of a cross-day move: 1 read, 2 hold, 3 read hold, 4 read old, 5 old's locks, 6 release old, 7 confirm.
        var race = new FaultPolicy
        {
            FailAt = 6, Mode = Fault.Interject,
            Before = () => clean.RecoverDayAsync(day, Now + TableAppointmentStore.HoldFor + TimeSpan.FromMinutes(1), CancellationToken.None),
        };
        var mover = new TableAppointmentStore(new TableSet(FaultyService(race), prefix));

        var moved = await mover.MoveAsync(Ref(original), Booking("CA2", Wednesday, "14:00"), Now, CancellationToken.None);

        Assert.True(race.Failed, "the other caller never acted");
        Assert.Null(moved); // the caller hears that the move did not happen — and it did not
        await AssertConsistentAsync(prefix, allowHolds: false, "after the race");
        var live = Assert.Single(await clean.ListAsync("bright-smiles", null, CancellationToken.None), a => a.Status == "booked");
        Assert.Equal(original.Id, live.Id);

        // The caller tries again (the carrier redelivers the turn): this time the move goes through.
        Assert.NotNull(await clean.MoveAsync(Ref(original), Booking("CA2", Wednesday, "14:00"), Now, CancellationToken.None));
        await AssertConsistentAsync(prefix, allowHolds: false, "after the retried move");
        Assert.NotEqual(original.Id, Assert.Single(await clean.ListAsync("bright-smiles", null, CancellationToken.None), a => a.Status == "booked").Id);
    }

    /// <summary>How many storage requests the operation makes when nothing fails.</summary>
    private async Task<int> CountRequestsAsync(Operation op, int minutes)
    {
        var prefix = AzuriteFixture.NewPrefix();
        var existing = await SetUpAsync(op, new TableAppointmentStore(await azurite.NewTablesAsync(prefix)), minutes);
        var counter = new FaultPolicy { FailAt = int.MaxValue };
        Assert.True(await RunAsync(op, new TableAppointmentStore(new TableSet(FaultyService(counter), prefix)), existing, minutes));
        return counter.Count;
    }

    private static async Task<Appointment?> SetUpAsync(Operation op, TableAppointmentStore store, int minutes) =>
        op == Operation.Book ? null : await store.ReserveAsync(Booking("CA1", Tuesday, "09:00", minutes), Now, CancellationToken.None);

    /// <summary>The operation under test; a same-day move overlaps the old slot, so locks are handed over.</summary>
    private static async Task<bool> RunAsync(Operation op, TableAppointmentStore store, Appointment? existing, int minutes) => op switch
    {
        Operation.Book => await store.ReserveAsync(Booking("CA9", Tuesday, "09:00", minutes), Now, CancellationToken.None) is not null,
        Operation.Cancel => await store.CancelAsync("bright-smiles", Ref(existing!), "CA9", Now, CancellationToken.None),
        Operation.MoveSameDay => await store.MoveAsync(Ref(existing!), Booking("CA9", Tuesday, "09:15", minutes), Now, CancellationToken.None) is not null,
        Operation.MoveOtherDay => await store.MoveAsync(Ref(existing!), Booking("CA9", Wednesday, "14:00", minutes), Now, CancellationToken.None) is not null,
        _ => throw new ArgumentOutOfRangeException(nameof(op)),
    };

    /// <summary>What the business sees: one live appointment where there should be one. <paramref name="completed"/>
    /// null: either the change happened or it did not, but never half of it.</summary>
    private static async Task AssertOutcomeAsync(Operation op, TableAppointmentStore store, Appointment? existing, bool? completed, string what)
    {
        var live = (await store.ListAsync("bright-smiles", null, CancellationToken.None)).Where(a => a.Status == "booked").ToList();
        switch (op)
        {
            case Operation.Book:
                Assert.True(live.Count == (completed == false ? 0 : live.Count) && live.Count <= 1, $"{what}: {live.Count} bookings");
                if (completed == true)
                {
                    Assert.Single(live);
                }

                break;
            case Operation.Cancel:
                Assert.True(live.Count <= 1, $"{what}: {live.Count} live appointments");
                if (completed == true)
                {
                    Assert.Empty(live);
                }

                break;
            default:
                Assert.True(live.Count == 1, $"{what}: {live.Count} live appointments (never two, never none)");
                if (completed == true)
                {
                    Assert.NotEqual(existing!.Id, live[0].Id);
                }

                break;
        }
    }

    private Task AssertConsistentAsync(string prefix, bool allowHolds, string what) =>
        CalendarInvariants.AssertAsync(new TableSet(Host.ReceptionistHost.CreateTableService(azurite.ConnectionString), prefix), Dentist, allowHolds, what);

    private TableServiceClient FaultyService(FaultPolicy policy)
    {
        var options = new TableClientOptions();
        options.Retry.MaxRetries = 0;
        options.AddPolicy(policy, HttpPipelinePosition.PerRetry);
        return new TableServiceClient(azurite.ConnectionString, options);
    }

    /// <summary>Counts storage requests and fails the <see cref="FailAt"/>-th, before sending or after storage applied it.</summary>
    private sealed class FaultPolicy : HttpPipelinePolicy
    {
        public int FailAt { get; init; }

        public Fault Mode { get; init; }

        public int Count { get; private set; }

        /// <summary>With <see cref="Fault.Interject"/>: what someone else does just before the <see cref="FailAt"/>-th request.</summary>
        public Func<Task>? Before { get; init; }

        public bool Failed { get; private set; }

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
            throw new NotSupportedException("the store is async");

        public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            var n = ++Count;
            if (n == FailAt && Mode == Fault.BeforeSend)
            {
                Failed = true;
                throw new RequestFailedException(599, "injected fault before sending");
            }

            if (n == FailAt && Mode == Fault.Interject && Before is not null)
            {
                Failed = true;
                await Before();
            }

            await ProcessNextAsync(message, pipeline);
            if (n == FailAt && Mode == Fault.SentTwice)
            {
                Failed = true;
                await ProcessNextAsync(message, pipeline); // the same request again; its answer is the one seen
            }

            if (n == FailAt && Mode == Fault.AfterApplied)
            {
                Failed = true;
                throw new RequestFailedException(599, "injected fault after storage applied the request");
            }
        }
    }
}
