using System.Globalization;
using Receptionist.Core.Conversation;
using Receptionist.Core.Phone;
using Receptionist.Core.Storage;
using Receptionist.Core.Tenants;

namespace Receptionist.Core.Notifications;

/// <summary>
/// When reminders go out and what every text message says. Pure: the caller passes the current time.
/// A caller's text names the business, the service, the day and time in the business's zone, the address when the
/// tenant has one, and how to change it (call the business's number). An owner's text carries the caller's name,
/// number in full (the owner calls back) and words.
/// </summary>
public static class SmsTexts
{
    /// <summary>No reminder is sent between 21:00 and 08:00 in the business's zone: it waits for 08:00.</summary>
    public static readonly TimeOnly QuietFrom = new(21, 0);

    public static readonly TimeOnly QuietUntil = new(8, 0);

    private static readonly CultureInfo En = CultureInfo.GetCultureInfo("en-US");

    /// <summary>
    /// When the reminder of an appointment starting at <paramref name="start"/> goes out: the tenant's lead time before
    /// it, moved out of quiet hours to 08:00 (or, when 08:00 is past the start, to 20:00 the evening before). None when the
    /// tenant sends no reminders, when the appointment was booked less than the lead time ahead (the confirmation just
    /// told them), or when that time has passed.
    /// </summary>
    public static DateTimeOffset? ReminderAt(Tenant tenant, DateTimeOffset start, DateTimeOffset bookedAt, DateTimeOffset now)
    {
        var lead = tenant.ReminderLead;
        if (lead <= TimeSpan.Zero || start - bookedAt < lead)
        {
            return null;
        }

        var local = tenant.ToLocal(start - lead);
        var time = TimeOnly.FromDateTime(local.DateTime);
        var date = DateOnly.FromDateTime(local.DateTime);
        var at = time >= QuietFrom ? tenant.AtLocal(date.AddDays(1), QuietUntil)
            : time < QuietUntil ? tenant.AtLocal(date, QuietUntil)
            : start - lead;
        if (at >= start)
        {
            // An early appointment whose reminder would wait for 08:00 past its start: the evening before, before quiet hours.
            at = tenant.AtLocal(DateOnly.FromDateTime(tenant.ToLocal(start).DateTime).AddDays(-1), QuietFrom.AddHours(-1));
        }

        return at >= start || at <= now || at < bookedAt ? null : at;
    }

    public static string Booked(Tenant tenant, Appointment a) =>
        $"{tenant.Name}: your {a.Service} is booked for {When(tenant, a.Start)}.{Where(tenant)} {ToChange(tenant)}";

    public static string Moved(Tenant tenant, Appointment a) =>
        $"{tenant.Name}: your {a.Service} has been moved to {When(tenant, a.Start)}.{Where(tenant)} {ToChange(tenant)}";

    public static string Cancelled(Tenant tenant, Appointment a) =>
        $"{tenant.Name}: your {a.Service} on {When(tenant, a.Start)} is cancelled. To book again, call us at {Number(tenant)}.";

    public static string Reminder(Tenant tenant, Appointment a) =>
        $"{tenant.Name}: a reminder of your {a.Service} on {When(tenant, a.Start)}.{Where(tenant)} {ToChange(tenant)}";

    /// <summary>The owner's alert of a message: urgent ones say so first; a transfer nobody answered is mentioned.</summary>
    public static string OwnerMessage(Tenant tenant, StoredMessage m, bool transferFailed = false) =>
        $"{(m.Urgent ? "URGENT — " : string.Empty)}{tenant.Name}: message from {m.CallerName} ({m.CallerPhone ?? "number withheld"}): \"{m.Text}\""
        + (transferFailed ? " (We tried to put them through; nobody answered.)" : string.Empty);

    /// <summary>The most segments an owner's batched text may take; what does not fit is counted ("and 2 more").</summary>
    public const int MaxBatchSegments = 3;

    /// <summary>The longest a caller's words run in a batched text (cut with "..."; the dashboard has them whole).</summary>
    public const int MaxBatchWords = 120;

