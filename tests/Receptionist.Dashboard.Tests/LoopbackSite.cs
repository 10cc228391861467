using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Receptionist.Telephony.Simulation;

namespace Receptionist.Dashboard.Tests;

/// <summary>A throwaway Kestrel site on 127.0.0.1 with an OS-chosen port (the stand-ins' <see cref="LoopbackApp"/>)
/// serving one HTML page at "/".</summary>
public sealed class LoopbackSite : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _html;

    private LoopbackSite(WebApplication app, Uri url, string html)
    {
        _app = app;
        Url = url;
        _html = html;
    }

    public Uri Url { get; }

    public static async Task<LoopbackSite> StartAsync(string html)
    {
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        return await LoopbackApp.StartAsync(0, (app, url) => new LoopbackSite(app, url, html), (site, http) => site.HandleAsync(http), null, bound.Token);
    }

    private Task HandleAsync(HttpContext http) =>
        http.Request.Path == "/" ? Results.Content(_html, "text/html; charset=utf-8").ExecuteAsync(http) : Results.NotFound().ExecuteAsync(http);

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(stop.Token);
        await _app.DisposeAsync();
    }
}
