using System.Diagnostics;
using System.Net;
using System.Text;
using Receptionist.Core.Notifications;
using Receptionist.Telephony.Twilio;
using Receptionist.Telephony.Twilio.Simulation;

namespace Receptionist.Telephony.Tests.Twilio;

public sealed class TwilioSmsSenderTests : IAsyncLifetime
{
    private const string To = "+15557654321";
    private const string From = "+15550100001";
    private const string Body = "Bright Smiles: cleaning Tue 10:00 & it's confirmed — reply C=cancel+1 ü";

    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(15);

    private TwilioRestStandIn _server = null!;

    public async Task InitializeAsync() => _server = await TwilioRestStandIn.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private TwilioRestOptions Options(string? authToken = null) => new()
    {
        AccountSid = _server.AccountSid,
        AuthToken = authToken ?? _server.AuthToken,
        ApiBaseUrl = _server.ApiBaseUrl,
    };

    private static Task<SmsResult> SendAsync(TwilioSmsSender sender, CancellationToken cancellationToken = default) =>
        sender.SendAsync(new SmsMessage(To, From, Body), cancellationToken).WaitAsync(Bound, CancellationToken.None);

    [Fact]
    public async Task SendAsync_ToTheStandIn_PostsExactlyToFromBodyWithBasicAuth()
    {
        using var sender = new TwilioSmsSender(Options());

        await SendAsync(sender);

        var request = Assert.Single(_server.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal($"/2010-04-01/Accounts/{_server.AccountSid}/Messages.json", request.Path);
        Assert.StartsWith("application/x-www-form-urlencoded", request.ContentType, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(
            [new("Body", Body), new("From", From), new("To", To)],
            request.Form.OrderBy(p => p.Key, StringComparer.Ordinal).ToArray());
        Assert.Equal(_server.AccountSid, request.BasicUser);
        Assert.Equal(_server.AuthToken, request.BasicPassword);
    }

    [Fact]
    public async Task SendAsync_MessagingServiceConfigured_PostsTheServiceInsteadOfFrom()
    {
        const string service = "MG0123456789abcdef0123456789abcdef";
        var options = Options();
        options.MessagingServiceSid = service;
        using var sender = new TwilioSmsSender(options);

        var result = await SendAsync(sender);

        var request = Assert.Single(_server.Requests);
        Assert.Equal(
            [new("Body", Body), new("MessagingServiceSid", service), new("To", To)],
            request.Form.OrderBy(p => p.Key, StringComparer.Ordinal).ToArray());
        var accepted = Assert.Single(_server.Messages);
        Assert.Equal((result.ProviderId, service, string.Empty), (accepted.Sid, accepted.MessagingServiceSid, accepted.From));
    }

    [Fact]
    public async Task SendAsync_TwilioAccepts_ReturnsTheMessageSidAndQueuedStatus()
    {
        using var sender = new TwilioSmsSender(Options());

        var result = await SendAsync(sender);

        Assert.Equal(Assert.Single(_server.CreatedSids), result.ProviderId);
        Assert.Matches("^SM[0-9a-f]{32}$", result.ProviderId);
        Assert.Equal("queued", result.Status);
    }

    [Fact]
    public async Task SendAsync_WrongAuthToken_ThrowsSmsSendExceptionWith401AndNoToken()
    {
        const string WrongToken = "wrong-token-that-must-not-leak-42";
        using var sender = new TwilioSmsSender(Options(authToken: WrongToken));

        var e = await Assert.ThrowsAsync<SmsSendException>(() => SendAsync(sender));

        Assert.Equal(401, e.StatusCode);
        Assert.Equal(20003, e.ProviderErrorCode);
        Assert.Equal(WrongToken, Assert.Single(_server.Requests).BasicPassword);
        Assert.DoesNotContain(WrongToken, e.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(_server.AuthToken, e.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_TwilioAnswers400With21211_ThrowsSmsSendExceptionCarrying21211()
    {
        _server.FailNext(400, 21211, $"Invalid 'To' Phone Number: {To}");
        using var sender = new TwilioSmsSender(Options());

        var e = await Assert.ThrowsAsync<SmsSendException>(() => SendAsync(sender));

        Assert.Equal(400, e.StatusCode);
        Assert.Equal(21211, e.ProviderErrorCode);
        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task SendAsync_TwilioQuotesTheNumberInItsError_ExceptionShowsItOnlyMasked()
    {
        _server.FailNext(400, 21211, $"Invalid 'To' Phone Number: {To}");
        using var sender = new TwilioSmsSender(Options());

        var e = await Assert.ThrowsAsync<SmsSendException>(() => SendAsync(sender));

        Assert.DoesNotContain(To, e.ToString(), StringComparison.Ordinal);
        Assert.Contains("+1555***4321", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_ToNotANumber_StandInRefusesWith21211LikeTwilio()
    {
        using var sender = new TwilioSmsSender(Options());

        var e = await Assert.ThrowsAsync<SmsSendException>(
            () => sender.SendAsync(new SmsMessage("555-CALL-NOW", From, Body), CancellationToken.None).WaitAsync(Bound));

        Assert.Equal(400, e.StatusCode);
        Assert.Equal(21211, e.ProviderErrorCode);
    }

    [Fact]
    public async Task SendAsync_TwilioAnswers500_ThrowsSmsSendExceptionWith500()
    {
        _server.FailNext(500, 20500, "Internal Server Error");
        using var sender = new TwilioSmsSender(Options());

        var e = await Assert.ThrowsAsync<SmsSendException>(() => SendAsync(sender));

        Assert.Equal(500, e.StatusCode);
        Assert.Equal(20500, e.ProviderErrorCode);
    }

    [Fact]
    public async Task SendAsync_GatewayAnswers502WithHtml_ThrowsSmsSendExceptionWith502()
    {
        _server.FailNextWithRawBody(502, "<html><body><h1>502 Bad Gateway</h1></body></html>");
        using var sender = new TwilioSmsSender(Options());

        var e = await Assert.ThrowsAsync<SmsSendException>(() => SendAsync(sender));

        Assert.Equal(502, e.StatusCode);
        Assert.Null(e.ProviderErrorCode);
    }

    [Fact]
    public async Task SendAsync_NothingListens_ThrowsSmsSendExceptionWithoutStatus()
    {
        var options = Options();
        await _server.DisposeAsync(); // the port is closed now
        using var sender = new TwilioSmsSender(options);

        var e = await Assert.ThrowsAsync<SmsSendException>(() => SendAsync(sender));

        Assert.Null(e.StatusCode);
        Assert.Null(e.ProviderErrorCode);
    }

    [Fact]
    public async Task SendAsync_CancelledWhileTwilioHangs_ThrowsOperationCanceledPromptly()
    {
        _server.HangNext();
        using var sender = new TwilioSmsSender(Options());
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var watch = Stopwatch.StartNew();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => SendAsync(sender, cts.Token));

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"took {watch.Elapsed}");
        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task SendAsync_DefaultApiBaseUrl_AddressesTwilioUnchanged()
    {
        using var capture = new CapturingHandler();
        using var sender = new TwilioSmsSender(
            new TwilioRestOptions { AccountSid = _server.AccountSid, AuthToken = _server.AuthToken },
            capture);

        var result = await SendAsync(sender);

        Assert.Equal(
            $"https://api.twilio.com/2010-04-01/Accounts/{_server.AccountSid}/Messages.json",
            Assert.Single(capture.Urls).ToString());
        Assert.Equal("SM00000000000000000000000000000001", result.ProviderId);
    }

    [Fact]
    public async Task Dispose_WithSuppliedHandler_LeavesTheHandlerUsable()
    {
        using var capture = new CapturingHandler();
        var options = new TwilioRestOptions { AccountSid = _server.AccountSid, AuthToken = _server.AuthToken };
        new TwilioSmsSender(options, capture).Dispose();

        using var again = new TwilioSmsSender(options, capture);
        var result = await SendAsync(again);

        Assert.Equal("queued", result.Status);
    }

    [Fact]
    public void Constructor_NoAccountSid_ThrowsNamingTheSetting()
    {
        var e = Assert.Throws<ArgumentException>(() => new TwilioSmsSender(new TwilioRestOptions { AuthToken = "token-0123456789" }));

        Assert.Contains("Twilio:AccountSid", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_Defaults_HaveNoErrors()
    {
        Assert.Empty(TwilioRestOptions.Validate(new TwilioRestOptions()));
    }

    [Theory]
    [InlineData("http://127.0.0.1:5000")]
    [InlineData("http://localhost:5000")]
    [InlineData("http://[::1]:5000")]
    [InlineData("https://twilio-proxy.example:8443")]
    public void Validate_UsableApiBaseUrl_HasNoErrors(string apiBaseUrl)
    {
        Assert.Empty(TwilioRestOptions.Validate(new TwilioRestOptions { ApiBaseUrl = apiBaseUrl }));
    }

    [Theory]
    [InlineData("")]
    [InlineData("api.twilio.com")]
    [InlineData("/2010-04-01")]
    [InlineData("ftp://api.twilio.com")]
    [InlineData("http://api.twilio.com")]
    [InlineData("http://10.0.0.5:8080")]
    [InlineData("https://api.twilio.com/2010-04-01")]
    [InlineData("https://user:pass@api.twilio.com")]
    public void Validate_BadApiBaseUrl_NamesTheSetting(string apiBaseUrl)
    {
        var error = Assert.Single(TwilioRestOptions.Validate(new TwilioRestOptions { ApiBaseUrl = apiBaseUrl }));

        Assert.StartsWith("Twilio:ApiBaseUrl ", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("AC0123")]
    [InlineData("SM0123456789abcdef0123456789abcdef")]
    [InlineData("AC0123456789abcdef0123456789abcdeg")]
    [InlineData(" AC0123456789abcdef0123456789abcdef")]
    public void Validate_BadAccountSid_NamesTheSetting(string accountSid)
    {
        var error = Assert.Single(TwilioRestOptions.Validate(new TwilioRestOptions { AccountSid = accountSid, AuthToken = "token-0123456789" }));

        Assert.StartsWith("Twilio:AccountSid ", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("MG0123")]
    [InlineData("AC0123456789abcdef0123456789abcdef")]
    [InlineData("MG0123456789abcdef0123456789abcdeg")]
    public void Validate_BadMessagingServiceSid_NamesTheSetting(string service)
    {
        var error = Assert.Single(TwilioRestOptions.Validate(new TwilioRestOptions { MessagingServiceSid = service }));

        Assert.StartsWith("Twilio:MessagingServiceSid ", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ThroughDataAnnotations_ReportsTheSameErrors()
    {
        var options = new TwilioRestOptions { AccountSid = "AC0123", AuthToken = "token-0123456789", ApiBaseUrl = "http://10.0.0.5" };
        var results = new List<System.ComponentModel.DataAnnotations.ValidationResult>();

        var valid = System.ComponentModel.DataAnnotations.Validator.TryValidateObject(
            options, new System.ComponentModel.DataAnnotations.ValidationContext(options), results, validateAllProperties: true);

        Assert.False(valid);
        Assert.Equal(TwilioRestOptions.Validate(options), results.Select(r => r.ErrorMessage));
    }

    /// <summary>Answers every request like Twilio's 201 without any network, and remembers the URLs.</summary>
    private sealed class CapturingHandler : HttpMessageHandler
    {
        private readonly List<Uri> _urls = [];

        public IReadOnlyList<Uri> Urls => _urls;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            _urls.Add(request.RequestUri!);
            const string Json = """{"sid":"SM00000000000000000000000000000001","status":"queued","to":"+15557654321","from":"+15550100001","body":"x"}""";
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.Created)
            {
                Content = new StringContent(Json, Encoding.UTF8, "application/json"),
            });
        }
    }
}
