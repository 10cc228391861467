using System.CommandLine;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Receptionist.Cloud.Emulator;
using Receptionist.Cloud.Tables;
using Receptionist.Core.Phone;
using Receptionist.Host;
using Receptionist.Host.Configuration;
using Receptionist.Host.Professions;
using Receptionist.Telephony.Acs.Simulation;
using Receptionist.Telephony.Twilio;
using Receptionist.Telephony.Twilio.Simulation;

namespace Receptionist.Cli.Commands;

/// <summary>`up`: install what is missing, start Azurite, seed the demo tenants, run the app on 127.0.0.1:7071 with its
/// SMS going to loopback stand-ins for Twilio's Messages API and, when ACS is configured, ACS's SMS API.</summary>
internal static class UpCommand
{
    /// <summary>The host logs a failed start with its stack trace; `up` reports it in one line instead.</summary>
    private const string HostCategory = "Microsoft.Extensions.Hosting.Internal.Host";

    private static readonly TimeSpan AzuriteStart = TimeSpan.FromSeconds(30);

    public static Command Create(Func<CliEnvironment> environment)
    {
        var port = new Option<int>("--port") { Description = "HTTP port of the app.", DefaultValueFactory = _ => 7071 };
        Cli.Between(port, 1, 65535);
        var noSeed = new Option<bool>("--no-seed") { Description = "Do not import prompts/demo-tenants.json." };
        var up = new Command("up", "Start everything locally (Azurite, demo tenants, the app) in the foreground; Ctrl-C stops it.") { port, noSeed };
        up.SetAction((parse, ct) => Run(environment(), parse.GetValue(port), !parse.GetValue(noSeed), ct));
        return up;
    }

    private static async Task<int> Run(CliEnvironment env, int port, bool seed, CancellationToken ct)
    {
        env = env.WithDevelopmentDefaults(out var created);
        if (created)
        {
            Console.WriteLine($"Created {LocalSettings.FileName} with a generated development Twilio auth token (git-ignored).");
        }

        // Before anything starts: a taken port is one line now, not a stack trace from Kestrel after the seed.
        if (CannotListen(port) is { } reason)
        {
            return Cli.Error($"--port {port}: cannot listen on 127.0.0.1:{port} ({reason}).");
        }

        var url = $"http://127.0.0.1:{port}";
        var running = new RunningApp(url, Environment.ProcessId);
        AzuriteProcess? azurite = null;
        TwilioRestStandIn? sms = null;
        AcsStandIn? acsSms = null;
        try
        {
            if (env.UsesDevelopmentStorage)
            {
                if (await PortOpenAsync(10002))
                {
                    Console.WriteLine("Azurite is already running on 127.0.0.1:10002; using it.");
                }
                else
                {
                    if (AzuriteProcess.FindScript(env.Root) is null)
                    {
                        Console.WriteLine("Installing Azurite (npm ci)…");
                        if (await RunAsync("npm", ["ci", "--no-audit", "--no-fund"], env.Root, ct) != 0)
                        {
                            return Cli.Error("npm ci failed; see above.");
                        }
                    }

                    try
                    {
                        azurite = await AzuriteProcess.StartAsync(env.Root, Path.Combine(env.Root, ".azurite"), (10000, 10001, 10002), AzuriteStart, ct);
                    }
                    catch (TimeoutException)
                    {
                        return Cli.Error($"Azurite did not start within {AzuriteStart.TotalSeconds:0} s (ports 10000-10002 on 127.0.0.1).");
                    }
                    catch (InvalidOperationException ex)
                    {
                        return Cli.Error(ex.Message); // "Azurite exited before it was ready:" and what it printed
                    }

                    Console.WriteLine($"Azurite started (data in .azurite/), tables on 127.0.0.1:{azurite.TablePort}.");
                }
            }

            ProfessionCatalogCheck(env);
            var tables = env.Tables();
            await tables.EnsureCreatedAsync(ct);
            var seeded = seed
                ? await TenantsCommand.SeedAsync(new TableTenantStore(tables), Path.Combine(env.PromptsDirectory, "demo-tenants.json"), env.Professions().Contains, ct)
                : [];

            sms = await StartSmsStandInAsync(env, ct);
            acsSms = await StartAcsSmsStandInAsync(env, ct);
            var starting = true;
            await using var app = ReceptionistHost.Build(["--urls", url, "--environment", "Development"], env.SettingsPath, b =>
            {
                b.Configuration["Prompts:Directory"] = env.PromptsDirectory;
                foreach (var (key, value) in env.Settings)
                {
                    b.Configuration[key] = value;
                }

                if (sms is not null)
                {
                    b.Configuration[$"{TwilioRestOptions.Section}:ApiBaseUrl"] = sms.ApiBaseUrl;
                }

                if (acsSms is not null)
                {
                    b.Configuration["Acs:SmsConnectionString"] = acsSms.ConnectionString;
                }

                // Until the app has started: a failed start is reported below, in one line.
                b.Logging.AddFilter(HostCategory, level => level >= LogLevel.Warning && (!starting || level >= LogLevel.Critical));
            });
            await app.StartAsync(ct);
            starting = false;
            running.Write(env.Root);
            var links = await SignInLinksAsync(env, tables, seeded, ct);
            PrintWelcome(env, url, seeded, links);
            await app.WaitForShutdownAsync(ct);
            return Cli.Ok;
        }
        catch (ConfigurationFileException ex)
        {
            return Cli.Error(ex.Message);
        }
        catch (Microsoft.Extensions.Options.OptionsValidationException ex)
        {
            return Cli.Error($"{LocalSettings.FileName} or environment: {string.Join("; ", ex.Failures)}");
        }
        catch (IOException ex) when (ex.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException)
        {
            return Cli.Error($"--port {port}: {ex.Message}");
        }
        catch (Exception ex) when (Cli.StorageFailure(env, ex) is { } message)
        {
            return Cli.Error(message);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return Cli.Ok;
        }
        finally
        {
            running.Remove(env.Root);
            if (sms is not null)
            {
                await sms.DisposeAsync(); // after the app: it may still be sending while it stops
            }

            if (acsSms is not null)
            {
                await acsSms.DisposeAsync();
            }

            if (azurite is not null)
            {
                await azurite.DisposeAsync();
                Console.WriteLine("Azurite stopped.");
            }
        }
    }

