using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Receptionist.Core.Storage;
using Receptionist.Telephony.Acs;
using Receptionist.Telephony.Acs.Simulation;
using Receptionist.Telephony.Twilio;
using Receptionist.Testing;

namespace Receptionist.Host.Tests.Acs;

/// <summary>
/// The ACS channel against the real app on Azurite and the loopback ACS stand-in (which checks our HMAC signature on
/// every request and signs its callbacks with a JWT): Event Grid handshakes and authentication, answering once,
/// rejecting unknown numbers, callback authentication, bad input, duplicates and stale results.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class AcsEndpointsTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private AppHost _app = null!;
    private AcsTestCalls _acs = null!;

    public async Task InitializeAsync()
    {
        _app = await AppHost.StartAsync(azurite.ConnectionString, TestTenants.MondayMorning, acs: true);
        _acs = new AcsTestCalls(_app);
        await _app.ImportTenantsAsync(TestTenants.Dentist);
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private AcsStandIn Acs => _app.Acs!;

    private ICallStore Calls => _app.Services.GetRequiredService<ICallStore>();

    [Fact]
    public async Task Events_SubscriptionValidation_EchoesTheCode()
    {
        var body = new JsonArray(AcsTestCalls.Event("Microsoft.EventGrid.SubscriptionValidationEvent", new JsonObject { ["validationCode"] = "512d38b6-c7b8-40c8-89fe-f46f9e9622b6", ["validationUrl"] = "https://rp/validate" }));

        using var response = await _acs.PostEventsAsync(body, AppHost.EventGridSecret, "SubscriptionValidation");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("512d38b6-c7b8-40c8-89fe-f46f9e9622b6", (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["validationResponse"]);
    }

    [Fact]
    public async Task Events_CloudEventsOptionsHandshake_AllowsTheOrigin()
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, $"/acs/events?code={AppHost.EventGridSecret}");
        request.Headers.Add("WebHook-Request-Origin", "eventgrid.azure.net");

        using var response = await _app.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("eventgrid.azure.net", response.Headers.GetValues("WebHook-Allowed-Origin").Single());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("wrong-secret-0123456789")]
    public async Task Events_WithoutTheSecret_401AndNothingStoredOrAnswered(string? code)
    {
        var call = Acs.AddIncomingCall(TestTenants.DentistNumber, TestTenants.Caller);

        using var response = await _acs.PostEventsAsync(AcsTestCalls.Incoming(call), code);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Null(await Calls.GetAsync(AcsCalls.CallId(call.ServerCallId), CancellationToken.None));
        Assert.DoesNotContain(Acs.Requests, r => r.PathAndQuery.Contains(":answer", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[{\"id\":\"1\"}]")]
    [InlineData("{\"eventType\":42}")]
    public async Task Events_Malformed_400WithAReason(string body)
    {
        using var response = await _app.Http.PostAsync($"/acs/events?code={AppHost.EventGridSecret}", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(string.IsNullOrWhiteSpace((string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["detail"]));
    }

    [Fact]
    public async Task Events_IncomingCallWithoutContext_400NamingIt()
    {
        var call = Acs.AddIncomingCall(TestTenants.DentistNumber, TestTenants.Caller);
        var body = AcsTestCalls.Incoming(call);
        body[0]!["data"]!.AsObject().Remove("incomingCallContext");

        using var response = await _acs.PostEventsAsync(body, AppHost.EventGridSecret);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("incomingCallContext", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Events_IncomingCallAsCloudEvent_Answered()
    {
        var call = Acs.AddIncomingCall(TestTenants.DentistNumber, TestTenants.Caller);
        var data = AcsTestCalls.Incoming(call)[0]!["data"]!.DeepClone();
        var body = new JsonArray(new JsonObject
        {
            ["id"] = Guid.NewGuid().ToString(), ["source"] = "/subscriptions/x/resourceGroups/rg/providers/Microsoft.Communication/communicationServices/acs",
            ["type"] = "Microsoft.Communication.IncomingCall", ["specversion"] = "1.0", ["time"] = DateTimeOffset.UtcNow.ToString("O"), ["data"] = data,
        });

        using var response = await _acs.PostEventsAsync(body, AppHost.EventGridSecret);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(Acs.Requests, r => r.PathAndQuery.Contains(":answer", StringComparison.Ordinal) && r.Body.Contains(call.IncomingCallContext, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Events_UnknownNumber_RejectedNotAnswered()
    {
        var call = Acs.AddIncomingCall("+15550199999", TestTenants.Caller);

        using var response = await _acs.PostEventsAsync(AcsTestCalls.Incoming(call), AppHost.EventGridSecret);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(Acs.Requests, r => r.PathAndQuery.Contains(":reject", StringComparison.Ordinal) && r.Body.Contains(call.IncomingCallContext, StringComparison.Ordinal));
        Assert.DoesNotContain(Acs.Requests, r => r.PathAndQuery.Contains(":answer", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Events_IncomingCallRedelivered_AnsweredOnceAndGreetedOnce()
    {
        var call = Acs.AddIncomingCall(TestTenants.DentistNumber, TestTenants.Caller);
        var body = AcsTestCalls.Incoming(call);

        using (var first = await _acs.PostEventsAsync(body, AppHost.EventGridSecret))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        var connection = await _acs.ConnectionAsync(call);
        await AcsTestCalls.WaitForAsync(() => _acs.Requests(connection, ":recognize").Count == 1);
        using (var again = await _acs.PostEventsAsync(body, AppHost.EventGridSecret))
        {
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        }

        Assert.Single(Acs.Requests, r => r.PathAndQuery.Contains(":answer", StringComparison.Ordinal) && r.Body.Contains(call.IncomingCallContext, StringComparison.Ordinal));
        await Task.Delay(300);
        Assert.Single(_acs.Requests(connection, ":recognize"));
        Assert.Equal(0, Acs.RejectedRequests);
    }

    [Fact]
    public async Task Callback_AnsweredCall_CallbackUriCarriesNoPhoneNumber()
    {
        var call = Acs.AddIncomingCall(TestTenants.DentistNumber, TestTenants.Caller);
        using var _ = await _acs.PostEventsAsync(AcsTestCalls.Incoming(call), AppHost.EventGridSecret);

        var callback = await _acs.CallbackUriAsync(call);

        // Neither number, nor their last digits (the id after /callbacks/ is random hex, which may hold "555" by chance).
        foreach (var number in new[] { TestTenants.Caller, TestTenants.DentistNumber })
        {
            Assert.DoesNotContain(number[^7..], callback.ToString(), StringComparison.Ordinal);
        }

        Assert.Equal($"/acs/callbacks/{AcsCalls.CallId(call.ServerCallId)}", callback.AbsolutePath);
    }

    [Theory]
    [InlineData("no-token")]
    [InlineData("wrong-token")]
    [InlineData("other-tenant")]
    [InlineData("no-jwt")]
    public async Task Callback_Unauthenticated_401AndNothingStored(string how)
    {
        var (call, callback, connection) = await _acs.ConnectedAsync();
        var before = (await Calls.GetAsync(AcsCalls.CallId(call.ServerCallId), CancellationToken.None))!.ETag;
        var uri = how switch
        {
            "no-token" => new Uri(callback.GetLeftPart(UriPartial.Path) + "?tenant=bright-smiles"),
            "wrong-token" => new Uri(callback.GetLeftPart(UriPartial.Path) + "?tenant=bright-smiles&token=AAAA"),
            "other-tenant" => new Uri(callback.ToString().Replace("tenant=bright-smiles", "tenant=other", StringComparison.Ordinal)),
            _ => callback,
        };
        var recognized = AcsTestCalls.Recognized(connection, "t0", "I'd like a cleaning");

        using var response = how == "no-jwt"
            ? await _app.Http.PostAsync(uri, new StringContent(new JsonArray(recognized).ToJsonString(), Encoding.UTF8, "application/json"))
            : await Acs.PostCallbackAsync(uri, recognized, CancellationToken.None);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(before, (await Calls.GetAsync(AcsCalls.CallId(call.ServerCallId), CancellationToken.None))!.ETag);
    }

    [Fact]
    public async Task Callback_Malformed_400WithAReason()
    {
        var (_, callback, _) = await _acs.ConnectedAsync();

        using var response = await Acs.PostCallbackAsync(callback, new JsonObject { ["type"] = "Microsoft.Communication.RecognizeCompleted" }, CancellationToken.None);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("'id' is missing", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Callback_UnknownEventType_200Ignored()
    {
        var (call, callback, connection) = await _acs.ConnectedAsync();
        var before = (await Calls.GetAsync(AcsCalls.CallId(call.ServerCallId), CancellationToken.None))!.ETag;

        using var response = await Acs.PostCallbackAsync(callback, AcsTestCalls.CloudEvent("Microsoft.Communication.SomethingNew", connection, null), CancellationToken.None);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(before, (await Calls.GetAsync(AcsCalls.CallId(call.ServerCallId), CancellationToken.None))!.ETag);
    }

    [Fact]
    public async Task Callback_UnknownCall_404()
    {
        var key = AcsCalls.CallbackKey(null, AppHost.AcsAccessKey);
        var uri = new Uri(AcsCalls.CallbackUri(_app.BaseUrl.ToString(), "acs-00000000000000000000000000000000", "bright-smiles", key));

        using var response = await Acs.PostCallbackAsync(uri, AcsTestCalls.CloudEvent("Microsoft.Communication.CallConnected", "conn-x", null), CancellationToken.None);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Callback_RecognizeCompletedTwice_OneTurnAndOneNextRequest()
    {
        var (call, callback, connection) = await _acs.ConnectedAsync();
        var said = AcsTestCalls.Recognized(connection, "t0", "I'd like a cleaning");

        using (var first = await Acs.PostCallbackAsync(callback, said, CancellationToken.None))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        var afterFirst = await Calls.GetAsync(AcsCalls.CallId(call.ServerCallId), CancellationToken.None);
        said["id"] = Guid.NewGuid().ToString(); // a redelivery may even come with a new event id
        using (var again = await Acs.PostCallbackAsync(callback, said, CancellationToken.None))
        {
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        }

        var afterAgain = await Calls.GetAsync(AcsCalls.CallId(call.ServerCallId), CancellationToken.None);
        Assert.Equal(1, afterFirst!.Record.Turn);
        Assert.Equal(afterFirst.ETag, afterAgain!.ETag);
        // The next question may be asked again (its request might have been lost), but as the same request: ACS acts once.
        var next = _acs.Requests(connection, ":recognize").Where(r => r.Body.Contains("\"t1\"", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(next);
        Assert.Single(next.Select(r => r.Header("Repeatability-Request-ID")).Distinct());
    }

    [Fact]
    public async Task Callback_LateResultOfAnEarlierTurn_Ignored()
    {
        var (call, callback, connection) = await _acs.ConnectedAsync();
        using (var first = await Acs.PostCallbackAsync(callback, AcsTestCalls.Recognized(connection, "t0", "I'd like a cleaning"), CancellationToken.None))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        await AcsTestCalls.WaitForAsync(() => _acs.Requests(connection, ":recognize").Count == 2);
        var before = await Calls.GetAsync(AcsCalls.CallId(call.ServerCallId), CancellationToken.None);
        var requests = Acs.Requests.Count;
        // The outcome of a transfer asked for at turn 0 (never, here), arriving at turn 1: not this turn's business.
        var late = AcsTestCalls.CloudEvent("Microsoft.Communication.CallTransferFailed", connection, "t0:transfer");

        using var response = await Acs.PostCallbackAsync(callback, late, CancellationToken.None);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(before!.ETag, (await Calls.GetAsync(AcsCalls.CallId(call.ServerCallId), CancellationToken.None))!.ETag);
        await Task.Delay(300);
        Assert.Equal(requests, Acs.Requests.Count);
    }

    [Fact]
    public async Task Callback_AcsCannotListen_CallerHearsAnApologyAndTheCallEnds()
    {
        var (_, callback, connection) = await _acs.ConnectedAsync();
        var failed = AcsTestCalls.CloudEvent("Microsoft.Communication.RecognizeFailed", connection, "t0");
        failed["data"]!["resultInformation"] = new JsonObject { ["code"] = 500, ["subCode"] = 8565, ["message"] = "Cognitive services error" };

        using var response = await Acs.PostCallbackAsync(callback, failed, CancellationToken.None);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await AcsTestCalls.WaitForAsync(() => Acs.Requests.Any(r => r.Method == "DELETE"));
        Assert.Contains("technical difficulty", Assert.Single(_acs.Requests(connection, ":play")).Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Call_WholeBooking_OverAcs_BookedAndReadBackInTheTenantsVoice()
    {
        var simulator = _app.Simulator("acs");

        var result = await simulator.RunAsync(TestTenants.DentistNumber, TestTenants.Caller,
            new ScriptedCaller(["Can Sam Lee get a cleaning Monday at 10?", "yes", "no thanks"]), CancellationToken.None);

        var booked = Assert.Single(await _app.Services.GetRequiredService<IAppointmentStore>().ListAsync("bright-smiles", null, CancellationToken.None));
        Assert.Equal(("Cleaning", "Sam Lee"), (booked.Service, booked.CallerName));
        Assert.True(result.Ended);
        Assert.Contains(result.Turns, t => t.Speaker == "agent" && t.Text.Contains("Sam Lee", StringComparison.Ordinal));
        Assert.All(Acs.Requests.Where(r => r.PathAndQuery.Contains(":recognize", StringComparison.Ordinal)), r => Assert.Contains("en-US-JennyNeural", r.Body, StringComparison.Ordinal));
        Assert.Contains(Acs.Requests, r => r.Method == "DELETE");
        Assert.Equal(0, Acs.RejectedRequests);
        Assert.Equal(Core.Conversation.CallOutcome.Booked, (await Calls.GetAsync(result.CallSid, CancellationToken.None))!.Record.Session.Outcome);
    }
}
