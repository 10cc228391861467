using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Receptionist.Cloud.Tables;
using Receptionist.Core.Owners;
using Receptionist.Core.Reporting;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Receptionist.Host.Owners;

/// <summary>The owners' dashboard (Razor Pages under /t/{tenantId}) and the admin API (/api/v1): authentication by
/// cookie (one-time sign-in links) and by API key, tenant isolation in one requirement, a rate limit on sign-in.</summary>
public static class OwnerRegistration
{
    /// <summary>Sign-in requests per client address per minute (<c>Owners:SignInsPerMinute</c>).</summary>
    public const int SignInsPerMinute = 10;

    public const string SignInRateLimit = "signin";

    /// <summary>Largest request body the dashboard and the API accept (forms, JSON); larger is 413.</summary>
    public const long MaxBodyBytes = 64 * 1024;

    public static IServiceCollection AddOwners(this IServiceCollection services, IConfiguration config, IWebHostEnvironment env)
    {
        services.AddSingleton<IAccessStore, TableAccessStore>();
        services.TryAddSingleton<ICallReportStore, TableCallReportStore>();
        services.AddSingleton<OwnerViews>();
        services.AddSingleton<TenantSettings>();
        var entra = config.GetSection(EntraSignInOptions.Section).Get<EntraSignInOptions>()?.Enabled == true;
        services.AddDataProtection().SetApplicationName("Receptionist");
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp =>
            new ConfigureOptions<KeyManagementOptions>(o => o.XmlRepository = new TableKeyRepository(sp.GetRequiredService<TableSet>())));
        services.AddAuthentication(OwnerAccess.CookieScheme)
            .AddCookie(OwnerAccess.CookieScheme, o =>
            {
                o.Cookie.Name = ".receptionist.owner";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax; // Strict would drop the cookie on the redirect after a link opened from mail
                o.Cookie.SecurePolicy = env.IsDevelopment() ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
                o.ExpireTimeSpan = TimeSpan.FromDays(7);
                o.SlidingExpiration = true;
                o.LoginPath = "/signin";
                o.LogoutPath = "/signout";
                o.AccessDeniedPath = "/signin";
                o.TimeProvider = TimeProvider.System; // the browser expires cookies in real time, whatever clock the business runs on (Clock:Now in development)
            })
            .AddScheme<AuthenticationSchemeOptions, ApiKeyHandler>(OwnerAccess.ApiKeyScheme, null)
            .AddPolicyScheme(OwnerAccess.ApiScheme, "Admin API", o =>
            {
                o.ForwardDefaultSelector = http => entra && !ApiKeyHandler.CarriesApiKey(http.Request) ? EntraSignIn.BearerScheme : OwnerAccess.ApiKeyScheme;
                o.ForwardChallenge = OwnerAccess.ApiKeyScheme;
                o.ForwardForbid = OwnerAccess.ApiKeyScheme;
            })
            .AddEntraSignIn(config, env);
        services.AddAuthorizationBuilder()
            .AddPolicy(OwnerAccess.OwnerPolicy, p => p.AddAuthenticationSchemes(OwnerAccess.CookieScheme).RequireAuthenticatedUser().AddRequirements(new TenantAccessRequirement()))
            .AddPolicy(OwnerAccess.ApiPolicy, p => p.AddAuthenticationSchemes(OwnerAccess.ApiScheme).RequireAuthenticatedUser().AddRequirements(new TenantAccessRequirement()))
            .AddPolicy(OwnerAccess.OperatorPolicy, p => p.AddAuthenticationSchemes(OwnerAccess.ApiScheme).RequireClaim(OwnerAccess.OperatorClaim, "true"));
        services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationMiddlewareResultHandler, NotFoundForOtherTenants>();
        var perMinute = config.GetValue("Owners:SignInsPerMinute", SignInsPerMinute);
        if (perMinute < 1)
        {
            throw new OptionsValidationException("Owners:SignInsPerMinute", typeof(int), [$"Owners:SignInsPerMinute: {perMinute} must be at least 1"]);
        }

        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy(SignInRateLimit, http => RateLimitPartition.GetFixedWindowLimiter(
                http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
        });
        services.AddRazorPages(o =>
        {
            o.Conventions.AuthorizeFolder("/Tenant", OwnerAccess.OwnerPolicy);
            o.Conventions.AuthorizePage("/Index", OwnerAccess.OwnerPolicy);
        }).AddApplicationPart(typeof(OwnerRegistration).Assembly); // the pages live here, whichever program hosts the app (the CLI's `up`, tests)
        services.AddApiReference();
        // A body or parameter the framework cannot bind is the client's mistake: 400, also in Development (where it
        // would otherwise throw and answer 500).
        services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = false);
        return services;
    }

    /// <summary>Middleware and routes; call after the webhooks are mapped (they keep their own authentication).</summary>
    public static WebApplication MapOwners(this WebApplication app)
    {
        app.Use(async (http, next) =>
        {
            // Forms and JSON of the dashboard and the API are small; the carriers' webhooks have their own limits.
            if (http.Request.Path.StartsWithSegments("/api") || http.Request.Path.StartsWithSegments("/t") || http.Request.Path.StartsWithSegments("/signin")
                || http.Request.Path.StartsWithSegments("/signin-oidc"))
            {
                if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
                {
                    limit.MaxRequestBodySize = MaxBodyBytes;
                }

                if (http.Request.ContentLength > MaxBodyBytes)
                {
                    await Results.Problem($"The body is larger than {MaxBodyBytes / 1024} KiB.", statusCode: StatusCodes.Status413PayloadTooLarge).ExecuteAsync(http);
                    return;
                }
            }

            await next(http);
        });
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.MapApiReference();
        app.MapAdminApi();
        app.MapLiveCalls();
        app.MapEntraSignIn();
        app.MapRazorPages();
        return app;
    }
}
