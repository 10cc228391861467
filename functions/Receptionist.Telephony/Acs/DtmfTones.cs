namespace Receptionist.Telephony.Acs;

/// <summary>Call Automation's names for the keys of a phone pad (zero…nine, a…d, pound, asterisk), both ways: the app
/// reads the tones ACS recognised, the stand-in names the keys a simulated caller pressed.</summary>
public static class DtmfTones
{
    private static readonly Dictionary<char, string> Names = new()
    {
        ['0'] = "zero", ['1'] = "one", ['2'] = "two", ['3'] = "three", ['4'] = "four",
        ['5'] = "five", ['6'] = "six", ['7'] = "seven", ['8'] = "eight", ['9'] = "nine",
        ['a'] = "a", ['b'] = "b", ['c'] = "c", ['d'] = "d", ['#'] = "pound", ['*'] = "asterisk",
    };

    public static bool IsTone(string name) => Names.ContainsValue(name);

    /// <summary>The key a tone name stands for, or null for a name that is not a tone.</summary>
    public static char? KeyOf(string tone)
    {
        foreach (var (key, name) in Names)
        {
            if (string.Equals(name, tone, StringComparison.OrdinalIgnoreCase))
            {
                return key;
            }
        }

        return null;
    }

    /// <summary>The tones of the keys pressed; what is not on a pad is not a key and is skipped.</summary>
    public static IReadOnlyList<string> Of(string keys) =>
        [.. keys.Select(char.ToLowerInvariant).Where(Names.ContainsKey).Select(k => Names[k])];
}
