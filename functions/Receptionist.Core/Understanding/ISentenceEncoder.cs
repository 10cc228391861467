namespace Receptionist.Core.Understanding;

/// <summary>Turns sentences into meaning vectors (sentence embeddings): sentences that mean alike get vectors that point
/// alike. Optional: without one, understanding is by rules alone.</summary>
public interface ISentenceEncoder
{
    /// <summary>One vector per sentence, all of the same length.</summary>
    float[][] Encode(IReadOnlyList<string> sentences);
}
