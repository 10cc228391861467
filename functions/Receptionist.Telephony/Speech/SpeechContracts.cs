namespace Receptionist.Telephony.Speech;

/// <summary>Speech-to-text for one caller turn: the audio is sent while the caller still speaks (from speech onset), and
/// the result comes soon after the audio ends.</summary>
public interface ISpeechToText
{
    /// <summary>Recognises <paramref name="audio"/> — PCM16 little-endian, 16 kHz, mono, in chunks as they arrive; the
    /// turn ends when the sequence does. Never throws for the service's failures (a timeout, 429, 5xx, an unreachable
    /// host): they come back as <see cref="RecognitionStatus.Failed"/>, so the caller hears the usual re-prompt. Only
    /// <paramref name="cancellationToken"/> (the call ended) cancels.</summary>
    Task<RecognitionResult> RecognizeAsync(IAsyncEnumerable<ReadOnlyMemory<byte>> audio, RecognitionRequest request, CancellationToken cancellationToken);
}

/// <param name="Language">BCP-47, e.g. en-US: the tenant's language.</param>
/// <param name="CorrelationId">An opaque id of the stream and turn (no number, no name), sent as
/// <c>X-Correlation-Id</c>: for tracing, and so the loopback stand-in returns each stream's scripted lines.</param>
public sealed record RecognitionRequest(string Language, string? CorrelationId = null);

public enum RecognitionStatus
{
    /// <summary>Words were heard.</summary>
    Recognized,

    /// <summary>Audio came, but no words in it (silence, noise, babble).</summary>
    NoMatch,

    /// <summary>The service did not answer in time, refused, or failed.</summary>
    Failed,
}

/// <param name="Text">The display form ("Tuesday at 3 PM."), empty unless recognised.</param>
/// <param name="Confidence">0–1 where the service gave one.</param>
/// <param name="Detail">Why not recognised (the service's status, an HTTP status, "timed out"); never the audio or words.</param>
/// <param name="AudioMilliseconds">How much audio was sent.</param>
public sealed record RecognitionResult(RecognitionStatus Status, string Text, double? Confidence, string? Detail, int AudioMilliseconds)
{
    public static RecognitionResult Failed(string detail, int audioMilliseconds) => new(RecognitionStatus.Failed, string.Empty, null, detail, audioMilliseconds);
}

/// <summary>Text-to-speech: the agent's words as audio in the channel's format, streamed as the service produces it.</summary>
public interface ITextToSpeech
{
    /// <summary>The audio of <paramref name="request"/>, chunk by chunk as it arrives. Throws
    /// <see cref="SpeechServiceException"/> when the service refuses, fails or does not start answering in time.</summary>
    IAsyncEnumerable<ReadOnlyMemory<byte>> SynthesizeAsync(SynthesisRequest request, CancellationToken cancellationToken);
}

/// <param name="Voice">An Azure neural voice name (the tenant's <c>voice</c>), e.g. en-US-JennyNeural.</param>
/// <param name="CorrelationId">An opaque id of the stream and turn, sent as <c>X-Correlation-Id</c> (as for recognition).</param>
public sealed record SynthesisRequest(string Text, string Voice, string Language, SpeechAudioFormat Format, string? CorrelationId = null);

/// <summary>The raw (headerless) formats the channels take.</summary>
public enum SpeechAudioFormat
{
    /// <summary>G.711 μ-law, 8 kHz, mono: Twilio Media Streams.</summary>
    Mulaw8Khz,

    /// <summary>PCM16 little-endian, 16 kHz, mono: ACS media.</summary>
    Pcm16Khz,

    /// <summary>PCM16 little-endian, 24 kHz, mono.</summary>
    Pcm24Khz,
}

public static class SpeechAudioFormats
{
    /// <summary>The service's X-Microsoft-OutputFormat name.</summary>
    public static string OutputFormat(this SpeechAudioFormat format) => format switch
    {
        SpeechAudioFormat.Mulaw8Khz => "raw-8khz-8bit-mono-mulaw",
        SpeechAudioFormat.Pcm16Khz => "raw-16khz-16bit-mono-pcm",
        SpeechAudioFormat.Pcm24Khz => "raw-24khz-16bit-mono-pcm",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown audio format"),
    };

    /// <summary>The format an X-Microsoft-OutputFormat names; null for one not listed here.</summary>
    public static SpeechAudioFormat? FromOutputFormat(string? name) => name switch
    {
        "raw-8khz-8bit-mono-mulaw" => SpeechAudioFormat.Mulaw8Khz,
        "raw-16khz-16bit-mono-pcm" => SpeechAudioFormat.Pcm16Khz,
        "raw-24khz-16bit-mono-pcm" => SpeechAudioFormat.Pcm24Khz,
        _ => null,
    };

    /// <summary>Bytes per second of audio.</summary>
    public static int BytesPerSecond(this SpeechAudioFormat format) => format switch
    {
        SpeechAudioFormat.Mulaw8Khz => 8000,
        SpeechAudioFormat.Pcm16Khz => 32000,
        SpeechAudioFormat.Pcm24Khz => 48000,
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown audio format"),
    };
}

/// <summary>The speech service refused or failed a request; <see cref="Status"/> is the HTTP status (0: no answer).</summary>
public sealed class SpeechServiceException(string message, int status, Exception? inner = null) : Exception(message, inner)
{
    public int Status { get; } = status;
}
