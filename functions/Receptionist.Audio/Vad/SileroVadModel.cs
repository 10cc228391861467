using System.Security.Cryptography;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Receptionist.Audio.Vad;

/// <summary>
/// The Silero VAD v5 model (MIT, by the Silero team), as shipped in the npm package <c>@ricky0123/vad-web</c> 0.0.31
/// (ISC; pinned in the repository's package.json), run with ONNX Runtime. One model serves any number of streams:
/// <see cref="InferenceSession.Run(IReadOnlyCollection{NamedOnnxValue})"/> is thread-safe and each
/// <see cref="SileroVadStream"/> carries its own recurrent state. Input is 16 kHz mono, in windows of
/// <see cref="WindowSamples"/> samples (32 ms), each preceded by the last <see cref="ContextSamples"/> of the one before.
/// </summary>
public sealed class SileroVadModel : IDisposable
{
    /// <summary>Samples per window at 16 kHz (32 ms).</summary>
    public const int WindowSamples = 512;

    /// <summary>Samples of the previous window the model sees before each window.</summary>
    public const int ContextSamples = 64;

    /// <summary>The model file inside the repository's node_modules.</summary>
    public const string RelativePath = "node_modules/@ricky0123/vad-web/dist/silero_vad_v5.onnx";

    /// <summary>SHA-256 of the pinned silero_vad_v5.onnx: a different file (another version, a truncated download) is refused.</summary>
    public const string Sha256 = "2623a2953f6ff3d2c1e61740c6cdb7168133479b267dfef114a4a3cc5bdd788f";

    private readonly InferenceSession _session;
    private readonly DenseTensor<long> _sampleRate = new(new long[] { AudioRates.Wideband }, [1]);

    private SileroVadModel(InferenceSession session) => _session = session;

    /// <summary>Loads the model file, checking its hash. The path names the file in every error.</summary>
    /// <exception cref="InvalidDataException">The file is missing, or is not the pinned model.</exception>
    public static SileroVadModel Load(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InvalidDataException($"The Silero VAD model {path} cannot be read ({ex.Message}); run `npm ci` in the repository root.", ex);
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(bytes));
        if (hash != Sha256)
        {
            throw new InvalidDataException($"The Silero VAD model {path} has SHA-256 {hash}, not the pinned {Sha256}; run `npm ci` in the repository root.");
        }

        using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1, ExecutionMode = ExecutionMode.ORT_SEQUENTIAL };
        return new SileroVadModel(new InferenceSession(bytes, options));
    }

    /// <summary>Finds the model under <paramref name="root"/> or its parents (a repository checkout or the app's folder).</summary>
    public static string? Find(string root)
    {
        for (var dir = new DirectoryInfo(root); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, RelativePath);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>A stream of its own (its own state); not thread-safe, one per call.</summary>
    public SileroVadStream CreateStream() => new(this);

    /// <summary>Windows the model has been run on since it was loaded (a window skipped as silence is not counted).</summary>
    public long Inferences => Interlocked.Read(ref _inferences);

    private long _inferences;

    /// <summary>
    /// Runs the oldest pending window of each stream that has one, all in one inference (a batch costs about a third
    /// of the same windows run one by one). <paramref name="probabilities"/>[i] gets stream i's speech probability, or
    /// NaN when it had no complete window. A window of near-silence in a stream that has been quiet for a while is
    /// not run: its probability is 0. Returns how many windows were taken. The streams must not be written meanwhile.
    /// </summary>
    public int Infer(IReadOnlyList<SileroVadStream> streams, Span<float> probabilities)
    {
        ArgumentNullException.ThrowIfNull(streams);
        if (probabilities.Length < streams.Count)
        {
            throw new ArgumentException("one probability per stream", nameof(probabilities));
        }

        var run = new List<int>(streams.Count);
        var taken = 0;
        for (var i = 0; i < streams.Count; i++)
        {
            probabilities[i] = float.NaN;
            if (!streams[i].HasPending)
            {
                continue;
            }

            taken++;
            if (streams[i].SkipAsSilence())
            {
                probabilities[i] = 0;
            }
            else
            {
                run.Add(i);
            }
        }

        if (run.Count == 0)
        {
            return taken;
        }

        var n = run.Count;
        const int width = ContextSamples + WindowSamples;
        var input = new float[n * width];
        var state = new float[2 * n * 128];
        for (var b = 0; b < n; b++)
        {
            var stream = streams[run[b]];
            stream.PendingWindow.CopyTo(input.AsSpan(b * width, width));
            for (var layer = 0; layer < 2; layer++)
            {
                stream.State.AsSpan(layer * 128, 128).CopyTo(state.AsSpan(((layer * n) + b) * 128, 128));
            }
        }

        var inputs = new List<NamedOnnxValue>(3)
        {
            NamedOnnxValue.CreateFromTensor("input", new DenseTensor<float>(input, [n, width])),
            NamedOnnxValue.CreateFromTensor("state", new DenseTensor<float>(state, [2, n, 128])),
            NamedOnnxValue.CreateFromTensor("sr", _sampleRate),
        };
        using var results = _session.Run(inputs);
        Interlocked.Add(ref _inferences, n);
        foreach (var result in results)
        {
            var tensor = result.AsTensor<float>();
            for (var b = 0; b < n; b++)
            {
                var stream = streams[run[b]];
                if (result.Name == "output")
                {
                    probabilities[run[b]] = tensor.GetValue(b);
                }
                else if (result.Name == "stateN")
                {
                    for (var layer = 0; layer < 2; layer++)
                    {
                        for (var k = 0; k < 128; k++)
                        {
                            stream.State[(layer * 128) + k] = tensor.GetValue((((layer * n) + b) * 128) + k);
                        }
                    }
                }
            }
        }

        foreach (var index in run)
        {
            streams[index].Taken();
        }

        return taken;
    }

    public void Dispose() => _session.Dispose();
}

