using Receptionist.Core.Conversation;
using Receptionist.Core.Understanding;

namespace Receptionist.Core.Tests.Conversation;

/// <summary>The calendar is read only for decisions that look at it: without it the engine says so (and decides the
/// same once it is given), and turns that do not need it decide without it.</summary>
public class CalendarOnDemandTests
{
    private static TurnContext WithoutCalendar(TurnContext ctx) => ctx with { Busy = [], CalendarLoaded = false };

    private static Decision Hear(CallSession session, string text, TurnContext ctx) =>
        ConversationEngine.Decide(session, new Heard(text, 0.9, RuleUnderstanding.Understand(text, ctx.Understanding(session.State))), ctx);

    [Fact]
    public void Decide_DayAndTimeWithoutCalendar_AsksForTheCalendar()
    {
        var ctx = EngineFixture.Context(busy: [EngineFixture.Busy(EngineFixture.Tuesday, 10, 0, 60)]);
        var call = EngineFixture.Call(ctx);
        call.Say("I'd like a cleaning");

        Assert.Throws<CalendarNeededException>(() => Hear(call.Session, "tomorrow at 10", WithoutCalendar(ctx)));
    }

    [Fact]
    public void Decide_DayAndTimeWithCalendar_SeesTheBookingThatBlocksIt()
    {
        var ctx = EngineFixture.Context(busy: [EngineFixture.Busy(EngineFixture.Tuesday, 10, 0, 60)]);
        var call = EngineFixture.Call(ctx);
        call.Say("I'd like a cleaning");

        var decision = Hear(call.Session, "tomorrow at 10", ctx);

        Assert.NotEqual(ConversationState.Confirm, decision.Session.State); // 10 is taken: the caller hears other times
    }

    [Theory]
    [InlineData("yes")]
    [InlineData("no")]
    [InlineData("what's your address?")]
    public void Decide_TurnsThatDoNotLookAtTheCalendar_DecideWithoutIt(string text)
    {
        var ctx = EngineFixture.Context();
        var call = EngineFixture.Call(ctx);
        call.Script("I'd like a cleaning", "tomorrow at 10", "Sam Lee");
        Assert.Equal(ConversationState.Confirm, call.Session.State);

        var without = Hear(call.Session, text, WithoutCalendar(ctx));
        var with = Hear(call.Session, text, ctx);

        Assert.Equal(with.Session.State, without.Session.State);
        Assert.Equal(with.Actions.OfType<Say>().Select(s => s.Text), without.Actions.OfType<Say>().Select(s => s.Text));
    }
}
