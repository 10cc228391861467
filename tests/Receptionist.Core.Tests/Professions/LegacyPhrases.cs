using Receptionist.Core.Conversation;
using Receptionist.Core.Professions;
using Receptionist.Core.Tenants;
using Receptionist.Core.Tests.Professions;
using Receptionist.Core.Understanding;

// In the tests' root namespace on purpose: for engine tests written when these sentences were constants in code, this
// SystemPhrases is found before Receptionist.Core.Conversation.SystemPhrases (which now holds only the channels' few
// phrases), and says what those tests expect — the shipped dentist's prompts, which TestProfession uses.
// New tests read the prompts (ctx.Prompts.X, TestProfession.Shipped) instead; remove this when no test uses it.
namespace Receptionist.Core.Tests;

/// <summary>The sentences that were Receptionist.Core.Conversation.SystemPhrases, now the shipped dentist's prompts.</summary>
internal static class SystemPhrases
{
    public static string HowCanIHelp => Said("howCanIHelp");

    public static string LineUnavailable => Said("lineUnavailable");

    public static string LineUnavailableTransfer => Said("lineUnavailableTransfer");

    public static string NothingBooked => Said("nothingBooked");

    public static string LeftAsIs => Said("leftAsIs");

    public static string AlreadyGone => Said("alreadyGone");

    public static string MessageAgain => Said("messageAgain");

    public static string ShallITakeAMessage => Said("offerMessage");

    public static string OfferUrgentMessage => Said("offerUrgentMessage");

    public static string NoOneToTransferTo => Said("noOneToTransferTo");

    public static string MarkedUrgent => Said("markedUrgent");

    public static string UnnamedCaller => Said("unnamedCaller");

    public static string LetMeTakeAMessage => Said("letMeTakeAMessage");

    public static string DigitsDontMatch => Said("digitsDontMatch");

    public static string BeyondHorizon(int days, string lastDate) => Said("beyondHorizon", ("days", $"{days}"), ("lastDate", lastDate));

    /// <param name="service">With its article, as the old constant took it: "A cleaning".</param>
    public static string WontFit(string service, string duration, string time, string options) =>
        Said("wontFit", ("service", service[(service.IndexOf(' ', StringComparison.Ordinal) + 1)..]), ("duration", duration), ("time", time), ("options", Several(options)));

    public static string NoneOn(string date) => Said("noneOn", ("date", date));

    public static string OpeningsOn(string date, string times) => Said("openingsOn", ("date", date), ("options", Several(times)));

    public static string? ExampleFor(Expecting expecting) => TestProfession.Dentist().Prompts.ExampleFor(expecting);

    private static Phrase Several(string list) => new(list, list.Contains(" or ", StringComparison.Ordinal));

    private static string Said(string prompt, params (string Key, Phrase Value)[] values) =>
        PromptText.Fill(TestProfession.Shipped[prompt], values.ToDictionary(v => v.Key, v => v.Value, StringComparer.Ordinal));
}

/// <summary>FrontDesk.WeeklyHours(tenant), as tests written before the hours were worded by prompts call it: the
/// shipped dentist's wording.</summary>
internal static class FrontDeskWithShippedWording
{
    extension(FrontDesk)
    {
        public static string WeeklyHours(Tenant tenant) => FrontDesk.WeeklyHours(tenant, TestProfession.Dentist().Prompts);
    }
}
