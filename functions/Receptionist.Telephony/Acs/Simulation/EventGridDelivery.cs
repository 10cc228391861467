using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Receptionist.Telephony.Acs.Simulation;

/// <summary>
/// Event Grid's side of the app's /acs/events webhook (Event Grid schema): the subscription validation handshake and
/// the IncomingCall notification, each a JSON array of one event with the aeg-* headers Event Grid sends. Anything
/// but 200 is the app refusing the delivery, which Event Grid would retry and the simulation reports.
/// </summary>
internal static class EventGridDelivery
{
    public const string SubscriptionName = "RECEPTIONIST-ACS";

    private const string Topic = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/receptionist/providers/Microsoft.Communication/communicationServices/acs-standin";

    public static JsonArray SubscriptionValidation(string validationCode, DateTimeOffset now) =>
    [
        new JsonObject
        {
            ["id"] = Guid.NewGuid().ToString(),
            ["topic"] = Topic,
            ["subject"] = "",
            ["eventType"] = "Microsoft.EventGrid.SubscriptionValidationEvent",
            ["data"] = new JsonObject { ["validationCode"] = validationCode, ["validationUrl"] = "https://127.0.0.1/validate" },
            ["dataVersion"] = "2",
            ["metadataVersion"] = "1",
            ["eventTime"] = now.ToString("o", CultureInfo.InvariantCulture),
        },
    ];

    public static JsonArray IncomingCall(AcsStandInCall call, DateTimeOffset now)
    {
        var to = call.ToIdentifier();
        var from = call.FromIdentifier();
        return
        [
            new JsonObject
            {
                ["id"] = Guid.NewGuid().ToString(),
                ["topic"] = Topic,
                ["subject"] = $"/caller/{from["rawId"]}/recipient/{to["rawId"]}",
                ["data"] = new JsonObject
                {
                    ["to"] = to,
                    ["from"] = from,
                    ["serverCallId"] = call.ServerCallId,
                    ["callerDisplayName"] = "",
                    ["incomingCallContext"] = call.IncomingCallContext,
                    ["correlationId"] = call.CorrelationId,
                },
                ["eventType"] = "Microsoft.Communication.IncomingCall",
                ["dataVersion"] = "1.0",
                ["metadataVersion"] = "1",
                ["eventTime"] = now.ToString("o", CultureInfo.InvariantCulture),
            },
        ];
    }

    /// <summary>Delivers <paramref name="events"/>; returns the app's 200 body, or throws
    /// <see cref="InvalidOperationException"/> with the status and body.</summary>
    /// <param name="deliveryType">aeg-event-type: SubscriptionValidation or Notification.</param>
    public static async Task<string> PostAsync(HttpClient http, Uri url, JsonArray events, string deliveryType, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(events.ToJsonString(), Encoding.UTF8, "application/json") };
        request.Headers.Add("aeg-event-type", deliveryType);
        request.Headers.Add("aeg-subscription-name", SubscriptionName);
        request.Headers.Add("aeg-delivery-count", "0");
        request.Headers.Add("aeg-metadata-version", "1");
        using var response = await http.SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        return response.StatusCode == HttpStatusCode.OK
            ? body
            : throw new InvalidOperationException($"The app answered the Event Grid {deliveryType} ({events[0]?["eventType"]}) to {url.AbsolutePath} with {(int)response.StatusCode}: {body}");
    }
}
