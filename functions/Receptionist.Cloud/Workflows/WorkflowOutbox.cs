using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading.Channels;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using Receptionist.Core.Notifications;

namespace Receptionist.Cloud.Workflows;

/// <summary>
/// <see cref="IWorkflows"/> with one storage write in the turn (docs/workflows.md "The outbox"): each call writes a row
/// to the WorkflowOutbox table saying what is to start — that row is the guarantee — hands what is due at once to the
/// express lane (<c>express</c>), and returns; lanes in the app then carry the row out on <c>starts</c> (the framework's
/// starts) — with the express lane, <see cref="WorkflowOptions.OutboxStartDelaySeconds"/> after it was written, so the
/// texts go first — and delete it. A row
/// left behind (the app died, storage failed, the lanes were full) is taken up again by the sweep once it is
/// <see cref="WorkflowOptions.OutboxSweepSeconds"/> old; carrying one out twice is harmless (the starts are idempotent).
/// </summary>
public sealed class WorkflowOutbox : IWorkflows, IAsyncDisposable
{
    private readonly TableClient _table;
    private readonly IWorkflows _starts;
    private readonly IWorkflows? _express;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly TimeSpan _sweepEvery;
    private readonly TimeSpan _startDelay;
    private readonly Channel<Entry> _entries;
    private readonly ConcurrentDictionary<string, byte> _inFlight = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task[] _lanes;
    private readonly Task _sweeper;

    /// <summary>How many rows are carried out at once (each a few round trips to the framework's storage).</summary>
    public const int Lanes = 8;

    /// <summary>Rows waiting in memory for a lane; beyond that the sweep takes them up.</summary>
    public const int QueueLength = 10_000;

    private static readonly TimeSpan StopWait = TimeSpan.FromSeconds(5);

    public WorkflowOutbox(TableClient table, IWorkflows starts, IWorkflows? express, WorkflowOptions options, TimeProvider clock, ILogger<WorkflowOutbox> logger)
    {
        _table = table;
        _starts = starts;
        _express = express;
        _clock = clock;
        _logger = logger;
        _sweepEvery = TimeSpan.FromSeconds(options.OutboxSweepSeconds);
        _startDelay = express is null ? TimeSpan.Zero : TimeSpan.FromSeconds(options.OutboxStartDelaySeconds);
        _entries = Channel.CreateBounded<Entry>(new BoundedChannelOptions(QueueLength) { FullMode = BoundedChannelFullMode.DropWrite });
        _lanes = Enumerable.Range(0, Lanes).Select(_ => Task.Run(RunAsync)).ToArray();
        _sweeper = Task.Run(SweepLoopAsync);
    }

    public Task BookedAsync(AppointmentKey appointment, CancellationToken cancellationToken) =>
        WriteAsync(new Entry(Ops.Booked, appointment.TenantId, appointment.Id, [appointment]), cancellationToken);

    public Task MovedAsync(AppointmentKey from, AppointmentKey to, CancellationToken cancellationToken) =>
        WriteAsync(new Entry(Ops.Moved, to.TenantId, $"{from.Id}>{to.Id}", [from, to]), cancellationToken);

    public Task CancelledAsync(AppointmentKey appointment, CancellationToken cancellationToken) =>
        WriteAsync(new Entry(Ops.Cancelled, appointment.TenantId, appointment.Id, [appointment]), cancellationToken);

    public Task MessageTakenAsync(string tenantId, string messageId, CancellationToken cancellationToken) =>
        WriteAsync(new Entry(Ops.MessageTaken, tenantId, messageId, []), cancellationToken);

    public Task CallEndedAsync(string tenantId, string callId, CancellationToken cancellationToken) =>
        WriteAsync(new Entry(Ops.CallEnded, tenantId, callId, []), cancellationToken);

