using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Receptionist.Cloud.Tables;
using Receptionist.Core.Storage;
using Receptionist.Core.Tenants;
using Receptionist.Host;
using Receptionist.Telephony.Acs.Simulation;
using Receptionist.Telephony.Twilio;
using Receptionist.Telephony.Twilio.Simulation;

namespace Receptionist.Testing;

/// <summary>The real app on Kestrel at 127.0.0.1 with an OS-chosen port, configured for one test.</summary>
public sealed class AppHost : IAsyncDisposable
{
    public const string AuthToken = "test-auth-token-0123456789";
    public const string AccountSid = "AC11111111111111111111111111111111";

    /// <summary>The loopback ACS resource of an app started with <c>acs: true</c>.</summary>
    public static readonly string AcsAccessKey = Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes("test-acs-access-key-0123456789abcdef"));
    public const string AcsResourceId = "11111111-2222-3333-4444-555555555555";
    public const string EventGridSecret = "test-event-grid-secret-0123";

    private AppHost(WebApplication app, Uri baseUrl, string prefix, AcsStandIn? acs)
    {
        App = app;
        BaseUrl = baseUrl;
        TablePrefix = prefix;
        Acs = acs;
        Http = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(30) };
    }

    public WebApplication App { get; }
    public Uri BaseUrl { get; }
    public string TablePrefix { get; }
    public HttpClient Http { get; }

    /// <summary>The ACS stand-in the app talks to (apps started with <c>acs: true</c>), else null.</summary>
    public AcsStandIn? Acs { get; }

    public IServiceProvider Services => App.Services;
    public TableSet Tables => Services.GetRequiredService<TableSet>();

    /// <param name="connectionString">Storage for this app (Azurite, or a dead endpoint for failure tests).</param>
    /// <param name="clockNow">Clock:Now, ISO-8601 with offset.</param>
    /// <param name="services">Replaces registrations (e.g. a store that fails on cue), after the app's own.</param>
    /// <param name="acs">Also start a loopback ACS stand-in and configure the app's ACS channel for it.</param>
    /// <param name="builder">Last say over the builder (e.g. its properties) before the app's services are added.</param>
    /// <param name="twilioApi">Run the after-call workflows (a Durable Task worker on this app's own task hub) and send
    /// their SMS to this loopback stand-in for Twilio's REST API. Null: workflows off (Workflows:Enabled false).</param>
    public static async Task<AppHost> StartAsync(string connectionString, string clockNow, string? prefix = null, IDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? services = null, bool acs = false, bool acsPlayCompleted = true, TwilioRestStandIn? twilioApi = null,
        Action<WebApplicationBuilder>? builder = null)
    {
        prefix ??= AzuriteFixture.NewPrefix();
        var standIn = acs
            ? await AcsStandIn.StartAsync(new AcsStandInOptions { AccessKey = AcsAccessKey, ResourceId = AcsResourceId, SendPlayCompleted = acsPlayCompleted }, CancellationToken.None)
            : null;
        var app = ReceptionistHost.Build(["--urls", "http://127.0.0.1:0", "--environment", "Development"], Path.Combine(Path.GetTempPath(), "no-local-settings.json"), b =>
        {
            b.Configuration["Storage:ConnectionString"] = connectionString;
            b.Configuration["Storage:TablePrefix"] = prefix;
            b.Configuration["Twilio:AuthToken"] = AuthToken;
            b.Configuration["Twilio:AccountSid"] = AccountSid;
            b.Configuration["Clock:Now"] = clockNow;
            b.Configuration["Workflows:Enabled"] = twilioApi is null ? "false" : "true";
            if (twilioApi is not null)
            {
                b.Configuration["Twilio:ApiBaseUrl"] = twilioApi.ApiBaseUrl;
                b.Configuration["Workflows:AfterCallDelaySeconds"] = "0";
            }

            // RECEPTIONIST_TEST_LOGLEVEL=Debug shows what the app did in a failing test.
            b.Configuration["Logging:LogLevel:Default"] = Environment.GetEnvironmentVariable("RECEPTIONIST_TEST_LOGLEVEL") ?? "Warning";
            if (standIn is not null)
            {
                b.Configuration["Acs:ConnectionString"] = standIn.ConnectionString;
                b.Configuration["Acs:ResourceId"] = AcsResourceId;
                b.Configuration["Acs:OpenIdMetadataUrl"] = standIn.OpenIdMetadataUrl;
                b.Configuration["Acs:EventGrid:Secret"] = EventGridSecret;
                b.Configuration["Acs:CognitiveServicesEndpoint"] = standIn.Endpoint + "cognitive-services/";
            }

            foreach (var (k, v) in settings ?? new Dictionary<string, string?>())
            {
                b.Configuration[k] = v;
            }

            builder?.Invoke(b);
        }, services);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new AppHost(app, new Uri(address), prefix, standIn);
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

    /// <summary>A simulator for a voice mode ("gather", "relay") or "acs" (an app started with <c>acs: true</c>).</summary>
    public ICallSimulator Simulator(string mode) => mode == "acs"
        ? new AcsCallSimulator(Http, BaseUrl, Acs ?? throw new InvalidOperationException("Start the app with acs: true"), EventGridSecret)
        : CallSimulators.Create(mode, Http, BaseUrl, AuthToken, AccountSid);

    public Task<SimulatedCall> CallAsync(string to, string from, params string[] say) =>
        Simulator().RunAsync(to, from, new ScriptedCaller(say), CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        if (Acs is not null)
        {
            await Acs.DisposeAsync();
        }
    }
}
