using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using Microsoft.Extensions.DependencyInjection;
using Receptionist.Core.Storage;
using Receptionist.Telephony.Twilio;
using Receptionist.Testing;
using Xunit.Abstractions;

namespace Receptionist.Host.Tests.Twilio;

/// <summary>Input hygiene on the Twilio webhooks, against the real app on Azurite: bad input gets a 4xx ProblemDetails
/// with a reason — never a 5xx — an overlong utterance does not end the call, and an unsigned request writes nothing.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class BadInputTests(AzuriteFixture azurite, ITestOutputHelper output) : IAsyncLifetime
{
    private const int FuzzSeed = 20261123;
    private const int FuzzRequests = 700;
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(20);

    private static readonly string[] FuzzRoutes = [TwilioPaths.Voice, TwilioPaths.Gather, TwilioPaths.Dial, TwilioPaths.RelayEnded, TwilioPaths.Status];

    private static readonly string[] BadTurns =
        ["", "0", "-1", "+1", " 1", "1 ", "1.5", "1e3", "0x10", "abc", "100001", "2147483647", "2147483648", "99999999999999999999", "\uFF11", "\u0661", "1\u0000"];

    private static readonly string[] BadSids =
        ["", "CA01", "CAabc\n", "CA" + new string('a', 32) + "\n", "CA" + new string('a', 31), "CA" + new string('a', 33), "ca" + new string('a', 32),
         "AC" + new string('a', 32), "CA" + new string('g', 32), "CA" + new string('a', 30) + "/..", "CA'; DROP TABLE Calls;--", "CA\uFF10" + new string('a', 31)];

    private static readonly string[] Statuses =
        ["queued", "initiated", "ringing", "in-progress", "completed", "busy", "failed", "no-answer", "canceled", "answered", "RINGING", "done", "in progress"];

    private static readonly string[] Fields =
        ["CallSid", "AccountSid", "To", "From", "CallStatus", "SpeechResult", "Confidence", "Digits", "DialCallStatus", "Direction", "ApiVersion",
         "CallDuration", "HandoffData", "SessionId", "SessionStatus", "Caller", "Extra\u00e9", "X\u0000Key"];

    private static readonly string[] Odd =
        ["\u0000", "\r\n", "\n", "\u001b[31m", "\u007f", "\u0085", "\u2028", "\uFEFF", "\u202E", "e\u0301", "\U0001F600", "\uD800", "\uDC00",
         "\uFF11\uFF12\uFF13", "\u4E88\u7D04", "\u03A9\u2248\u00E7", "'; DROP TABLE Calls;--", "<Hangup/>", "]]>", "../../", "%00", "{\"error\":1}", ",", "&", "="];

    private AppHost _app = null!;

    public async Task InitializeAsync()
    {
        _app = await AppHost.StartAsync(azurite.ConnectionString, TestTenants.MondayMorning);
        await _app.ImportTenantsAsync(TestTenants.Dentist);
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private ICallStore Calls => _app.Services.GetRequiredService<ICallStore>();

    [Fact]
    public async Task Webhooks_SeededFuzzOfSignedAndUnsignedRequests_NeverA5xxAndEvery4xxIsAProblemWithAReason()
    {
        var random = new Random(FuzzSeed);
        var live = NewSid(random);
        await StartCallAsync(live);
        var statuses = new SortedDictionary<int, int>();
        var failures = new List<string>();
        var signed = 0;

        for (var i = 0; i < FuzzRequests; i++)
        {
            var fuzz = NextFuzz(random, live);
            signed += fuzz.Signed ? 1 : 0;
            using var request = fuzz.Request;
            using var cts = new CancellationTokenSource(RequestTimeout);
            using var response = await _app.Http.SendAsync(request, cts.Token);
            var code = (int)response.StatusCode;
            statuses[code] = statuses.GetValueOrDefault(code) + 1;
            if (await ProblemWithAsync(response) is { } problem)
            {
                failures.Add($"#{i} {fuzz.Description}: {code} {problem}");
            }
        }

        output.WriteLine($"{FuzzRequests} requests ({signed} signed), seed {FuzzSeed}: "
            + string.Join(", ", statuses.Select(s => $"{s.Key}×{s.Value}")));
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures.Take(20)));
        Assert.True(signed >= 500, $"only {signed} signed requests");
        Assert.DoesNotContain(statuses.Keys, code => code >= 500);
        // The fuzz must reach the handlers, not only the filter: valid calls answered, bad fields refused.
        Assert.True(statuses.GetValueOrDefault(200) > 50, "too few requests answered with TwiML");
        Assert.True(statuses.GetValueOrDefault(400) > 100, "too few requests refused as malformed");
        Assert.True(statuses.GetValueOrDefault(403) > 10, "too few requests refused as unsigned");
        Assert.True(statuses.GetValueOrDefault(404) > 0 && statuses.GetValueOrDefault(405) > 0, "no request to an unknown route or with a wrong method");
    }

    [Fact]
    public async Task Gather_OneMegabyteSpeechResultOnALiveCall_Answers200TwimlAndTheCallGoesOn()
    {
        var sid = NewSid(new Random(1));
        await StartCallAsync(sid);
        var speech = string.Concat(Enumerable.Repeat("I'd like a cleaning ", (1024 * 1024 / 20) + 1))[..(1024 * 1024)];

        using var response = await PostSignedAsync(TwilioPaths.GatherUrl(1), Form(sid, ("CallStatus", "in-progress"), ("SpeechResult", speech), ("Confidence", "0.9")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var twiml = XDocument.Parse(await response.Content.ReadAsStringAsync()).Root!;
        Assert.Equal("Response", twiml.Name.LocalName);
        Assert.NotNull(twiml.Element("Gather"));
        Assert.Null(twiml.Element("Hangup"));
        var stored = await Calls.GetAsync(sid, CancellationToken.None);
        Assert.False(stored!.Record.Session.Ended);
        Assert.Equal(1, stored.Record.Turn);
        var said = Assert.Single(await Calls.HistoryAsync(sid, CancellationToken.None), h => h.Speaker == "caller");
        Assert.Equal(TwilioVoiceRequest.MaxSpeechLength, said.Text.Length);

        using var next = await PostSignedAsync(TwilioPaths.GatherUrl(2), Form(sid, ("CallStatus", "in-progress"), ("SpeechResult", "tomorrow at 10")));
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        Assert.Equal(2, (await Calls.GetAsync(sid, CancellationToken.None))!.Record.Turn);
    }

    [Theory]
    [InlineData(TwilioPaths.Voice, "CallStatus", "ringing")]
    [InlineData(TwilioPaths.Gather + "?turn=1", "SpeechResult", "I'd like a cleaning")]
    [InlineData(TwilioPaths.Dial + "?turn=1", "DialCallStatus", "completed")]
    [InlineData(TwilioPaths.RelayEnded + "?turn=1", "SessionStatus", "ended")]
    [InlineData(TwilioPaths.Status, "CallStatus", "completed")]
    public async Task Webhook_UnsignedOrWronglySigned_Returns403ProblemAndStoresNoCall(string pathAndQuery, string field, string value)
    {
        var sid = NewSid(new Random(pathAndQuery.Length));
        foreach (var signature in new[] { null, "", "AAAAAAAAAAAAAAAAAAAAAAAAAAA=", TwilioSignature.Compute("another-token-456", new Uri(_app.BaseUrl, pathAndQuery).AbsoluteUri, Form(sid, (field, value))) })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, pathAndQuery) { Content = new FormUrlEncodedContent(Form(sid, (field, value))) };
            if (signature is not null)
            {
                request.Headers.TryAddWithoutValidation(TwilioSignature.Header, signature);
            }

            using var response = await SendAsync(request);

            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Null(await ProblemWithAsync(response));
        }

        Assert.Null(await Calls.GetAsync(sid, CancellationToken.None));
    }

    [Fact]
    public async Task Webhooks_UnsignedOnALiveCall_ChangeNothing()
    {
        var sid = NewSid(new Random(2));
        await StartCallAsync(sid);
        var before = (await Calls.GetAsync(sid, CancellationToken.None))!;

        foreach (var (path, field, value) in new[]
                 {
                     (TwilioPaths.GatherUrl(1), "SpeechResult", "I'd like a cleaning"), (TwilioPaths.DialUrl(1), "DialCallStatus", "no-answer"),
                     (TwilioPaths.RelayEnded + "?turn=1", "SessionStatus", "ended"), (TwilioPaths.Status, "CallStatus", "completed"),
                 })
        {
            using var content = new FormUrlEncodedContent(Form(sid, ("CallStatus", "in-progress"), (field, value)));
            using var response = await _app.Http.PostAsync(path, content);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }

        var after = (await Calls.GetAsync(sid, CancellationToken.None))!;
        Assert.Equal(before.ETag, after.ETag);
        Assert.False(after.Record.Session.Ended);
        Assert.Equal(before.Record.HistoryCount, (await Calls.HistoryAsync(sid, CancellationToken.None)).Count);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("100001")]
    [InlineData("2147483647")]
    [InlineData("2147483648")]
    [InlineData("-2147483648")]
    public async Task Gather_TurnOutOfRange_Returns400ProblemNamingTurn(string turn)
    {
        var sid = NewSid(new Random(3));
        await StartCallAsync(sid);

        using var response = await PostSignedAsync($"{TwilioPaths.Gather}?turn={turn}", Form(sid, ("CallStatus", "in-progress"), ("SpeechResult", "yes")));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(await ProblemWithAsync(response));
        Assert.Contains("'turn'", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, (await Calls.GetAsync(sid, CancellationToken.None))!.Record.Turn);
    }

    [Fact]
    public async Task Gather_LargestTurn_IsAnswered()
    {
        var sid = NewSid(new Random(4));
        await StartCallAsync(sid);

        using var response = await PostSignedAsync($"{TwilioPaths.Gather}?turn=100000", Form(sid, ("CallStatus", "in-progress"), ("SpeechResult", "I'd like a cleaning")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("-2147483648", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GET", TwilioPaths.Voice)]
    [InlineData("GET", TwilioPaths.Gather)]
    [InlineData("GET", TwilioPaths.Dial)]
    [InlineData("GET", TwilioPaths.RelayEnded)]
    [InlineData("GET", TwilioPaths.Status)]
    [InlineData("PUT", TwilioPaths.Voice)]
    [InlineData("DELETE", TwilioPaths.Status)]
    [InlineData("POST", TwilioPaths.Relay)]
    [InlineData("POST", "/healthz")]
    public async Task Route_WrongMethod_Returns405Problem(string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);

        using var response = await SendAsync(request);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Null(await ProblemWithAsync(response));
    }

    [Theory]
    [InlineData("/twilio/nosuch")]
    [InlineData("/nosuch/route")] // ("/" is the owners' dashboard)
    public async Task Route_Unknown_Returns404Problem(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(Form(NewSid(new Random(5)))) };

        using var response = await SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Null(await ProblemWithAsync(response));
    }

    [Fact]
    public async Task Voice_HandlerFailsUnexpectedly_CallerHearsUsWithoutDetailsOfTheException()
    {
        await using var app = await AppHost.StartAsync(azurite.ConnectionString, TestTenants.MondayMorning,
            services: s => s.AddSingleton<ICallStore, ExplodingCallStore>());
        await app.ImportTenantsAsync(TestTenants.Dentist);
        var form = Form(NewSid(new Random(6)), ("CallStatus", "ringing"));
        var url = new Uri(app.BaseUrl, TwilioPaths.Voice);
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Add(TwilioSignature.Header, TwilioSignature.Compute(AppHost.AuthToken, url.AbsoluteUri, form));

        using var cts = new CancellationTokenSource(RequestTimeout);
        using var response = await app.Http.SendAsync(request, cts.Token);

        // Not Twilio's "application error" tone: an answer in TwiML (an apology, or a transfer to the business).
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.NotEmpty(System.Xml.Linq.XDocument.Parse(body).Root!.Elements("Say"));
        Assert.DoesNotContain(ExplodingCallStore.Secret, body, StringComparison.Ordinal);
        Assert.DoesNotContain(nameof(ExplodingCallStore), body, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_HandlerFailsUnexpectedly_Returns500ProblemWithoutDetailsOfTheException()
    {
        await using var app = await AppHost.StartAsync(azurite.ConnectionString, TestTenants.MondayMorning,
            services: s => s.AddSingleton<ICallStore, ExplodingCallStore>());
        var form = Form(NewSid(new Random(7)), ("CallStatus", "completed"));

        using var cts = new CancellationTokenSource(RequestTimeout);
        using var response = await TwilioRequests.PostSignedAsync(app.Http, TwilioPaths.Status, form, cancellationToken: cts.Token);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync();
        using var json = JsonDocument.Parse(body);
        Assert.Equal(500, json.RootElement.GetProperty("status").GetInt32());
        Assert.DoesNotContain(ExplodingCallStore.Secret, body, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", body, StringComparison.Ordinal);
    }

    /// <summary>Null when the response keeps the rules: below 500; a 4xx is a ProblemDetails with its status and a
    /// reason; a 200 is TwiML. Otherwise what is wrong with it.</summary>
    private static async Task<string?> ProblemWithAsync(HttpResponseMessage response)
    {
        var code = (int)response.StatusCode;
        var body = await response.Content.ReadAsStringAsync();
        var excerpt = body.Length > 300 ? body[..300] : body;
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        if (code >= 500)
        {
            return $"server error: {excerpt}";
        }

        if (code >= 400)
        {
            if (mediaType != "application/problem+json")
            {
                return $"4xx as {mediaType ?? "no content type"}: {excerpt}";
            }

            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            var hasReason = new[] { "detail", "title" }.Any(p =>
                root.TryGetProperty(p, out var v) && v.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(v.GetString()));
            var status = root.TryGetProperty("status", out var s) && s.ValueKind == JsonValueKind.Number ? s.GetInt32() : 0;
            return hasReason && status == code ? null : $"problem without a reason or status: {excerpt}";
        }

        if (code == 200)
        {
            try
            {
                return mediaType == "text/xml" && XDocument.Parse(body).Root?.Name.LocalName == "Response" ? null : $"200 that is not TwiML: {excerpt}";
            }
            catch (System.Xml.XmlException ex)
            {
                return $"200 with malformed TwiML ({ex.Message}): {excerpt}";
            }
        }

        return code == 204 ? null : $"unexpected status: {excerpt}";
    }

    private sealed record Fuzz(string Description, HttpRequestMessage Request, bool Signed);

    /// <summary>One request: a route (now and then misspelt or with the wrong method), a turn (often bad), a Twilio form
    /// for the live call, a fresh call or a bad sid, with fields removed, oversized, doubled or full of control
    /// characters and odd Unicode, in the right or a wrong content type, signed (mostly), wrongly signed or unsigned.</summary>
    private Fuzz NextFuzz(Random random, string live)
    {
        var route = FuzzRoutes[random.Next(FuzzRoutes.Length)];
        var needsTurn = route is TwilioPaths.Gather or TwilioPaths.Dial or TwilioPaths.RelayEnded;
        var turn = random.Next(10) switch
        {
            < 6 => random.Next(1, 6).ToString(CultureInfo.InvariantCulture),
            < 9 => BadTurns[random.Next(BadTurns.Length)],
            _ => null,
        };
        var query = turn is null ? string.Empty
            : random.Next(20) == 0 ? $"?turn={Uri.EscapeDataString(turn)}&turn=2"
            : needsTurn || random.Next(5) == 0 ? $"?turn={Uri.EscapeDataString(turn)}"
            : string.Empty;
        var pathAndQuery = route + query;

        var sid = random.Next(10) switch
        {
            < 5 => live,
            < 8 => NewSid(random),
            _ => BadSids[random.Next(BadSids.Length)],
        };
        var pairs = Form(sid, ("CallStatus", Statuses[random.Next(4)])).Select(p => (p.Key, p.Value)).ToList();
        switch (route)
        {
            case TwilioPaths.Gather when random.Next(3) > 0:
                pairs.Add(("SpeechResult", random.Next(2) == 0 ? "I'd like a cleaning" : "tomorrow at 10"));
                pairs.Add(("Confidence", random.Next(2) == 0 ? "0.9" : "1.5"));
                break;
            case TwilioPaths.Gather:
                pairs.Add(("Digits", random.Next(2) == 0 ? "1#" : "12a"));
                break;
            case TwilioPaths.Dial:
                pairs.Add(("DialCallStatus", Statuses[random.Next(Statuses.Length)]));
                break;
            case TwilioPaths.RelayEnded:
                pairs.Add(("SessionId", "VX" + new string('0', 32)));
                pairs.Add(("SessionStatus", "ended"));
                pairs.Add(("HandoffData", random.Next(2) == 0 ? "{\"reason\":\"hangup\"}" : "{\"reason\":\"error\"}"));
                break;
            case TwilioPaths.Status:
                pairs.Add(("CallDuration", random.Next(3) == 0 ? "-1" : "42"));
                break;
        }

        var mutations = new List<string>();
        for (var m = random.Next(0, 4); m > 0; m--)
        {
            mutations.Add(Mutate(random, pairs));
        }

        var (method, routeSpoiled) = random.Next(40) switch
        {
            0 => (HttpMethod.Get, "GET"),
            1 => (HttpMethod.Put, "PUT"),
            2 => (HttpMethod.Post, "unknown path"),
            _ => (HttpMethod.Post, null),
        };
        if (routeSpoiled == "unknown path")
        {
            pathAndQuery = route + "x" + query;
        }

        var signing = random.Next(20) switch { 0 => "unsigned", 1 => "wrongly signed", _ => "signed" };
        var request = new HttpRequestMessage(method, pathAndQuery);
        var bodyKind = random.Next(40) switch
        {
            0 => "json",
            1 => "text/plain",
            2 => "no body",
            3 => "empty form",
            4 or 5 => "multipart",
            6 => "form with charset",
            7 => "too many fields",
            _ => "form",
        };
        if (bodyKind == "empty form")
        {
            pairs.Clear();
        }
        else if (bodyKind == "too many fields")
        {
            pairs.AddRange(Enumerable.Range(0, 1100).Select(n => ($"F{n}", "x")));
        }
        else if (bodyKind == "multipart")
        {
            // Multipart field names are plain ASCII here; the values keep their oddities.
            pairs = [.. pairs.Select(p => (PercentEncode(p.Key) == p.Key ? p.Key : "Extra", p.Value))];
        }

        request.Content = bodyKind switch
        {
            "json" => new StringContent(JsonSerializer.Serialize(AsServerSees(pairs)), Encoding.UTF8, "application/json"),
            "text/plain" => new StringContent(Encode(pairs), Encoding.UTF8, "text/plain"),
            _ when method == HttpMethod.Get || bodyKind == "no body" => null,
            "multipart" => Multipart(pairs),
            _ => new StringContent(Encode(pairs), Encoding.UTF8, bodyKind == "form with charset" ? "application/x-www-form-urlencoded" : null),
        };
        if (request.Content is not null && bodyKind is "form" or "empty form" or "too many fields")
        {
            request.Content!.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-www-form-urlencoded");
        }

        var url = new Uri(_app.BaseUrl, pathAndQuery).AbsoluteUri;
        if (signing != "unsigned")
        {
            var token = signing == "signed" ? AppHost.AuthToken : "wrong-token-789";
            request.Headers.TryAddWithoutValidation(TwilioSignature.Header, TwilioSignature.Compute(token, url, AsServerSees(pairs)));
        }

        return new Fuzz($"{signing} {bodyKind} {method} {pathAndQuery} sid={Printable(sid)} [{string.Join("; ", mutations)}]", request,
            signing == "signed" && routeSpoiled is null);
    }

    /// <summary>Removes, blanks, oversizes, doubles or spoils one field; returns what it did.</summary>
    private static string Mutate(Random random, List<(string Key, string Value)> pairs)
    {
        var field = Fields[random.Next(Fields.Length)];
        var index = pairs.FindIndex(p => p.Key == field);
        var current = index >= 0 ? pairs[index].Value : "+15557654321";
        string? value;
        string what;
        switch (random.Next(8))
        {
            case 0:
                value = null;
                what = "removed";
                break;
            case 1:
                value = random.Next(2) == 0 ? string.Empty : "   ";
                what = "blank";
                break;
            case 2:
                var length = new[] { 65, 1001, 5000, 70_000, 1024 * 1024 }[random.Next(5)];
                value = string.Concat(Enumerable.Repeat(current.Length > 0 ? current : "x", (length / Math.Max(current.Length, 1)) + 1))[..length];
                what = $"{length} chars";
                break;
            case 3:
                pairs.Add((field, random.Next(2) == 0 ? current : Odd[random.Next(Odd.Length)]));
                return $"{field} doubled";
            case 4 or 5:
                var odd = Odd[random.Next(Odd.Length)];
                var at = random.Next(current.Length + 1);
                value = current[..at] + odd + current[at..];
                what = $"+{Printable(odd)}";
                break;
            case 6:
                value = Odd[random.Next(Odd.Length)];
                what = $"={Printable(value)}";
                break;
            default:
                value = new string([.. Enumerable.Range(0, random.Next(1, 40)).Select(_ => (char)random.Next(0x20, 0x3000))]);
                what = "random unicode";
                break;
        }

        if (index >= 0)
        {
            pairs.RemoveAt(index);
        }

        if (value is not null)
        {
            pairs.Insert(Math.Max(index, 0), (field, value));
        }

        return $"{Printable(field)} {what}";
    }

    /// <summary>The form as the app reads it: UTF-8 round-tripped (a lone surrogate becomes U+FFFD) and repeated keys
    /// joined with commas, in first-seen order.</summary>
    private static Dictionary<string, string> AsServerSees(List<(string Key, string Value)> pairs) =>
        pairs.GroupBy(p => RoundTrip(p.Key), StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => string.Join(',', g.Select(p => RoundTrip(p.Value))), StringComparer.Ordinal);

    private static string RoundTrip(string s) => Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(s));

    /// <summary>application/x-www-form-urlencoded, every byte outside the unreserved set percent-encoded.</summary>
    private static string Encode(List<(string Key, string Value)> pairs) =>
        string.Join('&', pairs.Select(p => PercentEncode(p.Key) + "=" + PercentEncode(p.Value)));

    private static string PercentEncode(string s)
    {
        var sb = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(s))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~')
            {
                sb.Append(c);
            }
            else
            {
                sb.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return sb.ToString();
    }

    private static MultipartFormDataContent Multipart(List<(string Key, string Value)> pairs)
    {
        var content = new MultipartFormDataContent();
        foreach (var (key, value) in pairs)
        {
            content.Add(new StringContent(RoundTrip(value), Encoding.UTF8), key);
        }

        return content;
    }

    private static string Printable(string s)
    {
        var shown = string.Concat(s.Take(40).Select(c => char.IsControl(c) || char.IsSurrogate(c) ? $"\\u{(int)c:x4}" : c.ToString()));
        return s.Length > 40 ? $"{shown}…({s.Length})" : shown;
    }

    /// <summary>A CallSid as Twilio makes them (CA + 32 hex), from the seeded random so a run can be replayed.</summary>
    private static string NewSid(Random random)
    {
        var bytes = new byte[16];
        random.NextBytes(bytes);
        return "CA" + Convert.ToHexStringLower(bytes);
    }

    private async Task StartCallAsync(string sid)
    {
        using var response = await PostSignedAsync(TwilioPaths.Voice, Form(sid));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotNull(await Calls.GetAsync(sid, CancellationToken.None));
    }

    /// <summary>As Twilio sends it (ringing, unless a field says otherwise).</summary>
    private static Dictionary<string, string> Form(string callSid, params (string Key, string Value)[] extra) =>
        TwilioRequests.Form(callSid, [("CallStatus", "ringing"), .. extra]);

    private async Task<HttpResponseMessage> PostSignedAsync(string pathAndQuery, Dictionary<string, string> form)
    {
        using var cts = new CancellationTokenSource(RequestTimeout);
        return await TwilioRequests.PostSignedAsync(_app.Http, pathAndQuery, form, cancellationToken: cts.Token);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request)
    {
        using var cts = new CancellationTokenSource(RequestTimeout);
        return await _app.Http.SendAsync(request, cts.Token);
    }

    /// <summary>A call store with a bug: every call throws an exception that is not storage trouble.</summary>
    private sealed class ExplodingCallStore : ICallStore
    {
        public const string Secret = "secret-internal-detail-42";

        public Task<StoredCall?> GetAsync(string callId, CancellationToken cancellationToken) => throw new NotSupportedException(Secret);

        public Task<bool> CreateAsync(CallRecord record, IReadOnlyList<CallTurn> history, CancellationToken cancellationToken) => throw new NotSupportedException(Secret);

        public Task SaveTurnAsync(CallRecord record, string etag, IReadOnlyList<CallTurn> history, CancellationToken cancellationToken) => throw new NotSupportedException(Secret);

        public Task<IReadOnlyList<CallTurn>> HistoryAsync(string callId, CancellationToken cancellationToken) => throw new NotSupportedException(Secret);

        public Task<IReadOnlyList<CallRecord>> ListByTenantAsync(string tenantId, int max, CancellationToken cancellationToken) => throw new NotSupportedException(Secret);

        public Task<CallPage> PageByTenantAsync(string tenantId, DateTimeOffset? from, DateTimeOffset? to, int pageSize, string? continuation, CancellationToken cancellationToken) =>
            throw new NotSupportedException(Secret);
    }
}
