using System.Collections.Concurrent;
using Receptionist.Telephony.Speech;

namespace Receptionist.Host.Streaming;

/// <summary>
/// Synthesised audio of the fixed prompts — each tenant's greeting, "one moment", the apology — kept per voice and
/// format, so a call starts speaking without waiting for the service and still has those words when the service is
/// down. Only prompts the session marks as fixed go in (never a read-back: no caller's name or number is kept); at
/// most <see cref="MaxEntries"/>, and the oldest go first.
/// </summary>
public sealed class PromptCache
{
    public const int MaxEntries = 512;

    private readonly ConcurrentDictionary<(string Voice, SpeechAudioFormat Format, string Text), byte[]> _audio = new();
    private readonly ConcurrentQueue<(string, SpeechAudioFormat, string)> _order = new();

    public bool TryGet(string voice, SpeechAudioFormat format, string text, out byte[] audio) => _audio.TryGetValue((voice, format, text), out audio!);

    public void Add(string voice, SpeechAudioFormat format, string text, byte[] audio)
    {
        if (audio.Length == 0 || !_audio.TryAdd((voice, format, text), audio))
        {
            return;
        }

        _order.Enqueue((voice, format, text));
        while (_audio.Count > MaxEntries && _order.TryDequeue(out var oldest))
        {
            _audio.TryRemove(oldest, out _);
        }
    }
}
