using System.CommandLine;
using System.Diagnostics;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;
using Receptionist.Cloud.Emulator;
using Receptionist.Cloud.Tables;
using Receptionist.Host;
using Receptionist.Host.Configuration;
using Receptionist.Host.Professions;

namespace Receptionist.Cli.Commands;

/// <summary>`up`: install what is missing, start Azurite, seed the demo tenants, run the app on 127.0.0.1:7071.</summary>
internal static class UpCommand
{
    public static Command Create()
    {
        var port = new Option<int>("--port") { Description = "HTTP port of the app.", DefaultValueFactory = _ => 7071 };
        var noSeed = new Option<bool>("--no-seed") { Description = "Do not import prompts/demo-tenants.json." };
        var up = new Command("up", "Start everything locally (Azurite, demo tenants, the app) in the foreground; Ctrl-C stops it.") { port, noSeed };
        up.SetAction((parse, ct) => Run(parse.GetValue(port), !parse.GetValue(noSeed), ct));
        return up;
    }

    private static async Task<int> Run(int port, bool seed, CancellationToken ct)
    {
        var env = CliEnvironment.Load();
        if (LocalSettings.EnsureDevelopmentDefaults(env.SettingsPath))
        {
            Console.WriteLine($"Created {LocalSettings.FileName} with a generated development Twilio auth token (git-ignored).");
        }

        env = env.Reload();
        if (AzuriteProcess.FindScript(env.Root) is null)
        {
            Console.WriteLine("Installing Azurite (npm ci)…");
            if (await RunAsync("npm", ["ci", "--no-audit", "--no-fund"], env.Root, ct) != 0)
            {
                return Cli.Error("npm ci failed; see above.", Cli.Unavailable);
            }
        }

        AzuriteProcess? azurite = null;
        try
        {
            var connection = env.Configuration["Storage:ConnectionString"] ?? "UseDevelopmentStorage=true";
            if (connection.Contains("UseDevelopmentStorage=true", StringComparison.OrdinalIgnoreCase))
            {
                if (await PortOpenAsync(10002))
                {
                    Console.WriteLine("Azurite is already running on 127.0.0.1:10002; using it.");
                }
                else
                {
                    azurite = await AzuriteProcess.StartAsync(env.Root, Path.Combine(env.Root, ".azurite"), (10000, 10001, 10002), TimeSpan.FromSeconds(30), ct);
                    Console.WriteLine($"Azurite started (data in .azurite/), tables on 127.0.0.1:{azurite.TablePort}.");
                }
            }

            ProfessionCatalogCheck(env);
            var tables = env.Tables();
            await tables.EnsureCreatedAsync(ct);
            var seeded = seed
                ? await TenantsCommand.SeedAsync(new TableTenantStore(tables), Path.Combine(env.PromptsDirectory, "demo-tenants.json"), env.Professions().Contains, ct)
                : [];

            var url = $"http://127.0.0.1:{port}";
            var app = ReceptionistHost.Build(["--urls", url, "--environment", "Development"], env.SettingsPath, b =>
            {
                b.Configuration["Prompts:Directory"] = env.PromptsDirectory;
            });
            await app.StartAsync(ct);
            PrintWelcome(url, seeded);
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
        catch (OperationCanceledException)
        {
            return Cli.Ok;
        }
        finally
        {
            if (azurite is not null)
            {
                await azurite.DisposeAsync();
                Console.WriteLine("Azurite stopped.");
            }
        }
    }

    private static void ProfessionCatalogCheck(CliEnvironment env) => _ = env.Professions();

    private static void PrintWelcome(string url, IReadOnlyList<Core.Tenants.ValidTenant> seeded)
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

        var first = seeded.Count > 0 ? seeded[0].Tenant.PhoneNumbers[0] : "+15550100001";
        Console.WriteLine();
        Console.WriteLine("Place a call from a second terminal:");
        Console.WriteLine($"  ./receptionist call --to {first} --from +15557654321");
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
