using System.Diagnostics;
using System.Text.Json.Nodes;
using Receptionist.Telephony.Twilio;

namespace Receptionist.Telephony.Acs.Simulation;

/// <summary>
/// One call of <see cref="AcsCallSimulator"/>: rings the app through Event Grid, waits for its answer, then follows its
/// requests to the stand-in, playing the caller (recognition results from the caller's lines) and the far end of a
/// transfer; its transcript, timings and request budget.
/// </summary>
internal sealed class SimulatedAcsCall(HttpClient http, Uri eventsUrl, AcsStandIn standIn, ICallerLines caller, string dialStatus, TimeSpan receiveTimeout, Action<SimulatedTurn> turnAdded)
{
    private static readonly JsonObject SilenceTimeout = StandInCallbacks.Result(400, 8510, "Action failed, initial silence timeout reached.");

    private readonly CallerLineQueue _lines = new(caller);
    private readonly List<SimulatedTurn> _turns = [];
    private readonly List<double> _timings = [];
    private string _callSid = "";
    private string? _transferredTo;
    private int _requests;

    public async Task<SimulatedCall> RunAsync(string to, string from, CancellationToken cancellationToken)
    {
        var incoming = standIn.AddIncomingCall(to, from);
        var ringing = Stopwatch.GetTimestamp();
        await EventGridDelivery.PostAsync(http, eventsUrl, EventGridDelivery.IncomingCall(incoming, TimeProvider.System.GetUtcNow()), "Notification", cancellationToken);
        IncomingCallOutcome outcome;
        try
        {
            outcome = await incoming.Outcome.WaitAsync(receiveTimeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            throw new InvalidOperationException($"The app neither answered nor rejected the IncomingCall (:answer or :reject) within {receiveTimeout.TotalSeconds:0} s.");
        }

        _requests++;
        _timings.Add(Stopwatch.GetElapsedTime(ringing, outcome.Received).TotalMilliseconds);
        if (outcome.Call is not { } call)
        {
            return Result(ended: true);
        }

        _callSid = Uri.UnescapeDataString(call.CallbackUri.AbsolutePath.TrimEnd('/').Split('/')[^1]);
        return await FollowAsync(call, cancellationToken);
    }

    /// <summary>The app's requests for the call, until it ends.</summary>
    private async Task<SimulatedCall> FollowAsync(StandInCall call, CancellationToken cancellationToken)
    {
        var awaited = "CallConnected";
        QueuedCallback? result = null; // the last result posted, whose reply is timed
        while (true)
        {
            var request = await NextAsync(call, awaited, cancellationToken);
            if (request is CallbackFailure failure)
            {
                throw failure.Error;
            }

            if (++_requests > AcsCallSimulator.MaxRequests)
            {
                throw new InvalidOperationException($"Call {_callSid} did not end after {AcsCallSimulator.MaxRequests} requests.");
            }

            if (result is { SentAt: > 0 and var sent } && request.Received > sent)
            {
                _timings.Add(Stopwatch.GetElapsedTime(sent, request.Received).TotalMilliseconds);
                result = null;
            }

            switch (request)
            {
                case AppPlay play:
                    AddAgent(play.Prompts);
                    awaited = "the end of a :play";
                    break;
                case AppRecognize recognize:
                    AddAgent(recognize.Prompts);
                    var line = await _lines.TakeAsync(cancellationToken);
                    if (line is null)
                    {
                        call.Disconnect("The caller hung up.");
                        return await EndAsync(call, ended: false, cancellationToken);
                    }

                    result = Recognized(call, recognize, line);
                    awaited = $"{(string?)result.Event!["type"]} ({recognize.OperationContext})";
                    break;
                case AppTransfer transfer when dialStatus is "completed" or "answered":
                    Add("system", $"(transferred to {transfer.Number})");
                    _transferredTo = transfer.Number;
                    call.Post("CallTransferAccepted", transfer.OperationContext, StandInCallbacks.Result(200, 7015, "The transfer operation completed successfully."),
                        new JsonObject { ["transferTarget"] = transfer.Target, ["transferee"] = call.Incoming.FromIdentifier() });
                    call.Disconnect("The call was transferred.");
                    return await EndAsync(call, ended: true, cancellationToken);
                case AppTransfer transfer:
                    Add("system", $"(transfer to {transfer.Number}: {dialStatus})");
                    result = call.Post("CallTransferFailed", transfer.OperationContext, dialStatus == "busy"
                        ? StandInCallbacks.Result(486, 8539, "Action failed, the callee is busy.")
                        : StandInCallbacks.Result(480, 8541, "Action failed, the callee is unavailable."));
                    awaited = $"CallTransferFailed ({transfer.OperationContext})";
                    break;
                case AppHangUp:
                    return await EndAsync(call, ended: true, cancellationToken);
            }
        }
    }

    /// <summary>What the caller's line comes to on ACS's side: speech, keys (a "#" line), or silence ("", or what the
    /// recognize does not listen for), posted as RecognizeCompleted or RecognizeFailed.</summary>
    private QueuedCallback Recognized(StandInCall call, AppRecognize recognize, string line)
    {
        Add("caller", line.Length == 0 ? "(silence)" : line);
        if (line.Length > 1 && line[0] == '#')
        {
            return recognize.HearsKeys && Keys(recognize, DtmfTones.Of(line[1..])) is { } keys
                ? call.Post("RecognizeCompleted", recognize.OperationContext, keys.Result, new JsonObject
                {
                    ["recognitionType"] = "dtmf",
                    ["dtmfResult"] = new JsonObject { ["tones"] = new JsonArray([.. keys.Tones.Select(t => JsonValue.Create(t))]) },
                })
                : call.Post("RecognizeFailed", recognize.OperationContext, SilenceTimeout);
        }

        return line.Length > 0 && recognize.HearsSpeech
            ? call.Post("RecognizeCompleted", recognize.OperationContext, StandInCallbacks.Result(200, 8569, "Action completed, speech recognized."), new JsonObject
            {
                ["recognitionType"] = "speech",
                ["speechResult"] = new JsonObject { ["speech"] = line, ["confidence"] = 0.9 },
            })
            : call.Post("RecognizeFailed", recognize.OperationContext, SilenceTimeout);
    }

    /// <summary>The tones the recognize collects from the keys pressed: up to a stop tone (not itself collected) or
    /// maxTonesToCollect; null when no key was pressed. Keys that run out are taken as the caller finishing properly
    /// (the stop tone, or as many as asked for).</summary>
    private static (IReadOnlyList<string> Tones, JsonObject Result)? Keys(AppRecognize recognize, IReadOnlyList<string> pressed)
    {
        if (pressed.Count == 0)
        {
            return null;
        }

        var collected = new List<string>();
        foreach (var tone in pressed)
        {
            if (recognize.StopTones.Contains(tone))
            {
                return (collected, StandInCallbacks.Result(200, 8514, "Action completed, stop tone detected."));
            }

            collected.Add(tone);
            if (collected.Count == recognize.MaxTones)
            {
                break;
            }
        }

        return recognize.StopTones.Count > 0 && collected.Count != recognize.MaxTones
            ? (collected, StandInCallbacks.Result(200, 8514, "Action completed, stop tone detected."))
            : (collected, StandInCallbacks.Result(200, 8531, "Action completed, max digits received."));
    }

    private async Task<AppRequest> NextAsync(StandInCall call, string awaited, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(receiveTimeout);
        try
        {
            return await call.Requests.ReadAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new InvalidOperationException($"The app sent no request for call {_callSid} within {receiveTimeout.TotalSeconds:0} s after {awaited}.");
        }
    }

    /// <summary>The call is over: its last callbacks delivered (or their delivery error thrown).</summary>
    private async Task<SimulatedCall> EndAsync(StandInCall call, bool ended, CancellationToken cancellationToken)
    {
        await call.Callbacks.DrainAsync().WaitAsync(cancellationToken);
        return Result(ended);
    }

    private void AddAgent(IEnumerable<string> prompts)
    {
        foreach (var prompt in prompts)
        {
            Add("agent", prompt);
        }
    }

    private void Add(string speaker, string text)
    {
        var turn = new SimulatedTurn(speaker, text);
        _turns.Add(turn);
        turnAdded(turn);
    }

    private SimulatedCall Result(bool ended) => new(_callSid, _turns, ended, _timings, _transferredTo);
}
