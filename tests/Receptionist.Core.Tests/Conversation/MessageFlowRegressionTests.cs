using System.Text.Json.Nodes;
using Receptionist.Core.Conversation;
using Receptionist.Core.Tests.Professions;
using Receptionist.Core.Tenants;
using Receptionist.Core.Tests.Tenants;
using Receptionist.Core.Understanding;

namespace Receptionist.Core.Tests.Conversation;

/// <summary>Regressions found on live simulated calls: a message must never be lost to the flow.</summary>
public sealed class MessageFlowRegressionTests
{
    /// <summary>Monday 23 November 2026, 06:00 in New York: before opening, so nobody can be put through.</summary>
    private static readonly DateTimeOffset Closed = DateTimeOffset.Parse("2026-11-23T06:00:00-05:00");

    private static readonly Tenant Business = TenantJson.Tenant();

    [Fact]
    public void Heard_EmergencyWordsInsideTheMessage_TakenAsAnUrgentMessageNotRestarted()
    {
        var (s, ctx) = Start();
        s = Say(s, ctx, "I'd like to leave a message").Session;
        s = Say(s, ctx, "Jo Park").Session;

        var d = Say(s, ctx, "my tooth got knocked out playing hockey, please call me");

        Assert.Equal(ConversationState.ConfirmMessage, d.Session.State);
        Assert.True(d.Session.Message.Urgent);
        Assert.Equal("my tooth got knocked out playing hockey, please call me", d.Session.Message.Text);
    }

    [Fact]
    public void Heard_EmergencyWhileClosed_AsksWhoItIsFromOnce()
    {
        var (s, ctx) = Start();

        var d = Say(s, ctx, "my tooth got knocked out");

        Assert.Equal(ConversationState.MessageName, d.Session.State);
        Assert.True(d.Session.Message.Urgent);
        Assert.Equal(["urgent, who is calling?"], d.Actions.OfType<Say>().Select(x => x.Text));
    }

    [Fact]
    public void Heard_NameThatSoundsLikeAQuestionTopic_TakenAsTheName()
    {
        var (s, ctx) = Start();
        s = Say(s, ctx, "I'd like to leave a message").Session;

        var d = Say(s, ctx, "Jo Park");

        Assert.Equal("Jo Park", d.Session.Message.Name);
        Assert.Equal(ConversationState.MessageBody, d.Session.State);
    }

    [Fact]
    public void Heard_NameNotUnderstoodTwice_GoesOnWithoutItAndStillTakesTheMessage()
    {
        var (s, ctx) = Start();
        s = Say(s, ctx, "I'd like to leave a message").Session;
        s = Say(s, ctx, "555 1234").Session;

        var d = Say(s, ctx, "uh, 42");
        d = Say(d.Session, ctx, "please call me about my bill");
        d = Say(d.Session, ctx, "yes");

        var saved = Assert.Single(d.Actions.OfType<SaveMessage>());
        Assert.Equal("please call me about my bill", saved.Message.Text);
        Assert.Equal(SystemPhrases.UnnamedCaller, saved.Message.Name);
    }

    [Fact]
    public void WeeklyHours_FiveDaysInARow_SaidAsARange()
    {
        var tenant = TenantJson.Tenant(t => t["hours"] = JsonNode.Parse("""{ "mon": ["07:00-18:00"], "tue": ["07:00-18:00"], "wed": ["07:00-18:00"], "thu": ["07:00-18:00"], "fri": ["07:00-18:00"], "sat": ["08:00-12:00"], "sun": [] }"""));

        Assert.Equal("We're open Monday to Friday 7 am to 6 pm; Saturday 8 am to noon; closed Sunday.", FrontDesk.WeeklyHours(tenant));
    }

    private static (CallSession Session, TurnContext Ctx) Start()
    {
        var ctx = new TurnContext(Business, TestProfession.Dentist(new Dictionary<string, string> { ["urgentMessage"] = "urgent, who is calling?" }, ["knocked out"]), Closed, []);
        return (ConversationEngine.Start("CA1", "+15557654321", "+15550100001", ctx).Session, ctx);
    }

    private static Decision Say(CallSession s, TurnContext ctx, string text) =>
        ConversationEngine.Decide(s, new Heard(text, 0.9, RuleUnderstanding.Understand(text, ctx.Understanding(s.State))), ctx);
}
