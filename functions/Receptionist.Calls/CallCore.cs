using Receptionist.Core.Conversation;
using Receptionist.Core.Phone;
using Receptionist.Core.Scheduling;
using Receptionist.Core.Storage;
using Receptionist.Core.Tenants;
using Receptionist.Core.Understanding;

namespace Receptionist.Host.Calls;

/// <summary>Renders a turn's actions for a channel; <c>nextTurn</c> goes into the channel's callback so retries are spotted.</summary>
public delegate string RenderTurn(IReadOnlyList<CallAction> actions, int nextTurn, Tenant tenant);

/// <summary>What a caller did in one turn, as a channel reports it.</summary>
/// <param name="DialStatus">The outcome of a transfer (Twilio's DialCallStatus), when this turn reports one.</param>
public sealed record CallerInput(string? Speech, double? Confidence, string? Digits, string? DialStatus = null);

/// <summary>
/// Channel-agnostic call handling: load the session (with its ETag), let the pure engine decide, run side effects
/// idempotently, save the session and its history in one transaction. A retried webhook gets the stored answer again.
/// </summary>
public sealed class CallOrchestrator(
    TenantDirectory tenants,
    ICallStore calls,
    IAppointmentStore appointments,
    IMessageStore messages,
    IUnderstanding understanding,
    TimeProvider clock,
    ILogger<CallOrchestrator> logger)
{
    public const string UnroutedTenant = "_unrouted";
    private const int MaxAttempts = 5;

    /// <summary>Side effects chained in one turn (e.g. a lookup, then nothing more); a bound against engine bugs.</summary>
    private const int MaxSideEffectRounds = 4;

    public async Task<string> StartAsync(string callId, string to, string? from, RenderTurn render, Func<string> renderUnknown, CancellationToken ct)
    {
        var dialled = PhoneNumber.TryNormalize(to, out var e164) ? e164 : to;
        var caller = PhoneNumber.CallerIdOrNull(from);
        using var scope = logger.BeginScope("call {CallId}", callId);
        if (await calls.GetAsync(callId, ct) is { } existing)
        {
            return existing.Record.LastResponse;
        }

        var tenant = await tenants.ByNumberAsync(dialled, ct);
        var now = clock.GetUtcNow();
        if (tenant is null)
        {
            logger.LogWarning("Rejected call to unknown number {To} from {From}", PhoneNumber.Mask(dialled), PhoneNumber.Mask(caller));
            var response = renderUnknown();
            var rejected = new CallSession(callId, UnroutedTenant, caller, dialled, now, ConversationState.Ended, BookingDraft.Empty, Outcome: CallOutcome.Rejected);
            await calls.CreateAsync(new CallRecord(rejected, 0, response, 2, now),
                [new CallTurn(1, now, "system", "started", $"Call to {dialled}"), new CallTurn(2, now, "agent", "say", SystemPhrases.UnknownNumber)], ct);
            return response;
        }

        using var tenantScope = logger.BeginScope("tenant {TenantId}", tenant.Id);
        var profession = tenants.Professions.Get(tenant.ProfessionId);
        var decision = ConversationEngine.Start(callId, caller, dialled, new TurnContext(tenant, profession, now, []));
        var rendered = render(decision.Actions, 1, tenant);
        var history = new List<CallTurn> { new(1, now, "system", "started", $"From {PhoneNumber.Mask(caller)}") };
        AppendAgent(history, decision.Actions, now);
        var record = new CallRecord(decision.Session, 0, rendered, history.Count, now);
        if (!await calls.CreateAsync(record, history, ct))
        {
            return (await calls.GetAsync(callId, ct))?.Record.LastResponse ?? rendered;
        }

        logger.LogInformation("Call started from {From}; outcome so far {Outcome}", PhoneNumber.Mask(caller), decision.Session.Outcome);
        return rendered;
    }

    /// <summary>Handles turn <paramref name="turn"/> (1-based). Null when the call is unknown.</summary>
    public async Task<string?> TurnAsync(string callId, int turn, CallerInput input, RenderTurn render, CancellationToken ct)
    {
        using var scope = logger.BeginScope("call {CallId}", callId);
        for (var attempt = 1; ; attempt++)
        {
            var stored = await calls.GetAsync(callId, ct);
            if (stored is null)
            {
                return null;
            }

            var record = stored.Record;
            if (turn <= record.Turn)
            {
                return record.LastResponse; // a retried webhook: same answer, no second turn
            }

            var tenant = await tenants.ByIdAsync(record.Session.TenantId, ct)
                ?? throw new InvalidOperationException($"Tenant '{record.Session.TenantId}' of call {callId} no longer exists.");
            if (record.Session.Ended)
            {
                // A callback after the end (e.g. the outcome of the final transfer): hang up, never replay the last answer.
                return render([new Hangup()], turn + 1, tenant);
            }
            using var tenantScope = logger.BeginScope("tenant {TenantId}", tenant.Id);
            var now = clock.GetUtcNow();
            var (session, actions, history) = await DecideAsync(record, tenant, input, now, ct);
            var rendered = render(actions, turn + 1, tenant);
            var next = new CallRecord(session, turn, rendered, record.HistoryCount + history.Count, now);
            try
            {
                await calls.SaveTurnAsync(next, stored.ETag, history, ct);
                if (session.Outcome != record.Session.Outcome)
                {
                    logger.LogInformation("Call outcome {Outcome}", session.Outcome);
                }

                return rendered;
            }
            catch (CallConcurrencyException) when (attempt < MaxAttempts)
            {
                logger.LogDebug("Concurrent update of the call; reloading (attempt {Attempt})", attempt);
            }
        }
    }

    /// <summary>The provider says the call is over (hang-up, status callback).</summary>
    public async Task EndAsync(string callId, CancellationToken ct)
    {
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            var stored = await calls.GetAsync(callId, ct);
            if (stored is null || stored.Record.Session.Ended)
            {
                return;
            }

            var tenant = await tenants.ByIdAsync(stored.Record.Session.TenantId, ct);
            if (tenant is null)
            {
                return;
            }

            var now = clock.GetUtcNow();
            var ctx = new TurnContext(tenant, tenants.Professions.Get(tenant.ProfessionId), now, []);
            var decision = ConversationEngine.Decide(stored.Record.Session, new CallEnded(), ctx);
            var record = stored.Record with { Session = decision.Session, HistoryCount = stored.Record.HistoryCount + 1, UpdatedAt = now };
            try
            {
                await calls.SaveTurnAsync(record, stored.ETag, [new CallTurn(record.HistoryCount, now, "system", "ended", "Caller hung up")], ct);
                return;
            }
            catch (CallConcurrencyException)
            {
                // reload and try again
            }
        }
    }

    private async Task<(CallSession Session, List<CallAction> Actions, List<CallTurn> History)> DecideAsync(
        CallRecord record, Tenant tenant, CallerInput input, DateTimeOffset now, CancellationToken ct)
    {
        var profession = tenants.Professions.Get(tenant.ProfessionId);
        var busy = await appointments.BusyAsync(tenant, now, now.AddDays(Availability.HorizonDays + 1), ct);
        var ctx = new TurnContext(tenant, profession, now, busy);
        var history = new List<CallTurn>();
        var seq = record.HistoryCount;
        void Log(string speaker, string kind, string text) => history.Add(new CallTurn(++seq, now, speaker, kind, text));

        CallEvent ev;
        if (input.DialStatus is { } dial)
        {
            var connected = dial is "completed" or "answered";
            ev = new TransferResult(connected);
            Log("system", connected ? "transfer-connected" : "transfer-failed", $"Transfer {dial}");
        }
        else if (!string.IsNullOrWhiteSpace(input.Speech))
        {
            var meaning = await understanding.UnderstandAsync(input.Speech, ctx.Understanding(record.Session.State), ct);
            ev = new Heard(input.Speech, input.Confidence, meaning);
            Log("caller", "speech", input.Speech);
        }
        else if (!string.IsNullOrWhiteSpace(input.Digits))
        {
            ev = new KeypadPressed(input.Digits);
            Log("caller", "digits", record.Session.State is ConversationState.CollectCallback or ConversationState.ConfirmCallback ? "(number entered)" : input.Digits);
        }
        else
        {
            ev = new NoInput();
            Log("caller", "silence", string.Empty);
        }

        var decision = ConversationEngine.Decide(record.Session, ev, ctx);
        var spoken = new List<CallAction>();
        for (var round = 0; ; round++)
        {
            CallEvent? outcome = null;
            foreach (var action in decision.Actions)
            {
                if (action is SaveMessage save)
                {
                    var stored = await messages.SaveAsync(save.Message, now, ct);
                    Log("system", "message", $"Message {stored.Id} stored{(stored.Urgent ? " (urgent)" : string.Empty)}; owner notified");
                }
                else if (action is ReserveSlot or MoveAppointment or CancelAppointment or FindAppointments)
                {
                    if (round >= MaxSideEffectRounds || outcome is not null)
                    {
                        throw new InvalidOperationException($"The engine asked for more than one side effect at once ({action.GetType().Name}).");
                    }

                    (outcome, var note) = await RunAsync(action, tenant, now, ct);
                    Log("system", note.Kind, note.Text);
                    if (outcome is ReservationResult { Reserved: false })
                    {
                        // Refresh the calendar so the alternatives offered exclude the booking that beat us.
                        ctx = ctx with { Busy = await appointments.BusyAsync(tenant, now, now.AddDays(Availability.HorizonDays + 1), ct) };
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

            decision = ConversationEngine.Decide(decision.Session, outcome, ctx);
        }

        AppendAgent(history, spoken, now, seq);
        return (decision.Session, spoken, history);
    }

    /// <summary>Runs one side effect the engine asked for and returns the event that reports its outcome.</summary>
    private async Task<(CallEvent Outcome, (string Kind, string Text) Note)> RunAsync(CallAction action, Tenant tenant, DateTimeOffset now, CancellationToken ct)
    {
        switch (action)
        {
            case ReserveSlot r:
            {
                var booked = await appointments.ReserveAsync(r.Booking, now, ct);
                return (new ReservationResult(booked is not null, booked?.Id), booked is null
                    ? ("slot-taken", $"{r.Booking.Service} at {r.Booking.Start:O} was taken")
                    : ("booked", $"Booked {booked.Id}: {booked.Service} at {booked.Start:O}"));
            }

            case MoveAppointment m:
            {
                var moved = await appointments.MoveAsync(m.From, m.To, now, ct);
                return (new ReservationResult(moved is not null, moved?.Id), moved is null
                    ? ("slot-taken", $"{m.To.Service} at {m.To.Start:O} was taken; {m.From.Id} unchanged")
                    : ("rescheduled", $"Moved {m.From.Id} to {moved.Id} at {moved.Start:O}"));
            }

            case CancelAppointment c:
            {
                var cancelled = await appointments.CancelAsync(tenant.Id, c.Appointment, c.CallId, now, ct);
                return (new CancelResult(cancelled), (cancelled ? "cancelled" : "cancel-failed", $"Cancel {c.Appointment.Id}: {(cancelled ? "done" : "not booked")}"));
            }

            case FindAppointments f:
            {
                var found = await appointments.FindUpcomingAsync(tenant.Id, now, f.Phone, f.Name, ct);
                var refs = found.Select(a =>
                {
                    var local = tenant.ToLocal(a.Start);
                    return new AppointmentRef(a.Id, a.Service, a.Minutes, DateOnly.FromDateTime(local.DateTime), TimeOnly.FromDateTime(local.DateTime), a.CallerName, a.Start);
                }).ToList();
                return (new AppointmentsFound(refs), ("lookup", $"{refs.Count} upcoming appointment(s) found by {(f.Phone is null ? "name" : "caller ID")}"));
            }

            default:
                throw new ArgumentOutOfRangeException(nameof(action), action.GetType().Name, "Not a side effect");
        }
    }

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
