using System.Globalization;
using System.Text.RegularExpressions;

namespace Receptionist.Telephony.Twilio;

/// <summary>The parameters of a Twilio voice webhook that the receptionist uses (protocols.md §1.1, §1.4 Gather).</summary>
public sealed partial record TwilioVoiceRequest(
    string CallSid,
    string To,
    string? From,
    string? CallStatus,
    string? SpeechResult,
    double? Confidence,
    string? Digits,
    string? DialCallStatus = null)
{
    [GeneratedRegex("^[A-Za-z0-9]{2,64}$")]
    private static partial Regex SidPattern();

    /// <summary>Whether a &lt;Dial&gt; reached a person: Twilio's DialCallStatus "completed" or "answered".</summary>
    public bool TransferConnected => DialCallStatus is "completed" or "answered";

    public static bool TryParse(IReadOnlyDictionary<string, string> form, out TwilioVoiceRequest request, out string error)
    {
        request = null!;
        if (!form.TryGetValue("CallSid", out var sid) || !SidPattern().IsMatch(sid))
        {
            error = "CallSid is missing or malformed";
            return false;
        }

        if (!form.TryGetValue("To", out var to) || string.IsNullOrWhiteSpace(to))
        {
            error = "To is missing";
            return false;
        }

        double? confidence = null;
        if (form.TryGetValue("Confidence", out var c) && !string.IsNullOrEmpty(c))
        {
            if (!double.TryParse(c, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) || !(parsed >= 0 && parsed <= 1))
            {
                error = "Confidence is not a number between 0 and 1";
                return false;
            }

            confidence = parsed;
        }

        request = new TwilioVoiceRequest(sid, to, form.GetValueOrDefault("From"), form.GetValueOrDefault("CallStatus"),
            NullIfEmpty(form.GetValueOrDefault("SpeechResult")), confidence, NullIfEmpty(form.GetValueOrDefault("Digits")),
            NullIfEmpty(form.GetValueOrDefault("DialCallStatus")));
        error = string.Empty;
        return true;
    }

    private static string? NullIfEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;
}
