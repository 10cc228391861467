using Receptionist.Core.Conversation;

namespace Receptionist.Telephony.Acs;

/// <summary>How the receptionist sounds on this call: the tenant's language and Azure neural voice.</summary>
public sealed record AcsVoice(string Language, string? VoiceName);

/// <summary>What to ask ACS for to carry out one decision.</summary>
public abstract record AcsStep;

/// <summary>Speak the prompts and listen for the caller's speech or keys.</summary>
public sealed record AcsListenStep(AcsRecognizeRequest Request) : AcsStep;

/// <summary>Speak the prompts; when they have played, hang up or transfer (<see cref="AcsOperation.Purpose"/>).</summary>
public sealed record AcsPlayStep(AcsPlayRequest Request, AcsOperation Operation, string? TransferTo) : AcsStep;

public sealed record AcsHangUpStep : AcsStep;

public sealed record AcsTransferStep(string Number) : AcsStep;

/// <summary>Nothing to do (a decision with nothing to say).</summary>
public sealed record AcsNoStep : AcsStep;

/// <summary>
/// Renders the engine's neutral actions as Call Automation requests, in one place. The Says before a Listen are the
/// recognize prompt (speech may cut it off unless one of them is protected, <see cref="Say.SpeechMayInterrupt"/>);
/// Says before a Hangup or a TransferCall are played first and the hang-up or transfer follows their PlayCompleted.
/// Keys are collected as the state reads them: a whole number ending in # where a number is expected, one key elsewhere.
/// </summary>
public static class AcsRendering
{
    public static AcsStep Plan(IReadOnlyList<CallAction> actions, int turn, AcsVoice voice, AcsIdentifier caller)
    {
        var says = actions.OfType<Say>().ToList();
        var prompt = string.Join(" ", says.Select(s => s.Text.Trim()).Where(t => t.Length > 0));
        if (actions.OfType<Listen>().FirstOrDefault() is { } listen)
        {
            var interrupt = Say.SpeechMayInterrupt(says);
            var options = new AcsRecognizeOptions(caller, interrupt, Listening.NoInputSeconds, voice.Language, Keys(listen.Keys),
                new AcsSpeechOptions(Listening.EndOfSpeechMilliseconds));
            var source = prompt.Length > 0 ? AcsPlaySource.Speak(prompt, voice.Language, voice.VoiceName) : null;
            return new AcsListenStep(new AcsRecognizeRequest("speechOrDtmf", source, InterruptCallMediaOperation: false, options,
                new AcsOperation(turn, AcsOperation.Listen).ToString()));
        }

        var transfer = actions.OfType<TransferCall>().FirstOrDefault();
        var hangup = actions.OfType<Hangup>().Any();
        if (transfer is null && !hangup)
        {
            return prompt.Length == 0 ? new AcsNoStep()
                : new AcsPlayStep(Play(prompt, voice, new AcsOperation(turn, AcsOperation.Listen)), new AcsOperation(turn, AcsOperation.Listen), null);
        }

        var operation = new AcsOperation(turn, transfer is null ? AcsOperation.Hangup : AcsOperation.Transfer);
        if (prompt.Length > 0)
        {
            return new AcsPlayStep(Play(prompt, voice, operation), operation, transfer?.Number);
        }

        return transfer is null ? new AcsHangUpStep() : new AcsTransferStep(transfer.Number);
    }

    /// <summary>The transfer request: the business's number, shown to the person who answers as the tenant's number.</summary>
    public static AcsTransferRequest Transfer(string number, string? shownNumber, int turn) =>
        new(AcsIdentifier.Phone(number), shownNumber is null ? null : new AcsPhoneNumber(shownNumber), new AcsOperation(turn, AcsOperation.Transfer).ToString());

    /// <summary>The keys a state reads (<see cref="Listen.Keys"/>): a phone number (or its last four digits) is typed in
    /// full and ends with #; everywhere else one key is a choice.</summary>
    public static AcsDtmfOptions Keys(KeyEntry keys) => keys == KeyEntry.Number
        ? new AcsDtmfOptions(Listening.MaxKeys, Listening.SecondsBetweenKeys, ["pound"])
        : new AcsDtmfOptions(1, Listening.SecondsBetweenKeys, null);

    private static AcsPlayRequest Play(string prompt, AcsVoice voice, AcsOperation operation) =>
        new([AcsPlaySource.Speak(prompt, voice.Language, voice.VoiceName)], operation.ToString());
}
