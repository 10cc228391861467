using System.Text.Json;
using Receptionist.Core.Conversation;
using Receptionist.Core.Professions;
using Receptionist.Core.Tenants;

namespace Receptionist.Core.Tests.Conversation;

/// <summary>The shipped demo tenants (prompts/demo-tenants.json) with their real profession files, at
/// <see cref="EngineFixture.OpenNow"/> (Monday 23 November 2026, 10 am): for tests that read callers the way the product does.</summary>
internal static class DemoTenants
{
    private static readonly Lazy<string> Root = new(() =>
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "prompts", "demo-tenants.json")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new DirectoryNotFoundException("prompts/demo-tenants.json not found above " + AppContext.BaseDirectory);
    });

    private static readonly Lazy<IReadOnlyList<Tenant>> All = new(() =>
        TenantParser.Parse("demo-tenants.json", File.ReadAllText(Path.Combine(Root.Value, "prompts", "demo-tenants.json")), _ => true)
            .Tenants.Select(t => t.Tenant).ToList());

    /// <summary>The repository root (where prompts/ and tests/corpus/ are).</summary>
    public static string RepositoryRoot => Root.Value;

    /// <summary>The demo tenant with this id.</summary>
    public static TurnContext ById(string tenantId) => Context(All.Value.Single(t => t.Id == tenantId));

    /// <summary>The demo tenant of this profession.</summary>
    public static TurnContext ForProfession(string profession) => Context(All.Value.First(t => t.ProfessionId == profession));

    /// <summary>The id of the demo tenant of this profession.</summary>
    public static string IdOf(string profession) => All.Value.First(t => t.ProfessionId == profession).Id;

    private static TurnContext Context(Tenant tenant)
    {
        var json = File.ReadAllText(Path.Combine(Root.Value, "prompts", "professions", tenant.ProfessionId + ".json"));
        var p = JsonSerializer.Deserialize<Profession>(json, Profession.JsonOptions)!;
        p = p with { Services = p.Services.Select(s => s with { Synonyms = s.Synonyms ?? [] }).ToList() };
        return new TurnContext(tenant, p, EngineFixture.OpenNow, []);
    }
}
