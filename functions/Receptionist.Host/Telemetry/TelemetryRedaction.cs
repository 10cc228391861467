using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using OpenTelemetry;
using OpenTelemetry.Logs;
using Receptionist.Calls;
using Receptionist.Core.Phone;

namespace Receptionist.Host.Telemetry;

/// <summary>
/// The last line of the privacy rule (docs/telemetry.md): before anything is exported, every string attribute of a
/// span or log record, a log's message and a span's status text are scrubbed — query-string values (secrets such as
/// Event Grid's <c>code</c> and ACS's call tokens ride there) become "Redacted", table entity keys in storage URLs
/// (some are phone numbers) become "Redacted", and phone numbers in any form are masked the way logs mask them
/// (+1555***4321). The product's own attributes (<c>receptionist.*</c>) are closed vocabularies and pass as they are.
/// </summary>
public static partial class TelemetryRedaction
{
    public const string Redacted = "Redacted";

    /// <summary>Attributes that are a URL or part of one: their long digit runs are masked too.</summary>
    private static readonly HashSet<string> UrlKeys = new(StringComparer.Ordinal)
    {
        "url.full", "url.path", "url.query", "http.url", "http.target", "http.route",
    };

    /// <summary>Attributes not exported at all: the caller's or owner's network address.</summary>
    private static readonly HashSet<string> Dropped = new(StringComparer.Ordinal)
    {
        "client.address", "client.port", "network.peer.address", "network.peer.port", "net.peer.ip", "http.client_ip",
    };

