using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace Receptionist.Telephony.Acs.Simulation;

/// <summary>
/// One call's callbacks, delivered in order and one at a time (the next only once the app has answered the last), as
/// ACS delivers a call's events; nothing is delivered after CallDisconnected. A callback the app answers with a
/// non-2xx status, or cannot be delivered, stops delivery: the error is reported (so the simulator ends the call
/// with it) and returned by every later <see cref="DrainAsync"/>.
/// </summary>
internal sealed class StandInCallbackQueue
{
    private readonly Channel<QueuedCallback> _queue = Channel.CreateUnbounded<QueuedCallback>(new UnboundedChannelOptions { SingleReader = true });
    private readonly StandInCallbacks _callbacks;
    private readonly Uri _callbackUri;
    private readonly Action<InvalidOperationException> _failed;
    private volatile InvalidOperationException? _failure;

    public StandInCallbackQueue(StandInCallbacks callbacks, Uri callbackUri, Action<InvalidOperationException> failed, CancellationToken stop)
    {
        _callbacks = callbacks;
        _callbackUri = callbackUri;
        _failed = failed;
        Delivering = Task.Run(() => DeliverAsync(stop), CancellationToken.None);
    }

    /// <summary>Ends once CallDisconnected has been delivered, a delivery has failed, or the stand-in stops.</summary>
    public Task Delivering { get; }

    /// <param name="sending">Runs as delivery starts (the moment ACS considers the event to have happened).</param>
    public QueuedCallback Enqueue(JsonObject cloudEvent, Action? sending = null) => Write(new QueuedCallback(cloudEvent, sending));

    /// <summary>Completes once everything enqueued so far has been delivered (or dropped); throws the delivery error if
    /// there was one.</summary>
    public Task DrainAsync() => Write(new QueuedCallback(null, null)).Done;

    private QueuedCallback Write(QueuedCallback callback)
    {
        if (!_queue.Writer.TryWrite(callback))
        {
            Settle(callback);
        }

        return callback;
    }

    private async Task DeliverAsync(CancellationToken stop)
    {
        try
        {
            var closed = false;
            await foreach (var callback in _queue.Reader.ReadAllAsync(stop))
            {
                if (callback.Event is not null && !closed)
                {
                    await DeliverAsync(callback.Event, callback, stop);
                    closed = _failure is not null || (string?)callback.Event["type"] == "Microsoft.Communication.CallDisconnected";
                    if (closed)
                    {
                        _queue.Writer.TryComplete(); // what is still queued is dropped, what comes later refused
                    }
                }

                Settle(callback);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // the stand-in stopped
        }
        finally
        {
            _queue.Writer.TryComplete();
            while (_queue.Reader.TryRead(out var left))
            {
                Settle(left);
            }
        }
    }

    /// <summary>A callback is done with (delivered or dropped); a drain marker reports the delivery error if any.</summary>
    private void Settle(QueuedCallback callback) => callback.Finish(callback.Event is null ? _failure : null);

    private async Task DeliverAsync(JsonObject cloudEvent, QueuedCallback callback, CancellationToken stop)
    {
        var type = (string?)cloudEvent["type"];
        try
        {
            callback.MarkSending();
            using var response = await _callbacks.PostAsync(_callbackUri, cloudEvent, stop);
            if (!response.IsSuccessStatusCode)
            {
                var body = await response.Content.ReadAsStringAsync(stop);
                Fail(new InvalidOperationException($"The app answered the {type} callback to {_callbackUri.AbsolutePath} with {(int)response.StatusCode} {response.StatusCode}: {body}"));
            }
        }
        catch (Exception ex) when (ex is HttpRequestException || (ex is TaskCanceledException && !stop.IsCancellationRequested))
        {
            var why = ex is TaskCanceledException ? $"no answer within {StandInCallbacks.Timeout.TotalSeconds:0} s" : ex.Message;
            Fail(new InvalidOperationException($"The {type} callback to {_callbackUri.AbsolutePath} could not be delivered: {why}", ex));
        }
    }

    private void Fail(InvalidOperationException failure)
    {
        _failure = failure;
        _failed(failure);
    }
}

/// <summary>A callback waiting for (or past) delivery; <see cref="SentAt"/> is when its POST started.</summary>
internal sealed class QueuedCallback(JsonObject? cloudEvent, Action? sending)
{
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _sentAt;

    /// <summary>Null for a drain marker.</summary>
    public JsonObject? Event { get; } = cloudEvent;

    /// <summary>The <see cref="Stopwatch"/> timestamp its POST started, 0 before (or if it was dropped).</summary>
    public long SentAt => Volatile.Read(ref _sentAt);

    public Task Done => _done.Task;

    public void MarkSending()
    {
        sending?.Invoke();
        Volatile.Write(ref _sentAt, Stopwatch.GetTimestamp());
    }

    public void Finish(Exception? failure)
    {
        if (failure is null)
        {
            _done.TrySetResult();
        }
        else
        {
            _done.TrySetException(failure);
        }
    }
}
