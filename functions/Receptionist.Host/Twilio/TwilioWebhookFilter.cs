using Microsoft.Extensions.Options;
using Receptionist.Host.Configuration;
using Receptionist.Telephony.Twilio;

namespace Receptionist.Host.Twilio;

/// <summary>
/// Every Twilio webhook: the body must be a form (400 otherwise) and carry a valid X-Twilio-Signature over the public
/// URL (403 otherwise). Runs before any handler, so a rejected request writes nothing.
/// </summary>
public sealed class TwilioWebhookFilter(IOptionsMonitor<TwilioOptions> twilio, IOptions<ReceptionistOptions> app, ILogger<TwilioWebhookFilter> logger) : IEndpointFilter
{
    private const string FormKey = "twilio.form";

    public static IReadOnlyDictionary<string, string> Form(HttpContext context) =>
        (IReadOnlyDictionary<string, string>)context.Items[FormKey]!;

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (!http.Request.HasFormContentType)
        {
            return TypedResults.Problem("Expected an application/x-www-form-urlencoded body, as Twilio sends.", statusCode: StatusCodes.Status400BadRequest);
        }

        IFormCollection raw;
        try
        {
            raw = await http.Request.ReadFormAsync(http.RequestAborted);
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or BadHttpRequestException)
        {
            return TypedResults.Problem($"The form body could not be read: {ex.Message}", statusCode: StatusCodes.Status400BadRequest);
        }

        var form = raw.ToDictionary(p => p.Key, p => p.Value.ToString(), StringComparer.Ordinal);
        var url = PublicUrls.Requested(http.Request, app.Value.PublicBaseUrl);
        if (!TwilioSignature.IsValid(twilio.CurrentValue.AuthToken, url, form, http.Request.Headers[TwilioSignature.Header]))
        {
            logger.LogWarning("Rejected Twilio webhook {Path}: missing or invalid signature", http.Request.Path);
            return TypedResults.Problem("Missing or invalid X-Twilio-Signature.", statusCode: StatusCodes.Status403Forbidden);
        }

        http.Items[FormKey] = form;
        return await next(context);
    }
}
