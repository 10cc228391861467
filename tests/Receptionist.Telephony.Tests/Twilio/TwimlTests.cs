using System.Xml.Linq;
using Receptionist.Core.Conversation;
using Receptionist.Core.Understanding;
using Receptionist.Telephony.Twilio;

namespace Receptionist.Telephony.Tests.Twilio;

public sealed class TwimlTests
{
    private const string GatherUrl = "/twilio/voice/gather?turn=1";

    private static XElement Parse(string twiml)
    {
        var root = XDocument.Parse(twiml).Root;
        Assert.NotNull(root);
        Assert.Equal("Response", root.Name.LocalName);
        return root;
    }

    private static string[] Names(XElement element) => element.Elements().Select(e => e.Name.LocalName).ToArray();

    private static Listen ListenFor(params string[] hints) => new(Expecting.Anything, hints);

    [Fact]
    public void Render_SaysThenListen_PutsTheSaysInsideGatherInOrder()
    {
        var xml = Twiml.Render([new Say("Thanks for calling Bright Smiles."), new Say("How can I help?"), ListenFor()], GatherUrl, "en-US");

        var response = Parse(xml);
        var gather = Assert.Single(response.Elements());
        Assert.Equal("Gather", gather.Name.LocalName);
        Assert.Equal(["Say", "Say"], Names(gather));
        Assert.Equal(["Thanks for calling Bright Smiles.", "How can I help?"], gather.Elements().Select(e => e.Value).ToArray());
    }

    [Fact]
    public void Render_Listen_GatherAcceptsSpeechAndKeypadAndPostsToTheActionEvenOnSilence()
    {
        var gather = Parse(Twiml.Render([new Say("Which day?"), ListenFor()], GatherUrl, "en-US")).Element("Gather");

        Assert.NotNull(gather);
        var input = ((string?)gather.Attribute("input") ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(["dtmf", "speech"], input);
        Assert.Equal(GatherUrl, (string?)gather.Attribute("action"));
        Assert.Equal("POST", (string?)gather.Attribute("method"));
        Assert.Equal("true", (string?)gather.Attribute("actionOnEmptyResult"));
    }

    [Fact]
    public void Render_ListenWithHints_SetsCommaSeparatedHints()
    {
        var gather = Parse(Twiml.Render([ListenFor("cleaning", "whitening", "check-up")], GatherUrl, "en-US")).Element("Gather");

        Assert.NotNull(gather);
        var hints = (string?)gather.Attribute("hints");
        Assert.NotNull(hints);
        Assert.Equal(["cleaning", "whitening", "check-up"], hints.Split(',').Select(h => h.Trim()).ToArray());
    }

    [Fact]
    public void Render_ListenWithoutHints_OmitsHintsAttribute()
    {
        var gather = Parse(Twiml.Render([ListenFor()], GatherUrl, "en-US")).Element("Gather");

        Assert.NotNull(gather);
        Assert.Null(gather.Attribute("hints"));
    }

    [Fact]
    public void Render_SaysThenHangup_HangupComesAfterTheSays()
    {
        var response = Parse(Twiml.Render([new Say("Your appointment is booked."), new Say("Goodbye."), new Hangup()], GatherUrl, "en-US"));

        Assert.Equal(["Say", "Say", "Hangup"], Names(response));
        Assert.Equal("Your appointment is booked.", response.Elements().First().Value);
        Assert.Empty(response.Elements().Last().Nodes());
    }

    [Fact]
    public void Render_SayThenTransfer_DialsTheNumberAfterTheSay()
    {
        var response = Parse(Twiml.Render([new Say("Connecting you now."), new TransferCall("+15551230000")], GatherUrl, "en-US"));

        Assert.Equal(["Say", "Dial"], Names(response));
        var dial = response.Elements().Last();
        var number = Assert.Single(dial.Elements());
        Assert.Equal("Number", number.Name.LocalName);
        Assert.Equal("+15551230000", number.Value);
    }

    [Fact]
    public void Render_TextWithXmlSpecialCharacters_IsEscapedAndRoundTrips()
    {
        const string text = "Smith & Sons <Dental> say \"hi\" & 'bye'";

        var xml = Twiml.Render([new Say(text), ListenFor("Q&A", "<none>")], "/twilio/voice/gather?turn=1&retry=2", "en-US");

        var gather = Parse(xml).Element("Gather");
        Assert.NotNull(gather);
        Assert.Equal(text, gather.Element("Say")?.Value);
        Assert.Equal("/twilio/voice/gather?turn=1&retry=2", (string?)gather.Attribute("action"));
        Assert.Contains("Q&A", (string?)gather.Attribute("hints"), StringComparison.Ordinal);
    }

    [Fact]
    public void Render_Language_IsSetOnEverySayAndOnGather()
    {
        var response = Parse(Twiml.Render([new Say("Hola."), new Say("¿En qué puedo ayudarle?"), ListenFor(), new Say("Adiós."), new Hangup()], GatherUrl, "es-MX"));

        var says = response.Descendants("Say").ToList();
        Assert.Equal(3, says.Count);
        Assert.All(says, s => Assert.Equal("es-MX", (string?)s.Attribute("language")));
        Assert.Equal("es-MX", (string?)response.Element("Gather")?.Attribute("language"));
    }

    [Fact]
    public void Render_SaysAfterAListen_AreNotPartOfTheGatherPrompt()
    {
        var response = Parse(Twiml.Render([new Say("First question?"), ListenFor(), new Say("Goodbye."), new Hangup()], GatherUrl, "en-US"));

        Assert.Equal(["First question?"], response.Element("Gather")!.Elements().Select(e => e.Value).ToArray());
    }

    [Fact]
    public void Render_OnlySays_RendersThemAtTopLevel()
    {
        var response = Parse(Twiml.Render([new Say("One."), new Say("Two.")], GatherUrl, "en-US"));

        Assert.Equal(["Say", "Say"], Names(response));
        Assert.Equal(["One.", "Two."], response.Elements().Select(e => e.Value).ToArray());
    }

    [Fact]
    public void SayAndHangup_Text_SaysItThenHangsUp()
    {
        var response = Parse(Twiml.SayAndHangup("Sorry, this number is not in service."));

        Assert.Equal(["Say", "Hangup"], Names(response));
        var say = response.Elements().First();
        Assert.Equal("Sorry, this number is not in service.", say.Value);
        Assert.Equal("en-US", (string?)say.Attribute("language"));
    }

    [Fact]
    public void SayAndHangup_LanguageGiven_SetsItOnTheSay()
    {
        var response = Parse(Twiml.SayAndHangup("Lo sentimos & adiós.", "es-ES"));

        var say = response.Element("Say");
        Assert.NotNull(say);
        Assert.Equal("Lo sentimos & adiós.", say.Value);
        Assert.Equal("es-ES", (string?)say.Attribute("language"));
        Assert.NotNull(response.Element("Hangup"));
    }
}
