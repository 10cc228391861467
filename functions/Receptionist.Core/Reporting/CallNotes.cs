using System.Globalization;
using System.Text.RegularExpressions;

namespace Receptionist.Core.Reporting;

/// <summary>
/// The call history's lines for side effects ("system" speaker): written by the call core, read back by the call's
/// summary. One place for their wording, so writing and reading them cannot drift apart.
/// </summary>
public static partial class CallNotes
{
    /// <summary>A caller's words as the recogniser heard them; "question" when the understanding took them for one.</summary>
    public const string SpeechKind = "speech";
    public const string QuestionKind = "question";

    public static bool IsSpeech(string kind) => kind is SpeechKind or QuestionKind;

    /// <summary>A streamed turn's times (<see cref="Conversation.TurnTimed.Line"/>).</summary>
    public const string LatencyKind = "latency";

    public const string BookedKind = "booked";
    public const string MovedKind = "rescheduled";
    public const string CancelledKind = "cancelled";
    public const string MessageKind = "message";
    public const string TransferFailedKind = "transfer-failed";
    public const string TransferConnectedKind = "transfer-connected";

    public static string Booked(string appointmentId, string service, DateTimeOffset start) =>
        $"Booked {appointmentId}: {service} at {start.ToString("O", CultureInfo.InvariantCulture)}";

    public static string Moved(string fromId, string toId, string service, DateTimeOffset start) =>
        $"Moved {fromId} to {toId}: {service} at {start.ToString("O", CultureInfo.InvariantCulture)}";

    public static string Cancelled(string appointmentId, bool done) => $"Cancel {appointmentId}: {(done ? "done" : "not booked")}";

    public static string Message(string messageId, bool urgent) => $"Message {messageId} stored{(urgent ? " (urgent)" : string.Empty)}";

    /// <summary>The appointment, service and start a booked or moved line names (a moved line written before it named
    /// the service has none).</summary>
    public static bool TryReadAppointment(string kind, string text, out string id, out string? service, out DateTimeOffset start)
    {
        var m = kind == BookedKind ? BookedPattern().Match(text) : kind == MovedKind ? MovedPattern().Match(text) : Match.Empty;
        id = m.Success ? m.Groups["id"].Value : string.Empty;
        service = m.Success && m.Groups["service"].Success ? m.Groups["service"].Value : null;
        start = m.Success && DateTimeOffset.TryParse(m.Groups["start"].Value, CultureInfo.InvariantCulture, DateTimeStyles.None, out var s) ? s : default;
        return m.Success && start != default;
    }

    /// <summary>The message id a message line names.</summary>
    public static string? ReadMessageId(string text) => MessagePattern().Match(text) is { Success: true } m ? m.Groups["id"].Value : null;

    [GeneratedRegex(@"^Booked (?<id>\S+): (?<service>.+) at (?<start>\S+)$")]
    private static partial Regex BookedPattern();

    [GeneratedRegex(@"^Moved \S+ to (?<id>\S+)(?:: (?<service>.+))? at (?<start>\S+)$")]
    private static partial Regex MovedPattern();

    [GeneratedRegex(@"^Message (?<id>\S+) stored")]
    private static partial Regex MessagePattern();
}
