using Receptionist.Testing;

namespace Receptionist.Cli.Tests;

// Inside the namespace: `Cli` alone would name the Receptionist.Cli namespace.
using Cli = Receptionist.Cli.Commands.Cli;

/// <summary>Storage-backed commands: an unknown tenant is an error, storage that refuses the key is one line.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class ListCommandTests(AzuriteFixture azurite) : IDisposable
{
    private readonly CliRun _cli = new(azurite);

    public void Dispose() => _cli.Dispose();

    [Theory]
    [InlineData("appointments")]
    [InlineData("calls")]
    [InlineData("messages")]
    [InlineData("notifications")]
    public async Task List_UnknownTenant_ExitsFailedNamingIt(string command)
    {
        var result = await _cli.RunAsync(command, "list", "--tenant", "nosuch");

        Expect.OneLineError(result, Cli.Failed, "no tenant 'nosuch'", "tenants list");
        Assert.Equal(string.Empty, result.Out);
    }

    [Theory]
    [InlineData("appointments")]
    [InlineData("calls")]
    [InlineData("messages")]
    [InlineData("notifications")]
    public async Task List_KnownTenant_ExitsOk(string command)
    {
        var file = Path.Combine(_cli.Root, "dentist.json");
        await File.WriteAllTextAsync(file, TestTenants.Dentist);
        Assert.Equal(Cli.Ok, (await _cli.RunAsync("tenants", "import", file)).ExitCode);

        var result = await _cli.RunAsync(command, "list", "--tenant", "bright-smiles", "--json");

        Assert.True(result.ExitCode == Cli.Ok, result.ToString());
        Assert.Equal(string.Empty, result.Err);
    }

    [Fact]
    public async Task Understand_UnknownTenant_ExitsFailedNamingIt()
    {
        var result = await _cli.RunAsync("understand", "--tenant", "nosuch", "hello");

        Expect.OneLineError(result, Cli.Failed, "no tenant 'nosuch'");
    }

    [Fact]
    public async Task TenantsList_AccountKeyRefused_ExitsFailedNamingTheKey()
    {
        _cli.Settings["Storage:ConnectionString"] = UpCommandTests.WithAccountKey(azurite.ConnectionString, Convert.ToBase64String(new byte[64]));

        var result = await _cli.RunAsync("tenants", "list");

        Expect.OneLineError(result, Cli.Failed, "AccountKey", "refused");
    }

    [Fact]
    public async Task TenantsList_AccountKeyNotBase64_ExitsFailedNamingTheKey()
    {
        _cli.Settings["Storage:ConnectionString"] = UpCommandTests.WithAccountKey(azurite.ConnectionString, "not-a-key!");

        var result = await _cli.RunAsync("tenants", "list");

        Expect.OneLineError(result, Cli.Failed, "AccountKey", "base-64");
    }

    [Fact]
    public async Task TenantsList_StorageNotListening_ExitsFailedNamingTheEndpoint()
    {
        var port = CliRun.FreePort();
        _cli.Settings["Storage:ConnectionString"] = $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={Convert.ToBase64String(new byte[64])};TableEndpoint=http://127.0.0.1:{port}/devstoreaccount1;";

        var result = await _cli.RunAsync("tenants", "list");

        Expect.OneLineError(result, Cli.Failed, $"127.0.0.1:{port}", "not reachable");
    }

    [Fact]
    public async Task TenantsList_TableEndpointNotHttps_ExitsFailedNamingTheSetting()
    {
        _cli.Settings["Storage:TableEndpoint"] = "http://acct.table.core.windows.net";

        var result = await _cli.RunAsync("tenants", "list");

        Expect.OneLineError(result, Cli.Failed, "Storage:TableEndpoint", "not an https endpoint");
    }
}
