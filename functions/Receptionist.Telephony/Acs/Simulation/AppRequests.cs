namespace Receptionist.Telephony.Acs.Simulation;

/// <summary>
/// What the app asked of one call connection, handed from the stand-in to the simulator playing the caller once the
/// stand-in has answered it (so whatever the simulator posts in reply comes after that answer). Received is the
/// <see cref="System.Diagnostics.Stopwatch"/> timestamp the request arrived at.
/// </summary>
internal abstract record AppRequest(long Received);

/// <param name="Prompts">What each play source says (text, SSML read as text, or a file named).</param>
internal sealed record AppPlay(long Received, IReadOnlyList<string> Prompts) : AppRequest(Received);

/// <param name="InputType">dtmf, speech or speechOrDtmf.</param>
/// <param name="MaxTones">dtmfOptions.maxTonesToCollect, when given.</param>
/// <param name="StopTones">dtmfOptions.stopTones (tone names).</param>
internal sealed record AppRecognize(long Received, IReadOnlyList<string> Prompts, string? OperationContext, string InputType, int? MaxTones, IReadOnlyList<string> StopTones)
    : AppRequest(Received)
{
    public bool HearsKeys => InputType is "dtmf" or "speechOrDtmf";

    public bool HearsSpeech => InputType is "speech" or "speechOrDtmf";
}

/// <param name="Number">The phone number transferred to.</param>
/// <param name="Target">targetParticipant as sent (echoed as the event's transferTarget).</param>
internal sealed record AppTransfer(long Received, string Number, System.Text.Json.Nodes.JsonObject Target, string? OperationContext) : AppRequest(Received);

/// <summary>A hang-up (DELETE) or :terminate: the call has ended on ACS's side.</summary>
internal sealed record AppHangUp(long Received) : AppRequest(Received);

/// <summary>Not a request: a callback of the call could not be delivered, which ends the simulation with this error.</summary>
internal sealed record CallbackFailure(long Received, InvalidOperationException Error) : AppRequest(Received);
