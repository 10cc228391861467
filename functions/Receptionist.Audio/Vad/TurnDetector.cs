namespace Receptionist.Audio.Vad;

/// <summary>What the caller is about to say, as far as the call flow knows: it sets how long a pause ends the turn.</summary>
public enum TurnExpectation
{
    /// <summary>Anything: a request, a name, a question.</summary>
    Default,

    /// <summary>An answer to a yes/no question (a read-back, "shall I book it?"): short answers, a short pause ends them.</summary>
    YesNo,

    /// <summary>A phone number, a date of birth, digits: callers pause between groups.</summary>
    Digits,

    /// <summary>A name spelled letter by letter: callers pause between letters.</summary>
    Spelling,
}

/// <summary>What the detector saw; positions are in samples of the 16 kHz stream since it began.</summary>
public enum TurnEventKind
{
    /// <summary>The caller started speaking (the position is where the speech began, not where it was confirmed).</summary>
    SpeechStarted,

    /// <summary>The caller's turn is over: speech stopped and stayed stopped for the expectation's pause.</summary>
    TurnEnded,
}

public readonly record struct TurnEvent(TurnEventKind Kind, long AtSample, long SpeechEndedAtSample);

/// <summary>
/// Voice activity → turns. The one place for the thresholds and pauses: speech starts when
/// <see cref="OnsetWindows"/> windows in a row reach <see cref="OnsetProbability"/> (64 ms: quick enough to stop a prompt
/// within 150 ms of the caller's first sound, long enough that a click is not speech); it stops at the first window
/// below <see cref="OffsetProbability"/> (hysteresis); the turn ends once no speech has come back for the pause of
/// the current <see cref="TurnExpectation"/>. Pure: it counts samples and has no clock.
/// </summary>
public sealed class TurnDetector(TurnExpectation expectation = TurnExpectation.Default)
{
    public const float OnsetProbability = 0.5f;
    public const float OffsetProbability = 0.35f;
    public const int OnsetWindows = 2;

    private long _position;
    private int _aboveInARow;
    private bool _speaking;
    private long? _silentSince;

    /// <summary>What the caller is expected to say next; a change applies to the pause under way.</summary>
    public TurnExpectation Expectation { get; set; } = expectation;

    /// <summary>True between SpeechStarted and TurnEnded.</summary>
    public bool InTurn { get; private set; }

    /// <summary>The pause after speech that ends a turn.</summary>
    public static TimeSpan Pause(TurnExpectation expectation) => expectation switch
    {
        TurnExpectation.YesNo => TimeSpan.FromMilliseconds(224),
        TurnExpectation.Digits => TimeSpan.FromMilliseconds(1000),
        TurnExpectation.Spelling => TimeSpan.FromMilliseconds(1000),
        _ => TimeSpan.FromMilliseconds(500),
    };

    /// <summary>Takes the next window's speech probability; returns what it made of it, if anything.</summary>
    public TurnEvent? Observe(float probability, int windowSamples = SileroVadModel.WindowSamples)
    {
        var start = _position;
        _position += windowSamples;
        if (!_speaking)
        {
            _aboveInARow = probability >= OnsetProbability ? _aboveInARow + 1 : 0;
            if (_aboveInARow < OnsetWindows)
            {
                // a window that may be the start of speech does not count towards the pause
                return _aboveInARow == 0 ? EndIfPaused() : null;
            }

            _speaking = true;
            _silentSince = null;
            if (!InTurn)
            {
                InTurn = true;
                return new TurnEvent(TurnEventKind.SpeechStarted, _position - ((long)OnsetWindows * windowSamples), 0);
            }

            return null;
        }

        if (probability < OffsetProbability)
        {
            _speaking = false;
            _aboveInARow = 0;
            _silentSince = start;
            return EndIfPaused();
        }

        return null;
    }

    /// <summary>Starts over (after the turn was taken, or a new call).</summary>
    public void Reset()
    {
        _aboveInARow = 0;
        _speaking = false;
        _silentSince = null;
        InTurn = false;
    }

    private TurnEvent? EndIfPaused()
    {
        if (!InTurn || _silentSince is not { } since)
        {
            return null;
        }

        var pause = (long)(Pause(Expectation).TotalSeconds * AudioRates.Wideband);
        if (_position - since < pause)
        {
            return null;
        }

        InTurn = false;
        _silentSince = null;
        return new TurnEvent(TurnEventKind.TurnEnded, _position, since);
    }
}
