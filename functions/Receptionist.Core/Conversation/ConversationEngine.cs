using Receptionist.Core.Phone;
using Receptionist.Core.Professions;
using Receptionist.Core.Scheduling;
using Receptionist.Core.Tenants;
using Receptionist.Core.Understanding;

namespace Receptionist.Core.Conversation;

/// <summary>Everything a turn may read besides the session and the event. Built by the orchestrator.</summary>
public sealed record TurnContext(Tenant Tenant, Profession Profession, DateTimeOffset Now, IReadOnlyList<BusyInterval> Busy)
{
    public DateOnly Today => DateOnly.FromDateTime(Tenant.ToLocal(Now).DateTime);

    public IReadOnlyList<ServiceOffering> Services => Profession.ServicesFor(Tenant);
}

/// <summary>
/// The call flow: a pure, synchronous state machine. Given the session, one event and the turn's context it returns the
/// next session and the actions to take. It never books by itself: it asks for a <see cref="ReserveSlot"/> after an
/// explicit "yes" to the read-back, and only a successful <see cref="ReservationResult"/> makes the call Booked.
/// </summary>
public static class ConversationEngine
{
    /// <summary>Misses in one state before the keypad is offered, and before the call is handed over or ended.</summary>
    public const int KeypadAfterMisses = 2;
    public const int GiveUpAfterMisses = 3;

    /// <summary>Consecutive silences before a polite goodbye.</summary>
    public const int GiveUpAfterSilences = 2;

    public static Decision Start(string callId, string? callerNumber, string dialledNumber, TurnContext ctx)
    {
        var session = new CallSession(callId, ctx.Tenant.Id, callerNumber, dialledNumber, ctx.Now, ConversationState.Greeting, BookingDraft.Empty);
        if (ctx.Tenant.Subscription != SubscriptionStatus.Active)
        {
            var ended = session with { State = ConversationState.Ended, Outcome = CallOutcome.Rejected };
            return ctx.Tenant.TransferNumber is { } transfer
                ? new Decision(ended with { Outcome = CallOutcome.Transferred }, [new Say(SystemPhrases.LineUnavailableTransfer), new TransferCall(transfer)])
                : new Decision(ended, [new Say(SystemPhrases.LineUnavailable), new Hangup()]);
        }

        var p = ctx.Profession.Prompts;
        var greeting = Availability.IsOpen(ctx.Tenant, ctx.Now) ? p.Greeting : p.AfterHours;
        return new Decision(session, [new Say(Fill(greeting, ctx)), Listen(ConversationState.Greeting, ctx)]);
    }

    public static Decision Decide(CallSession session, CallEvent ev, TurnContext ctx)
    {
        if (session.Ended)
        {
            return new Decision(session, [new Hangup()]);
        }

        return ev switch
        {
            CallEnded => new Decision(Finish(session), []),
            NoInput => OnSilence(session, ctx),
            ReservationResult r => OnReservation(session, r, ctx),
            KeypadPressed k => OnKeypad(session, k.Digits, ctx),
            Heard h => OnHeard(session with { Silences = 0 }, h.Meaning, ctx),
            _ => throw new ArgumentOutOfRangeException(nameof(ev), ev.GetType().Name, "Unknown call event"),
        };
    }

    /// <summary>What the current state is waiting for, so short answers are read in context.</summary>
    public static Expecting ExpectingIn(ConversationState state) => state switch
    {
        ConversationState.CollectService => Expecting.Service,
        ConversationState.CollectDate => Expecting.Date,
        ConversationState.CollectTime => Expecting.Time,
        ConversationState.CollectName => Expecting.Name,
        ConversationState.CollectCallback => Expecting.Phone,
        ConversationState.Confirm or ConversationState.AnythingElse => Expecting.YesNo,
        _ => Expecting.Anything,
    };

