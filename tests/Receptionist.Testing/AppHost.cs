using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Receptionist.Cloud.Tables;
using Receptionist.Core.Storage;
using Receptionist.Core.Tenants;
using Receptionist.Host;
using Receptionist.Telephony.Twilio;

namespace Receptionist.Testing;

/// <summary>The real app on Kestrel at 127.0.0.1 with an OS-chosen port, configured for one test.</summary>
public sealed class AppHost : IAsyncDisposable
{
    public const string AuthToken = "test-auth-token-0123456789";
    public const string AccountSid = "AC11111111111111111111111111111111";

    private AppHost(WebApplication app, Uri baseUrl, string prefix)
    {
        App = app;
        BaseUrl = baseUrl;
        TablePrefix = prefix;
        Http = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(30) };
    }

    public WebApplication App { get; }
    public Uri BaseUrl { get; }
    public string TablePrefix { get; }
    public HttpClient Http { get; }

    public IServiceProvider Services => App.Services;
    public TableSet Tables => Services.GetRequiredService<TableSet>();

    /// <param name="connectionString">Storage for this app (Azurite, or a dead endpoint for failure tests).</param>
    /// <param name="clockNow">Clock:Now, ISO-8601 with offset.</param>
    /// <param name="services">Replaces registrations (e.g. a store that fails on cue), after the app's own.</param>
    public static async Task<AppHost> StartAsync(string connectionString, string clockNow, string? prefix = null, IDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? services = null)
    {
        prefix ??= AzuriteFixture.NewPrefix();
        var app = ReceptionistHost.Build(["--urls", "http://127.0.0.1:0", "--environment", "Development"], Path.Combine(Path.GetTempPath(), "no-local-settings.json"), b =>
        {
            b.Configuration["Storage:ConnectionString"] = connectionString;
            b.Configuration["Storage:TablePrefix"] = prefix;
            b.Configuration["Twilio:AuthToken"] = AuthToken;
            b.Configuration["Twilio:AccountSid"] = AccountSid;
            b.Configuration["Clock:Now"] = clockNow;
            b.Configuration["Logging:LogLevel:Default"] = "Warning";
            foreach (var (k, v) in settings ?? new Dictionary<string, string?>())
            {
                b.Configuration[k] = v;
            }
        }, services);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new AppHost(app, new Uri(address), prefix);
    }

    /// <summary>Imports tenants from JSON the way `tenants import` does.</summary>
    public async Task ImportTenantsAsync(string json)
    {
        var professions = Services.GetRequiredService<Core.Professions.ProfessionCatalog>();
        var parsed = TenantParser.Parse("test.json", json, professions.Contains);
        if (!parsed.Ok)
        {
            throw new InvalidOperationException(string.Join(Environment.NewLine, parsed.Errors));
        }

        var errors = await Services.GetRequiredService<ITenantStore>().ImportAsync(parsed.Tenants, CancellationToken.None);
        if (errors.Count > 0)
        {
            throw new InvalidOperationException(string.Join(Environment.NewLine, errors));
        }
    }

    public TwilioCallSimulator Simulator() => new(Http, BaseUrl, AuthToken, AccountSid);

    /// <summary>A simulator for a voice mode ("gather", "relay").</summary>
    public ICallSimulator Simulator(string mode) => CallSimulators.Create(mode, Http, BaseUrl, AuthToken, AccountSid);

    public Task<SimulatedCall> CallAsync(string to, string from, params string[] say) =>
        Simulator().RunAsync(to, from, new ScriptedCaller(say), CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
