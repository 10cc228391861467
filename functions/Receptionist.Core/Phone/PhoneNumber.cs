using PhoneNumbers;

namespace Receptionist.Core.Phone;

/// <summary>E.164 normalisation and log-safe masking of phone numbers.</summary>
public static class PhoneNumber
{
    private static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();

    /// <summary>
    /// Normalises a number as a caller, Twilio or an owner writes it to E.164. Numbers without a country code are read
    /// in <paramref name="defaultRegion"/>. Fictional 555 numbers are accepted (possible, not necessarily assigned).
    /// </summary>
    public static bool TryNormalize(string? raw, out string e164, string defaultRegion = "US")
    {
        e164 = string.Empty;
        if (string.IsNullOrWhiteSpace(raw))
        {
            return false;
        }

        try
        {
            var parsed = Util.Parse(raw.Trim(), defaultRegion);
            if (!Util.IsPossibleNumber(parsed))
            {
                return false;
            }

            e164 = Util.Format(parsed, PhoneNumberFormat.E164);
            return true;
        }
        catch (NumberParseException)
        {
            return false;
        }
    }

    /// <summary>
    /// Whether a text message to <paramref name="e164"/> can arrive: false for numbers whose kind never takes SMS
    /// (a landline where the numbering plan tells landlines apart, toll-free, premium-rate, shared-cost, pager,
    /// voicemail). North American numbers cannot be told apart (fixed line or mobile) and so may; so may numbers of
    /// unknown kind (the fictional 555 range) — the provider then has the last word.
    /// </summary>
    public static bool CanTakeSms(string? e164)
    {
        if (!TryNormalize(e164, out var normalized))
        {
            return false;
        }

        var type = Util.GetNumberType(Util.Parse(normalized, null));
        return type is not (PhoneNumberType.FIXED_LINE or PhoneNumberType.TOLL_FREE or PhoneNumberType.PREMIUM_RATE
            or PhoneNumberType.SHARED_COST or PhoneNumberType.PAGER or PhoneNumberType.VOICEMAIL or PhoneNumberType.UAN);
    }

    /// <summary>Twilio sends "anonymous", "unknown", "restricted" or nothing when the caller withholds their number.</summary>
    public static string? CallerIdOrNull(string? from) => TryNormalize(from, out var e164) ? e164 : null;

    /// <summary>Masks the middle of a number for logs: +15557654321 → +1555***4321.</summary>
    public static string Mask(string? number)
    {
        if (string.IsNullOrEmpty(number))
        {
            return "(none)";
        }

        if (number.Length <= 8)
        {
            return new string('*', number.Length);
        }

        // Keep what identifies the region (country + area code) only when enough digits stay hidden: at least three.
        var head = number.Length >= 12 ? 5 : number.Length >= 10 ? 3 : 0;
        var tail = number.Length >= 10 ? 4 : 2;
        return string.Concat(number.AsSpan(0, head), "***", number.AsSpan(number.Length - tail));
    }

    /// <summary>Every E.164 number inside <paramref name="text"/> masked (for a console line that shows a text message).</summary>
    public static string MaskIn(string text) =>
        System.Text.RegularExpressions.Regex.Replace(text, @"\+\d{8,15}", m => Mask(m.Value), System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromSeconds(1));

    /// <summary>Reads a number digit by digit for text-to-speech: "+15551234567" → "five five five, one two three, four five six seven".</summary>
    public static string SpeakDigits(string e164)
    {
        var national = e164.StartsWith("+1", StringComparison.Ordinal) && e164.Length == 12 ? e164[2..] : e164.TrimStart('+');
        var groups = national.Length == 10
            ? new[] { national[..3], national[3..6], national[6..] }
            : new[] { national };
        return string.Join(", ", groups.Select(g => string.Join(' ', g.Select(DigitWord))));
    }

    private static string DigitWord(char c) => c switch
    {
        '0' => "zero", '1' => "one", '2' => "two", '3' => "three", '4' => "four",
        '5' => "five", '6' => "six", '7' => "seven", '8' => "eight", '9' => "nine",
        _ => c.ToString(),
    };
}
