using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Receptionist.Telephony.Acs.Simulation;

namespace Receptionist.Telephony.Tests.Acs.Simulation;

public sealed class AcsStandInTests : IAsyncLifetime
{
    internal const string AccessKey = "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=";
    internal const string ResourceId = "6d5bb5ab-4f0c-4ee5-9b2b-0d5a1e2c3f40";
    private const string OtherKey = "ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICA=";
    private const string To = "+18005550100";
    private const string Caller = "+16175551212";
    private const string Answer = "calling/callConnections:answer";

    private AcsStandIn _standIn = null!;
    private FakeAcsApp _app = null!;

    public async Task InitializeAsync()
    {
        _standIn = await AcsStandIn.StartAsync(new AcsStandInOptions { AccessKey = AccessKey, ResourceId = ResourceId }, CancellationToken.None);
        _app = await FakeAcsApp.StartAsync(_standIn, AccessKey);
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _standIn.DisposeAsync();
    }

    private string CallbackUri => $"{_app.BaseUrl}acs/callbacks/acs-test?token=abc%2Bdef&tenant=bright";

    private JsonObject AnswerBody(AcsStandInCall call, bool speech = true)
    {
        var body = new JsonObject { ["incomingCallContext"] = call.IncomingCallContext, ["callbackUri"] = CallbackUri, ["operationContext"] = "answer" };
        if (speech)
        {
            body["callIntelligenceOptions"] = new JsonObject { ["cognitiveServicesEndpoint"] = FakeAcsApp.CognitiveServices };
        }

        return body;
    }

    /// <summary>An answered call whose CallConnected has been delivered: its callConnectionId.</summary>
    private async Task<string> ConnectedCallAsync(bool speech = true)
    {
        var call = _standIn.AddIncomingCall(To, Caller);
        var (status, body) = await _app.SendAsync(HttpMethod.Post, Answer, AnswerBody(call, speech));
        Assert.Equal(HttpStatusCode.OK, status);
        var connected = await _app.NextCallbackAsync();
        Assert.Equal("CallConnected", connected.Type);
        var id = (string)JsonNode.Parse(body)!["callConnectionId"]!;
        _app.AddCaller(id, call.FromIdentifier());
        return id;
    }

    private static JsonObject Error(string body) => JsonNode.Parse(body)!["error"]!.AsObject();

