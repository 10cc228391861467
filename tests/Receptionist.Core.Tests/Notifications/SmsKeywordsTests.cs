using Receptionist.Core.Notifications;

namespace Receptionist.Core.Tests.Notifications;

public sealed class SmsKeywordsTests
{
    [Theory]
    [InlineData("STOP", true)]
    [InlineData(" stop ", true)]
    [InlineData("Unsubscribe", true)]
    [InlineData("STOPALL", true)]
    [InlineData("quit", true)]
    [InlineData("START", false)]
    [InlineData("unstop", false)]
    [InlineData("yes", false)]
    [InlineData("Stop texting me", null)]
    [InlineData("See you tomorrow", null)]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void OptsOut_OnlyAMessageThatIsTheKeyword(string? body, bool? expected) => Assert.Equal(expected, SmsKeywords.OptsOut(body));

    [Theory]
    [InlineData("ARRET", "STOP", true)] // Advanced Opt-Out: a custom keyword Twilio classified for us
    [InlineData("stop", "HELP", null)]
    [InlineData("Go", "START", false)]
    public void OptsOut_TwiliosOptOutTypeWins(string body, string optOutType, bool? expected) => Assert.Equal(expected, SmsKeywords.OptsOut(body, optOutType));
}
