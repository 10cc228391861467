using Receptionist.Core.Professions;
using Receptionist.Core.Scheduling;
using Receptionist.Core.Understanding;
using Receptionist.Core.Understanding.Classifiers;

namespace Receptionist.Core.Conversation;

/// <summary>Booking: collect service, date, time, name and a callback number in any order, check each against the
/// calendar as it arrives, read back, and reserve only after a yes. Also collects the new slot of a reschedule.</summary>
public static partial class ConversationEngine
{
    private static Decision StartBooking(CallSession s, Understood u, TurnContext ctx)
    {
        var fresh = s with
        {
            Task = CallTask.Book,
            Draft = BookingDraft.Empty with { Name = s.Draft.Name ?? s.Message.Name },
            Target = null,
            Found = [],
            Asked = null,
        };
        var draft = Merge(fresh, fresh.Draft, u, ctx);
        if (draft.Service is null && ctx.Services.FirstOrDefault(o => o.Name == s.ServiceAskedAbout) is { } asked)
        {
            draft = draft with { Service = asked.Name, Minutes = asked.Minutes }; // "how much are headshots?" … "can I do Wednesday?"
        }

        if (draft.Service is null && ctx.Services.Count == 1)
        {
            draft = draft with { Service = ctx.Services[0].Name, Minutes = ctx.Services[0].Minutes };
        }

        return Advance(fresh, draft, ctx);
    }

    /// <summary>Slots, a preference or a booking intent: start a booking, or fold them into the one under way.</summary>
    private static Decision OnBookingInput(CallSession s, Understood u, TurnContext ctx)
    {
        var collecting = s.Task is CallTask.Book or CallTask.Reschedule
            && s.State is ConversationState.CollectService or ConversationState.CollectDate or ConversationState.CollectTime
                or ConversationState.CollectName or ConversationState.CollectCallback or ConversationState.ConfirmCallback or ConversationState.Confirm;
        if (!collecting)
        {
            if (s.Task == CallTask.Reschedule && s.Target is not null)
            {
                return Advance(s, Merge(s, s.Draft, u, ctx), ctx);
            }

            return StartBooking(s, u, ctx);
        }

        return Advance(s, Merge(s, s.Draft, u, ctx), ctx);
    }

    /// <summary>Folds what the caller said into the draft: a new date drops an earlier time unless a time came with it.</summary>
    private static BookingDraft Merge(CallSession s, BookingDraft d, Understood u, TurnContext ctx)
    {
        if (u.Service is not null && s.Task != CallTask.Reschedule && ctx.Services.FirstOrDefault(x => x.Name == u.Service) is { } service)
        {
            d = d with { Service = service.Name, Minutes = service.Minutes };
        }

        if (u.Date is { } date && date != d.Date)
        {
            // "No, Wednesday" at the read-back keeps the time (checked against the new day), and so does a first day
            // after a time ("at 3 pm" … "Friday"); otherwise a new day asks for the time again.
            d = d with { Date = date, Time = s.State == ConversationState.Confirm || d.Date is null ? d.Time : null, Offered = null };
        }

        if (u.Preference != TimePreference.None)
        {
            d = d with { Preference = u.Preference, Time = u.Time is null ? null : d.Time, Offered = null };
        }

        if (u.Time is null && u.KeepsTime && s.Task == CallTask.Reschedule && s.Target is { } moving)
        {
            d = d with { Time = moving.Time }; // "Thursday? Same time if you have it."
        }

        if (u.Time is { } time)
        {
            // "9:30" after "9 pm, 9:15 pm or 9:30 pm" is the 9:30 offered; otherwise the reading inside business hours.
            var hours = d.Date is { } day ? ctx.Tenant.HoursOn(day) : TimeClassifier.DefaultHours;
            var offered = u.Date is null ? d.Offered?.Where(o => time.Candidates().Contains(o)).Select(o => (TimeOnly?)o).FirstOrDefault() : null;
            d = d with { Time = offered ?? TimeClassifier.ChooseReading(time, hours, d.Minutes ?? Availability.GranuleMinutes) };
        }
        else if (s.State == ConversationState.CollectTime && d.Offered is { } offered && u.ChoiceIndex(offered.Count) is { } i)
        {
            d = d with { Time = offered[i] };
        }

        if (u.Name is not null && (s.State == ConversationState.CollectName || u.Intent != Intent.None || u.HasBookingSlot || u.Corrects))
        {
            d = d with { Name = u.SurnameOnly ? WithSurname(d.Name, u.Name) : CorrectName(d.Name, u.Name, u.Corrects && !u.WholeName && s.State != ConversationState.CollectName) };
        }

        return d.Name is null && s.CallerName is { } introduced ? d with { Name = introduced } : d;
    }

