using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Mvc;
using Receptionist.Calls;
using Receptionist.Core.Conversation;
using Receptionist.Core.Phone;
using Receptionist.Host.Owners;

namespace Receptionist.Host.Pages.Tenant;

/// <summary>
/// "Try it": the owner types to their receptionist. Each message goes through the same call core as a phone call's
/// turn (stored as a call with channel "web"): what it books is booked, what it takes is a message. Plain forms, one
/// page per turn; a repeated submit of the same turn is answered from storage (its event id is the turn).
/// </summary>
public sealed class TryModel(OwnerViews views, CallCore calls, TimeProvider clock) : TenantPageModel(views)
{
    public const string Channel = "web";

    [FromQuery(Name = "call")]
    public string? CallId { get; set; }

    public CallDetailView? Call { get; private set; }

    /// <summary>Where the receptionist would have put the caller through, when it did.</summary>
    public string? TransferredTo { get; private set; }

    public int NextTurn { get; private set; }

    public bool Ended { get; private set; }

    public string? Problem { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (CallId is null)
        {
            return Page();
        }

        if (await Views.CallAsync(Business, CallId, ct) is not { } call || call.Call.Channel != Channel)
        {
            return NotFound();
        }

        Call = call;
        var stored = await Views.CallRecordAsync(CallId, ct);
        NextTurn = (stored?.Turn ?? 0) + 1;
        Ended = !call.Call.InProgress;
        TransferredTo = stored?.LastActions.OfType<TransferCall>().Select(t => t.Number).FirstOrDefault();
        return Page();
    }

    public async Task<IActionResult> OnPostStartAsync(string? from, CancellationToken ct)
    {
        string? caller = null;
        if (!string.IsNullOrWhiteSpace(from))
        {
            if (!PhoneNumber.TryNormalize(from, out var e164))
            {
                Problem = $"'{from}' is not a phone number (e.g. +15557654321); leave it empty to call with your number withheld.";
                Response.StatusCode = StatusCodes.Status400BadRequest;
                return Page();
            }

            caller = e164;
        }

        var callId = "WEB" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        await calls.StartAsync(new CallStart(callId, "web-start", Channel, Business.PhoneNumbers[0], caller, Mode: "chat"), ct);
        return RedirectToPage(new { call = callId });
    }

    public async Task<IActionResult> OnPostSayAsync(string? callId, int turn, string? text, CancellationToken ct)
    {
        if (await OwnTestCallAsync(callId, ct) is not { } id)
        {
            return NotFound();
        }

        CallEvent ev = string.IsNullOrWhiteSpace(text) ? new NoInput() : new CallerSaid(text.Trim(), null);
        var reply = await calls.HandleAsync(id, "web-" + turn.ToString(CultureInfo.InvariantCulture), ev, ct, answersTurn: turn - 1);
        if (reply.Actions.Any(a => a is Hangup or TransferCall))
        {
            await EndAsync(id, reply.Record, ct);
        }

        return RedirectToPage(null, null, new { call = id }, "latest");
    }

    public async Task<IActionResult> OnPostHangUpAsync(string? callId, CancellationToken ct)
    {
        if (await OwnTestCallAsync(callId, ct) is not { } id)
        {
            return NotFound();
        }

        await EndAsync(id, await Views.CallRecordAsync(id, ct), ct);
        return RedirectToPage(new { call = id });
    }

    /// <summary>The id when it is a web test call of this business; null otherwise (another tenant's, a phone call).</summary>
    private async Task<string?> OwnTestCallAsync(string? callId, CancellationToken ct) =>
        callId is not null && await Views.CallAsync(Business, callId, ct) is { Call.Channel: Channel } ? callId : null;

    private Task EndAsync(string callId, Core.Storage.CallRecord? record, CancellationToken ct)
    {
        var seconds = record is null ? (int?)null : (int)Math.Max(0, (clock.GetUtcNow() - record.Session.StartedAt).TotalSeconds);
        return calls.EndAsync(callId, new CallEnd("web-end", seconds, "Test chat ended"), ct);
    }
}
