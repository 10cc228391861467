using System.Reflection;

namespace Receptionist.Deploy.Tests;

/// <summary>The repository the tests check, and the Bicep CLI NuGet restored for them (both baked in at build time).</summary>
internal static class Repository
{
    public static string Root { get; } = Metadata("RepositoryRoot");

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    public static string ReadText(params string[] parts) => File.ReadAllText(PathOf(parts));

    /// <summary>BICEP_PATH wins (e.g. a bicep installed on macOS or Windows); else the linux-x64 CLI from the
    /// PackageDownload in this project.</summary>
    public static string BicepExecutable =>
        Environment.GetEnvironmentVariable("BICEP_PATH") is { Length: > 0 } overridden ? overridden : Metadata("BicepPath");

    private static string Metadata(string key) =>
        typeof(Repository).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().SingleOrDefault(a => a.Key == key)?.Value
        ?? throw new InvalidOperationException($"AssemblyMetadata '{key}' is missing: build the project with its .csproj (dotnet test).");
}
