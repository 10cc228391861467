using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Receptionist.Core.Owners;

namespace Receptionist.Host.Owners;

/// <summary>Owners signing in with their Microsoft (Entra ID) account, when configured (<c>Owners:Entra:*</c>).</summary>
public sealed class EntraSignInOptions : IValidatableObject
{
    public const string Section = "Owners:Entra";

    /// <summary>The OpenID Connect authority, e.g. https://login.microsoftonline.com/{tenant}/v2.0. Empty: the button is absent.</summary>
    public string? Authority { get; set; }

    /// <summary>The app registration's client id.</summary>
    public string? ClientId { get; set; }

    /// <summary>Its client secret (Key Vault in Azure, local.settings.json locally).</summary>
    public string? ClientSecret { get; set; }

    /// <summary>The audience the admin API accepts Entra access tokens for, besides the client id itself; default
    /// <c>api://{ClientId}</c> (the app registration's application id URI).</summary>
    public string? ApiAudience { get; set; }

    /// <summary>The app role (<c>roles</c> claim) that makes an Entra token an operator's: every tenant, tenant management.</summary>
    public string OperatorRole { get; set; } = "Receptionist.Operator";

    public IReadOnlyList<string> ApiAudiences() =>
        [ClientId!, string.IsNullOrWhiteSpace(ApiAudience) ? $"api://{ClientId}" : ApiAudience];

    public bool Enabled => !string.IsNullOrWhiteSpace(Authority);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Enabled)
        {
            yield break;
        }

        if (!Uri.TryCreate(Authority, UriKind.Absolute, out var authority) || authority.Scheme is not ("https" or "http"))
        {
            yield return new ValidationResult($"{Section}:Authority: '{Authority}' is not an absolute URL, e.g. https://login.microsoftonline.com/TENANT/v2.0", [nameof(Authority)]);
        }

        if (string.IsNullOrWhiteSpace(ClientId))
        {
            yield return new ValidationResult($"{Section}:ClientId is required when {Section}:Authority is set", [nameof(ClientId)]);
        }

        if (string.IsNullOrWhiteSpace(ClientSecret))
        {
            yield return new ValidationResult($"{Section}:ClientSecret is required when {Section}:Authority is set", [nameof(ClientSecret)]);
        }

        if (string.IsNullOrWhiteSpace(OperatorRole))
        {
            yield return new ValidationResult($"{Section}:OperatorRole must not be empty", [nameof(OperatorRole)]);
        }
    }
}

/// <summary>
/// OpenID Connect (authorization code with PKCE) against Entra ID: the signed-in account's e-mail (or, failing that, its
/// preferred username) is looked up among owners, and the owner's cookie is issued exactly as a sign-in link issues it.
/// An account that owns no business is refused with a clear message and no cookie.
/// The same authority's access tokens are accepted by the admin API (<see cref="BearerScheme"/>), mapped to an owner
/// the same way, or to an operator by the <see cref="EntraSignInOptions.OperatorRole"/> app role.
/// </summary>
public static class EntraSignIn
{
    public const string Scheme = "Entra";

    /// <summary>Entra access tokens on the admin API (<c>Authorization: Bearer eyJ…</c>).</summary>
    public const string BearerScheme = "EntraBearer";

    /// <summary>Where the sign-in page's "Sign in with Microsoft" button goes.</summary>
    public const string StartPath = "/signin-microsoft";

