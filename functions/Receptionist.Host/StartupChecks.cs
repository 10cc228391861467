using Receptionist.Cloud.Tables;
using Receptionist.Core.Professions;

namespace Receptionist.Host;

/// <summary>At start: load (and so validate) the profession prompts, and create the tables if storage answers. Storage
/// that does not answer is reported by /readyz until it does; an identity that cannot get a token for it is a
/// configuration error and stops the app, naming what to check.</summary>
public sealed class StartupChecks(ProfessionCatalog professions, TableSet tables, ILogger<StartupChecks> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        logger.LogInformation("Loaded {Count} professions", professions.All.Count);
        try
        {
            await tables.EnsureCreatedAsync(cancellationToken);
        }
        catch (Azure.Identity.AuthenticationFailedException ex)
        {
            throw new InvalidOperationException(
                $"Storage:TableEndpoint ({tables.ServiceUri.GetLeftPart(UriPartial.Authority)}): the app's identity could not get a token for the storage account "
                + $"({ex.Message.Split('\n')[0].Trim()}). In Azure, AZURE_CLIENT_ID must name the app's user-assigned managed identity; locally, sign in "
                + "with `az login` or use Storage:ConnectionString.", ex);
        }
        catch (Exception ex) when (ex is Azure.RequestFailedException or HttpRequestException or AggregateException)
        {
            logger.LogError("Storage is not reachable at start ({Message}); /readyz reports 503 until it is", ex.Message);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
