using Receptionist.Core.Tests.Conversation;
using Receptionist.Core.Understanding;
using Receptionist.Meaning;

namespace Receptionist.Core.Tests.Understanding;

/// <summary>An utterance read as the app reads it: a demo tenant of the profession, the rules and sentence meaning,
/// on Monday 23 November 2026.</summary>
internal static class DemoReading
{
    public static readonly DateOnly Monday = new(2026, 11, 23);

    public static Understood Understand(string profession, string said, Expecting expecting = Expecting.Anything)
    {
        var ctx = DemoTenants.ForProfession(profession);
        var reading = new UnderstandingContext(expecting, ctx.Services, Monday, ctx.Topics, ctx.Profession.Emergency.Keywords, ctx.Profession.Emergency.Concepts);
        return RuleUnderstanding.Understand(said, reading, Lexicon.English, MiniLmSentenceEncoder.Shared);
    }
}
