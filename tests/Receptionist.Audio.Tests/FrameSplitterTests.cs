using Receptionist.Audio;

namespace Receptionist.Audio.Tests;

public class FrameSplitterTests
{
    [Fact]
    public void Factories_GiveTwentyMillisecondFrames()
    {
        Assert.Equal(160, FrameSplitters.MuLaw().FrameLength);
        Assert.Equal(MuLaw.Silence, FrameSplitters.MuLaw().Silence);
        Assert.Equal(640, FrameSplitters.Pcm16Bytes(AudioRates.Wideband).FrameLength);
        Assert.Equal(320, FrameSplitters.Pcm16(AudioRates.Wideband).FrameLength);
        Assert.Equal(480, FrameSplitters.Pcm16(AudioRates.Synthesis).FrameLength);
    }

    [Fact]
    public void TryTake_OddChunks_YieldsWholeFramesInOrderAndKeepsRemainder()
    {
        var splitter = FrameSplitters.MuLaw();
        byte[] data = Enumerable.Range(0, 1000).Select(i => (byte)i).ToArray();
        var frames = new List<byte[]>();
        var frame = new byte[160];
        int pos = 0;
        foreach (int size in new[] { 1, 99, 333, 7, 0, 400, 160 })
        {
            splitter.Write(data.AsSpan(pos, size));
            pos += size;
            while (splitter.TryTake(frame))
            {
                frames.Add(frame.ToArray());
            }
        }

        Assert.Equal(1000, pos);
        Assert.Equal(6, frames.Count);
        Assert.Equal(40, splitter.Buffered);
        Assert.Equal(data[..960], frames.SelectMany(f => f).ToArray());
    }

    [Fact]
    public void Flush_PartialMuLawFrame_PadsWith0xFF()
    {
        var splitter = FrameSplitters.MuLaw();
        splitter.Write(new byte[] { 1, 2, 3 });
        var frame = new byte[160];

        Assert.False(splitter.TryTake(frame));
        Assert.True(splitter.Flush(frame));
        Assert.Equal(new byte[] { 1, 2, 3 }, frame[..3]);
        Assert.All(frame[3..], b => Assert.Equal(0xFF, b));
        Assert.Equal(0, splitter.Buffered);
        Assert.False(splitter.Flush(frame));
    }

    [Fact]
    public void Flush_PartialPcmFrame_PadsWithZero()
    {
        var splitter = FrameSplitters.Pcm16(AudioRates.Wideband);
        splitter.Write(new short[] { 5, -5 });
        short[] frame = Enumerable.Repeat((short)7, 320).ToArray();

        Assert.True(splitter.Flush(frame));
        Assert.Equal(new short[] { 5, -5 }, frame[..2]);
        Assert.All(frame[2..], s => Assert.Equal(0, s));
    }

    [Fact]
    public void Write_ManyFramesAtOnce_CountsFramesAvailable()
    {
        var splitter = FrameSplitters.Pcm16Bytes(AudioRates.Wideband);
        splitter.Write(new byte[640 * 5 + 10]);
        Assert.Equal(5, splitter.FramesAvailable);
        splitter.Clear();
        Assert.Equal(0, splitter.Buffered);
    }

    [Fact]
    public void Write_SteadyStream_AllocatesNothingOnceWarm()
    {
        var splitter = FrameSplitters.MuLaw();
        var chunk = new byte[100];
        var frame = new byte[160];
        splitter.Write(chunk); // warm up
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            splitter.Write(chunk);
            while (splitter.TryTake(frame))
            {
            }
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.True(splitter.Buffered < 160);
    }

    [Fact]
    public void TryTake_DestinationTooShort_Throws()
    {
        var splitter = new FrameSplitter<short>(10, 0);
        Assert.Throws<ArgumentException>(() => splitter.TryTake(new short[9]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new FrameSplitter<byte>(0, 0));
    }
}
