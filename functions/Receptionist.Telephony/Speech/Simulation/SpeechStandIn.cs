using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Xml.Linq;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Receptionist.Telephony.Simulation;

namespace Receptionist.Telephony.Speech.Simulation;

/// <summary>
/// A loopback stand-in for Azure AI Speech's two REST APIs, on Kestrel at 127.0.0.1, reached as a custom-domain
/// <c>Speech:Endpoint</c> (<c>/stt/speech/recognition/conversation/cognitiveservices/v1</c>,
/// <c>/tts/cognitiveservices/v1</c>). No speech recogniser that works on phone audio runs offline here, so recognition
/// returns the <b>scripted</b> line for the stream (<see cref="Script"/>) — but only for audio that is real: a PCM16
/// 16 kHz mono WAV of 0.1–60 s whose level is above silence; silence gets InitialSilenceTimeout, as from Azure, and an
/// utterance with no line scripted NoMatch. Synthesis is real speech: espeak-ng's voice, converted by sox to the
/// format asked for. Both check the key, the content type and the required headers as the service does.
/// </summary>
public sealed class SpeechStandIn : IAsyncDisposable
{
    public const string DefaultKey = "fake-speech-key-0123456789";

    /// <summary>Below this level (dBFS RMS) an utterance is silence.</summary>
    public const double SilenceDbfs = -50;

    private const int MaxBodyBytes = 3 * 1024 * 1024;
    private const string Json = "application/json; charset=utf-8";
    private static readonly TimeSpan MaxHang = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan ToolTimeout = TimeSpan.FromSeconds(20);

    private readonly WebApplication _app;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<string>> _scripts = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<int> _failures = new();
    private readonly ConcurrentQueue<HeardUtterance> _heard = new();
    private readonly ConcurrentQueue<SpokenText> _spoken = new();
    private int _disposed;

    private SpeechStandIn(WebApplication app, Uri baseUrl, string key)
    {
        _app = app;
        Endpoint = baseUrl;
        Key = key;
    }

    /// <summary>What the app's <c>Speech:Endpoint</c> is set to.</summary>
    public Uri Endpoint { get; }

    public string Key { get; }

    /// <summary>Added before every recognition answer (after the audio has all come): a service of fixed latency.</summary>
    public TimeSpan RecognitionDelay { get; set; }

    /// <summary>Added before the first byte of every synthesis.</summary>
    public TimeSpan SynthesisDelay { get; set; }

    /// <summary>Every recognition request, in arrival order (the latest 1,000).</summary>
    public IReadOnlyList<HeardUtterance> Heard => [.. _heard];

    /// <summary>Every synthesis request answered with audio (the latest 1,000).</summary>
    public IReadOnlyList<SpokenText> Spoken => [.. _spoken];

    /// <summary>Raised (on the request's thread) for each synthesis as it is answered, before its audio is sent: the
    /// stream simulator shows the agent's words from it.</summary>
    public event Action<SpokenText>? Synthesized;

    public static async Task<SpeechStandIn> StartAsync(int port = 0, string key = DefaultKey, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        return await LoopbackApp.StartAsync(port, (app, url) => new SpeechStandIn(app, url, key), (s, context) => s.HandleAsync(context),
            k =>
            {
                k.AddServerHeader = false;
                k.Limits.MaxRequestBodySize = MaxBodyBytes;
            },
            cancellationToken);
    }

    /// <summary>What the stream's next utterances say, in order. <paramref name="stream"/> is the part of the request's
    /// <c>X-Correlation-Id</c> before its first '/'; null: for requests without one.</summary>
    public void Script(string? stream, params string[] lines)
    {
        var queue = _scripts.GetOrAdd(stream ?? string.Empty, _ => new ConcurrentQueue<string>());
        foreach (var line in lines)
        {
            queue.Enqueue(line);
        }
    }

    /// <summary>The next request is answered with this status (429, 500, 503 …) and nothing else.</summary>
    public void FailNext(int status) => _failures.Enqueue(status);

