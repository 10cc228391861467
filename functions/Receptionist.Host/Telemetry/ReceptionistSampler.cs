using System.Diagnostics;
using OpenTelemetry.Trace;

namespace Receptionist.Host.Telemetry;

/// <summary>
/// Parent-based trace-id ratio sampling (<c>Telemetry:SamplingRatio</c>): a root span (a webhook, a relay turn) is kept
/// with that probability and every span below it follows its parent's decision, so a turn's trace is whole or absent.
/// A request that arrives with a trace context from outside is sampled by the same ratio, whatever its flag says.
/// An outgoing call that is part of no request or turn — the workflow engine polling its queues and renewing leases,
/// signing-key refreshes — is not traced: it would be thousands of one-span traces an hour.
/// When exporting to Azure Monitor the kept share is put on each span (<c>microsoft.sample_rate</c>, in percent) so
/// Application Insights scales its counts.
/// </summary>
public sealed class ReceptionistSampler : Sampler
{
    /// <summary>The operation name .NET gives an HttpClient request's activity.</summary>
    private const string HttpClientOperation = "System.Net.Http.HttpRequestOut";

    private static readonly SamplingResult Drop = new(SamplingDecision.Drop);

    private readonly Sampler _inner;
    private readonly SamplingResult? _sampled;

    public ReceptionistSampler(double ratio, bool tagSampleRate = false)
    {
        if (double.IsNaN(ratio) || ratio is < 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(ratio), ratio, "The sampling ratio must be between 0 and 1.");
        }

        Ratio = ratio;
        // A remote parent's sampled flag is not trusted (webhooks come from outside: Twilio, ACS, Event Grid,
        // browsers): our ratio decides. A local parent's decision is followed, so a trace is whole or absent.
        var byRatio = new TraceIdRatioBasedSampler(ratio);
        _inner = new ParentBasedSampler(byRatio, remoteParentSampled: byRatio, remoteParentNotSampled: byRatio,
            localParentSampled: new AlwaysOnSampler(), localParentNotSampled: new AlwaysOffSampler());
        _sampled = tagSampleRate ? new SamplingResult(SamplingDecision.RecordAndSample, [new KeyValuePair<string, object>("microsoft.sample_rate", ratio * 100)]) : null;
        Description = $"ReceptionistSampler{{ratio={ratio.ToString(System.Globalization.CultureInfo.InvariantCulture)}}}";
    }

    public double Ratio { get; }

    public override SamplingResult ShouldSample(in SamplingParameters samplingParameters)
    {
        if (samplingParameters.ParentContext.TraceId == default
            && (samplingParameters.Kind == ActivityKind.Client || samplingParameters.Name == HttpClientOperation))
        {
            return Drop;
        }

        var result = _inner.ShouldSample(samplingParameters);
        return _sampled is { } sampled && result.Decision == SamplingDecision.RecordAndSample ? sampled : result;
    }
}
