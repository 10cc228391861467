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
/// callback when the caller hangs up. A &lt;Connect&gt; (ConversationRelay) needs <see cref="TwilioRelaySimulator"/>.
/// </summary>
public sealed class TwilioCallSimulator(HttpClient http, Uri baseUrl, string authToken, string accountSid) : ICallSimulator
{
    public event Action<SimulatedTurn>? TurnAdded;

    /// <summary>What a transfer (&lt;Dial action&gt;) reports back as DialCallStatus: "completed" (a person answered),
    /// or "no-answer", "busy", "failed" to play a failed transfer.</summary>
    public string DialStatus { get; set; } = "completed";

    public Task<SimulatedCall> RunAsync(string to, string from, ICallerLines caller, CancellationToken cancellationToken)
    {
        var call = new SimulatedTwilioCall(http, baseUrl, authToken, accountSid, to, from, caller, DialStatus, t => TurnAdded?.Invoke(t));
        return call.RunAsync(connect: null, cancellationToken);
    }
}

/// <summary>What a &lt;Connect&gt; came to: the caller hung up during it, or Twilio goes on with a request to the
/// Connect action (Next and Form), or, without an action, with the verbs after &lt;Connect&gt; (all null).</summary>
internal sealed record ConnectOutcome(bool CallerHungUp, Uri? Next, Dictionary<string, string>? Form)
{
    public static ConnectOutcome HungUp { get; } = new(true, null, null);

    public static ConnectOutcome NextVerb { get; } = new(false, null, null);
}

/// <summary>Plays one &lt;Connect&gt; verb (found in the TwiML fetched from documentUrl).</summary>
internal delegate Task<ConnectOutcome> ConnectHandler(XElement connect, Uri documentUrl, CancellationToken cancellationToken);

/// <summary>
/// One call on Twilio's side, shared by the gather and relay simulators: the call's identity, transcript, timings,
/// request budget and caller lines, the signed webhook requests, and the TwiML follower (Say, Gather, Redirect, Dial,
/// Hangup; Connect through a handler).
/// </summary>
internal sealed class SimulatedTwilioCall
{
    public const int MaxRequests = 200;

    private readonly HttpClient _http;
    private readonly Uri _baseUrl;
    private readonly string _dialStatus;
    private readonly Action<SimulatedTurn> _turnAdded;
    private readonly List<SimulatedTurn> _turns = [];
    private readonly List<double> _timings = [];
    private readonly long _started = Stopwatch.GetTimestamp();
    private int _requests;
    private string? _transferredTo;

    public SimulatedTwilioCall(HttpClient http, Uri baseUrl, string authToken, string accountSid, string to, string from, ICallerLines caller, string dialStatus, Action<SimulatedTurn> turnAdded)
    {
        _http = http;
        _baseUrl = baseUrl;
        _dialStatus = dialStatus;
        _turnAdded = turnAdded;
        AuthToken = authToken;
        AccountSid = accountSid;
        To = to;
        From = from;
        CallSid = "CA" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        Lines = new CallerLineQueue(caller);
    }

    public string CallSid { get; }

    public string AccountSid { get; }

    public string To { get; }

    public string From { get; }

    public string AuthToken { get; }

    public CallerLineQueue Lines { get; }

    /// <summary>The parameters every webhook request of this call carries.</summary>
    public Dictionary<string, string> Form(string callStatus) => new(StringComparer.Ordinal)
    {
        ["CallSid"] = CallSid, ["AccountSid"] = AccountSid, ["From"] = From, ["To"] = To,
        ["Direction"] = "inbound", ["ApiVersion"] = "2010-04-01", ["CallStatus"] = callStatus,
    };

    public void Add(string speaker, string text)
    {
        var turn = new SimulatedTurn(speaker, text);
        _turns.Add(turn);
        _turnAdded(turn);
    }

    public void AddTiming(double milliseconds) => _timings.Add(milliseconds);

