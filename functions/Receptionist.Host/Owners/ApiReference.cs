using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace Receptionist.Host.Owners;

/// <summary>The admin API's description (its routes only): the OpenAPI document at <c>/openapi/v1.json</c> (always), declaring the bearer
/// authentication every route needs, and in Development a reference UI at <see cref="UiPath"/> that reads it (Scalar; its
/// script is served by the app itself, nothing is fetched from a CDN).</summary>
public static class ApiReference
{
    public const string DocumentPath = "/openapi/{documentName}.json";

    public const string UiPath = "/api/reference";

    public const string BearerSchemeId = "bearer";

    public static IServiceCollection AddApiReference(this IServiceCollection services) =>
        services.AddOpenApi(o =>
        {
            // The admin API only: the carriers' webhooks are not for integrators and authenticate differently.
            o.ShouldInclude = d => d.RelativePath?.StartsWith("api/", StringComparison.Ordinal) == true;
            o.AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = "Receptionist admin API";
                document.Info.Description = "Calls, appointments, messages and settings of the tenants a key or token may see. "
                    + "Authenticate with `Authorization: Bearer rk_…` (./receptionist keys create --tenant ID) or an Entra ID access token.";
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes[BearerSchemeId] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    Description = "A tenant or operator API key (rk_…), or an Entra ID access token for the app's audience.",
                };
                document.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerSchemeId, document)] = [] }];
                return Task.CompletedTask;
            });
        });

    public static WebApplication MapApiReference(this WebApplication app)
    {
        app.MapOpenApi(DocumentPath);
        if (app.Environment.IsDevelopment())
        {
            app.MapScalarApiReference(UiPath, o => o
                .WithTitle("Receptionist admin API")
                .WithOpenApiRoutePattern(DocumentPath)
                .DisableDefaultFonts()
                .AddPreferredSecuritySchemes(BearerSchemeId));
        }

        return app;
    }
}
