using System.Text.Json;
using System.Text.Json.Nodes;
using Receptionist.Core.Conversation;
using Receptionist.Core.Professions;
using Receptionist.Core.Tests.Professions;
using Receptionist.Core.Scheduling;
using Receptionist.Core.Tenants;
using Receptionist.Core.Tests.Tenants;
using Receptionist.Core.Understanding;

namespace Receptionist.Core.Tests.Conversation;

/// <summary>
/// A business, a profession with short prompts that show their placeholders, and a fixed instant, so a test can see
/// which prompt was said and what was filled in. Monday 23 November 2026 in New York; weekday names resolve to the
/// first such day strictly after today ("Friday" = 27 November), "next Tuesday" to the one in next week (1 December).
/// </summary>
internal static class EngineFixture
{
    public const string CallerId = "+15557654321";
    public const string Dialled = "+15550100001";
    public const string TransferNumber = "+15550109999";

    /// <summary>Monday 23 November 2026, 10:00 in New York: open.</summary>
    public static readonly DateTimeOffset OpenNow = DateTimeOffset.Parse("2026-11-23T10:00:00-05:00", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Thursday 26 November 2026, 10:00 in New York: a weekday inside the usual hours, but Thanksgiving is closed.</summary>
    public static readonly DateTimeOffset ThanksgivingMorning = DateTimeOffset.Parse("2026-11-26T10:00:00-05:00", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Monday 23 November 2026, 06:00 in New York: before opening.</summary>
    public static readonly DateTimeOffset ClosedNow = DateTimeOffset.Parse("2026-11-23T06:00:00-05:00", System.Globalization.CultureInfo.InvariantCulture);

    public static readonly DateOnly Today = new(2026, 11, 23);
    public static readonly DateOnly Tuesday = new(2026, 11, 24);
    public static readonly DateOnly Wednesday = new(2026, 11, 25);
    public static readonly DateOnly Thanksgiving = new(2026, 11, 26);
    public static readonly DateOnly Friday = new(2026, 11, 27);
    public static readonly DateOnly Saturday = new(2026, 11, 28);
    public static readonly DateOnly NextMonday = new(2026, 11, 30);
    public static readonly DateOnly NextTuesday = new(2026, 12, 1);
    public static readonly DateOnly NextThursday = new(2026, 12, 3);

    /// <summary>Each prompt says its own name and its placeholders, separated by " | ".</summary>
    public static readonly IReadOnlyDictionary<string, string> Prompts = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["greeting"] = "greeting {business}",
        ["afterHours"] = "afterHours {business}",
        ["askService"] = "askService {services}",
        ["askDate"] = "askDate {service}",
        ["askTime"] = "askTime {date}: {options}",
        ["askName"] = "askName",
        ["askCallback"] = "askCallback",
        ["confirm"] = "confirm {service} | {date} | {time} | {name}",
        ["booked"] = "booked {service} | {date} | {time}",
        ["declined"] = "declined",
        ["slotTaken"] = "slotTaken {time}: {options}",
        ["dayUnavailable"] = "dayUnavailable {date}: {options}",
        ["dayClosed"] = "dayClosed {date}: {options}",
        ["fallback"] = "fallback",
        ["fallbackKeypad"] = "fallbackKeypad",
        ["noInput"] = "noInput",
        ["goodbye"] = "goodbye",
        ["anythingElse"] = "anythingElse",
        ["askMessage"] = "askMessage",
        ["messageTaken"] = "messageTaken",
        ["transferring"] = "transferring",
        ["faqUnknown"] = "faqUnknown",
        ["confirmCallback"] = "confirmCallback {phone}",
        ["slotLost"] = "slotLost {time}: {options}",
        ["askMessageName"] = "askMessageName",
        ["confirmMessage"] = "confirmMessage {name} | {phone} | {message}",
        ["urgentMessage"] = "urgentMessage",
        ["transferFailed"] = "transferFailed",
        ["findAppointment"] = "findAppointment",
        ["whichAppointment"] = "whichAppointment {options}",
        ["noAppointment"] = "noAppointment {name}",
        ["confirmCancel"] = "confirmCancel {service} | {date} | {time}",
        ["cancelled"] = "cancelled {service} | {date} | {time}",
        ["askRescheduleDate"] = "askRescheduleDate {service} | {oldDate} | {oldTime}",
        ["confirmReschedule"] = "confirmReschedule {service} | {oldDate} | {oldTime} -> {date} | {time}",
        ["rescheduled"] = "rescheduled {service} | {date} | {time}",
        ["verifyNumber"] = "verifyNumber {service} | {date} | {time}",
        ["verifyFailed"] = "verifyFailed",
        ["whichOffered"] = "whichOffered",
    };

    /// <summary>Mon, Wed-Fri 9-5, Tuesday a split shift (9-12, 1-5), weekends closed, Thanksgiving closed.</summary>
    public static Tenant Business(Action<JsonObject>? edit = null) => TenantJson.Tenant(t =>
    {
        t["hours"] = JsonNode.Parse("""
            { "mon": ["09:00-17:00"], "tue": ["09:00-12:00", "13:00-17:00"], "wed": ["09:00-17:00"], "thu": ["09:00-17:00"],
              "fri": ["09:00-17:00"], "sat": [], "sun": [] }
            """);
        t["closedDates"] = new JsonArray("2026-11-26");
        t.Remove("services");
        t["facts"] = new JsonObject
        {
            ["address"] = "12 Main St", ["parking"] = "Free lot behind the building", ["paymentMethods"] = "We take cash and all major cards",
        };
        edit?.Invoke(t);
    });

    public static Profession Dentist(string policy = "transfer") => TestProfession.Dentist(
        Prompts,
        ["knocked out tooth", "severe pain"],
        policy,
        services: JsonNode.Parse("""
            [ { "name": "Cleaning", "minutes": 60, "priceMin": 90, "priceMax": 150, "synonyms": ["teeth cleaning", "hygiene", "clean"] },
              { "name": "Checkup", "minutes": 30, "priceMin": 60, "priceMax": 60, "synonyms": ["check up", "exam", "examination"] },
              { "name": "Whitening", "minutes": 90, "priceMin": 250, "priceMax": 450, "synonyms": ["teeth whitening", "bleaching"] } ]
            """),
        faq: JsonNode.Parse("""[ { "question": "Do you take insurance?", "answer": "We work with most insurance plans.", "keywords": ["insurance", "insured"] } ]"""),
        emergencyMessage: "emergencyMessage");

    public static TurnContext Context(DateTimeOffset? now = null, Tenant? tenant = null, Profession? profession = null, IReadOnlyList<BusyInterval>? busy = null) =>
        new(tenant ?? Business(), profession ?? Dentist(), now ?? OpenNow, busy ?? []);

    public static UnderstandingContext Reading(Expecting expecting, TurnContext? ctx = null)
    {
        var c = ctx ?? Context();
        return new UnderstandingContext(expecting, c.Services, c.Today, c.Topics, c.Profession.Emergency.Keywords);
    }

    public static BusyInterval Busy(DateOnly date, int hour, int minute, int minutes)
    {
        var start = date.ToDateTime(new TimeOnly(hour, minute));
        return new BusyInterval(start, start.AddMinutes(minutes));
    }

    /// <summary>An appointment booked with <paramref name="phone"/> (the caller ID unless said; null: no number on file).</summary>
    public static AppointmentRef Appointment(string id, string service, int minutes, DateOnly date, int hour, int minute, string name, string? phone = CallerId) =>
        new(id, service, minutes, date, new TimeOnly(hour, minute), name, Business().AtLocal(date, new TimeOnly(hour, minute)), phone);

    /// <summary>Sam Lee's cleaning on Friday at 10, booked from the caller ID.</summary>
    public static readonly AppointmentRef SamsCleaning = Appointment("apt-old", "Cleaning", 60, Friday, 10, 0, "Sam Lee");

    /// <summary>Alex Kim's checkup on Tuesday at 2 pm, booked from the caller ID.</summary>
    public static readonly AppointmentRef KimsCheckup = Appointment("apt-kim", "Checkup", 30, Tuesday, 14, 0, "Alex Kim");

    /// <summary>Starts a call in the given context.</summary>
    public static EngineCall Call(TurnContext? ctx = null, string? callerId = CallerId) => new(ctx ?? Context(), callerId);
}

/// <summary>One turn as the orchestrator runs it: every action the engine asked for (side effects included) and the
/// session after the side effects' outcomes were fed back.</summary>
internal sealed record Turn(CallSession Session, IReadOnlyList<CallAction> Actions)
{
    /// <summary>Everything said this turn, joined by " / ".</summary>
    public string Said => string.Join(" / ", Actions.OfType<Say>().Select(s => s.Text));

