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

/// <summary>What one caller utterance says: an intent and any slots it fills.</summary>
public sealed record Understood(
    Intent Intent,
    Answer Answer = Answer.None,
    string? Service = null,
    DateOnly? Date = null,
    SpokenTime? Time = null,
    string? Name = null,
    string? Phone = null)
{
    public static Understood Nothing { get; } = new(Intent.None);

    public bool HasBookingSlot => Service is not null || Date is not null || Time is not null || Name is not null;
}

public sealed record UnderstandingContext(Expecting Expecting, IReadOnlyList<ServiceOffering> Services, DateOnly Today);

/// <summary>Turns caller text into intent + slots. Rules by default; an LLM-backed implementation may assist.</summary>
public interface IUnderstanding
{
    ValueTask<Understood> UnderstandAsync(string utterance, UnderstandingContext context, CancellationToken cancellationToken);
}
