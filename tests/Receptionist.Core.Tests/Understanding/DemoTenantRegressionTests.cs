using Receptionist.Core.Conversation;
using Receptionist.Core.Understanding;
using Receptionist.Core.Tests.Conversation;
using static Receptionist.Core.Tests.Conversation.EngineFixture;

namespace Receptionist.Core.Tests.Understanding;

/// <summary>Regressions found by review, read with the real demo tenants and profession files: what a caller expects.</summary>
public sealed class DemoTenantRegressionTests
{
    private static TurnContext Demo(string tenantId) => DemoTenants.ById(tenantId);

    private static string DemoOf(string profession) => DemoTenants.IdOf(profession);

    private static Understood U(string said, Expecting e = Expecting.Anything, TurnContext? ctx = null) =>
        RuleUnderstanding.Understand(said, Reading(e, ctx));

    // 1. A move whose new day is said without "to"/"for" is now read as identifying the old appointment.
    [Theory]
    [InlineData("I need to reschedule my cleaning, can we do Friday at 2")]
    [InlineData("I need to move my appointment, can you do Friday at 2 instead")]
    [InlineData("Can I change my appointment? I'd like Friday at 2")]
    public void Heard_MoveNamingTheNewDayWithoutTo_MovesThere(string said)
    {
        var call = Call().WithAppointment(Appointment("a1", "Cleaning", 60, Wednesday, 10, 0, "Pat Doe"));
        var t = call.Say(said);
        Assert.DoesNotContain("I don't see an appointment", t.Said);
        Assert.Contains("-> Friday, November 27 | 2 pm", t.Said);
    }

    // 2. "to 2" with the day only in the identifying half: the new time loses the day.
    [Fact]
    public void Heard_MoveToATimeOnly_KeepsTheAppointmentsDay()
    {
        var call = Call().WithAppointment(Appointment("a1", "Cleaning", 60, Wednesday, 10, 0, "Pat Doe"));
        var t = call.Say("can I move my Wednesday cleaning to 2");
        Assert.Contains("-> Wednesday, November 25 | 2 pm", t.Said);
    }

    // 3. "someone"/"somebody" removed from the person phrases.
    [Theory]
    [InlineData("can I get someone")]
    [InlineData("can I get somebody please")]
    [InlineData("I need someone")]
    [InlineData("can somebody help me")]
    [InlineData("can someone come to the phone")]
    public void Understand_AskForSomeone_Person(string said)
    {
        Assert.Equal(Intent.Person, U(said).Intent);
    }

    // 4. New rule: booking words + a day beats a question, even a price/parking question.
    [Theory]
    [InlineData("How much is a cleaning if I come in Friday?")]
    [InlineData("How much would a checkup cost if I come in tomorrow?")]
    [InlineData("Is there parking if I come in Friday at 2?")]
    [InlineData("Where do I park when I come in tomorrow?")]
    public void Understand_QuestionMentioningComingInOnADay_Question(string said)
    {
        Assert.Equal(Intent.Question, U(said).Intent);
    }

    // 5. "come out" (now an area synonym) makes service requests service-area questions; it also beats the plumber FAQ.
    [Theory]
    [InlineData("Could someone come out to look at my water heater?")]
    [InlineData("Can you come out and fix my leak?")]
    public void Understand_ComeOutForAService_Book(string said)
    {
        Assert.Equal(Intent.Book, U(said, Expecting.Anything, Demo("hometown-plumbing")).Intent);
    }

    [Fact]
    public void Understand_HowSoonCanSomeoneComeOut_AnsweredByTheFaq()
    {
        Assert.Equal("faq:3", U("How soon can someone come out?", Expecting.Anything, Demo("hometown-plumbing")).Topic);
    }

    [Fact]
    public void Understand_PayByCardWhenYouComeOut_NotABooking()
    {
        Assert.NotEqual(Intent.Book, U("can I pay with a credit card when you come out", Expecting.Anything, Demo("hometown-plumbing")).Intent);
    }

    [Fact]
    public void Understand_HowFarOutAreYouBooking_NotTheServiceArea()
    {
        Assert.NotEqual("fact:service area", U("how far out are you booking?", Expecting.Anything, Demo("hometown-plumbing")).Topic);
    }

    // 6. AfterLastCorrection keeps only the tail, so the day said before the corrected time is lost.
    [Theory]
    [InlineData("I'd like a cleaning Friday at 2, no wait, 3")]
    [InlineData("I'd like a cleaning on Friday at 2, actually make it 3")]
    [InlineData("a cleaning on Friday at 2, sorry, I mean 3")]
    public void Understand_TimeCorrectedAfterADay_KeepsTheDay(string said)
    {
        var u = U(said);
        Assert.Equal(Friday, u.Date);
        Assert.Contains(new TimeOnly(15, 0), u.Time!.Value.Candidates());
    }

    // 7. NamesIn takes a fact's sentence-initial common noun as a "proper name".
    [Theory]
    [InlineData("veterinarian", "Can my dogs get their vaccines?", "fact:animals")] // "Dogs, cats, rabbits…"
    [InlineData("mechanic", "Do you do repairs on Saturdays?", "fact:warranty")] // "Repairs are covered…"
    public void Understand_FactSentenceStartWord_DoesNotStealTheRequest(string profession, string said, string stolenBy)
    {
        Assert.NotEqual(stolenBy, U(said, Expecting.Anything, Demo(DemoOf(profession))).Topic);
    }
}