    /// <summary>The next request gets no answer until the client gives up (at most 30 s).</summary>
    public void HangNext() => _failures.Enqueue(0);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync();
        using (var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
        {
            await _app.StopAsync(stop.Token);
        }

        await _app.DisposeAsync();
        _stopping.Dispose();
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var aborted = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token, context.RequestAborted);
        var ct = aborted.Token;
        try
        {
            var request = context.Request;
            if (_failures.TryDequeue(out var status))
            {
                if (status == 0)
                {
                    await Task.Delay(MaxHang, ct);
                    status = 503;
                }

                context.Response.StatusCode = status;
                return;
            }

            if (request.Headers["Ocp-Apim-Subscription-Key"] != Key)
            {
                await ErrorAsync(context.Response, 401, "Access denied due to invalid subscription key or wrong API endpoint.", ct);
                return;
            }

            switch (request.Path.Value)
            {
                case "/stt/" + SpeechOptions.RecognitionPath when HttpMethods.IsPost(request.Method):
                    await RecognizeAsync(context, ct);
                    return;
                case "/tts/" + SpeechOptions.SynthesisPath when HttpMethods.IsPost(request.Method):
                    await SynthesizeAsync(context, ct);
                    return;
                default:
                    await ErrorAsync(context.Response, 404, $"No such resource: {request.Method} {request.Path}", ct);
                    return;
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or BadHttpRequestException)
        {
            context.Abort();
        }
    }

    private async Task RecognizeAsync(HttpContext context, CancellationToken ct)
    {
        var request = context.Request;
        var language = request.Query["language"].ToString();
        if (language.Length == 0)
        {
            await ErrorAsync(context.Response, 400, "The language query parameter is required.", ct);
            return;
        }

        var type = request.ContentType ?? string.Empty;
        if (!type.StartsWith("audio/wav", StringComparison.OrdinalIgnoreCase) || !type.Contains("codecs=audio/pcm", StringComparison.OrdinalIgnoreCase)
            || !type.Contains("samplerate=16000", StringComparison.OrdinalIgnoreCase))
        {
            await ErrorAsync(context.Response, 400, $"Unsupported Content-Type '{type}': audio/wav; codecs=audio/pcm; samplerate=16000 expected.", ct);
            return;
        }

        var chunked = request.Headers.TransferEncoding.ToString().Contains("chunked", StringComparison.OrdinalIgnoreCase);
        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body, ct);
        var receivedAt = Stopwatch.GetTimestamp(); // the client finished the upload: the turn's end, for the voice path
        var wav = body.GetBuffer().AsSpan(0, (int)body.Length);
        if (!WavHeader.TryRead(wav, out var format, out var problem) || format.Encoding != 1 || format.Channels != 1 || format.SampleRate != 16_000 || format.BitsPerSample != 16)
        {
            await ErrorAsync(context.Response, 400, problem ?? $"Unsupported audio: {format.Encoding}/{format.Channels} ch/{format.SampleRate} Hz/{format.BitsPerSample} bit; PCM16 16 kHz mono expected.", ct);
            return;
        }

        var samples = wav.Slice(format.DataOffset, format.DataLength & ~1);
        var milliseconds = samples.Length / 32;
        var level = Dbfs(samples);
        var correlation = request.Headers["X-Correlation-Id"].ToString();
        var stream = correlation.Split('/', 2)[0];
        string status;
        string? text = null;
        if (milliseconds < 100 || milliseconds > 60_000)
        {
            await ErrorAsync(context.Response, 400, $"The audio is {milliseconds} ms long; 100 ms to 60 s expected.", ct);
            return;
        }

        if (level < SilenceDbfs)
        {
            status = "InitialSilenceTimeout";
        }
        else if (_scripts.TryGetValue(stream, out var queue) && queue.TryDequeue(out var line))
        {
            (status, text) = ("Success", line);
        }
        else
        {
            status = "NoMatch";
        }

        long? answeredAt = null;
        try
        {
            await Task.Delay(RecognitionDelay, ct);
            answeredAt = Stopwatch.GetTimestamp();
        }
        finally
        {
            Keep(_heard, new HeardUtterance(correlation, language, milliseconds, Math.Round(level, 1), chunked, status, text, receivedAt, answeredAt));
        }

