using Receptionist.Core.Phone;
using Receptionist.Core.Understanding;

namespace Receptionist.Core.Conversation;

/// <summary>Reschedule and cancel: find the caller's upcoming appointments (by caller ID, then by name), let them
/// choose one, then cancel it or collect a new slot (reserved before the old one is released). An appointment found by
/// name whose number on file is not the caller ID is neither read out nor changed until the caller says that number's
/// last four digits (<see cref="ConversationState.VerifyNumber"/>).</summary>
public static partial class ConversationEngine
{
    /// <summary>Lookups per call (caller ID, then a name, then one more name) before offering a message instead.</summary>
    public const int MaxLookups = 3;

    /// <summary>Lookups by a name the caller gives, per call.</summary>
    public const int MaxNameLookups = 2;

    /// <summary>Wrong answers to "the last four digits of the number on the booking" per call before a message is offered.</summary>
    public const int MaxVerifyTries = 2;

    private static Decision StartChange(CallSession s, CallTask task, TurnContext ctx, Understood? u = null)
    {
        var next = s with
        {
            Task = task, Target = null, Found = [], Pending = [], Draft = BookingDraft.Empty with { Name = u?.Name }, Misses = 0, Asked = Asked(u, task),
        };
        if (s.Target is { } current && s.Task is CallTask.Reschedule or CallTask.Cancel)
        {
            return OnChosen(next, current, ctx); // switching between moving and cancelling the same appointment
        }

        return s.CallerNumber is { } phone && s.Lookups == 0 ? Lookup(next, phone, null)
            : !CanLookUpName(s) ? CannotVerify(next, ctx)
            : u?.Name is { } name ? Lookup(next, null, name)
            : Ask(next, ConversationState.FindAppointment, ctx);
    }

    /// <summary>Whether another lookup by name is allowed this call.</summary>
    private static bool CanLookUpName(CallSession s) => s.Lookups < MaxLookups && s.NameLookups < MaxNameLookups;

    /// <summary>What the request itself says about the appointment ("cancel my cleaning on Friday") and, for a move,
    /// where to ("… to Sunday at 1"); null when it says nothing.</summary>
    private static ChangeRequest? Asked(Understood? u, CallTask task)
    {
        if (u is null)
        {
            return null;
        }

        var asked = task == CallTask.Reschedule && u.Move is { } move
            ? new ChangeRequest(u.Service, move.Date, move.Time, move.NewDate, move.NewTime, move.NewPreference) { KeepsTime = u.KeepsTime }
            : new ChangeRequest(u.Service, u.Date, u.Time);
        return asked.IsEmpty ? null : asked;
    }

    private static Decision Lookup(CallSession s, string? phone, string? name) =>
        new(s with { State = ConversationState.FindAppointment, Lookups = s.Lookups + 1, NameLookups = s.NameLookups + (phone is null ? 1 : 0), Pending = [] },
            [new FindAppointments(phone, name)]);

    /// <summary>What the caller said that tells which appointment they mean; null when nothing did. For a move, the
    /// day and time said are the new ones, so only the service picks the appointment.</summary>
    private static ChangeRequest? Narrow(ChangeRequest? asked, Understood u, CallTask task)
    {
        var next = (asked ?? new ChangeRequest()) with
        {
            Service = u.Service ?? asked?.Service,
            Date = u.Date ?? asked?.Date,
            Time = u.Time ?? asked?.Time,
        };
        _ = task;
        return next.IsEmpty ? null : next;
    }

    /// <summary>The found appointments that fit what the caller said, or all of them when none (or all) fit.</summary>
    private static IReadOnlyList<AppointmentRef> Fitting(IReadOnlyList<AppointmentRef> found, ChangeRequest? asked, CallTask task) =>
        FittingOrNull(found, asked, task) ?? found;

    /// <summary>The found appointments that fit what the caller said; null when none do.</summary>
    private static IReadOnlyList<AppointmentRef>? FittingOrNull(IReadOnlyList<AppointmentRef> found, ChangeRequest? asked, CallTask task)
    {
        if (asked is null)
        {
            return found;
        }

        _ = task;
        var fitting = found.Where(a =>
                (asked.Service is null || string.Equals(a.Service, asked.Service, StringComparison.OrdinalIgnoreCase))
                && (asked.Date is null || a.Date == asked.Date)
                && (asked.Time is null || asked.Time.Value.Candidates().Contains(a.Time)))
            .ToList();
        return fitting.Count > 0 ? fitting : null;
    }

