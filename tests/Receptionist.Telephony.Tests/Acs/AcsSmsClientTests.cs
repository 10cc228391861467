using System.Net;
using System.Text.Json.Nodes;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Receptionist.Telephony.Acs;
using Receptionist.Telephony.Acs.Simulation;

namespace Receptionist.Telephony.Tests.Acs;

/// <summary>The SMS client against the loopback ACS stand-in, which checks the HMAC signature (or the bearer token) of
/// every request as it does for Call Automation, and the request's shape as the SMS API's spec has it.</summary>
public sealed class AcsSmsClientTests : IAsyncLifetime
{
    private const string From = "+15550100001";
    private const string To = "+15557654321";
    private static readonly string Key = Convert.ToBase64String("an-acs-sms-access-key-for-tests!"u8.ToArray());
    private AcsStandIn _acs = null!;

    public async Task InitializeAsync() =>
        _acs = await AcsStandIn.StartAsync(new AcsStandInOptions { AccessKey = Key, ResourceId = Guid.NewGuid().ToString() }, CancellationToken.None);

    public async Task DisposeAsync() => await _acs.DisposeAsync();

    private AcsSmsClient Client(string? key = null) => new(new AcsConnectionString(_acs.Endpoint, key ?? Key), null);

    [Fact]
    public async Task SendAsync_AccessKey_SignatureAcceptedAndTheTextRecorded()
    {
        var result = await Client().SendAsync(From, To, "Hello", Guid.NewGuid(), CancellationToken.None);

        Assert.True(result.Successful);
        Assert.Equal(202, result.HttpStatusCode);
        var text = Assert.Single(_acs.Texts);
        Assert.Equal((result.MessageId, From, To, "Hello"), (text.MessageId, text.From, text.To, text.Message));
        Assert.Equal(0, _acs.RejectedRequests);
    }

    [Fact]
    public async Task SendAsync_WrongKey_401AndNothingSent()
    {
        var ex = await Assert.ThrowsAsync<RequestFailedException>(() =>
            Client(Convert.ToBase64String("another-key-the-stand-in-refuses"u8.ToArray())).SendAsync(From, To, "Hello", Guid.NewGuid(), CancellationToken.None));

        Assert.Equal(401, ex.Status);
        Assert.Equal(1, _acs.RejectedRequests);
        Assert.Empty(_acs.Texts);
    }

    [Fact]
    public async Task SendAsync_NoAccessKey_EntraTokenForTheAcsScope()
    {
        // Azure.Core sends bearer tokens over https only, and the stand-in is plain http: a captured request instead.
        var credential = new FixedToken();
        var seen = new List<HttpRequestMessage>();
        var options = new AcsSmsClientOptions { Transport = new HttpClientTransport(new HttpClient(new Answer(seen))) };
        var client = new AcsSmsClient(new AcsConnectionString(new Uri("https://contoso.communication.azure.com/"), null), credential, options);

        var result = await client.SendAsync(From, To, "Hello", Guid.NewGuid(), CancellationToken.None);

        Assert.True(result.Successful);
        Assert.Equal([AcsCallClient.EntraScope], credential.Scopes);
        var request = Assert.Single(seen);
        Assert.Equal("https://contoso.communication.azure.com/sms?api-version=2021-03-07", request.RequestUri!.ToString());
        Assert.Equal("Bearer " + FixedToken.Token, request.Headers.Authorization!.ToString());
        Assert.False(request.Headers.Contains("x-ms-content-sha256"));
    }

    [Fact]
    public void Constructor_NoAccessKeyAndNoCredential_Refused() =>
        Assert.Throws<ArgumentNullException>(() => new AcsSmsClient(new AcsConnectionString(new Uri("https://contoso.communication.azure.com/"), null), null));

    [Fact]
    public async Task SendAsync_Body_AsTheSpecHasItWithTheRepeatabilityOfTheRecipient()
    {
        var id = Guid.NewGuid();
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);

        await Client().SendAsync(From, To, "Hello", id, CancellationToken.None);

        var request = Assert.Single(_acs.Requests);
        Assert.Equal(("POST", "/sms?api-version=2021-03-07"), (request.Method, request.PathAndQuery));
        var body = JsonNode.Parse(request.Body)!;
        Assert.Equal((From, "Hello"), ((string?)body["from"], (string?)body["message"]));
        var recipient = Assert.Single(body["smsRecipients"]!.AsArray())!;
        Assert.Equal((To, id.ToString()), ((string?)recipient["to"], (string?)recipient["repeatabilityRequestId"]));
        var firstSent = DateTimeOffset.ParseExact((string)recipient["repeatabilityFirstSent"]!, "r", System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(firstSent, before, DateTimeOffset.UtcNow.AddSeconds(1));
        Assert.False((bool)body["smsSendOptions"]!["enableDeliveryReport"]!);
    }

    [Fact]
    public async Task SendAsync_SameRepeatabilityIdAgain_FirstAnswerAndOneText()
    {
        var id = Guid.NewGuid();
        var client = Client();

        var first = await client.SendAsync(From, To, "Hello", id, CancellationToken.None);
        var again = await client.SendAsync(From, To, "Hello", id, CancellationToken.None);

        Assert.Equal(first.MessageId, again.MessageId);
        Assert.Equal("accepted", again.RepeatabilityResult);
        Assert.Single(_acs.Texts);
    }

    [Fact]
    public async Task SendAsync_RecipientRefused_ResultSaysSoWithItsStatus()
    {
        _acs.FailNextSms(AcsSmsFailure.InvalidNumber());

        var result = await Client().SendAsync(From, To, "Hello", Guid.NewGuid(), CancellationToken.None);

        Assert.False(result.Successful);
        Assert.Equal((400, "Invalid To phone number format."), (result.HttpStatusCode, result.ErrorMessage));
        Assert.Empty(_acs.Texts);
    }

    [Fact]
    public async Task SendAsync_ServerErrorOnce_RetriedByThePipelineAndSentOnce()
    {
        _acs.FailNextSms(AcsSmsFailure.Http(500));

        var result = await Client().SendAsync(From, To, "Hello", Guid.NewGuid(), CancellationToken.None);

        Assert.True(result.Successful);
        Assert.Single(_acs.Texts);
        Assert.Equal([500, 202], _acs.Requests.Select(r => r.Status));
    }

    /// <summary>Answers every request as ACS accepts one recipient.</summary>
    private sealed class Answer(List<HttpRequestMessage> seen) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            seen.Add(request);
            var body = new JsonObject { ["value"] = new JsonArray(new JsonObject { ["to"] = To, ["messageId"] = "Outgoing_1", ["httpStatusCode"] = 202, ["successful"] = true }) };
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.Accepted)
            {
                Content = new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json"),
            });
        }
    }

    /// <summary>Hands out one fixed token and records the scopes asked for (the app's managed identity, played).</summary>
    private sealed class FixedToken : TokenCredential
    {
        public const string Token = "entra-token-for-the-acs-stand-in";

        public List<string> Scopes { get; } = [];

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            Scopes.AddRange(requestContext.Scopes);
            return new AccessToken(Token, DateTimeOffset.UtcNow.AddHours(1));
        }

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            ValueTask.FromResult(GetToken(requestContext, cancellationToken));
    }
}
