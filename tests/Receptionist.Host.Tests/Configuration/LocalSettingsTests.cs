using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Receptionist.Host.Configuration;

namespace Receptionist.Host.Tests.Configuration;

public sealed class LocalSettingsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("receptionist-settings-").FullName;

    private string SettingsPath => Path.Combine(_dir, LocalSettings.FileName);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Read_FunctionsStyleValues_MapsDoubleUnderscoreToSections()
    {
        File.WriteAllText(SettingsPath, """{ "IsEncrypted": false, "Values": { "Twilio__AuthToken": "abc123456", "Storage__TablePrefix": "dev" } }""");

        var values = LocalSettings.Read(SettingsPath);

        Assert.Equal("abc123456", values["Twilio:AuthToken"]);
        Assert.Equal("dev", values["Storage:TablePrefix"]);
    }

    [Fact]
    public void AddBelowEnvironment_EnvironmentVariableSet_EnvironmentWins()
    {
        File.WriteAllText(SettingsPath, """{ "Values": { "Twilio__AuthToken": "from-file-123" } }""");
        var key = "Twilio__AuthToken";
        var previous = Environment.GetEnvironmentVariable(key);
        Environment.SetEnvironmentVariable(key, "from-env-456");
        try
        {
            var builder = new ConfigurationBuilder().AddEnvironmentVariables();
            LocalSettings.AddBelowEnvironment(builder, SettingsPath);

            Assert.Equal("from-env-456", builder.Build()["Twilio:AuthToken"]);
        }
        finally
        {
            Environment.SetEnvironmentVariable(key, previous);
        }
    }

    [Fact]
    public void Read_ValuesMissing_ErrorNamesFileAndField()
    {
        File.WriteAllText(SettingsPath, """{ "IsEncrypted": false }""");

        var ex = Assert.Throws<InvalidOperationException>(() => LocalSettings.Read(SettingsPath));

        Assert.Contains(SettingsPath, ex.Message, StringComparison.Ordinal);
        Assert.Contains("Values", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EnsureDevelopmentDefaults_NoFile_GeneratesATokenOnceAndKeepsIt()
    {
        Assert.True(LocalSettings.EnsureDevelopmentDefaults(SettingsPath));
        var token = LocalSettings.Read(SettingsPath)["Twilio:AuthToken"];

        Assert.False(LocalSettings.EnsureDevelopmentDefaults(SettingsPath));
        Assert.Equal(token, LocalSettings.Read(SettingsPath)["Twilio:AuthToken"]);
        Assert.Equal(32, token!.Length);
    }

    [Fact]
    public void EnsureDevelopmentDefaults_TokenAlreadySet_KeepsItAndAddsTheAcsStandIn()
    {
        var json = new JsonObject { ["Values"] = new JsonObject { ["Twilio__AuthToken"] = "mine-12345678", ["Other"] = "x" } }.ToJsonString();
        File.WriteAllText(SettingsPath, json);

        Assert.True(LocalSettings.EnsureDevelopmentDefaults(SettingsPath));
        var settings = LocalSettings.Read(SettingsPath);
        Assert.Equal("mine-12345678", settings["Twilio:AuthToken"]);
        Assert.Equal("x", settings["Other"]);
        Assert.StartsWith("endpoint=http://127.0.0.1:7073/;accesskey=", settings["Acs:ConnectionString"]);
        Assert.True(Guid.TryParse(settings["Acs:ResourceId"], out _));
        Assert.Equal(32, settings["Acs:EventGrid:Secret"]!.Length);
    }

    [Fact]
    public void EnsureDevelopmentDefaults_EverythingSet_LeavesFileUntouched()
    {
        LocalSettings.EnsureDevelopmentDefaults(SettingsPath);
        var json = File.ReadAllText(SettingsPath);

        Assert.False(LocalSettings.EnsureDevelopmentDefaults(SettingsPath));
        Assert.Equal(json, File.ReadAllText(SettingsPath));
    }

    [Fact]
    public void EnsureDevelopmentDefaults_AcsByEntraEndpoint_AddsNoStandIn()
    {
        File.WriteAllText(SettingsPath, new JsonObject { ["Values"] = new JsonObject { ["Twilio__AuthToken"] = "mine-12345678", ["Acs__Endpoint"] = "https://x.communication.azure.com/" } }.ToJsonString());

        LocalSettings.EnsureDevelopmentDefaults(SettingsPath);

        Assert.False(LocalSettings.Read(SettingsPath).ContainsKey("Acs:ConnectionString"));
    }
}
