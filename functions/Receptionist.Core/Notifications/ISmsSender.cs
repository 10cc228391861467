namespace Receptionist.Core.Notifications;

/// <summary>Sends one text message through an SMS provider (Twilio's REST API in production).</summary>
public interface ISmsSender
{
    /// <summary>
    /// Hands <paramref name="message"/> to the provider. Returns once the provider accepted it (typically "queued"),
    /// not when the handset received it. Throws <see cref="SmsSendException"/> when the provider refuses it or cannot
    /// be reached, <see cref="OperationCanceledException"/> when <paramref name="cancellationToken"/> fires first.
    /// </summary>
    Task<SmsResult> SendAsync(SmsMessage message, CancellationToken cancellationToken);

    /// <summary>The longest one send may take before it gives up (every implementation bounds its request by it): an
    /// attempt older than this, still without an answer, died with its worker.</summary>
    public static readonly TimeSpan MaxSendTime = TimeSpan.FromSeconds(30);
}

/// <summary>A text message; <paramref name="To"/> and <paramref name="From"/> are E.164 numbers (+15557654321).</summary>
public sealed record SmsMessage(string To, string From, string Body)
{
    /// <summary>The call the text is about (a booking's, a message's), or null (a digest, a batch): a sender that has
    /// more than one provider sends through the one the call came in on.</summary>
    public string? CallId { get; init; }
}

/// <summary>What the provider answered: its message id (Twilio: "SM…") and status ("queued", "accepted", "sent", …).</summary>
public sealed record SmsResult(string ProviderId, string Status);

/// <summary>
/// The provider refused the message (bad number, bad credentials, 4xx/5xx) or could not be reached.
/// <see cref="StatusCode"/> is the HTTP status (null when no response arrived); <see cref="ProviderErrorCode"/> the
/// provider's own error code (Twilio: 21211 "Invalid 'To' Phone Number", 20003 "Authenticate", …) when it gave one.
/// The message never carries credentials and shows phone numbers only masked.
/// </summary>
public sealed class SmsSendException(string message, int? statusCode, int? providerErrorCode, Exception? innerException = null)
    : Exception(message, innerException)
{
    public int? StatusCode { get; } = statusCode;

    public int? ProviderErrorCode { get; } = providerErrorCode;
}
