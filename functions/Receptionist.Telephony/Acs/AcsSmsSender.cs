using System.Security.Cryptography;
using System.Text;
using Azure;
using Receptionist.Core.Notifications;
using Receptionist.Core.Phone;

namespace Receptionist.Telephony.Acs;

/// <summary>
/// <see cref="ISmsSender"/> on ACS SMS (<see cref="AcsSmsClient"/>). One send is bounded by
/// <see cref="ISmsSender.MaxSendTime"/> on <paramref name="clock"/>, whatever the pipeline's own retries do. The recipient's
/// repeatabilityRequestId is derived from the text itself (<see cref="RepeatabilityId"/>), so a workflow's retry of a text
/// whose first attempt ACS did accept (the answer was lost) is recognised by ACS within its tracking window rather than
/// sent again. ACS's answers become <see cref="SmsSendException"/> with the HTTP status — the request's, or the
/// recipient's own when ACS accepted the request but refused the recipient (400 for an invalid number) — so 4xx are final
/// and 429, 5xx and no answer (status null) are retried by the workflow. Messages show numbers only masked.
/// </summary>
public sealed class AcsSmsSender(AcsSmsClient client, TimeProvider clock) : ISmsSender
{
    /// <summary>The <see cref="SmsResult.Status"/> of a text ACS accepted (it answers 202 and names no further state).</summary>
    public const string Accepted = "accepted";

    /// <summary>A malformed 202 (no result for the recipient): treated as a gateway error, retryable with the same id.</summary>
    private const int BadGateway = 502;

    public async Task<SmsResult> SendAsync(SmsMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentException.ThrowIfNullOrWhiteSpace(message.To, nameof(message));
        ArgumentException.ThrowIfNullOrWhiteSpace(message.From, nameof(message));
        ArgumentException.ThrowIfNullOrEmpty(message.Body, nameof(message));
        cancellationToken.ThrowIfCancellationRequested();

        using var bound = new CancellationTokenSource(ISmsSender.MaxSendTime, clock);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, bound.Token);
        AcsSmsSendResult result;
        try
        {
            result = await client.SendAsync(message.From, message.To, message.Body, RepeatabilityId(message), linked.Token);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException ex)
        {
            // Our bound, or the pipeline's network timeout on its last try: no answer, worth another attempt.
            throw new SmsSendException(
                $"ACS SMS at {client.Endpoint.GetLeftPart(UriPartial.Authority)} did not answer the SMS to {PhoneNumber.Mask(message.To)} in time.", null, null, ex);
        }
        catch (RequestFailedException ex) when (ex.Status == 0)
        {
            throw new SmsSendException(
                $"ACS SMS at {client.Endpoint.GetLeftPart(UriPartial.Authority)} could not be reached to send the SMS to {PhoneNumber.Mask(message.To)}: {ex.InnerException?.Message ?? "no response"}",
                null, null, ex.InnerException);
        }
        catch (RequestFailedException ex)
        {
            // Azure.Core's message quotes the response body, which can quote the numbers: only a masked excerpt is kept,
            // and not the exception itself.
            var status = ex.Status is >= 200 and < 300 ? BadGateway : ex.Status;
            throw new SmsSendException(
                $"ACS refused the SMS to {PhoneNumber.Mask(message.To)} (HTTP {ex.Status}, ACS error {ex.ErrorCode ?? "none"}): {Detail(ex.Message, message)}", status, null);
        }

        if (!result.Successful)
        {
            int? status = result.HttpStatusCode is >= 100 and < 600 ? result.HttpStatusCode : null;
            throw new SmsSendException(
                $"ACS refused the SMS to {PhoneNumber.Mask(message.To)} (recipient HTTP {status?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"}): {Detail(result.ErrorMessage ?? "no reason given", message)}",
                status, null);
        }

        return new SmsResult(result.MessageId ?? "acs-" + RepeatabilityId(message).ToString("N"), Accepted);
    }

    /// <summary>
    /// The recipient's repeatabilityRequestId: a UUID (RFC 9562 version 8) from SHA-256 of the sender, recipient, call and
    /// text. Every attempt at one notification sends the same text, so its attempts share the id; two different texts
    /// never do. The same text to the same number about the same call twice (a move there and back and there again
    /// within minutes) is also one id: ACS then answers the second as the first, within its tracking window.
    /// </summary>
    public static Guid RepeatabilityId(SmsMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"acs-sms\n{message.From}\n{message.To}\n{message.CallId}\n{message.Body}"));
        var bytes = hash.AsSpan(0, 16).ToArray();
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80); // version 8
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // RFC 9562 variant
        return new Guid(bytes, bigEndian: true);
    }

    /// <summary>ACS's words on one line, numbers masked, at most 300 characters.</summary>
    private static string Detail(string text, SmsMessage message)
    {
        var masked = PhoneNumber.MaskIn(text.Replace(message.To, PhoneNumber.Mask(message.To), StringComparison.Ordinal)
            .Replace(message.From, PhoneNumber.Mask(message.From), StringComparison.Ordinal)).ReplaceLineEndings(" ");
        return masked.Length <= 300 ? masked : string.Concat(masked.AsSpan(0, 300), "…");
    }
}
