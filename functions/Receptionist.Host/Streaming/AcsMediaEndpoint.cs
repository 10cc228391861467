using System.Globalization;
using System.Net.WebSockets;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Receptionist.Calls;
using Receptionist.Host.Acs;
using Receptionist.Telephony.Acs;
using Receptionist.Telephony.Speech;

namespace Receptionist.Host.Streaming;

/// <summary>
/// <c>GET /acs/media</c>: the bidirectional media WebSocket ACS opens for a stream-mode call (the answer's
/// <c>mediaStreamingOptions</c>). The upgrade must carry the call's token in the URL (as its callback URI) and, when
/// <c>Acs:ResourceId</c> is set, the JWT ACS signs it with — 401 before upgrading otherwise, nothing read or stored —
/// and <c>x-ms-call-connection-id</c>, the connection transfers and hang-ups go to. The call must be a known
/// stream-mode ACS call of that tenant that has not ended, and the first message must say PCM 16 kHz mono, or the
/// socket closes with the reason.
/// </summary>
public static class AcsMediaEndpoint
{
    public const string ConnectionHeader = "x-ms-call-connection-id";

    public static async Task<IResult> Connect(HttpContext http, AcsAuthentication auth, ILogger<VoiceSession> logger, CancellationToken ct)
    {
        if (auth.NotConfigured is { } off)
        {
            return off;
        }

        if (!http.WebSockets.IsWebSocketRequest)
        {
            return TypedResults.Problem("Expected a WebSocket upgrade (ACS media streaming).", statusCode: StatusCodes.Status400BadRequest);
        }

        var callId = http.Request.Query["call"].ToString();
        var tenantId = http.Request.Query["tenant"].ToString();
        if (callId.Length == 0 || !await auth.IsCallbackAsync(http, callId, tenantId, ct))
        {
            return auth.Unauthorized("ACS media");
        }

        if (http.Request.Headers[ConnectionHeader].ToString() is not { Length: > 0 } connection)
        {
            return TypedResults.Problem($"The {ConnectionHeader} header is missing.", statusCode: StatusCodes.Status400BadRequest);
        }

        if (MediaSessions.SpeechMissing(http.RequestServices, logger) is { } missing)
        {
            return missing;
        }

        using var socket = await http.WebSockets.AcceptWebSocketAsync();
        using var channel = new AcsMediaChannel(socket, callId, tenantId, connection, http.RequestServices.GetRequiredService<AcsCallRunner>(), logger);
        // Event ids are per socket: ACS may open a call's stream again, and its messages carry no sequence of their own.
        var socketId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        await MediaSessions.RunAsync(http, channel, channel.ReceiveAsync,
            (stream, n) => $"acs:media:{stream}.{socketId}:{n.ToString(CultureInfo.InvariantCulture)}", stream => $"acs:media:{stream}.{socketId}:closed", logger);
        return TypedResults.Empty;
    }
}

/// <summary>The ACS side of a voice session: AudioMetadata binds the call (the format must be PCM 16 kHz mono),
/// AudioData (PCM16 16 kHz, as the listener wants it) feeds the listener, DtmfData are keys; our audio goes out as
/// AudioData in 20 ms frames, a barge-in as StopAudio. ACS has no marks: the pacer's play-out position stands in.
/// Transfers and hang-ups go through Call Automation once the words have played.</summary>
public sealed class AcsMediaChannel(WebSocket socket, string callId, string tenantId, string connection, AcsCallRunner runner, ILogger logger)
    : MediaSocket(socket, logger), IVoiceChannel
{
    private bool _began;

    public string Name => AcsCalls.Channel;

    public SpeechAudioFormat Format => SpeechAudioFormat.Pcm16Khz;

    /// <summary>Reads the socket until it closes: malformed messages are logged and skipped, audio before the metadata
    /// ignored, a frame over the limit closes the socket (1009), a format other than PCM 16 kHz mono closes it (1007).</summary>
    public async Task ReceiveAsync(VoiceSession session, CancellationToken ct)
    {
        bool Handle(AcsMediaInbound message)
        {
            switch (message)
            {
                case AcsAudioMetadata metadata when !metadata.IsPcm16KhzMono:
                    Logger.LogWarning("Refused ACS media of {Encoding} {Rate} Hz, {Channels} channel(s)", metadata.Encoding, metadata.SampleRate, metadata.Channels);
                    session.Post(new StreamRefused(WebSocketCloseStatus.InvalidPayloadData, "media format must be PCM 16000 Hz mono"));
                    return false;
                case AcsAudioMetadata metadata when !_began:
                    _began = true;
                    session.Post(new StreamBegan(callId, tenantId, metadata.SubscriptionId is { Length: > 0 } id ? id : connection));
                    break;
                case AcsAudioData audio when _began:
                    session.Feed(MemoryMarshal.Cast<byte, short>(audio.Data)); // PCM16 little-endian, as this machine
                    break;
                case AcsDtmfData dtmf when _began:
                    session.Post(new KeyPressed(dtmf.Digit));
                    break;
            }

            return true;
        }

        if (await ReadMessagesAsync<AcsMediaInbound>(session, AcsMediaProtocol.MaxMessageBytes, "ACS media", AcsMediaProtocol.TryParse, Handle, ct))
        {
            session.Post(new StreamEnded("socket closed"));
        }
    }

    public ValueTask SendFrameAsync(ReadOnlyMemory<byte> frame, CancellationToken ct) => SendAsync(AcsMediaProtocol.AudioData(frame.Span), ct);

    /// <summary>ACS reports no play-out position.</summary>
    public ValueTask<bool> SendMarkAsync(string name, CancellationToken ct) => ValueTask.FromResult(false);

    public ValueTask ClearAsync(CancellationToken ct) => SendAsync(AcsMediaProtocol.StopAudio(), ct);

    public async ValueTask HandBackAsync(CallReply? decision, CancellationToken ct) => await runner.HandBackAsync(callId, tenantId, connection, decision, ct);
}
