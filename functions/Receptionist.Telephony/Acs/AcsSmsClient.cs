using System.Globalization;
using System.Text.Json;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Receptionist.Telephony.Acs;

/// <summary>
/// Sends one text through the ACS SMS REST API (<c>POST {endpoint}/sms?api-version=2021-03-07</c>), over one Azure.Core
/// <see cref="HttpPipeline"/> (retries, timeouts, logging) authenticated as every ACS request is
/// (<see cref="AcsConnectionString.AuthenticationPolicy"/>: HMAC with the access key, else an Entra ID token). Stands in
/// for <c>Azure.Communication.Sms</c>, which is not available here (README, Dependencies). The recipient carries
/// <c>repeatabilityRequestId</c> (given by the caller, so sending the same text again is recognised by ACS) and
/// <c>repeatabilityFirstSent</c>. An HTTP error is a <see cref="RequestFailedException"/>; a per-recipient refusal comes
/// back in the result (<see cref="AcsSmsSendResult.Successful"/> false), as ACS reports it.
/// </summary>
public class AcsSmsClient
{
    private readonly HttpPipeline _pipeline;
    private readonly Uri _endpoint;
    private readonly AcsSmsClientOptions _options;

    /// <summary>For tests that replace the client.</summary>
    protected AcsSmsClient()
    {
        _pipeline = null!;
        _endpoint = null!;
        _options = null!;
    }

    /// <param name="connection">The resource and its access key (HMAC), or its endpoint alone (Entra ID).</param>
    /// <param name="credential">The app's registered credential, used when the connection has no access key.</param>
    /// <param name="options">API version, retries and the signing clock.</param>
    public AcsSmsClient(AcsConnectionString connection, TokenCredential? credential, AcsSmsClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        _options = options ?? new AcsSmsClientOptions();
        _endpoint = connection.Endpoint;
        _pipeline = HttpPipelineBuilder.Build(_options, [], [connection.AuthenticationPolicy(credential, _options.Clock)], new ResponseClassifier());
    }

    public virtual Uri Endpoint => _endpoint;

    /// <summary>Sends <paramref name="message"/> from <paramref name="from"/> (a number of the resource) to one
    /// recipient and returns ACS's result for that recipient.</summary>
    /// <exception cref="RequestFailedException">ACS answered with an HTTP error (or a 202 without a result), or no answer came (status 0).</exception>
    public virtual async Task<AcsSmsSendResult> SendAsync(string from, string to, string message, Guid repeatability, CancellationToken ct)
    {
        var body = new AcsSmsRequest(from, [new AcsSmsRecipient(to, repeatability.ToString("D"), _options.Clock.GetUtcNow().ToString("r", CultureInfo.InvariantCulture))],
            message, new AcsSmsSendOptions(EnableDeliveryReport: false));
        using var http = _pipeline.CreateMessage();
        var request = http.Request;
        request.Method = RequestMethod.Post;
        request.Uri.Reset(_endpoint);
        request.Uri.AppendPath(_endpoint.AbsolutePath.EndsWith('/') ? "sms" : "/sms", escape: false);
        request.Uri.AppendQuery("api-version", _options.Version);
        request.Headers.SetValue("Accept", "application/json");
        request.Headers.SetValue("Content-Type", "application/json");
        request.Content = RequestContent.Create(JsonSerializer.SerializeToUtf8Bytes(body, AcsJson.Options));

        await _pipeline.SendAsync(http, ct);
        var response = http.Response;
        if (response.IsError)
        {
            throw new RequestFailedException(response);
        }

        AcsSmsResponse? parsed;
        try
        {
            parsed = response.Content.ToObjectFromJson<AcsSmsResponse>(AcsJson.Options);
        }
        catch (JsonException ex)
        {
            throw new RequestFailedException(response.Status, $"The SMS response was not an SmsSendResponse: {ex.Message}", ex);
        }

        return parsed?.Value is [var result, ..] ? result
            : throw new RequestFailedException(response.Status, "The SMS response had no result for the recipient.");
    }
}

/// <summary>ACS's answer for one recipient (SmsSendResponseItem).</summary>
/// <param name="HttpStatusCode">The recipient's own status: 202 when accepted, else why not (400 invalid number, 503, …).</param>
/// <param name="RepeatabilityResult">"accepted" or "rejected" when the recipient carried a repeatability id.</param>
public sealed record AcsSmsSendResult(string? To, string? MessageId, int HttpStatusCode, bool Successful, string? ErrorMessage, string? RepeatabilityResult = null);

internal sealed record AcsSmsRequest(string From, IReadOnlyList<AcsSmsRecipient> SmsRecipients, string Message, AcsSmsSendOptions SmsSendOptions);

internal sealed record AcsSmsRecipient(string To, string RepeatabilityRequestId, string RepeatabilityFirstSent);

/// <summary>Delivery reports would come as Event Grid events the app does not take: off.</summary>
internal sealed record AcsSmsSendOptions(bool EnableDeliveryReport);

internal sealed record AcsSmsResponse(IReadOnlyList<AcsSmsSendResult>? Value);
