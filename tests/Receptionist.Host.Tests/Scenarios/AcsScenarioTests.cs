using Receptionist.Testing;

namespace Receptionist.Host.Tests.Scenarios;

/// <summary>Test classes in this collection share a second Azurite, so the ACS scenario calls run beside the Twilio ones.</summary>
[CollectionDefinition(Name)]
public sealed class AcsAzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azurite (ACS)";
}

/// <summary>The scenario suite over Azure Communication Services: Event Grid and Call Automation against the loopback
/// ACS stand-in, the same expected outcomes as over Twilio.</summary>
[Collection(AcsAzuriteCollection.Name)]
public sealed class AcsScenarioTests(AzuriteFixture azurite)
{
    public static TheoryData<string> Files() => ScenarioTests.Files();

    [Theory]
    [MemberData(nameof(Files))]
    public Task Call_ScenarioOverAcs_ExactOutcome(string file) => ScenarioTests.RunAsync(azurite, file, "acs");
}
