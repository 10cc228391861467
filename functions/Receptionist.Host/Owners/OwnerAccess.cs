using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.Extensions.Options;
using Receptionist.Core.Owners;

namespace Receptionist.Host.Owners;

/// <summary>Who may see which tenant: the claims a signed-in owner or an API key carries, and the one rule that reads them.</summary>
public static class OwnerAccess
{
    /// <summary>The cookie scheme of owners signed in to the dashboard.</summary>
    public const string CookieScheme = "OwnerCookie";

    /// <summary>The <c>Authorization: Bearer rk_…</c> scheme of the admin API.</summary>
    public const string ApiKeyScheme = "ApiKey";

    /// <summary>What the admin API authenticates with: forwards an <c>rk_…</c> bearer to <see cref="ApiKeyScheme"/>, any
    /// other bearer to Entra ID's (when configured); challenges are the API key scheme's.</summary>
    public const string ApiScheme = "Api";

    /// <summary>Dashboard pages: a signed-in owner of the route's tenant.</summary>
    public const string OwnerPolicy = "owner";

    /// <summary>The admin API's tenant routes: a key (or operator key) for the route's tenant.</summary>
    public const string ApiPolicy = "api";

    /// <summary>The admin API's tenant management: an operator key.</summary>
    public const string OperatorPolicy = "operator";

    /// <summary>One claim per tenant the principal may see.</summary>
    public const string TenantClaim = "receptionist/tenant";

    /// <summary>Present (value "true") on operator keys: every tenant, and tenant management.</summary>
    public const string OperatorClaim = "receptionist/operator";

    /// <summary>The route value every tenant-scoped page and API route names its tenant with.</summary>
    public const string TenantRouteValue = "tenantId";

    /// <summary>THE rule: the principal may see <paramref name="tenantId"/>.</summary>
    public static bool MaySee(ClaimsPrincipal user, string tenantId) =>
        IsOperator(user) || user.FindAll(TenantClaim).Any(c => string.Equals(c.Value, tenantId, StringComparison.Ordinal));

    public static bool IsOperator(ClaimsPrincipal user) => user.HasClaim(OperatorClaim, "true");

    /// <summary>The tenants a signed-in owner owns, in the order they were given.</summary>
    public static IReadOnlyList<string> Tenants(ClaimsPrincipal user) => user.FindAll(TenantClaim).Select(c => c.Value).ToList();

    /// <summary>An owner's principal (a cookie, or an Entra token on the API): their e-mail and their tenants.</summary>
    public static ClaimsPrincipal ForOwner(Owner owner, string scheme = CookieScheme) => new(new ClaimsIdentity(
        [new Claim(ClaimTypes.Name, owner.Email), .. owner.TenantIds.Select(t => new Claim(TenantClaim, t))], scheme));

    /// <summary>An operator's principal: every tenant, and tenant management.</summary>
    public static ClaimsPrincipal ForOperator(string name, string scheme) => new(new ClaimsIdentity(
        [new Claim(ClaimTypes.Name, name), new Claim(OperatorClaim, "true")], scheme));

    /// <summary>An API key's principal: its tenant, or operator.</summary>
    public static ClaimsPrincipal ForKey(ApiKey key) => key.TenantId is { } t
        ? new(new ClaimsIdentity([new Claim(ClaimTypes.Name, "key " + key.Hint), new Claim(TenantClaim, t)], ApiKeyScheme))
        : ForOperator("operator key " + key.Hint, ApiKeyScheme);
}

/// <summary>The route's tenant must be one the principal may see (<see cref="OwnerAccess.MaySee"/>). Every tenant page
/// and API route carries this requirement through its policy, so no page or endpoint checks it itself.</summary>
public sealed class TenantAccessRequirement : IAuthorizationRequirement, IAuthorizationHandler
{
    public Task HandleAsync(AuthorizationHandlerContext context)
    {
        var http = context.Resource as HttpContext;
        var tenantId = http?.GetRouteValue(OwnerAccess.TenantRouteValue) as string;
        if (context.User.Identity?.IsAuthenticated == true && (tenantId is null || OwnerAccess.MaySee(context.User, tenantId)))
        {
            context.Succeed(this);
        }

        return Task.CompletedTask;
    }
}

/// <summary>A signed-in principal asking for another tenant's resource gets 404, exactly as for a tenant that does not
/// exist: nothing tells them whether it does.</summary>
public sealed class NotFoundForOtherTenants : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Forbidden && authorizeResult.AuthorizationFailure?.FailedRequirements.OfType<TenantAccessRequirement>().Any() == true)
        {
            return Results.Problem("No such tenant.", statusCode: StatusCodes.Status404NotFound).ExecuteAsync(context);
        }

        return _default.HandleAsync(next, context, policy, authorizeResult);
    }
}

/// <summary><c>Authorization: Bearer rk_…</c>: the key's hash is looked up in the Access table; a revoked or unknown key
/// is 401 with nothing written. The key itself is never logged.</summary>
public sealed class ApiKeyHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, IAccessStore access)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    /// <summary>The request's bearer looks like one of our keys (as opposed to, say, an Entra token).</summary>
    public static bool CarriesApiKey(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            && header["Bearer ".Length..].TrimStart().StartsWith(AccessTokens.ApiKeyPrefix, StringComparison.Ordinal);
    }

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }

        var secret = header["Bearer ".Length..].Trim();
        if (!AccessTokens.LooksLike(secret, AccessTokens.ApiKeyPrefix))
        {
            return AuthenticateResult.Fail("Not an API key.");
        }

        var key = await access.GetApiKeyAsync(AccessTokens.Hash(secret), Context.RequestAborted);
        if (key is null || key.RevokedAt is not null)
        {
            Logger.LogInformation("API request with an unknown or revoked key {Hint}", key?.Hint ?? "(unknown)");
            return AuthenticateResult.Fail("Unknown or revoked API key.");
        }

        return AuthenticateResult.Success(new AuthenticationTicket(OwnerAccess.ForKey(key), Scheme.Name));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = "Bearer";
        return Results.Problem("An API key is required: Authorization: Bearer rk_… (./receptionist keys create --tenant ID), or an Entra ID access token where Microsoft sign-in is configured.",
            statusCode: StatusCodes.Status401Unauthorized).ExecuteAsync(Context);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        Results.Problem("This key may not do that.", statusCode: StatusCodes.Status403Forbidden).ExecuteAsync(Context);
}
