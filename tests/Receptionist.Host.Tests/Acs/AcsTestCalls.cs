using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Receptionist.Telephony.Acs.Simulation;
using Receptionist.Testing;

namespace Receptionist.Host.Tests.Acs;

/// <summary>Event Grid and ACS requests written out by hand for the ACS tests (independently of the simulator), and
/// waiting for the app's requests at the stand-in.</summary>
internal sealed class AcsTestCalls(AppHost app)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    public AcsStandIn Acs => app.Acs!;

    public async Task<HttpResponseMessage> PostEventsAsync(JsonArray body, string? code, string type = "Notification")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, code is null ? "/acs/events" : $"/acs/events?code={Uri.EscapeDataString(code)}")
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("aeg-event-type", type);
        return await app.Http.SendAsync(request);
    }

    public static JsonObject Event(string type, JsonObject data) => new()
    {
        ["id"] = Guid.NewGuid().ToString(), ["topic"] = "/subscriptions/x/resourceGroups/rg/providers/Microsoft.Communication/communicationServices/acs",
        ["subject"] = "/caller/x/recipient/y", ["eventType"] = type, ["eventTime"] = DateTimeOffset.UtcNow.ToString("O"),
        ["dataVersion"] = "1.0", ["metadataVersion"] = "1", ["data"] = data,
    };

    public static JsonArray Incoming(AcsStandInCall call) => new(Event("Microsoft.Communication.IncomingCall", new JsonObject
    {
        ["to"] = call.ToIdentifier(), ["from"] = call.FromIdentifier(), ["serverCallId"] = call.ServerCallId,
        ["incomingCallContext"] = call.IncomingCallContext, ["correlationId"] = call.CorrelationId,
    }));

    public static JsonObject CloudEvent(string type, string connection, string? operationContext) => new()
    {
        ["id"] = Guid.NewGuid().ToString(), ["source"] = $"calling/callConnections/{connection}", ["type"] = type, ["specversion"] = "1.0",
        ["time"] = DateTimeOffset.UtcNow.ToString("O"), ["datacontenttype"] = "application/json",
        ["data"] = new JsonObject { ["callConnectionId"] = connection, ["operationContext"] = operationContext, ["resultInformation"] = new JsonObject { ["code"] = 200, ["subCode"] = 0 } },
    };

    public static JsonObject Recognized(string connection, string operationContext, string speech)
    {
        var ev = CloudEvent("Microsoft.Communication.RecognizeCompleted", connection, operationContext);
        ev["data"]!["recognitionType"] = "speech";
        ev["data"]!["speechResult"] = new JsonObject { ["speech"] = speech, ["confidence"] = 0.9 };
        return ev;
    }

    /// <summary>A call answered, connected and greeted (its first recognize sent).</summary>
    public async Task<(AcsStandInCall Call, Uri Callback, string Connection)> ConnectedAsync(string to = TestTenants.DentistNumber)
    {
        var call = Acs.AddIncomingCall(to, TestTenants.Caller);
        using (var response = await PostEventsAsync(Incoming(call), AppHost.EventGridSecret))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var connection = await ConnectionAsync(call);
        await WaitForAsync(() => Requests(connection, ":recognize").Count == 1);
        return (call, await CallbackUriAsync(call), connection);
    }

    public async Task<Uri> CallbackUriAsync(AcsStandInCall call)
    {
        AcsRecordedRequest? answer = null;
        await WaitForAsync(() => (answer = Acs.Requests.FirstOrDefault(r => r.PathAndQuery.Contains(":answer", StringComparison.Ordinal)
            && r.Body.Contains(call.IncomingCallContext, StringComparison.Ordinal))) is not null);
        return new Uri((string)JsonNode.Parse(answer!.Body)!["callbackUri"]!);
    }

    /// <summary>The call connection the stand-in made for the test's one call: where the greeting's recognize went.</summary>
    public async Task<string> ConnectionAsync(AcsStandInCall call)
    {
        _ = await CallbackUriAsync(call);
        string? connection = null;
        await WaitForAsync(() => (connection = Acs.Requests
            .Where(r => r.PathAndQuery.Contains(":recognize", StringComparison.Ordinal))
            .Select(r => r.PathAndQuery.Split('/', ':', '?')[3])
            .FirstOrDefault()) is not null);
        return connection!;
    }

    public List<AcsRecordedRequest> Requests(string connection, string operation) =>
        Acs.Requests.Where(r => r.PathAndQuery.Contains($"/{connection}{operation}", StringComparison.Ordinal)).ToList();

    public static async Task WaitForAsync(Func<bool> condition, TimeSpan? timeout = null)
    {
        var until = DateTime.UtcNow + (timeout ?? Wait);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < until, "timed out waiting for the app's request to ACS");
            await Task.Delay(20);
        }
    }
}
