using System.Diagnostics;

namespace Receptionist.Telephony.Twilio.Streams;

/// <summary>
/// What the caller hears of the app's audio, as Twilio plays it: each media payload is queued after what is already
/// queued and plays at 8,000 bytes a second from when it arrives (or when the audio before it ends); a mark is reached
/// when the audio queued before it has played (at once when nothing is queued); a clear drops what is still to play
/// and reaches every pending mark at once. Times are <see cref="Stopwatch"/> timestamps.
/// </summary>
internal sealed class StreamPlayback
{
    public const int BytesPerSecond = 8000;

    private readonly Queue<(string Name, long At)> _marks = new();

    /// <summary>When the queued audio has all played (long.MinValue before any came).</summary>
    public long End { get; private set; } = long.MinValue;

    /// <summary>When the latest run of audio (audio that arrived while nothing played) started playing.</summary>
    public long RunStart { get; private set; } = long.MinValue;

    /// <summary>When a media payload last arrived.</summary>
    public long LastArrival { get; private set; } = long.MinValue;

    /// <summary>When the next pending mark is reached (long.MaxValue: none pending).</summary>
    public long NextMarkAt => _marks.TryPeek(out var mark) ? mark.At : long.MaxValue;

    public bool IsPlaying(long now) => now < End;

    /// <summary>Queues audio that arrived at <paramref name="now"/>; true when it starts a new run (nothing played).</summary>
    public bool Enqueue(int bytes, long now)
    {
        LastArrival = now;
        var fresh = End <= now;
        var start = fresh ? now : End;
        if (fresh)
        {
            RunStart = now;
        }

        End = start + (bytes * Stopwatch.Frequency / BytesPerSecond);
        return fresh;
    }

    public void Mark(string name, long now) => _marks.Enqueue((name, Math.Max(now, End)));

    /// <summary>The marks playback has reached by <paramref name="now"/>, in order.</summary>
    public List<string> Reached(long now)
    {
        var reached = new List<string>();
        while (_marks.TryPeek(out var mark) && mark.At <= now)
        {
            reached.Add(_marks.Dequeue().Name);
        }

        return reached;
    }

    /// <summary>Drops the audio still to play; every pending mark is reached now.</summary>
    public List<string> Clear(long now)
    {
        End = Math.Min(End, now);
        var reached = _marks.Select(m => m.Name).ToList();
        _marks.Clear();
        return reached;
    }
}
