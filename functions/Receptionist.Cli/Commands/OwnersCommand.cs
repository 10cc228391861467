using System.CommandLine;
using Receptionist.Cloud.Tables;
using Receptionist.Core.Owners;

namespace Receptionist.Cli.Commands;

/// <summary>`owners add --tenant ID --email E [--json]`: an owner of a business and a one-time sign-in link to the
/// dashboard. `keys create --tenant ID [--json]` / `keys create --operator` / `keys revoke --tenant ID --key KEY`: API keys.</summary>
internal static class OwnersCommand
{
    public static Command Create(Func<CliEnvironment> environment)
    {
        var tenant = new Option<string>("--tenant") { Description = "Tenant id.", Required = true };
        var email = new Option<string>("--email") { Description = "The owner's e-mail address (what they sign in as).", Required = true };
        email.Validators.Add(r =>
        {
            if (!AccessGrants.IsEmail(r.GetValueOrDefault<string>()))
            {
                r.AddError($"--email: '{r.GetValueOrDefault<string>()}' is not an e-mail address.");
            }
        });
        var url = new Option<string?>("--url") { Description = "The app's public base URL for the link (default: PublicBaseUrl, else the running `up`)." };
        var json = new Option<bool>("--json") { Description = "Print JSON." };
        var add = new Command("add", "Make someone an owner of a business and print a one-time sign-in link (valid 24 hours).") { tenant, email, url, json };
        add.SetAction((parse, ct) => AddAsync(environment(), parse.GetValue(tenant)!, parse.GetValue(email)!, parse.GetValue(url), parse.GetValue(json), ct));
        return new Command("owners", "Owners of businesses: who signs in to the dashboard.") { add };
    }

    public static Command CreateKeys(Func<CliEnvironment> environment)
    {
        var tenant = new Option<string?>("--tenant") { Description = "Tenant id the key opens." };
        var isOperator = new Option<bool>("--operator") { Description = "An operator key: every tenant, and tenant management." };
        var json = new Option<bool>("--json") { Description = "Print JSON." };
        var create = new Command("create", "Create an API key and print it once (only its hash is stored).") { tenant, isOperator, json };
        create.Validators.Add(r =>
        {
            if ((r.GetValue(tenant) is null) != r.GetValue(isOperator))
            {
                r.AddError("Give either --tenant ID or --operator.");
            }
        });
        create.SetAction((parse, ct) => CreateKeyAsync(environment(), parse.GetValue(tenant), parse.GetValue(json), ct));

        var revokeTenant = new Option<string?>("--tenant") { Description = "Tenant id of the key (omit for an operator key)." };
        var key = new Option<string>("--key") { Description = "The key (rk_…).", Required = true };
        var revoke = new Command("revoke", "Revoke an API key: it stops working at once.") { revokeTenant, key };
        revoke.SetAction((parse, ct) => RevokeAsync(environment(), parse.GetValue(revokeTenant), parse.GetValue(key)!, ct));
        return new Command("keys", "API keys for the admin API (/api/v1).") { create, revoke };
    }

    private static Task<int> AddAsync(CliEnvironment env, string tenantId, string email, string? url, bool json, CancellationToken ct) => Cli.WithStorage(env, async () =>
    {
        var tables = env.Tables();
        await tables.EnsureCreatedAsync(ct);
        await Cli.TenantAsync(tables, tenantId, ct);
        var secret = await AccessGrants.AddOwnerAsync(new TableAccessStore(tables), email, tenantId, env.Now, ct);
        var link = new Uri(env.AppUrl(url).Url, AccessGrants.LinkPath(secret)).ToString();
        if (json)
        {
            Cli.WriteJson(new { Tenant = tenantId, Email = TableAccessStore.Normalize(email), SignInLink = link, ExpiresAt = env.Now + AccessGrants.LinkLifetime });
        }
        else
        {
            Console.WriteLine($"{TableAccessStore.Normalize(email)} owns {tenantId}. Sign-in link (works once, for 24 hours):");
            Console.WriteLine($"  {link}");
        }

        return Cli.Ok;
    });

    private static Task<int> CreateKeyAsync(CliEnvironment env, string? tenantId, bool json, CancellationToken ct) => Cli.WithStorage(env, async () =>
    {
        var tables = env.Tables();
        await tables.EnsureCreatedAsync(ct);
        if (tenantId is not null)
        {
            await Cli.TenantAsync(tables, tenantId, ct);
        }

        var key = await AccessGrants.NewApiKeyAsync(new TableAccessStore(tables), tenantId, env.Now, ct);
        if (json)
        {
            Cli.WriteJson(new { Key = key, Tenant = tenantId, Operator = tenantId is null });
        }
        else
        {
            Console.WriteLine($"API key for {(tenantId is null ? "operators (every tenant)" : tenantId)} — shown once, keep it secret:");
            Console.WriteLine($"  {key}");
            Console.WriteLine("Use it as: Authorization: Bearer <key>");
        }

        return Cli.Ok;
    });

    private static Task<int> RevokeAsync(CliEnvironment env, string? tenantId, string key, CancellationToken ct) => Cli.WithStorage(env, async () =>
    {
        if (!AccessTokens.LooksLike(key, AccessTokens.ApiKeyPrefix))
        {
            return Cli.Error("--key: that is not an API key (rk_ and 43 characters).", Cli.Usage);
        }

        var tables = env.Tables();
        await tables.EnsureCreatedAsync(ct);
        if (!await new TableAccessStore(tables).RevokeApiKeyAsync(AccessTokens.Hash(key), tenantId, env.Now, ct))
        {
            return Cli.Error($"no such key{(tenantId is null ? " among operator keys" : $" for {tenantId}")}.");
        }

        Console.WriteLine($"Revoked {AccessTokens.Hint(key)}.");
        return Cli.Ok;
    });
}
