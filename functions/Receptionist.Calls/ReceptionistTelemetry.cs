using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text;
using Receptionist.Core.Conversation;
using Receptionist.Core.Storage;

namespace Receptionist.Calls;

/// <summary>
/// The product's own traces and metrics (BCL <see cref="ActivitySource"/> and <see cref="Meter"/>, both named
/// <see cref="Name"/>): one span per call turn with its stages as children, and the call metrics. Nothing here costs
/// more than a null check while no exporter listens (docs/telemetry.md). Every tag is from a closed vocabulary —
/// channel, stage, outcome, state, event kind, tenant id, our call id, a turn number — never a phone number, a name or
/// anything a caller said.
/// </summary>
public static class ReceptionistTelemetry
{
    public const string Name = "Receptionist";

    private static readonly string? Version = typeof(ReceptionistTelemetry).Assembly.GetName().Version?.ToString();

    public static readonly ActivitySource Source = new(Name, Version);

    public static readonly Meter Meter = new(Name, Version);

    /// <summary>Seconds; the bounds suit a phone turn (the budget is about a second and a half).</summary>
    public static readonly Histogram<double> TurnDuration = Meter.CreateHistogram<double>(
        Metrics.TurnDuration, "s", "How long one call turn took, whole (stage total) and by stage",
        tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 1.5, 2.5, 5, 10] });

    public static readonly Counter<long> Calls = Meter.CreateCounter<long>(Metrics.Calls, "{call}", "Calls that ended, by outcome");

    public static readonly Counter<long> Bookings = Meter.CreateCounter<long>(Metrics.Bookings, "{appointment}", "Appointments booked, moved or cancelled by callers");

    /// <summary>Metric names (the Cloud project's instruments share the meter name; their names are listed here too).</summary>
    public static class Metrics
    {
        public const string TurnDuration = "receptionist.turn.duration";
        public const string Calls = "receptionist.calls";
        public const string Bookings = "receptionist.bookings";
        public const string LlmFallbacks = "receptionist.llm.fallbacks";
        public const string StorageRetries = "receptionist.storage.retries";
        public const string NotificationsFailed = "receptionist.notifications.failed";
    }

    /// <summary>Span names.</summary>
    public static class Spans
    {
        public const string Turn = "receptionist.turn";
        public const string Understand = "receptionist.understand";
        public const string Decide = "receptionist.decide";
        public const string Load = "receptionist.storage.load";
        public const string Save = "receptionist.storage.save";
        public const string Calendar = "receptionist.storage.calendar";
        public const string Change = "receptionist.storage.change";
        public const string Message = "receptionist.storage.message";
        public const string Workflow = "receptionist.workflow.start";
    }

    /// <summary>Attribute (tag) keys.</summary>
    public static class Tags
    {
        public const string CallId = "receptionist.call.id";
        public const string TenantId = "receptionist.tenant.id";
        public const string Channel = "receptionist.channel";
        public const string Turn = "receptionist.turn.number";
        public const string Event = "receptionist.event";
        public const string Status = "receptionist.turn.status";
        public const string Outcome = "receptionist.outcome";
        public const string State = "receptionist.state";
        public const string Stage = "receptionist.stage";
        public const string Change = "receptionist.booking.change";
        public const string Operation = "receptionist.storage.operation";
    }

    /// <summary>Values of <see cref="Tags.Stage"/>.</summary>
    public static class Stages
    {
        public const string Total = "total";
        public const string Load = "load";
        public const string Understand = "understand";
        public const string Decide = "decide";
        public const string Save = "save";
    }

    /// <summary>The channels a call can come in on; anything else is reported as "other".</summary>
    public static string Channel(string? channel) => channel switch
    {
        "twilio" => "twilio",
        "acs" => "acs",
        "web" => "web",
        _ => "other",
    };

    /// <summary>What kind of event a turn handles (a closed set; never the event's content).</summary>
    public static string EventKind(CallEvent ev) => ev switch
    {
        CallerSaid => "speech",
        KeypadPressed => "keypad",
        NoInput => "no-input",
        Silence => "silence",
        TransferResult => "transfer-result",
        CallerInterrupted => "interrupted",
        PlaybackFinished => "playback-finished",
        TurnTimed => "turn-timed",
        _ => "other",
    };

    /// <summary>An enum value as a tag: snake_case (MessageTaken → message_taken), computed once per value.</summary>
    public static string Value<T>(T value) where T : struct, Enum => EnumNames<T>.Get(value);

    /// <summary>Counts a call that just ended, by outcome.</summary>
    public static void CallEnded(string? channel, string tenantId, CallOutcome outcome)
    {
        if (Calls.Enabled)
        {
            Calls.Add(1, new KeyValuePair<string, object?>(Tags.Outcome, Value(outcome)), new KeyValuePair<string, object?>(Tags.Channel, Channel(channel)),
                new KeyValuePair<string, object?>(Tags.TenantId, tenantId));
        }
    }

    /// <summary>Counts a booking change the caller made ("booked", "moved", "cancelled").</summary>
    public static void Booked(string change, string? channel, string tenantId)
    {
        if (Bookings.Enabled)
        {
            Bookings.Add(1, new KeyValuePair<string, object?>(Tags.Change, change), new KeyValuePair<string, object?>(Tags.Channel, Channel(channel)),
                new KeyValuePair<string, object?>(Tags.TenantId, tenantId));
        }
    }

    private static class EnumNames<T> where T : struct, Enum
    {
        private static readonly ConcurrentDictionary<T, string> Names = new();

        public static string Get(T value) => Names.GetOrAdd(value, static v =>
        {
            var name = v.ToString();
            var b = new StringBuilder(name.Length + 4);
            for (var i = 0; i < name.Length; i++)
            {
                if (char.IsUpper(name[i]) && i > 0)
                {
                    b.Append('_');
                }

                b.Append(char.ToLowerInvariant(name[i]));
            }

            return b.ToString();
        });
    }
}

