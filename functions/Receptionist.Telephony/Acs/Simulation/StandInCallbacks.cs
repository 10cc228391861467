using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Receptionist.Telephony.Acs.Simulation;

/// <summary>
/// Delivers callbacks as ACS does: a POST to the callback URI exactly as the app gave it (query string and all), the
/// body a JSON array of one CloudEvent 1.0, with a fresh bearer JWT from <see cref="StandInTokens"/>.
/// </summary>
internal sealed class StandInCallbacks(StandInTokens tokens, TimeProvider clock) : IDisposable
{
    /// <summary>How long the app may take to answer one callback.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    private readonly HttpClient _http = new() { Timeout = Timeout };

    /// <summary>A CloudEvent of one call connection: type Microsoft.Communication.{name}, the common data fields
    /// (callConnectionId, serverCallId, correlationId, operationContext when there is one) with the specific ones.</summary>
    public JsonObject Event(string name, StandInCall call, string? operationContext, JsonObject resultInformation, JsonObject? specific = null)
    {
        var data = new JsonObject
        {
            ["callConnectionId"] = call.Id,
            ["serverCallId"] = call.Incoming.ServerCallId,
            ["correlationId"] = call.Incoming.CorrelationId,
        };
        if (operationContext is not null)
        {
            data["operationContext"] = operationContext;
        }

        data["resultInformation"] = resultInformation.DeepClone();
        foreach (var (key, value) in specific ?? [])
        {
            data[key] = value?.DeepClone();
        }

        var source = $"calling/callConnections/{call.Id}";
        return new JsonObject
        {
            ["id"] = Guid.NewGuid().ToString(),
            ["source"] = source,
            ["type"] = "Microsoft.Communication." + name,
            ["subject"] = source,
            ["time"] = clock.GetUtcNow().ToString("o", CultureInfo.InvariantCulture),
            ["specversion"] = "1.0",
            ["datacontenttype"] = "application/json",
            ["data"] = data,
        };
    }

    public static JsonObject Result(int code, int subCode, string message) => new() { ["code"] = code, ["subCode"] = subCode, ["message"] = message };

    /// <summary>POSTs <c>[cloudEvent]</c>; the caller owns (and checks) the response.</summary>
    public async Task<HttpResponseMessage> PostAsync(Uri callbackUri, JsonNode cloudEvent, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, callbackUri)
        {
            Content = new StringContent(new JsonArray(cloudEvent.DeepClone()).ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tokens.CreateToken());
        return await _http.SendAsync(request, cancellationToken);
    }

    public void Dispose() => _http.Dispose();
}
