using System.Diagnostics;
using System.Text.Json;
using Azure;
using Microsoft.Extensions.Options;
using Receptionist.Calls;
using Receptionist.Core.Conversation;
using Receptionist.Core.Phone;
using Receptionist.Core.Tenants;
using Receptionist.Host.Configuration;
using Receptionist.Telephony.Acs;
using Receptionist.Telephony.Twilio;

namespace Receptionist.Host.Acs;

/// <summary>What Event Grid's IncomingCall says, as we read it (the caller's identifier exactly as ACS gave it).</summary>
public sealed record AcsIncomingCall(string ServerCallId, string IncomingCallContext, string? To, AcsIdentifier Caller);

/// <summary>
/// Carries ACS calls: turns Event Grid's IncomingCall and ACS's callback events into call-core starts and events, and
/// the core's decisions into Call Automation requests (<see cref="AcsRendering"/>). Every request for a decision has a
/// repeatability id derived from the call and the decision, so sending it again is harmless — which is why a
/// redelivered result re-sends the request its decision needs (a crash may have lost it). The turn budget bounds the
/// storage work of a callback, not ACS's answers. When storage fails or runs past the budget, the caller is put
/// through to the business if it has a transfer number, otherwise hears an apology; when ACS refuses a request, the
/// caller hears an apology. Never silence.
/// </summary>
public sealed class AcsCallRunner(
    CallCore core,
    TenantDirectory tenants,
    AcsCallClient client,
    AcsAfterPlay afterPlay,
    IOptions<AcsOptions> options,
    IOptions<CallsOptions> calls,
    TimeProvider clock,
    ILogger<AcsCallRunner> logger)
{
    private readonly byte[] _callbackKey = options.Value.CallbackKey();

    /// <summary>An incoming call to one of our numbers: store it and answer it (once); an unknown number is rejected.</summary>
    public async Task IncomingAsync(AcsIncomingCall call, string publicBase, CancellationToken ct)
    {
        var callId = AcsCalls.CallId(call.ServerCallId);
        using var scope = logger.BeginScope("call {CallId}", callId);
        Activity.Current?.SetTag(ReceptionistTelemetry.Tags.CallId, callId);
        Activity.Current?.SetTag(ReceptionistTelemetry.Tags.Channel, AcsCalls.Channel);
        var reply = await core.StartAsync(
            new CallStart(callId, AcsCalls.Events.Incoming, AcsCalls.Channel, call.To ?? string.Empty, call.Caller.Number, await ModeAsync(call.To, ct),
                JsonSerializer.Serialize(call.Caller, AcsJson.Options)), ct);
        if (reply.Tenant is null)
        {
            await SafelyAsync("reject the call", () => client.RejectAsync(new AcsRejectRequest(call.IncomingCallContext, "none"), AcsCalls.Repeatability(callId, "reject"), ct));
            return;
        }

        // A redelivery is answered again (same repeatability id) only while the call has not connected: the first
        // answer may have been lost. Once connected, it is a redelivery and nothing more.
        var first = reply.Status == TurnStatus.Handled;
        if (!first && (reply.Record!.Turn > 0 || reply.Record.Seen(AcsCalls.Events.Connected) || reply.Record.Session.Ended))
        {
            return;
        }

        // A stream-mode call's audio comes to /acs/media; ACS's own speech services are still named, for the
        // Recognize/Play the call falls back to if a transfer fails after the stream was handed back.
        var media = IsStream(reply.Record!) ? new AcsMediaStreamingOptions(AcsCalls.MediaUri(WebSocketUrls.FromHttp(publicBase), callId, reply.Tenant.Id, _callbackKey)) : null;
        var answer = new AcsAnswerRequest(call.IncomingCallContext, AcsCalls.CallbackUri(publicBase, callId, reply.Tenant.Id, _callbackKey), AcsCalls.AnswerContext,
            new AcsCallIntelligenceOptions(options.Value.CognitiveServicesEndpoint!), media);
        if (!await SafelyAsync("answer the call", () => client.AnswerAsync(answer, AcsCalls.Repeatability(callId, "answer"), ct)) && first)
        {
            await core.EndAsync(callId, new CallEnd(AcsCalls.Events.Disconnected, null, "ACS did not connect the call"), CancellationToken.None);
        }
    }

    /// <summary>The voice mode a new call is stored with: the tenant's <c>voiceMode: "stream"</c> streams the audio
    /// through us; every other tenant (and an unknown number, rejected anyway) is ACS recognising and playing.</summary>
    private async Task<string> ModeAsync(string? to, CancellationToken ct) =>
        PhoneNumber.TryNormalize(to, out var e164) && await tenants.ByNumberAsync(e164, ct) is { VoiceMode: VoiceMode.Stream } ? AcsCalls.StreamMode : AcsCalls.Mode;

    /// <summary>The call's words and listening go over its media WebSocket (<c>/acs/media</c>), not Recognize/Play.</summary>
    private static bool IsStream(Core.Storage.CallRecord record) => record.Mode == AcsCalls.StreamMode;

    /// <summary>One callback event of a call. False when the call is unknown.</summary>
    public async Task<bool> OnEventAsync(string callId, string tenantId, AcsCallbackEvent ev, CancellationToken ct)
    {
        using var scope = logger.BeginScope("call {CallId}", callId);
        if (ev.CallConnectionId is not { } connection)
        {
            return true; // nothing to act on without the connection
        }

        using var deadline = new CancellationTokenSource(calls.Value.TurnBudget, clock);
        using var storage = CancellationTokenSource.CreateLinkedTokenSource(ct, deadline.Token);
        var call = new Leg(callId, tenantId, connection);
        try
        {
            return await DispatchAsync(call, ev, storage.Token, ct);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested && (StorageTrouble.Is(ex) || ex is OperationCanceledException))
        {
            logger.LogError(ex, "Handling {Event} failed{Late}; the caller is put through or hears an apology", ev.Name, deadline.IsCancellationRequested ? " (past the turn budget)" : string.Empty);
            await TroubleAsync(call);
            return true;
        }
    }

    /// <summary>One call as a callback names it: our call id, its tenant (from the authenticated callback URI) and ACS's connection.</summary>
    private sealed record Leg(string CallId, string TenantId, string Connection);

    /// <param name="storage">Bounded by the turn budget: for the call core. ACS requests run on <paramref name="ct"/>.</param>
    private async Task<bool> DispatchAsync(Leg call, AcsCallbackEvent ev, CancellationToken storage, CancellationToken ct)
    {
        // A context that is not ours (or none) leaves op at its default and matches no purpose below.
        _ = AcsOperation.TryParse(ev.OperationContext, out var op);
        logger.LogDebug("ACS event {Event} for {Context}", ev.Name, ev.OperationContext);
        switch (ev.Name)
        {
            case "CallConnected":
            {
                var latest = await core.RememberAsync(call.CallId, AcsCalls.Events.Connected, storage);
                if (latest.Status == TurnStatus.UnknownCall)
                {
                    return false;
                }

                // The start decision, even one that ends the call (an inactive subscription's apology). A redelivered
                // CallConnected sends it again as the same request (its first may have been lost), so ACS acts once.
                // A stream-mode call's greeting is spoken over its media socket, which ACS opens itself.
                if (latest.Record!.Turn == 0 && !latest.Record.Seen(AcsCalls.Events.Disconnected) && !IsStream(latest.Record))
                {
                    await RenderAsync(call, latest, ct);
                }

                return true;
            }

            case "RecognizeFailed" when op.Purpose == AcsOperation.Listen && !ev.HeardNothing:
                // ACS could not play the question or listen (speech service down, a bad prompt): the caller would hear
                // nothing turn after turn. Say so and end the call.
                logger.LogError("ACS could not play or listen (sub-code {SubCode}: {Message})", ev.SubCode, ev.Message);
                await ApologiseAsync(call, await VoiceAsync(call, storage));
                return true;

            case "RecognizeCompleted" or "RecognizeFailed" when op.Purpose == AcsOperation.Listen:
            {
                CallEvent heard = ev.Digits is { Length: > 0 } digits ? new KeypadPressed(digits)
                    : !string.IsNullOrWhiteSpace(ev.Speech) ? new CallerSaid(ev.Speech, ev.Confidence)
                    : new NoInput();
                return await AdvanceAsync(call, AcsCalls.Events.Heard(op.Turn), heard, op.Turn, render: true, storage, ct);
            }

            case "PlayCompleted" or "PlayFailed" when op.Purpose is AcsOperation.Hangup or AcsOperation.Transfer or AcsOperation.Trouble:
                if (ev.Name == "PlayFailed")
                {
                    logger.LogWarning("ACS could not play our prompt (sub-code {SubCode}); going on", ev.SubCode);
                }

                afterPlay.Played(call.CallId, op);
                await AfterPlayAsync(call, op, storage, ct);
                return true;

            case "CallTransferAccepted" or "CallTransferFailed" when op.Purpose == AcsOperation.Transfer:
                // Accepted: the caller is with the business and we have left the call, so nothing more is said.
                return await AdvanceAsync(call, AcsCalls.Events.Transfer(op.Turn), new TransferResult(ev.Name == "CallTransferAccepted"), op.Turn,
                    render: ev.Name == "CallTransferFailed", storage, ct);

            case "CallTransferFailed" when op.Purpose == AcsOperation.Trouble:
                await HangUpAsync(call);
                return true;

            case "CallDisconnected":
                afterPlay.Forget(call.CallId);
                return await core.EndAsync(call.CallId, new CallEnd(AcsCalls.Events.Disconnected, null, "Call disconnected"), storage);

            default:
                // PlayStarted, RecognizeCanceled, ParticipantsUpdated, … and results of requests that are not ours:
                // nothing to do, so not even storage is read (it may be the very thing that is down).
                return true;
        }
    }

    private async Task<bool> AdvanceAsync(Leg call, string eventId, CallEvent ev, int turn, bool render, CancellationToken storage, CancellationToken ct)
    {
        var reply = await core.HandleAsync(call.CallId, eventId, ev, storage, answersTurn: turn);
        switch (reply.Status)
        {
            case TurnStatus.UnknownCall:
                return false;
            case TurnStatus.Handled when render:
            // A redelivery of the result that led to the latest decision: its request may never have reached ACS.
            case TurnStatus.Duplicate when render && reply.Turn == turn + 1:
                await RenderAsync(call, reply, ct);
                break;
            case TurnStatus.Ended:
                await HangUpAsync(call);
                break;
            default:
                logger.LogDebug("Nothing to send for a {Status} result of turn {Turn}", reply.Status, turn);
                break;
        }

        return true;
    }

    /// <summary>Sends the request that carries out a decision; if ACS refuses it, the caller hears an apology.</summary>
    private async Task RenderAsync(Leg call, CallReply reply, CancellationToken ct)
    {
        if (reply.Tenant is not { } tenant || reply.Record is not { } record)
        {
            await HangUpAsync(call); // the tenant is gone
            return;
        }

        var voice = Voice(tenant);
        var step = AcsRendering.Plan(reply.Actions, reply.Turn, voice, CallerOf(record));
        try
        {
            switch (step)
            {
                case AcsListenStep listen:
                    await client.RecognizeAsync(call.Connection, listen.Request, AcsCalls.Repeatability(call.CallId, "recognize " + listen.Request.OperationContext), ct);
                    break;
                case AcsPlayStep play:
                    if (play.Operation.Purpose != AcsOperation.Listen)
                    {
                        afterPlay.Schedule(call.CallId, play.Operation, () => AfterPlayAsync(call, play.Operation, CancellationToken.None, CancellationToken.None));
                    }

                    await client.PlayAsync(call.Connection, play.Request, AcsCalls.Repeatability(call.CallId, "play " + play.Request.OperationContext), ct);
                    break;
                case AcsHangUpStep:
                    await client.HangUpAsync(call.Connection, ct);
                    break;
                case AcsTransferStep transfer:
                    await TransferAsync(call, transfer.Number, record.Session.DialledNumber, reply.Turn, ct);
                    break;
                default:
                    logger.LogWarning("A decision with nothing to say or do at turn {Turn}", reply.Turn);
                    break;
            }
        }
        catch (Exception ex) when (ex is RequestFailedException or HttpRequestException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            logger.LogError("ACS refused {Step}: {Error}", step.GetType().Name, AcsError(ex));
            if (ex is not RequestFailedException { Status: StatusCodes.Status404NotFound })
            {
                await ApologiseAsync(call, voice);
            }
        }
    }

    /// <summary>A stream-mode call's media session has played a decision that ends its stream (docs/streaming.md):
    /// put the caller through (the outcome comes back as CallTransferAccepted / CallTransferFailed, as for a play-then-
    /// transfer), or hang up. <paramref name="decision"/> null: the session could not go on; hang up.</summary>
    public async Task HandBackAsync(string callId, string tenantId, string connection, CallReply? decision, CancellationToken ct)
    {
        using var scope = logger.BeginScope("call {CallId}", callId);
        var call = new Leg(callId, tenantId, connection);
        if (decision is { Record: { } record } && decision.Actions.OfType<TransferCall>().FirstOrDefault() is { } transfer)
        {
            await TransferAsync(call, transfer.Number, record.Session.DialledNumber, decision.Turn, ct);
            return;
        }

        await HangUpAsync(call);
    }

    /// <summary>Puts the caller through; a transfer ACS refuses comes back as one nobody answered (a message is taken).</summary>
    private async Task TransferAsync(Leg call, string number, string shownNumber, int turn, CancellationToken ct)
    {
        var request = AcsRendering.Transfer(number, PhoneNumber.TryNormalize(shownNumber, out var e164) ? e164 : null, turn);
        if (!await SafelyAsync("transfer", () => client.TransferAsync(call.Connection, request, AcsCalls.Repeatability(call.CallId, "transfer " + request.OperationContext), ct)))
        {
            await AdvanceAsync(call, AcsCalls.Events.Transfer(turn), new TransferResult(false), turn, render: true, CancellationToken.None, CancellationToken.None);
        }
    }

    /// <summary>The prompts before a hang-up or transfer have played (or failed, or timed out): do it.</summary>
    private async Task AfterPlayAsync(Leg call, AcsOperation op, CancellationToken storage, CancellationToken ct)
    {
        switch (op.Purpose)
        {
            case AcsOperation.Hangup:
                await HangUpAsync(call);
                return;
            case AcsOperation.Trouble:
                await TroubleAfterApologyAsync(call);
                return;
        }

        var latest = await core.LatestAsync(call.CallId, storage);
        if (latest.Turn == op.Turn && latest.Actions.OfType<TransferCall>().FirstOrDefault() is { } transfer && latest.Record is { } record)
        {
            await TransferAsync(call, transfer.Number, record.Session.DialledNumber, op.Turn, ct);
        }
    }

    /// <summary>ACS refused a request mid-call: apologise and hang up (if it refuses that too, just hang up).</summary>
    private Task ApologiseAsync(Leg call, AcsVoice voice)
    {
        var op = new AcsOperation(0, AcsOperation.Hangup);
        return SayThenAsync(call, SystemPhrases.TechnicalDifficulty, voice, op, "play apology", () => AfterPlayAsync(call, op, CancellationToken.None, CancellationToken.None));
    }

    /// <summary>Storage failed or ran past the turn budget: say so, then put the caller through or hang up. Once per
    /// call (the repeatability ids are the call's), so a storage outage cannot loop apology after apology.</summary>
    private Task TroubleAsync(Leg call)
    {
        var tenant = tenants.LastKnownById(call.TenantId);
        var text = tenant?.TransferNumber is null ? SystemPhrases.TechnicalDifficulty : SystemPhrases.TroublePuttingThrough;
        return SayThenAsync(call, text, tenant is null ? DefaultVoice : Voice(tenant), AcsOperation.InTrouble, "play trouble", () => TroubleAfterApologyAsync(call));
    }

    /// <summary>Plays <paramref name="text"/>, then (on PlayCompleted or its timeout) <paramref name="then"/>; if ACS
    /// refuses the play, hangs up at once.</summary>
    private async Task SayThenAsync(Leg call, string text, AcsVoice voice, AcsOperation op, string request, Func<Task> then)
    {
        afterPlay.Schedule(call.CallId, op, then);
        var play = new AcsPlayRequest([AcsPlaySource.Speak(text, voice.Language, voice.VoiceName)], op.ToString());
        if (!await SafelyAsync("apologise", () => client.PlayAsync(call.Connection, play, AcsCalls.Repeatability(call.CallId, request), CancellationToken.None)))
        {
            afterPlay.Forget(call.CallId);
            await HangUpAsync(call);
        }
    }

    private Task<bool> HangUpAsync(Leg call) => SafelyAsync("hang up", () => client.HangUpAsync(call.Connection, CancellationToken.None));

    /// <summary>After the apology: the business's number if this process knows it (storage may still be down), else
    /// hang up. The tenant id comes from the callback URI, which the call's token authenticates. Caller ID is left to
    /// ACS (the number the caller dialled is in storage).</summary>
    private async Task TroubleAfterApologyAsync(Leg call)
    {
        if (tenants.LastKnownById(call.TenantId) is { TransferNumber: { } number })
        {
            var request = new AcsTransferRequest(AcsIdentifier.Phone(number), null, AcsOperation.InTrouble.ToString());
            if (await SafelyAsync("transfer", () => client.TransferAsync(call.Connection, request, AcsCalls.Repeatability(call.CallId, "transfer trouble"), CancellationToken.None)))
            {
                return;
            }
        }

        await HangUpAsync(call);
    }

    private async Task<bool> SafelyAsync(string what, Func<Task> action)
    {
        try
        {
            await action();
            return true;
        }
        catch (Exception ex) when (ex is RequestFailedException or HttpRequestException or OperationCanceledException)
        {
            logger.LogError("Could not {What}: {Error}", what, AcsError(ex));
            return false;
        }
    }

    /// <summary>ACS's status, code and message (the first line of the exception's, which names the field or state it
    /// objects to), or the kind of network failure.</summary>
    private static string AcsError(Exception ex) => ex is RequestFailedException r
        ? $"{r.Status} {r.ErrorCode} {r.Message.Split('\n', 2)[0]}"
        : ex.GetType().Name;

    /// <summary>When not even the tenant is known.</summary>
    private static readonly AcsVoice DefaultVoice = new("en-US", null);

    private AcsVoice Voice(Tenant tenant) => new(tenant.Language, tenants.Professions.Get(tenant.ProfessionId).VoiceFor(tenant));

    private async Task<AcsVoice> VoiceAsync(Leg call, CancellationToken storage) =>
        (tenants.LastKnownById(call.TenantId) ?? await tenants.ByIdAsync(call.TenantId, storage)) is { } tenant ? Voice(tenant) : DefaultVoice;

    /// <summary>The caller as ACS named them at the start; a call stored without it (never on ACS) falls back to its number.</summary>
    private static AcsIdentifier CallerOf(Core.Storage.CallRecord record) =>
        record.ChannelData is { } json && JsonSerializer.Deserialize<AcsIdentifier>(json, AcsJson.Options) is { } id ? id
        : AcsIdentifier.Phone(record.Session.CallerNumber ?? "anonymous");
}
