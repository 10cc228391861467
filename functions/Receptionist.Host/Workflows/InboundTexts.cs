using Microsoft.AspNetCore.Http.HttpResults;
using Receptionist.Calls;
using Receptionist.Core.Notifications;
using Receptionist.Core.Phone;

namespace Receptionist.Host.Workflows;

/// <summary>
/// A text a caller sent to one of the businesses' numbers, by whichever provider delivered it (Twilio's Messaging
/// webhook, ACS's SMSReceived event): a STOP or START (<see cref="SmsKeywords"/>, the one rule) is recorded for that
/// business and number in <see cref="IOptOutStore"/>, so its confirmations and reminders stop or resume. Other texts
/// are not kept; a number no business has is ignored.
/// </summary>
public static class InboundTexts
{
    /// <param name="from">The sender, E.164.</param>
    /// <param name="to">The business's number it was sent to, E.164.</param>
    /// <param name="optOutType">What the provider classified it as (Twilio's Advanced Opt-Out), when it did.</param>
    /// <returns>Null once handled; a 503 when storage did not answer (the provider delivers again).</returns>
    public static async Task<ProblemHttpResult?> RecordAsync(TenantDirectory tenants, IOptOutStore optOuts, TimeProvider clock, ILogger logger,
        string from, string to, string? body, string? optOutType, CancellationToken ct)
    {
        if (SmsKeywords.OptsOut(body, optOutType) is not { } optsOut)
        {
            return null;
        }

        try
        {
            if (await tenants.ByNumberAsync(to, ct) is { } tenant)
            {
                await optOuts.SetAsync(tenant.Id, from, optsOut, clock.GetUtcNow(), ct);
                logger.LogInformation("{From} opted {Direction} of {TenantId}'s texts", PhoneNumber.Mask(from), optsOut ? "out" : "back in", tenant.Id);
            }

            return null;
        }
        catch (Exception ex) when (StorageTrouble.Is(ex))
        {
            logger.LogError("Could not record a text opt-out: storage is unavailable ({Message})", ex.Message);
            return TypedResults.Problem("Storage is unavailable; the opt-out was not recorded.", statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }
}
