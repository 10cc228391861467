namespace Receptionist.Core.Notifications;

/// <summary>
/// The replies that stop or resume texts, as Twilio handles them on long codes: a message that is only the keyword
/// (any case, spaces around it ignored). "Stop texting me" is not a keyword. With Advanced Opt-Out on a Messaging
/// Service, Twilio names the kind itself (<c>OptOutType</c>: STOP, START, HELP); that wins.
/// </summary>
public static class SmsKeywords
{
    public static readonly IReadOnlySet<string> Stop = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        { "STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT" };

    public static readonly IReadOnlySet<string> Start = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "START", "YES", "UNSTOP" };

    /// <summary>True: the sender opts out; false: opts back in; null: neither.</summary>
    public static bool? OptsOut(string? body, string? optOutType = null) =>
        optOutType?.Trim().ToUpperInvariant() switch
        {
            "STOP" => true,
            "START" => false,
            "HELP" => null,
            _ => body?.Trim() is { } word && Stop.Contains(word) ? true : body?.Trim() is { } w && Start.Contains(w) ? false : null,
        };
}

/// <summary>Who replied STOP to a business's texts (per tenant and number); they get nothing more until START.</summary>
public interface IOptOutStore
{
    Task<bool> IsOptedOutAsync(string tenantId, string e164, CancellationToken cancellationToken);

    /// <summary>Records an opt-out (true) or an opt-in (false) at <paramref name="at"/>.</summary>
    Task SetAsync(string tenantId, string e164, bool optedOut, DateTimeOffset at, CancellationToken cancellationToken);
}
