using System.Text;
using Receptionist.Telephony.Acs;

namespace Receptionist.Telephony.Tests.Acs;

public sealed class AcsCallsTests
{
    private static readonly byte[] Key = AcsCalls.CallbackKey("a-callback-secret-for-tests", null);

    [Fact]
    public void CallId_SameServerCall_SameIdAndSafeForTableKeys()
    {
        var id = AcsCalls.CallId("aHR0cHM6Ly9hcGkuZmxpZ2h0cHJveHkuc2t5cGUuY29tL2FwaS92Mi9jcC9jb252LXVzZWEy/LTAx?i=10");

        Assert.Equal(id, AcsCalls.CallId("aHR0cHM6Ly9hcGkuZmxpZ2h0cHJveHkuc2t5cGUuY29tL2FwaS92Mi9jcC9jb252LXVzZWEy/LTAx?i=10"));
        Assert.Matches("^acs-[0-9a-f]{32}$", id);
        Assert.NotEqual(id, AcsCalls.CallId("another"));
    }

    [Fact]
    public void Repeatability_SameRequestSameId_OtherRequestOtherId()
    {
        Assert.Equal(AcsCalls.Repeatability("acs-1", "t3"), AcsCalls.Repeatability("acs-1", "t3"));
        Assert.NotEqual(AcsCalls.Repeatability("acs-1", "t3"), AcsCalls.Repeatability("acs-1", "t4"));
        Assert.NotEqual(AcsCalls.Repeatability("acs-1", "t3"), AcsCalls.Repeatability("acs-2", "t3"));
    }

    [Fact]
    public void CallbackToken_BindsCallAndTenant()
    {
        var token = AcsCalls.CallbackToken(Key, "acs-1", "dentist");

        Assert.True(AcsCalls.IsCallbackToken(Key, "acs-1", "dentist", token));
        Assert.False(AcsCalls.IsCallbackToken(Key, "acs-2", "dentist", token));
        Assert.False(AcsCalls.IsCallbackToken(Key, "acs-1", "plumber", token));
        Assert.False(AcsCalls.IsCallbackToken(AcsCalls.CallbackKey("another-secret-for-tests", null), "acs-1", "dentist", token));
        Assert.False(AcsCalls.IsCallbackToken(Key, "acs-1", "dentist", null));
    }

    [Fact]
    public void CallbackUri_NoPersonalData_TokenInQuery()
    {
        var uri = new Uri(AcsCalls.CallbackUri("https://app.example.com/", "acs-1", "dentist", Key));

        Assert.Equal("/acs/callbacks/acs-1", uri.AbsolutePath);
        Assert.Contains("tenant=dentist&token=", uri.Query);
    }

    [Fact]
    public void CallbackKey_FromAccessKey_DiffersFromTheKeyItself()
    {
        var accessKey = Convert.ToBase64String(Encoding.ASCII.GetBytes("an-access-key"));

        Assert.NotEqual(Convert.FromBase64String(accessKey), AcsCalls.CallbackKey(null, accessKey));
        Assert.Throws<InvalidOperationException>(() => AcsCalls.CallbackKey(null, null));
    }

    [Theory]
    [InlineData("t0", 0, AcsOperation.Listen)]
    [InlineData("t12:hangup", 12, AcsOperation.Hangup)]
    [InlineData("t3:transfer", 3, AcsOperation.Transfer)]
    [InlineData("trouble", 0, AcsOperation.Trouble)]
    public void Operation_RoundTrips(string context, int turn, string purpose)
    {
        Assert.True(AcsOperation.TryParse(context, out var op));
        Assert.Equal(new AcsOperation(turn, purpose), op);
        Assert.Equal(context, op.ToString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("answer")]
    [InlineData("t")]
    [InlineData("t-1")]
    [InlineData("t3:dance")]
    [InlineData("someone else's context")]
    public void Operation_NotOurs_NotParsed(string? context) => Assert.False(AcsOperation.TryParse(context, out _));

    [Theory]
    [InlineData("endpoint=https://x.communication.azure.com/;accesskey=a2V5", true)]
    [InlineData("endpoint=http://127.0.0.1:7073/;accesskey=a2V5", true)]
    [InlineData("endpoint=http://x.communication.azure.com/;accesskey=a2V5", false)]
    [InlineData("accesskey=a2V5", false)]
    [InlineData("endpoint=https://x.communication.azure.com/;accesskey=not base64!", false)]
    public void ConnectionString_Parse(string value, bool ok)
    {
        Assert.Equal(ok, AcsConnectionString.TryParse(value, out _, out var error));
        Assert.Equal(ok, error.Length == 0);
    }
}
