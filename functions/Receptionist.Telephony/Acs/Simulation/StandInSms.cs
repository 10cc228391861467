using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Receptionist.Telephony.Acs.Simulation;

/// <summary>A text the stand-in accepted (answered 202 with <c>successful: true</c>): what ACS would have sent.</summary>
/// <param name="RepeatabilityRequestId">The recipient's repeatabilityRequestId, or null when it carried none.</param>
public sealed record AcsReceivedText(string MessageId, string From, string To, string Message, string? RepeatabilityRequestId, DateTimeOffset ReceivedAt);

/// <summary>How the stand-in fails the next SMS request (<see cref="AcsStandIn.FailNextSms"/>).</summary>
public sealed record AcsSmsFailure
{
    private AcsSmsFailure()
    {
    }

    /// <summary>The whole request answered with this HTTP status (500, 503, 429, 401, …) and an ACS error body.</summary>
    public int? Status { get; private init; }

    /// <summary>A 202 whose one recipient was refused with this status (400: invalid number).</summary>
    public int? RecipientStatus { get; private init; }

    public string Message { get; private init; } = string.Empty;

    /// <summary>No answer until the client gives up (or the stand-in stops; at most 30 s, then a 503).</summary>
    public bool Hang { get; private init; }

    public static AcsSmsFailure Http(int status, string message = "The service failed the request.") => new() { Status = status, Message = message };

    public static AcsSmsFailure Recipient(int status, string message) => new() { RecipientStatus = status, Message = message };

    /// <summary>ACS's per-recipient answer for a number it cannot text.</summary>
    public static AcsSmsFailure InvalidNumber() => Recipient(400, "Invalid To phone number format.");

    public static AcsSmsFailure NoAnswer() => new() { Hang = true };
}

/// <summary>
/// The SMS API's one operation, <c>POST /sms?api-version=2021-03-07</c> (SendMessageRequest → SmsSendResponse), with the
/// service's checks: from and every recipient in E.164, 1–100 recipients, a message of at most 2,048 characters,
/// smsSendOptions.enableDeliveryReport when the options are given. A recipient with a repeatabilityRequestId (a UUID,
/// with an RFC 1123 repeatabilityFirstSent) that was accepted before gets the first answer again and no second text.
/// </summary>
internal sealed partial class StandInSms(TimeProvider time, CancellationToken stop)
{
    public const string Path = "/sms";
    public const string ApiVersion = "2021-03-07";

    private const int MaxRecipients = 100;
    private const int MaxMessageLength = 2048;
    private static readonly TimeSpan MaxHang = TimeSpan.FromSeconds(30);

    private readonly ConcurrentQueue<AcsReceivedText> _texts = new();
    private readonly ConcurrentQueue<AcsSmsFailure> _failures = new();
    private readonly ConcurrentDictionary<string, JsonObject> _accepted = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lock _accepting = new();

    public event Action<AcsReceivedText>? TextAccepted;

    public IReadOnlyList<AcsReceivedText> Texts => [.. _texts];

    public void FailNext(AcsSmsFailure failure) => _failures.Enqueue(failure ?? throw new ArgumentNullException(nameof(failure)));

    public async Task<StandInResponse> HandleAsync(string method, string? apiVersion, byte[] body, CancellationToken aborted)
    {
        if (method != "POST")
        {
            return StandInResponse.Error(HttpStatusCode.MethodNotAllowed, "MethodNotAllowed", $"{method} {Path} is not an operation of the SMS API.");
        }

        if (apiVersion != ApiVersion)
        {
            return StandInResponse.BadRequest($"The query must have api-version={ApiVersion}.", "api-version");
        }

        AcsSmsFailure? failure = null;
        if (_failures.TryDequeue(out var next))
        {
            failure = next;
            if (failure.Hang)
            {
                using var either = CancellationTokenSource.CreateLinkedTokenSource(stop, aborted);
                await Task.Delay(MaxHang, time, either.Token).ContinueWith(_ => { }, TaskScheduler.Default);
                return StandInResponse.Error(HttpStatusCode.ServiceUnavailable, "ServiceUnavailable", "The stand-in was told not to answer.");
            }

            if (failure.Status is { } status)
            {
                return StandInResponse.Error((HttpStatusCode)status, status == 429 ? "TooManyRequests" : ((HttpStatusCode)status).ToString(), failure.Message);
            }
        }

        SendRequest request;
        try
        {
            request = Parse(body);
        }
        catch (StandInBadRequestException ex)
        {
            return StandInResponse.BadRequest(ex.Message, ex.Field);
        }

        var results = new JsonArray();
        foreach (var recipient in request.Recipients)
        {
            results.Add(failure?.RecipientStatus is { } refused
                ? Result(recipient.To, null, refused, failure.Message, recipient.RepeatabilityRequestId is null ? null : "rejected")
                : Accept(request, recipient));
        }

        return new StandInResponse(HttpStatusCode.Accepted, new JsonObject { ["value"] = results });
    }

