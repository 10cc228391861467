using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Receptionist.Telephony.Speech;

/// <summary>
/// <see cref="ISpeechToText"/> on Azure AI Speech's REST API for short audio: one POST per turn, started at the caller's
/// speech onset with a streamed (chunked) WAV body, so the service has heard everything but the last chunk when the turn
/// ends and answers soon after. At most 60 s of audio (the API's limit; the rest is not sent). Its answer must come
/// within <see cref="SpeechOptions.RecognitionTimeoutMilliseconds"/> of the audio's end.
/// </summary>
public sealed class AzureSpeechToText(HttpClient http, SpeechOptions options, SpeechAuthorization authorization) : ISpeechToText
{
    public const int SampleRate = 16_000;

    /// <summary>The longest audio the API takes.</summary>
    public static readonly TimeSpan MaxAudio = TimeSpan.FromSeconds(60);

    private const string ContentType = "audio/wav; codecs=audio/pcm; samplerate=16000";

    public async Task<RecognitionResult> RecognizeAsync(IAsyncEnumerable<ReadOnlyMemory<byte>> audio, RecognitionRequest request, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var body = new StreamedWav(audio, () => deadline.CancelAfter(options.RecognitionTimeoutMilliseconds));
        body.Headers.TryAddWithoutValidation("Content-Type", ContentType); // as the service documents it: codecs=audio/pcm unquoted
        using var message = new HttpRequestMessage(HttpMethod.Post, options.RecognitionUri(request.Language)) { Content = body };
        message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (request.CorrelationId is { Length: > 0 } id)
        {
            message.Headers.Add("X-Correlation-Id", id);
        }

        try
        {
            await authorization.ApplyAsync(message, deadline.Token);
            using var response = await http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
            if (!response.IsSuccessStatusCode)
            {
                return RecognitionResult.Failed($"HTTP {(int)response.StatusCode}", body.Milliseconds);
            }

            await using var stream = await response.Content.ReadAsStreamAsync(deadline.Token);
            using var json = await JsonDocument.ParseAsync(stream, cancellationToken: deadline.Token);
            return Read(json.RootElement, body.Milliseconds);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return RecognitionResult.Failed("timed out", body.Milliseconds);
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or IOException or Azure.Identity.AuthenticationFailedException or Azure.Identity.CredentialUnavailableException)
        {
            return RecognitionResult.Failed(ex is JsonException ? "unreadable answer" : ex.GetType().Name, body.Milliseconds);
        }
    }

    /// <summary>The service's answer: <c>RecognitionStatus</c>, and for Success the best of <c>NBest</c> (detailed
    /// format) or <c>DisplayText</c>.</summary>
    public static RecognitionResult Read(JsonElement root, int audioMilliseconds)
    {
        var status = root.TryGetProperty("RecognitionStatus", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
        switch (status)
        {
            case "Success":
                string? text = null;
                double? confidence = null;
                if (root.TryGetProperty("NBest", out var nbest) && nbest.ValueKind == JsonValueKind.Array && nbest.GetArrayLength() > 0)
                {
                    var best = nbest[0];
                    text = best.TryGetProperty("Display", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
                    confidence = best.TryGetProperty("Confidence", out var c) && c.ValueKind == JsonValueKind.Number ? c.GetDouble() : null;
                }

                if (string.IsNullOrWhiteSpace(text) && root.TryGetProperty("DisplayText", out var display) && display.ValueKind == JsonValueKind.String)
                {
                    text = display.GetString();
                }

                return string.IsNullOrWhiteSpace(text)
                    ? new RecognitionResult(RecognitionStatus.NoMatch, string.Empty, null, "Success without text", audioMilliseconds)
                    : new RecognitionResult(RecognitionStatus.Recognized, text.Trim(), confidence, null, audioMilliseconds);
            case "NoMatch" or "InitialSilenceTimeout" or "BabbleTimeout":
                return new RecognitionResult(RecognitionStatus.NoMatch, string.Empty, null, status, audioMilliseconds);
            default:
                return RecognitionResult.Failed(status ?? "no RecognitionStatus", audioMilliseconds);
        }
    }

    /// <summary>The request body: a streamed WAV header, then each chunk as it comes (flushed, so it leaves at once),
    /// up to <see cref="MaxAudio"/>; <paramref name="ended"/> runs once the last has gone.</summary>
    private sealed class StreamedWav(IAsyncEnumerable<ReadOnlyMemory<byte>> audio, Action ended) : HttpContent
    {
        private const long MaxBytes = SampleRate * 2 * 60;
        private long _sent;

        public int Milliseconds => (int)(Interlocked.Read(ref _sent) * 1000 / (SampleRate * 2));

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => SerializeToStreamAsync(stream, context, CancellationToken.None);

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
        {
            await stream.WriteAsync(WavHeader.Pcm16Mono(SampleRate), cancellationToken);
            await stream.FlushAsync(cancellationToken);
            await foreach (var chunk in audio.WithCancellation(cancellationToken))
            {
                var room = MaxBytes - _sent;
                if (room <= 0)
                {
                    continue; // past the API's limit: the turn goes on, the rest is not sent
                }

                var part = chunk.Length <= room ? chunk : chunk[..(int)room];
                await stream.WriteAsync(part, cancellationToken);
                await stream.FlushAsync(cancellationToken);
                Interlocked.Add(ref _sent, part.Length);
            }

            ended();
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false; // chunked
        }
    }
}
