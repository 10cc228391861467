using System.ComponentModel.DataAnnotations;

namespace Receptionist.Host.Configuration;

/// <summary>Configuration section "Twilio".</summary>
public sealed class TwilioOptions
{
    public const string Section = "Twilio";

    public string? AccountSid { get; set; }

    /// <summary>Signs and validates X-Twilio-Signature. From Key Vault in Azure, local.settings.json locally. Required
    /// unless ACS is the only channel; without it every Twilio webhook is refused (403).</summary>
    public string AuthToken { get; set; } = string.Empty;

    public const int MinAuthTokenLength = 8;

    /// <summary>Relay mode: seconds of caller silence, after our words have played, before we ask "are you still there?"
    /// (ConversationRelay reports no silence itself).</summary>
    [Range(1, 60, ErrorMessage = "Twilio:RelaySilenceSeconds must be between 1 and 60.")]
    public double RelaySilenceSeconds { get; set; } = 6;

    /// <summary>Relay mode: how long Twilio takes to speak one character of our text (the silence timer starts after it).</summary>
    [Range(0, 500, ErrorMessage = "Twilio:RelaySpeechMillisecondsPerCharacter must be between 0 and 500.")]
    public double RelaySpeechMillisecondsPerCharacter { get; set; } = 65;
}

/// <summary>Configuration section "Calls".</summary>
public sealed class CallsOptions
{
    public const string Section = "Calls";

    /// <summary>How long one webhook may take before the caller hears "one moment" and the turn is retried once
    /// (Twilio gives up on a webhook after 15 s).</summary>
    [Range(0.2, 10, ErrorMessage = "Calls:TurnBudgetSeconds must be between 0.2 and 10.")]
    public double TurnBudgetSeconds { get; set; } = 3;

    public TimeSpan TurnBudget => TimeSpan.FromSeconds(TurnBudgetSeconds);
}

/// <summary>Top-level settings.</summary>
public sealed class ReceptionistOptions
{
    /// <summary>The base URL Twilio sees (e.g. behind a proxy or tunnel); signatures are checked against it.
    /// Empty: the request's own scheme and host.</summary>
    [Url(ErrorMessage = "PublicBaseUrl must be an absolute http(s) URL.")]
    public string? PublicBaseUrl { get; set; }

}

/// <summary>Configuration section "Clock".</summary>
public sealed class ClockOptions
{
    public const string Section = "Clock";

    /// <summary>Development only: the clock starts at this instant (ISO-8601 with offset) and runs on.</summary>
    public string? Now { get; set; }
}

/// <summary>Configuration section "Prompts".</summary>
public sealed class PromptsOptions
{
    public const string Section = "Prompts";

    /// <summary>Holds professions/*.json and profession.schema.json; default: the "prompts" folder beside the app.</summary>
    public string? Directory { get; set; }

    public string ResolvedDirectory => string.IsNullOrWhiteSpace(Directory) ? Path.Combine(AppContext.BaseDirectory, "prompts") : Directory;
}
