namespace Receptionist.Telephony.Acs.Simulation;

/// <summary>A REST request the stand-in accepted (its signature was valid), as received, with the status it was
/// answered with, so tests can assert on what the app sent (a Repeatability-Request-ID, a prompt's voice…).</summary>
/// <param name="PathAndQuery">The request target as sent, e.g. <c>/calling/callConnections:answer?api-version=2025-06-15</c>.</param>
/// <param name="Body">The body as sent (JSON, or empty).</param>
/// <param name="Headers">Every request header (case-insensitive names; repeated values joined with commas).</param>
public sealed record AcsRecordedRequest(string Method, string PathAndQuery, string Body, IReadOnlyDictionary<string, string> Headers, int Status)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}
