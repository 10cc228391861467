using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
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
    }
}

/// <summary>
/// OpenID Connect (authorization code with PKCE) against Entra ID: the signed-in account's e-mail (or, failing that, its
/// preferred username) is looked up among owners, and the owner's cookie is issued exactly as a sign-in link issues it.
/// An account that owns no business is refused with a clear message and no cookie.
/// </summary>
public static class EntraSignIn
{
    public const string Scheme = "Entra";

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

        return auth.AddOpenIdConnect(Scheme, "Microsoft", o =>
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
                    var user = ctx.Principal!;
                    var email = user.FindFirstValue("email") ?? user.FindFirstValue("preferred_username");
                    var access = ctx.HttpContext.RequestServices.GetRequiredService<IAccessStore>();
                    var owner = AccessGrants.IsEmail(email) ? await access.GetOwnerAsync(email!, ctx.HttpContext.RequestAborted) : null;
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
