using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;

namespace Receptionist.Telephony.Twilio;

/// <summary>
/// Configuration section "Twilio" as the REST client (SMS) reads it: the account's credentials and where its API lives.
/// <see cref="Validate(TwilioRestOptions)"/> names the setting of every problem; the same checks run through
/// <see cref="IValidatableObject"/>, so <c>ValidateDataAnnotations()</c> reports them at start-up.
/// </summary>
public sealed partial class TwilioRestOptions : IValidatableObject
{
    public const string Section = "Twilio";

    public const string TwilioApiBaseUrl = "https://api.twilio.com";

    /// <summary>"AC" followed by 32 hex digits.</summary>
    public string? AccountSid { get; set; }

    /// <summary>The account's auth token (Key Vault in Azure, local.settings.json locally). Never logged.</summary>
    public string? AuthToken { get; set; }

    /// <summary>
    /// Twilio's REST API, or a stand-in for it (scheme, host and port only; http only on a loopback host). Requests
    /// the SDK addresses to api.twilio.com are sent here instead.
    /// </summary>
    public string ApiBaseUrl { get; set; } = TwilioApiBaseUrl;

    /// <summary>
    /// A Messaging Service ("MG" followed by 32 hex digits) to send every text through instead of from the business's
    /// own number: Twilio then picks the sender from the service's pool (A2P 10DLC registration, sticky sender, its
    /// own opt-out handling). Null: each text goes from the number the caller dialled.
    /// </summary>
    public string? MessagingServiceSid { get; set; }

    /// <summary>Every problem with <paramref name="options"/>, each naming its setting; empty when they are usable.</summary>
    public static IReadOnlyList<string> Validate(TwilioRestOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();

        if (!string.IsNullOrEmpty(options.AccountSid) && !AccountSidPattern().IsMatch(options.AccountSid))
        {
            errors.Add($"{Section}:AccountSid must be \"AC\" followed by 32 hex digits.");
        }

        if (!string.IsNullOrEmpty(options.MessagingServiceSid) && !MessagingServiceSidPattern().IsMatch(options.MessagingServiceSid))
        {
            errors.Add($"{Section}:MessagingServiceSid must be \"MG\" followed by 32 hex digits (or absent: texts go from the business's number).");
        }

        if (!Uri.TryCreate(options.ApiBaseUrl, UriKind.Absolute, out var baseUrl)
            || (baseUrl.Scheme != Uri.UriSchemeHttps && baseUrl.Scheme != Uri.UriSchemeHttp))
        {
            errors.Add($"{Section}:ApiBaseUrl must be an absolute http(s) URL (default {TwilioApiBaseUrl}).");
        }
        else if (baseUrl.Scheme == Uri.UriSchemeHttp && !baseUrl.IsLoopback)
        {
            errors.Add($"{Section}:ApiBaseUrl may use http only for a loopback host (127.0.0.1, ::1, localhost); use https.");
        }
        else if (baseUrl.AbsolutePath != "/" || baseUrl.Query.Length > 0 || baseUrl.Fragment.Length > 0 || baseUrl.UserInfo.Length > 0)
        {
            errors.Add($"{Section}:ApiBaseUrl must be scheme, host and port only (no path, query or user info).");
        }

        return errors;
    }

    IEnumerable<ValidationResult> IValidatableObject.Validate(ValidationContext validationContext) =>
        Validate(this).Select(error => new ValidationResult(error));

    [GeneratedRegex("^AC[0-9a-fA-F]{32}$", RegexOptions.CultureInvariant)]
    private static partial Regex AccountSidPattern();

    [GeneratedRegex("^MG[0-9a-fA-F]{32}$", RegexOptions.CultureInvariant)]
    private static partial Regex MessagingServiceSidPattern();
}
