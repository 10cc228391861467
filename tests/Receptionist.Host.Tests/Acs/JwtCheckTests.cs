using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Receptionist.Host.Acs;

namespace Receptionist.Host.Tests.Acs;

/// <summary>JWT validation against a loopback OpenID metadata document and a local signing key, as ACS signs callbacks.</summary>
public sealed class JwtCheckTests : IAsyncLifetime
{
    private const string Audience = "11111111-2222-3333-4444-555555555555";
    private RsaSecurityKey _key = new(RSA.Create(2048)) { KeyId = "key-1" };
    private WebApplication _metadata = null!;
    private string _issuer = null!;
    private string _metadataUrl = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _metadata = builder.Build();
        _metadata.MapGet("/.well-known/openid-configuration", (HttpContext http) => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = _issuer, ["jwks_uri"] = _issuer + "/keys",
        }));
        _metadata.MapGet("/keys", () => Results.Json(new { keys = new[] { JsonWebKeyConverter.ConvertFromRSASecurityKey(_key) }.Select(k => new { k.Kty, k.Kid, k.N, k.E, use = "sig" }) }));
        await _metadata.StartAsync();
        _issuer = _metadata.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _metadataUrl = _issuer + "/.well-known/openid-configuration";
    }

    public async Task DisposeAsync() => await _metadata.DisposeAsync();

    [Fact]
    public async Task FailureAsync_ValidToken_Null() => Assert.Null(await Check().FailureAsync("Bearer " + Token(), CancellationToken.None));

    [Fact]
    public async Task FailureAsync_Expired_Fails() =>
        Assert.NotNull(await Check().FailureAsync("Bearer " + Token(expires: DateTime.UtcNow.AddMinutes(-10)), CancellationToken.None));

    [Fact]
    public async Task FailureAsync_WrongAudience_Fails() =>
        Assert.NotNull(await Check().FailureAsync("Bearer " + Token(audience: "99999999-2222-3333-4444-555555555555"), CancellationToken.None));

    [Fact]
    public async Task FailureAsync_WrongIssuer_Fails() =>
        Assert.NotNull(await Check().FailureAsync("Bearer " + Token(issuer: "https://evil.example.com"), CancellationToken.None));

    [Fact]
    public async Task FailureAsync_SignedWithAnotherKey_Fails() =>
        Assert.NotNull(await Check().FailureAsync("Bearer " + Token(key: new RsaSecurityKey(RSA.Create(2048)) { KeyId = "key-1" }), CancellationToken.None));

    [Fact]
    public async Task FailureAsync_Unsigned_Fails()
    {
        var unsigned = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor { Issuer = _issuer, Audience = Audience, Expires = DateTime.UtcNow.AddMinutes(5) });

        Assert.NotNull(await Check().FailureAsync("Bearer " + unsigned, CancellationToken.None));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Basic abc")]
    [InlineData("Bearer not-a-jwt")]
    public async Task FailureAsync_NoOrGarbledToken_Fails(string? header) => Assert.NotNull(await Check().FailureAsync(header, CancellationToken.None));

    [Fact]
    public async Task FailureAsync_KeyRolledOver_NewKeyAcceptedAtOnce()
    {
        var check = Check();
        Assert.Null(await check.FailureAsync("Bearer " + Token(), CancellationToken.None)); // keys cached
        _key = new RsaSecurityKey(RSA.Create(2048)) { KeyId = "key-2" };

        Assert.Null(await check.FailureAsync("Bearer " + Token(), CancellationToken.None));
    }

    [Fact]
    public async Task FailureAsync_MetadataUnreachable_FailsWithoutThrowing()
    {
        var check = new JwtCheck("http://127.0.0.1:9/.well-known/openid-configuration", Audience, new HttpClient { Timeout = TimeSpan.FromSeconds(5) }, TimeProvider.System);

        Assert.Contains("metadata", await check.FailureAsync("Bearer " + Token(), CancellationToken.None));
    }

    private JwtCheck Check() => new(_metadataUrl, Audience, new HttpClient { Timeout = TimeSpan.FromSeconds(5) }, TimeProvider.System);

    private string Token(string? audience = null, string? issuer = null, DateTime? expires = null, SecurityKey? key = null)
    {
        var end = expires ?? DateTime.UtcNow.AddMinutes(5);
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer ?? _issuer,
            Audience = audience ?? Audience,
            NotBefore = end.AddMinutes(-10),
            IssuedAt = end.AddMinutes(-10),
            Expires = end,
            SigningCredentials = new SigningCredentials(key ?? _key, SecurityAlgorithms.RsaSha256),
        });
    }
}
