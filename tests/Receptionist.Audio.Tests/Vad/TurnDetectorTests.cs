using Receptionist.Audio.Vad;

namespace Receptionist.Audio.Tests.Vad;

public sealed class TurnDetectorTests
{
    private const int Window = SileroVadModel.WindowSamples;

    /// <summary>Probabilities for a pattern of windows: '#' speech (0.9), '.' silence (0.05), '~' in between (0.4).</summary>
    private static List<TurnEvent> Feed(TurnDetector detector, string pattern) =>
        [.. pattern.Select(c => detector.Observe(c switch { '#' => 0.9f, '~' => 0.4f, _ => 0.05f })).Where(e => e is not null).Select(e => e!.Value)];

    private static int Windows(TimeSpan span) => (int)Math.Ceiling(span.TotalSeconds * AudioRates.Wideband / Window);

    [Fact]
    public void Observe_OneLoudWindow_NotSpeech()
    {
        Assert.Empty(Feed(new TurnDetector(), "....#....#...."));
    }

    [Fact]
    public void Observe_SpeechThenPause_StartsWhereSpeechBeganAndEndsAfterThePause()
    {
        var events = Feed(new TurnDetector(), "...####" + new string('.', 30));

        Assert.Equal(2, events.Count);
        Assert.Equal(new TurnEvent(TurnEventKind.SpeechStarted, 3 * Window, 0), events[0]);
        Assert.Equal(TurnEventKind.TurnEnded, events[1].Kind);
        Assert.Equal(7 * Window, events[1].SpeechEndedAtSample);
        var pause = (events[1].AtSample - events[1].SpeechEndedAtSample) / (double)AudioRates.Wideband;
        Assert.InRange(pause, TurnDetector.Pause(TurnExpectation.Default).TotalSeconds, TurnDetector.Pause(TurnExpectation.Default).TotalSeconds + (Window / (double)AudioRates.Wideband));
    }

    [Fact]
    public void Observe_BetweenTheThresholds_StaysInSpeech()
    {
        var events = Feed(new TurnDetector(), "###~~~~~~~~~~~~~~~~~~~###");

        Assert.Single(events);
        Assert.Equal(TurnEventKind.SpeechStarted, events[0].Kind);
    }

    [Theory]
    [InlineData(TurnExpectation.YesNo)]
    [InlineData(TurnExpectation.Default)]
    [InlineData(TurnExpectation.Digits)]
    [InlineData(TurnExpectation.Spelling)]
    public void Observe_PauseShorterThanTheExpectations_OneTurn(TurnExpectation expectation)
    {
        var gap = new string('.', Windows(TurnDetector.Pause(expectation)) - 1);

        var events = Feed(new TurnDetector(expectation), "####" + gap + "####" + new string('.', 40));

        Assert.Equal([TurnEventKind.SpeechStarted, TurnEventKind.TurnEnded], events.Select(e => e.Kind));
        Assert.Equal((8 * Window) + (gap.Length * Window), events[1].SpeechEndedAtSample);
    }

    [Fact]
    public void Pause_ByExpectation_ShortForYesNoLongForDigitsAndSpelling()
    {
        Assert.True(TurnDetector.Pause(TurnExpectation.YesNo) < TurnDetector.Pause(TurnExpectation.Default));
        Assert.True(TurnDetector.Pause(TurnExpectation.Default) < TurnDetector.Pause(TurnExpectation.Digits));
        Assert.Equal(TurnDetector.Pause(TurnExpectation.Digits), TurnDetector.Pause(TurnExpectation.Spelling));
    }

    [Fact]
    public void Observe_PhoneNumberPauseAtAYesNoQuestion_TwoTurns()
    {
        var gap = new string('.', Windows(TimeSpan.FromMilliseconds(700)));

        var events = Feed(new TurnDetector(TurnExpectation.YesNo), "####" + gap + "####" + new string('.', 40));

        Assert.Equal([TurnEventKind.SpeechStarted, TurnEventKind.TurnEnded, TurnEventKind.SpeechStarted, TurnEventKind.TurnEnded], events.Select(e => e.Kind));
    }

    [Fact]
    public void Expectation_ChangedDuringThePause_TheNewPauseApplies()
    {
        var detector = new TurnDetector(TurnExpectation.Digits);
        Assert.Single(Feed(detector, "####" + new string('.', Windows(TurnDetector.Pause(TurnExpectation.YesNo)) + 1)));

        detector.Expectation = TurnExpectation.YesNo;

        Assert.Equal([TurnEventKind.TurnEnded], Feed(detector, ".").Select(e => e.Kind));
    }

    [Fact]
    public void Reset_MidTurn_NextSpeechIsANewTurn()
    {
        var detector = new TurnDetector();
        Feed(detector, "####");

        detector.Reset();

        Assert.False(detector.InTurn);
        Assert.Equal(TurnEventKind.SpeechStarted, Feed(detector, "..##")[0].Kind);
    }
}
