using System.Diagnostics;

namespace Receptionist.Telephony.Twilio.Relay;

/// <summary>
/// What the caller is hearing: each text the app sends "plays" for a fixed time per character, after what is already
/// playing. Times are <see cref="Stopwatch"/> timestamps. With 0 ms per character everything plays instantly and
/// nothing is ever interrupted.
/// </summary>
internal sealed class AgentPlayback(int millisecondsPerCharacter)
{
    private readonly List<Item> _items = [];

    private sealed record Item(string Text, long Start, long End, Interruptibility Interruptible);

    /// <summary>When the last queued text stops playing (long.MinValue when nothing was queued).</summary>
    public long End => _items.Count == 0 ? long.MinValue : _items[^1].End;

    public void Enqueue(string text, Interruptibility interruptible, long now)
    {
        var start = Math.Max(now, End);
        var ticks = (long)text.Length * millisecondsPerCharacter * Stopwatch.Frequency / 1000;
        _items.RemoveAll(i => i.End <= now);
        _items.Add(new Item(text, start, start + ticks, interruptible));
    }

    /// <summary>The earliest time from <paramref name="at"/> on when the caller can be heard with input of this kind:
    /// when nothing plays, or what plays lets this kind interrupt it.</summary>
    public long EarliestHeard(long at, Interruptibility kind)
    {
        foreach (var item in _items)
        {
            if (item.End <= at)
            {
                continue;
            }

            if (item.Start > at || (item.Interruptible & kind) != 0)
            {
                return at;
            }

            at = item.End;
        }

        return at;
    }

    /// <summary>The text playing at <paramref name="now"/> if input of this kind interrupts it: the part of it spoken
    /// so far and for how long it has played.</summary>
    public (string SpokenSoFar, long ElapsedMilliseconds)? Interrupt(long now, Interruptibility kind)
    {
        var playing = _items.FirstOrDefault(i => i.Start <= now && now < i.End);
        if (playing is null || (playing.Interruptible & kind) == 0)
        {
            return null;
        }

        var elapsed = (now - playing.Start) * 1000 / Stopwatch.Frequency;
        var characters = (int)Math.Min(playing.Text.Length, elapsed / millisecondsPerCharacter);
        return (playing.Text[..characters], elapsed);
    }

    /// <summary>The caller spoke: whatever was still to play is dropped (Twilio clears its playback on an interrupt;
    /// otherwise it had finished).</summary>
    public void Clear() => _items.Clear();
}
