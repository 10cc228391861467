namespace Receptionist.Testing;

/// <summary>Tenants for tests, pinned here so content changes to the demo data cannot change test outcomes.</summary>
public static class TestTenants
{
    public const string DentistNumber = "+15550100001";
    public const string Caller = "+15557654321";

    /// <summary>Monday 23 November 2026, 08:00 in New York: the dentist opens at 09:00.</summary>
    public const string MondayMorning = "2026-11-23T08:00:00-05:00";

    public const string Dentist = """
        { "id": "bright-smiles", "name": "Bright Smiles Dental", "profession": "dentist",
          "phoneNumbers": ["+15550100001"], "timeZone": "America/New_York",
          "hours": { "mon": ["09:00-17:00"], "tue": ["09:00-12:00", "13:00-17:00"], "wed": ["09:00-17:00"], "thu": ["09:00-17:00"],
                     "fri": ["09:00-17:00"], "sat": [], "sun": [] },
          "closedDates": ["2026-12-25"],
          "services": [ { "name": "Cleaning", "minutes": 60, "priceMin": 90, "priceMax": 150 },
                        { "name": "Checkup", "minutes": 30, "priceMin": 60, "priceMax": 90 } ],
          "facts": { "address": "12 Main St", "parking": "Free lot behind the building" },
          "transferNumber": "+15550109999", "notifyNumber": "+15550109998",
          "subscription": "active", "language": "en-US", "voice": "en-US-JennyNeural" }
        """;

    public static string DentistWith(string replaceFrom, string replaceTo) => Dentist.Replace(replaceFrom, replaceTo, StringComparison.Ordinal);
}