    private static Decision OnHeard(CallSession s, Understood u, TurnContext ctx)
    {
        var p = ctx.Profession.Prompts;
        if (u.Intent == Intent.Goodbye && s.State != ConversationState.Confirm)
        {
            return Goodbye(s, ctx);
        }

        if (u.Intent == Intent.Person && ctx.Tenant.TransferNumber is { } transfer && Availability.IsOpen(ctx.Tenant, ctx.Now))
        {
            return new Decision(s with { State = ConversationState.Ended, Outcome = CallOutcome.Transferred },
                [new Say(Fill(p.Transferring, ctx)), new TransferCall(transfer)]);
        }

        switch (s.State)
        {
            case ConversationState.Confirm when u.Answer == Answer.Yes && !u.HasBookingSlot:
                return Reserve(s, ctx);
            case ConversationState.Confirm when u.Answer == Answer.No && !u.HasBookingSlot:
                return new Decision(s with { Misses = 0 }, [new Say(Fill(p.Declined, ctx)), Listen(ConversationState.Confirm, ctx)]);
            case ConversationState.AnythingElse when u.Answer == Answer.No && !u.HasBookingSlot && u.Intent == Intent.None:
                return Goodbye(s, ctx);
            case ConversationState.AnythingElse when u.Answer == Answer.Yes && !u.HasBookingSlot && u.Intent == Intent.None:
                return new Decision(s with { State = ConversationState.Greeting, Misses = 0, Draft = BookingDraft.Empty },
                    [new Say(SystemPhrases.HowCanIHelp), Listen(ConversationState.Greeting, ctx)]);
        }

        var bookingState = s.State is >= ConversationState.CollectService and <= ConversationState.Confirm;
        var phoneAnswer = s.State == ConversationState.CollectCallback && u.Phone is not null;
        if (u.HasBookingSlot || u.Intent == Intent.Book || phoneAnswer)
        {
            var draft = s.State is ConversationState.Greeting or ConversationState.AnythingElse && !bookingState
                ? BookingDraft.Empty with { Phone = s.CallerNumber }
                : s.Draft;
            return Advance(s, Merge(draft, u, s.State, ctx), ctx, changedState: true);
        }

        if (u.Intent is Intent.Question or Intent.Message or Intent.Reschedule or Intent.Cancel or Intent.Person)
        {
            // The full front desk (FAQ, messages, changes) comes with the conversation work; until then say so honestly.
            return new Decision(s, [new Say(Fill(p.FaqUnknown, ctx)), new Say(Question(s.State, s.Draft, ctx)), Listen(s.State, ctx)]);
        }

        return Miss(s, ctx);
    }

    private static Decision OnKeypad(CallSession s, string digits, TurnContext ctx)
    {
        var d = digits.Trim();
        return s.State switch
        {
            ConversationState.Greeting or ConversationState.AnythingElse when d == "1" =>
                Advance(s, BookingDraft.Empty with { Phone = s.CallerNumber }, ctx, changedState: true),
            ConversationState.Greeting or ConversationState.AnythingElse when d == "0" =>
                OnHeard(s, new Understood(Intent.Person), ctx),
            ConversationState.Confirm when d == "1" => Reserve(s, ctx),
            ConversationState.Confirm when d == "2" => OnHeard(s, new Understood(Intent.None, Answer.No), ctx),
            ConversationState.CollectCallback when PhoneNumber.TryNormalize(d, out var e164) && d.Length >= 10 =>
                Advance(s, s.Draft with { Phone = e164 }, ctx, changedState: true),
            _ => Miss(s, ctx),
        };
    }

    private static Decision OnSilence(CallSession s, TurnContext ctx)
    {
        var silences = s.Silences + 1;
        if (silences >= GiveUpAfterSilences || s.State == ConversationState.Booking)
        {
            return Goodbye(s with { Silences = silences }, ctx);
        }

        return new Decision(s with { Silences = silences },
            [new Say(Fill(ctx.Profession.Prompts.NoInput, ctx)), new Say(Question(s.State, s.Draft, ctx)), Listen(s.State, ctx)]);
    }

    private static Decision OnReservation(CallSession s, ReservationResult r, TurnContext ctx)
    {
        var p = ctx.Profession.Prompts;
        if (s.State != ConversationState.Booking)
        {
            return new Decision(s, []);
        }

        if (r.Reserved)
        {
            var booked = s with { State = ConversationState.AnythingElse, Outcome = CallOutcome.Booked, AppointmentId = r.AppointmentId, Misses = 0 };
            return new Decision(booked, [new Say(Fill(p.Booked, ctx, s.Draft)), new Say(Fill(p.AnythingElse, ctx)), Listen(ConversationState.AnythingElse, ctx)]);
        }

        // Lost the race for the slot: never a dead end, offer the nearest free times that day.
        var draft = s.Draft;
        var free = Availability.FreeStarts(ctx.Tenant, draft.Date!.Value, draft.Minutes!.Value, ctx.Busy, ctx.Now);
        var options = Availability.Nearest(free, draft.Time!.Value);
        var next = s with { Draft = draft with { Time = null }, State = ConversationState.CollectTime, Misses = 0 };
        if (options.Count == 0)
        {
            return Advance(next with { Draft = next.Draft with { Date = null } }, next.Draft with { Date = null }, ctx, changedState: true);
        }

        var say = Fill(p.SlotTaken, ctx, draft, new() { ["time"] = Spoken.Time(draft.Time.Value), ["options"] = Options(options) });
        return new Decision(next, [new Say(say), Listen(ConversationState.CollectTime, ctx)]);
    }

