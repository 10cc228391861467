using System.Globalization;
using System.Text.Json;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Receptionist.Telephony.Acs;

/// <summary>
/// The Call Automation operations the receptionist uses (answer, reject, play, recognize, transfer, hang up), over one
/// Azure.Core <see cref="HttpPipeline"/> (retries, timeouts, logging) signed with the access key (HMAC) or an Entra ID
/// token. Stands in for <c>Azure.Communication.CallAutomation</c>, which is not available here (README, Dependencies).
/// Every POST carries <c>Repeatability-Request-ID</c> (given by the caller, so a repeated request is recognised as the
/// same one) and <c>Repeatability-First-Sent</c>; a failure is a <see cref="RequestFailedException"/> with ACS's code.
/// </summary>
public class AcsCallClient
{
    /// <summary>The scope of an Entra ID token for ACS (the double slash is ACS's).</summary>
    public const string EntraScope = "https://communication.azure.com//.default";

    private readonly HttpPipeline _pipeline;
    private readonly Uri _endpoint;
    private readonly AcsCallClientOptions _options;

    /// <summary>For tests that replace the client.</summary>
    protected AcsCallClient()
    {
        _pipeline = null!;
        _endpoint = null!;
        _options = null!;
    }

    /// <summary>HMAC with the access key in the connection string, or <paramref name="credential"/> (Entra ID) when it has none.</summary>
    public AcsCallClient(AcsConnectionString connection, TokenCredential? credential, AcsCallClientOptions? options = null)
    {
        _options = options ?? new AcsCallClientOptions();
        _endpoint = connection.Endpoint;
        _pipeline = HttpPipelineBuilder.Build(_options, [], [connection.AuthenticationPolicy(credential, _options.Clock)], new ResponseClassifier());
    }

    public Uri Endpoint => _endpoint;

    public virtual async Task<AcsCallConnection> AnswerAsync(AcsAnswerRequest request, Guid repeatability, CancellationToken ct)
    {
        var body = await SendAsync(RequestMethod.Post, "/calling/callConnections:answer", request, repeatability, ct);
        try
        {
            return body.ToObjectFromJson<AcsCallConnection>(AcsJson.Options) ?? throw new RequestFailedException(200, "The answer response had no body.");
        }
        catch (JsonException ex)
        {
            throw new RequestFailedException(200, $"The answer response was not CallConnectionProperties: {ex.Message}", ex);
        }
    }

    public virtual async Task RejectAsync(AcsRejectRequest request, Guid repeatability, CancellationToken ct) =>
        _ = await SendAsync(RequestMethod.Post, "/calling/callConnections:reject", request, repeatability, ct);

    public virtual async Task PlayAsync(string callConnectionId, AcsPlayRequest request, Guid repeatability, CancellationToken ct) =>
        _ = await SendAsync(RequestMethod.Post, Connection(callConnectionId, ":play"), request, repeatability, ct);

    public virtual async Task RecognizeAsync(string callConnectionId, AcsRecognizeRequest request, Guid repeatability, CancellationToken ct) =>
        _ = await SendAsync(RequestMethod.Post, Connection(callConnectionId, ":recognize"), request, repeatability, ct);

    public virtual async Task TransferAsync(string callConnectionId, AcsTransferRequest request, Guid repeatability, CancellationToken ct) =>
        _ = await SendAsync(RequestMethod.Post, Connection(callConnectionId, ":transferToParticipant"), request, repeatability, ct);

    /// <summary>We leave the call (the caller is alone and ACS ends it).</summary>
    public virtual async Task HangUpAsync(string callConnectionId, CancellationToken ct) =>
        _ = await SendAsync(RequestMethod.Delete, Connection(callConnectionId, string.Empty), null, null, ct);

    private static string Connection(string callConnectionId, string operation) =>
        "/calling/callConnections/" + Uri.EscapeDataString(callConnectionId) + operation;

    /// <returns>The response body (empty for 202/204).</returns>
    private async Task<BinaryData> SendAsync(RequestMethod method, string path, object? body, Guid? repeatability, CancellationToken ct)
    {
        using var message = _pipeline.CreateMessage();
        var request = message.Request;
        request.Method = method;
        request.Uri.Reset(_endpoint);
        request.Uri.AppendPath(path.TrimStart('/').Insert(0, _endpoint.AbsolutePath.EndsWith('/') ? string.Empty : "/"), escape: false);
        request.Uri.AppendQuery("api-version", _options.Version);
        request.Headers.SetValue("Accept", "application/json");
        if (body is not null)
        {
            request.Headers.SetValue("Content-Type", "application/json");
            request.Content = RequestContent.Create(JsonSerializer.SerializeToUtf8Bytes(body, body.GetType(), AcsJson.Options));
        }

        if (repeatability is { } id)
        {
            request.Headers.SetValue("Repeatability-Request-ID", id.ToString("D"));
            request.Headers.SetValue("Repeatability-First-Sent", _options.Clock.GetUtcNow().ToString("r", CultureInfo.InvariantCulture));
        }

        await _pipeline.SendAsync(message, ct);
        var response = message.Response;
        return response.IsError ? throw new RequestFailedException(response) : response.Content;
    }
}
