using System.Diagnostics;
using OpenTelemetry.Trace;
using Receptionist.Host.Telemetry;

namespace Receptionist.Host.Tests.Telemetry;

public sealed class TelemetryRedactionTests
{
    [Theory]
    [InlineData("https://app.example/acs/events?code=s3cr3t-event-grid", "https://app.example/acs/events?code=Redacted")]
    [InlineData("/acs/callbacks/acs-abc?tenant=bright-smiles&token=Zm9vYmFy", "/acs/callbacks/acs-abc?tenant=Redacted&token=Redacted")]
    [InlineData("Request starting HTTP/1.1 POST http://127.0.0.1:5000/twilio/voice/gather?turn=3&retry=1 - text", "Request starting HTTP/1.1 POST http://127.0.0.1:5000/twilio/voice/gather?turn=Redacted&retry=Redacted - text")]
    [InlineData("are you still there? yes", "are you still there? yes")]
    public void Scrub_QueryString_ValuesRedactedNamesKept(string value, string expected) => Assert.Equal(expected, TelemetryRedaction.Scrub(value));

    [Theory]
    [InlineData("http://127.0.0.1:10002/devstoreaccount1/LookupLimits(PartitionKey='bright-smiles',RowKey='%2B15557654321_20261123')")]
    [InlineData("http://127.0.0.1:10002/devstoreaccount1/OptOuts(PartitionKey='bright-smiles',RowKey='+15557654321')")]
    [InlineData("PartitionKey='it''s +15557654321'")]
    public void Scrub_TableEntityKeys_Redacted(string url)
    {
        var scrubbed = TelemetryRedaction.Scrub(url, url: true);

        Assert.Contains("PartitionKey='Redacted'", scrubbed, StringComparison.Ordinal);
        Assert.DoesNotContain("5557654321", scrubbed, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Call from +15557654321 to +442071234567 ended", "+15557654321")]
    [InlineData("to=%2B15557654321&x=1", "15557654321")]
    [InlineData("/api/v1/tenants/bright-smiles/opt-outs/5557654321", "5557654321")]
    public void ScrubAttribute_PhoneNumberAnyForm_Masked(string value, string number)
    {
        var scrubbed = (string)TelemetryRedaction.ScrubAttribute("url.path", value)!;

        Assert.DoesNotContain(number, scrubbed, StringComparison.Ordinal);
        Assert.Contains("***", scrubbed, StringComparison.Ordinal);
    }

    [Fact]
    public void ScrubAttribute_HexCallIdInUrl_Unchanged()
    {
        const string path = "/acs/callbacks/acs-0123456789abcdef0123456789abcdef";

        Assert.Equal(path, TelemetryRedaction.ScrubAttribute("url.path", path));
    }

    [Fact]
    public void ScrubAttribute_ClientAddress_Dropped() => Assert.Null(TelemetryRedaction.ScrubAttribute("client.address", "203.0.113.9"));

    [Fact]
    public void ScrubAttribute_OwnAttribute_PassesUnchanged() =>
        Assert.Equal("CA1234567890123", TelemetryRedaction.ScrubAttribute("receptionist.call.id", "CA1234567890123"));

    [Fact]
    public void RedactingSpanProcessor_SpanWithQueryAndAddress_ScrubbedBeforeExport()
    {
        using var activity = new Activity("test").Start();
        activity.SetTag("url.query", "?code=s3cr3t");
        activity.SetTag("url.full", "https://app.example/acs/events?code=s3cr3t");
        activity.SetTag("client.address", "203.0.113.9");
        activity.SetTag("http.response.status_code", 200);
        activity.SetStatus(ActivityStatusCode.Error, "failed for +15557654321");
        activity.Stop();

        new RedactingSpanProcessor().OnEnd(activity);

        Assert.Equal("?code=Redacted", activity.GetTagItem("url.query"));
        Assert.Equal("https://app.example/acs/events?code=Redacted", activity.GetTagItem("url.full"));
        Assert.Null(activity.GetTagItem("client.address"));
        Assert.Equal(200, activity.GetTagItem("http.response.status_code"));
        Assert.DoesNotContain("5557654321", activity.StatusDescription, StringComparison.Ordinal);
    }

    [Fact]
    public void RedactedException_OriginalWithNumber_TextScrubbedTypeNamed()
    {
        var ex = new RedactedException(new InvalidOperationException("no route for +15557654321"));

        Assert.Contains("System.InvalidOperationException", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("5557654321", ex.ToString(), StringComparison.Ordinal);
    }
}

public sealed class ReceptionistSamplerTests
{
    private static SamplingParameters Root(ActivityKind kind, string name = "span") =>
        new(default, ActivityTraceId.CreateRandom(), name, kind);

    private static SamplingParameters Child(bool remote, bool sampled) =>
        new(new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), sampled ? ActivityTraceFlags.Recorded : ActivityTraceFlags.None, isRemote: remote),
            ActivityTraceId.CreateRandom(), "span", ActivityKind.Server);

    [Fact]
    public void ShouldSample_RootClientSpan_Dropped()
    {
        Assert.Equal(SamplingDecision.Drop, new ReceptionistSampler(1).ShouldSample(Root(ActivityKind.Client)).Decision);
        Assert.Equal(SamplingDecision.Drop, new ReceptionistSampler(1).ShouldSample(Root(ActivityKind.Internal, "System.Net.Http.HttpRequestOut")).Decision);
    }

    [Theory]
    [InlineData(1.0, SamplingDecision.RecordAndSample)]
    [InlineData(0.0, SamplingDecision.Drop)]
    public void ShouldSample_RootServerSpan_ByRatio(double ratio, SamplingDecision expected) =>
        Assert.Equal(expected, new ReceptionistSampler(ratio).ShouldSample(Root(ActivityKind.Server)).Decision);

    [Fact]
    public void ShouldSample_RemoteParentNotSampled_OurRatioDecides() =>
        Assert.Equal(SamplingDecision.RecordAndSample, new ReceptionistSampler(1).ShouldSample(Child(remote: true, sampled: false)).Decision);

    [Fact]
    public void ShouldSample_LocalParent_FollowsItsDecision()
    {
        Assert.Equal(SamplingDecision.Drop, new ReceptionistSampler(1).ShouldSample(Child(remote: false, sampled: false)).Decision);
        Assert.Equal(SamplingDecision.RecordAndSample, new ReceptionistSampler(0).ShouldSample(Child(remote: false, sampled: true)).Decision);
    }

    [Fact]
    public void ShouldSample_AzureMonitor_SampleRateOnSampledSpans()
    {
        var result = new ReceptionistSampler(0.25 * 4, tagSampleRate: true).ShouldSample(Root(ActivityKind.Server));

        Assert.Contains(result.Attributes, a => a.Key == "microsoft.sample_rate" && Equals(a.Value, 100.0));
    }

    [Theory]
    [InlineData(-0.01)]
    [InlineData(1.01)]
    [InlineData(double.NaN)]
    public void Ctor_RatioOutOfRange_Throws(double ratio) => Assert.Throws<ArgumentOutOfRangeException>(() => new ReceptionistSampler(ratio));
}

public sealed class TelemetryOptionsTests
{
    [Theory]
    [InlineData("InstrumentationKey=00000000-0000-0000-0000-000000000001;IngestionEndpoint=https://westeurope-5.in.applicationinsights.azure.com/", null)]
    [InlineData("InstrumentationKey=00000000-0000-0000-0000-000000000001", null)]
    [InlineData("InstrumentationKey=abc", "InstrumentationKey must be a GUID")]
    [InlineData("IngestionEndpoint=https://x/", "InstrumentationKey must be a GUID")]
    [InlineData("InstrumentationKey=00000000-0000-0000-0000-000000000001;IngestionEndpoint=not a url", "IngestionEndpoint must be an absolute http(s) URL")]
    [InlineData("garbage", "every part must be Name=value")]
    public void ConnectionStringProblem_Value_Expected(string value, string? expected) =>
        Assert.Equal(expected, TelemetryOptions.ConnectionStringProblem(value));

    [Theory]
    [InlineData("/signin/Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0Z2FycGx5MTIz", "/signin/Redacted")]
    [InlineData("http://127.0.0.1:7071/signin/abc_DEF-123?x=1", "http://127.0.0.1:7071/signin/Redacted?x=Redacted")]
    [InlineData("Request starting HTTP/1.1 GET http://127.0.0.1:7071/signin/abc_DEF-123 - - -", "Request starting HTTP/1.1 GET http://127.0.0.1:7071/signin/Redacted - - -")]
    public void Scrub_SignInLinkSecret_Redacted(string value, string expected) => Assert.Equal(expected, TelemetryRedaction.Scrub(value, url: true));
}
