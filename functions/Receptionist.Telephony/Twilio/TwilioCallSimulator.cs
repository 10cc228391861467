using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Xml.Linq;

namespace Receptionist.Telephony.Twilio;

public sealed record SimulatedTurn(string Speaker, string Text);

/// <summary>One simulated call's transcript and timings.</summary>
public sealed record SimulatedCall(string CallSid, IReadOnlyList<SimulatedTurn> Turns, bool Ended, IReadOnlyList<double> ResponseMilliseconds, string? TransferredTo);

/// <summary>Where the caller's next line comes from: a script, or a person at the keyboard.</summary>
public interface ICallerLines
{
    /// <summary>The caller's next line: text, "#123" for keypad digits, "" for silence, or null to hang up.</summary>
    ValueTask<string?> NextAsync(CancellationToken cancellationToken);
}

public sealed class ScriptedCaller(IEnumerable<string> lines) : ICallerLines
{
    private readonly Queue<string> _lines = new(lines);

    public ValueTask<string?> NextAsync(CancellationToken cancellationToken) => ValueTask.FromResult(_lines.TryDequeue(out var l) ? l : null);
}

/// <summary>
/// Plays Twilio's side of a call against the app, speaking the real webhook protocol: form-encoded POSTs signed with
/// X-Twilio-Signature, &lt;Gather action&gt; followed (with SpeechResult or Digits, or nothing on silence because of
/// actionOnEmptyResult), &lt;Redirect&gt; followed, &lt;Hangup/&gt; and &lt;Dial&gt; end the call, and a final status
/// callback when the caller hangs up.
/// </summary>
public sealed class TwilioCallSimulator(HttpClient http, Uri baseUrl, string authToken, string accountSid)
{
    private const int MaxRequests = 200;

    public event Action<SimulatedTurn>? TurnAdded;

    /// <summary>What a transfer (&lt;Dial action&gt;) reports back as DialCallStatus: "completed" (a person answered),
    /// or "no-answer", "busy", "failed" to play a failed transfer.</summary>
    public string DialStatus { get; set; } = "completed";

    public async Task<SimulatedCall> RunAsync(string to, string from, ICallerLines caller, CancellationToken cancellationToken)
    {
        var callSid = "CA" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var turns = new List<SimulatedTurn>();
        var timings = new List<double>();
        var common = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["CallSid"] = callSid, ["AccountSid"] = accountSid, ["From"] = from, ["To"] = to,
            ["Direction"] = "inbound", ["ApiVersion"] = "2010-04-01",
        };

        void Add(string speaker, string text)
        {
            var turn = new SimulatedTurn(speaker, text);
            turns.Add(turn);
            TurnAdded?.Invoke(turn);
        }

        var url = new Uri(baseUrl, TwilioPaths.Voice);
        string? transferredTo = null;
        var form = new Dictionary<string, string>(common) { ["CallStatus"] = "ringing" };
        for (var requests = 0; requests < MaxRequests; requests++)
        {
            var (xml, ms) = await PostAsync(url, form, cancellationToken);
            timings.Add(ms);
            XElement response;
            try
            {
                response = XDocument.Parse(xml).Root ?? throw new FormatException("empty TwiML");
            }
            catch (System.Xml.XmlException ex)
            {
                throw new InvalidOperationException($"The app answered with something that is not TwiML: {ex.Message}", ex);
            }

            Uri? next = null;
            Dictionary<string, string>? nextForm = null;
            foreach (var verb in response.Elements())
            {
                switch (verb.Name.LocalName)
                {
                    case "Say":
                        Add("agent", verb.Value);
                        break;
                    case "Gather":
                        foreach (var say in verb.Elements().Where(e => e.Name.LocalName == "Say"))
                        {
                            Add("agent", say.Value);
                        }

                        var line = await caller.NextAsync(cancellationToken);
                        if (line is null)
                        {
                            await HangUpAsync(common, cancellationToken);
                            return new SimulatedCall(callSid, turns, false, timings, transferredTo);
                        }

                        var action = (string?)verb.Attribute("action");
                        next = action is null ? url : new Uri(url, action);
                        nextForm = new Dictionary<string, string>(common) { ["CallStatus"] = "in-progress" };
                        if (line.StartsWith('#') && line.Length > 1)
                        {
                            nextForm["Digits"] = line[1..];
                            Add("caller", line);
                        }
                        else if (line.Length > 0)
                        {
                            nextForm["SpeechResult"] = line;
                            nextForm["Confidence"] = "0.92";
                            Add("caller", line);
                        }
                        else
                        {
                            Add("caller", "(silence)");
                        }

                        break;
                    case "Redirect":
                        next = new Uri(url, verb.Value.Trim());
                        nextForm = new Dictionary<string, string>(common) { ["CallStatus"] = "in-progress" };
                        break;
                    case "Dial":
                        var number = verb.Value.Trim();
                        var dialAction = (string?)verb.Attribute("action");
                        var connected = DialStatus is "completed" or "answered";
                        Add("system", connected ? $"(transferred to {number})" : $"(transfer to {number}: {DialStatus})");
                        transferredTo = connected ? number : transferredTo;
                        if (dialAction is null)
                        {
                            return new SimulatedCall(callSid, turns, true, timings, transferredTo);
                        }

                        next = new Uri(url, dialAction);
                        nextForm = new Dictionary<string, string>(common) { ["CallStatus"] = "in-progress", ["DialCallStatus"] = DialStatus };
                        break;
                    case "Hangup":
                        return new SimulatedCall(callSid, turns, true, timings, transferredTo);
                }

                if (next is not null)
                {
                    break; // Twilio leaves the document once a Gather got input or a Redirect is reached
                }
            }

            if (next is null)
            {
                return new SimulatedCall(callSid, turns, true, timings, transferredTo); // end of document: Twilio hangs up
            }

            url = next;
            form = nextForm!;
        }

        throw new InvalidOperationException($"The call did not end after {MaxRequests} requests.");
    }

    private async Task HangUpAsync(Dictionary<string, string> common, CancellationToken cancellationToken)
    {
        var form = new Dictionary<string, string>(common) { ["CallStatus"] = "completed", ["CallDuration"] = "30" };
        await PostAsync(new Uri(baseUrl, TwilioPaths.Status), form, cancellationToken);
    }

    private async Task<(string Body, double Milliseconds)> PostAsync(Uri url, Dictionary<string, string> form, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Add(TwilioSignature.Header, TwilioSignature.Compute(authToken, url.AbsoluteUri, form));
        var started = Stopwatch.GetTimestamp();
        using var response = await http.SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        if (response.StatusCode is not (HttpStatusCode.OK or HttpStatusCode.NoContent))
        {
            throw new HttpRequestException($"{url.AbsolutePath} answered {(int)response.StatusCode}: {body}", null, response.StatusCode);
        }

        return (body, ms);
    }
}

/// <summary>The app's Twilio webhook paths (configured on the Twilio number).</summary>
public static class TwilioPaths
{
    public const string Voice = "/twilio/voice";
    public const string Gather = "/twilio/voice/gather";
    public const string Dial = "/twilio/voice/dial";
    public const string Status = "/twilio/status";

    public static string GatherUrl(int turn) => $"{Gather}?turn={turn.ToString(CultureInfo.InvariantCulture)}";

    public static string DialUrl(int turn) => $"{Dial}?turn={turn.ToString(CultureInfo.InvariantCulture)}";
}
