using System.Globalization;
using System.Text.Json;
using Receptionist.Core.Understanding;

namespace Receptionist.Core.Tests.Understanding;

/// <summary>
/// Conformance against Microsoft Recognizers-Text's English date/time spec (MIT; a filtered subset of single-point
/// dates and times, in External/). Every case must resolve as the spec says, except the ones listed in
/// External/known-gaps.txt — and those must still fail, so the list only ever shrinks as the resolver improves.
/// </summary>
public sealed class RecognizersConformanceTests
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "Understanding", "External");

    public sealed record Case(string Utterance, DateOnly Today, DateOnly? Date, TimeOnly? Time)
    {
        public override string ToString() => Utterance;
    }

    public static TheoryData<Case> Cases()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "recognizers-datetime-en.json")));
        var data = new TheoryData<Case>();
        foreach (var c in doc.RootElement.GetProperty("cases").EnumerateArray())
        {
            var reference = c.GetProperty("reference").GetString();
            var today = reference is null ? new DateOnly(2026, 11, 23) : DateOnly.FromDateTime(DateTime.Parse(reference, CultureInfo.InvariantCulture));
            var date = c.GetProperty("date").GetString() is { } d ? DateOnly.ParseExact(d, "yyyy-MM-dd", CultureInfo.InvariantCulture) : (DateOnly?)null;
            var time = c.GetProperty("time").GetString() is { } t ? TimeOnly.ParseExact(t, "HH:mm", CultureInfo.InvariantCulture) : (TimeOnly?)null;
            data.Add(new Case(c.GetProperty("utterance").GetString()!, today, date, time));
        }

        return data;
    }

    private static HashSet<string> KnownGaps() =>
        File.ReadAllLines(Path.Combine(Folder, "known-gaps.txt"))
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .ToHashSet(StringComparer.Ordinal);

    private static bool Resolves(Case c)
    {
        // The spec's times carry am/pm or a part of the day; an all-day window keeps business hours out of it.
        var result = Classifiers.SpokenWhen.Resolve(c.Utterance, c.Today, hoursOn: _ => [new(new TimeOnly(0, 0), new TimeOnly(23, 59))]);
        return (c.Date is null || result.Date == c.Date) && (c.Time is null || result.Time == c.Time);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Resolve_RecognizersSpecCase_MatchesSpecUnlessAKnownGap(Case c)
    {
        var known = KnownGaps().Contains(c.Utterance);
        var actual = Classifiers.SpokenWhen.Resolve(c.Utterance, c.Today, hoursOn: _ => [new(new TimeOnly(0, 0), new TimeOnly(23, 59))]);

        if (known)
        {
            Assert.False(Resolves(c), $"'{c.Utterance}' now resolves as the spec says: remove it from known-gaps.txt");
        }
        else
        {
            Assert.True(Resolves(c), $"'{c.Utterance}' (today {c.Today:yyyy-MM-dd}): expected date {c.Date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "-"} time {c.Time?.ToString("HH:mm", CultureInfo.InvariantCulture) ?? "-"}, got {actual}");
        }
    }

    [Fact]
    public void KnownGaps_AreAMinority_AndAllExistInTheSpec()
    {
        var all = ((IEnumerable<object[]>)Cases()).Select(row => ((Case)row[0]).Utterance).ToHashSet(StringComparer.Ordinal);
        var gaps = KnownGaps();

        Assert.All(gaps, g => Assert.Contains(g, all));
        Assert.True(gaps.Count * 3 < all.Count, $"{gaps.Count} of {all.Count} spec cases are known gaps");
    }
}