    /// <summary>
    /// The batch window an instant falls in, for a tenant that gathers non-urgent alerts for <paramref name="length"/>:
    /// windows are laid from midnight UTC, each <paramref name="length"/> long (to the minute), the day's last one cut
    /// at midnight — so every app instance, and every retry, puts one instant in one window.
    /// </summary>
    public static (DateTimeOffset Start, DateTimeOffset End) BatchWindow(DateTimeOffset at, TimeSpan length)
    {
        var minutes = Math.Max(1, (int)length.TotalMinutes);
        var utc = at.ToUniversalTime();
        var midnight = new DateTimeOffset(utc.Year, utc.Month, utc.Day, 0, 0, 0, TimeSpan.Zero);
        var start = midnight.AddMinutes((int)(utc - midnight).TotalMinutes / minutes * minutes);
        var end = start.AddMinutes(minutes);
        return (start, end > midnight.AddDays(1) ? midnight.AddDays(1) : end);
    }

    /// <summary>
    /// The owner's one text for the non-urgent messages of a batch window, oldest first: each caller's name, number in
    /// full and words. What does not fit in <see cref="MaxBatchSegments"/> segments is counted and left to the dashboard
    /// ("and 2 more, see the dashboard."); the first message is always there.
    /// </summary>
    public static string OwnerBatch(Tenant tenant, IReadOnlyList<StoredMessage> messages)
    {
        ArgumentOutOfRangeException.ThrowIfZero(messages.Count);
        var head = $"{tenant.Name}, {messages.Count} new {(messages.Count == 1 ? "message" : "messages")}: ";
        var entries = messages.Select(m =>
            $"{m.CallerName} ({m.CallerPhone ?? "number withheld"}): \"{(m.Text.Length > MaxBatchWords ? m.Text[..(MaxBatchWords - 3)].TrimEnd() + "..." : m.Text)}\"").ToList();
        string Text(int shown) => head + string.Join("; ", entries.Take(shown))
            + (shown < entries.Count ? $"; and {entries.Count - shown} more, see the dashboard." : string.Empty);

        var fits = 1;
        while (fits < entries.Count && SmsSegments.Count(Text(fits + 1)) <= MaxBatchSegments)
        {
            fits++;
        }

        return Text(fits);
    }

    /// <summary>The owner's daily digest: the last 24 hours' calls and what came of them (only what happened is named).</summary>
    public static string Digest(Tenant tenant, DateTimeOffset at, DigestFigures f)
    {
        var parts = new List<string>();
        void Add(int n, string what) { if (n > 0) { parts.Add($"{n} {what}"); } }
        Add(f.Booked, "booked");
        Add(f.Moved, "moved");
        Add(f.Cancelled, "cancelled");
        Add(f.Messages, f.Messages == 1 ? "message" : "messages");
        var urgent = f.Urgent > 0 ? $" ({f.Urgent} urgent)" : string.Empty;
        var calls = f.Calls switch { 0 => "no calls", 1 => "1 call", _ => $"{f.Calls} calls" };
        return $"{tenant.Name}, the 24 hours to {When(tenant, at)}: {calls}{(parts.Count > 0 ? "; " + string.Join(", ", parts) + urgent : string.Empty)}.";
    }

    /// <summary>"Tuesday, December 1 at 10:30 am".</summary>
    public static string When(Tenant tenant, DateTimeOffset start)
    {
        var local = tenant.ToLocal(start);
        return $"{local.ToString("dddd, MMMM d", En)} at {Spoken.Time(TimeOnly.FromDateTime(local.DateTime))}";
    }

    private static string Where(Tenant tenant) => tenant.Address is { } address ? $" {address}." : string.Empty;

    private static string ToChange(Tenant tenant) => $"To change it, call us at {Number(tenant)}.";

    /// <summary>The business's first number as people write it: (555) 010-0001 for North America, else E.164.</summary>
    private static string Number(Tenant tenant)
    {
        var n = tenant.PhoneNumbers[0];
        return n.StartsWith("+1", StringComparison.Ordinal) && n.Length == 12 ? $"({n[2..5]}) {n[5..8]}-{n[8..]}" : n;
    }

    /// <summary>Whether the caller's number can get a text (not withheld, not a landline, …).</summary>
    public static bool CanText(string? number) => number is not null && PhoneNumber.CanTakeSms(number);
}

/// <summary>What a daily digest counts: calls answered, and bookings, moves, cancels and messages among them.</summary>
public sealed record DigestFigures(int Calls, int Booked, int Moved, int Cancelled, int Messages, int Urgent);
