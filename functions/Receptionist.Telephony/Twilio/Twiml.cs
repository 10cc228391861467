using System.Xml.Linq;
using Receptionist.Core.Conversation;

namespace Receptionist.Telephony.Twilio;

/// <summary>Renders the engine's actions as TwiML (protocols.md §1.4). Prompts before a Listen go inside its
/// &lt;Gather&gt; so the caller can answer while they play.</summary>
public static class Twiml
{
    public static string Render(IReadOnlyList<CallAction> actions, string gatherActionUrl, string language) =>
        Render(actions, gatherActionUrl, null, language);

    /// <param name="dialActionUrl">Where Twilio reports a transfer's outcome (DialCallStatus); null: the call ends with the transfer.</param>
    public static string Render(IReadOnlyList<CallAction> actions, string gatherActionUrl, string? dialActionUrl, string language)
    {
        var response = new XElement("Response");
        var pending = new List<XElement>();
        foreach (var action in actions)
        {
            switch (action)
            {
                case Say say:
                    pending.Add(SayElement(say.Text, language));
                    break;
                case Listen listen:
                    var gather = new XElement("Gather",
                        new XAttribute("input", "speech dtmf"),
                        new XAttribute("action", gatherActionUrl),
                        new XAttribute("method", "POST"),
                        new XAttribute("actionOnEmptyResult", "true"),
                        new XAttribute("speechTimeout", "auto"),
                        new XAttribute("timeout", "6"),
                        new XAttribute("language", language));
                    if (listen.Hints.Count > 0)
                    {
                        gather.Add(new XAttribute("hints", string.Join(", ", listen.Hints.Take(100))));
                    }

                    gather.Add(pending);
                    pending.Clear();
                    response.Add(gather);
                    break;
                case TransferCall transfer:
                    response.Add(pending);
                    pending.Clear();
                    var dial = new XElement("Dial", new XAttribute("timeout", "20"), new XElement("Number", transfer.Number));
                    if (dialActionUrl is not null)
                    {
                        dial.Add(new XAttribute("action", dialActionUrl), new XAttribute("method", "POST"));
                    }

                    response.Add(dial);
                    break;
                case Hangup:
                    response.Add(pending);
                    pending.Clear();
                    response.Add(new XElement("Hangup"));
                    break;
            }
        }

        response.Add(pending);
        return new XDocument(new XDeclaration("1.0", "UTF-8", null), response).Declaration + response.ToString(SaveOptions.DisableFormatting);
    }

    /// <summary>A spoken message followed by hanging up (unknown numbers, technical difficulty).</summary>
    public static string SayAndHangup(string text, string language = "en-US") =>
        Render([new Say(text), new Hangup()], string.Empty, language);

    private static XElement SayElement(string text, string language) => new("Say", new XAttribute("language", language), text);
}