    private static Decision Reserve(CallSession s, TurnContext ctx)
    {
        var d = s.Draft;
        if (d.Service is null || d.Minutes is null || d.Date is null || d.Time is null || d.Name is null)
        {
            return Advance(s, d, ctx, changedState: true);
        }

        var booking = new BookingRequest(s.TenantId, s.CallId, d.Service, d.Minutes.Value, d.Date.Value, d.Time.Value,
            ctx.Tenant.AtLocal(d.Date.Value, d.Time.Value), d.Name, d.Phone);
        return new Decision(s with { State = ConversationState.Booking }, [new ReserveSlot(booking)]);
    }

    /// <summary>Folds what the caller said into the draft: a new date drops an earlier time unless a time came with it.</summary>
    private static BookingDraft Merge(BookingDraft d, Understood u, ConversationState state, TurnContext ctx)
    {
        if (u.Service is not null)
        {
            var service = ctx.Services.First(x => x.Name == u.Service);
            d = d with { Service = service.Name, Minutes = service.Minutes };
        }

        if (u.Date is { } date && date != d.Date)
        {
            d = d with { Date = date, Time = u.Time is null ? null : d.Time };
        }

        if (u.Time is { } time)
        {
            d = d with { Time = ResolveTime(time, d, ctx) };
        }

        if (u.Name is not null && (state == ConversationState.CollectName || u.Intent != Intent.None || u.HasBookingSlot))
        {
            d = d with { Name = u.Name };
        }

        if (u.Phone is not null && state == ConversationState.CollectCallback)
        {
            d = d with { Phone = u.Phone };
        }

        return d;
    }

    /// <summary>"3" means 3 pm when that is within business hours; am/pm given explicitly is kept.</summary>
    private static TimeOnly ResolveTime(SpokenTime time, BookingDraft d, TurnContext ctx)
    {
        if (time.ExactTime is { } exact)
        {
            return exact;
        }

        var candidates = time.Candidates().ToList();
        if (d.Date is { } date)
        {
            var minutes = d.Minutes ?? Availability.GranuleMinutes;
            var open = ctx.Tenant.HoursOn(date);
            var inHours = candidates.Where(c => open.Any(r => r.Contains(c, minutes))).ToList();
            if (inHours.Count > 0)
            {
                return inHours[0];
            }
        }

        return time.Hour is >= 7 and <= 11 ? candidates[0] : candidates[1];
    }

    /// <summary>Checks the draft against the calendar and asks for the first thing missing, or reads it back.</summary>
    private static Decision Advance(CallSession s, BookingDraft d, TurnContext ctx, bool changedState)
    {
        var p = ctx.Profession.Prompts;
        var say = new List<CallAction>();
        if (d.Date is { } date)
        {
            var minutes = d.Minutes ?? Availability.GranuleMinutes;
            var free = date < ctx.Today || date > ctx.Today.AddDays(Availability.HorizonDays)
                ? []
                : Availability.FreeStarts(ctx.Tenant, date, minutes, ctx.Busy, ctx.Now);
            if (free.Count == 0)
            {
                var days = Availability.NextOpenDays(ctx.Tenant, date < ctx.Today ? ctx.Today : date.AddDays(1), minutes, ctx.Busy, ctx.Now);
                var options = Spoken.List(days.Select(x => Spoken.Date(x, ctx.Today)));
                say.Add(new Say(Fill(p.DayUnavailable, ctx, d, new() { ["date"] = Spoken.Date(date, ctx.Today), ["options"] = options })));
                d = d with { Date = null, Time = null };
                var next = s with { Draft = d, State = ConversationState.CollectDate, Misses = 0 };
                return new Decision(next, [.. say, Listen(ConversationState.CollectDate, ctx)]);
            }

            if (d.Time is { } time && d.Minutes is not null && !free.Contains(time))
            {
                var options = Availability.Nearest(free, time);
                say.Add(new Say(Fill(p.SlotTaken, ctx, d, new() { ["time"] = Spoken.Time(time), ["options"] = Options(options) })));
                d = d with { Time = null };
                var next = s with { Draft = d, State = ConversationState.CollectTime, Misses = 0 };
                return new Decision(next, [.. say, Listen(ConversationState.CollectTime, ctx)]);
            }
        }

        var state = NextMissing(d);
        var session = s with { Draft = d, State = state, Misses = changedState && state != s.State ? 0 : s.Misses };
        return new Decision(session, [.. say, new Say(Question(state, d, ctx)), Listen(state, ctx)]);
    }

