using System.Text.Json;
using System.Text.Json.Serialization;
using Receptionist.Core.Tests.Conversation;
using Receptionist.Core.Understanding;
using Receptionist.Meaning;
using Xunit.Abstractions;

namespace Receptionist.Core.Tests.Understanding.Classifiers;

/// <summary>
/// Emergencies as callers describe them, against tests/corpus/urgency-*.jsonl: urgent and routine sentences across the
/// twelve professions written by someone who had not seen the classifier or its words: the dev file to look at while
/// improving it; the holdout file (whose misses were once seen during development) and the fresh file (written later by
/// another helper, never seen) only to measure. Goal: at least 97 % of urgent calls recognised, at most 3 % of
/// routine ones taken for an emergency.
/// </summary>
public sealed class EmergencyCorpusTests(ITestOutputHelper output)
{
    /// <summary>The goal, held on the dev file.</summary>
    private const double GoalRecall = 0.97;
    private const double GoalFalseAlarms = 0.03;

    /// <summary>What the unseen files measure now (2026-12-03: holdout 91.5 % / 3.3 %, fresh 90.8 % / 4.9 %), rounded
    /// to a guard against regressions, not the goal.</summary>
    private const double UnseenRecall = 0.90;
    private const double UnseenFalseAlarms = 0.05;

    [Theory]
    [InlineData("urgency-dev.jsonl", GoalRecall, GoalFalseAlarms)]
    [InlineData("urgency-holdout.jsonl", UnseenRecall, UnseenFalseAlarms)]
    [InlineData("urgency-fresh.jsonl", UnseenRecall, UnseenFalseAlarms)]
    public void Understand_CorpusSentence_EmergencyWhenUrgentRoutineStaysRoutine(string file, double minRecall, double maxFalseAlarms)
    {
        var lines = Load(file);
        var missed = new List<string>();
        var falseAlarms = new List<string>();
        foreach (var line in lines)
        {
            var ctx = DemoTenants.ForProfession(line.Profession);
            var reading = new UnderstandingContext(Expecting.Anything, ctx.Services, ctx.Today, ctx.Topics, ctx.Profession.Emergency.Keywords, ctx.Profession.Emergency.Concepts);
            var emergency = RuleUnderstanding.Understand(line.Text, reading, Lexicon.English, MiniLmSentenceEncoder.Shared).Intent == Intent.Emergency;
            if (line.Urgent && !emergency)
            {
                missed.Add($"{line.Profession}: {line.Text}");
            }
            else if (!line.Urgent && emergency)
            {
                falseAlarms.Add($"{line.Profession}: {line.Text}");
            }
        }

        var urgent = lines.Count(l => l.Urgent);
        var routine = lines.Count - urgent;
        var recall = 1 - ((double)missed.Count / urgent);
        var falseAlarmRate = (double)falseAlarms.Count / routine;
        var summary = $"{file}: {urgent - missed.Count}/{urgent} urgent recognised ({recall:P1}), {falseAlarms.Count}/{routine} routine taken for an emergency ({falseAlarmRate:P1})";
        output.WriteLine(summary);
        // Only the dev file's sentences are ever printed; of the others only the figures, so nobody tunes the rules to them.
        var details = file != "urgency-dev.jsonl" ? string.Empty
            : "\nmissed:\n  " + string.Join("\n  ", missed) + "\nfalse alarms:\n  " + string.Join("\n  ", falseAlarms);
        Assert.True(recall >= minRecall && falseAlarmRate <= maxFalseAlarms, summary + details);
    }

    [Fact]
    public void Corpus_Files_HoldEnoughOfBothAcrossEveryProfession()
    {
        var all = Load("urgency-dev.jsonl").Concat(Load("urgency-holdout.jsonl")).Concat(Load("urgency-fresh.jsonl")).ToList();
        Assert.True(all.Count >= 150, $"only {all.Count} sentences");
        foreach (var profession in all.Select(l => l.Profession).Distinct())
        {
            Assert.Contains(all, l => l.Profession == profession && l.Urgent);
            Assert.Contains(all, l => l.Profession == profession && !l.Urgent);
        }

        Assert.Equal(12, all.Select(l => l.Profession).Distinct().Count());
    }

    private static List<CorpusLine> Load(string file) =>
        File.ReadLines(Path.Combine(DemoTenants.RepositoryRoot, "tests", "corpus", file))
            .Where(l => l.Trim().Length > 0)
            .Select(l => JsonSerializer.Deserialize<CorpusLine>(l) ?? throw new InvalidDataException($"{file}: empty line"))
            .ToList();

    private sealed record CorpusLine(
        [property: JsonPropertyName("profession")] string Profession,
        [property: JsonPropertyName("text")] string Text,
        [property: JsonPropertyName("urgent")] bool Urgent,
        [property: JsonPropertyName("why")] string? Why);
}
