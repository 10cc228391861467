using Azure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Receptionist.Core.Conversation;
using Receptionist.Core.Storage;
using Receptionist.Testing;

namespace Receptionist.Calls.Tests;

/// <summary>The call core on Azurite, driven with neutral events as any channel would: redeliveries, a concurrent
/// change between read and write (HTTP 412), a side effect whose turn was never saved, a decision saved but its
/// response lost, and the carrier's end-of-call reports.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class CallCoreTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private readonly FlakyCallStore _flaky = new();
    private readonly CancelDuringReserve _cancelDuringReserve = new();
    private AppHost _app = null!;

    private CallCore Core => _app.Services.GetRequiredService<CallCore>();

    private ICallStore Calls => _app.Services.GetRequiredService<ICallStore>();

    public async Task InitializeAsync()
    {
        _app = await AppHost.StartAsync(azurite.ConnectionString, TestTenants.MondayMorning, services: s =>
        {
            s.RemoveAll<ICallStore>();
            s.AddSingleton<ICallStore>(sp => _flaky.Wrap(ActivatorUtilities.CreateInstance<Cloud.Tables.TableCallStore>(sp)));
            s.RemoveAll<IAppointmentStore>();
            s.AddSingleton<IAppointmentStore>(sp => _cancelDuringReserve.Wrap(ActivatorUtilities.CreateInstance<Cloud.Tables.TableAppointmentStore>(sp)));
        });
        await _app.ImportTenantsAsync(TestTenants.Dentist);
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private async Task<string> StartAsync(string callId)
    {
        var started = await Core.StartAsync(new CallStart(callId, "start", "twilio", TestTenants.DentistNumber, TestTenants.Caller), CancellationToken.None);
        Assert.Equal(TurnStatus.Handled, started.Status);
        return callId;
    }

    /// <summary>Takes the call to the read-back of a cleaning tomorrow at 10 for Sam Lee.</summary>
    private async Task<string> AtReadBackAsync(string callId)
    {
        await StartAsync(callId);
        var reply = await Core.HandleAsync(callId, "e1", new CallerSaid("Can Sam Lee get a cleaning tomorrow at 10?", 0.9), CancellationToken.None);
        Assert.Equal(ConversationState.Confirm, reply.Record!.Session.State);
        return callId;
    }

    private Task<IReadOnlyList<Appointment>> AppointmentsAsync() =>
        _app.Services.GetRequiredService<IAppointmentStore>().ListAsync("bright-smiles", null, CancellationToken.None);

    [Fact]
    public async Task HandleAsync_SameEventTwice_SecondReplaysTheDecisionWithoutASecondTurn()
    {
        var call = await StartAsync("CA-dup");
        var first = await Core.HandleAsync(call, "e1", new CallerSaid("I'd like a cleaning", 0.9), CancellationToken.None);
        var historyAfterFirst = await Calls.HistoryAsync(call, CancellationToken.None);

        var again = await Core.HandleAsync(call, "e1", new CallerSaid("I'd like a cleaning", 0.9), CancellationToken.None);

        Assert.Equal(TurnStatus.Handled, first.Status);
        Assert.Equal(TurnStatus.Duplicate, again.Status);
        Assert.Equal(first.Turn, again.Turn);
        Assert.Equal(first.Actions.OfType<Say>().Select(s => s.Text), again.Actions.OfType<Say>().Select(s => s.Text));
        Assert.Equal(historyAfterFirst.Count, (await Calls.HistoryAsync(call, CancellationToken.None)).Count);
        Assert.Equal(1, (await Calls.GetAsync(call, CancellationToken.None))!.Record.Turn);
    }

    [Fact]
    public async Task HandleAsync_YesRedeliveredAfterTheBookingWasSaved_OneAppointmentSameConfirmation()
    {
        var call = await AtReadBackAsync("CA-lost");
        var booked = await Core.HandleAsync(call, "e2", new CallerSaid("yes", 0.9), CancellationToken.None);

        // The response to e2 never reached the carrier, which delivers e2 again.
        var redelivered = await Core.HandleAsync(call, "e2", new CallerSaid("yes", 0.9), CancellationToken.None);

        Assert.Equal(CallOutcome.Booked, booked.Record!.Session.Outcome);
        Assert.Equal(TurnStatus.Duplicate, redelivered.Status);
        Assert.Equal(booked.Actions.OfType<Say>().Select(s => s.Text), redelivered.Actions.OfType<Say>().Select(s => s.Text));
        Assert.Single(await AppointmentsAsync());
    }

    [Fact]
    public async Task HandleAsync_CallChangedBetweenReadAndWrite_ReloadsAndDecidesOnce()
    {
        var call = await StartAsync("CA-412");
        _flaky.ChangeBeforeNextSave = true;

        var reply = await Core.HandleAsync(call, "e1", new CallerSaid("I'd like a cleaning", 0.9), CancellationToken.None);

        Assert.False(_flaky.ChangeBeforeNextSave, "the competing write must have happened");
        Assert.Equal(TurnStatus.Handled, reply.Status);
        Assert.Equal(ConversationState.CollectDate, reply.Record!.Session.State);
        var history = await Calls.HistoryAsync(call, CancellationToken.None);
        Assert.Single(history, h => h.Speaker == "caller" && h.Text == "I'd like a cleaning");
        Assert.Equal(history.Count, (await Calls.GetAsync(call, CancellationToken.None))!.Record.HistoryCount);
    }

    [Fact]
    public async Task HandleAsync_BookingTurnNotSavedThenRetried_BooksExactlyOnce()
    {
        var call = await AtReadBackAsync("CA-crash");
        _flaky.FailNextSave = true;

        await Assert.ThrowsAsync<RequestFailedException>(() => Core.HandleAsync(call, "e2", new CallerSaid("yes", 0.9), CancellationToken.None));
        Assert.Single(await AppointmentsAsync()); // the reservation ran before the failed save
        Assert.Equal(ConversationState.Confirm, (await Calls.GetAsync(call, CancellationToken.None))!.Record.Session.State);

        var retried = await Core.HandleAsync(call, "e2", new CallerSaid("yes", 0.9), CancellationToken.None);

        Assert.Equal(TurnStatus.Handled, retried.Status);
        Assert.Equal(CallOutcome.Booked, retried.Record!.Session.Outcome);
        var appointment = Assert.Single(await AppointmentsAsync());
        Assert.Equal(appointment.Id, retried.Record.Session.AppointmentId);
    }

    [Fact]
    public async Task HandleAsync_CallerHangsUpWhileTheBookingIsMade_TheEndedCallKeepsTheBooking()
    {
        var call = await AtReadBackAsync("CA-hangup");
        _flaky.HangUpBeforeNextSave = true;

        var reply = await Core.HandleAsync(call, "e2", new CallerSaid("yes", 0.9), CancellationToken.None);

        Assert.Equal(TurnStatus.Ended, reply.Status);
        var stored = (await Calls.GetAsync(call, CancellationToken.None))!.Record;
        var appointment = Assert.Single(await AppointmentsAsync());
        Assert.True(stored.Session.Ended);
        Assert.Equal(CallOutcome.Booked, stored.Session.Outcome);
        Assert.Equal(appointment.Id, stored.Session.AppointmentId);
        var history = await Calls.HistoryAsync(call, CancellationToken.None);
        Assert.Contains(history, h => h.Kind == "booked");
        Assert.Equal(Enumerable.Range(1, history.Count), history.Select(h => h.Sequence));
    }

    [Fact]
    public async Task HandleAsync_UtteranceOfAMegabyte_IsCutAndTheCallGoesOn()
    {
        var call = await StartAsync("CA-long");

        var reply = await Core.HandleAsync(call, "e1", new CallerSaid(new string('a', 1_000_000), 0.9), CancellationToken.None);

        Assert.Equal(TurnStatus.Handled, reply.Status);
        Assert.False(reply.Record!.Session.Ended);
        Assert.Contains(await Calls.HistoryAsync(call, CancellationToken.None), h => h.Speaker == "caller" && h.Text.Length == CallCore.MaxUtterance);
    }

    [Fact]
    public async Task HandleAsync_DeadlinePassesWhileTheBookingIsMade_TheBookingFinishesAndIsRecorded()
    {
        var call = await AtReadBackAsync("CA-deadline");
        using var deadline = new CancellationTokenSource();
        _cancelDuringReserve.Cancel = deadline;

        var reply = await Core.HandleAsync(call, "e2", new CallerSaid("yes", 0.9), deadline.Token);

        Assert.True(deadline.IsCancellationRequested, "the deadline must have passed during the reservation");
        Assert.Equal(CallOutcome.Booked, reply.Record!.Session.Outcome);
        var appointment = Assert.Single(await AppointmentsAsync());
        Assert.Equal(appointment.Id, (await Calls.GetAsync(call, CancellationToken.None))!.Record.Session.AppointmentId);
    }

    [Fact]
    public async Task EndAsync_ReportedTwiceWithDuration_EndsOnceAndKeepsTheDuration()
    {
        var call = await StartAsync("CA-end");

        await Core.EndAsync(call, new CallEnd("status:completed", 37, "Call completed"), CancellationToken.None);
        await Core.EndAsync(call, new CallEnd("status:completed", 37, "Call completed"), CancellationToken.None);

        var stored = (await Calls.GetAsync(call, CancellationToken.None))!.Record;
        Assert.True(stored.Session.Ended);
        Assert.Equal(37, stored.DurationSeconds);
        Assert.Single(await Calls.HistoryAsync(call, CancellationToken.None), h => h.Kind == "ended");
    }

    [Fact]
    public async Task EndAsync_DurationArrivesAfterWeHungUp_IsRecorded()
    {
        var call = await StartAsync("CA-bye");
        var bye = await Core.HandleAsync(call, "e1", new CallerSaid("that's all, goodbye", 0.9), CancellationToken.None);
        Assert.True(bye.Record!.Session.Ended);

        await Core.EndAsync(call, new CallEnd("status:completed", 12, "Call completed"), CancellationToken.None);

        Assert.Equal(12, (await Calls.GetAsync(call, CancellationToken.None))!.Record.DurationSeconds);
    }

    [Fact]
    public async Task HandleAsync_EventAfterTheEnd_HangsUpWithoutReplaying()
    {
        var call = await StartAsync("CA-late");
        await Core.EndAsync(call, new CallEnd("status:completed", 5, "Call completed"), CancellationToken.None);

        var late = await Core.HandleAsync(call, "dial:3", new TransferResult(false), CancellationToken.None);

        Assert.Equal(TurnStatus.Ended, late.Status);
        Assert.IsType<Hangup>(Assert.Single(late.Actions));
    }

    [Fact]
    public async Task StartAsync_Redelivered_ReplaysTheGreetingAndStoresOneCall()
    {
        var start = new CallStart("CA-start", "start", "twilio", TestTenants.DentistNumber, TestTenants.Caller);
        var first = await Core.StartAsync(start, CancellationToken.None);

        var again = await Core.StartAsync(start, CancellationToken.None);

        Assert.Equal(TurnStatus.Duplicate, again.Status);
        Assert.Equal(first.Actions.OfType<Say>().Select(s => s.Text), again.Actions.OfType<Say>().Select(s => s.Text));
        Assert.Single(await Calls.ListByTenantAsync("bright-smiles", 10, CancellationToken.None));
        Assert.Equal("twilio", again.Record!.Channel);
        Assert.Equal("gather", again.Record.Mode);
    }

    [Fact]
    public async Task HandleAsync_ReadBackDecision_CannotBeCutByABackchannel()
    {
        var call = await StartAsync("CA-barge");

        var readBack = await Core.HandleAsync(call, "e1", new CallerSaid("Can Sam Lee get a cleaning tomorrow at 10?", 0.9), CancellationToken.None);
        var booked = await Core.HandleAsync(call, "e2", new CallerSaid("yes", 0.9), CancellationToken.None);

        Assert.All(readBack.Actions.OfType<Say>(), s => Assert.Equal(BargeIn.RealSpeech, s.BargeIn));
        Assert.Contains(booked.Actions.OfType<Say>(), s => s.BargeIn == BargeIn.RealSpeech);
        var greeting = (await Core.StartAsync(new CallStart("CA-barge2", "start", "twilio", TestTenants.DentistNumber, null), CancellationToken.None)).Actions;
        Assert.All(greeting.OfType<Say>(), s => Assert.Equal(BargeIn.Any, s.BargeIn));
        // The goodbye: the call ends after it, so "No. Thanks." must not cut it before the caller hears it.
        var goodbye = await Core.HandleAsync(call, "e3", new CallerSaid("no thanks", 0.9), CancellationToken.None);
        Assert.Contains(goodbye.Actions, a => a is Hangup);
        Assert.All(goodbye.Actions.OfType<Say>(), s => Assert.Equal(BargeIn.RealSpeech, s.BargeIn));
    }

    [Fact]
    public async Task HandleAsync_InterruptionAndPlaybackReports_AreRecordedAndSayNothing()
    {
        var call = await StartAsync("CA-int");

        var interrupted = await Core.HandleAsync(call, "r1", new CallerInterrupted("Thanks for calling Bright"), CancellationToken.None);
        var played = await Core.HandleAsync(call, "r2", new PlaybackFinished(), CancellationToken.None);

        Assert.Empty(interrupted.Actions);
        Assert.Empty(played.Actions);
        Assert.Contains(played.Record!.LastActions, a => a is Listen); // still listening for the answer to the greeting
        Assert.Contains(await Calls.HistoryAsync(call, CancellationToken.None), h => h.Kind == "interrupted" && h.Text == "Thanks for calling Bright");
        Assert.Equal(ConversationState.Greeting, played.Record!.Session.State);
    }

    [Fact]
    public async Task HandleAsync_TurnTimed_KeptWithTheHistoryAndSaysNothing()
    {
        var call = await StartAsync("CA-timed");

        var timed = await Core.HandleAsync(call, "t1", new TurnTimed(1, 246, 310, 331, 420, 60), CancellationToken.None);

        Assert.Empty(timed.Actions);
        Assert.Contains(timed.Record!.LastActions, a => a is Listen);
        var line = Assert.Single(await Calls.HistoryAsync(call, CancellationToken.None), h => h.Kind == "latency");
        Assert.Equal(new Dictionary<string, int> { ["endOfTurn"] = 246, ["transcript"] = 310, ["decision"] = 331, ["firstAudio"] = 420, ["synthesis"] = 60 }, TurnTimed.Parse(line.Text));
    }

    [Fact]
    public async Task HandleAsync_NameLookupsUsedUpForTheNumber_FindsNothingAndSaysNothing()
    {
        var limiter = _app.Services.GetRequiredService<ILookupLimiter>();
        var appointments = _app.Services.GetRequiredService<IAppointmentStore>();
        var tuesday = new DateOnly(2026, 11, 24);
        var start = DateTimeOffset.Parse("2026-11-24T10:00:00-05:00");
        Assert.NotNull(await appointments.ReserveAsync(new BookingRequest("bright-smiles", "seed", "Cleaning", 60, tuesday, new TimeOnly(10, 0), start, "Nora Quinn", "+15550001111"),
            DateTimeOffset.Parse(TestTenants.MondayMorning), CancellationToken.None));
        while (await limiter.TryAcquireAsync("bright-smiles", TestTenants.Caller, DateTimeOffset.Parse(TestTenants.MondayMorning), CancellationToken.None))
        {
        }

        var call = await StartAsync("CA-limit");
        var reply = await Core.HandleAsync(call, "e1", new CallerSaid("I need to cancel my appointment, the name is Nora Quinn", 0.9), CancellationToken.None);

        var history = await Calls.HistoryAsync(call, CancellationToken.None);
        Assert.Contains(history, h => h.Kind == "lookup-limited");
        Assert.DoesNotContain(reply.Actions.OfType<Say>(), s => s.Text.Contains("Tuesday", StringComparison.Ordinal) || s.Text.Contains("10", StringComparison.Ordinal));
        Assert.Equal("booked", Assert.Single(await appointments.ListAsync("bright-smiles", null, CancellationToken.None)).Status);
    }

    [Fact]
    public async Task HandleAsync_UnknownCall_SaysSo()
    {
        var reply = await Core.HandleAsync("CA-nosuch", "e1", new CallerSaid("hello", 0.9), CancellationToken.None);

        Assert.Equal(TurnStatus.UnknownCall, reply.Status);
        Assert.Null(await Calls.GetAsync("CA-nosuch", CancellationToken.None));
    }

    /// <summary>The real appointment store; on cue, the turn's deadline passes the moment a reservation starts.</summary>
    private sealed class CancelDuringReserve
    {
        public CancellationTokenSource? Cancel { get; set; }

        public IAppointmentStore Wrap(IAppointmentStore inner) => new Store(this, inner);

        private sealed class Store(CancelDuringReserve cue, IAppointmentStore inner) : IAppointmentStore
        {
            public async Task<Appointment?> ReserveAsync(BookingRequest booking, DateTimeOffset now, CancellationToken cancellationToken)
            {
                if (cue.Cancel is { } cts)
                {
                    cue.Cancel = null;
                    await cts.CancelAsync();
                }

                return await inner.ReserveAsync(booking, now, cancellationToken);
            }

            public Task<Appointment?> MoveAsync(AppointmentRef from, BookingRequest to, DateTimeOffset now, CancellationToken cancellationToken) =>
                inner.MoveAsync(from, to, now, cancellationToken);

            public Task<bool> CancelAsync(string tenantId, AppointmentRef appointment, string callId, DateTimeOffset now, CancellationToken cancellationToken) =>
                inner.CancelAsync(tenantId, appointment, callId, now, cancellationToken);

            public Task<IReadOnlyList<Appointment>> FindUpcomingAsync(string tenantId, DateTimeOffset from, string? phone, string? name, CancellationToken cancellationToken) =>
                inner.FindUpcomingAsync(tenantId, from, phone, name, cancellationToken);

            public Task<IReadOnlyList<Appointment>> ListAsync(string tenantId, DateTimeOffset? from, CancellationToken cancellationToken) =>
                inner.ListAsync(tenantId, from, cancellationToken);

            public Task<IReadOnlyList<Appointment>> ListBetweenAsync(Core.Tenants.Tenant tenant, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
                inner.ListBetweenAsync(tenant, from, to, cancellationToken);

            public Task<Appointment?> GetAsync(Core.Notifications.AppointmentKey key, CancellationToken cancellationToken) => inner.GetAsync(key, cancellationToken);

            public Task<IReadOnlyList<Core.Scheduling.BusyInterval>> BusyAsync(Core.Tenants.Tenant tenant, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
                inner.BusyAsync(tenant, from, to, cancellationToken);
        }
    }

    /// <summary>The real store, with failures on cue: a competing write just before our save (→ 412), or a save
    /// that fails as a storage outage would.</summary>
    private sealed class FlakyCallStore
    {
        public bool ChangeBeforeNextSave { get; set; }

        public bool FailNextSave { get; set; }

        public bool HangUpBeforeNextSave { get; set; }

        public ICallStore Wrap(ICallStore inner) => new Store(this, inner);

        private sealed class Store(FlakyCallStore cues, ICallStore inner) : ICallStore
        {
            public Task<StoredCall?> GetAsync(string callId, CancellationToken cancellationToken) => inner.GetAsync(callId, cancellationToken);

            public Task<bool> CreateAsync(CallRecord record, IReadOnlyList<CallTurn> history, CancellationToken cancellationToken) =>
                inner.CreateAsync(record, history, cancellationToken);

            public async Task SaveTurnAsync(CallRecord record, string etag, IReadOnlyList<CallTurn> history, CancellationToken cancellationToken)
            {
                if (cues.FailNextSave)
                {
                    cues.FailNextSave = false;
                    throw new RequestFailedException(503, "storage stalled");
                }

                if (cues.HangUpBeforeNextSave)
                {
                    cues.HangUpBeforeNextSave = false;
                    var current = (await inner.GetAsync(record.Session.CallId, cancellationToken))!;
                    var ended = current.Record.Session with { State = ConversationState.Ended, Outcome = CallOutcome.Abandoned };
                    await inner.SaveTurnAsync(current.Record with { Session = ended, HistoryCount = current.Record.HistoryCount + 1 }, current.ETag,
                        [new CallTurn(current.Record.HistoryCount + 1, current.Record.UpdatedAt, "system", "ended", "Call completed")], cancellationToken);
                }

                if (cues.ChangeBeforeNextSave)
                {
                    cues.ChangeBeforeNextSave = false;
                    var current = (await inner.GetAsync(record.Session.CallId, cancellationToken))!;
                    await inner.SaveTurnAsync(current.Record with { UpdatedAt = current.Record.UpdatedAt.AddTicks(1) }, current.ETag, [], cancellationToken);
                }

                await inner.SaveTurnAsync(record, etag, history, cancellationToken);
            }

            public Task<IReadOnlyList<CallTurn>> HistoryAsync(string callId, CancellationToken cancellationToken) => inner.HistoryAsync(callId, cancellationToken);

            public Task<IReadOnlyList<CallRecord>> ListByTenantAsync(string tenantId, int max, CancellationToken cancellationToken) =>
                inner.ListByTenantAsync(tenantId, max, cancellationToken);

            public Task<CallPage> PageByTenantAsync(string tenantId, DateTimeOffset? from, DateTimeOffset? to, int pageSize, string? continuation, CancellationToken cancellationToken) =>
                inner.PageByTenantAsync(tenantId, from, to, pageSize, continuation, cancellationToken);
        }
    }
}
