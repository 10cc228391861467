using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Receptionist.Core.Tenants;

namespace Receptionist.Telephony.Acs;

/// <summary>The names ACS calls carry on our side: call ids, callback tokens, operation contexts, the event ids the call
/// core remembers, and repeatability ids — each derived, so a redelivery or a retry yields the same one.</summary>
public static class AcsCalls
{
    public const string Channel = "acs";

    /// <summary>The voice mode of an ACS call: turn by turn, ACS recognising and playing.</summary>
    public const string Mode = "recognize";

    /// <summary>The voice mode of an ACS call whose audio streams through us (<c>voiceMode: "stream"</c>).</summary>
    public static readonly string StreamMode = VoiceModes.Name(VoiceMode.Stream);

    /// <summary>Where ACS opens a stream-mode call's media WebSocket.</summary>
    public const string MediaPath = "/acs/media";

    public const string CallbackPath = "/acs/callbacks";

    /// <summary>Our call id for ACS's serverCallId: a redelivered IncomingCall finds the same call.</summary>
    public static string CallId(string serverCallId) =>
        "acs-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(serverCallId)))[..32];

    /// <summary>The same id for the same request of the same call, so ACS recognises a resent request as one.
    /// <paramref name="request"/> names the operation and what it is for ("play t3:transfer"): two different requests
    /// must never share an id, or ACS answers the second with the first's response and does nothing.</summary>
    public static Guid Repeatability(string callId, string request)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(callId + "|" + request));
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50); // RFC 4122 layout (version 5, name-based), so it reads as a uuid
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }

    /// <summary>The key that signs callback tokens: <c>Acs:CallbackSecret</c>, else derived from the access key.</summary>
    public static byte[] CallbackKey(string? secret, string? accessKey) =>
        !string.IsNullOrEmpty(secret) ? SHA256.HashData(Encoding.UTF8.GetBytes(secret))
        : !string.IsNullOrEmpty(accessKey) ? HMACSHA256.HashData(Convert.FromBase64String(accessKey), "receptionist/acs-callback"u8)
        : throw new InvalidOperationException("No callback secret and no access key to derive one from");

    /// <summary>The secret in one call's callback URI; it binds the call to its tenant (the URI names the tenant so
    /// that, with storage down, the caller can still be put through to the business).</summary>
    public static string CallbackToken(byte[] key, string callId, string tenantId) =>
        Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(callId + "\n" + tenantId))).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static bool IsCallbackToken(byte[] key, string callId, string? tenantId, string? token) =>
        token is not null && tenantId is not null
        && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(CallbackToken(key, callId, tenantId)), Encoding.ASCII.GetBytes(token));

    /// <summary>Where ACS posts this call's events. Carries no personal data: an opaque call id, the tenant id, the token.</summary>
    public static string CallbackUri(string publicBase, string callId, string tenantId, byte[] key) =>
        $"{publicBase.TrimEnd('/')}{CallbackPath}/{Uri.EscapeDataString(callId)}?tenant={Uri.EscapeDataString(tenantId)}&token={CallbackToken(key, callId, tenantId)}";

    /// <summary>Where ACS opens this call's media WebSocket (<paramref name="webSocketBase"/>: the public base as
    /// <c>wss://</c>). It names the call and its tenant with the same per-call token as the callback URI.</summary>
    public static string MediaUri(string webSocketBase, string callId, string tenantId, byte[] key) =>
        $"{webSocketBase.TrimEnd('/')}{MediaPath}?call={Uri.EscapeDataString(callId)}&tenant={Uri.EscapeDataString(tenantId)}&token={CallbackToken(key, callId, tenantId)}";

    /// <summary>The operation context of the answer request.</summary>
    public const string AnswerContext = "answer";

    /// <summary>Event ids for the call core: one per thing that can happen once in a call or once per turn.</summary>
    public static class Events
    {
        public const string Incoming = "acs:incoming";
        public const string Connected = "acs:connected";
        public const string Disconnected = "acs:disconnected";

        /// <summary>The result of the recognize asked for at turn n.</summary>
        public static string Heard(int turn) => $"acs:t{turn.ToString(CultureInfo.InvariantCulture)}:heard";

        /// <summary>The outcome of the transfer asked for at turn n.</summary>
        public static string Transfer(int turn) => $"acs:t{turn.ToString(CultureInfo.InvariantCulture)}:transfer";
    }
}

/// <summary>What a request was for, carried as its <c>operationContext</c> and echoed in its result events:
/// <c>t{turn}</c> (listen), <c>t{turn}:hangup</c> or <c>t{turn}:transfer</c> (play, then that), or <c>trouble</c>
/// (we could not go on: after the apology, put the caller through to the business if it has a number, else hang up).</summary>
public readonly record struct AcsOperation(int Turn, string Purpose)
{
    public const string Listen = "listen";
    public const string Hangup = "hangup";
    public const string Transfer = "transfer";
    public const string Trouble = "trouble";

    public static AcsOperation InTrouble { get; } = new(0, Trouble);

    public override string ToString() => Purpose switch
    {
        Listen => $"t{Turn.ToString(CultureInfo.InvariantCulture)}",
        Trouble => Trouble,
        _ => $"t{Turn.ToString(CultureInfo.InvariantCulture)}:{Purpose}",
    };

    public static bool TryParse(string? context, out AcsOperation operation)
    {
        operation = default;
        if (context == Trouble)
        {
            operation = InTrouble;
            return true;
        }

        if (context is null || !context.StartsWith('t'))
        {
            return false;
        }

        var colon = context.IndexOf(':', StringComparison.Ordinal);
        var number = colon < 0 ? context[1..] : context[1..colon];
        var purpose = colon < 0 ? Listen : context[(colon + 1)..];
        if (!int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var turn) || purpose is not (Listen or Hangup or Transfer))
        {
            return false;
        }

        operation = new AcsOperation(turn, purpose);
        return true;
    }
}