    public static AuthenticationBuilder AddEntraSignIn(this AuthenticationBuilder auth, IConfiguration config, IWebHostEnvironment env)
    {
        var options = config.GetSection(EntraSignInOptions.Section).Get<EntraSignInOptions>() ?? new EntraSignInOptions();
        auth.Services.AddOptions<EntraSignInOptions>().Bind(config.GetSection(EntraSignInOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        if (!options.Enabled)
        {
            return auth;
        }

        return auth.AddEntraBearer(options, env).AddOpenIdConnect(Scheme, "Microsoft", o =>
        {
            o.Authority = options.Authority;
            o.ClientId = options.ClientId;
            o.ClientSecret = options.ClientSecret;
            o.ResponseType = OpenIdConnectResponseType.Code;
            o.ResponseMode = OpenIdConnectResponseMode.Query; // a GET back to us: the correlation cookies can stay SameSite=Lax
            o.UsePkce = true;
            o.Scope.Clear();
            o.Scope.Add("openid");
            o.Scope.Add("profile");
            o.Scope.Add("email");
            o.SignInScheme = OwnerAccess.CookieScheme;
            o.CallbackPath = "/signin-oidc";
            o.RequireHttpsMetadata = !env.IsDevelopment();
            o.MapInboundClaims = false;
            o.TimeProvider = TimeProvider.System;
            o.CorrelationCookie.SameSite = SameSiteMode.Lax;
            o.NonceCookie.SameSite = SameSiteMode.Lax;
            var secure = env.IsDevelopment() ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
            o.CorrelationCookie.SecurePolicy = secure;
            o.NonceCookie.SecurePolicy = secure;
            o.Events = new OpenIdConnectEvents
            {
                OnTokenValidated = async ctx =>
                {
                    var owner = await OwnerOfAsync(ctx.Principal!, ctx.HttpContext);
                    if (owner is null)
                    {
                        ctx.Fail("This Microsoft account owns no business here.");
                        return;
                    }

                    ctx.Principal = OwnerAccess.ForOwner(owner);
                    ctx.Properties!.RedirectUri = owner.TenantIds.Count == 1 ? $"/t/{owner.TenantIds[0]}/calls" : "/";
                },
                OnRemoteFailure = ctx =>
                {
                    var logger = ctx.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(EntraSignIn));
                    logger.LogInformation("Microsoft sign-in refused: {Reason}", ctx.Failure?.Message);
                    ctx.Response.Redirect("/signin?refused=microsoft");
                    ctx.HandleResponse();
                    return Task.CompletedTask;
                },
            };
        });
    }

    /// <summary>The admin API's Entra bearer tokens: signed by the authority, for this app's audience, unexpired;
    /// then an owner by e-mail, or an operator by app role. Anything else is 401 (the API key scheme challenges).</summary>
    private static AuthenticationBuilder AddEntraBearer(this AuthenticationBuilder auth, EntraSignInOptions options, IWebHostEnvironment env) =>
        auth.AddJwtBearer(BearerScheme, o =>
        {
            o.Authority = options.Authority;
            o.RequireHttpsMetadata = !env.IsDevelopment();
            o.MapInboundClaims = false;
            o.TimeProvider = TimeProvider.System;
            o.TokenValidationParameters.ValidAudiences = options.ApiAudiences();
            o.Events = new JwtBearerEvents
            {
                OnTokenValidated = async ctx =>
                {
                    var account = ctx.Principal!;
                    if (account.FindAll("roles").Any(r => string.Equals(r.Value, options.OperatorRole, StringComparison.Ordinal)))
                    {
                        ctx.Principal = OwnerAccess.ForOperator("Entra operator", BearerScheme);
                        return;
                    }

                    var owner = await OwnerOfAsync(account, ctx.HttpContext);
                    if (owner is null)
                    {
                        ctx.Fail("This Microsoft account owns no business here.");
                        return;
                    }

                    ctx.Principal = OwnerAccess.ForOwner(owner, BearerScheme);
                },
            };
        });

    /// <summary>The owner a Microsoft account is: its e-mail claim, or failing that its preferred username.</summary>
    private static async Task<Owner?> OwnerOfAsync(ClaimsPrincipal account, HttpContext http)
    {
        var email = account.FindFirstValue("email") ?? account.FindFirstValue("preferred_username");
        var access = http.RequestServices.GetRequiredService<IAccessStore>();
        return AccessGrants.IsEmail(email) ? await access.GetOwnerAsync(email!, http.RequestAborted) : null;
    }

    /// <summary>The button's target: starts the Microsoft sign-in (404 when it is not configured).</summary>
    public static IEndpointRouteBuilder MapEntraSignIn(this IEndpointRouteBuilder app)
    {
        app.MapGet(StartPath, (IOptions<EntraSignInOptions> options) => options.Value.Enabled
                ? Results.Challenge(new AuthenticationProperties { RedirectUri = "/" }, [Scheme])
                : Results.NotFound())
            .RequireRateLimiting(OwnerRegistration.SignInRateLimit)
            .ExcludeFromDescription();
        return app;
    }
}