    private static Decision OnFound(CallSession s, IReadOnlyList<AppointmentRef> all, TurnContext ctx)
    {
        if (s.State != ConversationState.FindAppointment)
        {
            return new Decision(s, []);
        }

        return all.All(a => OnFile(s, a)) ? Disclose(s, all, ctx) : VerifyFirst(s, all, ctx);
    }

    /// <summary>Whether the caller has shown they are this appointment's caller: it was booked with the caller ID, or
    /// with a number whose last four digits they said this call.</summary>
    private static bool OnFile(CallSession s, AppointmentRef a) =>
        a.Phone is { } phone && (phone == s.CallerNumber || s.VerifiedPhones.Contains(phone));

    /// <summary>Found by name, not on the caller ID: nothing is said about them until the caller proves the number on
    /// file. Without a number on file (or with the tries used up) only those already on file go on.</summary>
    private static Decision VerifyFirst(CallSession s, IReadOnlyList<AppointmentRef> all, TurnContext ctx)
    {
        var onFile = all.Where(a => OnFile(s, a)).ToList();
        if (s.VerifyTries >= MaxVerifyTries || !all.Any(a => !OnFile(s, a) && a.Phone is not null))
        {
            return onFile.Count > 0 ? Disclose(s, onFile, ctx) : CannotVerify(s, ctx);
        }

        var held = s with { Pending = all, Found = [], Target = null, Draft = BookingDraft.Empty with { Name = s.Draft.Name }, Misses = 0 };
        return Ask(held, ConversationState.VerifyNumber, ctx);
    }

    /// <summary>The caller's answer to "the last four digits of the number on the booking".</summary>
    private static Decision OnDigits(CallSession s, string lastFour, TurnContext ctx)
    {
        var proven = s.Pending.Where(a => !OnFile(s, a) && a.Phone is { } phone && LastFour(phone) == lastFour).ToList();
        if (proven.Count > 0)
        {
            var verified = s with
            {
                VerifiedPhones = [.. s.VerifiedPhones, .. proven.Select(a => a.Phone!).Distinct(StringComparer.Ordinal)],
                State = ConversationState.FindAppointment,
                Misses = 0,
            };
            var found = s.Pending.Where(a => OnFile(verified, a)).ToList();
            return Disclose(verified with { Pending = [] }, found, ctx);
        }

        var tried = s with { VerifyTries = s.VerifyTries + 1 };
        return tried.VerifyTries >= MaxVerifyTries
            ? CannotVerify(tried, ctx)
            : Ask(tried, ConversationState.VerifyNumber, ctx, Fill(ctx.Prompts.DigitsDontMatch, ctx));
    }

    /// <summary>The last four digits the caller gave: four digits, or a whole phone number's last four.</summary>
    private static string? LastFourSaid(Understood u) =>
        u.Digits is { Length: 4 } four ? four : u.Phone is { } phone ? LastFour(phone) : null;

    /// <summary>The last four digits keyed: four keys, or a whole phone number's last four.</summary>
    private static string? LastFourKeyed(string keys) =>
        keys.Length == 4 && keys.All(char.IsAsciiDigit) ? keys
        : keys.Length >= 10 && PhoneNumber.TryNormalize(keys, out var e164) ? LastFour(e164)
        : null;

    private static string LastFour(string phone)
    {
        var digits = new string(phone.Where(char.IsAsciiDigit).ToArray());
        return digits.Length >= 4 ? digits[^4..] : digits;
    }

    /// <summary>The number on file could not be proven (or there is none, or no more lookups are allowed): nothing is
    /// read out or changed; a message for the business is offered instead.</summary>
    private static Decision CannotVerify(CallSession s, TurnContext ctx) =>
        new(s with { State = ConversationState.OfferMessage, Task = CallTask.None, Pending = [], Found = [], Target = null, Asked = null, Misses = 0 },
            [new Say(Fill(ctx.Prompts.VerifyFailed, ctx)), Listen(ConversationState.OfferMessage, ctx)]);

