using Receptionist.Telephony.Twilio;

namespace Receptionist.Testing;

/// <summary>Twilio's webhook requests as tests send them by hand: the call's form fields, signed as Twilio signs.</summary>
public static class TwilioRequests
{
    /// <summary>A voice webhook's fields for a call to the test dentist; <paramref name="extra"/> adds or replaces fields.</summary>
    public static Dictionary<string, string> Form(string callSid, params (string Key, string Value)[] extra) =>
        FormFrom(callSid, TestTenants.Caller, extra);

    public static Dictionary<string, string> FormFrom(string callSid, string from, params (string Key, string Value)[] extra)
    {
        var form = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["CallSid"] = callSid, ["AccountSid"] = AppHost.AccountSid, ["From"] = from, ["To"] = TestTenants.DentistNumber,
            ["CallStatus"] = "in-progress", ["Direction"] = "inbound", ["ApiVersion"] = "2010-04-01",
        };
        foreach (var (k, v) in extra)
        {
            form[k] = v;
        }

        return form;
    }

    /// <summary>POSTs the form to <paramref name="pathAndQuery"/> (relative to the client's base address) with a valid
    /// X-Twilio-Signature for <paramref name="token"/>.</summary>
    public static async Task<HttpResponseMessage> PostSignedAsync(HttpClient http, string pathAndQuery, IReadOnlyDictionary<string, string> form,
        string token = AppHost.AuthToken, CancellationToken cancellationToken = default)
    {
        var url = new Uri(http.BaseAddress!, pathAndQuery);
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Add(TwilioSignature.Header, TwilioSignature.Compute(token, url.AbsoluteUri, form));
        return await http.SendAsync(request, cancellationToken);
    }
}
