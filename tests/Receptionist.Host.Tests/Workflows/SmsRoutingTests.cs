using Receptionist.Core.Conversation;
using Receptionist.Core.Notifications;
using Receptionist.Core.Storage;
using Receptionist.Host.Workflows;

namespace Receptionist.Host.Tests.Workflows;

/// <summary>Which provider a text goes through (docs/acs.md, "Text messages over ACS").</summary>
public sealed class SmsRoutingTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 23, 14, 0, 0, TimeSpan.Zero);
    private readonly Recording _twilio = new("twilio");
    private readonly Recording _acs = new("acs");
    private readonly Calls _calls = new();

    private static SmsMessage Text(string? callId) => new("+15557654321", "+15550100001", "Booked.") { CallId = callId };

    [Fact]
    public async Task SendAsync_BothAndTheCallCameOverAcs_GoesThroughAcs()
    {
        _calls.Add("acs-1", "acs");

        var result = await SmsRouting.For(_twilio, _acs, _calls).SendAsync(Text("acs-1"), CancellationToken.None);

        Assert.Equal("acs", result.ProviderId);
        Assert.Empty(_twilio.Sent);
    }

    [Fact]
    public async Task SendAsync_BothAndTheCallCameOverTwilio_GoesThroughTwilio()
    {
        _calls.Add("CA1", "twilio");

        await SmsRouting.For(_twilio, _acs, _calls).SendAsync(Text("CA1"), CancellationToken.None);

        Assert.Single(_twilio.Sent);
        Assert.Empty(_acs.Sent);
    }

    [Theory]
    [InlineData(null)] // a digest, a batch of owner alerts
    [InlineData("acs-not-stored")]
    public async Task SendAsync_BothAndNoCallOrAnUnknownOne_GoesThroughTwilio(string? callId)
    {
        await SmsRouting.For(_twilio, _acs, _calls).SendAsync(Text(callId), CancellationToken.None);

        Assert.Single(_twilio.Sent);
        Assert.Empty(_acs.Sent);
    }

    [Fact]
    public async Task SendAsync_BothAndStorageDown_ThrowsAndSendsNothing()
    {
        _calls.Failure = new IOException("storage is down");

        await Assert.ThrowsAsync<IOException>(() => SmsRouting.For(_twilio, _acs, _calls).SendAsync(Text("acs-1"), CancellationToken.None));

        Assert.Empty(_twilio.Sent);
        Assert.Empty(_acs.Sent);
    }

    [Fact]
    public async Task For_OnlyAcs_AcsForEveryTextWithoutLookingAnythingUp()
    {
        var sender = SmsRouting.For(null, _acs, _calls);
        _calls.Failure = new IOException("not read");

        await sender.SendAsync(Text(null), CancellationToken.None);
        await sender.SendAsync(Text("CA1"), CancellationToken.None);

        Assert.Same(_acs, sender);
        Assert.Equal(2, _acs.Sent.Count);
    }

    [Fact]
    public void For_OnlyTwilio_Twilio() => Assert.Same(_twilio, SmsRouting.For(_twilio, null, _calls));

    [Fact]
    public async Task For_Neither_EveryTextFailsForGoodSayingSo()
    {
        var ex = await Assert.ThrowsAsync<SmsSendException>(() => SmsRouting.For(null, null, _calls).SendAsync(Text("CA1"), CancellationToken.None));

        Assert.Equal(401, ex.StatusCode);
        Assert.Contains("No SMS provider is configured", ex.Message, StringComparison.Ordinal);
    }

    private sealed class Recording(string name) : ISmsSender
    {
        public List<SmsMessage> Sent { get; } = [];

        public Task<SmsResult> SendAsync(SmsMessage message, CancellationToken cancellationToken)
        {
            Sent.Add(message);
            return Task.FromResult(new SmsResult(name, "queued"));
        }
    }

    /// <summary>Only what routing reads: a call by id.</summary>
    private sealed class Calls : ICallStore
    {
        private readonly Dictionary<string, StoredCall> _calls = new(StringComparer.Ordinal);

        public Exception? Failure { get; set; }

        public void Add(string callId, string channel)
        {
            var session = new CallSession(callId, "bright-smiles", "+15557654321", "+15550100001", Start, ConversationState.Ended, BookingDraft.Empty);
            _calls[callId] = new StoredCall(new CallRecord(session, 1, [], 1, Start) { Channel = channel }, "etag");
        }

        public Task<StoredCall?> GetAsync(string callId, CancellationToken cancellationToken) =>
            Failure is { } failure ? Task.FromException<StoredCall?>(failure) : Task.FromResult(_calls.GetValueOrDefault(callId));

        public Task<bool> CreateAsync(CallRecord record, IReadOnlyList<CallTurn> history, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task SaveTurnAsync(CallRecord record, string etag, IReadOnlyList<CallTurn> history, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyList<CallTurn>> HistoryAsync(string callId, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyList<CallRecord>> ListByTenantAsync(string tenantId, int max, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<CallPage> PageByTenantAsync(string tenantId, DateTimeOffset? from, DateTimeOffset? to, int pageSize, string? continuation, CancellationToken cancellationToken) =>
            throw new NotSupportedException();
    }
}
