using Receptionist.Testing;

namespace Receptionist.Host.Tests.Scenarios;

/// <summary>Two collections with an Azurite each, so the two stream lanes run beside each other and beside the rest.</summary>
[CollectionDefinition(Name)]
public sealed class StreamAzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azurite (stream, lane 1)";
}

[CollectionDefinition(Name)]
public sealed class StreamAzuriteCollection2 : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azurite (stream, lane 2)";
}

/// <summary>
/// A sample of the scenario suite in Twilio stream mode (Media Streams): the caller's lines are real espeak-ng speech
/// sent in 20 ms μ-law frames in real time, heard by the app's VAD and end-of-turn detection, recognised by the
/// loopback Azure Speech, and the receptionist's replies are synthesised audio played out in real time — the same
/// expected outcomes as in the other modes. A call takes as long as it would on the phone (half a minute or more), so
/// CI runs every <see cref="Every"/>-th file (RECEPTIONIST_STREAM_EVERY overrides it; 1 runs them all), split over two
/// lanes that run in parallel, as the streaming calls mostly wait.
/// </summary>
public static class StreamScenarios
{
    public static int Every => int.TryParse(Environment.GetEnvironmentVariable("RECEPTIONIST_STREAM_EVERY"), out var every) && every > 0 ? every : 45;

    /// <summary>Every <see cref="Every"/>-th scenario file, alternately into lane 0 and lane 1.</summary>
    public static TheoryData<string> Lane(int lane)
    {
        var data = new TheoryData<string>();
        var picked = 0;
        var index = 0;
        foreach (var row in (IEnumerable<object[]>)ScenarioTests.Files())
        {
            if (index++ % Every == 0 && picked++ % 2 == lane)
            {
                data.Add((string)row[0]);
            }
        }

        return data;
    }
}

[Collection(StreamAzuriteCollection.Name)]
public sealed class StreamScenarioTests(AzuriteFixture azurite)
{
    public static TheoryData<string> Files() => StreamScenarios.Lane(0);

    [Theory]
    [MemberData(nameof(Files))]
    public Task Call_ScenarioOverAStream_ExactOutcome(string file) => ScenarioTests.RunAsync(azurite, file, "stream");
}

[Collection(StreamAzuriteCollection2.Name)]
public sealed class StreamScenarioTests2(AzuriteFixture azurite)
{
    public static TheoryData<string> Files() => StreamScenarios.Lane(1);

    [Theory]
    [MemberData(nameof(Files))]
    public Task Call_ScenarioOverAStream_ExactOutcome(string file) => ScenarioTests.RunAsync(azurite, file, "stream");
}
