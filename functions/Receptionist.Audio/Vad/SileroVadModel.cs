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

    private static readonly string[] InputNames = ["input", "state", "sr"];
    private static readonly string[] OutputNames = ["output", "stateN"];

    [ThreadStatic]
    private static Scratch? t_scratch;

    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();
    private readonly OrtValue _sampleRate = OrtValue.CreateTensorValueFromMemory(new long[] { AudioRates.Wideband }, [1]);

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

        // one thread per inference, no thread pool of ONNX Runtime's own (the caller decides the parallelism), the
        // graph fused once at load
        using var options = new SessionOptions
        {
            IntraOpNumThreads = 1,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
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

    /// <summary>Windows the model has been run on since it was loaded, the look-back windows run before a rise
    /// included (a window skipped as quiet is not counted).</summary>
    public long Inferences => Interlocked.Read(ref _inferences);

    private long _inferences;

    /// <summary>
    /// Runs the oldest pending window of each stream that has one, all in one inference (a batch costs about a third
    /// of the same windows run one by one). <paramref name="probabilities"/>[i] gets stream i's speech probability, or
    /// NaN when it had no complete window. A window whose energy is not clearly above its stream's noise floor, in a
    /// stream that is not in speech, is not run: its probability is 0 (see <see cref="SileroVadStream.SkipsQuiet"/>).
    /// When a window rises above the gate after skipped ones, the last skipped window is run first (its probability
    /// is not reported) so the model meets the rise with the state it would have had. Returns how many windows were
    /// taken. The streams must not be written meanwhile. Nothing is allocated per window: the buffers are kept per thread,
    /// and an inference allocates only the four small OrtValue wrappers over them.
    /// </summary>
    public int Infer(IReadOnlyList<SileroVadStream> streams, Span<float> probabilities)
    {
        ArgumentNullException.ThrowIfNull(streams);
        if (probabilities.Length < streams.Count)
        {
            throw new ArgumentException("one probability per stream", nameof(probabilities));
        }

        var scratch = t_scratch ??= new Scratch();
        scratch.Reserve(streams.Count);
        var run = scratch.Run;
        var lookBack = scratch.LookBack;
        int runs = 0, lookBacks = 0, taken = 0;
        for (var i = 0; i < streams.Count; i++)
        {
            probabilities[i] = float.NaN;
            var stream = streams[i];
            if (!stream.HasPending)
            {
                continue;
            }

            taken++;
            switch (stream.Decide())
            {
                case SileroVadStream.Decision.Skip:
                    probabilities[i] = 0;
                    break;
                case SileroVadStream.Decision.RunAfterLookBack:
                    lookBack[lookBacks++] = i;
                    run[runs++] = i;
                    break;
                default:
                    run[runs++] = i;
                    break;
            }
        }

        // the look-back windows, oldest first: pass p runs the streams that kept at least LookBackWindows − p of them
        for (var pass = 0; pass < SileroVadStream.LookBackWindows && lookBacks > 0; pass++)
        {
            var members = 0;
            for (var j = 0; j < lookBacks; j++)
            {
                if (streams[lookBack[j]].LookBacks >= SileroVadStream.LookBackWindows - pass)
                {
                    scratch.Members[members++] = lookBack[j];
                }
            }

            if (members > 0)
            {
                Run(streams, scratch.Members.AsSpan(0, members), scratch, lookBackPass: pass, probabilities);
            }
        }

        for (var j = 0; j < lookBacks; j++)
        {
            streams[lookBack[j]].LookedBack();
        }

        if (runs > 0)
        {
            Run(streams, run.AsSpan(0, runs), scratch, lookBackPass: -1, probabilities);
        }

        return taken;
    }

    /// <summary>One inference over the given streams' windows (their look-back windows, or their pending ones).</summary>
    private void Run(IReadOnlyList<SileroVadStream> streams, ReadOnlySpan<int> which, Scratch scratch, int lookBackPass, Span<float> probabilities)
    {
        const int width = ContextSamples + WindowSamples;
        const int units = SileroVadStream.StateUnits;
        var n = which.Length;
        var input = scratch.Input.AsSpan(0, n * width);
        var state = scratch.State.AsSpan(0, 2 * n * units);
        for (var b = 0; b < n; b++)
        {
            var stream = streams[which[b]];
            var window = lookBackPass < 0
                ? stream.PendingWindow
                : stream.LookBackWindow(lookBackPass - (SileroVadStream.LookBackWindows - stream.LookBacks));
            window.CopyTo(input.Slice(b * width, width));
            stream.State.AsSpan(0, units).CopyTo(state.Slice(b * units, units));
            stream.State.AsSpan(units, units).CopyTo(state.Slice((n + b) * units, units));
        }

        using (var inputValue = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, scratch.Input.AsMemory(0, n * width), scratch.Shape(n, width)))
        using (var stateValue = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, scratch.State.AsMemory(0, 2 * n * units), scratch.StateShape(n)))
        using (var outputValue = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, scratch.Output.AsMemory(0, n), scratch.Shape(n, 1)))
        using (var stateOutValue = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, scratch.StateOut.AsMemory(0, 2 * n * units), scratch.StateShape(n)))
        {
            scratch.Inputs[0] = inputValue;
            scratch.Inputs[1] = stateValue;
            scratch.Inputs[2] = _sampleRate;
            scratch.Outputs[0] = outputValue;
            scratch.Outputs[1] = stateOutValue;
            _session.Run(_runOptions, InputNames, scratch.Inputs, OutputNames, scratch.Outputs);
            Array.Clear(scratch.Inputs);
            Array.Clear(scratch.Outputs);
        }

        Interlocked.Add(ref _inferences, n);
        var stateOut = scratch.StateOut.AsSpan(0, 2 * n * units);
        for (var b = 0; b < n; b++)
        {
            var stream = streams[which[b]];
            stateOut.Slice(b * units, units).CopyTo(stream.State.AsSpan(0, units));
            stateOut.Slice((n + b) * units, units).CopyTo(stream.State.AsSpan(units, units));
            if (lookBackPass < 0)
            {
                var probability = scratch.Output[b];
                probabilities[which[b]] = probability;
                stream.Taken(probability);
            }
        }
    }

    public void Dispose()
    {
        _session.Dispose();
        _runOptions.Dispose();
        _sampleRate.Dispose();
    }

    /// <summary>A thread's buffers for <see cref="Infer"/>: grown to the largest batch seen, never shrunk.</summary>
    private sealed class Scratch
    {
        private long[][] _shapes = [];
        private long[][] _stateShapes = [];

        public int[] Run { get; private set; } = [];

        public int[] LookBack { get; private set; } = [];

        public int[] Members { get; private set; } = [];

        public float[] Input { get; private set; } = [];

        public float[] State { get; private set; } = [];

        public float[] StateOut { get; private set; } = [];

        public float[] Output { get; private set; } = [];

        public OrtValue[] Inputs { get; } = new OrtValue[3];

        public OrtValue[] Outputs { get; } = new OrtValue[2];

        public void Reserve(int streams)
        {
            if (Run.Length >= streams)
            {
                return;
            }

            var size = Math.Max(16, (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)streams));
            Run = new int[size];
            LookBack = new int[size];
            Members = new int[size];
            Input = new float[size * (ContextSamples + WindowSamples)];
            State = new float[2 * size * SileroVadStream.StateUnits];
            StateOut = new float[2 * size * SileroVadStream.StateUnits];
            Output = new float[size];
            _shapes = new long[(size + 1) * 2][];
            _stateShapes = new long[size + 1][];
        }

        /// <summary>[n, width], kept so a batch of a size seen before allocates nothing.</summary>
        public long[] Shape(int n, int width)
        {
            var slot = (n * 2) + (width == 1 ? 1 : 0);
            return _shapes[slot] ??= [n, width];
        }

        public long[] StateShape(int n) => _stateShapes[n] ??= [2, n, SileroVadStream.StateUnits];
    }
}

