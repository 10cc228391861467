namespace Receptionist.Testing;

/// <summary>A clock that runs on in real time from an instant a test sets, and can be set again: one app serves many
/// scripted calls, each at its own "now" (the app's Clock:Now, moved between calls).</summary>
public sealed class ResettableClock(DateTimeOffset start) : TimeProvider
{
    private sealed record From(DateTimeOffset Start, long Origin);

    private From _from = new(start, System.GetTimestamp());

    public override DateTimeOffset GetUtcNow()
    {
        var from = Volatile.Read(ref _from);
        return from.Start.ToUniversalTime() + System.GetElapsedTime(from.Origin);
    }

    public void Reset(DateTimeOffset start) => Volatile.Write(ref _from, new From(start, System.GetTimestamp()));
}