        object answer = text is null
            ? new { RecognitionStatus = status, Offset = 0, Duration = 0 }
            : new
            {
                RecognitionStatus = status, Offset = 0, Duration = milliseconds * 10_000L, DisplayText = text,
                NBest = new[] { new { Confidence = 0.93, Lexical = text.ToLowerInvariant(), ITN = text, MaskedITN = text, Display = text } },
            };
        context.Response.ContentType = Json;
        await context.Response.WriteAsync(JsonSerializer.Serialize(answer), ct);
    }

    private async Task SynthesizeAsync(HttpContext context, CancellationToken ct)
    {
        var request = context.Request;
        if (!(request.ContentType ?? string.Empty).StartsWith("application/ssml+xml", StringComparison.OrdinalIgnoreCase))
        {
            await ErrorAsync(context.Response, 415, "Content-Type application/ssml+xml expected.", ct);
            return;
        }

        var format = SpeechAudioFormats.FromOutputFormat(request.Headers["X-Microsoft-OutputFormat"]);
        if (format is null || string.IsNullOrEmpty(request.Headers.UserAgent))
        {
            await ErrorAsync(context.Response, 400, format is null ? "Unsupported or missing X-Microsoft-OutputFormat." : "User-Agent is required.", ct);
            return;
        }

        string text, voice, language;
        try
        {
            using var reader = new StreamReader(request.Body);
            var speak = XElement.Parse(await reader.ReadToEndAsync(ct));
            var v = speak.Elements().FirstOrDefault(e => e.Name.LocalName == "voice") ?? throw new FormatException("no <voice>");
            (text, voice, language) = (v.Value.Trim(), (string?)v.Attribute("name") ?? string.Empty,
                (string?)speak.Attribute(XNamespace.Xml + "lang") ?? string.Empty);
        }
        catch (Exception e) when (e is System.Xml.XmlException or FormatException)
        {
            await ErrorAsync(context.Response, 400, $"The SSML cannot be read: {e.Message}", ct);
            return;
        }

        if (text.Length == 0 || voice.Length == 0)
        {
            await ErrorAsync(context.Response, 400, "The SSML has no text or no voice name.", ct);
            return;
        }

        byte[] audio;
        try
        {
            audio = await Espeak.SpeakAsync(text, language, format.Value, ct);
        }
        catch (InvalidOperationException e)
        {
            await ErrorAsync(context.Response, 500, e.Message, ct);
            return;
        }

        var spoken = new SpokenText(request.Headers["X-Correlation-Id"].ToString(), voice, language, format.Value, text, audio.Length * 1000 / format.Value.BytesPerSecond());
        Keep(_spoken, spoken);
        Synthesized?.Invoke(spoken);
        await Task.Delay(SynthesisDelay, ct);
        context.Response.ContentType = "audio/basic";
        for (var at = 0; at < audio.Length; at += 3200)
        {
            await context.Response.Body.WriteAsync(audio.AsMemory(at, Math.Min(3200, audio.Length - at)), ct);
            await context.Response.Body.FlushAsync(ct);
        }
    }

    /// <summary>RMS level of PCM16 little-endian samples, in dB below full scale.</summary>
    public static double Dbfs(ReadOnlySpan<byte> pcm16)
    {
        if (pcm16.Length < 2)
        {
            return double.NegativeInfinity;
        }

        double sum = 0;
        for (var i = 0; i + 1 < pcm16.Length; i += 2)
        {
            double s = BinaryPrimitives.ReadInt16LittleEndian(pcm16[i..]);
            sum += s * s;
        }

        var rms = Math.Sqrt(sum / (pcm16.Length / 2));
        return rms <= 0 ? double.NegativeInfinity : 20 * Math.Log10(rms / 32768);
    }

    private static async Task ErrorAsync(HttpResponse response, int status, string message, CancellationToken ct)
    {
        response.StatusCode = status;
        response.ContentType = Json;
        await response.WriteAsync(JsonSerializer.Serialize(new { error = new { code = ((HttpStatusCode)status).ToString(), message } }), ct);
    }

    private static void Keep<T>(ConcurrentQueue<T> queue, T item)
    {
        queue.Enqueue(item);
        while (queue.Count > 1000 && queue.TryDequeue(out _))
        {
        }
    }

    /// <summary>espeak-ng's voice, as raw audio in a speech service format (sox converts it).</summary>
    public static class Espeak
    {
        public static async Task<byte[]> SpeakAsync(string text, string language, SpeechAudioFormat format, CancellationToken ct)
        {
            var wav = await RunAsync("espeak-ng", ["--stdout", "-v", Voice(language), "--", text], input: null, ct);
            string[] to = format switch
            {
                SpeechAudioFormat.Mulaw8Khz => ["-r", "8000", "-e", "mu-law", "-b", "8"],
                SpeechAudioFormat.Pcm16Khz => ["-r", "16000", "-e", "signed-integer", "-b", "16", "-L"],
                _ => ["-r", "24000", "-e", "signed-integer", "-b", "16", "-L"],
            };
            return await RunAsync("sox", ["-q", "-t", "wav", "-", "-t", "raw", "-c", "1", .. to, "-"], wav, ct);
        }

        /// <summary>espeak-ng's voice for a BCP-47 language: en-US → en-us.</summary>
        private static string Voice(string language) => language.Length == 0 ? "en-us" : language.ToLowerInvariant();

        private static async Task<byte[]> RunAsync(string tool, string[] arguments, byte[]? input, CancellationToken ct)
        {
            var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = input is not null, UseShellExecute = false };
            foreach (var a in arguments)
            {
                start.ArgumentList.Add(a);
            }

            Process process;
            try
            {
                process = Process.Start(start) ?? throw new InvalidOperationException($"{tool} did not start");
            }
            catch (System.ComponentModel.Win32Exception e)
            {
                throw new InvalidOperationException($"{tool} is not installed (apt-get install espeak-ng sox): {e.Message}", e);
            }

            using (process)
            using (var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct))
            {
                deadline.CancelAfter(ToolTimeout);
                var output = new MemoryStream();
                var reading = process.StandardOutput.BaseStream.CopyToAsync(output, deadline.Token);
                var errors = process.StandardError.ReadToEndAsync(deadline.Token);
                if (input is not null)
                {
                    await process.StandardInput.BaseStream.WriteAsync(input, deadline.Token);
                    process.StandardInput.Close();
                }

                try
                {
                    await Task.WhenAll(reading, errors, process.WaitForExitAsync(deadline.Token));
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    process.Kill(entireProcessTree: true);
                    throw new InvalidOperationException($"{tool} took longer than {ToolTimeout.TotalSeconds} s");
                }

                return process.ExitCode == 0 && output.Length > 0
                    ? output.ToArray()
                    : throw new InvalidOperationException($"{tool} failed ({process.ExitCode}): {(await errors).Trim()}");
            }
        }
    }
}

