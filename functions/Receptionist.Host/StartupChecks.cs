using Receptionist.Cloud.Tables;
using Receptionist.Core.Professions;

namespace Receptionist.Host;

/// <summary>At start: load (and so validate) the profession prompts, and create the tables if storage answers.</summary>
public sealed class StartupChecks(ProfessionCatalog professions, TableSet tables, ILogger<StartupChecks> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        logger.LogInformation("Loaded {Count} professions", professions.All.Count);
        try
        {
            await tables.EnsureCreatedAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is Azure.RequestFailedException or HttpRequestException or AggregateException)
        {
            logger.LogError("Storage is not reachable at start ({Message}); /readyz reports 503 until it is", ex.Message);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
