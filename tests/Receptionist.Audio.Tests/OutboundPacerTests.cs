using Receptionist.Audio;

namespace Receptionist.Audio.Tests;

public class OutboundPacerTests
{
    private static readonly TimeSpan Ms = TimeSpan.FromMilliseconds(1);

    [Fact]
    public void DelayBeforeNext_BurstFromStart_AllowsOneSecondThenWaits()
    {
        var pacer = new OutboundPacer(TimeSpan.Zero);
        int sent = 0;
        while (pacer.DelayBeforeNext(TimeSpan.Zero) == TimeSpan.Zero)
        {
            pacer.Sent(TimeSpan.Zero);
            sent++;
        }

        Assert.Equal(50, sent);
        Assert.Equal(TimeSpan.FromSeconds(1), pacer.QueuedAhead(TimeSpan.Zero));
        Assert.Equal(20 * Ms, pacer.DelayBeforeNext(TimeSpan.Zero));
        Assert.Equal(5 * Ms, pacer.DelayBeforeNext(15 * Ms));
    }

    [Theory]
    [InlineData(1000, 0)]
    [InlineData(200, 7)]
    [InlineData(20, 3)]
    public void DelayBeforeNext_ObeyedWithJitter_LeadNeverExceedsLimit(int leadMs, int lateMs)
    {
        var lead = leadMs * Ms;
        var pacer = new OutboundPacer(TimeSpan.Zero, lead);
        TimeSpan now = TimeSpan.Zero;
        for (int i = 0; i < 500; i++)
        {
            now += pacer.DelayBeforeNext(now) + ((i % 3) * lateMs * Ms); // sometimes the timer fires late
            pacer.Sent(now);
            Assert.True(pacer.QueuedAhead(now) <= lead, $"lead {pacer.QueuedAhead(now)} at frame {i}");
        }
    }

    [Fact]
    public void PlayingFrame_SteadyPlayback_GivesTheFrameAtThatTime()
    {
        var start = TimeSpan.FromSeconds(10);
        var pacer = new OutboundPacer(start);
        for (int i = 0; i < 10; i++)
        {
            pacer.Sent(start);
        }

        Assert.Equal(0, pacer.PlayingFrame(start));
        Assert.Equal(2, pacer.PlayingFrame(start + (45 * Ms)));
        Assert.Equal(2, pacer.FramesPlayed(start + (45 * Ms)));
        Assert.Equal(45 * Ms, pacer.PlayedOut(start + (45 * Ms)));
        Assert.Equal(-1, pacer.PlayingFrame(start + (200 * Ms)));
        Assert.Equal(10, pacer.FramesPlayed(start + TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public void Sent_AfterQueueRanDry_PlaybackResumesFromThatFrame()
    {
        var pacer = new OutboundPacer(TimeSpan.Zero);
        pacer.Sent(TimeSpan.Zero);
        pacer.Sent(TimeSpan.Zero);          // frames 0–1 play 0–40 ms
        pacer.Sent(100 * Ms);               // underrun: frame 2 plays 100–120 ms

        Assert.Equal(2, pacer.PlayingFrame(110 * Ms));
        Assert.Equal(50 * Ms, pacer.PlayedOut(110 * Ms));
        Assert.Equal(10 * Ms, pacer.QueuedAhead(110 * Ms));
    }

    [Fact]
    public void Reset_AfterBargeIn_RestartsPlayedPositionAndLead()
    {
        var pacer = new OutboundPacer(TimeSpan.Zero);
        for (int i = 0; i < 50; i++)
        {
            pacer.Sent(TimeSpan.Zero);
        }

        var bargeIn = 300 * Ms;
        Assert.Equal(15, pacer.PlayingFrame(bargeIn)); // 300 ms of the prompt was heard
        pacer.Reset(bargeIn);

        Assert.Equal(0, pacer.FramesSent);
        Assert.Equal(TimeSpan.Zero, pacer.QueuedAhead(bargeIn));
        Assert.Equal(TimeSpan.Zero, pacer.DelayBeforeNext(bargeIn));
        Assert.Equal(-1, pacer.PlayingFrame(bargeIn));
        pacer.Sent(bargeIn);
        Assert.Equal(0, pacer.PlayingFrame(bargeIn + (10 * Ms)));
        Assert.Equal(10 * Ms, pacer.PlayedOut(bargeIn + (10 * Ms)));
    }

    [Theory]
    [InlineData(1001, 20)]
    [InlineData(10, 20)]
    [InlineData(1000, 0)]
    public void Constructor_LeadOutOfRange_Throws(int leadMs, int frameMs)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new OutboundPacer(TimeSpan.Zero, leadMs * Ms, frameMs * Ms));
    }
}
