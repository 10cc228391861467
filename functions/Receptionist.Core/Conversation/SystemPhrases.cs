using Receptionist.Core.Understanding;

namespace Receptionist.Core.Conversation;

/// <summary>Phrases that belong to the product rather than to a profession (no tenant known, or generic examples).</summary>
public static class SystemPhrases
{
    public const string UnknownNumber = "Sorry, this number isn't set up to take calls yet. Please check the number and try again. Goodbye.";
    public const string LineUnavailable = "Sorry, this line can't take calls right now. Please try again later. Goodbye.";
    public const string LineUnavailableTransfer = "This line can't take calls right now, so I'll put you through to someone who can help.";
    public const string TechnicalDifficulty = "I'm sorry, we're having a technical difficulty right now. Please call back in a few minutes. Goodbye.";
    public const string HowCanIHelp = "How can I help you today? For example, you can say: I'd like to book an appointment.";

    public static string? ExampleFor(Expecting expecting) => expecting switch
    {
        Expecting.Service => null,
        Expecting.Date => "For example, you can say tomorrow, or next Tuesday.",
        Expecting.Time => "For example, you can say 10 am, or 2:30 in the afternoon.",
        Expecting.Name => "For example, you can say: my name is Alex Smith.",
        Expecting.Phone => "Please say the number digit by digit, or type it on your keypad.",
        Expecting.YesNo => "Please say yes or no.",
        _ => "For example, you can say: I'd like to book an appointment.",
    };
}
