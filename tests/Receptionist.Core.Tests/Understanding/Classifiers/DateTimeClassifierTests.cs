using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Receptionist.Core.Scheduling;
using Receptionist.Core.Understanding;
using Xunit.Abstractions;

namespace Receptionist.Core.Tests.Understanding.Classifiers;

/// <summary>
/// The date and time classifiers against a table of spoken utterances (Understanding/resolver-cases.json) whose expectations were worked
/// out by hand from the date/time rules, not by running the resolver.
/// </summary>
public sealed class DateTimeClassifierTests
{
    private static readonly Lazy<IReadOnlyList<ResolverCase>> Cases = new(ResolverCase.LoadAll);

    public static TheoryData<ResolverCase> SpokenCases()
    {
        var data = new TheoryData<ResolverCase>();
        foreach (var c in Cases.Value)
        {
            data.Add(c);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(SpokenCases))]
    public void Resolve_SpokenUtterance_MatchesRules(ResolverCase spoken)
    {
        var expected = spoken.Expected();
        var hours = spoken.OpeningHours();

        var actual = SpokenWhen.Resolve(spoken.Say, spoken.TodayDate, spoken.ExpectingTime,
            hours is null ? null : _ => hours);

        Assert.True(expected == actual,
            $"\"{spoken.Say}\" said on {spoken.TodayDate.ToString("yyyy-MM-dd ddd", CultureInfo.InvariantCulture)}"
            + (spoken.ExpectingTime ? ", expecting a time" : string.Empty)
            + (hours is null ? string.Empty : $", hours {string.Join(' ', hours)}")
            + $"\n  expected {Describe(expected)}\n  actual   {Describe(actual)}"
            + (spoken.Note is null ? string.Empty : $"\n  ({spoken.Note})"));
    }

    [Fact]
    public void Cases_File_HoldsAtLeast170Cases()
    {
        Assert.True(Cases.Value.Count >= 170, $"only {Cases.Value.Count} cases in {ResolverCase.FilePath}");
    }

    [Fact]
    public void Cases_File_CoversEveryKindOfAnswer()
    {
        var cases = Cases.Value.Select(c => c.Expected()).ToList();

        Assert.True(cases.Count(c => c.Date is not null && c.Time is null) >= 60, "fewer than 60 date-only cases");
        Assert.True(cases.Count(c => c.Date is null && c.Time is not null) >= 50, "fewer than 50 time-only cases");
        Assert.True(cases.Count(c => c.Date is not null && c.Time is not null) >= 30, "fewer than 30 date+time cases");
        Assert.True(cases.Count(c => c.Preference != TimePreference.None) >= 15, "fewer than 15 preference cases");
        Assert.True(cases.Count(c => c.Date is null || c.Time is null) >= 15, "fewer than 15 negative cases");
        Assert.DoesNotContain(cases, c => c.Time is not null && c.Preference != TimePreference.None);
    }

    [Fact]
    public void Cases_File_NoUtteranceRepeatsInTheSameSituation()
    {
        var repeated = Cases.Value
            .GroupBy(c => (Say: c.Say.ToUpperInvariant(), c.TodayDate, c.ExpectingTime, Hours: string.Join(' ', c.OpeningHours() ?? [])))
            .Where(g => g.Count() > 1)
            .Select(g => g.First().ToString())
            .ToList();

        Assert.True(repeated.Count == 0, "repeated cases: " + string.Join(", ", repeated));
    }

    private static string Describe(ResolvedWhen when) =>
        $"date {when.Date?.ToString("yyyy-MM-dd ddd", CultureInfo.InvariantCulture) ?? "null"}, "
        + $"time {when.Time?.ToString("HH:mm", CultureInfo.InvariantCulture) ?? "null"}, preference {when.Preference}";
}

/// <summary>One row of resolver-cases.json.</summary>
public sealed class ResolverCase : IXunitSerializable
{
    private static readonly DateOnly DefaultToday = new(2026, 11, 23);

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNameCaseInsensitive = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
    };

    public static string FilePath { get; } = Path.Combine(AppContext.BaseDirectory, "Understanding", "resolver-cases.json");

    public string Say { get; set; } = string.Empty;

    public string? Today { get; set; }

    public bool ExpectingTime { get; set; }

    public IReadOnlyList<string>? Hours { get; set; }

    public string? Date { get; set; }

    public string? Time { get; set; }

    public string? Preference { get; set; }

    public string? Note { get; set; }

    public DateOnly TodayDate => Today is null ? DefaultToday : ParseDate(Today);

    public static IReadOnlyList<ResolverCase> LoadAll()
    {
        var cases = JsonSerializer.Deserialize<List<ResolverCase>>(File.ReadAllText(FilePath), Json)
            ?? throw new InvalidDataException($"{FilePath} holds no array");
        foreach (var c in cases)
        {
            // Fail early, naming the row, when a row is malformed.
            if (string.IsNullOrWhiteSpace(c.Say))
            {
                throw new InvalidDataException($"{FilePath}: a case has no \"say\"");
            }

            _ = c.TodayDate;
            _ = c.Expected();
            _ = c.OpeningHours();
        }

        return cases;
    }

    public ResolvedWhen Expected() => new(
        Date is null ? null : ParseDate(Date),
        Time is null ? null : TimeOnly.ParseExact(Time, "HH:mm", CultureInfo.InvariantCulture),
        Preference is null ? TimePreference.None
            : Enum.TryParse<TimePreference>(Preference, ignoreCase: true, out var p) && Enum.IsDefined(p) ? p
            : throw new InvalidDataException($"{FilePath}: \"{Say}\" has unknown preference \"{Preference}\""));

    /// <summary>The case's opening hours for every day, or null for the resolver's default (09:00-17:00).</summary>
    public IReadOnlyList<TimeRange>? OpeningHours() => Hours?.Select(h => TimeRange.TryParse(h, out var r)
        ? r
        : throw new InvalidDataException($"{FilePath}: \"{Say}\" has malformed hours \"{h}\"")).ToList();

    public void Serialize(IXunitSerializationInfo info)
    {
        info.AddValue(nameof(Say), Say);
        info.AddValue(nameof(Today), Today);
        info.AddValue(nameof(ExpectingTime), ExpectingTime);
        info.AddValue(nameof(Hours), Hours is null ? null : string.Join(',', Hours));
        info.AddValue(nameof(Date), Date);
        info.AddValue(nameof(Time), Time);
        info.AddValue(nameof(Preference), Preference);
        info.AddValue(nameof(Note), Note);
    }

    public void Deserialize(IXunitSerializationInfo info)
    {
        Say = info.GetValue<string>(nameof(Say));
        Today = info.GetValue<string?>(nameof(Today));
        ExpectingTime = info.GetValue<bool>(nameof(ExpectingTime));
        Hours = info.GetValue<string?>(nameof(Hours))?.Split(',');
        Date = info.GetValue<string?>(nameof(Date));
        Time = info.GetValue<string?>(nameof(Time));
        Preference = info.GetValue<string?>(nameof(Preference));
        Note = info.GetValue<string?>(nameof(Note));
    }

    /// <summary>The display name of the theory row: the utterance, plus what else differs from the defaults.</summary>
    public override string ToString() =>
        $"\"{Say}\""
        + (Today is null ? string.Empty : $" on {Today}")
        + (ExpectingTime ? " expecting a time" : string.Empty)
        + (Hours is null ? string.Empty : $" hours {string.Join(' ', Hours)}");

    private DateOnly ParseDate(string text) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
            ? d
            : throw new InvalidDataException($"{FilePath}: \"{Say}\" has malformed date \"{text}\"");
}
