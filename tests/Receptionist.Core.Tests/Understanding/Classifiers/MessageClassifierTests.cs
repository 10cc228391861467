using Receptionist.Core.Tenants;
using Receptionist.Core.Understanding;
using Receptionist.Core.Understanding.Classifiers;

namespace Receptionist.Core.Tests.Understanding.Classifiers;

/// <summary>Whether a request for a message says the message itself: its subject after "about", a sentence of its own
/// after the request, or the sentences a closing "can you let her know?" points back to.</summary>
public sealed class MessageClassifierTests
{
    private static readonly IReadOnlyList<ServiceOffering> Services = [new("Cleaning", 60, 90, 150, ["teeth cleaning"])];

    private static bool SaysWhatAbout(string said) => MessageClassifier.SaysWhatAbout(Utterance.Read(said, Lexicon.English), Services);

    [Theory]
    [InlineData("Could someone call me back about the estimate for my new shower?")]
    [InlineData("Can I leave a message for Dana? Tell her the contract is signed and on her desk")]
    [InlineData("I'd like to leave a message for the owner. The delivery we got this morning was damaged")]
    [InlineData("My flight got delayed and I will miss my appointment tomorrow. Could you let her know?")]
    [InlineData("Could you have the manager ring me? I want an estimate for a new water softener in the garage.")]
    public void SaysWhatAbout_MessageSaidWithTheRequest_True(string said)
    {
        Assert.True(SaysWhatAbout(said));
    }

    [Theory]
    [InlineData("Can I leave a message for the manager?")]
    [InlineData("Can I leave a message for the manager? It's not an emergency.")]
    [InlineData("Could I leave a message? My name is Sofia Rossi.")]
    [InlineData("Can I leave a message? My number is 555 123 4567.")]
    public void SaysWhatAbout_OnlyTheRequestAndWhoIsCalling_False(string said)
    {
        Assert.False(SaysWhatAbout(said));
    }

    [Theory]
    [InlineData("Can I leave a message for Jo? Tell her Priya Shah is stuck in traffic and will be late.", "Priya Shah")]
    [InlineData("please let him know Tom Okafor called about the invoice", "Tom Okafor")]
    [InlineData("Tell him the car is ready for pickup", null)]
    [InlineData("Tell her Mom called about dinner", null)]
    public void SenderNamedInside_WholeNameBeforeWhatTheyAreDoing_ThatName(string said, string? expected)
    {
        Assert.Equal(expected, MessageClassifier.SenderNamedInside(Utterance.Read(said, Lexicon.English), Services));
    }
}