    /// <summary>What the outbox holds: rows not carried out yet (for tests and diagnostics).</summary>
    public async Task<IReadOnlyList<string>> PendingAsync(CancellationToken cancellationToken)
    {
        var keys = new List<string>();
        await foreach (var row in _table.QueryAsync<TableEntity>(select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
        {
            keys.Add(row.PartitionKey + "/" + row.RowKey);
        }

        return keys;
    }

    /// <summary>Takes up every row at least <see cref="WorkflowOptions.OutboxSweepSeconds"/> old that is not being
    /// carried out here; returns how many. Runs at start and then every so often; public for tests.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var before = (_clock.GetUtcNow() - _sweepEvery).UtcDateTime;
        var filter = TableClient.CreateQueryFilter($"WrittenAt le {before}");
        var taken = 0;
        await foreach (var row in _table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            if (Entry.From(row) is not { } entry)
            {
                _logger.LogError("WorkflowOutbox row {Partition}/{Row} cannot be read; left as it is", row.PartitionKey, row.RowKey);
                continue;
            }

            if (Offer(entry with { ETag = row.ETag }))
            {
                taken++;
            }
        }

        if (taken > 0)
        {
            _logger.LogWarning("WorkflowOutbox: {Count} workflow start(s) left behind taken up again", taken);
        }

        return taken;
    }

    private async Task WriteAsync(Entry entry, CancellationToken cancellationToken)
    {
        var now = _clock.GetUtcNow();
        var written = await _table.UpsertEntityAsync(entry.ToRow(now), TableUpdateMode.Replace, CancellationToken.None);
        if (_express is not null)
        {
            await CarryOutAsync(_express, entry); // in memory: the express lane's queue
        }

        Offer(entry with { ETag = written.Headers.ETag ?? ETag.All, StartAt = now + _startDelay });
    }

    private bool Offer(Entry entry) =>
        !_stopping.IsCancellationRequested && _inFlight.TryAdd(entry.Id, 0) && (_entries.Writer.TryWrite(entry) || !_inFlight.TryRemove(entry.Id, out _));

    private async Task RunAsync()
    {
        try
        {
            await foreach (var entry in _entries.Reader.ReadAllAsync(_stopping.Token))
            {
                try
                {
                    var wait = entry.StartAt - _clock.GetUtcNow();
                    if (wait > TimeSpan.Zero)
                    {
                        await Task.Delay(wait, _clock, _stopping.Token); // the rows come in the order written: later ones wait no less
                    }

                    await CarryOutAsync(_starts, entry);
                    await DeleteAsync(entry);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    _logger.LogWarning("WorkflowOutbox: {Op} for {Id} could not be started yet ({Message}); the sweep tries again", entry.Op, entry.Key, ex.Message);
                }
                finally
                {
                    _inFlight.TryRemove(entry.Id, out _);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // stopping: the rows stay, for the next start's sweep
        }
    }

    private static Task CarryOutAsync(IWorkflows on, Entry entry)
    {
        var ct = CancellationToken.None;
        return entry.Op switch
        {
            Ops.Booked => on.BookedAsync(entry.Appointments[0], ct),
            Ops.Moved => on.MovedAsync(entry.Appointments[0], entry.Appointments[1], ct),
            Ops.Cancelled => on.CancelledAsync(entry.Appointments[0], ct),
            Ops.MessageTaken => on.MessageTakenAsync(entry.TenantId, entry.Key, ct),
            _ => on.CallEndedAsync(entry.TenantId, entry.Key, ct),
        };
    }

    private async Task DeleteAsync(Entry entry)
    {
        try
        {
            // Only the row as it was carried out: one written again meanwhile (a second end report) is carried out too.
            await _table.DeleteEntityAsync(entry.TenantId, entry.RowKey, entry.ETag, CancellationToken.None);
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 412)
        {
            // gone already, or written again since: that newer row is (or will be) carried out on its own
        }
    }

    private async Task SweepLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            try
            {
                await SweepAsync(_stopping.Token);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                _logger.LogWarning("WorkflowOutbox sweep failed ({Message}); trying again in {Seconds} s", ex.Message, _sweepEvery.TotalSeconds);
            }

            try
            {
                await Task.Delay(_sweepEvery, _clock, _stopping.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _entries.Writer.TryComplete();
        await _stopping.CancelAsync();
        await Task.WhenAll([.. _lanes, _sweeper]).WaitAsync(StopWait).ContinueWith(_ => { }, TaskScheduler.Default);
        _stopping.Dispose();
    }

    /// <summary>The row's operations, by name (stored).</summary>
    private static class Ops
    {
        public const string Booked = "booked";
        public const string Moved = "moved";
        public const string Cancelled = "cancelled";
        public const string MessageTaken = "message";
        public const string CallEnded = "ended";
    }

    /// <summary>One row: partition = tenant, row = operation + what it is about; the appointments as JSON.</summary>
    private sealed record Entry(string Op, string TenantId, string Key, AppointmentKey[] Appointments)
    {
        public ETag ETag { get; init; } = ETag.All;

        /// <summary>Not before when the workflow is started (a row taken up by the sweep: at once).</summary>
        public DateTimeOffset StartAt { get; init; } = DateTimeOffset.MinValue;

        public string RowKey => Op + ":" + Key;

        public string Id => TenantId + "/" + RowKey;

        public TableEntity ToRow(DateTimeOffset now) => new(TenantId, RowKey)
        {
            ["Op"] = Op,
            ["Key"] = Key,
            ["Appointments"] = JsonSerializer.Serialize(Appointments),
            ["WrittenAt"] = now,
        };

        public static Entry? From(TableEntity row)
        {
            try
            {
                var op = row.GetString("Op");
                var key = row.GetString("Key");
                var appointments = JsonSerializer.Deserialize<AppointmentKey[]>(row.GetString("Appointments") ?? "[]") ?? [];
                var needs = op switch { Ops.Booked or Ops.Cancelled => 1, Ops.Moved => 2, Ops.MessageTaken or Ops.CallEnded => 0, _ => -1 };
                return needs < 0 || key is null || appointments.Length != needs ? null : new Entry(op!, row.PartitionKey, key, appointments);
            }
            catch (JsonException)
            {
                return null;
            }
        }
    }
}
