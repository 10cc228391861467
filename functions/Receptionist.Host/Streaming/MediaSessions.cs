using System.Net.WebSockets;
using Microsoft.Extensions.Options;
using Receptionist.Host.Configuration;
using Receptionist.Telephony.Speech;

namespace Receptionist.Host.Streaming;

/// <summary>What every carrier's media endpoint does once its upgrade is authenticated: refuse while speech is not
/// configured, then run one <see cref="VoiceSession"/> over the socket with the channel's receive loop beside it.</summary>
public static class MediaSessions
{
    /// <summary>503 while neither <c>Speech:Region</c> nor <c>Speech:Endpoint</c> is set (before upgrading), else null.</summary>
    public static IResult? SpeechMissing(IServiceProvider services, ILogger logger)
    {
        if (services.GetRequiredService<IOptions<SpeechOptions>>().Value.IsConfigured)
        {
            return null;
        }

        logger.LogError("A media stream arrived but Speech:Region or Speech:Endpoint is not configured");
        return TypedResults.Problem("Speech is not configured (Speech:Region or Speech:Endpoint).", statusCode: StatusCodes.Status503ServiceUnavailable);
    }

    /// <summary>Runs the call's voice session until it or the socket ends; then lets the peer answer our close
    /// (cancelling a receive aborts the socket) for up to 2 s, and stops reading.</summary>
    /// <param name="receive">The channel's receive loop, feeding the session.</param>
    public static async Task RunAsync(HttpContext http, IVoiceChannel channel, Func<VoiceSession, CancellationToken, Task> receive,
        Func<string, int, string> eventId, Func<string, string> closedEventId, ILogger logger)
    {
        var services = http.RequestServices;
        var streaming = services.GetRequiredService<IOptions<StreamingOptions>>().Value;
        var voice = new VoiceServices(services.GetRequiredService<Calls.CallCore>(), services.GetRequiredService<ISpeechToText>(),
            services.GetRequiredService<ITextToSpeech>(), services.GetRequiredService<VadModelSource>(), services.GetRequiredService<PromptCache>(),
            services.GetRequiredService<TimeProvider>());
        var settings = new VoiceSessionSettings(TimeSpan.FromSeconds(streaming.SilenceSeconds), services.GetRequiredService<IOptions<CallsOptions>>().Value.TurnBudget,
            streaming.RealSpeechMilliseconds, streaming.PaceToRealTime);
        using var session = new VoiceSession(channel, voice, settings, eventId, closedEventId, logger);
        using var done = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
        var receiving = receive(session, done.Token);
        await session.RunAsync(http.RequestAborted);
        await receiving.WaitAsync(TimeSpan.FromSeconds(2), CancellationToken.None).ContinueWith(_ => { }, TaskScheduler.Default);
        await done.CancelAsync();
    }
}

/// <summary>One carrier's media WebSocket as the session writes to it: text messages serialised (two writers, the
/// speaker and the session), sends after the peer has gone dropped quietly, one close.</summary>
public abstract class MediaSocket(WebSocket socket, ILogger logger) : IDisposable
{
    private readonly SemaphoreSlim _send = new(1, 1);

    protected WebSocket Socket => socket;

    protected ILogger Logger => logger;

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            _send.Dispose();
        }
    }

    /// <summary>A carrier protocol's parser of one text message.</summary>
    protected delegate bool MessageParser<T>(ReadOnlySpan<byte> utf8, out T message, out string error);

    /// <summary>Reads the socket's text messages until it closes, handing each one <paramref name="parse"/> accepts to
    /// <paramref name="handle"/> (false: the stream is refused, stop reading). Binary and malformed messages are logged
    /// and skipped; one over <paramref name="maxBytes"/> refuses the stream (1009); a broken or cancelled socket ends it
    /// quietly.</summary>
    /// <returns>True when the socket ended, false when the stream was refused.</returns>
    protected async Task<bool> ReadMessagesAsync<T>(VoiceSession session, int maxBytes, string protocol, MessageParser<T> parse, Func<T, bool> handle,
        CancellationToken ct)
    {
        var buffer = new byte[maxBytes];
        try
        {
            while (socket.State == WebSocketState.Open)
            {
                var (read, count) = await WebSocketMessages.ReadAsync(socket, buffer, ct);
                if (read == WebSocketRead.TooBig)
                {
                    logger.LogWarning("{Protocol} frame over {Max} bytes; closing the socket", protocol, buffer.Length);
                    session.Post(new StreamRefused(WebSocketCloseStatus.MessageTooBig, "frame over 64 kB"));
                    return false;
                }

                if (read == WebSocketRead.Closed)
                {
                    break;
                }

                if (read == WebSocketRead.Binary)
                {
                    logger.LogWarning("Ignored a binary {Protocol} frame", protocol);
                    continue;
                }

                if (!parse(buffer.AsSpan(0, count), out var message, out var error))
                {
                    logger.LogWarning("Ignored a malformed {Protocol} message: {Error}", protocol, error);
                    continue;
                }

                if (!handle(message))
                {
                    return false;
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            logger.LogDebug(ex, "{Protocol} socket closed", protocol);
        }

        return true;
    }

    public async ValueTask CloseAsync(WebSocketCloseStatus status, string reason, CancellationToken ct)
    {
        if (socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
        {
            return;
        }

        await _send.WaitAsync(ct);
        try
        {
            await socket.CloseOutputAsync(status, reason, ct);
        }
        catch (WebSocketException ex)
        {
            logger.LogDebug(ex, "Closing the media socket failed");
        }
        finally
        {
            _send.Release();
        }
    }

    protected async ValueTask SendAsync(byte[] json, CancellationToken ct)
    {
        if (socket.State != WebSocketState.Open)
        {
            return;
        }

        await _send.WaitAsync(ct);
        try
        {
            await socket.SendAsync(json, WebSocketMessageType.Text, endOfMessage: true, ct);
        }
        catch (WebSocketException ex)
        {
            logger.LogDebug(ex, "Sending on the media socket failed; the peer is gone");
        }
        finally
        {
            _send.Release();
        }
    }
}
