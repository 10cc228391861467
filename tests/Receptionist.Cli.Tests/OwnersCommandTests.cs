using System.Text.Json;
using Receptionist.Cloud.Tables;
using Receptionist.Core.Owners;
using Receptionist.Testing;

namespace Receptionist.Cli.Tests;

using Cli = Receptionist.Cli.Commands.Cli;

/// <summary>`owners add` and `keys create|revoke`: what they print is usable once, and only hashes are stored.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class OwnersCommandTests(AzuriteFixture azurite) : IDisposable
{
    private readonly CliRun _cli = new(azurite);

    public void Dispose() => _cli.Dispose();

    private async Task ImportDentistAsync()
    {
        var file = Path.Combine(_cli.Root, "dentist.json");
        await File.WriteAllTextAsync(file, TestTenants.Dentist);
        Assert.Equal(Cli.Ok, (await _cli.RunAsync("tenants", "import", file)).ExitCode);
    }

    [Fact]
    public async Task OwnersAdd_Tenant_PrintsALinkWhoseSecretIsStoredOnlyHashed()
    {
        await ImportDentistAsync();

        var result = await _cli.RunAsync("owners", "add", "--tenant", "bright-smiles", "--email", "Dr.Lee@Example.com", "--url", "https://rx.example.com", "--json");

        Assert.True(result.ExitCode == Cli.Ok, result.ToString());
        var root = JsonDocument.Parse(result.Out).RootElement;
        Assert.Equal("dr.lee@example.com", root.GetProperty("email").GetString());
        var link = new Uri(root.GetProperty("signInLink").GetString()!);
        Assert.Equal("rx.example.com", link.Host);
        var secret = link.AbsolutePath["/signin/".Length..];
        var access = new TableAccessStore(_cli.Environment().Tables());
        Assert.Equal(["bright-smiles"], (await access.GetOwnerAsync("dr.lee@example.com", CancellationToken.None))!.TenantIds);
        var stored = new List<string>();
        await foreach (var e in _cli.Environment().Tables().Access.QueryAsync<Azure.Data.Tables.TableEntity>())
        {
            stored.Add(JsonSerializer.Serialize(e));
        }

        Assert.DoesNotContain(stored, s => s.Contains(secret, StringComparison.Ordinal));
        Assert.Equal("dr.lee@example.com", await access.UseSignInLinkAsync(AccessTokens.Hash(secret), _cli.Environment().Now, CancellationToken.None));
        Assert.Null(await access.UseSignInLinkAsync(AccessTokens.Hash(secret), _cli.Environment().Now, CancellationToken.None));
    }

    [Theory]
    [InlineData("not-an-email")]
    [InlineData("a@b")]
    [InlineData("two@@example.com")]
    public async Task OwnersAdd_BadEmail_UsageErrorNamingTheOption(string email)
    {
        var result = await _cli.RunAsync("owners", "add", "--tenant", "bright-smiles", "--email", email);

        Assert.Equal(Cli.Usage, result.ExitCode);
        Assert.Contains("--email", result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OwnersAdd_UnknownTenant_FailsNamingIt()
    {
        var result = await _cli.RunAsync("owners", "add", "--tenant", "nobody", "--email", "a@example.com");

        Assert.Equal(Cli.Failed, result.ExitCode);
        Assert.Contains("no tenant 'nobody'", result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeysCreateThenRevoke_KeyWorksUntilRevoked()
    {
        await ImportDentistAsync();
        var created = await _cli.RunAsync("keys", "create", "--tenant", "bright-smiles", "--json");
        Assert.True(created.ExitCode == Cli.Ok, created.ToString());
        var key = JsonDocument.Parse(created.Out).RootElement.GetProperty("key").GetString()!;
        var access = new TableAccessStore(_cli.Environment().Tables());
        Assert.Equal("bright-smiles", (await access.GetApiKeyAsync(AccessTokens.Hash(key), CancellationToken.None))!.TenantId);

        var wrongTenant = await _cli.RunAsync("keys", "revoke", "--tenant", "other", "--key", key);
        var revoked = await _cli.RunAsync("keys", "revoke", "--tenant", "bright-smiles", "--key", key);

        Assert.Equal(Cli.Failed, wrongTenant.ExitCode);
        Assert.True(revoked.ExitCode == Cli.Ok, revoked.ToString());
        Assert.NotNull((await access.GetApiKeyAsync(AccessTokens.Hash(key), CancellationToken.None))!.RevokedAt);
        Assert.DoesNotContain(key, revoked.Out, StringComparison.Ordinal); // only its first characters are echoed
    }

    [Fact]
    public async Task KeysCreate_NeitherTenantNorOperator_UsageError()
    {
        var result = await _cli.RunAsync("keys", "create");

        Assert.Equal(Cli.Usage, result.ExitCode);
        Assert.Contains("--operator", result.Err, StringComparison.Ordinal);
    }
}
