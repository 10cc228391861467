using System.Globalization;

namespace Receptionist.Telephony.Twilio;

/// <summary>The ids the Twilio channel gives its events, in one place so they never collide: the call core answers an
/// id it has seen from storage and runs nothing again.</summary>
public static class TwilioEventIds
{
    public const string Start = "start";

    /// <summary>A &lt;Gather&gt; callback; <paramref name="turn"/> is the number we put in its action URL.</summary>
    public static string Gather(int turn) => "gather:" + turn.ToString(CultureInfo.InvariantCulture);

    /// <summary>A &lt;Dial action&gt; callback.</summary>
    public static string Dial(int turn) => "dial:" + turn.ToString(CultureInfo.InvariantCulture);

    /// <summary>The n-th message handled on one ConversationRelay session.</summary>
    public static string Relay(string sessionId, int n) => $"relay:{sessionId}:{n.ToString(CultureInfo.InvariantCulture)}";

    public static string RelayClosed(string sessionId) => $"relay:{sessionId}:closed";

    public static string RelayEnded(string? sessionId) => $"relay-ended:{sessionId}";

    /// <summary>The n-th caller event handled on one Media Streams stream.</summary>
    public static string Stream(string streamSid, int n) => $"stream:{streamSid}:{n.ToString(CultureInfo.InvariantCulture)}";

    public static string StreamClosed(string streamSid) => $"stream:{streamSid}:closed";

    public static string Status(string callStatus) => "status:" + callStatus;
}

/// <summary>http(s) and ws(s) spellings of the same public URL.</summary>
public static class WebSocketUrls
{
    /// <summary><c>https</c> → <c>wss</c>, <c>http</c> → <c>ws</c>; other URLs unchanged.</summary>
    public static string FromHttp(string url) =>
        url.StartsWith("https://", StringComparison.OrdinalIgnoreCase) ? "wss://" + url[8..]
        : url.StartsWith("http://", StringComparison.OrdinalIgnoreCase) ? "ws://" + url[7..]
        : url;

    /// <summary><c>wss</c> → <c>https</c>, <c>ws</c> → <c>http</c>; other URLs unchanged.</summary>
    public static string ToHttp(string url) =>
        url.StartsWith("wss://", StringComparison.OrdinalIgnoreCase) ? "https://" + url[6..]
        : url.StartsWith("ws://", StringComparison.OrdinalIgnoreCase) ? "http://" + url[5..]
        : url;
}