/// <summary>
/// One call turn: its span (<see cref="ReceptionistTelemetry.Spans.Turn"/>, a child of the webhook's request span
/// when there is one) and its timing by stage. Stages are child spans; their durations go to
/// <see cref="ReceptionistTelemetry.TurnDuration"/> with the channel, once it is known. With no listener there is no
/// span and no clock is read.
/// </summary>
public sealed class TurnTelemetry : IDisposable
{
    private readonly TimeProvider _clock;
    private readonly long _started;
    private string _channel = "other";
    private bool _known;

    private TurnTelemetry(Activity? activity, TimeProvider clock)
    {
        Activity = activity;
        _clock = clock;
        _started = ReceptionistTelemetry.TurnDuration.Enabled ? clock.GetTimestamp() : 0;
    }

    public Activity? Activity { get; }

    public static TurnTelemetry Start(string eventKind, string callId, TimeProvider clock)
    {
        var activity = ReceptionistTelemetry.Source.StartActivity(ReceptionistTelemetry.Spans.Turn);
        activity?.SetTag(ReceptionistTelemetry.Tags.CallId, callId);
        activity?.SetTag(ReceptionistTelemetry.Tags.Event, eventKind);
        return new TurnTelemetry(activity, clock);
    }

    /// <summary>The call's channel and business, once the call is loaded.</summary>
    public void Call(string? channel, string? tenantId)
    {
        _known = true;
        _channel = ReceptionistTelemetry.Channel(channel);
        Activity?.SetTag(ReceptionistTelemetry.Tags.Channel, _channel);
        if (tenantId is not null)
        {
            Activity?.SetTag(ReceptionistTelemetry.Tags.TenantId, tenantId);
        }
    }

    /// <summary>A stage of the turn: a child span, timed into the histogram.</summary>
    public TurnStage Stage(string stage, string spanName) =>
        new(this, stage, ReceptionistTelemetry.Source.StartActivity(spanName), _started == 0 ? 0 : _clock.GetTimestamp());

    /// <summary>How the turn ended: its status, the call's turn number, state and outcome.</summary>
    public void Done(CallReply reply)
    {
        if (!_known && reply.Record is { } known)
        {
            Call(known.Channel, known.Session.TenantId);
        }

        if (Activity is not { } a)
        {
            return;
        }

        a.SetTag(ReceptionistTelemetry.Tags.Status, ReceptionistTelemetry.Value(reply.Status));
        if (reply.Record is { } record)
        {
            Tag(record);
        }
    }

    /// <summary>The call as the turn left it: turn number, state and outcome.</summary>
    public void Tag(CallRecord record)
    {
        Activity?.SetTag(ReceptionistTelemetry.Tags.Turn, record.Turn);
        Activity?.SetTag(ReceptionistTelemetry.Tags.State, ReceptionistTelemetry.Value(record.Session.State));
        Activity?.SetTag(ReceptionistTelemetry.Tags.Outcome, ReceptionistTelemetry.Value(record.Session.Outcome));
    }

    /// <summary>For an exception filter: marks the span failed (the exception's type only: messages may quote data)
    /// and returns false, so the exception goes on unchanged.</summary>
    public bool Failed(Exception ex)
    {
        Activity?.SetStatus(ActivityStatusCode.Error, ex.GetType().Name);
        Activity?.SetTag("error.type", ex.GetType().FullName);
        return false;
    }

    internal void Record(string stage, long started)
    {
        if (started != 0)
        {
            ReceptionistTelemetry.TurnDuration.Record(_clock.GetElapsedTime(started).TotalSeconds,
                new KeyValuePair<string, object?>(ReceptionistTelemetry.Tags.Channel, _channel), new KeyValuePair<string, object?>(ReceptionistTelemetry.Tags.Stage, stage));
        }
    }

    public void Dispose()
    {
        Record(ReceptionistTelemetry.Stages.Total, _started);
        Activity?.Dispose();
    }
}

/// <summary>One timed stage of a turn (see <see cref="TurnTelemetry.Stage"/>).</summary>
public readonly struct TurnStage : IDisposable
{
    private readonly TurnTelemetry _turn;
    private readonly string _stage;
    private readonly long _started;

    internal TurnStage(TurnTelemetry turn, string stage, Activity? activity, long started)
    {
        _turn = turn;
        _stage = stage;
        Activity = activity;
        _started = started;
    }

    public Activity? Activity { get; }

    public void Dispose()
    {
        Activity?.Dispose();
        _turn?.Record(_stage, _started);
    }
}
