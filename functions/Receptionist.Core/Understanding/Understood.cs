using Receptionist.Core.Tenants;

namespace Receptionist.Core.Understanding;

public enum Intent
{
    None,
    Book,
    Reschedule,
    Cancel,
    Question,
    Message,
    Person,
    Emergency,
    Goodbye,
}

public enum Answer
{
    None,
    Yes,
    No,
}

/// <summary>What a slot in the conversation is waiting for; helps read short answers ("10", "Sam Lee").</summary>
public enum Expecting
{
    Anything,
    Service,
    Date,
    Time,
    Name,
    Phone,
    YesNo,
    Message,
    Choice,
}

/// <summary>A part of a booking the caller may name when asking to change it ("change the time").</summary>
public enum BookingSlot
{
    Service,
    Date,
    Time,
    Name,
    Callback,
}

/// <summary>A part of the day the caller prefers when they give no exact time.</summary>
public enum TimePreference
{
    None,

    /// <summary>"in the morning": before noon.</summary>
    Morning,

    /// <summary>"in the afternoon": noon to 5 pm.</summary>
    Afternoon,

    /// <summary>"in the evening": from 5 pm.</summary>
    Evening,

    /// <summary>"first thing in the morning": the earliest opening of the day.</summary>
    Earliest,

    /// <summary>"after lunch": from 1 pm.</summary>
    AfterLunch,
}

/// <summary>A time as spoken. Without am/pm (<see cref="MeridiemKnown"/> false) Hour is 1..12 and the engine decides
/// from business hours; otherwise Hour is 0..23.</summary>
public readonly record struct SpokenTime(int Hour, int Minute, bool MeridiemKnown)
{
    public static SpokenTime Exact(int hour, int minute) => new(hour, minute, true);

    public TimeOnly? ExactTime => MeridiemKnown ? new TimeOnly(Hour, Minute) : null;

    /// <summary>The two readings of an hour without am/pm, am first.</summary>
    public IEnumerable<TimeOnly> Candidates()
    {
        if (MeridiemKnown)
        {
            yield return new TimeOnly(Hour, Minute);
            yield break;
        }

        yield return new TimeOnly(Hour % 12, Minute);
        yield return new TimeOnly((Hour % 12) + 12, Minute);
    }
}

/// <summary>
/// Something a caller may ask about, answerable only from the business's own data. <see cref="Id"/> is one of the
/// built-in topics (<see cref="Topics"/>), "fact:&lt;key&gt;" for a tenant fact or "faq:&lt;n&gt;" for the profession's FAQ
/// entry n. The engine builds the answer from that data; nothing else is ever said as a fact.
/// </summary>
public sealed record QuestionTopic(string Id, string Description, IReadOnlyList<string> Keywords)
{
    /// <summary>What the business's own data says on it (a fact's text), or null: compared by meaning with a question.</summary>
    public string? Says { get; init; }

    /// <summary>What a fact is about, in the owner's words (its key: "animals", "payment"), or null.</summary>
    public string? Subject { get; init; }

    /// <summary>The text a question is compared with by meaning: the description and what the data says.</summary>
    public string MeaningText => Says is null ? Description : $"{Description}: {Says}";
}

