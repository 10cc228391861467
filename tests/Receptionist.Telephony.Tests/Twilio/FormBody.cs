namespace Receptionist.Telephony.Tests.Twilio;

/// <summary>Reads an application/x-www-form-urlencoded body as the fake servers receive it.</summary>
internal static class FormBody
{
    public static Dictionary<string, string> Parse(string body)
    {
        var form = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in body.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = pair.Split('=', 2);
            form.Add(Decode(parts[0]), parts.Length > 1 ? Decode(parts[1]) : string.Empty);
        }

        return form;
    }

    private static string Decode(string s) => Uri.UnescapeDataString(s.Replace('+', ' '));
}