    [Fact]
    public async Task Answer_SignedRequest_IsAnsweredWithTheCallConnectionAndRecorded()
    {
        var call = _standIn.AddIncomingCall(To, Caller);
        var id = Guid.NewGuid().ToString();

        var (status, body) = await _app.SendAsync(HttpMethod.Post, Answer, AnswerBody(call), id);

        Assert.Equal(HttpStatusCode.OK, status);
        var properties = JsonNode.Parse(body)!;
        Assert.True(Guid.TryParse((string?)properties["callConnectionId"], out _));
        Assert.Equal(call.ServerCallId, (string?)properties["serverCallId"]);
        Assert.Equal(call.CorrelationId, (string?)properties["correlationId"]);
        Assert.Equal("connecting", (string?)properties["callConnectionState"]);
        Assert.Equal(CallbackUri, (string?)properties["callbackUri"]);
        Assert.Equal("4:" + Caller, (string?)properties["source"]!["rawId"]);
        Assert.Equal("4:" + To, (string?)properties["targets"]![0]!["rawId"]);
        Assert.Equal(0, _standIn.RejectedRequests);
        var recorded = Assert.Single(_standIn.Requests);
        Assert.Equal("POST", recorded.Method);
        Assert.Equal("/calling/callConnections:answer?api-version=2025-06-15", recorded.PathAndQuery);
        Assert.Equal(id, recorded.Header("repeatability-request-id"));
        Assert.Equal(200, recorded.Status);
        Assert.Contains(call.IncomingCallContext, recorded.Body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("wrong key")]
    [InlineData("tampered body")]
    [InlineData("stale date")]
    [InlineData("x-ms-date")]
    [InlineData("x-ms-content-sha256")]
    [InlineData("Authorization")]
    public async Task Answer_NotSignedWithTheAccessKey_Is401CountedAndDoesNothing(string fault)
    {
        var call = _standIn.AddIncomingCall(To, Caller);
        using var signer = new HmacSigningHandler(fault == "wrong key" ? OtherKey : AccessKey);
        signer.Now = fault == "stale date" ? () => DateTimeOffset.UtcNow.AddMinutes(-11) : signer.Now;
        signer.LeaveOut = fault.StartsWith("x-ms", StringComparison.Ordinal) || fault == "Authorization" ? fault : null;
        var body = AnswerBody(call);
        signer.BodyAfterSigning = fault == "tampered body" ? body.ToJsonString().Replace("acs-test", "acs-other", StringComparison.Ordinal) : null;
        using var http = new HttpClient(signer, disposeHandler: false) { BaseAddress = _standIn.Endpoint, Timeout = TimeSpan.FromSeconds(10) };

        using var response = await http.PostAsync(Answer + "?api-version=2025-06-15", new StringContent(body.ToJsonString()));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Unauthorized", (string?)Error(await response.Content.ReadAsStringAsync())["code"]);
        Assert.Equal(1, _standIn.RejectedRequests);
        Assert.Empty(_standIn.Requests);
        Assert.Equal(HttpStatusCode.OK, (await _app.SendAsync(HttpMethod.Post, Answer, body)).Status); // the refused answer did not take the call
    }

    [Fact]
    public async Task Request_DateWithinTenMinutesOfTheStandInsClock_IsAcceptedAndAnHourOff401()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2030, 1, 15, 9, 0, 0, TimeSpan.Zero));
        await using var standIn = await AcsStandIn.StartAsync(new AcsStandInOptions { AccessKey = AccessKey, ResourceId = ResourceId, TimeProvider = clock }, CancellationToken.None);
        var signed = clock.GetUtcNow().AddMinutes(9);
        using var signer = new HmacSigningHandler(AccessKey) { Now = () => signed };
        using var http = new HttpClient(signer, disposeHandler: false) { BaseAddress = standIn.Endpoint, Timeout = TimeSpan.FromSeconds(10) };

        using var near = await http.DeleteAsync("calling/callConnections/unknown?api-version=2025-06-15");
        clock.Advance(TimeSpan.FromHours(1));
        using var far = await http.DeleteAsync("calling/callConnections/unknown?api-version=2025-06-15");

        Assert.Equal(HttpStatusCode.NotFound, near.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, far.StatusCode);
        Assert.Equal(1, standIn.RejectedRequests);
    }

    [Fact]
    public async Task Request_WithoutTheApiVersion_Is400()
    {
        using var response = await _app.Acs.DeleteAsync("calling/callConnections/unknown");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = Error(await response.Content.ReadAsStringAsync());
        Assert.Equal("BadRequest", (string?)error["code"]);
        Assert.Equal("api-version", (string?)error["target"]);
    }

    [Fact]
    public async Task Answer_RepeatedRepeatabilityId_GetsTheFirstAnswerAndConnectsOnce()
    {
        var call = _standIn.AddIncomingCall(To, Caller);
        var id = Guid.NewGuid().ToString();

        var first = await _app.SendAsync(HttpMethod.Post, Answer, AnswerBody(call), id);
        var again = await _app.SendAsync(HttpMethod.Post, Answer, AnswerBody(call), id);
        var connectionId = (string)JsonNode.Parse(first.Body)!["callConnectionId"]!;
        Assert.Equal("CallConnected", (await _app.NextCallbackAsync()).Type);
        await _app.PlayAsync(connectionId, "Hello.", "t1");

        Assert.Equal(HttpStatusCode.OK, again.Status);
        Assert.Equal(first.Body, again.Body);
        Assert.Equal("PlayStarted", (await _app.NextCallbackAsync()).Type); // no second CallConnected in between
        Assert.Equal([200, 200, 202], _standIn.Requests.Select(r => r.Status));
    }

    [Fact]
    public async Task Answer_RepeatabilityIdNotAUuid_Is400()
    {
        var call = _standIn.AddIncomingCall(To, Caller);

        var (status, body) = await _app.SendAsync(HttpMethod.Post, Answer, AnswerBody(call), "call-acs-1");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("Repeatability-Request-ID", (string?)Error(body)["target"]);
    }

    [Fact]
    public async Task Answer_AlreadyAnsweredUnderAnotherRepeatabilityId_Is409()
    {
        var call = _standIn.AddIncomingCall(To, Caller);
        await _app.SendAsync(HttpMethod.Post, Answer, AnswerBody(call));

        var (status, body) = await _app.SendAsync(HttpMethod.Post, Answer, AnswerBody(call));

        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Contains("already answered", (string?)Error(body)["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Answer_UnknownIncomingCallContext_Is404()
    {
        var body = new JsonObject { ["incomingCallContext"] = "never-issued", ["callbackUri"] = CallbackUri };

        var (status, answer) = await _app.SendAsync(HttpMethod.Post, Answer, body);

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.NotNull(Error(answer)["message"]);
    }

    [Theory]
    [InlineData("""{"incomingCallContext":"x"}""", "callbackUri")]
    [InlineData("""{"incomingCallContext":"x","callbackUri":"/relative"}""", "callbackUri")]
    [InlineData("""{"incomingCallContext":7,"callbackUri":"https://app.example/acs"}""", "incomingCallContext")]
    public async Task Answer_FieldMissingOrMistyped_Is400NamingIt(string json, string field)
    {
        var (status, body) = await _app.SendAsync(HttpMethod.Post, Answer, JsonNode.Parse(json));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(field, (string?)Error(body)["target"]);
        Assert.Contains(field, (string?)Error(body)["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Answer_MalformedJson_Is400()
    {
        using var response = await _app.Acs.PostAsync(Answer + "?api-version=2025-06-15", new StringContent("{\"incomingCallContext\":"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("not JSON", (string?)Error(await response.Content.ReadAsStringAsync())["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Answer_CallConnected_IsPostedToTheCallbackUriAsGivenAsACloudEvent()
    {
        var call = _standIn.AddIncomingCall(To, Caller);
        var (_, body) = await _app.SendAsync(HttpMethod.Post, Answer, AnswerBody(call));

        var connected = await _app.NextCallbackAsync();

        var connectionId = (string)JsonNode.Parse(body)!["callConnectionId"]!;
        Assert.Equal("/acs/callbacks/acs-test?token=abc%2Bdef&tenant=bright", connected.PathAndQuery);
        Assert.StartsWith("Bearer ", connected.Authorization, StringComparison.Ordinal);
        Assert.Equal("Microsoft.Communication.CallConnected", (string?)connected.Event["type"]);
        Assert.Equal("1.0", (string?)connected.Event["specversion"]);
        Assert.Equal("application/json", (string?)connected.Event["datacontenttype"]);
        Assert.Equal($"calling/callConnections/{connectionId}", (string?)connected.Event["source"]);
        Assert.True(Guid.TryParse((string?)connected.Event["id"], out _));
        Assert.True(DateTimeOffset.TryParse((string?)connected.Event["time"], out _));
        Assert.Equal(connectionId, connected.CallConnectionId);
        Assert.Equal(call.ServerCallId, (string?)connected.Data["serverCallId"]);
        Assert.Equal(call.CorrelationId, (string?)connected.Data["correlationId"]);
        Assert.Equal("answer", connected.OperationContext);
        Assert.Equal(200, (int?)connected.Data["resultInformation"]!["code"]);
    }

    [Fact]
    public async Task CallbackToken_ValidatesWithTheServedMetadataAndKeysForTheResourceOnly()
    {
        await ConnectedCallAsync();
        var token = _app.Callbacks[0].Authorization!["Bearer ".Length..];
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };

        var metadata = JsonNode.Parse(await http.GetStringAsync(_standIn.OpenIdMetadataUrl))!;
        var keys = new JsonWebKeySet(await http.GetStringAsync((string)metadata["jwks_uri"]!));
        var handler = new JsonWebTokenHandler();
        TokenValidationParameters For(string audience) => new()
        {
            ValidIssuer = (string?)metadata["issuer"],
            ValidAudience = audience,
            IssuerSigningKeys = keys.GetSigningKeys(),
            RequireSignedTokens = true,
        };
        var valid = await handler.ValidateTokenAsync(token, For(ResourceId));
        var otherResource = await handler.ValidateTokenAsync(token, For(Guid.NewGuid().ToString()));

        Assert.Equal(_standIn.Issuer, (string?)metadata["issuer"]);
        Assert.Equal("RS256", (string?)metadata["id_token_signing_alg_values_supported"]![0]);
        var key = Assert.Single(keys.Keys);
        Assert.Equal(("RSA", "sig"), (key.Kty, key.Use));
        Assert.True(valid.IsValid, valid.Exception?.Message);
        Assert.Equal(key.Kid, ((JsonWebToken)valid.SecurityToken).Kid);
        var lifetime = ((JsonWebToken)valid.SecurityToken).ValidTo - ((JsonWebToken)valid.SecurityToken).ValidFrom;
        Assert.Equal(TimeSpan.FromMinutes(5), lifetime);
        Assert.False(otherResource.IsValid);
        Assert.IsType<SecurityTokenInvalidAudienceException>(otherResource.Exception);
    }

    [Fact]
    public async Task Play_UnknownCallConnection_Is404With8522()
    {
        var (status, body) = await _app.SendAsync(HttpMethod.Post, "calling/callConnections/no-such-call:play", new JsonObject());

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("8522", (string?)Error(body)["code"]);
    }

    [Fact]
    public async Task Play_AfterTheAppHungUp_Is404With8522AndCallDisconnectedWasPosted()
    {
        var id = await ConnectedCallAsync();
        await _app.HangUpAsync(id);

        var (status, body) = await _app.SendAsync(HttpMethod.Post, $"calling/callConnections/{id}:play", new JsonObject());

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("8522", (string?)Error(body)["code"]);
        Assert.Equal("CallDisconnected", (await _app.NextCallbackAsync()).Type);
    }

    [Fact]
    public async Task Terminate_EndsTheCallWithCallDisconnectedOnce()
    {
        var id = await ConnectedCallAsync();

        var first = await _app.SendAsync(HttpMethod.Post, $"calling/callConnections/{id}:terminate", null);
        var again = await _app.SendAsync(HttpMethod.Post, $"calling/callConnections/{id}:terminate", null);

        Assert.Equal((HttpStatusCode.NoContent, HttpStatusCode.NotFound), (first.Status, again.Status));
        Assert.Equal("CallDisconnected", (await _app.NextCallbackAsync()).Type);
    }

    [Fact]
    public async Task Play_AnsweredWithoutAiServices_Is400()
    {
        var id = await ConnectedCallAsync(speech: false);

        var (status, body) = await _app.SendAsync(HttpMethod.Post, $"calling/callConnections/{id}:play",
            JsonNode.Parse("""{"playSources":[{"kind":"text","text":{"text":"Hello."}}],"operationContext":"t1"}"""));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("cognitiveServicesEndpoint", (string?)Error(body)["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Recognize_TargetParticipantNotTheCaller_Is400NamingIt()
    {
        var id = await ConnectedCallAsync();
        var body = _app.RecognizeBody(id, "How can I help?", "t1");
        body["recognizeOptions"]!["targetParticipant"] = JsonNode.Parse("""{"kind":"phoneNumber","rawId":"4:+19995550000","phoneNumber":{"value":"+19995550000"}}""");

        var (status, answer) = await _app.SendAsync(HttpMethod.Post, $"calling/callConnections/{id}:recognize", body);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("recognizeOptions.targetParticipant", (string?)Error(answer)["target"]);
    }

    [Fact]
    public async Task Recognize_UnknownStopTone_Is400NamingIt()
    {
        var id = await ConnectedCallAsync();

        var (status, answer) = await _app.SendAsync(HttpMethod.Post, $"calling/callConnections/{id}:recognize", _app.RecognizeBody(id, "Your number?", "t1", "dtmf", 15, "hash"));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("recognizeOptions.dtmfOptions.stopTones", (string?)Error(answer)["target"]);
    }

    [Fact]
    public async Task Transfer_Is202WithTheOperationContext()
    {
        var id = await ConnectedCallAsync();
        var body = JsonNode.Parse("""{"targetParticipant":{"kind":"phoneNumber","rawId":"4:+16175550000","phoneNumber":{"value":"+16175550000"}},"sourceCallerIdNumber":{"value":"+18005550100"},"operationContext":"t2:transfer"}""");

        var (status, answer) = await _app.SendAsync(HttpMethod.Post, $"calling/callConnections/{id}:transferToParticipant", body);

        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.Equal("t2:transfer", (string?)JsonNode.Parse(answer)!["operationContext"]);
    }

    [Fact]
    public async Task PostCallbackAsync_PostsTheEventInAnArrayWithAToken()
    {
        var cloudEvent = new JsonObject { ["id"] = "redelivered", ["type"] = "Microsoft.Communication.CallConnected", ["data"] = new JsonObject { ["callConnectionId"] = "c1" } };

        using var response = await _standIn.PostCallbackAsync(new Uri(CallbackUri), cloudEvent, CancellationToken.None);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var received = await _app.NextCallbackAsync();
        Assert.Equal("redelivered", (string?)received.Event["id"]);
        Assert.Equal("/acs/callbacks/acs-test?token=abc%2Bdef&tenant=bright", received.PathAndQuery);
        Assert.StartsWith("Bearer ", received.Authorization, StringComparison.Ordinal);
    }
}
