using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Receptionist.Core.Owners;
using Receptionist.Host.Owners;

namespace Receptionist.Host.Pages;

/// <summary>A one-time sign-in link: GET shows a button (mail scanners that open links do not use them up), POST uses the
/// link and sets the owner's cookie. Rate-limited per client address.</summary>
[EnableRateLimiting(OwnerRegistration.SignInRateLimit)]
public sealed class SignInModel(IAccessStore access, TimeProvider clock, Microsoft.Extensions.Options.IOptions<EntraSignInOptions> entra, ILogger<SignInModel> logger) : PageModel
{
    /// <summary>Whether "Sign in with Microsoft" is offered (Owners:Entra configured).</summary>
    public bool Microsoft => entra.Value.Enabled;

    [FromQuery(Name = "refused")]
    public string? Refused { get; set; }

    [FromRoute]
    public string? Token { get; set; }

    public bool HasToken => Token is not null;

    public string? Problem { get; private set; }

    public void OnGet()
    {
        if (Refused == "microsoft")
        {
            Problem = "That Microsoft account is not the owner of a business here. Ask whoever runs your receptionist to add it (owners add --email).";
        }

        if (Token is not null && !AccessTokens.LooksLike(Token))
        {
            Problem = "This is not a sign-in link.";
            Token = null;
        }
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var email = AccessTokens.LooksLike(Token) ? await access.UseSignInLinkAsync(AccessTokens.Hash(Token!), clock.GetUtcNow(), ct) : null;
        var owner = email is null ? null : await access.GetOwnerAsync(email, ct);
        if (owner is null)
        {
            logger.LogInformation("A sign-in link was refused (unknown, expired or used)");
            Problem = "This link has expired or was used already. Ask for a new one.";
            Token = null;
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        await HttpContext.SignInAsync(OwnerAccess.CookieScheme, OwnerAccess.ForOwner(owner), new AuthenticationProperties { IsPersistent = true });
        logger.LogInformation("An owner of {Tenants} signed in", string.Join(", ", owner.TenantIds));
        return LocalRedirect(owner.TenantIds.Count == 1 ? $"/t/{owner.TenantIds[0]}/calls" : "/");
    }
}
