using Receptionist.Testing;

namespace Receptionist.Cli.Tests;

/// <summary>Test classes in this collection share one Azurite (xunit needs the definition in the test assembly).</summary>
[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azurite";
}
