using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Receptionist.Cloud.Workflows;

/// <summary>
/// The express lane of what is due at once. A workflow that has been started (so its text is guaranteed) is also
/// handed here, and its first step — plan, then a first attempt (<see cref="PlanActivity.PlanAndTryAsync"/>) — runs in
/// the app at once, instead of after the framework's control queue, history table and work-item queue have taken it
/// round (seconds at 50 bookings a second on a small machine). Nothing here is the guarantee: a job dropped (the queue
/// full, the app stopping or crashing) or failed (storage, the provider) is done by the workflow, which writes the same
/// rows by the same keys and claims the same notification — so the caller gets one text, whichever came first.
/// </summary>
public sealed class ExpressSends : IAsyncDisposable
{
    private readonly Channel<WorkflowJob> _jobs;
    private readonly PlanActivity _plan;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task[] _lanes;

    private static readonly TimeSpan StopWait = TimeSpan.FromSeconds(5);

    public ExpressSends(PlanActivity plan, WorkflowOptions options, ILogger<ExpressSends> logger)
    {
        _plan = plan;
        _logger = logger;
        _jobs = Channel.CreateBounded<WorkflowJob>(new BoundedChannelOptions(options.ExpressQueueLength)
        {
            FullMode = BoundedChannelFullMode.DropWrite,
            SingleWriter = false,
            SingleReader = false,
        });
        _lanes = Enumerable.Range(0, options.ExpressConcurrency).Select(_ => Task.Run(RunAsync)).ToArray();
    }

    /// <summary>Hands over a job whose workflow has started; false when it was not taken (the queue is full, or the app
    /// is stopping): then the workflow alone does it, as it would anyway.</summary>
    public bool Offer(WorkflowJob job) => !_stopping.IsCancellationRequested && _jobs.Writer.TryWrite(job);

    private async Task RunAsync()
    {
        try
        {
            await foreach (var job in _jobs.Reader.ReadAllAsync(_stopping.Token))
            {
                try
                {
                    await _plan.PlanAndTryAsync(job);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // The workflow's own first step does it again (storage blips are retried there).
                    _logger.LogWarning("Express {Kind} for {RelatedId} failed ({Message}); its workflow sends it", job.Kind, job.RelatedId, ex.Message);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // stopping: what is left is the workflows' to do
        }
    }

    public async ValueTask DisposeAsync()
    {
        _jobs.Writer.TryComplete();
        await _stopping.CancelAsync();

        // A lane in the middle of a send finishes it (bounded by the provider's timeout); the app does not wait longer
        // than this for it: a claim left behind is taken over by the workflow once it lapses.
        await Task.WhenAll(_lanes).WaitAsync(StopWait).ContinueWith(_ => { }, TaskScheduler.Default);
        _stopping.Dispose();
    }
}
