using System.Collections.Concurrent;

namespace Receptionist.Core.Understanding.Classifiers;

/// <summary>
/// One way of describing a danger (syntax in <see cref="Lexicon"/>'s danger words): slots in order, each a set of
/// alternatives of one or more words ("*" ends a prefix), joined by " + " (up to <see cref="NearGap"/> words between) or
/// " .. " (up to <see cref="FarGap"/>). A cue with a negation just before its first slot does not match.
/// </summary>
public sealed class DangerCue
{
    private const int NearGap = 3;
    private const int FarGap = 8;
    private const int NegationReach = 2;

    private static readonly ConcurrentDictionary<string, DangerCue> Parsed = new(StringComparer.Ordinal);

    private readonly List<(string[][] Alternatives, int GapBefore)> _slots;

    private DangerCue(List<(string[][] Alternatives, int GapBefore)> slots) => _slots = slots;

    public static DangerCue Parse(string cue) => Parsed.GetOrAdd(cue, c =>
    {
        var slots = new List<(string[][], int)>();
        var gap = 0;
        foreach (var part in c.Split(' ', StringSplitOptions.RemoveEmptyEntries).Aggregate(new List<string>(), (acc, w) =>
                 {
                     if (w is "+" or ".." || acc.Count == 0 || acc[^1] is "+" or "..")
                     {
                         acc.Add(w);
                     }
                     else
                     {
                         acc[^1] += " " + w;
                     }

                     return acc;
                 }))
        {
            if (part is "+" or "..")
            {
                gap = part == "+" ? NearGap : FarGap;
                continue;
            }

            slots.Add((part.Split('|').Select(a => a.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToArray(), gap));
            gap = 0;
        }

        return new DangerCue(slots);
    });

    public bool Matches(string[] words, IReadOnlySet<string> negators)
    {
        for (var start = 0; start < words.Length; start++)
        {
            if (Enumerable.Range(Math.Max(0, start - NegationReach), Math.Min(NegationReach, start)).Any(i => negators.Contains(words[i])))
            {
                continue;
            }

            if (MatchFrom(words, 0, start, start))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether slot <paramref name="slot"/> and the rest match, the slot starting anywhere in [from, latest].</summary>
    private bool MatchFrom(string[] words, int slot, int from, int latest)
    {
        if (slot == _slots.Count)
        {
            return true;
        }

        for (var at = from; at <= latest && at < words.Length; at++)
        {
            foreach (var alternative in _slots[slot].Alternatives)
            {
                if (At(words, at, alternative))
                {
                    var next = at + alternative.Length;
                    var gap = slot + 1 < _slots.Count ? _slots[slot + 1].GapBefore : 0;
                    if (MatchFrom(words, slot + 1, next, next + gap))
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }

    private static bool At(string[] words, int at, string[] alternative)
    {
        if (at + alternative.Length > words.Length)
        {
            return false;
        }

        for (var i = 0; i < alternative.Length; i++)
        {
            var w = alternative[i];
            var said = words[at + i];
            var matches = w.EndsWith('*') ? said.StartsWith(w[..^1], StringComparison.Ordinal) : EmergencyClassifier.SameWord(said, w);
            if (!matches)
            {
                return false;
            }
        }

        return true;
    }
}
