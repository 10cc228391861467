using System.Diagnostics;
using System.Threading.Channels;
using Receptionist.Audio;
using Receptionist.Core.Conversation;
using Receptionist.Telephony.Speech;

namespace Receptionist.Host.Streaming;

/// <summary>Where the agent's audio goes: one channel's socket (Twilio: <c>media</c> + <c>mark</c>; ACS: AudioData).</summary>
public interface IAgentAudioSink
{
    /// <summary>The format frames are in (and synthesis is asked for).</summary>
    SpeechAudioFormat Format { get; }

    /// <summary>One 20 ms frame to play.</summary>
    ValueTask SendFrameAsync(ReadOnlyMemory<byte> frame, CancellationToken ct);

    /// <summary>Asks to be told when playback reaches this point (Twilio's <c>mark</c>); false where the channel has
    /// no marks (the pacer's own play-out position stands in).</summary>
    ValueTask<bool> SendMarkAsync(string name, CancellationToken ct);
}

/// <summary>How a decision's words went out: the marks asked for, in order, with the sentence each ends.</summary>
/// <param name="SynthesisFirstByte">How long the speech service took to the first audio of the first sentence: its
/// latency, not ours.</param>
public sealed record SpokenPrompt(IReadOnlyList<(string Mark, Say Say)> Sentences, long FirstFrameAtTimestamp, TimeSpan Audio, int FailedSentences, TimeSpan SynthesisFirstByte);

/// <summary>
/// Speaks a decision's <see cref="Say"/>s, channel-neutral: every sentence is synthesised at once (in the tenant's
/// voice and the channel's format) and played in order as its audio arrives, cut into 20 ms frames and sent no more
/// than <see cref="OutboundPacer.DefaultMaxLead"/> ahead of real time, so a barge-in has little to flush. Each sentence
/// ends with a mark "{turn}.{i}". A sentence the service fails is skipped (logged); the rest still play.
/// </summary>
public sealed class AgentSpeaker(ITextToSpeech tts, IAgentAudioSink sink, string voice, string language, TimeProvider clock, ILogger logger,
    PromptCache? cache = null, Func<Say, bool>? isFixed = null)
{
    private readonly int _frameBytes = sink.Format.BytesPerSecond() / 50;
    private readonly long _start = clock.GetTimestamp();
    private OutboundPacer? _pacer;

    /// <summary>False: frames go out as fast as they are synthesised (a simulator playing faster than real time).</summary>
    public bool Paced { get; init; } = true;

    /// <summary>When the audio sent so far will have played out (from the pacer's model of the far end).</summary>
    public TimeSpan QueuedAhead => _pacer?.QueuedAhead(Now) ?? TimeSpan.Zero;

    private TimeSpan Now => clock.GetElapsedTime(_start);

    /// <summary>The far end dropped what it held (a barge-in): pacing starts again from nothing queued.</summary>
    public void Cleared() => _pacer?.Reset(Now);

    /// <param name="onMark">Called with each mark and the index of its sentence just before the mark is sent (so its
    /// echo is always expected), and with false after when the channel has no marks.</param>
    public async Task<SpokenPrompt> SpeakAsync(IReadOnlyList<Say> says, int turn, string correlation, CancellationToken ct, Action<string, int, bool>? onMark = null)
    {
        _pacer ??= new OutboundPacer(Now);
        if (_pacer.QueuedAhead(Now) == TimeSpan.Zero)
        {
            _pacer.Reset(Now);
        }

        var requested = Stopwatch.GetTimestamp();
        long firstByte = 0;
        var audio = says.Select((say, i) => Produce(say, $"{correlation}.{i}", i == 0 ? () => Interlocked.CompareExchange(ref firstByte, Stopwatch.GetTimestamp(), 0) : null, ct)).ToList();
        var sentences = new List<(string, Say)>(says.Count);
        var splitter = new FrameSplitter<byte>(_frameBytes, sink.Format == SpeechAudioFormat.Mulaw8Khz ? MuLaw.Silence : (byte)0);
        var frame = new byte[_frameBytes];
        long firstFrame = 0;
        long frames = 0;
        var failed = 0;
        for (var i = 0; i < says.Count; i++)
        {
            var ok = true;
            try
            {
                await foreach (var chunk in audio[i].Reader.ReadAllAsync(ct))
                {
                    splitter.Write(chunk.Span);
                    while (splitter.TryTake(frame))
                    {
                        await SendPacedAsync(frame, ct);
                        frames++;
                        firstFrame = firstFrame == 0 ? Stopwatch.GetTimestamp() : firstFrame;
                    }
                }
            }
            catch (SpeechServiceException ex)
            {
                ok = false;
                failed++;
                logger.LogWarning("Synthesis of sentence {Index} of turn {Turn} failed ({Status}): {Reason}", i, turn, ex.Status, ex.Message);
            }

            if (splitter.Flush(frame))
            {
                await SendPacedAsync(frame, ct); // the sentence's last partial frame, padded with silence
                frames++;
            }

            if (ok)
            {
                var mark = $"{turn}.{i}";
                sentences.Add((mark, says[i]));
                onMark?.Invoke(mark, i, true);
                if (!await sink.SendMarkAsync(mark, ct))
                {
                    onMark?.Invoke(mark, i, false);
                }
            }
        }

        return new SpokenPrompt(sentences, firstFrame, TimeSpan.FromMilliseconds(frames * 20), failed,
            firstByte == 0 ? TimeSpan.Zero : Stopwatch.GetElapsedTime(requested, Interlocked.Read(ref firstByte)));
    }

    private async ValueTask SendPacedAsync(byte[] frame, CancellationToken ct)
    {
        var wait = Paced ? _pacer!.DelayBeforeNext(Now) : TimeSpan.Zero;
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, clock, ct);
        }

        await sink.SendFrameAsync(frame, ct);
        _pacer!.Sent(Now);
    }

    /// <summary>Starts synthesising one sentence now; its audio is read in order by <see cref="SpeakAsync"/>.</summary>
    private Channel<ReadOnlyMemory<byte>> Produce(Say say, string correlation, Action? firstChunk, CancellationToken ct)
    {
        var channel = Channel.CreateUnbounded<ReadOnlyMemory<byte>>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var fixedPrompt = cache is not null && (isFixed?.Invoke(say) ?? false);
        if (fixedPrompt && cache!.TryGet(voice, sink.Format, say.Text, out var cached))
        {
            firstChunk?.Invoke();
            channel.Writer.TryWrite(cached);
            channel.Writer.TryComplete();
            return channel;
        }

        _ = Task.Run(async () =>
        {
            try
            {
                var whole = fixedPrompt ? new MemoryStream() : null;
                await foreach (var chunk in tts.SynthesizeAsync(new SynthesisRequest(say.Text, voice, language, sink.Format, correlation), ct))
                {
                    firstChunk?.Invoke();
                    whole?.Write(chunk.Span);
                    await channel.Writer.WriteAsync(chunk, ct);
                }

                if (whole is not null)
                {
                    cache!.Add(voice, sink.Format, say.Text, whole.ToArray());
                }

                channel.Writer.TryComplete();
            }
            catch (Exception ex)
            {
                channel.Writer.TryComplete(ex is SpeechServiceException or OperationCanceledException ? ex : new SpeechServiceException(ex.Message, 0, ex));
            }
        }, CancellationToken.None);
        return channel;
    }
}
