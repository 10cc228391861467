using Microsoft.Extensions.Logging;
using Receptionist.Core.Conversation;
using Receptionist.Core.Notifications;
using Receptionist.Core.Phone;
using Receptionist.Core.Reporting;
using Receptionist.Core.Scheduling;
using Receptionist.Core.Storage;
using Receptionist.Core.Tenants;
using Receptionist.Core.Understanding;

namespace Receptionist.Calls;

/// <summary>A call arrived: which channel, in which voice mode, to which number from which caller.</summary>
/// <param name="EventId">The provider's id for this start, so a redelivered start is answered from storage.</param>
/// <param name="Mode">How the channel handles the call when it is not the tenant's voice mode (ACS: "recognize").</param>
/// <param name="ChannelData">What the channel needs later and only learns now (ACS: the caller's identifier), kept with the call.</param>
public sealed record CallStart(string CallId, string EventId, string Channel, string To, string? From, string? Mode = null, string? ChannelData = null);

/// <summary>The caller said something (as the channel's recogniser heard it); the call core works out what it means
/// and hands the engine a <see cref="Heard"/>. Channels never build <see cref="Heard"/> themselves.</summary>
public sealed record CallerSaid(string Text, double? Confidence) : CallEvent;

public enum TurnStatus
{
    /// <summary>A new event: decided and stored.</summary>
    Handled,

    /// <summary>An event seen before (a redelivered webhook, callback or message): the stored decision, nothing re-run.</summary>
    Duplicate,

    /// <summary>The call is over; the channel should hang up.</summary>
    Ended,

    /// <summary>No such call.</summary>
    UnknownCall,

    /// <summary>A result for a decision the call has moved on from (e.g. a late recognition): ignored, nothing stored.</summary>
    Stale,
}

/// <summary>What a channel renders after a start or an event.</summary>
/// <param name="Turn">The call's event count after this decision (channels put it in callback URLs).</param>
/// <param name="Tenant">The business, or null for an unknown number or call.</param>
public sealed record CallReply(TurnStatus Status, int Turn, IReadOnlyList<CallAction> Actions, Tenant? Tenant, CallRecord? Record);

/// <summary>How the carrier says the call ended.</summary>
public sealed record CallEnd(string EventId, int? DurationSeconds, string Reason);

