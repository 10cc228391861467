using System.Net.WebSockets;
using Microsoft.Extensions.Options;
using Receptionist.Audio;
using Receptionist.Host.Configuration;
using Receptionist.Telephony.Speech;
using Receptionist.Telephony.Twilio;

namespace Receptionist.Host.Streaming;

/// <summary>
/// <c>GET /twilio/media</c>: a Twilio Media Streams WebSocket (&lt;Connect&gt;&lt;Stream&gt;, bidirectional). The
/// upgrade must carry a valid X-Twilio-Signature over the stream URL (403 before upgrading otherwise); the
/// <c>start</c> message names the call, which must be one <c>/twilio/voice</c> started in stream mode for the same
/// tenant (<c>&lt;Parameter name="tenant"&gt;</c>), or the socket closes with the reason and nothing is stored.
/// </summary>
public static class TwilioMediaEndpoint
{
    public static async Task<IResult> Connect(HttpContext http, IServiceProvider services, IOptionsMonitor<TwilioOptions> twilio, IOptions<ReceptionistOptions> app,
        IOptions<StreamingOptions> streaming, IOptions<CallsOptions> budget, ILogger<VoiceSession> logger)
    {
        if (!http.WebSockets.IsWebSocketRequest)
        {
            return TypedResults.Problem("Expected a WebSocket upgrade (Twilio Media Streams).", statusCode: StatusCodes.Status400BadRequest);
        }

        var url = PublicUrls.WebSocket(http.Request, app.Value.PublicBaseUrl, http.Request.Path) + http.Request.QueryString;
        if (!TwilioSignature.IsValidUpgrade(twilio.CurrentValue.AuthToken, url, http.Request.Headers[TwilioSignature.Header]))
        {
            logger.LogWarning("Rejected a Media Streams upgrade: missing or invalid signature");
            return TypedResults.Problem("Missing or invalid X-Twilio-Signature.", statusCode: StatusCodes.Status403Forbidden);
        }

        var speech = services.GetRequiredService<IOptions<SpeechOptions>>().Value;
        if (!speech.IsConfigured)
        {
            logger.LogError("A Media Streams call arrived but Speech:Region or Speech:Endpoint is not configured");
            return TypedResults.Problem("Speech is not configured (Speech:Region or Speech:Endpoint).", statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        using var socket = await http.WebSockets.AcceptWebSocketAsync();
        using var channel = new TwilioMediaChannel(socket, logger);
        var voice = new VoiceServices(services.GetRequiredService<Calls.CallCore>(), services.GetRequiredService<ISpeechToText>(),
            services.GetRequiredService<ITextToSpeech>(), services.GetRequiredService<VadModelSource>(), services.GetRequiredService<PromptCache>(),
            services.GetRequiredService<TimeProvider>());
        var settings = new VoiceSessionSettings(TimeSpan.FromSeconds(streaming.Value.SilenceSeconds), budget.Value.TurnBudget, streaming.Value.RealSpeechMilliseconds,
            streaming.Value.PaceToRealTime);
        using var session = new VoiceSession(channel, voice, settings, TwilioEventIds.Stream, TwilioEventIds.StreamClosed, logger);
        using var done = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
        var receiving = channel.ReceiveAsync(session, done.Token);
        await session.RunAsync(http.RequestAborted);
        // Let the peer answer our close (cancelling a receive aborts the socket), then stop reading.
        await receiving.WaitAsync(TimeSpan.FromSeconds(2), CancellationToken.None).ContinueWith(_ => { }, TaskScheduler.Default);
        await done.CancelAsync();
        return TypedResults.Empty;
    }
}

/// <summary>The Twilio side of a voice session: Media Streams messages in (μ-law 8 kHz decoded and resampled to
/// 16 kHz for the listener), <c>media</c>, <c>mark</c> and <c>clear</c> out. Sends are serialised (one socket, two
/// writers: the speaker and the session).</summary>
public sealed class TwilioMediaChannel(WebSocket socket, ILogger logger) : IVoiceChannel, IDisposable
{
    private readonly SemaphoreSlim _send = new(1, 1);
    private string _streamSid = string.Empty;
    private bool _stopped;

    public string Name => "twilio";

    public void Dispose() => _send.Dispose();

    public SpeechAudioFormat Format => SpeechAudioFormat.Mulaw8Khz;

    /// <summary>Reads the socket until it closes: malformed messages are logged and skipped, media after <c>stop</c> is
    /// ignored, a frame over the limit closes the socket (1009).</summary>
    public async Task ReceiveAsync(VoiceSession session, CancellationToken ct)
    {
        var buffer = new byte[MediaStreamsProtocol.MaxMessageBytes];
        var resampler = new Resampler(AudioRates.Telephone, AudioRates.Wideband);
        var pcm8 = new short[MediaStreamsProtocol.MaxPayloadBytes];
        var pcm16 = new short[resampler.OutputLength(pcm8.Length)];
        var why = "socket closed";
        try
        {
            while (socket.State == WebSocketState.Open)
            {
                var (read, count) = await WebSocketMessages.ReadAsync(socket, buffer, ct);
                if (read == WebSocketRead.TooBig)
                {
                    logger.LogWarning("Media Streams frame over {Max} bytes; closing the socket", buffer.Length);
                    session.Post(new StreamRefused(WebSocketCloseStatus.MessageTooBig, "frame over 64 kB"));
                    return;
                }

                if (read == WebSocketRead.Closed)
                {
                    break;
                }

                if (read == WebSocketRead.Binary)
                {
                    logger.LogWarning("Ignored a binary Media Streams frame");
                    continue;
                }

                if (!MediaStreamsProtocol.TryParse(buffer.AsSpan(0, count), out var message, out var error))
                {
                    logger.LogWarning("Ignored a malformed Media Streams message: {Error}", error);
                    continue;
                }

                switch (message)
                {
                    case StreamStart start when !start.IsMulaw8KhzMono:
                        session.Post(new StreamRefused(WebSocketCloseStatus.InvalidPayloadData, "media format must be audio/x-mulaw 8000 Hz mono"));
                        return;
                    case StreamStart start:
                        _streamSid = start.StreamSid;
                        session.Post(new StreamBegan(start.CallSid, start.Parameters.GetValueOrDefault(Twiml.StreamParameters.Tenant), start.StreamSid));
                        break;
                    case StreamMedia media when !_stopped && _streamSid.Length > 0 && media.Track is "inbound" or "inbound_track":
                        MuLaw.Decode(media.Payload, pcm8);
                        var n = resampler.Process(pcm8.AsSpan(0, media.Payload.Length), pcm16);
                        session.Feed(pcm16.AsSpan(0, n));
                        break;
                    case StreamDtmf dtmf when !_stopped:
                        session.Post(new KeyPressed(dtmf.Digit));
                        break;
                    case StreamMark mark:
                        session.Post(new MarkPlayed(mark.Name));
                        break;
                    case StreamStop:
                        _stopped = true;
                        why = "stop";
                        session.Post(new StreamEnded("stop"));
                        break;
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            logger.LogDebug(ex, "Media Streams socket closed");
        }

        session.Post(new StreamEnded(why));
    }

    public ValueTask SendFrameAsync(ReadOnlyMemory<byte> frame, CancellationToken ct) => SendAsync(MediaStreamsProtocol.Media(_streamSid, frame.Span), ct);

    public async ValueTask<bool> SendMarkAsync(string name, CancellationToken ct)
    {
        await SendAsync(MediaStreamsProtocol.Mark(_streamSid, name), ct);
        return true;
    }

    public ValueTask ClearAsync(CancellationToken ct) => SendAsync(MediaStreamsProtocol.Clear(_streamSid), ct);

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

    private async ValueTask SendAsync(byte[] json, CancellationToken ct)
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
