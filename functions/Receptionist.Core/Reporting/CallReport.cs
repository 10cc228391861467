using Receptionist.Core.Conversation;
using Receptionist.Core.Notifications;
using Receptionist.Core.Storage;
using Receptionist.Core.Tenants;

namespace Receptionist.Core.Reporting;

/// <summary>What a call changed: a booking, a move (to the new appointment) or a cancel.</summary>
public sealed record SummaryAppointment(string Change, string Id, string? Service, DateTimeOffset? Start);

/// <summary>What the owner reads about one call, built by rules from what the call stored (its history, its session).</summary>
/// <param name="Source">"rules", or "llm" when the text is the model's (checked by <see cref="SummaryGuard"/>; the other fields stay the rules').</param>
public sealed record CallSummary(
    string Outcome,
    string Text,
    IReadOnlyList<SummaryAppointment> Appointments,
    string? MessageId,
    IReadOnlyList<string> Questions,
    bool TransferFailed,
    string Source = "rules");

/// <summary>Builds a call's summary. Pure.</summary>
public static class CallReport
{
    /// <param name="messages">The call's messages by id (those its history names).</param>
    public static CallSummary Summarize(CallRecord record, IReadOnlyList<CallTurn> history, Tenant tenant, IReadOnlyDictionary<string, StoredMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(history);
        var session = record.Session;
        var appointments = new List<SummaryAppointment>();
        var sentences = new List<string>();
        string? messageId = null;
        var transferFailed = false;
        var transferred = false;
        foreach (var line in history.Where(h => h.Speaker == "system"))
        {
            switch (line.Kind)
            {
                case CallNotes.BookedKind when CallNotes.TryReadAppointment(line.Kind, line.Text, out var id, out var service, out var start):
                    appointments.Add(new SummaryAppointment(CallNotes.BookedKind, id, service, start));
                    sentences.Add($"Booked {Article(service!)} for {SmsTexts.When(tenant, start)}.");
                    break;
                case CallNotes.MovedKind when CallNotes.TryReadAppointment(line.Kind, line.Text, out var id, out var service, out var start):
                    var moved = service ?? session.Target?.Service;
                    appointments.Add(new SummaryAppointment(CallNotes.MovedKind, id, moved, start));
                    sentences.Add($"Moved {(moved is null ? "an appointment" : "the " + moved)} to {SmsTexts.When(tenant, start)}.");
                    break;
                case CallNotes.CancelledKind:
                    var target = session.Target;
                    appointments.Add(new SummaryAppointment(CallNotes.CancelledKind, target?.Id ?? string.Empty, target?.Service, target?.Start));
                    sentences.Add(target is null ? "Cancelled an appointment." : $"Cancelled the {target.Service} on {SmsTexts.When(tenant, target.Start)}.");
                    break;
                case CallNotes.MessageKind:
                    messageId = CallNotes.ReadMessageId(line.Text);
                    sentences.Add(messageId is not null && messages.TryGetValue(messageId, out var m)
                        ? $"{m.CallerName} left {(m.Urgent ? "an urgent" : "a")} message: \"{m.Text}\""
                        : "Left a message.");
                    break;
                case CallNotes.TransferFailedKind:
                    transferFailed = true;
                    break;
                case CallNotes.TransferConnectedKind:
                    transferred = true;
                    break;
            }
        }

        if (transferred)
        {
            sentences.Add("Put through to the business.");
        }
        else if (transferFailed)
        {
            sentences.Add("Asked to be put through; nobody answered.");
        }

        var questions = history.Where(h => h.Speaker == "caller" && h.Kind == CallNotes.QuestionKind).Select(h => h.Text.Trim()).Distinct().ToList();
        if (questions.Count > 0)
        {
            sentences.Add($"Asked: {string.Join(" / ", questions)}");
        }

        if (sentences.Count == 0)
        {
            sentences.Add(session.Outcome switch
            {
                CallOutcome.Rejected => "A call to a number no business has.",
                CallOutcome.Abandoned => "Hung up in the middle of a request.",
                _ => "No booking, message or question.",
            });
        }

        return new CallSummary(session.Outcome.ToString(), string.Join(" ", sentences), appointments, messageId, questions, transferFailed && !transferred);
    }

    private static string Article(string service) => Spoken.Fill("a {service}", new Dictionary<string, string> { ["service"] = service });
}