    public IReadOnlyList<string> Lines => Actions.OfType<Say>().Select(s => s.Text).ToList();

    /// <summary>What the receptionist listens for at the end of the turn (None when it does not listen).</summary>
    public Expecting? Listening => Actions.OfType<Listen>().LastOrDefault()?.Expecting;

    /// <summary>How keys are read at the end of the turn (None when it does not listen).</summary>
    public KeyEntry? Keys => Actions.OfType<Listen>().LastOrDefault()?.Keys;

    public ConversationState State => Session.State;

    public T Single<T>()
        where T : CallAction => Assert.Single(Actions.OfType<T>());

    public bool Has<T>()
        where T : CallAction => Actions.OfType<T>().Any();

    /// <summary>Whether a side effect that changes the calendar was asked for.</summary>
    public bool ChangesCalendar => Actions.Any(a => a is ReserveSlot or MoveAppointment or CancelAppointment);
}

/// <summary>A call driven through the engine, with side effects answered the way the orchestrator answers them
/// (reservation, move, cancel, lookup). <see cref="Hear(Heard[])"/> plays what the caller meant (the flow alone);
/// <see cref="Say"/> and <see cref="Script"/> play the caller's words through the rule understanding first (end to end).</summary>
internal sealed class EngineCall
{
    private readonly List<AppointmentRef> _appointments = [];
    private bool _loseNextReservation;
    private int _ids;

