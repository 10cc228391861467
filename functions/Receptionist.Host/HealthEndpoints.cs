using Microsoft.AspNetCore.Http.HttpResults;
using Receptionist.Cloud.Tables;

namespace Receptionist.Host;

public static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", Health);
        return app;
    }

    /// <summary>200 when storage answers within two seconds, 503 otherwise.</summary>
    public static async Task<Results<Ok<HealthReport>, JsonHttpResult<HealthReport>>> Health(TableSet tables, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(2));
        try
        {
            await tables.PingAsync(timeout.Token);
            return TypedResults.Ok(new HealthReport("healthy", "ok"));
        }
        catch (Exception ex) when (ex is Azure.RequestFailedException or HttpRequestException or OperationCanceledException or AggregateException)
        {
            return TypedResults.Json(new HealthReport("unhealthy", "storage not reachable"), statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }
}

public sealed record HealthReport(string Status, string Storage);
