using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Receptionist.Telephony.Simulation;

/// <summary>
/// The small Kestrel server under each loopback stand-in (Twilio's REST API, ACS): 127.0.0.1 only, configured by its
/// arguments alone (a Kestrel section in the process's settings cannot move it), no logging of its own, every request
/// handed to the stand-in once it exists.
/// </summary>
public static class LoopbackApp
{
    /// <param name="port">0: the OS chooses.</param>
    /// <param name="create">Makes the stand-in from the started app and its base URL (<c>http://127.0.0.1:{port}/</c>).</param>
    /// <param name="handle">Answers one request.</param>
    /// <param name="kestrel">Further Kestrel settings (limits, server header).</param>
    /// <exception cref="IOException">The port is taken.</exception>
    public static async Task<T> StartAsync<T>(int port, Func<WebApplication, Uri, T> create, Func<T, HttpContext, Task> handle,
        Action<KestrelServerOptions>? kestrel, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.Sources.Clear();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            kestrel?.Invoke(k);
            k.Listen(IPAddress.Loopback, port);
        });
        var app = builder.Build();
        var ready = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        app.Run(async context => await handle(await ready.Task, context));
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First());
        var standIn = create(app, new Uri($"http://127.0.0.1:{address.Port.ToString(CultureInfo.InvariantCulture)}/"));
        ready.SetResult(standIn);
        return standIn;
    }
}
