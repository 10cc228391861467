namespace Receptionist.Audio;

/// <summary>Paces outbound audio frames so the far end's queue never holds more than <see cref="MaxLead"/> of audio
/// not yet played, and tells how far playback has got. Pure logic: every time is the caller's (e.g. a stopwatch's
/// elapsed time), and times passed in must not go backwards. The far end is modelled as playing frames back to back
/// in real time from when each arrives; if the queue runs dry, playback resumes when the next frame is sent.</summary>
public sealed class OutboundPacer
{
    /// <summary>The default and largest allowed lead over real time.</summary>
    public static readonly TimeSpan DefaultMaxLead = TimeSpan.FromSeconds(1);

    /// <summary>The default frame: 20 ms, the telephone packet.</summary>
    public static readonly TimeSpan DefaultFrame = TimeSpan.FromMilliseconds(20);

    private TimeSpan _queueEnd;     // when the last frame sent finishes playing
    private TimeSpan _runStart;     // when the current uninterrupted run of playback started
    private long _runFirstFrame;    // index of the first frame of that run

    /// <summary>Creates a pacer whose clock starts at <paramref name="now"/>.</summary>
    /// <param name="now">The caller's current time.</param>
    /// <param name="maxLead">The most audio that may be queued ahead of real time; at least one frame and at most
    /// one second (default one second).</param>
    /// <param name="frame">The duration of each frame (default 20 ms).</param>
    /// <exception cref="ArgumentOutOfRangeException">The frame is not positive, or the lead is shorter than a frame or
    /// longer than one second.</exception>
    public OutboundPacer(TimeSpan now, TimeSpan? maxLead = null, TimeSpan? frame = null)
    {
        Frame = frame ?? DefaultFrame;
        MaxLead = maxLead ?? DefaultMaxLead;
        if (Frame <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(frame), Frame, "The frame must be positive.");
        }

        if (MaxLead < Frame || MaxLead > DefaultMaxLead)
        {
            throw new ArgumentOutOfRangeException(nameof(maxLead), MaxLead, "The lead must be between one frame and one second.");
        }

        Reset(now);
    }

    /// <summary>The duration of one frame.</summary>
    public TimeSpan Frame { get; }

    /// <summary>The most audio that may be queued ahead of real time.</summary>
    public TimeSpan MaxLead { get; }

    /// <summary>Frames sent since construction or the last <see cref="Reset"/>.</summary>
    public long FramesSent { get; private set; }

    /// <summary>How long to wait from <paramref name="now"/> before the next frame may be sent (zero: send now).
    /// Sending then keeps <see cref="QueuedAhead"/> at most <see cref="MaxLead"/>.</summary>
    public TimeSpan DelayBeforeNext(TimeSpan now)
    {
        TimeSpan excess = QueuedAhead(now) + Frame - MaxLead;
        return excess > TimeSpan.Zero ? excess : TimeSpan.Zero;
    }

    /// <summary>Records that a frame was sent at <paramref name="now"/> (which should be no earlier than
    /// <see cref="DelayBeforeNext"/> allowed).</summary>
    public void Sent(TimeSpan now)
    {
        if (now >= _queueEnd)
        {
            _runStart = now; // the queue had run dry: playback restarts with this frame
            _runFirstFrame = FramesSent;
            _queueEnd = now;
        }

        _queueEnd += Frame;
        FramesSent++;
    }

    /// <summary>Starts again at <paramref name="now"/> with nothing queued and nothing played: call it when the far
    /// end's queue is cleared (a barge-in) or a new prompt begins.</summary>
    public void Reset(TimeSpan now)
    {
        _queueEnd = now;
        _runStart = now;
        _runFirstFrame = 0;
        FramesSent = 0;
    }

    /// <summary>Audio sent but not yet played at <paramref name="now"/>.</summary>
    public TimeSpan QueuedAhead(TimeSpan now) => _queueEnd > now ? _queueEnd - now : TimeSpan.Zero;

    /// <summary>How much of the audio sent since <see cref="Reset"/> has been played out (heard) by
    /// <paramref name="now"/>.</summary>
    public TimeSpan PlayedOut(TimeSpan now)
    {
        TimeSpan inRun = now - _runStart;
        TimeSpan runLength = _queueEnd - _runStart;
        inRun = inRun < TimeSpan.Zero ? TimeSpan.Zero : inRun > runLength ? runLength : inRun;
        return (Frame * _runFirstFrame) + inRun;
    }

    /// <summary>Frames fully played out by <paramref name="now"/>.</summary>
    public long FramesPlayed(TimeSpan now) => PlayedOut(now).Ticks / Frame.Ticks;

    /// <summary>The index (from 0 since <see cref="Reset"/>) of the frame playing at <paramref name="now"/>, or −1
    /// when nothing is playing (nothing sent, or everything sent has been played).</summary>
    public long PlayingFrame(TimeSpan now)
    {
        long played = FramesPlayed(now);
        return played < FramesSent ? played : -1;
    }
}
