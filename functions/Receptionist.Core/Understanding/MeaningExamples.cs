using System.Runtime.CompilerServices;

namespace Receptionist.Core.Understanding;

/// <summary>
/// Labelled example sentences and their meaning vectors, for recognising what no rule foresaw by similarity: how close a
/// caller's sentence is to the nearest example of each label (cosine similarity, -1..1). The examples are encoded once
/// per encoder and example set.
/// </summary>
public sealed class MeaningExamples
{
    private static readonly ConditionalWeakTable<ISentenceEncoder, Dictionary<string, MeaningExamples>> Cache = [];
    private static readonly ConditionalWeakTable<ISentenceEncoder, Dictionary<string, float[]>> Vectors = [];

    private readonly ISentenceEncoder _encoder;
    private readonly IReadOnlyList<(string Label, float[] Vector)> _examples;

    private MeaningExamples(ISentenceEncoder encoder, IReadOnlyList<(string Label, float[] Vector)> examples)
    {
        _encoder = encoder;
        _examples = examples;
    }

    /// <summary>The examples of <paramref name="key"/> encoded with <paramref name="encoder"/> (once; later calls reuse
    /// them, and a sentence already encoded for another set is not encoded again).</summary>
    public static MeaningExamples For(ISentenceEncoder encoder, string key, Func<IEnumerable<(string Label, string Sentence)>> examples)
    {
        var byKey = Cache.GetOrCreateValue(encoder);
        lock (byKey)
        {
            if (!byKey.TryGetValue(key, out var built))
            {
                var list = examples().ToList();
                var vectors = Encoded(encoder, list.Select(e => e.Sentence).ToList());
                built = new MeaningExamples(encoder, list.Select(e => (e.Label, vectors[e.Sentence])).ToList());
                byKey[key] = built;
            }

            return built;
        }
    }

    /// <summary>Encodes <paramref name="sentences"/> ahead of the first caller (a model's first use and a few hundred
    /// examples take seconds, more than a turn may).</summary>
    public static void Warm(ISentenceEncoder encoder, IEnumerable<string> sentences) => Encoded(encoder, sentences.ToList());

    private static Dictionary<string, float[]> Encoded(ISentenceEncoder encoder, IReadOnlyList<string> sentences)
    {
        var cache = Vectors.GetOrCreateValue(encoder);
        lock (cache)
        {
            var missing = sentences.Where(s => !cache.ContainsKey(s)).Distinct(StringComparer.Ordinal).ToList();
            if (missing.Count > 0)
            {
                var encoded = encoder.Encode(missing);
                for (var i = 0; i < missing.Count; i++)
                {
                    cache[missing[i]] = Unit(encoded[i]);
                }
            }

            return sentences.Distinct(StringComparer.Ordinal).ToDictionary(s => s, s => cache[s], StringComparer.Ordinal);
        }
    }

    /// <summary>For each label, the similarity of <paramref name="sentence"/> to its nearest example.</summary>
    public IReadOnlyDictionary<string, float> Nearest(string sentence) => Nearest([sentence]);

    /// <summary>For each label, the best similarity of any of <paramref name="sentences"/> (the parts of one utterance)
    /// to its nearest example.</summary>
    public IReadOnlyDictionary<string, float> Nearest(IReadOnlyList<string> sentences)
    {
        var best = new Dictionary<string, float>(StringComparer.Ordinal);
        foreach (var encoded in _encoder.Encode(sentences))
        {
            var v = Unit(encoded);
            foreach (var (label, vector) in _examples)
            {
                var s = Dot(v, vector);
                if (!best.TryGetValue(label, out var b) || s > b)
                {
                    best[label] = s;
                }
            }
        }

        return best;
    }

    private static float Dot(float[] a, float[] b)
    {
        var s = 0f;
        for (var i = 0; i < a.Length; i++)
        {
            s += a[i] * b[i];
        }

        return s;
    }

    private static float[] Unit(float[] v)
    {
        var norm = MathF.Sqrt(Dot(v, v));
        return norm == 0 ? v : v.Select(x => x / norm).ToArray();
    }
}