    public async Task<SimulatedCall> RunAsync(ConnectHandler? connect, CancellationToken cancellationToken)
    {
        var url = new Uri(_baseUrl, TwilioPaths.Voice);
        var form = Form("ringing");
        while (true)
        {
            var (xml, ms) = await PostAsync(url, form, cancellationToken);
            _timings.Add(ms);
            var response = ParseTwiml(xml);

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

                        var line = await Lines.TakeAsync(cancellationToken);
                        if (line is null)
                        {
                            await HangUpAsync(cancellationToken);
                            return Result(ended: false);
                        }

                        var action = (string?)verb.Attribute("action");
                        next = action is null ? url : new Uri(url, action);
                        nextForm = Form("in-progress");
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
                        nextForm = Form("in-progress");
                        break;
                    case "Dial":
                        var number = verb.Value.Trim();
                        var dialAction = (string?)verb.Attribute("action");
                        var connected = _dialStatus is "completed" or "answered";
                        Add("system", connected ? $"(transferred to {number})" : $"(transfer to {number}: {_dialStatus})");
                        _transferredTo = connected ? number : _transferredTo;
                        if (dialAction is null)
                        {
                            await HangUpAsync(cancellationToken);
                            return Result(ended: true);
                        }

                        next = new Uri(url, dialAction);
                        nextForm = Form("in-progress");
                        nextForm["DialCallStatus"] = _dialStatus;
                        break;
                    case "Connect":
                        if (connect is null)
                        {
                            throw new InvalidOperationException(
                                $"{url.AbsolutePath} answered <Connect> (ConversationRelay), which the gather simulator does not speak: use TwilioRelaySimulator (`call --mode relay`).");
                        }

                        var outcome = await connect(verb, url, cancellationToken);
                        if (outcome.CallerHungUp)
                        {
                            return Result(ended: false);
                        }

                        (next, nextForm) = (outcome.Next, outcome.Form);
                        break;
                    case "Hangup":
                        await HangUpAsync(cancellationToken); // the call is over: Twilio reports its final status
                        return Result(ended: true);
                }

                if (next is not null)
                {
                    break; // Twilio leaves the document once a Gather got input, a Redirect is reached or a Connect action is requested
                }
            }

            if (next is null)
            {
                await HangUpAsync(cancellationToken);
                return Result(ended: true); // end of document: Twilio hangs up
            }

            url = next;
            form = nextForm!;
        }
    }

    /// <summary>The call is over (the caller hung up, or the app's &lt;Hangup/&gt;): Twilio's final status callback, with the duration.</summary>
    public async Task HangUpAsync(CancellationToken cancellationToken)
    {
        var form = Form("completed");
        form["CallDuration"] = Math.Max(1, (int)Math.Ceiling(Stopwatch.GetElapsedTime(_started).TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        await PostAsync(new Uri(_baseUrl, TwilioPaths.Status), form, cancellationToken);
    }

    /// <summary>A signed form POST; a non-2xx answer throws <see cref="HttpRequestException"/> naming the path and status.</summary>
    public async Task<(string Body, double Milliseconds)> PostAsync(Uri url, IReadOnlyDictionary<string, string> form, CancellationToken cancellationToken)
    {
        if (++_requests > MaxRequests)
        {
            throw new InvalidOperationException($"The call did not end after {MaxRequests} requests.");
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Add(TwilioSignature.Header, TwilioSignature.Compute(AuthToken, url.AbsoluteUri, form));
        var started = Stopwatch.GetTimestamp();
        using var response = await _http.SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        if (response.StatusCode is not (HttpStatusCode.OK or HttpStatusCode.NoContent))
        {
            throw new HttpRequestException($"{url.AbsolutePath} answered {(int)response.StatusCode}: {body}", null, response.StatusCode);
        }

        return (body, ms);
    }

    private SimulatedCall Result(bool ended) => new(CallSid, _turns, ended, _timings, _transferredTo);

    private static XElement ParseTwiml(string xml)
    {
        try
        {
            return XDocument.Parse(xml).Root ?? throw new FormatException("empty TwiML");
        }
        catch (System.Xml.XmlException ex)
        {
            throw new InvalidOperationException($"The app answered with something that is not TwiML: {ex.Message}", ex);
        }
    }
}

/// <summary>The caller's lines, one asked for at a time. A line asked for ahead (while the relay simulator keeps
/// listening to the app) and not yet spoken stays pending for whoever speaks next: the same session, or the Gather or
/// ConversationRelay that follows.</summary>
internal sealed class CallerLineQueue(ICallerLines caller)
{
    private Task<string?>? _pending;

    /// <summary>The next line, asked for in the background so that a caller that blocks (a console) does not stop the
    /// simulator from receiving; the same task until <see cref="Consume"/>.</summary>
    public Task<string?> Pending(CancellationToken cancellationToken) =>
        _pending ??= Task.Run(async () => await caller.NextAsync(cancellationToken), cancellationToken);

    /// <summary>The pending line was spoken.</summary>
    public void Consume() => _pending = null;

    public async ValueTask<string?> TakeAsync(CancellationToken cancellationToken)
    {
        if (_pending is { } pending)
        {
            _pending = null;
            return await pending;
        }

        return await caller.NextAsync(cancellationToken);
    }
}

/// <summary>The app's Twilio webhook paths (configured on the Twilio number).</summary>
public static class TwilioPaths
{
    public const string Voice = "/twilio/voice";
    public const string Gather = "/twilio/voice/gather";
    public const string Dial = "/twilio/voice/dial";
    public const string Status = "/twilio/status";
    public const string Relay = "/twilio/relay";
    public const string RelayEnded = "/twilio/relay/ended";
    public const string Media = "/twilio/media";
    public const string StreamEnded = "/twilio/stream/ended";

    public static string GatherUrl(int turn) => $"{Gather}?turn={turn.ToString(CultureInfo.InvariantCulture)}";

    public static string DialUrl(int turn) => $"{Dial}?turn={turn.ToString(CultureInfo.InvariantCulture)}";
}
