namespace Receptionist.Audio;

/// <summary>Accumulates chunks of any size and hands them back as fixed-size frames, keeping the remainder for the
/// next chunk; <see cref="Flush"/> pads the last partial frame with silence. Not thread-safe: one per stream.</summary>
/// <typeparam name="T">The unit: <see cref="byte"/> for μ-law or raw PCM16 bytes, <see cref="short"/> for samples.</typeparam>
public sealed class FrameSplitter<T>
    where T : unmanaged
{
    private T[] _buffer;
    private int _start;

    /// <summary>Creates a splitter of frames of <paramref name="frameLength"/> units, padded with
    /// <paramref name="silence"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="frameLength"/> is not positive.</exception>
    public FrameSplitter(int frameLength, T silence)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(frameLength);
        FrameLength = frameLength;
        Silence = silence;
        _buffer = new T[frameLength * 2];
    }

    /// <summary>Units per frame.</summary>
    public int FrameLength { get; }

    /// <summary>The unit that pads a partial frame on <see cref="Flush"/>.</summary>
    public T Silence { get; }

    /// <summary>Units held and not yet taken.</summary>
    public int Buffered { get; private set; }

    /// <summary>Whole frames ready to <see cref="TryTake"/>.</summary>
    public int FramesAvailable => Buffered / FrameLength;

    /// <summary>Appends a chunk. Allocates only when the held data outgrows the buffer.</summary>
    public void Write(ReadOnlySpan<T> chunk)
    {
        if (_start + Buffered + chunk.Length > _buffer.Length)
        {
            if (Buffered + chunk.Length > _buffer.Length)
            {
                var larger = new T[Math.Max(_buffer.Length * 2, Buffered + chunk.Length)];
                _buffer.AsSpan(_start, Buffered).CopyTo(larger);
                _buffer = larger;
            }
            else
            {
                _buffer.AsSpan(_start, Buffered).CopyTo(_buffer); // compact to the front
            }

            _start = 0;
        }

        chunk.CopyTo(_buffer.AsSpan(_start + Buffered));
        Buffered += chunk.Length;
    }

    /// <summary>Copies the next whole frame into <paramref name="frame"/> and returns true, or returns false (and
    /// writes nothing) when less than a frame is held.</summary>
    /// <exception cref="ArgumentException"><paramref name="frame"/> is shorter than <see cref="FrameLength"/>.</exception>
    public bool TryTake(Span<T> frame)
    {
        CheckDestination(frame);
        if (Buffered < FrameLength)
        {
            return false;
        }

        Take(frame, FrameLength);
        return true;
    }

    /// <summary>Copies the next frame into <paramref name="frame"/>, padding it with <see cref="Silence"/> if less
    /// than a frame is held; returns false (and writes nothing) when nothing is held. Call <see cref="TryTake"/>
    /// until it fails, then <see cref="Flush"/> once at the end of a stream.</summary>
    /// <exception cref="ArgumentException"><paramref name="frame"/> is shorter than <see cref="FrameLength"/>.</exception>
    public bool Flush(Span<T> frame)
    {
        CheckDestination(frame);
        if (Buffered == 0)
        {
            return false;
        }

        int count = Math.Min(Buffered, FrameLength);
        Take(frame, count);
        frame[count..FrameLength].Fill(Silence);
        return true;
    }

    /// <summary>Discards everything held (e.g. after a barge-in).</summary>
    public void Clear()
    {
        _start = 0;
        Buffered = 0;
    }

    private void Take(Span<T> frame, int count)
    {
        _buffer.AsSpan(_start, count).CopyTo(frame);
        _start += count;
        Buffered -= count;
        if (Buffered == 0)
        {
            _start = 0;
        }
    }

    private void CheckDestination(Span<T> frame)
    {
        if (frame.Length < FrameLength)
        {
            throw new ArgumentException("The destination is shorter than a frame.", nameof(frame));
        }
    }
}
