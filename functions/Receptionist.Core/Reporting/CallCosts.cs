using Receptionist.Core.Storage;

namespace Receptionist.Core.Reporting;

/// <summary>
/// Unit prices in US dollars (configuration section "Costs"). The defaults are the providers' public list prices as far
/// as they could be checked on 2026-12-01 — see docs/workflows.md#cost-per-call for the source and date of each and
/// which ones could not be checked; set your contract's prices here.
/// </summary>
public sealed class CostRates
{
    public const string Section = "Costs";

    /// <summary>Twilio: receiving a call on a US local number, per minute (rounded up per call).</summary>
    public decimal TwilioVoicePerMinute { get; set; } = 0.0085m;

    /// <summary>Twilio: one speech recognition of &lt;Gather input="speech"&gt;.</summary>
    public decimal TwilioSpeechPerRecognition { get; set; } = 0.02m;

    /// <summary>Twilio: &lt;Say&gt; per character (the basic voices we use by default).</summary>
    public decimal TwilioSayPerCharacter { get; set; }

    /// <summary>Twilio: ConversationRelay per minute (its speech recognition and voice included).</summary>
    public decimal TwilioRelayPerMinute { get; set; } = 0.07m;

    /// <summary>ACS: receiving a call on a US geographic number, per minute.</summary>
    public decimal AcsVoicePerMinute { get; set; } = 0.0085m;

    /// <summary>Azure AI Speech real-time speech-to-text, per audio second (ACS recognition).</summary>
    public decimal SpeechToTextPerSecond { get; set; } = 1.00m / 3600m;

    /// <summary>Azure AI Speech neural text-to-speech, per character (ACS prompts).</summary>
    public decimal NeuralTextToSpeechPerCharacter { get; set; } = 15m / 1_000_000m;

    /// <summary>The LLM (Azure OpenAI gpt-4o-mini global standard), per million input / output tokens.</summary>
    public decimal LlmPerMillionInputTokens { get; set; } = 0.15m;

    public decimal LlmPerMillionOutputTokens { get; set; } = 0.60m;

    /// <summary>Twilio: an outbound US SMS segment on a long code, and the carriers' pass-through fee per segment.</summary>
    public decimal SmsPerSegment { get; set; } = 0.0083m;

    public decimal SmsCarrierFeePerSegment { get; set; } = 0.0030m;
}

/// <summary>One priced item: how much of what, at what unit price.</summary>
public sealed record CostLine(string Item, decimal Quantity, string Unit, decimal UnitPrice, decimal Amount);

/// <summary>A call's or a text's cost, line by line.</summary>
public sealed record CostBreakdown(IReadOnlyList<CostLine> Lines)
{
    public decimal Total => Lines.Sum(l => l.Amount);
}

/// <summary>Prices a call from what it stored (channel, mode, duration, history, LLM usage), and a text by its segments. Pure.</summary>
public static class CallCosts
{
    public static CostBreakdown ForCall(CallRecord record, IReadOnlyList<CallTurn> history, CostRates rates)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(rates);
        var seconds = Math.Max(0, record.DurationSeconds ?? (int)Math.Ceiling((record.UpdatedAt - record.Session.StartedAt).TotalSeconds));
        var minutes = Math.Max(1, (int)Math.Ceiling(seconds / 60.0));
        var recognitions = history.Count(h => h.Speaker == "caller" && CallNotes.IsSpeech(h.Kind));
        var spoken = history.Where(h => h.Speaker == "agent" && h.Kind == "say").Sum(h => h.Text.Length);
        var lines = new List<CostLine>();
        void Add(string item, decimal quantity, string unit, decimal price) => lines.Add(new CostLine(item, quantity, unit, price, Math.Round(quantity * price, 6)));

        switch (record.Channel, record.Mode)
        {
            case ("acs", _):
                Add("telephony (ACS)", minutes, "minute", rates.AcsVoicePerMinute);
                // ACS's recognition is billed by the audio it listened to, which it does not report: the call's length bounds it.
                Add("speech-to-text (at most)", seconds, "second", rates.SpeechToTextPerSecond);
                Add("text-to-speech", spoken, "character", rates.NeuralTextToSpeechPerCharacter);
                break;
            case (_, "relay"):
                Add("telephony (Twilio)", minutes, "minute", rates.TwilioVoicePerMinute);
                Add("ConversationRelay (speech both ways)", minutes, "minute", rates.TwilioRelayPerMinute);
                break;
            default:
                Add("telephony (Twilio)", minutes, "minute", rates.TwilioVoicePerMinute);
                Add("speech recognition", recognitions, "recognition", rates.TwilioSpeechPerRecognition);
                Add("text-to-speech", spoken, "character", rates.TwilioSayPerCharacter);
                break;
        }

        if (record.LlmInputTokens > 0 || record.LlmOutputTokens > 0)
        {
            Add("LLM input", record.LlmInputTokens, "token", rates.LlmPerMillionInputTokens / 1_000_000m);
            Add("LLM output", record.LlmOutputTokens, "token", rates.LlmPerMillionOutputTokens / 1_000_000m);
        }

        return new CostBreakdown(lines);
    }

    public static CostBreakdown ForSms(string body, CostRates rates)
    {
        var segments = Notifications.SmsSegments.Count(body);
        return new CostBreakdown(
        [
            new CostLine("SMS", segments, "segment", rates.SmsPerSegment, segments * rates.SmsPerSegment),
            new CostLine("SMS carrier fees", segments, "segment", rates.SmsCarrierFeePerSegment, segments * rates.SmsCarrierFeePerSegment),
        ]);
    }
}

/// <summary>One entry of a tenant's cost ledger: a call, or a text sent (keyed by what it is, so recording it again
/// replaces it). <paramref name="Month"/>: yyyy-MM in the business's zone.</summary>
public sealed record CostEntry(string TenantId, string Month, string Key, string Kind, string? CallId, DateTimeOffset At, CostBreakdown Cost);

/// <summary>A tenant's costs by month.</summary>
public interface ICostLedger
{
    Task RecordAsync(CostEntry entry, CancellationToken cancellationToken);

    Task<IReadOnlyList<CostEntry>> MonthAsync(string tenantId, string month, CancellationToken cancellationToken);
}

/// <summary>A call's summary and its own cost (texts it caused are ledger entries of their own), stored once it ended.</summary>
public sealed record CallReportRecord(string CallId, string TenantId, DateTimeOffset At, CallSummary Summary, CostBreakdown Cost);

public interface ICallReportStore
{
    Task SaveAsync(CallReportRecord report, CancellationToken cancellationToken);

    Task<CallReportRecord?> GetAsync(string callId, CancellationToken cancellationToken);
}