/// <summary>
/// The channel-neutral call core: load the call (with its ETag), skip events it has seen, let the pure engine decide,
/// run side effects idempotently, save the session, the decision and its history in one transaction, retrying on a
/// concurrent change. What is stored is the decision (neutral actions); a channel re-renders it for a redelivery.
/// </summary>
public sealed class CallCore(
    TenantDirectory tenants,
    ICallStore calls,
    IAppointmentStore appointments,
    IMessageStore messages,
    ILookupLimiter lookups,
    IWorkflows workflows,
    IUnderstanding understanding,
    TimeProvider clock,
    ILogger<CallCore> logger)
{
    public const string UnroutedTenant = "_unrouted";
    private const int MaxAttempts = 5;

    /// <summary>Longest caller utterance kept (characters); a longer one (a recogniser gone wrong) is cut, never fatal.</summary>
    public const int MaxUtterance = 1000;

    /// <summary>Side effects chained in one turn (e.g. a lookup, then nothing more); a bound against engine bugs.</summary>
    private const int MaxSideEffectRounds = 4;

    public async Task<CallReply> StartAsync(CallStart start, CancellationToken ct)
    {
        using var turn = TurnTelemetry.Start("start", start.CallId, clock);
        turn.Call(start.Channel, null);
        try
        {
            var reply = await StartTurnAsync(start, turn, ct);
            turn.Done(reply);
            return reply;
        }
        catch (Exception ex) when (turn.Failed(ex))
        {
            throw;
        }
    }

    private async Task<CallReply> StartTurnAsync(CallStart start, TurnTelemetry turn, CancellationToken ct)
    {
        var dialled = PhoneNumber.TryNormalize(start.To, out var e164) ? e164 : start.To;
        var caller = PhoneNumber.CallerIdOrNull(start.From);
        using var scope = logger.BeginScope("call {CallId}", start.CallId);
        Tenant? tenant;
        using (turn.Stage(ReceptionistTelemetry.Stages.Load, ReceptionistTelemetry.Spans.Load))
        {
            if (await calls.GetAsync(start.CallId, ct) is { } existing)
            {
                return await ReplayAsync(existing.Record, ct);
            }

            tenant = await tenants.ByNumberAsync(dialled, ct);
        }

        var now = clock.GetUtcNow();
        if (tenant is null)
        {
            logger.LogWarning("Rejected call to unknown number {To} from {From}", PhoneNumber.Mask(dialled), PhoneNumber.Mask(caller));
            IReadOnlyList<CallAction> unknown = [new Say(SystemPhrases.UnknownNumber), new Hangup()];
            var rejected = new CallSession(start.CallId, UnroutedTenant, caller, dialled, now, ConversationState.Ended, BookingDraft.Empty, Outcome: CallOutcome.Rejected);
            var record = new CallRecord(rejected, 0, unknown, 2, now) { Channel = start.Channel, Mode = start.Mode ?? VoiceModes.Name(VoiceMode.Gather), ChannelData = start.ChannelData };
            using (turn.Stage(ReceptionistTelemetry.Stages.Save, ReceptionistTelemetry.Spans.Save))
            {
                if (await calls.CreateAsync(record.Remember(start.EventId),
                    [new CallTurn(1, now, "system", "started", $"Call to {PhoneNumber.Mask(dialled)}"), new CallTurn(2, now, "agent", "say", SystemPhrases.UnknownNumber)], ct))
                {
                    ReceptionistTelemetry.CallEnded(start.Channel, UnroutedTenant, CallOutcome.Rejected);
                }
            }

            return new CallReply(TurnStatus.Handled, 0, unknown, null, record);
        }

        using var tenantScope = logger.BeginScope("tenant {TenantId}", tenant.Id);
        turn.Call(start.Channel, tenant.Id);
        var profession = tenants.Professions.Get(tenant.ProfessionId);
        Decision decision;
        using (turn.Stage(ReceptionistTelemetry.Stages.Decide, ReceptionistTelemetry.Spans.Decide))
        {
            decision = ConversationEngine.Start(start.CallId, caller, dialled, new TurnContext(tenant, profession, now, []));
        }

        var history = new List<CallTurn> { new(1, now, "system", "started", $"From {PhoneNumber.Mask(caller)} ({start.Channel}, {start.Mode ?? VoiceModes.Name(tenant.VoiceMode)})") };
        AppendAgent(history, decision.Actions, now);
        var created = new CallRecord(decision.Session, 0, decision.Actions, history.Count, now)
        {
            Channel = start.Channel,
            Mode = start.Mode ?? VoiceModes.Name(tenant.VoiceMode),
            ChannelData = start.ChannelData,
        }.Remember(start.EventId);
        using (turn.Stage(ReceptionistTelemetry.Stages.Save, ReceptionistTelemetry.Spans.Save))
        {
            if (!await calls.CreateAsync(created, history, ct))
            {
                return await calls.GetAsync(start.CallId, ct) is { } raced ? await ReplayAsync(raced.Record, ct) : new CallReply(TurnStatus.Handled, 0, decision.Actions, tenant, created);
            }
        }

        if (decision.Session.Ended)
        {
            ReceptionistTelemetry.CallEnded(start.Channel, tenant.Id, decision.Session.Outcome); // e.g. an inactive subscription's apology
        }

        logger.LogInformation("Call started from {From}; outcome so far {Outcome}", PhoneNumber.Mask(caller), decision.Session.Outcome);
        return new CallReply(TurnStatus.Handled, 0, decision.Actions, tenant, created);
    }

    /// <summary>Handles one event of a call. <paramref name="eventId"/> is the provider's id for it: an event seen
    /// before gets the stored decision back and runs nothing again. <paramref name="answersTurn"/>: the turn of the
    /// decision this event answers, when the channel knows it; if the call is past that turn the event is stale.</summary>
    public async Task<CallReply> HandleAsync(string callId, string eventId, CallEvent ev, CancellationToken ct, int? answersTurn = null)
    {
        using var turn = TurnTelemetry.Start(ReceptionistTelemetry.EventKind(ev), callId, clock);
        try
        {
            var reply = await HandleTurnAsync(callId, eventId, ev, answersTurn, turn, ct);
            turn.Done(reply);
            return reply;
        }
        catch (Exception ex) when (turn.Failed(ex))
        {
            throw;
        }
    }

    private async Task<CallReply> HandleTurnAsync(string callId, string eventId, CallEvent ev, int? answersTurn, TurnTelemetry turn, CancellationToken ct)
    {
        using var scope = logger.BeginScope("call {CallId}", callId);
        Decided? unsaved = null; // a decision whose side effects ran but whose save lost a race
        for (var attempt = 1; ; attempt++)
        {
            StoredCall? stored;
            using (turn.Stage(ReceptionistTelemetry.Stages.Load, ReceptionistTelemetry.Spans.Load))
            {
                stored = await calls.GetAsync(callId, ct);
                if (stored is null)
                {
                    return new CallReply(TurnStatus.UnknownCall, 0, [], null, null);
                }

                turn.Call(stored.Record.Channel, stored.Record.Session.TenantId);
            }

            var record = stored.Record;
            if (record.Seen(eventId))
            {
                return await ReplayAsync(record, ct);
            }

            // (Once this event's side effect ran, the event is decided again on the new state rather than dropped.)
            if (answersTurn is { } asked && asked != record.Turn && unsaved is null)
            {
                return new CallReply(TurnStatus.Stale, record.Turn, [], null, record);
            }

            var tenant = await tenants.ByIdAsync(record.Session.TenantId, ct);
            if (tenant is null || record.Session.Ended)
            {
                if (unsaved is not null)
                {
                    await SaveAfterEndAsync(stored, unsaved, eventId);
                }

                // A callback after the end (e.g. the outcome of the final transfer): hang up, never replay the last answer.
                return new CallReply(TurnStatus.Ended, record.Turn, [new Hangup()], tenant, record);
            }

            using var tenantScope = logger.BeginScope("tenant {TenantId}", tenant.Id);
            var now = clock.GetUtcNow();
            var decided = await DecideAsync(record, tenant, ev, now, turn, ct);
            var session = decided.Session;

            // A report that says nothing new (an interruption, playback finished) leaves the decision being listened to.
            var actions = decided.Actions.Count == 0 && ev is CallerInterrupted or PlaybackFinished or TurnTimed ? record.LastActions : decided.Actions;
            var next = (record with
            {
                Session = session,
                Turn = record.Turn + 1,
                LastActions = actions,
                HistoryCount = record.HistoryCount + decided.History.Count,
                UpdatedAt = now,
                LlmInputTokens = record.LlmInputTokens + (decided.Tokens?.Input ?? 0),
                LlmOutputTokens = record.LlmOutputTokens + (decided.Tokens?.Output ?? 0),
            }).Remember(eventId);
            try
            {
                // Once a side effect ran, the caller's turn must be recorded even if the request is abandoned now.
                using (turn.Stage(ReceptionistTelemetry.Stages.Save, ReceptionistTelemetry.Spans.Save))
                {
                    await calls.SaveTurnAsync(next, stored.ETag, decided.History, decided.ChangedSomething ? CancellationToken.None : ct);
                }

                if (session.Outcome != record.Session.Outcome)
                {
                    logger.LogInformation("Call outcome {Outcome}", session.Outcome);
                }

                Counted(decided, record.Channel, tenant.Id, endedNow: session.Ended && !record.Session.Ended);

                return new CallReply(TurnStatus.Handled, next.Turn, decided.Actions, tenant, next);
            }
            catch (CallConcurrencyException) when (attempt < MaxAttempts)
            {
                logger.LogDebug("Concurrent update of the call; reloading (attempt {Attempt})", attempt);
                unsaved = decided.ChangedSomething ? decided : null;
            }
        }
    }

    /// <summary>The call ended (e.g. the caller hung up right after "yes") while this turn's side effect ran: keep what it
    /// did — outcome and history — on the ended call, so a booking is never made without its record.</summary>
    private async Task SaveAfterEndAsync(StoredCall stored, Decided unsaved, string eventId)
    {
        var record = stored.Record;
        var seq = record.HistoryCount;
        var history = unsaved.History.Select(h => h with { Sequence = ++seq }).ToList();
        var merged = (record with
        {
            Session = unsaved.Session with { State = ConversationState.Ended },
            HistoryCount = seq,
            UpdatedAt = clock.GetUtcNow(),
        }).Remember(eventId);
        try
        {
            await calls.SaveTurnAsync(merged, stored.ETag, history, CancellationToken.None);
            logger.LogInformation("The call ended during a turn; kept its outcome {Outcome}", merged.Session.Outcome);
            Counted(unsaved, record.Channel, record.Session.TenantId, endedNow: false);
        }
        catch (CallConcurrencyException)
        {
            logger.LogWarning("The call changed again while keeping the outcome of its last turn");
        }
    }

    /// <summary>The carrier says the call is over (hang-up, final status): ends the conversation once and records the
    /// duration; a repeated or late report changes nothing else. False when there is no such call.</summary>
    public async Task<bool> EndAsync(string callId, CallEnd end, CancellationToken ct)
    {
        using var turn = TurnTelemetry.Start("end", callId, clock);
        try
        {
            return await EndTurnAsync(callId, end, turn, ct);
        }
        catch (Exception ex) when (turn.Failed(ex))
        {
            throw;
        }
    }

    private async Task<bool> EndTurnAsync(string callId, CallEnd end, TurnTelemetry turn, CancellationToken ct)
    {
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            StoredCall? stored;
            using (turn.Stage(ReceptionistTelemetry.Stages.Load, ReceptionistTelemetry.Spans.Load))
            {
                stored = await calls.GetAsync(callId, ct);
                if (stored is null)
                {
                    return false;
                }

                turn.Call(stored.Record.Channel, stored.Record.Session.TenantId);
            }

            if (stored.Record.Seen(end.EventId))
            {
                await ReportAsync(stored.Record.Session); // a report whose first delivery saved but died before this
                return true;
            }

            var record = stored.Record;
            var now = clock.GetUtcNow();
            var history = new List<CallTurn>();
            var session = record.Session;
            if (!session.Ended && await tenants.ByIdAsync(session.TenantId, ct) is { } tenant)
            {
                var ctx = new TurnContext(tenant, tenants.Professions.Get(tenant.ProfessionId), now, []);
                session = ConversationEngine.Decide(session, new CallEnded(), ctx).Session;
                history.Add(new CallTurn(record.HistoryCount + 1, now, "system", "ended", end.Reason));
            }
            else if (record.DurationSeconds is not null || end.DurationSeconds is null)
            {
                // Already ended (e.g. by our goodbye) and nothing new to record: the report still has to be made once.
                await ReportAsync(session);
                return true;
            }

            var next = (record with { Session = session, HistoryCount = record.HistoryCount + history.Count, UpdatedAt = now })
                .Remember(end.EventId) with { DurationSeconds = end.DurationSeconds ?? record.DurationSeconds };
            try
            {
                using (turn.Stage(ReceptionistTelemetry.Stages.Save, ReceptionistTelemetry.Spans.Save))
                {
                    await calls.SaveTurnAsync(next, stored.ETag, history, ct);
                }
            }
            catch (CallConcurrencyException)
            {
                continue; // reload and try again
            }

            turn.Tag(next);
            if (session.Ended && !record.Session.Ended)
            {
                ReceptionistTelemetry.CallEnded(record.Channel, session.TenantId, session.Outcome);
            }

            // After the save, so the report reads the final record.
            await ReportAsync(session);
            return true;
        }

        return true;
    }

    /// <summary>Has the call's summary and cost worked out (again, when a later report brought the duration).</summary>
    private async Task ReportAsync(CallSession session)
    {
        if (session.TenantId != UnroutedTenant && await StartWorkflowAsync(w => w.CallEndedAsync(session.TenantId, session.CallId, CancellationToken.None)) is { } trouble)
        {
            logger.LogWarning("The call's summary and cost will be missing: {Trouble}", trouble);
        }
    }

    /// <summary>Notes that a channel event happened which decides nothing (ACS: the call connected), so a redelivery of
    /// it can be told apart, and returns the call's latest decision: <see cref="TurnStatus.Handled"/> the first time,
    /// <see cref="TurnStatus.Duplicate"/> for a redelivery, <see cref="TurnStatus.UnknownCall"/>.</summary>
    public async Task<CallReply> RememberAsync(string callId, string eventId, CancellationToken ct)
    {
        using var turn = TurnTelemetry.Start("channel-event", callId, clock);
        try
        {
            var reply = await RememberTurnAsync(callId, eventId, turn, ct);
            turn.Done(reply);
            return reply;
        }
        catch (Exception ex) when (turn.Failed(ex))
        {
            throw;
        }
    }

    private async Task<CallReply> RememberTurnAsync(string callId, string eventId, TurnTelemetry turn, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            StoredCall? stored;
            using (turn.Stage(ReceptionistTelemetry.Stages.Load, ReceptionistTelemetry.Spans.Load))
            {
                stored = await calls.GetAsync(callId, ct);
                if (stored is null)
                {
                    return new CallReply(TurnStatus.UnknownCall, 0, [], null, null);
                }
            }

            if (stored.Record.Seen(eventId))
            {
                return await ReplayAsync(stored.Record, ct);
            }

            try
            {
                var next = stored.Record.Remember(eventId);
                using (turn.Stage(ReceptionistTelemetry.Stages.Save, ReceptionistTelemetry.Spans.Save))
                {
                    await calls.SaveTurnAsync(next, stored.ETag, [], ct);
                }

                return (await ReplayAsync(next, ct)) with { Status = TurnStatus.Handled };
            }
            catch (CallConcurrencyException) when (attempt < MaxAttempts)
            {
                // reload and try again
            }
        }
    }

    /// <summary>The call's latest decision as stored (nothing is decided); <see cref="TurnStatus.UnknownCall"/> when there is no such call.</summary>
    public async Task<CallReply> LatestAsync(string callId, CancellationToken ct) =>
        await calls.GetAsync(callId, ct) is { } stored ? await ReplayAsync(stored.Record, ct) : new CallReply(TurnStatus.UnknownCall, 0, [], null, null);

    /// <summary>The stored decision for a redelivered event.</summary>
    private async Task<CallReply> ReplayAsync(CallRecord record, CancellationToken ct) =>
        new(TurnStatus.Duplicate, record.Turn, record.LastActions, await tenants.ByIdAsync(record.Session.TenantId, ct), record);

    /// <summary>One decision with its side effects done. <paramref name="ChangedSomething"/>: a booking, move, cancel or
    /// message was written.</summary>
    private sealed record Decided(CallSession Session, List<CallAction> Actions, List<CallTurn> History, bool ChangedSomething)
    {
        /// <summary>What understanding the caller cost in LLM tokens this turn, if a model was asked.</summary>
        public LlmTokens? Tokens { get; init; }

        /// <summary>The booking changes made ("booked", "moved", "cancelled"), counted once the turn is saved.</summary>
        public IReadOnlyList<string> BookingChanges { get; init; } = [];
    }

    /// <summary>Counts what a saved turn did: its booking changes, and the call's end when it ended now.</summary>
    private static void Counted(Decided decided, string channel, string tenantId, bool endedNow)
    {
        foreach (var change in decided.BookingChanges)
        {
            ReceptionistTelemetry.Booked(change, channel, tenantId);
        }

        if (endedNow)
        {
            ReceptionistTelemetry.CallEnded(channel, tenantId, decided.Session.Outcome);
        }
    }

    private async Task<Decided> DecideAsync(CallRecord record, Tenant tenant, CallEvent input, DateTimeOffset now, TurnTelemetry turn, CancellationToken ct)
    {
        var profession = tenants.Professions.Get(tenant.ProfessionId);
        var history = new List<CallTurn>();
        var seq = record.HistoryCount;
        void Log(string speaker, string kind, string text) => history.Add(new CallTurn(++seq, now, speaker, kind, text));

        // Once a side effect starts it is never cancelled (the storage client's own timeouts bound it), so a turn past its
        // deadline cannot leave a booking half-made or made but unrecorded.
        var token = ct;

        // Most turns never look at the calendar: it is read only when the engine asks for it.
        var ctx = new TurnContext(tenant, profession, now, []) { CalendarLoaded = false };
        async Task ReadCalendarAsync()
        {
            using var span = ReceptionistTelemetry.Source.StartActivity(ReceptionistTelemetry.Spans.Calendar);
            ctx = ctx with { Busy = await appointments.BusyAsync(tenant, now, now.AddDays(Availability.HorizonDays + 1), token), CalendarLoaded = true };
        }

        async Task<Decision> DecideWithCalendarAsync(CallSession session, CallEvent e)
        {
            try
            {
                return ConversationEngine.Decide(session, e, ctx);
            }
            catch (CalendarNeededException)
            {
                await ReadCalendarAsync();
                return ConversationEngine.Decide(session, e, ctx);
            }
        }

        var ev = input;
        LlmTokens? tokens = null;
        switch (input)
        {
            case CallerSaid said:
                var text = said.Text.Length > MaxUtterance ? said.Text[..MaxUtterance] : said.Text;
                Understood meaning;
                using (turn.Stage(ReceptionistTelemetry.Stages.Understand, ReceptionistTelemetry.Spans.Understand))
                {
                    meaning = await understanding.UnderstandAsync(text, ctx.Understanding(record.Session.State), ct);
                }

                tokens = meaning.Tokens;
                ev = new Heard(text, said.Confidence, meaning);
                Log("caller", meaning.Intent == Intent.Question ? CallNotes.QuestionKind : CallNotes.SpeechKind, text);
                break;
            case KeypadPressed keys:
                Log("caller", "digits", record.Session.State is ConversationState.CollectCallback or ConversationState.ConfirmCallback ? "(number entered)" : keys.Digits);
                break;
            case NoInput or Silence:
                Log("caller", "silence", string.Empty);
                break;
            case TransferResult t:
                Log("system", t.Connected ? CallNotes.TransferConnectedKind : CallNotes.TransferFailedKind, t.Connected ? "A person answered the transfer" : "Nobody answered the transfer");
                break;
            case CallerInterrupted i:
                Log("system", "interrupted", i.HeardSoFar);
                break;
            case PlaybackFinished:
                break;
            case TurnTimed timed:
                Log("system", CallNotes.LatencyKind, timed.Line);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(input), input.GetType().Name, "Not an event a channel reports");
        }

        using var deciding = turn.Stage(ReceptionistTelemetry.Stages.Decide, ReceptionistTelemetry.Spans.Decide);
        var decision = await DecideWithCalendarAsync(record.Session, ev);
        var spoken = new List<CallAction>();
        var changed = false;
        var changes = new List<string>();
        for (var round = 0; ; round++)
        {
            CallEvent? outcome = null;
            foreach (var action in decision.Actions)
            {
                if (action is SaveMessage save)
                {
                    token = CancellationToken.None;
                    StoredMessage stored;
                    using (ReceptionistTelemetry.Source.StartActivity(ReceptionistTelemetry.Spans.Message))
                    {
                        stored = await messages.SaveAsync(save.Message, now, token);
                    }

                    changed = true;
                    Log("system", CallNotes.MessageKind, CallNotes.Message(stored.Id, stored.Urgent));
                    if (await StartWorkflowAsync(w => w.MessageTakenAsync(tenant.Id, stored.Id, CancellationToken.None)) is { } trouble)
                    {
                        Log("system", "workflow-failed", trouble);
                    }
                }
                else if (action is ReserveSlot or MoveAppointment or CancelAppointment or FindAppointments)
                {
                    if (round >= MaxSideEffectRounds || outcome is not null)
                    {
                        throw new InvalidOperationException($"The engine asked for more than one side effect at once ({action.GetType().Name}).");
                    }

                    if (action is not FindAppointments)
                    {
                        token = CancellationToken.None;
                    }

                    (CallEvent Outcome, (string Kind, string Text) Note, Func<IWorkflows, Task>? After) done;
                    using (var span = ReceptionistTelemetry.Source.StartActivity(ReceptionistTelemetry.Spans.Change))
                    {
                        span?.SetTag(ReceptionistTelemetry.Tags.Operation, Operation(action));
                        done = await RunAsync(action, tenant, record.Session.CallerNumber, now, token);
                    }

                    (outcome, var note, var after) = done;
                    if (Change(action, outcome) is { } change)
                    {
                        changes.Add(change);
                    }

                    Log("system", note.Kind, note.Text);
                    if (after is not null && await StartWorkflowAsync(after) is { } trouble)
                    {
                        Log("system", "workflow-failed", trouble);
                    }

                    changed |= outcome is ReservationResult { Reserved: true } or CancelResult { Cancelled: true };
                    if (outcome is ReservationResult { Reserved: false })
                    {
                        // Refresh the calendar so the alternatives offered exclude the booking that beat us.
                        await ReadCalendarAsync();
                    }
                }
                else
                {
                    spoken.Add(action);
                }
            }

            if (outcome is null)
            {
                break;
            }

            decision = await DecideWithCalendarAsync(decision.Session, outcome);
        }

        AppendAgent(history, spoken, now, seq);
        return new Decided(decision.Session, spoken, history, changed) { Tokens = tokens, BookingChanges = changes };
    }

    /// <summary>Starts what follows a booking, move, cancel (confirmation, reminder) or message (the owner's alert)
    /// before the turn is saved, so a retried turn starts it again (a no-op) rather than never. A start that fails does
    /// not fail the turn: what the caller was told stands; the failure is logged and noted in the call's history.
    /// Returns that note, or null.</summary>
    private async Task<string?> StartWorkflowAsync(Func<IWorkflows, Task> start)
    {
        using var span = ReceptionistTelemetry.Source.StartActivity(ReceptionistTelemetry.Spans.Workflow);
        try
        {
            await start(workflows);
            return null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            span?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, ex.GetType().Name);
            logger.LogError(ex, "Could not start the after-call workflow; its text message will not be sent");
            return "Its text message could not be scheduled";
        }
    }

    /// <summary>Runs one side effect the engine asked for and returns the event that reports its outcome, and the
    /// workflow to start for it (null: none).</summary>
    private async Task<(CallEvent Outcome, (string Kind, string Text) Note, Func<IWorkflows, Task>? After)> RunAsync(
        CallAction action, Tenant tenant, string? callerNumber, DateTimeOffset now, CancellationToken ct)
    {
        switch (action)
        {
            case ReserveSlot r:
            {
                var booked = await appointments.ReserveAsync(r.Booking, now, ct);
                return (new ReservationResult(booked is not null, booked?.Id), booked is null
                    ? ("slot-taken", $"{r.Booking.Service} at {r.Booking.Start:O} was taken")
                    : (CallNotes.BookedKind, CallNotes.Booked(booked.Id, booked.Service, booked.Start)),
                    booked is null ? null : w => w.BookedAsync(Key(tenant, booked), CancellationToken.None));
            }

            case MoveAppointment m:
            {
                var moved = await appointments.MoveAsync(m.From, m.To, now, ct);
                return (new ReservationResult(moved is not null, moved?.Id), moved is null
                    ? ("slot-taken", $"{m.To.Service} at {m.To.Start:O} was taken; {m.From.Id} unchanged")
                    : (CallNotes.MovedKind, CallNotes.Moved(m.From.Id, moved.Id, moved.Service, moved.Start)),
                    moved is null ? null : w => w.MovedAsync(Key(tenant.Id, m.From), Key(tenant, moved), CancellationToken.None));
            }

            case CancelAppointment c:
            {
                var cancelled = await appointments.CancelAsync(tenant.Id, c.Appointment, c.CallId, now, ct);
                return (new CancelResult(cancelled), (cancelled ? CallNotes.CancelledKind : "cancel-failed", CallNotes.Cancelled(c.Appointment.Id, cancelled)),
                    cancelled ? w => w.CancelledAsync(Key(tenant.Id, c.Appointment), CancellationToken.None) : null);
            }

            case FindAppointments { Phone: null, Name: not null } when !await lookups.TryAcquireAsync(tenant.Id, callerNumber, now, ct):
                // Too many lookups by name from this number today: found nothing, as far as the caller can tell.
                logger.LogWarning("Name lookup refused: the daily limit for {From} is used up", PhoneNumber.Mask(callerNumber));
                return (new AppointmentsFound([]), ("lookup-limited", "Name lookup refused: daily limit for this number reached"), null);

            case FindAppointments f:
            {
                var found = await appointments.FindUpcomingAsync(tenant.Id, now, f.Phone, f.Name, ct);
                var refs = found.Select(a =>
                {
                    var local = tenant.ToLocal(a.Start);
                    return new AppointmentRef(a.Id, a.Service, a.Minutes, DateOnly.FromDateTime(local.DateTime), TimeOnly.FromDateTime(local.DateTime), a.CallerName, a.Start, a.CallerPhone);
                }).ToList();
                return (new AppointmentsFound(refs), ("lookup", $"{refs.Count} upcoming appointment(s) found by {(f.Phone is null ? "name" : "caller ID")}"), null);
            }

            default:
                throw new ArgumentOutOfRangeException(nameof(action), action.GetType().Name, "Not a side effect");
        }
    }

    /// <summary>The side effect's name for <see cref="ReceptionistTelemetry.Tags.Operation"/>.</summary>
    private static string Operation(CallAction action) => action switch
    {
        ReserveSlot => "reserve",
        MoveAppointment => "move",
        CancelAppointment => "cancel",
        _ => "find",
    };

    /// <summary>The booking change a side effect made, or null (nothing changed, or only a lookup).</summary>
    private static string? Change(CallAction action, CallEvent outcome) => (action, outcome) switch
    {
        (ReserveSlot, ReservationResult { Reserved: true }) => "booked",
        (MoveAppointment, ReservationResult { Reserved: true }) => "moved",
        (CancelAppointment, CancelResult { Cancelled: true }) => "cancelled",
        _ => null,
    };

    private static AppointmentKey Key(Tenant tenant, Appointment a) =>
        new(tenant.Id, a.Id, DateOnly.FromDateTime(tenant.ToLocal(a.Start).DateTime), a.Start);

    private static AppointmentKey Key(string tenantId, AppointmentRef a) => new(tenantId, a.Id, a.Date, a.Start);

    private static void AppendAgent(List<CallTurn> history, IEnumerable<CallAction> actions, DateTimeOffset now, int? seq = null)
    {
        var n = seq ?? history.Count;
        foreach (var action in actions)
        {
            switch (action)
            {
                case Say say:
                    history.Add(new CallTurn(++n, now, "agent", "say", say.Text));
                    break;
                case TransferCall:
                    history.Add(new CallTurn(++n, now, "system", "transfer", "Putting the caller through to the business"));
                    break;
                case Hangup:
                    history.Add(new CallTurn(++n, now, "system", "hangup", string.Empty));
                    break;
            }
        }
    }
}