/// <summary>One audio stream's view of the model: feed 16 kHz samples in any chunk size, get a probability per
/// 32 ms window — at once (<see cref="Write"/>) or batched with other streams (<see cref="Append"/>, then
/// <see cref="SileroVadModel.Infer"/>).</summary>
/// <remarks>
/// The energy gate (<see cref="SkipsQuiet"/>, on by default): the stream tracks its own noise floor (the level of its
/// quietest recent windows: it follows the line down at once and up by 3 % of the difference a window, so a louder
/// line is learnt in about two seconds). A window is run through the model when any 8 ms of it reaches
/// <see cref="GateMarginDb"/> above that floor (and <see cref="SilenceDbfs"/>), when the window before it did, while
/// the model's last probability is <see cref="HoldProbability"/> or more (in speech and just after), for the stream's
/// first <see cref="QuietWindowsBeforeSkipping"/> windows, and once after every <see cref="RefreshEvery"/> skipped
/// ones; any other window is taken as not speech (probability 0) without the model, its state kept. When a window
/// rises above the gate after skipped ones, the last <see cref="LookBackWindows"/> skipped windows are run first
/// (their probabilities not reported), so the model meets the rise nearly as if it had heard the quiet all along
/// (tested against the model run on every window: the same turns, within one window).
/// </remarks>
public sealed class SileroVadStream
{
    /// <summary>Below this level (RMS, dBFS) a window is always quiet, whatever the stream's noise floor: digital
    /// silence, a quiet line.</summary>
    public const double SilenceDbfs = -60;

