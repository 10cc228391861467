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
        ILogger<VoiceSession> logger)
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

        if (MediaSessions.SpeechMissing(services, logger) is { } missing)
        {
            return missing;
        }

        using var socket = await http.WebSockets.AcceptWebSocketAsync();
        using var channel = new TwilioMediaChannel(socket, logger);
        await MediaSessions.RunAsync(http, channel, channel.ReceiveAsync, TwilioEventIds.Stream, TwilioEventIds.StreamClosed, logger);
        return TypedResults.Empty;
    }
}

/// <summary>The Twilio side of a voice session: Media Streams messages in (μ-law 8 kHz decoded and resampled to
/// 16 kHz for the listener), <c>media</c>, <c>mark</c> and <c>clear</c> out.</summary>
public sealed class TwilioMediaChannel(WebSocket socket, ILogger logger) : MediaSocket(socket, logger), IVoiceChannel
{
    private string _streamSid = string.Empty;
    private bool _stopped;

    public string Name => "twilio";

    public SpeechAudioFormat Format => SpeechAudioFormat.Mulaw8Khz;

    /// <summary>Reads the socket until it closes: malformed messages are logged and skipped, media after <c>stop</c> is
    /// ignored, a frame over the limit closes the socket (1009).</summary>
    public async Task ReceiveAsync(VoiceSession session, CancellationToken ct)
    {
        var resampler = new Resampler(AudioRates.Telephone, AudioRates.Wideband);
        var pcm8 = new short[MediaStreamsProtocol.MaxPayloadBytes];
        var pcm16 = new short[resampler.OutputLength(pcm8.Length)];
        var why = "socket closed";
        bool Handle(StreamInbound message)
        {
            switch (message)
            {
                case StreamStart start when !start.IsMulaw8KhzMono:
                    session.Post(new StreamRefused(WebSocketCloseStatus.InvalidPayloadData, "media format must be audio/x-mulaw 8000 Hz mono"));
                    return false;
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

            return true;
        }

        if (await ReadMessagesAsync<StreamInbound>(session, MediaStreamsProtocol.MaxMessageBytes, "Media Streams", MediaStreamsProtocol.TryParse, Handle, ct))
        {
            session.Post(new StreamEnded(why));
        }
    }

    public ValueTask SendFrameAsync(ReadOnlyMemory<byte> frame, CancellationToken ct) => SendAsync(MediaStreamsProtocol.Media(_streamSid, frame.Span), ct);

    public async ValueTask<bool> SendMarkAsync(string name, CancellationToken ct)
    {
        await SendAsync(MediaStreamsProtocol.Mark(_streamSid, name), ct);
        return true;
    }

    public ValueTask ClearAsync(CancellationToken ct) => SendAsync(MediaStreamsProtocol.Clear(_streamSid), ct);

    /// <summary>Nothing to do here: closing the stream hands the call back to TwiML, whose &lt;Connect action&gt;
    /// reads the decision and dials or hangs up.</summary>
    public ValueTask HandBackAsync(Calls.CallReply? decision, CancellationToken ct) => ValueTask.CompletedTask;
}
