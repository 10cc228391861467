using System.CommandLine;
using Receptionist.Cloud.Tables;
using Receptionist.Core.Storage;
using Receptionist.Core.Tenants;
using Receptionist.Host.Professions;

namespace Receptionist.Cli.Commands;

/// <summary>`tenants import FILE` and `tenants list [--json]`.</summary>
internal static class TenantsCommand
{
    public static Command Create(Func<CliEnvironment> environment)
    {
        var file = new Argument<FileInfo>("file") { Description = "A tenant JSON file: one object or an array." };
        var import = new Command("import", "Create or update tenants from a JSON file. Nothing is written unless the whole file is valid.") { file };
        import.SetAction((parse, ct) => Import(environment(), parse.GetValue(file)!, ct));

        var json = new Option<bool>("--json") { Description = "Print JSON." };
        var list = new Command("list", "List tenants.") { json };
        list.SetAction((parse, ct) => List(environment(), parse.GetValue(json), ct));

        return new Command("tenants", "Manage the businesses (tenants) that answer calls.") { import, list };
    }

    public static async Task<int> Import(CliEnvironment env, FileInfo file, CancellationToken ct)
    {
        if (!file.Exists)
        {
            return Cli.Error($"{file.FullName}: file not found");
        }

        ProfessionCatalogOrError(env, out var professions, out var loadError);
        if (loadError is not null)
        {
            return Cli.Error(loadError);
        }

        var parsed = TenantParser.Parse(file.Name, await File.ReadAllTextAsync(file.FullName, ct), professions!.Contains);
        if (!parsed.Ok)
        {
            foreach (var e in parsed.Errors)
            {
                Console.Error.WriteLine(e);
            }

            return Cli.Error($"{file.Name}: nothing imported ({parsed.Errors.Count} error(s)).");
        }

        return await Cli.WithStorage(env, async () =>
        {
            var tables = env.Tables();
            await tables.EnsureCreatedAsync(ct);
            var errors = await new TableTenantStore(tables).ImportAsync(parsed.Tenants, ct);
            if (errors.Count > 0)
            {
                foreach (var e in errors)
                {
                    Console.Error.WriteLine($"{file.Name}: {e}");
                }

                return Cli.Error($"{file.Name}: nothing imported ({errors.Count} error(s)).");
            }

            foreach (var t in parsed.Tenants)
            {
                Console.WriteLine($"imported {t.Tenant.Id,-22} {t.Tenant.ProfessionId,-18} {string.Join(", ", t.Tenant.PhoneNumbers)}");
            }

            return Cli.Ok;
        });
    }

    private static Task<int> List(CliEnvironment env, bool json, CancellationToken ct) => Cli.WithStorage(env, async () =>
    {
        var tables = env.Tables();
        await tables.EnsureCreatedAsync(ct);
        var tenants = await new TableTenantStore(tables).ListAsync(ct);
        if (json)
        {
            Cli.WriteJson(tenants);
        }
        else
        {
            foreach (var t in tenants)
            {
                Console.WriteLine($"{t.Id,-22} {t.Profession,-18} {string.Join(", ", t.PhoneNumbers ?? []),-16} {t.Name}");
            }
        }

        return Cli.Ok;
    });

    private static void ProfessionCatalogOrError(CliEnvironment env, out Core.Professions.ProfessionCatalog? catalog, out string? error)
    {
        try
        {
            catalog = env.Professions();
            error = null;
        }
        catch (ConfigurationFileException ex)
        {
            catalog = null;
            error = ex.Message;
        }
    }

    /// <summary>Imports the file for `up`'s demo seed; returns the tenants imported.</summary>
    public static async Task<IReadOnlyList<ValidTenant>> SeedAsync(ITenantStore store, string path, Func<string, bool> professionExists, CancellationToken ct)
    {
        var parsed = TenantParser.Parse(Path.GetFileName(path), await File.ReadAllTextAsync(path, ct), professionExists);
        if (!parsed.Ok)
        {
            throw new ConfigurationFileException(string.Join(Environment.NewLine, parsed.Errors));
        }

        var errors = await store.ImportAsync(parsed.Tenants, ct);
        return errors.Count > 0 ? throw new ConfigurationFileException(string.Join(Environment.NewLine, errors)) : parsed.Tenants;
    }
}
