using System.Buffers;
using System.Globalization;

namespace Receptionist.Telephony.Twilio;

/// <summary>The parameters of a Twilio voice webhook that the receptionist uses (docs/protocols.md §1.2, §2.2 Gather).
/// Parsing is strict where Twilio's format is fixed (SIDs, statuses, keys) and forgiving where the caller speaks: an
/// overlong <see cref="SpeechResult"/> is cut, never refused, so the call goes on.</summary>
public sealed record TwilioVoiceRequest(
    string CallSid,
    string To,
    string? From,
    string? CallStatus,
    string? SpeechResult,
    double? Confidence,
    string? Digits,
    string? DialCallStatus = null)
{
    /// <summary>The longest caller utterance kept; Twilio's speech recognition gathers at most 60 s.</summary>
    public const int MaxSpeechLength = 1000;

    /// <summary>The longest <c>To</c>, <c>From</c> or <c>Digits</c> accepted (E.164 is 16; <c>client:name</c> and SIP
    /// addresses are longer, but not this long).</summary>
    public const int MaxFieldLength = 64;

    /// <summary>Twilio's CallStatus values (docs/protocols.md §1.2).</summary>
    private static readonly HashSet<string> CallStatuses =
        ["queued", "initiated", "ringing", "in-progress", "completed", "busy", "failed", "no-answer", "canceled"];

    /// <summary>Twilio's DialCallStatus values (docs/protocols.md §2.4 Dial): the CallStatus values, and "answered".</summary>
    private static readonly HashSet<string> DialCallStatuses = [.. CallStatuses, "answered"];

    private static readonly SearchValues<char> HexDigits = SearchValues.Create("0123456789abcdefABCDEF");

    /// <summary>The keys a phone's keypad sends as DTMF.</summary>
    private static readonly SearchValues<char> Keys = SearchValues.Create("0123456789*#");

    /// <summary>The call's length in seconds, on a final status callback (absent or not a whole number: null).</summary>
    public int? CallDurationSeconds { get; init; }

    /// <summary>Whether a &lt;Dial&gt; reached a person: Twilio's DialCallStatus "completed" or "answered".</summary>
    public bool TransferConnected => DialCallStatus is "completed" or "answered";

    /// <summary>Reads Twilio's form. On failure <paramref name="error"/> names the offending field (never its value).</summary>
    public static bool TryParse(IReadOnlyDictionary<string, string> form, out TwilioVoiceRequest request, out string error)
    {
        request = null!;
        error = Check(form, out var confidence);
        if (error.Length > 0)
        {
            return false;
        }

        request = new TwilioVoiceRequest(form["CallSid"], form["To"], form.GetValueOrDefault("From"),
            NullIfBlank(form.GetValueOrDefault("CallStatus")), Speech(form.GetValueOrDefault("SpeechResult")), confidence,
            NullIfBlank(form.GetValueOrDefault("Digits")), NullIfBlank(form.GetValueOrDefault("DialCallStatus")))
        {
            CallDurationSeconds = int.TryParse(form.GetValueOrDefault("CallDuration"), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) ? seconds : null,
        };
        return true;
    }

    /// <summary>The first problem with the form, or empty; the confidence when there is one.</summary>
    private static string Check(IReadOnlyDictionary<string, string> form, out double? confidence)
    {
        confidence = null;
        if (!form.TryGetValue("CallSid", out var sid) || !IsSid(sid, "CA"))
        {
            return "CallSid is missing or malformed: expected 'CA' followed by 32 hexadecimal digits.";
        }

        if (form.TryGetValue("AccountSid", out var account) && account.Length > 0 && !IsSid(account, "AC"))
        {
            return "AccountSid is malformed: expected 'AC' followed by 32 hexadecimal digits.";
        }

        if (!form.TryGetValue("To", out var to) || string.IsNullOrWhiteSpace(to))
        {
            return "To is missing.";
        }

        if (AddressProblem("To", to) is { } toProblem)
        {
            return toProblem;
        }

        if (form.TryGetValue("From", out var from) && AddressProblem("From", from) is { } fromProblem)
        {
            return fromProblem;
        }

        if (NullIfBlank(form.GetValueOrDefault("CallStatus")) is { } status && !CallStatuses.Contains(status))
        {
            return "CallStatus is not one of Twilio's call statuses (queued, initiated, ringing, in-progress, completed, busy, failed, no-answer, canceled).";
        }

        if (NullIfBlank(form.GetValueOrDefault("DialCallStatus")) is { } dial && !DialCallStatuses.Contains(dial))
        {
            return "DialCallStatus is not one of Twilio's dial statuses (completed, answered, busy, no-answer, failed, canceled, queued, initiated, ringing, in-progress).";
        }

        if (NullIfBlank(form.GetValueOrDefault("Digits")) is { } digits && (digits.Length > MaxFieldLength || digits.AsSpan().ContainsAnyExcept(Keys)))
        {
            return $"Digits must be at most {MaxFieldLength} keypad keys (0-9, * and #).";
        }

        if (form.TryGetValue("Confidence", out var c) && !string.IsNullOrEmpty(c))
        {
            if (!double.TryParse(c, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) || !(parsed >= 0 && parsed <= 1))
            {
                return "Confidence is not a number between 0 and 1";
            }

            confidence = parsed;
        }

        return string.Empty;
    }

    /// <summary>Twilio's SIDs: a two-letter prefix and 32 hexadecimal digits, nothing before or after.</summary>
    private static bool IsSid(string value, string prefix) =>
        value.Length == 34 && value.StartsWith(prefix, StringComparison.Ordinal) && !value.AsSpan(2).ContainsAnyExcept(HexDigits);

    private static string? AddressProblem(string field, string value) =>
        value.Length > MaxFieldLength ? $"{field} is longer than {MaxFieldLength} characters."
        : value.Any(char.IsControl) ? $"{field} contains control characters."
        : null;

    /// <summary>What the caller said, at most <see cref="MaxSpeechLength"/> characters (a surrogate pair is never split),
    /// control characters as spaces; blank is null.</summary>
    private static string? Speech(string? speech)
    {
        if (string.IsNullOrWhiteSpace(speech))
        {
            return null;
        }

        if (speech.Length > MaxSpeechLength)
        {
            var length = char.IsHighSurrogate(speech[MaxSpeechLength - 1]) ? MaxSpeechLength - 1 : MaxSpeechLength;
            speech = speech[..length];
        }

        return speech.Any(char.IsControl) ? NullIfBlank(new string([.. speech.Select(c => char.IsControl(c) ? ' ' : c)])) : speech;
    }

    private static string? NullIfBlank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;
}