    public EngineCall(TurnContext ctx, string? callerId)
    {
        Ctx = ctx;
        var start = ConversationEngine.Start("CA1", callerId, EngineFixture.Dialled, ctx);
        Session = start.Session;
        Last = new Turn(start.Session, start.Actions);
    }

    public TurnContext Ctx { get; private set; }

    public CallSession Session { get; private set; }

    public Turn Last { get; private set; }

    /// <summary>Every side effect asked for during the call, in order.</summary>
    public List<CallAction> SideEffects { get; } = [];

    /// <summary>An upcoming appointment the lookup finds (by its phone, or by its name). Also busy in the calendar.</summary>
    public EngineCall WithAppointment(AppointmentRef appointment)
    {
        _appointments.Add(appointment);
        var start = appointment.Date.ToDateTime(appointment.Time);
        Ctx = Ctx with { Busy = [.. Ctx.Busy, new BusyInterval(start, start.AddMinutes(appointment.Minutes))] };
        return this;
    }

    /// <summary>The appointment is cancelled by someone else (after the caller's lookup found it).</summary>
    public EngineCall CancelledElsewhere(AppointmentRef appointment)
    {
        _appointments.RemoveAll(a => a.Id == appointment.Id);
        return this;
    }

    /// <summary>The next reservation loses a race: someone else books that slot just before the "yes".</summary>
    public EngineCall LoseNextReservation()
    {
        _loseNextReservation = true;
        return this;
    }

