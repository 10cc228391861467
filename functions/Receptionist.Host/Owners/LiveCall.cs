using System.Text.Json;

namespace Receptionist.Host.Owners;

/// <summary>
/// A call's transcript as it happens, for the dashboard: server-sent events (<c>text/event-stream</c>) on
/// <c>/t/{tenantId}/calls/{callId}/live</c>. Each new line is an event <c>line</c> (JSON: at, speaker, text); when the
/// call ends, an event <c>ended</c>, and the stream closes. The call's state is read from storage once a second (calls
/// are in storage, not in any one instance's memory, so any instance can serve this).
/// </summary>
public static class LiveCall
{
    public static readonly TimeSpan Every = TimeSpan.FromSeconds(1);

    /// <summary>No stream outlives this (a call left open in a tab).</summary>
    public static readonly TimeSpan Longest = TimeSpan.FromMinutes(30);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static IEndpointRouteBuilder MapLiveCalls(this IEndpointRouteBuilder app)
    {
        app.MapGet("/t/{tenantId}/calls/{callId}/live", StreamAsync).RequireAuthorization(OwnerAccess.OwnerPolicy).ExcludeFromDescription();
        return app;
    }

    public static async Task StreamAsync(HttpContext http, string tenantId, string callId, int? after, OwnerViews views, TimeProvider clock, CancellationToken ct)
    {
        if (await views.TenantAsync(tenantId, ct) is not { } tenant || await views.CallAsync(tenant, callId, ct) is null)
        {
            await Results.Problem("No such call.", statusCode: StatusCodes.Status404NotFound).ExecuteAsync(http);
            return;
        }

        http.Response.Headers.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-cache";
        http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpResponseBodyFeature>()?.DisableBuffering();
        var sent = Math.Max(0, after ?? 0);
        var until = clock.GetUtcNow() + Longest;
        await http.Response.WriteAsync(": live\n\n", ct);
        await http.Response.Body.FlushAsync(ct);
        while (!ct.IsCancellationRequested && clock.GetUtcNow() < until)
        {
            var call = await views.CallAsync(tenant, callId, ct);
            if (call is null)
            {
                return;
            }

            foreach (var line in call.Transcript.Skip(sent))
            {
                await http.Response.WriteAsync($"event: line\ndata: {JsonSerializer.Serialize(line, Json)}\n\n", ct);
                sent++;
            }

            if (!call.Call.InProgress)
            {
                await http.Response.WriteAsync($"event: ended\ndata: {JsonSerializer.Serialize(new { call.Call.Outcome }, Json)}\n\n", ct);
                await http.Response.Body.FlushAsync(ct);
                return;
            }

            await http.Response.Body.FlushAsync(ct);
            await Task.Delay(Every, clock, ct);
        }
    }
}
