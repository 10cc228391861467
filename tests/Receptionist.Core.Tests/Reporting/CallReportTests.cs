using Receptionist.Core.Conversation;
using Receptionist.Core.Reporting;
using Receptionist.Core.Storage;
using Receptionist.Core.Tests.Tenants;

namespace Receptionist.Core.Tests.Reporting;

public sealed class CallReportTests
{
    private static readonly Core.Tenants.Tenant Dentist = TenantJson.Tenant();
    private static readonly DateTimeOffset Start = DateTimeOffset.Parse("2026-11-23T08:00:00-05:00");

    private static CallRecord Record(CallOutcome outcome, string channel = "twilio", string mode = "gather", int? seconds = 95, int llmIn = 0, int llmOut = 0) =>
        new(new CallSession("CA1", "bright-smiles", "+15557654321", "+15550100001", Start, ConversationState.Ended, BookingDraft.Empty, Outcome: outcome), 5, [], 9, Start.AddSeconds(100))
        {
            Channel = channel, Mode = mode, DurationSeconds = seconds, LlmInputTokens = llmIn, LlmOutputTokens = llmOut,
        };

    private static List<CallTurn> History(params (string Speaker, string Kind, string Text)[] lines) =>
        lines.Select((l, i) => new CallTurn(i + 1, Start, l.Speaker, l.Kind, l.Text)).ToList();

    private static readonly List<CallTurn> Booking = History(
        ("system", "started", "From +1555***4321 (twilio, gather)"),
        ("agent", "say", "Thanks for calling Bright Smiles Dental. How can I help?"),
        ("caller", CallNotes.QuestionKind, "What's your address?"),
        ("agent", "say", "We're at 12 Main St."),
        ("caller", "speech", "Can I get a cleaning tomorrow at 10?"), // a request, not a question
        ("system", CallNotes.BookedKind, CallNotes.Booked("apt-1", "Cleaning", DateTimeOffset.Parse("2026-11-24T10:00:00-05:00"))),
        ("agent", "say", "You're booked."));

    [Fact]
    public void Summarize_Booking_SaysWhatWasBookedAndTheQuestionAsked()
    {
        var summary = CallReport.Summarize(Record(CallOutcome.Booked), Booking, Dentist, new Dictionary<string, StoredMessage>());

        Assert.Equal("Booked a Cleaning for Tuesday, November 24 at 10 am. Asked: What's your address?", summary.Text);
        var booked = Assert.Single(summary.Appointments);
        Assert.Equal(("booked", "apt-1", "Cleaning"), (booked.Change, booked.Id, booked.Service));
        Assert.Equal("Booked", summary.Outcome);
    }

    [Fact]
    public void Summarize_MessageAfterAFailedTransfer_QuotesTheMessageAndSaysNobodyAnswered()
    {
        var history = History(
            ("caller", "speech", "can I talk to someone"),
            ("system", CallNotes.TransferFailedKind, "Nobody answered the transfer"),
            ("system", CallNotes.MessageKind, CallNotes.Message("CA1-m1", urgent: true)));
        var message = new StoredMessage("bright-smiles", "CA1-m1", "CA1", "Sam Lee", "+15557654321", "my crown fell out", true, Start);

        var summary = CallReport.Summarize(Record(CallOutcome.MessageTaken), history, Dentist, new Dictionary<string, StoredMessage> { ["CA1-m1"] = message });

        Assert.Equal("Sam Lee left an urgent message: \"my crown fell out\" Asked to be put through; nobody answered.", summary.Text);
        Assert.Equal("CA1-m1", summary.MessageId);
        Assert.True(summary.TransferFailed);
    }

    [Fact]
    public void Summarize_Move_NamesTheServiceMovedAndItsNewTime()
    {
        var history = History(
            ("caller", "speech", "I need to move my appointment to Tuesday at 2"),
            ("system", CallNotes.MovedKind, CallNotes.Moved("apt-1", "apt-2", "Cleaning", DateTimeOffset.Parse("2026-11-24T14:00:00-05:00"))));

        var summary = CallReport.Summarize(Record(CallOutcome.Rescheduled), history, Dentist, new Dictionary<string, StoredMessage>());

        Assert.Equal("Moved the Cleaning to Tuesday, November 24 at 2 pm.", summary.Text);
        var moved = Assert.Single(summary.Appointments);
        Assert.Equal(("rescheduled", "apt-2", "Cleaning"), (moved.Change, moved.Id, moved.Service));
    }

    [Fact]
    public void Summarize_NothingHappened_SaysSo() =>
        Assert.Equal("No booking, message or question.", CallReport.Summarize(Record(CallOutcome.Completed), History(("caller", "speech", "goodbye")), Dentist, new Dictionary<string, StoredMessage>()).Text);

    [Fact]
    public void ForCall_Gather_MinutesRoundedUpRecognitionsAndCharacters()
    {
        var cost = CallCosts.ForCall(Record(CallOutcome.Booked, seconds: 95), Booking, new CostRates());

        Assert.Equal(
            [("telephony (Twilio)", 2m, 0.017m), ("speech recognition", 2m, 0.04m), ("text-to-speech", 90m, 0m)],
            cost.Lines.Select(l => (l.Item, l.Quantity, l.Amount)));
        Assert.Equal(0.057m, cost.Total);
    }

    [Fact]
    public void ForCall_AcsWithLlm_SpeechBothWaysAndTokensPriced()
    {
        var cost = CallCosts.ForCall(Record(CallOutcome.Booked, channel: "acs", mode: "recognize", seconds: 60, llmIn: 2000, llmOut: 100), Booking, new CostRates());

        Assert.Equal(["telephony (ACS)", "speech-to-text (at most)", "text-to-speech", "LLM input", "LLM output"], cost.Lines.Select(l => l.Item));
        Assert.Equal(0.0085m + Math.Round(60m / 3600m, 6) + 90 * 0.000015m + 0.0003m + 0.00006m, cost.Total);
    }

    [Fact]
    public void ForCall_Relay_ConversationRelayPerMinute()
    {
        var cost = CallCosts.ForCall(Record(CallOutcome.Booked, mode: "relay", seconds: 30), Booking, new CostRates());

        Assert.Equal(0.0085m + 0.07m, cost.Total);
    }

    [Fact]
    public void ForSms_SegmentsTimesPriceAndCarrierFee()
    {
        var cost = CallCosts.ForSms(new string('a', 200), new CostRates());

        Assert.Equal(2 * (0.0083m + 0.0030m), cost.Total);
    }
}