    private static void ProfessionCatalogCheck(CliEnvironment env) => _ = env.Professions();

    /// <summary>
    /// Unless Twilio:ApiBaseUrl names an API other than Twilio's, starts a loopback stand-in for Twilio's Messages API
    /// with the account the app will authenticate as (the development defaults generate one), so the app's SMS are
    /// printed here instead of sent. Null when the app is pointed elsewhere or has no account to send from.
    /// </summary>
    private static async Task<TwilioRestStandIn?> StartSmsStandInAsync(CliEnvironment env, CancellationToken ct)
    {
        var twilio = env.Configuration.GetSection(TwilioRestOptions.Section);
        if (twilio["ApiBaseUrl"] is { Length: > 0 } configured
            && !configured.TrimEnd('/').Equals(TwilioRestOptions.TwilioApiBaseUrl, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        if (twilio["AccountSid"] is not { Length: > 0 } accountSid || twilio["AuthToken"] is not { Length: > 0 } authToken)
        {
            return null; // the app cannot send SMS at all
        }

        var standIn = await TwilioRestStandIn.StartAsync(accountSid: accountSid, authToken: authToken, cancellationToken: ct);
        standIn.MessageAccepted += m => Console.WriteLine($"SMS to {PhoneNumber.Mask(m.To)}: {PhoneNumber.MaskIn(m.Body.ReplaceLineEndings(" "))}");
        Console.WriteLine($"SMS go to a local stand-in for Twilio's Messages API at {standIn.ApiBaseUrl}; nothing leaves this machine.");
        return standIn;
    }

    /// <summary>
    /// When ACS is configured and Acs:SmsConnectionString does not already say where texts go, starts a loopback ACS
    /// stand-in with a key of its own (on a port the OS chooses, so `call --channel acs` keeps 7073 for Call Automation)
    /// and gives the app its connection string for texts: they are HMAC-signed with that key, checked, printed here and
    /// sent nowhere — also when the channel itself reaches ACS with Entra ID. Null when ACS is not configured or texts
    /// are pointed elsewhere.
    /// </summary>
    private static async Task<AcsStandIn?> StartAcsSmsStandInAsync(CliEnvironment env, CancellationToken ct)
    {
        var acs = env.Configuration.GetSection("Acs");
        if (!string.IsNullOrWhiteSpace(acs["SmsConnectionString"]) || (string.IsNullOrWhiteSpace(acs["ConnectionString"]) && string.IsNullOrWhiteSpace(acs["Endpoint"])))
        {
            return null;
        }

        var standIn = await AcsStandIn.StartAsync(new AcsStandInOptions
        {
            AccessKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
            ResourceId = acs["ResourceId"] ?? Guid.Empty.ToString(),
        }, ct);
        standIn.TextAccepted += t => Console.WriteLine($"SMS over ACS to {PhoneNumber.Mask(t.To)}: {PhoneNumber.MaskIn(t.Message.ReplaceLineEndings(" "))}");
        Console.WriteLine($"ACS texts go to a local stand-in for ACS's SMS API at {standIn.Endpoint}; nothing leaves this machine.");
        return standIn;
    }

    /// <summary>Why 127.0.0.1:<paramref name="port"/> cannot be listened on, or null when it can.</summary>
    private static string? CannotListen(int port)
    {
        var listener = new TcpListener(IPAddress.Loopback, port);
        try
        {
            listener.Start();
            return null;
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            return "it is in use; is another `./receptionist up` running? Choose another with --port";
        }
        catch (SocketException ex)
        {
            return ex.Message;
        }
        finally
        {
            listener.Stop();
        }
    }

    /// <summary>The demo owner of each demo tenant (owner@{id}.example) and a fresh one-time sign-in link for them.</summary>
    private static async Task<IReadOnlyList<(string TenantId, string Secret)>> SignInLinksAsync(CliEnvironment env, Cloud.Tables.TableSet tables,
        IReadOnlyList<Core.Tenants.ValidTenant> seeded, CancellationToken ct)
    {
        var access = new Cloud.Tables.TableAccessStore(tables);
        var links = new List<(string, string)>();
        foreach (var t in seeded)
        {
            links.Add((t.Tenant.Id, await Core.Owners.AccessGrants.AddOwnerAsync(access, DemoOwner(t.Tenant.Id), t.Tenant.Id, env.Now, ct)));
        }

        return links;
    }

    /// <summary>The demo owner's e-mail for a demo tenant (example.com domains never receive mail).</summary>
    public static string DemoOwner(string tenantId) => $"owner@{tenantId}.example.com";

    private static void PrintWelcome(CliEnvironment env, string url, IReadOnlyList<Core.Tenants.ValidTenant> seeded, IReadOnlyList<(string TenantId, string Secret)> links)
    {
        Console.WriteLine();
        Console.WriteLine($"Receptionist is answering at {url}  (ready: {url}/readyz)");
        if (seeded.Count > 0)
        {
            Console.WriteLine("Demo tenants (dial these numbers):");
            foreach (var t in seeded)
            {
                Console.WriteLine($"  {t.Tenant.PhoneNumbers[0],-14} {t.Tenant.ProfessionId,-18} {t.Tenant.Name} ({t.Tenant.Id})");
            }
        }

        // `call` finds this app through the note `up` just wrote, unless PublicBaseUrl sends it elsewhere.
        var (dials, _) = env.AppUrl(null);
        var urlOption = dials == new Uri(url) ? string.Empty : $" --url {url}";
        var first = seeded.Count > 0 ? seeded[0].Tenant.PhoneNumbers[0] : "+15550100001";
        Console.WriteLine();
        Console.WriteLine("Place a call from a second terminal:");
        Console.WriteLine($"  ./receptionist call{urlOption} --to {first} --from +15557654321");
        if (links.Count > 0)
        {
            Console.WriteLine();
            Console.WriteLine($"Owners' dashboard: {url}/  — one-time sign-in links (24 hours):");
            foreach (var (tenantId, secret) in links)
            {
                Console.WriteLine($"  {tenantId,-18} {url}{Core.Owners.AccessGrants.LinkPath(secret)}");
            }
        }

        Console.WriteLine("Press Ctrl-C to stop the app and Azurite.");
    }

    private static async Task<bool> PortOpenAsync(int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync("127.0.0.1", port).WaitAsync(TimeSpan.FromSeconds(1));
            return true;
        }
        catch (Exception ex) when (ex is SocketException or TimeoutException)
        {
            return false;
        }
    }

    private static async Task<int> RunAsync(string file, string[] args, string workingDirectory, CancellationToken ct)
    {
        var psi = new ProcessStartInfo(file) { WorkingDirectory = workingDirectory, UseShellExecute = false };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var process = Process.Start(psi)!;
        await process.WaitForExitAsync(ct);
        return process.ExitCode;
    }
}
