using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Receptionist.Telephony.Acs;

namespace Receptionist.Host.Acs;

/// <summary>
/// What to do once a prompt has played (hang up, transfer) if ACS never says it has: each scheduled action runs after
/// <c>Acs:PlayTimeoutSeconds</c> unless <see cref="Played"/> came first. Keyed by call and operation, so a late
/// PlayCompleted of an older prompt cannot cancel a newer one's timer; exactly one of PlayCompleted and the timer
/// claims an entry. In process memory: with several instances, the instance that receives PlayCompleted acts, and
/// another's timer may act too — harmless, as the requests are repeatable (a second hang-up finds the call gone).
/// </summary>
public sealed class AcsAfterPlay(IOptions<AcsOptions> options, TimeProvider clock, ILogger<AcsAfterPlay> logger)
{
    private readonly ConcurrentDictionary<string, CancellationTokenSource> _pending = new(StringComparer.Ordinal);

    public void Schedule(string callId, AcsOperation op, Func<Task> then)
    {
        var key = Key(callId, op);
        var timer = new CancellationTokenSource();
        _pending.AddOrUpdate(key, timer, (_, older) =>
        {
            older.Cancel();
            return timer;
        });
        var timeout = TimeSpan.FromSeconds(options.Value.PlayTimeoutSeconds);
        _ = Task.Run(async () =>
        {
            try
            {
                await Task.Delay(timeout, clock, timer.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            if (!_pending.TryRemove(new KeyValuePair<string, CancellationTokenSource>(key, timer)))
            {
                return; // PlayCompleted came first
            }

            logger.LogWarning("No PlayCompleted within {Timeout}; going on with the {Purpose}", timeout, op.Purpose);
            try
            {
                await then();
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                logger.LogError(ex, "Could not go on after the prompt played");
            }
        });
    }

    /// <summary>ACS reported the prompt played (or failed): its timer is cancelled.</summary>
    public void Played(string callId, AcsOperation op)
    {
        if (_pending.TryRemove(Key(callId, op), out var timer))
        {
            timer.Cancel();
        }
    }

    /// <summary>The call is over: every timer of it is cancelled.</summary>
    public void Forget(string callId)
    {
        foreach (var key in _pending.Keys.Where(k => k.StartsWith(callId + "/", StringComparison.Ordinal)))
        {
            if (_pending.TryRemove(key, out var timer))
            {
                timer.Cancel();
            }
        }
    }

    // The token sources are never disposed: they hold no timer or wait handle (Task.Delay registers and unregisters on
    // them), and disposing one another thread may still cancel would throw.
    private static string Key(string callId, AcsOperation op) => callId + "/" + op;
}
