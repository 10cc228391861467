using System.Runtime.InteropServices;
using System.Threading.Channels;
using Receptionist.Audio;
using Receptionist.Audio.Vad;
using Receptionist.Core.Understanding;
using Receptionist.Telephony.Speech;

namespace Receptionist.Host.Streaming;

/// <summary>What the listener noticed in the caller's audio; positions are 16 kHz samples since the stream began.</summary>
public abstract record ListenerEvent;

/// <summary>Speech onset confirmed (64 ms of speech): the moment a barge-in may cut a prompt.</summary>
public sealed record SpeechStarted(int Utterance, long AtSample) : ListenerEvent;

/// <summary>The caller has spoken continuously for long enough that it is not a backchannel ("uh-huh").</summary>
public sealed record RealSpeechHeard(int Utterance) : ListenerEvent;

/// <summary>The turn is over (speech stopped for the expectation's pause); its recognition is under way.</summary>
public sealed record TurnEnded(int Utterance, long SpeechEndedAtSample, long DetectedAtSample, int SpeechMilliseconds) : ListenerEvent;

/// <summary>The recognition of one utterance came back.</summary>
public sealed record UtteranceHeard(int Utterance, RecognitionResult Result, long TranscriptAtTimestamp) : ListenerEvent;

/// <summary>
/// The caller's side of a stream, channel-neutral: PCM16 16 kHz in, in any chunk size; the Silero VAD and the turn
/// detector decide when speech starts and when the turn ends; from the onset the audio — with
/// <see cref="PreRoll"/> of what came before it, so the first syllable is not lost — is streamed to speech-to-text
/// (one request per utterance, <c>X-Correlation-Id</c> "{stream}/{n}"), finished when the turn ends. Events go to
/// <paramref name="post"/>. Fed from one thread (the socket's receive loop); <see cref="Expectation"/> may be set from
/// another.
/// </summary>
public sealed class CallerListener(SileroVadStream vad, ISpeechToText speech, string language, string stream, int realSpeechMilliseconds,
    Action<ListenerEvent> post, CancellationToken callEnded)
{
    public static readonly TimeSpan PreRoll = TimeSpan.FromMilliseconds(300);

    private const int Rate = AudioRates.Wideband;
    private static readonly int PreRollSamples = (int)(Rate * PreRoll.TotalSeconds);

    private readonly TurnDetector _turns = new();
    private readonly short[] _ring = new short[PreRollSamples];
    private int _ringFill;
    private int _ringStart;
    private long _position;            // samples fed so far
    private long _windowEnd;           // samples the VAD has judged so far
    private int _utterance;
    private Channel<ReadOnlyMemory<byte>>? _upload;
    private long _speechRunSamples;
    private bool _realSpeech;
    private bool _uploadStartedInChunk;

    /// <summary>What the call flow expects next (sets the pause that ends a turn).</summary>
    public TurnExpectation Expectation
    {
        get => _turns.Expectation;
        set => _turns.Expectation = value;
    }

    /// <summary>True while an utterance is being heard (from onset to the end of the turn).</summary>
    public bool InTurn => _turns.InTurn;

    public int Utterance => _utterance;

    /// <summary>The expectation for what the call flow is listening for: the one place the mapping lives.</summary>
    public static TurnExpectation For(Expecting expecting) => expecting switch
    {
        Expecting.YesNo => TurnExpectation.YesNo,
        Expecting.Phone => TurnExpectation.Digits,
        _ => TurnExpectation.Default,
    };

    /// <summary>Takes the next caller audio.</summary>
    public void Feed(ReadOnlySpan<short> samples)
    {
        Remember(samples);
        _uploadStartedInChunk = false;
        vad.Write(samples, OnWindow);
        if (_upload is not null && !_uploadStartedInChunk)
        {
            Upload(samples);
        }

        _position += samples.Length;
    }

    /// <summary>Ends the utterance under way without a result (the call ended, or the caller pressed a key).</summary>
    public void Abandon()
    {
        _upload?.Writer.TryComplete(new OperationCanceledException("abandoned"));
        _upload = null;
        _turns.Reset();
    }

    private void OnWindow(float probability)
    {
        _windowEnd += SileroVadModel.WindowSamples;
        var ev = _turns.Observe(probability);
        if (_turns.InTurn)
        {
            _speechRunSamples = probability >= TurnDetector.OffsetProbability ? _speechRunSamples + SileroVadModel.WindowSamples : 0;
            if (!_realSpeech && _speechRunSamples * 1000 / Rate >= realSpeechMilliseconds)
            {
                _realSpeech = true;
                post(new RealSpeechHeard(_utterance));
            }
        }

        switch (ev)
        {
            case { Kind: TurnEventKind.SpeechStarted } started:
                Begin();
                post(new SpeechStarted(_utterance, started.AtSample));
                break;
            case { Kind: TurnEventKind.TurnEnded } ended:
                var upload = _upload;
                _upload = null;
                _turns.Reset();
                upload?.Writer.TryComplete();
                post(new TurnEnded(_utterance, ended.SpeechEndedAtSample, _windowEnd, (int)((ended.SpeechEndedAtSample - _onsetSample) * 1000 / Rate)));
                break;
        }
    }

    private long _onsetSample;

    private void Begin()
    {
        _utterance++;
        _realSpeech = false;
        _speechRunSamples = (long)TurnDetector.OnsetWindows * SileroVadModel.WindowSamples;
        _onsetSample = _windowEnd - _speechRunSamples;
        var upload = Channel.CreateUnbounded<ReadOnlyMemory<byte>>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        _upload = upload;
        _uploadStartedInChunk = true;

        // What came before the onset was confirmed, including this whole chunk.
        var before = new short[_ringFill];
        for (var i = 0; i < _ringFill; i++)
        {
            before[i] = _ring[(_ringStart + i) % _ring.Length];
        }

        Upload(before);
        var n = _utterance;
        var request = new RecognitionRequest(language, $"{stream}/{n}");
        _ = Task.Run(async () =>
        {
            var result = await speech.RecognizeAsync(upload.Reader.ReadAllAsync(callEnded).Catch(), request, callEnded);
            post(new UtteranceHeard(n, result, System.Diagnostics.Stopwatch.GetTimestamp()));
        }, CancellationToken.None).ContinueWith(t => _ = t.Exception, TaskContinuationOptions.OnlyOnFaulted);
    }

    private void Upload(ReadOnlySpan<short> samples)
    {
        if (samples.IsEmpty)
        {
            return;
        }

        _upload!.Writer.TryWrite(MemoryMarshal.AsBytes(samples).ToArray());
    }

    private void Remember(ReadOnlySpan<short> samples)
    {
        foreach (var sample in samples.Length > _ring.Length ? samples[^_ring.Length..] : samples)
        {
            if (_ringFill < _ring.Length)
            {
                _ring[(_ringStart + _ringFill++) % _ring.Length] = sample;
            }
            else
            {
                _ring[_ringStart] = sample;
                _ringStart = (_ringStart + 1) % _ring.Length;
            }
        }
    }
}

internal static class AsyncEnumerableExtensions
{
    /// <summary>The sequence, ending (rather than throwing) when it was abandoned or the call ended: what was sent is
    /// recognised, or the request is cancelled by the call's own token.</summary>
    public static async IAsyncEnumerable<T> Catch<T>(this IAsyncEnumerable<T> source)
    {
        await using var e = source.GetAsyncEnumerator();
        while (true)
        {
            bool more;
            try
            {
                more = await e.MoveNextAsync();
            }
            catch (OperationCanceledException)
            {
                yield break;
            }

            if (!more)
            {
                yield break;
            }

            yield return e.Current;
        }
    }
}
