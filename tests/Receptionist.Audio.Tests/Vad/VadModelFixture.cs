using Receptionist.Audio.Vad;

namespace Receptionist.Audio.Tests.Vad;

/// <summary>One loaded model for the whole test run (loading takes ~0.2 s).</summary>
public sealed class VadModelFixture : IDisposable
{
    public VadModelFixture()
    {
        Path = SileroVadModel.Find(AppContext.BaseDirectory)
            ?? throw new InvalidOperationException($"{SileroVadModel.RelativePath} not found above {AppContext.BaseDirectory}: run `npm ci` in the repository root");
        Model = SileroVadModel.Load(Path);
    }

    public string Path { get; }

    public SileroVadModel Model { get; }

    public void Dispose() => Model.Dispose();
}

[CollectionDefinition(Name)]
public sealed class VadModelCollection : ICollectionFixture<VadModelFixture>
{
    public const string Name = "Silero VAD model";
}
