namespace Receptionist.Core.Understanding;

public sealed partial class Lexicon
{
    /// <summary>What a listener says to show they are following, not to answer: said over a read-back it must not cut
    /// it (the streaming voice path's barge-in rule). Single words; an utterance made only of these is a backchannel.</summary>
    public IReadOnlySet<string> Backchannels { get; init; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "uh", "huh", "uh-huh", "uhhuh", "mhm", "mm", "mmhmm", "mm-hmm", "hmm", "um", "umm", "okay", "ok", "yeah", "yep", "right",
        "sure", "alright", "got", "it", "i", "see", "gotcha", "cool",
    };
}
