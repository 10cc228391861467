using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Time.Testing;
using Receptionist.Core.Notifications;
using Receptionist.Telephony.Acs;
using Receptionist.Telephony.Acs.Simulation;

namespace Receptionist.Telephony.Tests.Acs;

/// <summary>ISmsSender over ACS against the loopback stand-in: ACS's answers mapped onto the contract (4xx final with
/// their status, 429/5xx/no answer retryable), one text however often a notification is attempted, numbers masked.</summary>
public sealed class AcsSmsSenderTests : IAsyncLifetime
{
    private const string To = "+15557654321";
    private static readonly string Key = Convert.ToBase64String("an-acs-sms-access-key-for-tests!"u8.ToArray());
    private static readonly SmsMessage Text = new(To, "+15550100001", "Bright Smiles Dental: your Cleaning is booked.") { CallId = "acs-0123" };
    private AcsStandIn _acs = null!;

    public async Task InitializeAsync() =>
        _acs = await AcsStandIn.StartAsync(new AcsStandInOptions { AccessKey = Key, ResourceId = Guid.NewGuid().ToString() }, CancellationToken.None);

    public async Task DisposeAsync() => await _acs.DisposeAsync();

    private AcsSmsSender Sender(AcsSmsClientOptions? options = null, TimeProvider? clock = null, Uri? endpoint = null) =>
        new(new AcsSmsClient(new AcsConnectionString(endpoint ?? _acs.Endpoint, Key), null, options), clock ?? TimeProvider.System);

    private static AcsSmsClientOptions NoRetries(TimeSpan? networkTimeout = null)
    {
        var options = new AcsSmsClientOptions();
        options.Retry.MaxRetries = 0;
        options.Retry.NetworkTimeout = networkTimeout ?? TimeSpan.FromSeconds(100);
        return options;
    }

    [Fact]
    public async Task SendAsync_Accepted_MessageIdAndAccepted()
    {
        var result = await Sender().SendAsync(Text, CancellationToken.None);

        var text = Assert.Single(_acs.Texts);
        Assert.Equal((text.MessageId, AcsSmsSender.Accepted), (result.ProviderId, result.Status));
        Assert.Equal(AcsSmsSender.RepeatabilityId(Text).ToString(), text.RepeatabilityRequestId);
    }

    [Fact]
    public async Task SendAsync_SameTextAttemptedAgain_SameRepeatabilityIdAndOneText()
    {
        var first = await Sender().SendAsync(Text, CancellationToken.None);
        var retry = await Sender().SendAsync(Text with { }, CancellationToken.None); // another attempt, another sender instance

        Assert.Equal(first.ProviderId, retry.ProviderId);
        Assert.Single(_acs.Texts);
    }

    [Fact]
    public void RepeatabilityId_AnotherBodyRecipientOrCall_AnotherUuid()
    {
        var id = AcsSmsSender.RepeatabilityId(Text);

        Assert.Equal(id, AcsSmsSender.RepeatabilityId(Text with { }));
        Assert.NotEqual(id, AcsSmsSender.RepeatabilityId(Text with { Body = Text.Body + " " }));
        Assert.NotEqual(id, AcsSmsSender.RepeatabilityId(Text with { To = "+15557654322" }));
        Assert.NotEqual(id, AcsSmsSender.RepeatabilityId(Text with { CallId = null }));
        Assert.Equal(8, id.Version);
    }

    [Fact]
    public async Task SendAsync_InvalidNumber_SmsSendExceptionWithTheRecipientsStatusAndNumbersMasked()
    {
        _acs.FailNextSms(AcsSmsFailure.Recipient(400, $"Invalid To phone number {To}."));

        var ex = await Assert.ThrowsAsync<SmsSendException>(() => Sender().SendAsync(Text, CancellationToken.None));

        Assert.Equal((400, (int?)null), (ex.StatusCode, ex.ProviderErrorCode));
        Assert.DoesNotContain(To, ex.ToString(), StringComparison.Ordinal);
        Assert.Contains("+1555***4321", ex.Message, StringComparison.Ordinal);
        Assert.Empty(_acs.Texts);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(503)]
    [InlineData(429)]
    public async Task SendAsync_RetryableHttpError_SmsSendExceptionWithItsStatus(int status)
    {
        _acs.FailNextSms(AcsSmsFailure.Http(status));

        var ex = await Assert.ThrowsAsync<SmsSendException>(() => Sender(NoRetries()).SendAsync(Text, CancellationToken.None));

        Assert.Equal(status, ex.StatusCode);
        Assert.Empty(_acs.Texts);
    }

    [Fact]
    public async Task SendAsync_ServerErrorEveryTry_SmsSendExceptionWith500AfterThePipelinesRetries()
    {
        for (var i = 0; i < 3; i++)
        {
            _acs.FailNextSms(AcsSmsFailure.Http(500));
        }

        var ex = await Assert.ThrowsAsync<SmsSendException>(() => Sender().SendAsync(Text, CancellationToken.None));

        Assert.Equal(500, ex.StatusCode);
        Assert.Equal(3, _acs.Requests.Count);
    }

    [Fact]
    public async Task SendAsync_Unauthorized_SmsSendExceptionWith401()
    {
        _acs.FailNextSms(AcsSmsFailure.Http(401, "Denied"));

        var ex = await Assert.ThrowsAsync<SmsSendException>(() => Sender().SendAsync(Text, CancellationToken.None));

        Assert.Equal(401, ex.StatusCode);
    }

    [Fact]
    public async Task SendAsync_NoAnswerWithinMaxSendTime_SmsSendExceptionWithoutStatus()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        _acs.FailNextSms(AcsSmsFailure.NoAnswer());

        var sending = Sender(NoRetries(), clock).SendAsync(Text, CancellationToken.None);
        await Task.Delay(300); // the request is at the stand-in, which does not answer
        clock.Advance(ISmsSender.MaxSendTime);
        var ex = await Assert.ThrowsAsync<SmsSendException>(() => sending.WaitAsync(TimeSpan.FromSeconds(10)));

        Assert.Null(ex.StatusCode);
        Assert.Contains("did not answer", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_NetworkTimeout_SmsSendExceptionWithoutStatus()
    {
        _acs.FailNextSms(AcsSmsFailure.NoAnswer());

        var ex = await Assert.ThrowsAsync<SmsSendException>(() => Sender(NoRetries(TimeSpan.FromMilliseconds(500))).SendAsync(Text, CancellationToken.None));

        Assert.Null(ex.StatusCode);
    }

    [Fact]
    public async Task SendAsync_NobodyListening_SmsSendExceptionWithoutStatus()
    {
        var closed = ClosedPort();

        var ex = await Assert.ThrowsAsync<SmsSendException>(() => Sender(NoRetries(), endpoint: new Uri($"http://127.0.0.1:{closed}/")).SendAsync(Text, CancellationToken.None));

        Assert.Null(ex.StatusCode);
        Assert.DoesNotContain(To, ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_CallerCancels_OperationCanceled()
    {
        _acs.FailNextSms(AcsSmsFailure.NoAnswer());
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Sender(NoRetries()).SendAsync(Text, cts.Token));
    }

    private static int ClosedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
