using System.Text.Json.Nodes;
using Receptionist.Core.Conversation;
using Receptionist.Core.Tests.Professions;
using Receptionist.Core.Tenants;
using Receptionist.Core.Tests.Tenants;
using Receptionist.Core.Understanding;

namespace Receptionist.Core.Tests.Conversation;

/// <summary>Regressions found on live simulated calls: a message must never be lost to the flow. Turns are meanings
/// (<see cref="HeardBuilders"/>); a name read through the rules is in <see cref="EngineWithRulesTests"/>.</summary>
public sealed class MessageFlowRegressionTests
{
    /// <summary>Monday 23 November 2026, 06:00 in New York: before opening, so nobody can be put through.</summary>
    private static readonly DateTimeOffset Closed = DateTimeOffset.Parse("2026-11-23T06:00:00-05:00");

    private static readonly Tenant Business = TenantJson.Tenant();

    [Fact]
    public void Heard_EmergencyWordsInsideTheMessage_TakenAsAnUrgentMessageNotRestarted()
    {
        var (s, ctx) = Start();
        s = Hear(s, ctx, Heard.Message()).Session;
        s = Hear(s, ctx, Heard.Name("Jo Park")).Session;

        var d = Hear(s, ctx, Heard.Emergency.Saying("my tooth got knocked out playing hockey, please call me"));

        Assert.Equal(ConversationState.ConfirmMessage, d.Session.State);
        Assert.True(d.Session.Message.Urgent);
        Assert.Equal("my tooth got knocked out playing hockey, please call me", d.Session.Message.Text);
    }

    [Fact]
    public void Heard_EmergencyWhileClosed_AsksWhoItIsFromOnce()
    {
        var (s, ctx) = Start();

        var d = Hear(s, ctx, Heard.Emergency);

        Assert.Equal(ConversationState.MessageName, d.Session.State);
        Assert.True(d.Session.Message.Urgent);
        Assert.Equal(["urgent, who is calling?"], d.Actions.OfType<Say>().Select(x => x.Text));
    }

    [Fact]
    public void Heard_NameNotUnderstoodTwice_GoesOnWithoutItAndStillTakesTheMessage()
    {
        var (s, ctx) = Start();
        s = Hear(s, ctx, Heard.Message()).Session;
        s = Hear(s, ctx, Heard.Nothing).Session;

        var d = Hear(s, ctx, Heard.Nothing);
        d = Hear(d.Session, ctx, Heard.Words("please call me about my bill"));
        d = Hear(d.Session, ctx, Heard.Yes);

        var saved = Assert.Single(d.Actions.OfType<SaveMessage>());
        Assert.Equal("please call me about my bill", saved.Message.Text);
        Assert.Equal(SystemPhrases.UnnamedCaller, saved.Message.Name);
    }

    [Fact]
    public void Heard_SpeechWithNoWordsWhileTheMessageIsTakenDown_AskedAgainNotTakenAsAnEmptyMessage()
    {
        var (s, ctx) = Start();
        s = Hear(s, ctx, Heard.Message()).Session;
        s = Hear(s, ctx, Heard.Name("Jo Park")).Session;
        Assert.Equal(ConversationState.MessageBody, s.State);

        var d = Hear(s, ctx, Heard.Words(""));

        Assert.Equal(ConversationState.MessageBody, d.Session.State);
        Assert.Null(d.Session.Message.Text);
        Assert.Equal(1, d.Session.Misses);
        d = Hear(d.Session, ctx, Heard.Words("please call me about my bill"));
        Assert.Equal("please call me about my bill", d.Session.Message.Text);
    }

    [Theory]
    [InlineData("Yes, that's right.")]
    [InlineData("yes")]
    [InlineData("Yes, please send it.")]
    public void Heard_AcknowledgementForTheMessageAfterDescribingTheEmergency_TheTroubleIsReadBackAndSaved(string acknowledgement)
    {
        var (s, ctx) = Start();
        s = Say(s, ctx, "my son's tooth got knocked out at hockey and it's in a cup of milk").Session;
        s = Say(s, ctx, "Liam O'Brien").Session;
        Assert.Equal(ConversationState.MessageBody, s.State);

        var d = Say(s, ctx, acknowledgement);

        Assert.Equal(ConversationState.ConfirmMessage, d.Session.State);
        Assert.Contains("my son's tooth got knocked out at hockey and it's in a cup of milk", string.Join(" ", d.Actions.OfType<Say>().Select(a => a.Text)), StringComparison.Ordinal);
        var saved = Assert.Single(Say(d.Session, ctx, "yes").Actions.OfType<SaveMessage>());
        Assert.Equal(("my son's tooth got knocked out at hockey and it's in a cup of milk", true), (saved.Message.Text, saved.Message.Urgent));
    }

