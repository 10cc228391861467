using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Azure;
using Azure.Core.Pipeline;
using Microsoft.Extensions.Time.Testing;
using Receptionist.Telephony.Acs;

namespace Receptionist.Telephony.Tests.Acs;

public sealed class AcsCallClientTests
{
    private static readonly byte[] Key = Encoding.ASCII.GetBytes("an-acs-access-key-for-tests-only!");
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 9, 30, 0, TimeSpan.Zero);

    [Fact]
    public async Task PlayAsync_AccessKey_SignedAsDocumented()
    {
        var (client, seen) = Client("endpoint=https://contoso.communication.azure.com/;accesskey=" + Convert.ToBase64String(Key));

        await client.PlayAsync("conn-1", new AcsPlayRequest([AcsPlaySource.Speak("Hello", "en-US", "en-US-JennyNeural")], "t3"), Guid.NewGuid(), CancellationToken.None);

        var request = Assert.Single(seen);
        Assert.Equal("https://contoso.communication.azure.com/calling/callConnections/conn-1:play?api-version=2025-06-15", request.Uri.ToString());
        // The documented algorithm, written out again here: sign METHOD\npath?query\ndate;host;base64(sha256(body)).
        var date = Now.ToString("r");
        var hash = Convert.ToBase64String(SHA256.HashData(request.Body));
        var toSign = $"POST\n/calling/callConnections/conn-1:play?api-version=2025-06-15\n{date};contoso.communication.azure.com;{hash}";
        var signature = Convert.ToBase64String(HMACSHA256.HashData(Key, Encoding.ASCII.GetBytes(toSign)));
        Assert.Equal(date, request.Headers["x-ms-date"]);
        Assert.Equal(hash, request.Headers["x-ms-content-sha256"]);
        Assert.Equal($"HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature={signature}", request.Headers["Authorization"]);
    }

    [Fact]
    public async Task HangUpAsync_LoopbackPort_SignsHostWithPortAndEmptyBody()
    {
        var (client, seen) = Client("endpoint=http://127.0.0.1:7073/;accesskey=" + Convert.ToBase64String(Key));

        await client.HangUpAsync("conn-2", CancellationToken.None);

        var request = Assert.Single(seen);
        Assert.Equal("DELETE", request.Method);
        var hash = Convert.ToBase64String(SHA256.HashData([]));
        var toSign = $"DELETE\n/calling/callConnections/conn-2?api-version=2025-06-15\n{Now:r};127.0.0.1:7073;{hash}";
        Assert.EndsWith("Signature=" + Convert.ToBase64String(HMACSHA256.HashData(Key, Encoding.ASCII.GetBytes(toSign))), request.Headers["Authorization"]);
    }

    [Fact]
    public async Task RecognizeAsync_Body_CamelCaseWithoutNullsAndRepeatabilityHeaders()
    {
        var (client, seen) = Client("endpoint=https://contoso.communication.azure.com/;accesskey=" + Convert.ToBase64String(Key));
        var id = Guid.NewGuid();
        var step = (AcsListenStep)AcsRendering.Plan([new Core.Conversation.Say("Hi."), new Core.Conversation.Listen(Core.Understanding.Expecting.Anything, [])], 0,
            new AcsVoice("en-US", null), AcsIdentifier.Phone("+15557654321"));

        await client.RecognizeAsync("c", step.Request, id, CancellationToken.None);

        var request = Assert.Single(seen);
        var body = JsonNode.Parse(request.Body)!;
        Assert.Equal("speechOrDtmf", (string?)body["recognizeInputType"]);
        Assert.Equal("4:+15557654321", (string?)body["recognizeOptions"]!["targetParticipant"]!["rawId"]);
        Assert.Null(body["playPrompt"]!["text"]!["voiceName"]);
        Assert.Equal(id.ToString(), request.Headers["Repeatability-Request-ID"]);
        Assert.Equal(Now.ToString("r"), request.Headers["Repeatability-First-Sent"]);
    }

    [Fact]
    public async Task AnswerAsync_AcsError_RequestFailedWithItsCode()
    {
        var (client, _) = Client("endpoint=https://contoso.communication.azure.com/;accesskey=" + Convert.ToBase64String(Key),
            HttpStatusCode.BadRequest, """{"error":{"code":"8523","message":"Invalid argument"}}""");

        var ex = await Assert.ThrowsAsync<RequestFailedException>(() =>
            client.AnswerAsync(new AcsAnswerRequest("ctx", "https://app/acs/callbacks/x", "answer", null), Guid.NewGuid(), CancellationToken.None));

        Assert.Equal(400, ex.Status);
        Assert.Equal("8523", ex.ErrorCode);
    }

    [Fact]
    public async Task AnswerAsync_Ok_ReadsTheCallConnection()
    {
        var (client, _) = Client("endpoint=https://contoso.communication.azure.com/;accesskey=" + Convert.ToBase64String(Key),
            HttpStatusCode.OK, """{"callConnectionId":"conn-9","serverCallId":"srv","callConnectionState":"connecting"}""");

        var connection = await client.AnswerAsync(new AcsAnswerRequest("ctx", "https://app/acs/callbacks/x", "answer", null), Guid.NewGuid(), CancellationToken.None);

        Assert.Equal("conn-9", connection.CallConnectionId);
    }

    private sealed record Seen(string Method, Uri Uri, Dictionary<string, string> Headers, byte[] Body);

    private static (AcsCallClient Client, List<Seen> Seen) Client(string connectionString, HttpStatusCode status = HttpStatusCode.Accepted, string? response = null)
    {
        Assert.True(AcsConnectionString.TryParse(connectionString, out var connection, out var error), error);
        var seen = new List<Seen>();
        var handler = new Capture(seen, status, response);
        var options = new AcsCallClientOptions { Clock = new FakeTimeProvider(Now), Transport = new HttpClientTransport(new HttpClient(handler)) };
        options.Retry.MaxRetries = 0;
        return (new AcsCallClient(connection, null, options), seen);
    }

    private sealed class Capture(List<Seen> seen, HttpStatusCode status, string? response) : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken);
            var headers = request.Headers.Concat(request.Content?.Headers ?? Enumerable.Empty<KeyValuePair<string, IEnumerable<string>>>())
                .ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase);
            seen.Add(new Seen(request.Method.Method, request.RequestUri!, headers, body));
            return new HttpResponseMessage(status) { Content = new StringContent(response ?? string.Empty, Encoding.UTF8, "application/json") };
        }
    }
}
