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
public sealed record CallerInput(string? Speech, double? Confidence, string? Digits);

/// <summary>
/// Channel-agnostic call handling: load the session (with its ETag), let the pure engine decide, run side effects
/// idempotently, save the session and its history in one transaction. A retried webhook gets the stored answer again.
/// </summary>
public sealed class CallOrchestrator(
    TenantDirectory tenants,
    ICallStore calls,
    IAppointmentStore appointments,
    IUnderstanding understanding,
    TimeProvider clock,
    ILogger<CallOrchestrator> logger)
{
    public const string UnroutedTenant = "_unrouted";
    private const int MaxAttempts = 5;

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
            if (turn <= record.Turn || record.Session.Ended)
            {
                return record.LastResponse; // a retried webhook: same answer, no second turn
            }

            var tenant = await tenants.ByIdAsync(record.Session.TenantId, ct)
                ?? throw new InvalidOperationException($"Tenant '{record.Session.TenantId}' of call {callId} no longer exists.");
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
        var seq = record.HistoryCount;
        var history = new List<CallTurn>();

        CallEvent ev;
        if (!string.IsNullOrWhiteSpace(input.Speech))
        {
            var expecting = ConversationEngine.ExpectingIn(record.Session.State);
            var meaning = await understanding.UnderstandAsync(input.Speech, new UnderstandingContext(expecting, ctx.Services, ctx.Today), ct);
            ev = new Heard(input.Speech, input.Confidence, meaning);
            history.Add(new CallTurn(++seq, now, "caller", "speech", input.Speech));
        }
        else if (!string.IsNullOrWhiteSpace(input.Digits))
        {
            ev = new KeypadPressed(input.Digits);
            history.Add(new CallTurn(++seq, now, "caller", "digits", record.Session.State == ConversationState.CollectCallback ? "(number entered)" : input.Digits));
        }
        else
        {
            ev = new NoInput();
            history.Add(new CallTurn(++seq, now, "caller", "silence", string.Empty));
        }

        var decision = ConversationEngine.Decide(record.Session, ev, ctx);
        var actions = decision.Actions.Where(a => a is not ReserveSlot).ToList();
        if (decision.Actions.OfType<ReserveSlot>().FirstOrDefault() is { } reserve)
        {
            var appointment = await appointments.ReserveAsync(reserve.Booking, now, ct);
            history.Add(new CallTurn(++seq, now, "system", appointment is null ? "slot-taken" : "booked",
                appointment is null ? $"{reserve.Booking.Service} at {reserve.Booking.Start:O} was taken" : $"Booked {appointment.Id}: {appointment.Service} at {appointment.Start:O}"));
            if (appointment is null)
            {
                // Refresh the calendar so the alternatives offered exclude the booking that beat us.
                ctx = ctx with { Busy = await appointments.BusyAsync(tenant, now, now.AddDays(Availability.HorizonDays + 1), ct) };
            }

            decision = ConversationEngine.Decide(decision.Session, new ReservationResult(appointment is not null, appointment?.Id), ctx);
            actions.AddRange(decision.Actions);
        }

        AppendAgent(history, actions, now, seq);
        return (decision.Session, actions, history);
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
                    history.Add(new CallTurn(++n, now, "system", "transfer", "Transferred to the business"));
                    break;
                case Hangup:
                    history.Add(new CallTurn(++n, now, "system", "hangup", string.Empty));
                    break;
            }
        }
    }
}
