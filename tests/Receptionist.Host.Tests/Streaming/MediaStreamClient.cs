using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Receptionist.Telephony.Speech;
using Receptionist.Telephony.Twilio;
using Receptionist.Testing;

namespace Receptionist.Host.Tests.Streaming;

/// <summary>
/// Twilio's side of a bidirectional Media Streams socket, for the app's tests: signed upgrade, connected + start, then
/// a 20 ms μ-law frame every 20 ms of real time (silence, or the caller's espeak-ng speech), keys as dtmf; what the
/// app sends is "played" in real time — each mark echoed when playback reaches it, every pending mark at once on a
/// clear. Every wait is bounded.
/// </summary>
internal sealed class MediaStreamClient() : CarrierMediaClient(FrameBytes, 0xFF, SpeechAudioFormat.Mulaw8Khz, 8000)
{
    private const int FrameBytes = 160;

    private readonly List<(string Name, long DueAt)> _marks = [];
    private int _sequence;

    public string StreamSid { get; } = "MZ" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>Agent audio bytes received so far.</summary>
    public long MediaBytes => AudioBytes;

    public static async Task<MediaStreamClient> ConnectAsync(string url, string? signature = "")
    {
        var client = new MediaStreamClient();
        if (signature is not null)
        {
            client.Socket.Options.SetRequestHeader(TwilioSignature.Header, signature.Length == 0 ? TwilioSignature.Compute(AppHost.AuthToken, url, []) : signature);
        }

        await client.OpenAsync(new Uri(url));
        return client;
    }

    /// <summary>connected, start (with the TwiML's parameters), then the frames begin.</summary>
    public async Task StartAsync(string callSid, string? tenant, string encoding = "audio/x-mulaw")
    {
        await SendAsync(new JsonObject { ["event"] = "connected", ["protocol"] = "Call", ["version"] = "1.0.0" });
        var parameters = new JsonObject();
        if (tenant is not null)
        {
            parameters["tenant"] = tenant;
        }

        await SendAsync(new JsonObject
        {
            ["event"] = "start", ["sequenceNumber"] = Next(), ["streamSid"] = StreamSid,
            ["start"] = new JsonObject
            {
                ["accountSid"] = AppHost.AccountSid, ["streamSid"] = StreamSid, ["callSid"] = callSid, ["tracks"] = new JsonArray("inbound"),
                ["customParameters"] = parameters,
                ["mediaFormat"] = new JsonObject { ["encoding"] = encoding, ["sampleRate"] = 8000, ["channels"] = 1 },
            },
        });
        StartSending();
    }

    public async Task PressAsync(string digits)
    {
        foreach (var digit in digits)
        {
            await SendAsync(new JsonObject
            {
                ["event"] = "dtmf", ["streamSid"] = StreamSid, ["sequenceNumber"] = Next(),
                ["dtmf"] = new JsonObject { ["track"] = "inbound_track", ["digit"] = digit.ToString() },
            });
            await Task.Delay(100);
        }
    }

    public Task StopAsync(string callSid) => SendAsync(new JsonObject
    {
        ["event"] = "stop", ["sequenceNumber"] = Next(), ["streamSid"] = StreamSid,
        ["stop"] = new JsonObject { ["accountSid"] = AppHost.AccountSid, ["callSid"] = callSid },
    });

    protected override JsonObject AudioFrame(byte[] frame, long chunk, bool silent) => new()
    {
        ["event"] = "media", ["sequenceNumber"] = Next(), ["streamSid"] = StreamSid,
        ["media"] = new JsonObject
        {
            ["track"] = "inbound", ["chunk"] = chunk.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["timestamp"] = (chunk * 20).ToString(System.Globalization.CultureInfo.InvariantCulture), ["payload"] = Convert.ToBase64String(frame),
        },
    };

    protected override void AfterFrame() => EchoDueMarks();

    protected override void OnMessage(JsonObject message, long now)
    {
        switch ((string?)message["event"])
        {
            case "media":
                Played("media", Convert.FromBase64String((string)message["media"]!["payload"]!).Length, now);
                break;
            case "mark":
                lock (Gate)
                {
                    var name = (string)message["mark"]!["name"]!;
                    _marks.Add((name, Math.Max(now, PlayEnd)));
                    Record("mark:" + name, now);
                }

                break;
            case "clear":
                lock (Gate)
                {
                    Flushed("clear", now);
                    for (var i = 0; i < _marks.Count; i++)
                    {
                        _marks[i] = (_marks[i].Name, 0); // Twilio echoes every pending mark at once
                    }
                }

                EchoDueMarks();
                break;
            default:
                throw new InvalidOperationException("The app sent " + message.ToJsonString());
        }
    }

    private string Next() => Interlocked.Increment(ref _sequence).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private void EchoDueMarks()
    {
        List<string> due;
        lock (Gate)
        {
            var now = System.Diagnostics.Stopwatch.GetTimestamp();
            due = [.. _marks.Where(m => m.DueAt <= now).Select(m => m.Name)];
            _marks.RemoveAll(m => m.DueAt <= now);
        }

        foreach (var name in due)
        {
            _ = SendAsync(new JsonObject { ["event"] = "mark", ["sequenceNumber"] = Next(), ["streamSid"] = StreamSid, ["mark"] = new JsonObject { ["name"] = name } });
        }
    }
}
