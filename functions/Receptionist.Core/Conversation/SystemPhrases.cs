namespace Receptionist.Core.Conversation;

/// <summary>The few phrases the channels say where no business's prompts are at hand: the dialled number belongs to
/// no tenant, or storage is down before the call could be read. Everything the conversation engine says is a prompt
/// (<see cref="Professions.ProfessionPrompts"/>), worded in the profession file and overridable per tenant.</summary>
public static class SystemPhrases
{
    public const string UnknownNumber = "Sorry, this number isn't set up to take calls yet. Please check the number and try again. Goodbye.";
    public const string TechnicalDifficulty = "I'm sorry, we're having a technical difficulty right now. Please call back in a few minutes. Goodbye.";
    public const string OneMoment = "One moment, please.";
    public const string TroublePuttingThrough = "I'm having trouble with my system, so let me put you through to the team.";
}