    /// <summary>Goes on with appointments the caller may hear about: picks the one meant, or asks which.</summary>
    private static Decision Disclose(CallSession s, IReadOnlyList<AppointmentRef> all, TurnContext ctx)
    {
        if (s.Task == CallTask.Reschedule && s.Asked is { HasNewSlot: false } said && (said.Date is not null || said.Time is not null)
            && FittingOrNull(all, said, s.Task) is null)
        {
            // "Reschedule my cleaning, can we do Friday at 2": no appointment then, so that is where it should go.
            s = s with { Asked = said with { Date = null, Time = null, NewDate = said.Date, NewTime = said.Time } };
        }

        var found = Fitting(all, s.Asked, s.Task);
        if (all.Count > 0 && s.Asked?.Date is { } askedDate && FittingOrNull(all, s.Asked, s.Task) is null)
        {
            // "The one on Friday" when there is none on Friday: say so, then go on with what there is.
            var rest = Disclose(s with { Asked = null }, all, ctx);
            return rest with { Actions = [new Say(Fill(ctx.Prompts.NoneOn, ctx, null, new() { ["date"] = Spoken.Date(askedDate, ctx.Today) })), .. rest.Actions] };
        }

        switch (found.Count)
        {
            case 0 when s.Lookups == 1 && s.CallerNumber is not null && s.Draft.Name is { } given && CanLookUpName(s):
                // Nothing under the caller ID, but the caller said their name: look that up before asking.
                return Lookup(s, null, given);
            case 0 when CanLookUpName(s) && (s.Draft.Name is null || s.Lookups == 1):
                // Nothing under the caller ID (or withheld): ask for the name it is under.
                return Ask(s with { Draft = s.Draft with { Name = null } }, ConversationState.FindAppointment, ctx);
            case 0:
                var noneFor = Fill(ctx.Prompts.NoAppointment, ctx, s);
                return new Decision(s with { State = ConversationState.OfferMessage, Task = CallTask.None, Misses = 0 },
                    [new Say(noneFor), Listen(ConversationState.OfferMessage, ctx)]);
            case 1:
                return OnChosen(s, found[0], ctx);
            default:
                var choose = s with { Found = found.Take(5).ToList(), State = ConversationState.ChooseAppointment, Misses = 0 };
                return new Decision(choose, [new Say(Question(choose, ctx)), Listen(ConversationState.ChooseAppointment, ctx)]);
        }
    }

    /// <summary>Which of the found appointments the caller means: "the second one", "the one on Tuesday", "the cleaning".</summary>
    private static AppointmentRef? Chosen(CallSession s, Understood u)
    {
        if (u.ChoiceIndex(s.Found.Count) is { } i)
        {
            return s.Found[i];
        }

        var matches = s.Found.Where(a =>
                (u.Date is null || a.Date == u.Date)
                && (u.Time is null || u.Time.Value.Candidates().Contains(a.Time))
                && (u.Service is null || string.Equals(a.Service, u.Service, StringComparison.OrdinalIgnoreCase)))
            .ToList();
        return (u.Date is not null || u.Time is not null || u.Service is not null) && matches.Count == 1 ? matches[0] : null;
    }

    private static Decision OnChosen(CallSession s, AppointmentRef chosen, TurnContext ctx)
    {
        var next = s with { Target = chosen, Found = [], Misses = 0 };
        if (s.Task == CallTask.Cancel)
        {
            return Ask(next, ConversationState.ConfirmCancel, ctx);
        }

        var service = ctx.Services.FirstOrDefault(x => string.Equals(x.Name, chosen.Service, StringComparison.OrdinalIgnoreCase));
        var draft = BookingDraft.Empty with { Service = chosen.Service, Minutes = service?.Minutes ?? chosen.Minutes, Name = chosen.Name };
        if (s.Asked is { HasNewSlot: true } asked)
        {
            // "Move my haircut to Friday at 11": the new day and time are already said.
            var moving = next with { Draft = draft, Asked = null, State = ConversationState.CollectDate };
            // "Move my Wednesday cleaning to 2": a new time alone keeps the appointment's day.
            var newDate = asked.NewDate ?? (asked.NewTime is not null ? chosen.Date : null);
            var said = new Understood(Intent.Reschedule, Date: newDate, Time: asked.NewTime, Preference: asked.NewPreference, KeepsTime: asked.KeepsTime && asked.NewTime is null);
            return Advance(moving, Merge(moving, draft, said, ctx), ctx);
        }

        return Ask(next with { Draft = draft }, ConversationState.CollectDate, ctx);
    }

    private static Decision OnCancelled(CallSession s, CancelResult result, TurnContext ctx)
    {
        if (s.State != ConversationState.Booking || s.Target is null)
        {
            return new Decision(s, []);
        }

        return result.Cancelled
            ? AnythingElse(s with { Outcome = CallOutcome.Cancelled }, ctx, Fill(ctx.Prompts.Cancelled, ctx, s))
            : AnythingElse(s, ctx, Fill(ctx.Prompts.AlreadyGone, ctx));
    }
}
