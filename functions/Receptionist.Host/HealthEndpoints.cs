using Microsoft.AspNetCore.Http.HttpResults;
using Receptionist.Cloud.Tables;

namespace Receptionist.Host;

public static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", Health);
        app.MapGet("/readyz", Ready);
        return app;
    }

    /// <summary>Liveness, kept cheap: the process answers (no storage round trip).</summary>
    public static Ok<HealthReport> Health() => TypedResults.Ok(new HealthReport("healthy", "ok"));

    /// <summary>Readiness: 200 when storage answers within two seconds, the profession prompts are loaded and the
    /// sentence model is warm, 503 otherwise.</summary>
    public static async Task<Results<Ok<HealthReport>, JsonHttpResult<HealthReport>>> Ready(TableSet tables, Core.Professions.ProfessionCatalog professions,
        Configuration.MeaningWarmup meaning, CancellationToken ct)
    {
        if (professions.All.Count == 0)
        {
            return TypedResults.Json(new HealthReport("unhealthy", "no profession prompts loaded"), statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        if (!meaning.IsWarm)
        {
            return TypedResults.Json(new HealthReport("starting", "sentence model loading"), statusCode: StatusCodes.Status503ServiceUnavailable);
        }

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