    /// <summary>A string as it may be exported: see the class summary. <paramref name="url"/>: the string is a URL
    /// (or a path or query), so standalone runs of 10–15 digits are masked too.</summary>
    public static string Scrub(string value, bool url = false)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length == 0)
        {
            return value;
        }

        var s = value;
        if (s.Contains('?', StringComparison.Ordinal))
        {
            s = QueryString().Replace(s, m => RedactQuery(m.Value));
        }

        if (s.Contains("/signin/", StringComparison.OrdinalIgnoreCase))
        {
            s = SignInSecret().Replace(s, Redacted); // an owner's one-time sign-in link: whoever holds it signs in
        }

        if (s.Contains("Key", StringComparison.Ordinal))
        {
            s = EntityKey().Replace(s, "$1='" + Redacted + "'");
        }

        s = E164().Replace(s, m => m.Groups["plus"].Value == "+" ? PhoneNumber.Mask(m.Value) : m.Groups["plus"].Value + PhoneNumber.Mask(m.Groups["digits"].Value));
        if (url)
        {
            s = DigitRun().Replace(s, m => PhoneNumber.Mask(m.Value));
        }

        return s;
    }

    /// <summary>"?a=1&amp;b=2" (or "a=1&amp;b=2") → "?a=Redacted&amp;b=Redacted": names kept, every value replaced.</summary>
    public static string RedactQuery(string query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var start = query.StartsWith('?') ? 1 : 0;
        if (query.Length <= start)
        {
            return query;
        }

        var b = new StringBuilder(query.Length + 16);
        b.Append(query, 0, start);
        var first = true;
        foreach (var pair in query[start..].Split('&'))
        {
            if (!first)
            {
                b.Append('&');
            }

            first = false;
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            b.Append(eq < 0 ? pair : string.Concat(pair.AsSpan(0, eq + 1), Redacted));
        }

        return b.ToString();
    }

    /// <summary>The value an attribute may be exported with; null: drop the attribute.</summary>
    public static object? ScrubAttribute(string key, object? value)
    {
        if (Dropped.Contains(key))
        {
            return null;
        }

        if (value is not string s || key.StartsWith("receptionist.", StringComparison.Ordinal))
        {
            return value;
        }

        return key == "url.query" ? Scrub(RedactQuery(s), url: true) : Scrub(s, UrlKeys.Contains(key));
    }

    // A query string inside a URL: from '?' to the first character no URL has.
    [GeneratedRegex(@"\?[^\s#""'<>]*", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex QueryString();

    // The secret of a sign-in link, /signin/{secret}: the path segment after /signin/.
    [GeneratedRegex(@"(?<=/signin/)[^/?#\s""']+", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase, matchTimeoutMilliseconds: 1000)]
    private static partial Regex SignInSecret();

    // Table entity keys as the Tables REST API puts them in a path: Entities(PartitionKey='…',RowKey='…').
    [GeneratedRegex(@"\b(PartitionKey|RowKey)='(?:[^']|'')*'", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex EntityKey();

    // An E.164 number, plain or URL-encoded ("+15557654321", "%2B15557654321").
    [GeneratedRegex(@"(?<plus>\+|%2[Bb])(?<digits>\d{8,15})(?!\d)", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex E164();

    // 10–15 digits standing alone (not part of a hex id or a longer word): a national number in a URL.
    [GeneratedRegex(@"(?<![0-9A-Za-z*])\d{10,15}(?![0-9A-Za-z])", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex DigitRun();
}

/// <summary>Scrubs every span before it is exported (added before the exporters, so they see only the result).</summary>
public sealed class RedactingSpanProcessor : BaseProcessor<Activity>
{
    public override void OnEnd(Activity data)
    {
        ArgumentNullException.ThrowIfNull(data);
        List<(string Key, object? Value)>? changes = null;
        foreach (var tag in data.TagObjects)
        {
            var scrubbed = TelemetryRedaction.ScrubAttribute(tag.Key, tag.Value);
            if (!Equals(scrubbed, tag.Value))
            {
                (changes ??= []).Add((tag.Key, scrubbed));
            }
        }

        foreach (var (key, value) in changes ?? [])
        {
            data.SetTag(key, value); // null removes it
        }

        if (data.StatusDescription is { Length: > 0 } description && TelemetryRedaction.Scrub(description) is var clean && clean != description)
        {
            data.SetStatus(data.Status, clean);
        }

        var name = TelemetryRedaction.Scrub(data.DisplayName, url: true);
        if (name != data.DisplayName)
        {
            data.DisplayName = name;
        }
    }
}

/// <summary>Scrubs every log record before it is exported: its message, its attributes, and an exception whose text
/// would carry something to scrub (replaced by one carrying the scrubbed text and the original type's name). Log
/// scopes are not exported (a processor cannot rewrite them, and ASP.NET Core's carry the request path); instead the
/// call and tenant ids of the turn being handled are added as attributes (<c>CallId</c>, <c>TenantId</c>).</summary>
public sealed class RedactingLogProcessor : BaseProcessor<LogRecord>
{
    public const string CallIdAttribute = "CallId";
    public const string TenantIdAttribute = "TenantId";

    public override void OnEnd(LogRecord data)
    {
        ArgumentNullException.ThrowIfNull(data);
        AddCallIds(data);
        if (data.Body is { } body)
        {
            data.Body = TelemetryRedaction.Scrub(body);
        }

        if (data.FormattedMessage is { } message)
        {
            data.FormattedMessage = TelemetryRedaction.Scrub(message);
        }

        if (data.Attributes is { Count: > 0 } attributes)
        {
            List<KeyValuePair<string, object?>>? scrubbed = null;
            for (var i = 0; i < attributes.Count; i++)
            {
                var (key, value) = attributes[i];
                var clean = TelemetryRedaction.ScrubAttribute(key, value);
                if (scrubbed is null && !Equals(clean, value))
                {
                    scrubbed = [.. attributes.Take(i)];
                }

                if (scrubbed is not null && (clean is not null || value is null))
                {
                    scrubbed.Add(new(key, clean));
                }
            }

            if (scrubbed is not null)
            {
                data.Attributes = scrubbed;
            }
        }

        if (data.Exception is { } ex && !(ex is RedactedException))
        {
            var text = ex.ToString();
            if (TelemetryRedaction.Scrub(text) != text)
            {
                data.Exception = new RedactedException(ex);
            }
        }
    }

    /// <summary>The turn's call and tenant ids, from the nearest span that carries them (the log is written inside it).</summary>
    private static void AddCallIds(LogRecord data)
    {
        for (var span = Activity.Current; span is not null; span = span.Parent)
        {
            if (span.GetTagItem(ReceptionistTelemetry.Tags.CallId) is string callId)
            {
                var attributes = data.Attributes?.ToList() ?? [];
                if (!attributes.Any(a => a.Key == CallIdAttribute))
                {
                    attributes.Add(new(CallIdAttribute, callId));
                }

                if (span.GetTagItem(ReceptionistTelemetry.Tags.TenantId) is string tenantId && !attributes.Any(a => a.Key == TenantIdAttribute))
                {
                    attributes.Add(new(TenantIdAttribute, tenantId));
                }

                data.Attributes = attributes;
                return;
            }
        }
    }
}

/// <summary>Stands in for an exception whose message or stack would have carried a secret or a phone number.</summary>
public sealed class RedactedException : Exception
{
    private readonly string _text;

    public RedactedException(Exception original)
        : base($"{original?.GetType().FullName}: {TelemetryRedaction.Scrub(original?.Message ?? string.Empty)}")
    {
        ArgumentNullException.ThrowIfNull(original);
        _text = TelemetryRedaction.Scrub(original.ToString());
    }

    public RedactedException()
        : this(new InvalidOperationException())
    {
    }

    public RedactedException(string message)
        : this(new InvalidOperationException(message))
    {
    }

    public RedactedException(string message, Exception innerException)
        : this(new InvalidOperationException(message, innerException))
    {
    }

    public override string? StackTrace => null;

    public override string ToString() => _text;
}
