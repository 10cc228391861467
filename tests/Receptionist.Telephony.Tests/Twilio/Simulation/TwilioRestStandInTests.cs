using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Receptionist.Core.Notifications;
using Receptionist.Telephony.Twilio;
using Receptionist.Telephony.Twilio.Simulation;

namespace Receptionist.Telephony.Tests.Twilio.Simulation;

public sealed class TwilioRestStandInTests : IAsyncLifetime, IDisposable
{
    private const string To = "+15557654321";
    private const string From = "+15550100001";

    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(15);
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 14, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _time = new(Now);
    private readonly HttpClient _http = new() { Timeout = Bound };
    private TwilioRestStandIn _standIn = null!;

    public async Task InitializeAsync() => _standIn = await TwilioRestStandIn.StartAsync(timeProvider: _time);

    public async Task DisposeAsync() => await _standIn.DisposeAsync();

    public void Dispose() => _http.Dispose();

    private TwilioSmsSender Sender() => new(new TwilioRestOptions
    {
        AccountSid = _standIn.AccountSid,
        AuthToken = _standIn.AuthToken,
        ApiBaseUrl = _standIn.ApiBaseUrl,
    });

    private async Task<HttpResponseMessage> PostAsync(string password, params (string Key, string Value)[] form)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_standIn.BaseUrl, $"2010-04-01/Accounts/{_standIn.AccountSid}/Messages.json"))
        {
            Content = new FormUrlEncodedContent(form.Select(f => new KeyValuePair<string, string>(f.Key, f.Value))),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{_standIn.AccountSid}:{password}")));
        return await _http.SendAsync(request);
    }

    [Fact]
    public async Task Messages_TwoSmsAccepted_ListsBothInOrderWithSidRecipientSenderBodyAndTime()
    {
        using var sender = Sender();

        var first = await sender.SendAsync(new SmsMessage(To, From, "Bright Smiles: cleaning Tue 10:00 is confirmed."), CancellationToken.None).WaitAsync(Bound);
        _time.Advance(TimeSpan.FromMinutes(1));
        var second = await sender.SendAsync(new SmsMessage("+15557650000", From, "Reply C to cancel."), CancellationToken.None).WaitAsync(Bound);

        Assert.Equal(
            [
                new TwilioRestStandIn.ReceivedMessage(first.ProviderId, To, From, "Bright Smiles: cleaning Tue 10:00 is confirmed.", Now),
                new TwilioRestStandIn.ReceivedMessage(second.ProviderId, "+15557650000", From, "Reply C to cancel.", Now.AddMinutes(1)),
            ],
            _standIn.Messages);
        Assert.Equal([first.ProviderId, second.ProviderId], _standIn.CreatedSids);
    }

    [Fact]
    public async Task Post_WrongAuthToken_Answers401WithTwilioErrorAndListsNoMessage()
    {
        using var response = await PostAsync("wrong-token", ("To", To), ("From", From), ("Body", "hello"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(20003, (int)error["code"]!);
        Assert.Equal(401, (int)error["status"]!);
        Assert.Equal("https://www.twilio.com/docs/errors/20003", (string?)error["more_info"]);
        Assert.Empty(_standIn.Messages);
        Assert.Empty(_standIn.CreatedSids);
        Assert.Equal("wrong-token", Assert.Single(_standIn.Requests).BasicPassword);
    }

    [Fact]
    public async Task Post_NoBody_Answers400With21602AndListsNoMessage()
    {
        using var response = await PostAsync(_standIn.AuthToken, ("To", To), ("From", From));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(21602, (int)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["code"]!);
        Assert.Empty(_standIn.Messages);
    }

    [Fact]
    public async Task Post_BodyOver64KiB_Answers413AndListsNothing()
    {
        using var response = await PostAsync(_standIn.AuthToken, ("To", To), ("From", From), ("Body", new string('x', 70_000)));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Empty(_standIn.Messages);
        Assert.Empty(_standIn.Requests);
    }

    [Fact]
    public async Task MessageAccepted_SmsAccepted_FiresOnceWithTheMessageBeforeTheClientHasItsSid()
    {
        var seen = new List<TwilioRestStandIn.ReceivedMessage>();
        _standIn.MessageAccepted += m =>
        {
            lock (seen)
            {
                seen.Add(m);
            }
        };
        using var sender = Sender();

        var result = await sender.SendAsync(new SmsMessage(To, From, "See you Tuesday."), CancellationToken.None).WaitAsync(Bound);

        var message = Assert.Single(seen);
        Assert.Equal(result.ProviderId, message.Sid);
        Assert.Equal(To, message.To);
        Assert.Equal("See you Tuesday.", message.Body);
    }

    [Fact]
    public async Task MessageAccepted_WrongAuthToken_DoesNotFire()
    {
        var fired = 0;
        _standIn.MessageAccepted += _ => Interlocked.Increment(ref fired);

        using var response = await PostAsync("wrong-token", ("To", To), ("From", From), ("Body", "hello"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(0, Volatile.Read(ref fired));
    }

    [Fact]
    public async Task MessageAccepted_SubscriberThrows_MessageIsStillAccepted()
    {
        _standIn.MessageAccepted += _ => throw new InvalidOperationException("console gone");
        using var sender = Sender();

        var result = await sender.SendAsync(new SmsMessage(To, From, "Hello."), CancellationToken.None).WaitAsync(Bound);

        Assert.Equal("queued", result.Status);
        Assert.Equal(result.ProviderId, Assert.Single(_standIn.Messages).Sid);
    }

    [Fact]
    public async Task StartAsync_FixedPort_ListensOn127001AtThatPort()
    {
        var port = FreeLoopbackPort();

        await using var standIn = await TwilioRestStandIn.StartAsync(port);

        Assert.Equal(new Uri($"http://127.0.0.1:{port}/"), standIn.BaseUrl);
        Assert.Equal($"http://127.0.0.1:{port}", standIn.ApiBaseUrl);
        Assert.Empty(TwilioRestOptions.Validate(new TwilioRestOptions { ApiBaseUrl = standIn.ApiBaseUrl }));
    }

    [Fact]
    public async Task StartAsync_PortTaken_ThrowsIOException()
    {
        await Assert.ThrowsAnyAsync<IOException>(() => TwilioRestStandIn.StartAsync(_standIn.BaseUrl.Port));
    }

    private static int FreeLoopbackPort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
