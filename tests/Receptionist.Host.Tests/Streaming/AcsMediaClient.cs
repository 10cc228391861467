using System.Text.Json.Nodes;
using Receptionist.Telephony.Speech;

namespace Receptionist.Host.Tests.Streaming;

/// <summary>
/// ACS's side of a bidirectional media streaming socket, for the app's tests: the upgrade with its JWT and call
/// headers, AudioMetadata, then a 640-byte PCM16 16 kHz AudioData frame every 20 ms, keys as DtmfData; the app's
/// AudioData played in real time ("audio"), StopAudio drops what is queued ("stop"). ACS echoes no marks.
/// </summary>
internal sealed class AcsMediaClient() : CarrierMediaClient(FrameBytes, 0, SpeechAudioFormat.Pcm16Khz, 32_000)
{
    private const int FrameBytes = 640;

    /// <summary>The media subscription's id, as ACS names it in AudioMetadata (the app's stream id).</summary>
    public string SubscriptionId { get; } = Guid.NewGuid().ToString();

    /// <summary>Opens the socket as ACS does: <paramref name="token"/> as the bearer JWT (none when null), the call's
    /// connection and correlation ids as headers.</summary>
    public static async Task<AcsMediaClient> ConnectAsync(Uri url, string? token, string connection)
    {
        var client = new AcsMediaClient();
        if (token is not null)
        {
            client.Socket.Options.SetRequestHeader("Authorization", "Bearer " + token);
        }

        client.Socket.Options.SetRequestHeader("x-ms-call-connection-id", connection);
        client.Socket.Options.SetRequestHeader("x-ms-call-correlation-id", Guid.NewGuid().ToString());
        await client.OpenAsync(url);
        return client;
    }

    /// <summary>AudioMetadata, then the frames begin.</summary>
    public async Task StartAsync(string encoding = "PCM", int sampleRate = 16_000)
    {
        await SendAsync(new JsonObject
        {
            ["kind"] = "AudioMetadata",
            ["audioMetadata"] = new JsonObject { ["subscriptionId"] = SubscriptionId, ["encoding"] = encoding, ["sampleRate"] = sampleRate, ["channels"] = 1, ["length"] = FrameBytes },
        });
        StartSending();
    }

    public async Task PressAsync(string digits)
    {
        foreach (var digit in digits)
        {
            await SendAsync(new JsonObject { ["kind"] = "DtmfData", ["dtmfData"] = new JsonObject { ["data"] = digit.ToString() } });
            await Task.Delay(100);
        }
    }

    protected override JsonObject AudioFrame(byte[] frame, long chunk, bool silent) => new()
    {
        ["kind"] = "AudioData",
        ["audioData"] = new JsonObject
        {
            ["timestamp"] = DateTimeOffset.UtcNow.ToString("O"), ["participantRawID"] = "4:+15557654321", ["data"] = Convert.ToBase64String(frame), ["silent"] = silent,
        },
    };

    protected override void OnMessage(JsonObject message, long now)
    {
        switch ((string?)message["kind"])
        {
            case "AudioData":
                Played("audio", Convert.FromBase64String((string)message["audioData"]!["data"]!).Length, now);
                break;
            case "StopAudio":
                Flushed("stop", now);
                break;
            default:
                throw new InvalidOperationException("The app sent " + message.ToJsonString());
        }
    }
}