    /// <summary>"The last name is Patel": the surname of the name so far replaced (or added to a first name alone).</summary>
    private static string WithSurname(string? current, string surname) =>
        current?.Split(' ', StringSplitOptions.RemoveEmptyEntries) switch
        {
            null or [] => surname,
            [var first] => first + " " + surname,
            var words => string.Join(' ', words[..^1]) + " " + surname,
        };

    /// <summary>A one-word correction ("it's Lee, L-E-E" after "Sam Li", "it's Nguyen" after "Tom Win") replaces the
    /// surname, unless it starts like the first name and not the surname ("it's John" after "Jon Park").</summary>
    private static string CorrectName(string? current, string said, bool correcting)
    {
        if (!correcting || current is null || said.Contains(' ', StringComparison.Ordinal))
        {
            return said;
        }

        var words = current.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length < 2)
        {
            return said;
        }

        var first = char.ToUpperInvariant(said[0]);
        return char.ToUpperInvariant(words[0][0]) == first && char.ToUpperInvariant(words[^1][0]) != first
            ? said + " " + string.Join(' ', words[1..])
            : string.Join(' ', words[..^1]) + " " + said;
    }

    /// <summary>Forgets one part of the draft and asks for it again.</summary>
    private static Decision ChangeSlot(CallSession s, BookingSlot slot, TurnContext ctx)
    {
        if (slot == BookingSlot.Service && s.Task == CallTask.Reschedule)
        {
            return Miss(s, ctx); // a move keeps its service; anything else is a new booking
        }

        var d = s.Draft;
        var next = s with { Misses = 0 };
        switch (slot)
        {
            case BookingSlot.Time:
                d = d with { Time = null, Offered = null };
                break;
            case BookingSlot.Date:
                d = d with { Date = null, Time = null, Offered = null };
                break;
            case BookingSlot.Name:
                d = d with { Name = null };
                break;
            case BookingSlot.Callback:
                next = next with { Callback = null, CallbackConfirmed = false };
                break;
            case BookingSlot.Service:
                d = d with { Service = null, Minutes = null, Time = null, Offered = null };
                break;
        }

        return Advance(next with { State = ConversationState.CollectService }, d, ctx);
    }

    /// <summary>Checks the draft against the calendar and asks for the first thing missing, or reads it back.</summary>
    private static Decision Advance(CallSession s, BookingDraft d, TurnContext ctx)
    {
        var p = ctx.Prompts;
        if (d.Date is null && d.Preference == TimePreference.Earliest && d.Minutes is { } length)
        {
            // "The earliest you've got", no day said: the first day with a free time.
            var first = Enumerable.Range(0, Availability.HorizonDays + 1).Select(ctx.Today.AddDays)
                .FirstOrDefault(day => FreeStarts(s, day, length, ctx).Count > 0);
            d = first == default ? d : d with { Date = first };
        }

        if (d.Date is { } date)
        {
            var minutes = d.Minutes ?? Availability.GranuleMinutes;
            var free = FreeStarts(s, date, minutes, ctx);
            if (free.Count == 0)
            {
                var days = Availability.NearestOpenDays(ctx.Tenant, date, minutes, BusyFor(s, ctx), ctx.Now);
                var options = PromptText.List(days.Select(x => Spoken.Date(x, ctx.Today)));
                var closed = ctx.Tenant.HoursOn(date).Count == 0;
                var say = days.Count == 0 || date > ctx.Today.AddDays(Availability.HorizonDays)
                    ? Fill(p.BeyondHorizon, ctx, s, new() { ["days"] = $"{Availability.HorizonDays}", ["lastDate"] = Spoken.Date(ctx.Today.AddDays(Availability.HorizonDays), ctx.Today) })
                    : Fill(closed ? p.DayClosed : p.DayUnavailable, ctx, s, new() { ["date"] = Spoken.Date(date, ctx.Today), ["options"] = options });
                var next = s with { Draft = d with { Date = null, Time = null, Offered = null }, State = ConversationState.CollectDate, Misses = 0 };
                return new Decision(next, [new Say(say), Listen(ConversationState.CollectDate, ctx)]);
            }

            if (d.Time is null && d.Preference == TimePreference.Earliest)
            {
                d = d with { Time = free[0] };
            }

            if (d.Time is { } time && d.Minutes is not null && !free.Contains(time))
            {
                var options = Availability.Nearest(free, time);
                // Free at that time but too long to finish before closing or a break: say so, not "taken".
                var tooLong = d.Minutes > Availability.GranuleMinutes && FreeStarts(s, date, Availability.GranuleMinutes, ctx).Contains(time);
                var say = tooLong && options.Count > 0 && d.Service is not null
                    ? Fill(p.WontFit, ctx, s, new() { ["service"] = PromptText.Service(d.Service), ["duration"] = Spoken.Duration(d.Minutes.Value), ["time"] = Spoken.Time(time), ["options"] = Options(options) })
                    : Fill(p.SlotTaken, ctx, s, new() { ["time"] = Spoken.Time(time), ["options"] = Options(options) });
                var next = s with { Draft = d with { Time = null, Offered = options }, State = ConversationState.CollectTime, Misses = 0 };
                return new Decision(next, [new Say(say), Listen(ConversationState.CollectTime, ctx)]);
            }
        }

        var state = NextMissing(s, d);
        if (state == ConversationState.CollectTime)
        {
            d = d with { Offered = TimeOptions(s, d, ctx) };
        }

        var session = s with { Draft = d, State = state, Misses = state != s.State ? 0 : s.Misses };
        if (state == ConversationState.CollectService && d.Date is { } day && d.Time is null && s.State != ConversationState.CollectService)
        {
            // "What do you have Thursday?" before saying what for: times that suit every service, then which service.
            var longest = ctx.Services.Max(x => x.Minutes);
            var open = Availability.Spread(FreeStarts(s, day, longest, ctx).Where(t => Fits(t, d.Preference)).ToList());
            if (open.Count > 0)
            {
                return new Decision(session,
                    [new Say(Fill(p.OpeningsOn, ctx, session, new() { ["date"] = Spoken.Date(day, ctx.Today), ["options"] = Options(open) })), new Say(Question(session, ctx)), Listen(state, ctx)]);
            }
        }

        return new Decision(session, [new Say(Question(session, ctx)), Listen(state, ctx)]);
    }

    private static ConversationState NextMissing(CallSession s, BookingDraft d) =>
        d.Service is null ? ConversationState.CollectService
        : d.Date is null ? ConversationState.CollectDate
        : d.Time is null ? ConversationState.CollectTime
        : d.Name is null ? ConversationState.CollectName
        : s.Callback is null ? ConversationState.CollectCallback
        : !s.CallbackConfirmed ? ConversationState.ConfirmCallback
        : ConversationState.Confirm;

    /// <summary>Up to three free times on the draft's date, within the caller's preferred part of the day if any.</summary>
    private static IReadOnlyList<TimeOnly> TimeOptions(CallSession s, BookingDraft d, TurnContext ctx)
    {
        if (d.Date is not { } date)
        {
            return [];
        }

        var free = FreeStarts(s, date, d.Minutes ?? Availability.GranuleMinutes, ctx);
        var preferred = free.Where(t => Fits(t, d.Preference)).ToList();
        return Availability.Spread(preferred.Count > 0 ? preferred : free);
    }

    private static bool Fits(TimeOnly t, TimePreference preference) => preference switch
    {
        TimePreference.Morning or TimePreference.Earliest => t.Hour < 12,
        TimePreference.Afternoon => t.Hour is >= 12 and < 17,
        TimePreference.AfterLunch => t.Hour is >= 13 and < 17,
        TimePreference.Evening => t.Hour >= 17,
        _ => true,
    };

    private static IReadOnlyList<TimeOnly> FreeStarts(CallSession s, DateOnly date, int minutes, TurnContext ctx) =>
        date < ctx.Today || date > ctx.Today.AddDays(Availability.HorizonDays)
            ? []
            : Availability.FreeStarts(ctx.Tenant, date, minutes, BusyFor(s, ctx), ctx.Now);

    /// <summary>The calendar as this caller sees it: an appointment being moved does not block its own new time.</summary>
    private static IEnumerable<BusyInterval> BusyFor(CallSession s, TurnContext ctx)
    {
        if (!ctx.CalendarLoaded)
        {
            throw new CalendarNeededException();
        }

        if (s.Target is not { } target || s.Task != CallTask.Reschedule)
        {
            return ctx.Busy;
        }

        return Availability.WithoutOwn(ctx.Busy, target.Date, target.Time, target.Minutes);
    }

    private static Decision Declined(CallSession s, TurnContext ctx)
    {
        if (s.Misses > 0)
        {
            // A second "no" with nothing to change: drop the booking (or leave the appointment as it was), never a loop.
            var said = Fill(s.Task == CallTask.Reschedule ? ctx.Prompts.LeftAsIs : ctx.Prompts.NothingBooked, ctx);
            return AnythingElse(s with { Draft = BookingDraft.Empty with { Name = s.Draft.Name }, Task = CallTask.None }, ctx, said);
        }

        return new Decision(s with { Misses = 1 }, [new Say(Fill(ctx.Prompts.Declined, ctx, s)), Listen(ConversationState.Confirm, ctx)]);
    }

    private static Decision Reserve(CallSession s, TurnContext ctx)
    {
        var d = s.Draft;
        if (d.Service is null || d.Minutes is null || d.Date is null || d.Time is null || d.Name is null || s.Callback is null)
        {
            return Advance(s, d, ctx);
        }

        var booking = new BookingRequest(s.TenantId, s.CallId, d.Service, d.Minutes.Value, d.Date.Value, d.Time.Value,
            ctx.Tenant.AtLocal(d.Date.Value, d.Time.Value), d.Name, s.Callback);
        CallAction action = s.Task == CallTask.Reschedule && s.Target is { } target ? new MoveAppointment(target, booking) : new ReserveSlot(booking);
        return new Decision(s with { State = ConversationState.Booking }, [action]);
    }

    private static Decision OnReservation(CallSession s, ReservationResult r, TurnContext ctx)
    {
        var p = ctx.Prompts;
        if (s.State != ConversationState.Booking)
        {
            return new Decision(s, []);
        }

        if (r.Reserved)
        {
            var moved = s.Task == CallTask.Reschedule;
            var done = Fill(moved ? p.Rescheduled : p.Booked, ctx, s);
            var next = s with
            {
                Outcome = moved ? CallOutcome.Rescheduled : CallOutcome.Booked,
                AppointmentId = r.AppointmentId,
                Draft = BookingDraft.Empty with { Name = s.Draft.Name },
            };
            return AnythingElse(next, ctx, done);
        }

        // Lost the race for the slot: never a dead end, offer the nearest free times that day.
        var draft = s.Draft;
        var free = FreeStarts(s, draft.Date!.Value, draft.Minutes!.Value, ctx);
        var options = Availability.Nearest(free, draft.Time!.Value);
        if (options.Count == 0)
        {
            return Advance(s with { State = ConversationState.CollectDate }, draft with { Time = null }, ctx);
        }

        var say = Fill(p.SlotLost, ctx, s, new() { ["time"] = Spoken.Time(draft.Time.Value), ["options"] = Options(options) });
        var retry = s with { Draft = draft with { Time = null, Offered = options }, State = ConversationState.CollectTime, Misses = 0 };
        return new Decision(retry, [new Say(say), Listen(ConversationState.CollectTime, ctx)]);
    }
}
