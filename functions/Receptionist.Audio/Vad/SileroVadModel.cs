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

    /// <summary>Speech probability of one window; <paramref name="state"/> (2×1×128) is read and replaced.</summary>
    internal float Run(float[] input, ref float[] state)
    {
        var inputs = new List<NamedOnnxValue>(3)
        {
            NamedOnnxValue.CreateFromTensor("input", new DenseTensor<float>(input, [1, input.Length])),
            NamedOnnxValue.CreateFromTensor("state", new DenseTensor<float>(state, [2, 1, 128])),
            NamedOnnxValue.CreateFromTensor("sr", _sampleRate),
        };
        using var results = _session.Run(inputs);
        float probability = 0;
        foreach (var result in results)
        {
            var tensor = result.AsTensor<float>();
            if (result.Name == "output")
            {
                probability = tensor.GetValue(0);
            }
            else if (result.Name == "stateN")
            {
                state = tensor.ToArray();
            }
        }

        return probability;
    }

    public void Dispose() => _session.Dispose();
}

/// <summary>One audio stream's view of the model: feed 16 kHz samples in any chunk size, get a probability per
/// 32 ms window.</summary>
public sealed class SileroVadStream
{
    private readonly SileroVadModel _model;
    private readonly float[] _input = new float[SileroVadModel.ContextSamples + SileroVadModel.WindowSamples];
    private float[] _state = new float[2 * 128];
    private int _filled;

    internal SileroVadStream(SileroVadModel model) => _model = model;

    /// <summary>Adds PCM16 samples at 16 kHz; calls <paramref name="onWindow"/> with the speech probability (0–1) of
    /// every window completed.</summary>
    public void Write(ReadOnlySpan<short> samples, Action<float> onWindow)
    {
        ArgumentNullException.ThrowIfNull(onWindow);
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
                var probability = _model.Run(_input, ref _state);
                _input.AsSpan(_input.Length - context, context).CopyTo(_input);
                _filled = 0;
                onWindow(probability);
            }
        }
    }

    /// <summary>Forgets the stream's past (a new call on the same object).</summary>
    public void Reset()
    {
        Array.Clear(_state);
        Array.Clear(_input);
        _filled = 0;
    }
}
