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
