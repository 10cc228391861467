using Receptionist.Core.Conversation;
using Receptionist.Core.Professions;
using Receptionist.Core.Tests.Conversation;
using static Receptionist.Core.Tests.Conversation.EngineFixture;

namespace Receptionist.Core.Tests.Professions;

/// <summary>One service or several, one option or several: prompts agree with what they are filled with.</summary>
public sealed class PromptTextTests
{
    private static string Fill(string template, params (string Key, Phrase Value)[] values) =>
        PromptText.Fill(template, values.ToDictionary(v => v.Key, v => v.Value, StringComparer.Ordinal));

    [Theory]
    [InlineData("Cleaning", "Done. Your cleaning on Friday at 10 am is cancelled.")]
    [InlineData("Highlights", "Done. Your highlights on Friday at 10 am are cancelled.")]
    public void Fill_ChoiceByTheServicesNumber_SingularOrPlural(string service, string said)
    {
        var text = Fill("Done. Your {service} on {date} at {time} {service:is|are} cancelled.",
            ("service", PromptText.Service(service)), ("date", "Friday"), ("time", "10 am"));

        Assert.Equal(said, text);
    }

    [Theory]
    [InlineData(new[] { "11 am" }, "The nearest time I have is 11 am. Would that work?")]
    [InlineData(new[] { "11 am", "noon" }, "The nearest times I have are 11 am or noon. Would one of those work?")]
    [InlineData(new[] { "11 am", "noon", "2 pm" }, "The nearest times I have are 11 am, noon, or 2 pm. Would one of those work?")]
    public void Fill_ChoiceByTheNumberOfOptions_OneOptionReadsAsOne(string[] options, string said)
    {
        var text = Fill("The nearest {options:time|times} I have {options:is|are} {options}. Would {options:that|one of those} work?",
            ("options", PromptText.List(options)));

        Assert.Equal(said, text);
    }

    [Theory]
    [InlineData("Cleaning", "Let me read that back: a cleaning on Friday.", "A cleaning takes an hour.")]
    [InlineData("Oil change", "Let me read that back: an oil change on Friday.", "An oil change takes an hour.")]
    [InlineData("Highlights", "Let me read that back: highlights on Friday.", "Highlights take an hour.")]
    public void Fill_ArticleBeforeTheService_AnBeforeAVowelNoneBeforeAPlural(string service, string readBack, string duration)
    {
        Assert.Equal(readBack, Fill("Let me read that back: a {service} on Friday.", ("service", PromptText.Service(service))));
        Assert.Equal(duration, Fill("A {service} {service:takes|take} an hour.", ("service", PromptText.Service(service))));
    }

    [Fact]
    public void Fill_WordsEndingInAOrAnBeforeAPlaceholder_LeftAlone()
    {
        Assert.Equal("The extra highlights are free.", Fill("The extra {service} {service:is|are} free.", ("service", PromptText.Service("Highlights"))));
    }

    [Fact]
    public void Fill_PromptStartingWithAPlaceholder_StartsWithACapital()
    {
        Assert.Equal("Tomorrow we're open 9 am to 5 pm.", Fill("{day} we're open {hours}.", ("day", "tomorrow"), ("hours", "9 am to 5 pm")));
        Assert.Equal("On Friday we're closed.", Fill("{day} we're closed.", ("day", "on Friday")));
    }

    [Fact]
    public void Fill_ChoiceForAPlaceholderNotFilled_TheSingular()
    {
        Assert.Equal("It is booked.", Fill("It {service:is|are} booked."));
    }

    [Fact]
    public void Fill_ChoiceWithAnEmptySide_Allowed()
    {
        Assert.Equal("2 options", Fill("2 option{options:|s}", ("options", PromptText.List(["a", "b"]))));
        Assert.Equal("1 option", Fill("1 option{options:|s}", ("options", PromptText.List(["a"]))));
    }

    [Theory]
    [InlineData("Highlights", true)]
    [InlineData("Headshots", true)]
    [InlineData("Vaccinations", true)]
    [InlineData("X-rays", true)]
    [InlineData("Cleaning", false)]
    [InlineData("Men's cut", false)]
    [InlineData("Couples massage", false)]
    [InlineData("Radon testing", false)]
    [InlineData("Glass", false)]
    [InlineData("Diagnosis", false)]
    [InlineData("Spay or neuter", false)]
    [InlineData("Bus", false)]
    public void IsPlural_ByTheLastWord(string name, bool plural)
    {
        Assert.Equal(plural, PromptText.IsPlural(name));
    }

    [Theory]
    [InlineData("hair_salon", "Can Mia Chen get highlights on Friday at 10 am?", "your highlights are booked for Friday, November 27 at 10 am")]
    [InlineData("hair_salon", "Can Mia Chen get a haircut on Friday at 10 am?", "your haircut is booked for Friday, November 27 at 10 am")]
    [InlineData("photographer", "Can Mia Chen get headshots on Friday at 11 am?", "your headshots are booked for Friday, November 27 at 11 am")]
    public void Booked_ShippedPrompts_ServiceSingularOrPlural(string profession, string request, string said)
    {
        var call = Call(DemoTenants.ForProfession(profession));
        var readBack = call.Say(request);
        Assert.Equal(ConversationState.Confirm, readBack.State);

        var t = call.Say("yes");

        Assert.Equal(CallOutcome.Booked, t.Session.Outcome);
        Assert.Contains(said, t.Said, StringComparison.Ordinal);
    }

    [Fact]
    public void SlotTaken_OneFreeTimeLeft_OfferedAsOne()
    {
        var prompts = Prompts.Where(p => p.Key != "slotTaken").ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal); // the shipped wording
        var ctx = Context(profession: TestProfession.Dentist(prompts), busy: [Busy(Friday, 9, 0, 7 * 60)]);

        var t = Call(ctx).Say("Can Sam get a cleaning on Friday at 10 am?");

        Assert.Equal("I'm sorry, 10 am isn't available. The nearest time I have is 4 pm. Would that work?", t.Lines[0]);
    }

    [Fact]
    public void SlotTaken_SeveralFreeTimes_OfferedAsSeveral()
    {
        var prompts = Prompts.Where(p => p.Key != "slotTaken").ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        var ctx = Context(profession: TestProfession.Dentist(prompts), busy: [Busy(Friday, 10, 0, 60)]);

        var t = Call(ctx).Say("Can Sam get a cleaning on Friday at 10 am?");

        Assert.StartsWith("I'm sorry, 10 am isn't available. The nearest times I have are ", t.Lines[0], StringComparison.Ordinal);
        Assert.EndsWith(". Would one of those work?", t.Lines[0], StringComparison.Ordinal);
    }

    [Fact]
    public void OpeningsOn_OneOpening_SaidAsOne()
    {
        var ctx = Context(busy: [Busy(Friday, 9, 0, 6 * 60 + 30)]); // free from 3:30 pm: only a 90-minute whitening start at 3:30 fits every service

        var t = Call(ctx).Say("What do you have on Friday?");

        Assert.Equal("On Friday, November 27 I have an opening at 3:30 pm.", t.Lines[0]);
    }
}
