using System.ComponentModel.DataAnnotations;

namespace Receptionist.Cloud.Workflows;

/// <summary>Configuration section "Workflows": the Durable Task worker hosted in the app (docs/workflows.md).</summary>
public sealed class WorkflowOptions
{
    public const string Section = "Workflows";

    /// <summary>Off: nothing after the call runs (no SMS); the app says so at start.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The task hub: the prefix of the queues, tables and blob container the framework keeps on the storage
    /// account. Letters and digits, starting with a letter, 3–45 characters. Default: Storage:TablePrefix + "Receptionist".</summary>
    [RegularExpression("^[A-Za-z][A-Za-z0-9]{2,44}$", ErrorMessage = "Workflows:TaskHub must be 3 to 45 letters and digits, starting with a letter.")]
    public string? TaskHub { get; set; }

    /// <summary>Control-queue partitions: how many workers can share the orchestrations (fixed once a hub exists).</summary>
    [Range(1, 16, ErrorMessage = "Workflows:PartitionCount must be 1 to 16.")]
    public int PartitionCount { get; set; } = 4;

    /// <summary>The longest wait between polls of an idle queue; shorter is faster and costs more storage transactions.</summary>
    [Range(50, 30_000, ErrorMessage = "Workflows:MaxPollingIntervalMilliseconds must be 50 to 30000.")]
    public int MaxPollingIntervalMilliseconds { get; set; } = 250;

    /// <summary>How long a crashed worker's partitions stay leased before another (or the restarted one) takes them.</summary>
    [Range(10, 60, ErrorMessage = "Workflows:LeaseSeconds must be 10 to 60.")]
    public int LeaseSeconds { get; set; } = 15;

    /// <summary>Attempts to send one SMS through retryable errors (429, 5xx, no answer) before it is dead-lettered.</summary>
    [Range(1, 20, ErrorMessage = "Workflows:SmsMaxAttempts must be 1 to 20.")]
    public int SmsMaxAttempts { get; set; } = 6;

    /// <summary>The wait before the second attempt; it doubles per attempt up to <see cref="SmsMaxRetrySeconds"/>.</summary>
    [Range(0.1, 3600, ErrorMessage = "Workflows:SmsFirstRetrySeconds must be 0.1 to 3600.")]
    public double SmsFirstRetrySeconds { get; set; } = 5;

    [Range(0.1, 86_400, ErrorMessage = "Workflows:SmsMaxRetrySeconds must be 0.1 to 86400.")]
    public double SmsMaxRetrySeconds { get; set; } = 600;

    /// <summary>How long after a call ends its summary and cost are worked out, so the carrier's final report (with
    /// the duration) has landed.</summary>
    [Range(0, 300, ErrorMessage = "Workflows:AfterCallDelaySeconds must be 0 to 300.")]
    public double AfterCallDelaySeconds { get; set; } = 5;

    /// <summary>
    /// What is due at once (a confirmation, an owner's alert) is also tried in the app right after its workflow has
    /// started, ahead of the workflow's own first step (<see cref="ExpressSends"/>): the framework's queues add up to
    /// seconds under load. The workflow stays the guarantee — it finds the text sent, or sends it. Off: the workflow alone.
    /// </summary>
    public bool ExpressSends { get; set; } = true;

    /// <summary>How many express sends run at once; more wait in memory (at most <see cref="ExpressQueueLength"/>;
    /// beyond that the workflow alone sends them).</summary>
    [Range(1, 256, ErrorMessage = "Workflows:ExpressConcurrency must be 1 to 256.")]
    public int ExpressConcurrency { get; set; } = 16;

    [Range(1, 100_000, ErrorMessage = "Workflows:ExpressQueueLength must be 1 to 100000.")]
    public int ExpressQueueLength { get; set; } = 1000;

    /// <summary>
    /// The turn writes one row saying which workflow to start (its one storage round trip) and the app starts it in
    /// the background (<see cref="WorkflowOutbox"/>); off: the turn starts the workflow itself (three round trips).
    /// </summary>
    public bool Outbox { get; set; } = true;

    /// <summary>How often the outbox is swept for rows left behind (the app died before it started their workflow, or
    /// storage failed), and how old a row must be to be taken up again.</summary>
    [Range(1, 3600, ErrorMessage = "Workflows:OutboxSweepSeconds must be 1 to 3600.")]
    public double OutboxSweepSeconds { get; set; } = 30;

    /// <summary>With the express lane on, how long after its row is written a workflow is started: what is due at once
    /// has been sent by then, so in a burst the framework's starts (three round trips each) do not compete with the
    /// texts for storage. The row is the guarantee meanwhile. Without the lane, workflows start at once.</summary>
    [Range(0, 60, ErrorMessage = "Workflows:OutboxStartDelaySeconds must be 0 to 60.")]
    public double OutboxStartDelaySeconds { get; set; } = 5;

    public string HubName(string tablePrefix) => TaskHub is { Length: > 0 } hub ? hub : tablePrefix + "Receptionist";

    public SendPolicy Policy() => new(SmsMaxAttempts, SmsFirstRetrySeconds, SmsMaxRetrySeconds);
}