    [Fact]
    public void Heard_MessageDictatedAfterDescribingTheEmergency_TheDictatedWordsAreTheMessage()
    {
        var (s, ctx) = Start();
        s = Say(s, ctx, "my son's tooth got knocked out at hockey").Session;
        s = Say(s, ctx, "Liam O'Brien").Session;

        var d = Say(s, ctx, "please call me back at home, we're heading to the car now");

        Assert.Equal("please call me back at home, we're heading to the car now", d.Session.Message.Text);
    }

    [Fact]
    public void Heard_SecondMessage_DoesNotReuseTheFirstTrouble()
    {
        var (s, ctx) = Start();
        s = Say(s, ctx, "my son's tooth got knocked out at hockey").Session;
        s = Say(s, ctx, "Liam O'Brien").Session;
        s = Say(s, ctx, "yes").Session;
        s = Say(s, ctx, "yes").Session; // saved

        Assert.Null(s.Concern);
    }

    [Fact]
    public void Heard_ThisNumberWhenAskedForTheMessage_NotTheMessageAskedAgain()
    {
        var (s, ctx) = Start();
        s = Hear(s, ctx, Heard.Message()).Session;
        s = Hear(s, ctx, Heard.Name("Jo Park")).Session;
        Assert.Equal(ConversationState.MessageBody, s.State);

        var d = Hear(s, ctx, Heard.Of(new Understood(Intent.None, Answer.Yes) { ThisNumber = true }, "Yes, you can reach me at this number."));

        Assert.Equal(ConversationState.MessageBody, d.Session.State);
        Assert.Null(d.Session.Message.Text);
        d = Hear(d.Session, ctx, Heard.Words("please call me about my bill"));
        d = Hear(d.Session, ctx, Heard.Yes);
        var saved = Assert.Single(d.Actions.OfType<SaveMessage>());
        Assert.Equal("please call me about my bill", saved.Message.Text);
        Assert.Equal("+15557654321", saved.Message.Phone);
    }

    [Fact]
    public void Heard_ThisNumberWhenAskedWhoItIsFrom_NotTheMessageNameAskedAgain()
    {
        var (s, ctx) = Start();
        s = Hear(s, ctx, Heard.Message()).Session;

        var d = Hear(s, ctx, Heard.Of(new Understood(Intent.None) { ThisNumber = true }, "Yes, you can reach me at this number."));

        Assert.Equal(ConversationState.MessageName, d.Session.State);
        Assert.Null(d.Session.Message.Text);
    }

    [Fact]
    public void Heard_AnotherNumberAtTheMessagesReadBack_NumberChangedMessageKeptAndReadBackAgain()
    {
        var (s, ctx) = Start();
        s = Hear(s, ctx, Heard.Message()).Session;
        s = Hear(s, ctx, Heard.Name("Jo Park")).Session;
        s = Hear(s, ctx, Heard.Words("please call me about my bill")).Session;
        Assert.Equal(ConversationState.ConfirmMessage, s.State);

        var d = Hear(s, ctx, Heard.Phone("+15558675309", "5558675309").Saying("Actually, call me on my work line instead: 555 867 5309."));

        Assert.Equal(ConversationState.ConfirmMessage, d.Session.State);
        Assert.Equal("please call me about my bill", d.Session.Message.Text);
        d = Hear(d.Session, ctx, Heard.Yes);
        var saved = Assert.Single(d.Actions.OfType<SaveMessage>());
        Assert.Equal("+15558675309", saved.Message.Phone);
        Assert.Equal("please call me about my bill", saved.Message.Text);
    }

    [Fact]
    public void WeeklyHours_FiveDaysInARow_SaidAsARange()
    {
        var tenant = TenantJson.Tenant(t => t["hours"] = JsonNode.Parse("""{ "mon": ["07:00-18:00"], "tue": ["07:00-18:00"], "wed": ["07:00-18:00"], "thu": ["07:00-18:00"], "fri": ["07:00-18:00"], "sat": ["08:00-12:00"], "sun": [] }"""));

        Assert.Equal("We're open Monday to Friday 7 am to 6 pm; Saturday 8 am to noon; closed Sunday.", FrontDesk.WeeklyHours(tenant));
    }

    internal static (CallSession Session, TurnContext Ctx) Start()
    {
        var ctx = new TurnContext(Business, TestProfession.Dentist(new Dictionary<string, string> { ["urgentMessage"] = "urgent, who is calling?" }, ["knocked out"]), Closed, []);
        return (ConversationEngine.Start("CA1", "+15557654321", "+15550100001", ctx).Session, ctx);
    }

    /// <summary>One turn end to end: the caller's words through the rule understanding, then the engine.</summary>
    internal static Decision Say(CallSession s, TurnContext ctx, string text) =>
        ConversationEngine.Decide(s, new Heard(text, 0.9, RuleUnderstanding.Understand(text, ctx.Understanding(s.State))), ctx);

    /// <summary>One turn from what the caller meant (<see cref="HeardBuilders"/>), without the understanding.</summary>
    private static Decision Hear(CallSession s, TurnContext ctx, Heard heard) => ConversationEngine.Decide(s, heard, ctx);
}