    /// <summary>Plays one turn end to end: the caller's words through the rule understanding, then the engine.</summary>
    public Turn Say(string text) =>
        Run(new Heard(text, 0.9, RuleUnderstanding.Understand(text, Ctx.Understanding(Session.State))));

    /// <summary>Plays one turn from what the caller meant, without the rule understanding (<paramref name="text"/>:
    /// the words the engine keeps for a message; by default the meaning's own name).</summary>
    public Turn Hear(Understood meaning, string? text = null) => Run(Heard.Of(meaning, text));

    /// <summary>Plays each meaning in turn (see <see cref="HeardBuilders"/>); returns the last turn.</summary>
    public Turn Hear(params Heard[] heard)
    {
        foreach (var h in heard)
        {
            Run(h);
        }

        return Last;
    }

    public Turn Press(string digits) => Run(new KeypadPressed(digits));

    public Turn Silence() => Run(new NoInput());

    public Turn TransferOutcome(bool connected) => Run(new TransferResult(connected));

    /// <summary>Says each utterance in turn, end to end; returns the last turn.</summary>
    public Turn Script(params string[] utterances)
    {
        foreach (var u in utterances)
        {
            Say(u);
        }

        return Last;
    }

    public Turn Run(CallEvent ev)
    {
        var decision = ConversationEngine.Decide(Session, ev, Ctx);
        var all = new List<CallAction>(decision.Actions);
        for (var round = 0; round < 4; round++)
        {
            CallEvent? outcome = null;
            foreach (var action in decision.Actions)
            {
                if (action is SaveMessage)
                {
                    SideEffects.Add(action);
                }
                else if (action is ReserveSlot or MoveAppointment or CancelAppointment or FindAppointments)
                {
                    Assert.Null(outcome); // one side effect at a time, as the orchestrator insists
                    SideEffects.Add(action);
                    outcome = Execute(action);
                }
            }

            if (outcome is null)
            {
                break;
            }

            decision = ConversationEngine.Decide(decision.Session, outcome, Ctx);
            all.AddRange(decision.Actions);
        }

        Session = decision.Session;
        Last = new Turn(Session, all);
        return Last;
    }

    private CallEvent Execute(CallAction action)
    {
        switch (action)
        {
            case ReserveSlot r:
                return Reserve(r.Booking, null);
            case MoveAppointment m:
                return Reserve(m.To, m.From);
            case CancelAppointment c:
                var removed = _appointments.RemoveAll(a => a.Id == c.Appointment.Id) > 0;
                return new CancelResult(removed);
            case FindAppointments f:
                var found = _appointments
                    .Where(a => f.Phone is not null ? a.Phone == f.Phone : string.Equals(a.Name, f.Name, StringComparison.OrdinalIgnoreCase))
                    .OrderBy(a => a.Start)
                    .ToList();
                return new AppointmentsFound(found);
            default:
                throw new InvalidOperationException(action.GetType().Name);
        }
    }

    private ReservationResult Reserve(BookingRequest booking, AppointmentRef? from)
    {
        var start = booking.Date.ToDateTime(booking.Time);
        var requested = new BusyInterval(start, start.AddMinutes(booking.Minutes));
        if (_loseNextReservation)
        {
            // The rival booking is in the calendar the orchestrator reloads after a lost race.
            _loseNextReservation = false;
            Ctx = Ctx with { Busy = [.. Ctx.Busy, requested] };
            return new ReservationResult(false, null);
        }

        var id = $"apt-{++_ids}";
        var busy = Ctx.Busy.ToList();
        if (from is not null)
        {
            var old = from.Date.ToDateTime(from.Time);
            busy.Remove(new BusyInterval(old, old.AddMinutes(from.Minutes)));
        }

        Ctx = Ctx with { Busy = [.. busy, requested] };
        return new ReservationResult(true, id);
    }
}