    private JsonObject Accept(SendRequest request, Recipient recipient)
    {
        if (!E164().IsMatch(recipient.To))
        {
            return Result(recipient.To, null, 400, "Invalid To phone number format.", recipient.RepeatabilityRequestId is null ? null : "rejected");
        }

        if (recipient.RepeatabilityRequestId is not { } id)
        {
            return Result(recipient.To, Send(request, recipient), 202, null, null);
        }

        if (!Guid.TryParse(id, out _))
        {
            return Result(recipient.To, null, 400, $"repeatabilityRequestId '{id}' is not a UUID.", "rejected");
        }

        if (!DateTimeOffset.TryParseExact(recipient.RepeatabilityFirstSent, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _))
        {
            return Result(recipient.To, null, 400, "Request sent with Invalid DateTime value for repeatability-first-sent. Expected is DateTime ,RFC1123 pattern.", "rejected");
        }

        lock (_accepting)
        {
            if (_accepted.TryGetValue(id, out var first))
            {
                return (JsonObject)first.DeepClone(); // the same text again: the first answer, and nothing sent
            }

            var result = Result(recipient.To, Send(request, recipient), 202, null, "accepted");
            _accepted[id] = (JsonObject)result.DeepClone();
            return result;
        }
    }

    private string Send(SendRequest request, Recipient recipient)
    {
        var text = new AcsReceivedText("Outgoing_" + time.GetUtcNow().ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture) + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)),
            request.From, recipient.To, request.Message, recipient.RepeatabilityRequestId, time.GetUtcNow());
        _texts.Enqueue(text);
        try
        {
            TextAccepted?.Invoke(text);
        }
        catch (Exception)
        {
            // A subscriber's failure (a console gone away) is not the service's: the text was still accepted.
        }

        return text.MessageId;
    }

    private static JsonObject Result(string to, string? messageId, int status, string? error, string? repeatability)
    {
        var item = new JsonObject { ["to"] = to };
        if (messageId is not null)
        {
            item["messageId"] = messageId;
        }

        item["httpStatusCode"] = status;
        if (repeatability is not null)
        {
            item["repeatabilityResult"] = repeatability;
        }

        item["successful"] = status is >= 200 and < 300;
        if (error is not null)
        {
            item["errorMessage"] = error;
        }

        return item;
    }

    private static SendRequest Parse(byte[] body)
    {
        JsonObject root;
        try
        {
            root = JsonNode.Parse(body) as JsonObject ?? throw new StandInBadRequestException("The body must be a SendMessageRequest object.");
        }
        catch (JsonException ex)
        {
            throw new StandInBadRequestException($"The body is not JSON: {ex.Message}");
        }

        var from = String(root, "from") ?? throw new StandInBadRequestException("from is required.", "from");
        if (!E164().IsMatch(from))
        {
            throw new StandInBadRequestException($"from '{from}' is not an E.164 number.", "from");
        }

        var message = String(root, "message") ?? throw new StandInBadRequestException("message is required.", "message");
        if (message.Length > MaxMessageLength)
        {
            throw new StandInBadRequestException($"message is longer than {MaxMessageLength} characters.", "message");
        }

        if (root["smsRecipients"] is not JsonArray recipients || recipients.Count is 0 or > MaxRecipients)
        {
            throw new StandInBadRequestException($"smsRecipients must be an array of 1 to {MaxRecipients} recipients.", "smsRecipients");
        }

        if (root["smsSendOptions"] is { } options
            && (options is not JsonObject o || o["enableDeliveryReport"] is not JsonValue report || report.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False)))
        {
            throw new StandInBadRequestException("smsSendOptions.enableDeliveryReport (a boolean) is required with smsSendOptions.", "smsSendOptions.enableDeliveryReport");
        }

        var parsed = new List<Recipient>();
        foreach (var r in recipients)
        {
            if (r is not JsonObject recipient || String(recipient, "to") is not { } to)
            {
                throw new StandInBadRequestException("Every recipient needs to.", "smsRecipients.to");
            }

            parsed.Add(new Recipient(to, String(recipient, "repeatabilityRequestId"), String(recipient, "repeatabilityFirstSent")));
        }

        return new SendRequest(from, message, parsed);
    }

    private static string? String(JsonObject node, string name) => node[name] switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        _ => throw new StandInBadRequestException($"{name} must be a string.", name),
    };

    [GeneratedRegex(@"^\+[1-9][0-9]{6,14}$", RegexOptions.CultureInvariant)]
    private static partial Regex E164();

    private sealed record SendRequest(string From, string Message, IReadOnlyList<Recipient> Recipients);

    private sealed record Recipient(string To, string? RepeatabilityRequestId, string? RepeatabilityFirstSent);
}