    /// <summary>Windows at a stream's start (or after <see cref="Reset"/>) that are run through the model whatever
    /// their level, while the noise floor is learnt (256 ms).</summary>
    public const int QuietWindowsBeforeSkipping = 8;

    /// <summary>How far above the stream's noise floor (dB) the loudest 8 ms of a window must be for the model to run
    /// on it: "clearly above" — stationary line noise varies by about 1 dB from one 8 ms to the next, the softest
    /// consonants of speech are 10 dB and more above a phone line's hiss.</summary>
    public const double GateMarginDb = 6;

    /// <summary>While the model's last probability is at least this, every window is run (in speech, and while it
    /// fades); below it the gate decides. Lower than <see cref="TurnDetector.OffsetProbability"/>, so a skipped window's
    /// 0 never ends speech the model would have kept.</summary>
    public const float HoldProbability = 0.2f;

    /// <summary>Skipped windows run (their probabilities not reported) before a window that rises above the gate,
    /// so the model meets the rise with the state the quiet would have left it in.</summary>
    public const int LookBackWindows = 6;

    /// <summary>Quiet windows skipped in a row after which one is run anyway: the model's recurrent state keeps
    /// drifting through seconds of quiet, and a state frozen for long meets the next rise differently.</summary>
    public const int RefreshEvery = 15;

    internal const int StateUnits = 128;

    private const int Width = SileroVadModel.ContextSamples + SileroVadModel.WindowSamples;
    private const int MaxPending = 32; // one second of windows: a stream further behind than that drops its oldest
    private const int GateBlock = 128; // 8 ms: the gate looks at the loudest quarter of a window
    private const double FloorRise = 0.03; // of the difference, a window: the floor follows a louder line in about 2 s
    private const double LowestDbfs = -100;

    internal enum Decision
    {
        Run,
        RunAfterLookBack,
        Skip,
    }

    private readonly SileroVadModel _model;
    private readonly float[] _input = new float[Width];
    private readonly Queue<float[]> _pending = new();
    private readonly Stack<float[]> _free = new();
    private readonly SileroVadStream[] _self;
    private readonly float[][] _lookBack = new float[LookBackWindows][]; // the last skipped windows, oldest first
    private int _lookBacks;
    private int _quietSkips;
    private int _filled;
    private int _windows;
    private double _floorDbfs = double.NaN;
    private bool _previousLoud;
    private float _lastProbability;

    internal SileroVadStream(SileroVadModel model)
    {
        _model = model;
        _self = [this];
    }

    internal float[] State { get; } = new float[2 * StateUnits];

    internal bool HasPending => _pending.Count > 0;

    internal ReadOnlySpan<float> PendingWindow => _pending.Peek();

    internal int LookBacks => _lookBacks;

    /// <summary>The <paramref name="index"/>th (0: oldest) skipped window kept for the look-back.</summary>
    internal ReadOnlySpan<float> LookBackWindow(int index) => _lookBack[index];

    /// <summary>Complete windows waiting for the model.</summary>
    public int Pending => _pending.Count;