/// <param name="CorrelationId">The request's X-Correlation-Id (empty without one).</param>
/// <param name="Dbfs">The audio's RMS level.</param>
/// <param name="Chunked">Whether the body came with chunked transfer encoding (streamed from speech onset).</param>
/// <param name="Status">The RecognitionStatus answered.</param>
/// <param name="Text">The scripted line answered, if any.</param>
/// <param name="ReceivedAt">When the last byte of the audio arrived (a <see cref="Stopwatch"/> timestamp): the voice
/// path finishes its upload when it detects the end of the caller's turn.</param>
/// <param name="AnsweredAt">When the answer was ready to send (after <see cref="SpeechStandIn.RecognitionDelay"/>);
/// null when the client gave up first.</param>
public sealed record HeardUtterance(string CorrelationId, string Language, int Milliseconds, double Dbfs, bool Chunked, string Status, string? Text,
    long ReceivedAt, long? AnsweredAt);

/// <param name="CorrelationId">The request's X-Correlation-Id (empty without one).</param>
/// <param name="Text">What was spoken (the stand-in is a test tool; the app never logs the agent's words).</param>
public sealed record SpokenText(string CorrelationId, string Voice, string Language, SpeechAudioFormat Format, string Text, int Milliseconds)
{
    public int Characters => Text.Length;
}
