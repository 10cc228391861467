namespace Receptionist.Core.Notifications;

/// <summary>
/// How many segments a text is billed as. GSM-7 text: 160 characters in one segment, 153 per segment when split
/// (the rest carries the joining header); the GSM-7 extension characters (^ { } \ [ ] ~ | €) take two. Any character
/// outside GSM-7 (an em dash, most emoji, accented letters other than GSM's) makes the whole text UCS-2: 70 in one,
/// 67 per segment split, counted in UTF-16 code units (an emoji outside the BMP takes two).
/// </summary>
public static class SmsSegments
{
    private const string Basic =
        "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";

    private const string Extension = "^{}\\[]~|€\f";

    public static int Count(string body)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (body.Length == 0)
        {
            return 1;
        }

        var septets = 0;
        foreach (var c in body)
        {
            if (Basic.Contains(c, StringComparison.Ordinal))
            {
                septets++;
            }
            else if (Extension.Contains(c, StringComparison.Ordinal))
            {
                septets += 2;
            }
            else
            {
                return Segments(body.Length, single: 70, split: 67);
            }
        }

        return Segments(septets, single: 160, split: 153);
    }

    private static int Segments(int units, int single, int split) => units <= single ? 1 : (units + split - 1) / split;
}
