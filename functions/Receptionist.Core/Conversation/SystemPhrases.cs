using Receptionist.Core.Understanding;

namespace Receptionist.Core.Conversation;

/// <summary>Phrases that belong to the product rather than to a profession (no tenant known, or generic glue).</summary>
public static class SystemPhrases
{
    public const string UnknownNumber = "Sorry, this number isn't set up to take calls yet. Please check the number and try again. Goodbye.";
    public const string LineUnavailable = "Sorry, this line can't take calls right now. Please try again later. Goodbye.";
    public const string LineUnavailableTransfer = "This line can't take calls right now, so I'll put you through to someone who can help.";
    public const string TechnicalDifficulty = "I'm sorry, we're having a technical difficulty right now. Please call back in a few minutes. Goodbye.";
    public const string OneMoment = "One moment, please.";
    public const string TroublePuttingThrough = "I'm having trouble with my system, so let me put you through to the team.";
    public const string HowCanIHelp = "How can I help you today? For example, you can say: I'd like to book an appointment.";
    public const string NothingBooked = "Okay, I haven't booked anything.";
    public const string LeftAsIs = "Okay, I've left your appointment as it is.";
    public const string AlreadyGone = "That appointment is no longer on the books, so there's nothing to cancel.";
    public const string MessageAgain = "Sorry about that, let's try again.";
    public const string ShallITakeAMessage = "Would you like me to take a message?";
    public const string OfferUrgentMessage = "If you'd like, I can also take an urgent message for the team. Shall I?";
    public const string NoOneToTransferTo = "I can't put you through to anyone right now, but I'll take a message and make sure it gets to the team.";
    public const string MarkedUrgent = "I'll mark your message as urgent so the team sees it first.";
    public const string UnnamedCaller = "a caller who didn't leave a name";
    public const string GoOnWithoutName = "No problem, let's go on without a name.";
    public const string PickOfferedTime = "You can also press 1 for the first time I offered, 2 for the second, and so on.";
    public const string DigitsDontMatch = "Sorry, that doesn't match the number on the booking.";
    public const string LetMeTakeAMessage = "I'm having trouble understanding, so let me take a message and someone will call you back.";

    public static string BeyondHorizon(int days, string lastDate) =>
        $"I'm sorry, I can only book up to {days} days ahead, so until {lastDate}. Which day suits you?";

    public static string WontFit(string service, string duration, string time, string options) =>
        $"{char.ToUpperInvariant(service[0])}{service[1..]} takes {duration}, so it wouldn't fit at {time}. I could do {options}. Which works for you?";

    public static string NoneOn(string date) => $"I don't see an appointment of yours on {date}.";

    public static string OpeningsOn(string date, string times) => $"On {date} I have openings at {times}.";

    public static string? ExampleFor(Expecting expecting) => expecting switch
    {
        Expecting.Service => null,
        Expecting.Date => "For example, you can say tomorrow, or next Tuesday.",
        Expecting.Time => "For example, you can say 10 am, or 2:30 in the afternoon.",
        Expecting.Name => "For example, you can say: my name is Alex Smith.",
        Expecting.Phone => "Please say the number digit by digit, or type it on your keypad.",
        Expecting.YesNo => "Please say yes or no, or press 1 for yes and 2 for no.",
        Expecting.Choice => "You can say the first one or the second one, or press its number.",
        _ => null, // the open question (HowCanIHelp) carries its own example
    };
}
