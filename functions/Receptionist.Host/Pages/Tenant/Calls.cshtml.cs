using Microsoft.AspNetCore.Mvc;
using Receptionist.Core.Conversation;
using Receptionist.Host.Owners;

namespace Receptionist.Host.Pages.Tenant;

public sealed class CallsModel(OwnerViews views) : TenantPageModel(views)
{
    public const int PageSize = 25;

    public static readonly IReadOnlyList<string> Outcomes = Enum.GetNames<CallOutcome>();

    [FromQuery(Name = "day")]
    public DateOnly? Day { get; set; }

    [FromQuery(Name = "outcome")]
    public string? Outcome { get; set; }

    [FromQuery(Name = "next")]
    public string? Next { get; set; }

    public Page<CallView> Calls { get; private set; } = new([], null);

    public string NextUrl => QueryString.Create(new KeyValuePair<string, string?>[]
    {
        new("day", Day?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)), new("outcome", Outcome), new("next", Calls.Next),
    }.Where(p => p.Value is not null)).ToUriComponent();

    /// <summary>"MessageTaken" → "Message taken".</summary>
    public static string Label(string outcome) =>
        string.Concat(outcome.Select((c, i) => i > 0 && char.IsUpper(c) ? " " + char.ToLowerInvariant(c) : c.ToString()));

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        CallOutcome? outcome = Outcome is not null && Outcomes.Contains(Outcome) && Enum.TryParse<CallOutcome>(Outcome, out var o) ? o : null;
        Outcome = outcome?.ToString();
        var from = Day is { } d ? Business.AtLocal(d, TimeOnly.MinValue) : (DateTimeOffset?)null;
        var to = Day is { } e ? Business.AtLocal(e.AddDays(1), TimeOnly.MinValue) : (DateTimeOffset?)null;
        try
        {
            Calls = await Views.CallsAsync(Business, from, to, PageSize, Next, ct, outcome);
        }
        catch (FormatException) when (Next is not null)
        {
            return BadRequest();
        }

        return Page();
    }
}