    /// <summary>Whether quiet windows outside speech are taken without the model (the energy gate; on by default).
    /// Off, every window is run: the reference the gate is tested against.</summary>
    public bool SkipsQuiet { get; set; } = true;

    /// <summary>The stream's noise floor as the gate knows it (RMS dBFS of its quietest recent windows; NaN before
    /// the first window).</summary>
    public double NoiseFloorDbfs => _floorDbfs;

    /// <summary>Windows taken without the model since the stream began or was reset.</summary>
    public long Skipped { get; private set; }

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
                target[i] = samples[i] * (1f / 32768f);
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
        _windows = 0;
        _floorDbfs = double.NaN;
        _previousLoud = false;
        _lastProbability = 0;
        ForgetLookBack();
        _quietSkips = 0;
        Skipped = 0;
    }

    /// <summary>The gate's verdict on the pending window; a skipped window is taken here (its probability is 0).</summary>
    internal Decision Decide()
    {
        var window = _pending.Peek().AsSpan(SileroVadModel.ContextSamples);
        double total = 0, loudest = 0;
        for (var block = 0; block < SileroVadModel.WindowSamples; block += GateBlock)
        {
            var sum = SumOfSquares(window.Slice(block, GateBlock));
            total += sum;
            loudest = Math.Max(loudest, sum);
        }

        var meanDbfs = Dbfs(total / SileroVadModel.WindowSamples);
        var loudestDbfs = Dbfs(loudest / GateBlock);
        if (double.IsNaN(_floorDbfs))
        {
            _floorDbfs = meanDbfs;
        }

        var loud = loudestDbfs >= Math.Max(_floorDbfs + GateMarginDb, SilenceDbfs);
        _floorDbfs = meanDbfs < _floorDbfs ? meanDbfs : _floorDbfs + ((meanDbfs - _floorDbfs) * FloorRise);
        var warmingUp = _windows < QuietWindowsBeforeSkipping;
        _windows++;
        var run = !SkipsQuiet || warmingUp || loud || _previousLoud || _lastProbability >= HoldProbability;
        _previousLoud = loud;
        if (run)
        {
            _quietSkips = 0;
            return _lookBacks > 0 ? Decision.RunAfterLookBack : Decision.Run;
        }

        if (++_quietSkips > RefreshEvery)
        {
            // one quiet window in RefreshEvery + 1 is run, so the state follows the quiet as the model would
            _quietSkips = 0;
            ForgetLookBack();
            return Decision.Run;
        }

        // keep the skipped window for the look-back; the oldest it replaces is free again
        var skipped = _pending.Dequeue();
        if (_lookBacks == LookBackWindows)
        {
            _free.Push(_lookBack[0]);
            Array.Copy(_lookBack, 1, _lookBack, 0, LookBackWindows - 1);
            _lookBacks--;
        }

        _lookBack[_lookBacks++] = skipped;
        _lastProbability = 0;
        Skipped++;
        return Decision.Skip;
    }

    /// <summary>The look-back windows have been run: the state has heard them.</summary>
    internal void LookedBack() => ForgetLookBack();

    private void ForgetLookBack()
    {
        for (var i = 0; i < _lookBacks; i++)
        {
            _free.Push(_lookBack[i]);
            _lookBack[i] = null!;
        }

        _lookBacks = 0;
    }

    /// <summary>The pending window has been run and gave <paramref name="probability"/>.</summary>
    internal void Taken(float probability)
    {
        _lastProbability = probability;
        _free.Push(_pending.Dequeue());
    }

    private static double SumOfSquares(ReadOnlySpan<float> samples)
    {
        var vectors = System.Runtime.InteropServices.MemoryMarshal.Cast<float, System.Numerics.Vector<float>>(samples);
        var acc = System.Numerics.Vector<float>.Zero;
        foreach (var v in vectors)
        {
            acc += v * v;
        }

        float sum = System.Numerics.Vector.Sum(acc);
        for (var i = vectors.Length * System.Numerics.Vector<float>.Count; i < samples.Length; i++)
        {
            sum += samples[i] * samples[i];
        }

        return sum;
    }

    private static double Dbfs(double meanSquare) => Math.Max(LowestDbfs, 10 * Math.Log10(meanSquare + 1e-12));
}