    private static ConversationState NextMissing(BookingDraft d) =>
        d.Service is null ? ConversationState.CollectService
        : d.Date is null ? ConversationState.CollectDate
        : d.Time is null ? ConversationState.CollectTime
        : d.Name is null ? ConversationState.CollectName
        : d.Phone is null ? ConversationState.CollectCallback
        : ConversationState.Confirm;

    private static Decision Miss(CallSession s, TurnContext ctx)
    {
        var p = ctx.Profession.Prompts;
        var misses = s.Misses + 1;
        if (misses >= GiveUpAfterMisses)
        {
            if (ctx.Tenant.TransferNumber is { } transfer && Availability.IsOpen(ctx.Tenant, ctx.Now))
            {
                return new Decision(s with { State = ConversationState.Ended, Outcome = CallOutcome.Transferred, Misses = misses },
                    [new Say(Fill(p.Transferring, ctx)), new TransferCall(transfer)]);
            }

            return Goodbye(s with { Misses = misses }, ctx);
        }

        var next = s with { Misses = misses };
        var lead = misses >= KeypadAfterMisses ? p.FallbackKeypad : p.Fallback;
        var example = misses >= KeypadAfterMisses ? null : SystemPhrases.ExampleFor(ExpectingIn(s.State));
        var actions = new List<CallAction> { new Say(Fill(lead, ctx)) };
        if (example is not null)
        {
            actions.Add(new Say(example));
        }

        actions.Add(new Say(Question(s.State, s.Draft, ctx)));
        actions.Add(Listen(s.State, ctx));
        return new Decision(next, actions);
    }

    private static Decision Goodbye(CallSession s, TurnContext ctx) =>
        new(Finish(s), [new Say(Fill(ctx.Profession.Prompts.Goodbye, ctx)), new Hangup()]);

    private static CallSession Finish(CallSession s) => s with
    {
        State = ConversationState.Ended,
        Outcome = s.Outcome == CallOutcome.InProgress
            ? (s.Misses >= GiveUpAfterMisses || s.Silences >= GiveUpAfterSilences || s.State != ConversationState.AnythingElse && s.State != ConversationState.Greeting ? CallOutcome.Abandoned : CallOutcome.Completed)
            : s.Outcome,
    };

    /// <summary>The question a state asks (also repeated after a miss or a silence).</summary>
    public static string Question(ConversationState state, BookingDraft d, TurnContext ctx)
    {
        var p = ctx.Profession.Prompts;
        return state switch
        {
            ConversationState.CollectService => Fill(p.AskService, ctx, d),
            ConversationState.CollectDate => Fill(p.AskDate, ctx, d),
            ConversationState.CollectTime => Fill(p.AskTime, ctx, d, new()
            {
                ["options"] = Options(Availability.Spread(Availability.FreeStarts(ctx.Tenant, d.Date!.Value, d.Minutes ?? Availability.GranuleMinutes, ctx.Busy, ctx.Now))),
            }),
            ConversationState.CollectName => Fill(p.AskName, ctx, d),
            ConversationState.CollectCallback => Fill(p.AskCallback, ctx, d),
            ConversationState.Confirm => Fill(p.Confirm, ctx, d),
            ConversationState.AnythingElse => Fill(p.AnythingElse, ctx, d),
            _ => SystemPhrases.HowCanIHelp,
        };
    }

    private static Listen Listen(ConversationState state, TurnContext ctx)
    {
        var expecting = ExpectingIn(state);
        IReadOnlyList<string> hints = expecting is Expecting.Service or Expecting.Anything
            ? ctx.Services.Select(x => x.Name.ToLowerInvariant()).ToList()
            : expecting == Expecting.YesNo ? ["yes", "no"] : [];
        return new Listen(expecting, hints);
    }

    private static string Options(IEnumerable<TimeOnly> times) => Spoken.List(times.Select(Spoken.Time));

    private static string Fill(string template, TurnContext ctx, BookingDraft? d = null, Dictionary<string, string>? extra = null)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["business"] = ctx.Tenant.Name,
            ["services"] = Spoken.List(ctx.Services.Select(x => x.Name.ToLowerInvariant())),
        };
        if (d is not null)
        {
            values["service"] = d.Service?.ToLowerInvariant() ?? "appointment";
            values["date"] = d.Date is { } date ? Spoken.Date(date, ctx.Today) : string.Empty;
            values["time"] = d.Time is { } time ? Spoken.Time(time) : string.Empty;
            values["name"] = d.Name ?? string.Empty;
            values["phone"] = d.Phone is { } phone ? PhoneNumber.SpeakDigits(phone) : string.Empty;
        }

        foreach (var (k, v) in extra ?? [])
        {
            values[k] = v;
        }

        return Spoken.Fill(template, values);
    }
}