/// <summary>What one caller utterance says: an intent and any slots it fills.</summary>
/// <param name="Topic">For questions: the <see cref="QuestionTopic.Id"/> asked about, or null when nothing known answers it.</param>
/// <param name="Corrects">The caller is correcting something said earlier ("no, Wednesday", "actually make it 4").</param>
/// <param name="Choice">A 1-based pick from options just offered ("the second one", "the first").</param>
/// <param name="WholeName">The name was said as a whole ("my name is Alex", "it's for Alex"), so it replaces the one
/// given before rather than correcting one word of it ("it's Lee, L-E-E").</param>
/// <param name="Digits">Where a number is asked for: every digit said, in order ("4 5 6 7", "forty-five sixty-seven",
/// "the last four are 4567" → "4567"), whether or not they make a whole phone number; null when none were said.</param>
/// <param name="SurnameOnly">Only a surname was given ("the last name is Patel"): it replaces the last word of the name.</param>
/// <param name="Move">For a move said with its destination ("move my Saturday deep tissue to Sunday at 1"): which
/// appointment, and where to.</param>
/// <param name="SlotNamed">A part of the booking the caller names ("the time", "change the date").</param>
/// <param name="AsksForChange">Words that ask for something to be changed ("different", "wrong", "change").</param>
/// <param name="KeepsTime">"Same time": on a move, the appointment's own time.</param>
public sealed record Understood(
    Intent Intent,
    Answer Answer = Answer.None,
    string? Service = null,
    DateOnly? Date = null,
    SpokenTime? Time = null,
    string? Name = null,
    string? Phone = null,
    TimePreference Preference = TimePreference.None,
    string? Topic = null,
    bool Corrects = false,
    int? Choice = null,
    bool WholeName = false,
    string? Digits = null,
    bool SurnameOnly = false,
    MoveSaid? Move = null,
    BookingSlot? SlotNamed = null,
    bool AsksForChange = false,
    bool KeepsTime = false)
{
    /// <summary>A <see cref="Choice"/> meaning "the last one" (or "the later one").</summary>
    public const int LastChoice = -1;

    public static Understood Nothing { get; } = new(Intent.None);

    /// <summary>The 0-based index of <see cref="Choice"/> among <paramref name="count"/> options, or null.</summary>
    public int? ChoiceIndex(int count) => Choice switch
    {
        LastChoice when count > 0 => count - 1,
        { } n when n >= 1 && n <= count => n - 1,
        _ => null,
    };

    public bool HasBookingSlot => Service is not null || Date is not null || Time is not null || Name is not null;

    /// <summary>Where a message is being taken down: the words only agree ("yes, that's right", "yes, please send it"),
    /// a short yes with nothing new in it — not a message of their own (a bare "yes" is also <see cref="Answer"/>).</summary>
    public bool Acknowledges { get; init; }

    /// <summary>Only that the callback number is the one calling ("yes, this number", "this number's good").</summary>
    public bool ThisNumber { get; init; }

    /// <summary>A second question asked in the same breath ("where's your studio, and is there parking?"): its topic,
    /// answered after <see cref="Topic"/>'s.</summary>
    public string? AlsoAbout { get; init; }

    /// <summary>A request for a message that says what it is about ("please have someone call me back about the
    /// MetLife question"): the words are the message itself.</summary>
    public bool SaysTheMessage { get; init; }

    /// <summary>The caller leaves putting the request off themselves ("let me check my calendar and I'll call you back",
    /// "never mind, I'll think about it first. Bye."): nothing was lost.</summary>
    public bool PutsOff { get; init; }

    /// <summary>What understanding this utterance cost in LLM tokens (from the API's usage), whether or not the
    /// model's answer was used; null when no model was asked.</summary>
    public LlmTokens? Tokens { get; init; }
}

/// <summary>Tokens an LLM request used, as its API reported them.</summary>
public sealed record LlmTokens(int Input, int Output)
{
    public static LlmTokens operator +(LlmTokens a, LlmTokens b) => new(a.Input + b.Input, a.Output + b.Output);
}

/// <summary>A move request with its destination: the day/time that identify the appointment (<see cref="Date"/>,
/// <see cref="Time"/>) and the new ones.</summary>
public sealed record MoveSaid(DateOnly? Date, SpokenTime? Time, DateOnly? NewDate, SpokenTime? NewTime, TimePreference NewPreference);

/// <summary>What the understanding may read: what the current state expects, the business's services and question
/// topics, today's date in the business's time zone, and the emergency phrases of its profession.</summary>
public sealed record UnderstandingContext(
    Expecting Expecting,
    IReadOnlyList<ServiceOffering> Services,
    DateOnly Today,
    IReadOnlyList<QuestionTopic> Topics,
    IReadOnlyList<string> EmergencyKeywords,
    IReadOnlyList<string>? EmergencyConcepts = null)
{
    public UnderstandingContext(Expecting expecting, IReadOnlyList<ServiceOffering> services, DateOnly today)
        : this(expecting, services, today, [], [])
    {
    }
}

/// <summary>Turns caller text into intent + slots. Rules by default; an LLM-backed implementation may assist.</summary>
public interface IUnderstanding
{
    ValueTask<Understood> UnderstandAsync(string utterance, UnderstandingContext context, CancellationToken cancellationToken);
}

/// <summary>The built-in question topics every business can answer from its profile.</summary>
public static class Topics
{
    public const string Hours = "hours";
    public const string OpenNow = "open-now";
    public const string Address = "address";
    public const string Parking = "parking";
    public const string Services = "services";
    public const string Prices = "prices";
    public const string Durations = "durations";
    public const string FactPrefix = "fact:";
    public const string FaqPrefix = "faq:";
}
