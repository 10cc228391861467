namespace Receptionist.Host.Configuration;

/// <summary>A clock that starts at a chosen instant and runs on in real time (Clock:Now in Development), so a developer
/// or a test can replay "tomorrow" deterministically.</summary>
public sealed class StartedClock(DateTimeOffset start, TimeProvider inner) : TimeProvider
{
    private readonly long _origin = inner.GetTimestamp();

    public override DateTimeOffset GetUtcNow() => start.ToUniversalTime() + inner.GetElapsedTime(_origin);

    public override TimeZoneInfo LocalTimeZone => inner.LocalTimeZone;
}
