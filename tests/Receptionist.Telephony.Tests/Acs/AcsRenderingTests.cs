using Receptionist.Core.Conversation;
using Receptionist.Core.Understanding;
using Receptionist.Telephony.Acs;

namespace Receptionist.Telephony.Tests.Acs;

public sealed class AcsRenderingTests
{
    private static readonly AcsVoice Voice = new("en-US", "en-US-JennyNeural");
    private static readonly AcsIdentifier Caller = AcsIdentifier.Phone("+15557654321");

    [Fact]
    public void Plan_SaysThenListen_OneRecognizeWithThePromptsInTheTenantsVoice()
    {
        var step = Assert.IsType<AcsListenStep>(AcsRendering.Plan([new Say("Thanks for calling."), new Say("How can I help?"), new Listen(Expecting.Anything, [])], 4, Voice, Caller));

        Assert.Equal("Thanks for calling. How can I help?", step.Request.PlayPrompt!.Text.Text);
        Assert.Equal("en-US-JennyNeural", step.Request.PlayPrompt.Text.VoiceName);
        Assert.Equal("t4", step.Request.OperationContext);
        Assert.True(step.Request.RecognizeOptions.InterruptPrompt);
        Assert.Equal(1, step.Request.RecognizeOptions.DtmfOptions.MaxTonesToCollect);
        Assert.Equal(Caller, step.Request.RecognizeOptions.TargetParticipant);
    }

    [Fact]
    public void Plan_ReadBack_SpeechCannotCutItOff()
    {
        var step = Assert.IsType<AcsListenStep>(AcsRendering.Plan([new Say("That's Tuesday at 9 for Ana, right?", BargeIn.RealSpeech), new Listen(Expecting.YesNo, [])], 2, Voice, Caller));

        Assert.False(step.Request.RecognizeOptions.InterruptPrompt);
    }

    [Fact]
    public void Plan_ExpectingANumber_CollectsUpToFifteenKeysEndingInPound()
    {
        var step = Assert.IsType<AcsListenStep>(AcsRendering.Plan([new Say("What number should we call?"), new Listen(Expecting.Phone, [], KeyEntry.Number)], 1, Voice, Caller));

        Assert.Equal(15, step.Request.RecognizeOptions.DtmfOptions.MaxTonesToCollect);
        Assert.Equal(["pound"], step.Request.RecognizeOptions.DtmfOptions.StopTones!);
    }

    [Fact]
    public void Plan_SaysThenHangup_PlaysFirstAndHangsUpAfter()
    {
        var step = Assert.IsType<AcsPlayStep>(AcsRendering.Plan([new Say("Goodbye."), new Hangup()], 7, Voice, Caller));

        Assert.Equal(new AcsOperation(7, AcsOperation.Hangup), step.Operation);
        Assert.Equal("t7:hangup", step.Request.OperationContext);
        Assert.Null(step.TransferTo);
    }

    [Fact]
    public void Plan_SaysThenTransfer_PlaysFirstThenTransfersToTheNumber()
    {
        var step = Assert.IsType<AcsPlayStep>(AcsRendering.Plan([new Say("Putting you through."), new TransferCall("+15550001111")], 3, Voice, Caller));

        Assert.Equal("t3:transfer", step.Request.OperationContext);
        Assert.Equal("+15550001111", step.TransferTo);
    }

    [Fact]
    public void Plan_BareHangupOrTransfer_NoPlay()
    {
        Assert.IsType<AcsHangUpStep>(AcsRendering.Plan([new Hangup()], 1, Voice, Caller));
        Assert.Equal("+15550001111", Assert.IsType<AcsTransferStep>(AcsRendering.Plan([new TransferCall("+15550001111")], 1, Voice, Caller)).Number);
        Assert.IsType<AcsNoStep>(AcsRendering.Plan([], 1, Voice, Caller));
    }

    [Fact]
    public void Transfer_ShowsTheTenantsNumber()
    {
        var request = AcsRendering.Transfer("+15550001111", "+15551230001", 5);

        Assert.Equal("4:+15550001111", request.TargetParticipant.RawId);
        Assert.Equal("+15551230001", request.SourceCallerIdNumber!.Value);
        Assert.Equal("t5:transfer", request.OperationContext);
    }
}