/// <summary>One audio stream's view of the model: feed 16 kHz samples in any chunk size, get a probability per
/// 32 ms window — at once (<see cref="Write"/>) or batched with other streams (<see cref="Append"/>, then
/// <see cref="SileroVadModel.Infer"/>).</summary>
public sealed class SileroVadStream
{
    /// <summary>Below this level (RMS, dBFS) a window is near-silence: digital silence, a quiet line.</summary>
    public const double SilenceDbfs = -60;

    /// <summary>Quiet windows in a row after which near-silence is no longer run through the model (256 ms).</summary>
    public const int QuietWindowsBeforeSkipping = 8;

    private const int Width = SileroVadModel.ContextSamples + SileroVadModel.WindowSamples;
    private const int MaxPending = 32; // one second of windows: a stream further behind than that drops its oldest

    private readonly SileroVadModel _model;
    private readonly float[] _input = new float[Width];
    private readonly Queue<float[]> _pending = new();
    private readonly Stack<float[]> _free = new();
    private readonly SileroVadStream[] _self;
    private int _filled;
    private int _quietWindows;

    internal SileroVadStream(SileroVadModel model)
    {
        _model = model;
        _self = [this];
    }

    internal float[] State { get; } = new float[2 * 128];

    internal bool HasPending => _pending.Count > 0;

    internal ReadOnlySpan<float> PendingWindow => _pending.Peek();

    /// <summary>Complete windows waiting for the model.</summary>
    public int Pending => _pending.Count;

    /// <summary>Adds PCM16 samples at 16 kHz; calls <paramref name="onWindow"/> with the speech probability (0–1) of
    /// every window completed.</summary>
    public void Write(ReadOnlySpan<short> samples, Action<float> onWindow)
    {
        ArgumentNullException.ThrowIfNull(onWindow);
        Span<float> probability = stackalloc float[1];
        while (!samples.IsEmpty)
        {
            var take = Math.Min(SileroVadModel.WindowSamples - _filled, samples.Length);
            Append(samples[..take]);
            samples = samples[take..];
            while (HasPending)
            {
                _model.Infer(_self, probability);
                onWindow(probability[0]);
            }
        }
    }

    /// <summary>Adds PCM16 samples at 16 kHz; each completed window waits for <see cref="SileroVadModel.Infer"/>.</summary>
    public void Append(ReadOnlySpan<short> samples)
    {
        const int context = SileroVadModel.ContextSamples;
        while (!samples.IsEmpty)
        {
            var take = Math.Min(SileroVadModel.WindowSamples - _filled, samples.Length);
            var target = _input.AsSpan(context + _filled, take);
            for (var i = 0; i < take; i++)
            {
                target[i] = samples[i] / 32768f;
            }

            _filled += take;
            samples = samples[take..];
            if (_filled == SileroVadModel.WindowSamples)
            {
                if (_pending.Count == MaxPending)
                {
                    _free.Push(_pending.Dequeue());
                }

                var window = _free.Count > 0 ? _free.Pop() : new float[Width];
                _input.CopyTo(window, 0);
                _pending.Enqueue(window);
                _input.AsSpan(Width - context, context).CopyTo(_input);
                _filled = 0;
            }
        }
    }

    /// <summary>Forgets the stream's past (a new call on the same object).</summary>
    public void Reset()
    {
        Array.Clear(State);
        Array.Clear(_input);
        while (_pending.Count > 0)
        {
            _free.Push(_pending.Dequeue());
        }

        _filled = 0;
        _quietWindows = 0;
    }

    /// <summary>The pending window is near-silence after enough quiet: it is taken without the model. The model's state
    /// stays as the quiet windows left it — what more silence would leave it, near enough (the end-of-turn tests run
    /// with the skipping on).</summary>
    internal bool SkipAsSilence()
    {
        var window = _pending.Peek().AsSpan(SileroVadModel.ContextSamples);
        double sum = 0;
        foreach (var sample in window)
        {
            sum += sample * sample;
        }

        var quiet = 10 * Math.Log10((sum / window.Length) + 1e-12) < SilenceDbfs;
        _quietWindows = quiet ? _quietWindows + 1 : 0;
        if (quiet && _quietWindows > QuietWindowsBeforeSkipping)
        {
            Taken();
            return true;
        }

        return false;
    }

    internal void Taken() => _free.Push(_pending.Dequeue());
}
