using System.Text.Json;
using System.Text.RegularExpressions;
using Receptionist.Core.Professions;
using Receptionist.Core.Tenants;
using Receptionist.Core.Understanding;
using Receptionist.Host.Professions;

namespace Receptionist.Host.Tests.Professions;

/// <summary>The shipped data: prompts/demo-tenants.json (seeded by `receptionist up`) and every profession file's
/// prompts, synonyms and emergency keywords, checked against what the conversation engine can actually fill and match.</summary>
public sealed partial class DemoTenantsTests
{
    private static readonly string Shipped = Path.Combine(AppContext.BaseDirectory, "prompts");
    private static readonly string DemoFile = Path.Combine(Shipped, "demo-tenants.json");

    [GeneratedRegex(@"\{([A-Za-z]+)\}")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"^[a-z0-9']+(?: [a-z0-9']+)*$")]
    private static partial Regex SpokenPhrase();

    /// <summary>Anything in braces that is neither a placeholder nor a well-formed {name:one|many} choice.</summary>
    [GeneratedRegex(@"\{(?![A-Za-z]+\}|[A-Za-z]+:[^{}|]*\|[^{}|]*\})[^}]*\}?")]
    private static partial Regex BadBraces();

    [Fact]
    public void Parse_ShippedDemoTenants_AllValidAgainstShippedProfessions()
    {
        var catalog = ProfessionLoader.Load(Shipped);

        var result = TenantParser.Parse(DemoFile, File.ReadAllText(DemoFile), catalog.Contains);

        Assert.True(result.Ok, string.Join(Environment.NewLine, result.Errors));
        var first = result.Tenants[0].Tenant;
        Assert.Equal(("bright-smiles", "dentist", "+15550100001"), (first.Id, first.ProfessionId, first.PhoneNumbers[0]));
    }

    [Fact]
    public void Parse_ShippedDemoTenants_EveryProfessionHasADemoTenant()
    {
        var catalog = ProfessionLoader.Load(Shipped);

        var tenants = DemoTenants(catalog);

        var covered = tenants.Select(t => t.ProfessionId).ToHashSet(StringComparer.Ordinal);
        var uncovered = catalog.All.Select(p => p.Id).Except(covered).ToList();
        Assert.Empty(uncovered);
    }

    [Fact]
    public void Parse_ShippedDemoTenants_NumbersDistinctAndNeverRouteBackIntoTheSystem()
    {
        var tenants = DemoTenants(ProfessionLoader.Load(Shipped));

        var dialled = tenants.SelectMany(t => t.PhoneNumbers).ToList();
        Assert.Equal(dialled.Count, dialled.Distinct(StringComparer.Ordinal).Count());
        var outbound = tenants.SelectMany(t => new[] { t.TransferNumber, t.NotifyNumber }).OfType<string>().ToList();
        Assert.All(outbound, n => Assert.DoesNotContain(n, dialled));
    }

    [Fact]
    public void Prompts_ShippedProfessions_UseOnlyPlaceholdersTheirSchemaDescriptionAllows()
    {
        var (all, allowed, _) = PromptRules();

        var violations = new List<string>();
        foreach (var (file, prompts) in ProfessionPrompts())
        {
            foreach (var (name, text) in prompts)
            {
                var permitted = allowed.GetValueOrDefault(name) ?? [];
                violations.AddRange(Tokens(text).Concat(Choices(text))
                    .Where(t => !permitted.Contains(t) || !all.Contains(t))
                    .Select(t => $"{file}: prompts.{name} uses {{{t}}}; allowed: {string.Join(' ', permitted.Select(p => "{" + p + "}"))}"));
                violations.AddRange(BadBraces().Matches(text).Select(m => $"{file}: prompts.{name}: '{m.Value}' is neither {{placeholder}} nor {{placeholder:one|many}}"));
            }
        }

        Assert.Empty(violations);
    }

    [Fact]
    public void Prompts_ShippedProfessions_ReadBacksEndWithAQuestionAndReadBackEverything()
    {
        var (_, allowed, readBacks) = PromptRules();
        Assert.Contains("confirm", readBacks);

        var violations = new List<string>();
        foreach (var (file, prompts) in ProfessionPrompts())
        {
            foreach (var name in readBacks)
            {
                var text = prompts[name];
                if (!text.TrimEnd().EndsWith('?'))
                {
                    violations.Add($"{file}: prompts.{name} must end with a yes/no question: \"{text}\"");
                }

                var missing = allowed[name].Where(t => t != "business" && !Tokens(text).Contains(t)).ToList();
                if (missing.Count > 0)
                {
                    violations.Add($"{file}: prompts.{name} does not read back {string.Join(' ', missing.Select(m => "{" + m + "}"))}");
                }
            }
        }

        Assert.Empty(violations);
    }

    [Fact]
    public void Prompts_SchemaAndShippedProfessions_ExactlyTheNamesTheCodeKnows()
    {
        using var schema = JsonDocument.Parse(File.ReadAllText(Path.Combine(Shipped, "profession.schema.json")));
        var prompts = schema.RootElement.GetProperty("properties").GetProperty("prompts");
        var required = prompts.GetProperty("required").EnumerateArray().Select(e => e.GetString()!).Order(StringComparer.Ordinal).ToList();
        var described = prompts.GetProperty("properties").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).ToList();
        var known = Core.Professions.ProfessionPrompts.Names.Order(StringComparer.Ordinal).ToList();

        Assert.Equal(known, required);
        Assert.Equal(known, described);
        Assert.All(ProfessionPrompts(), f => Assert.Equal(known, f.Prompts.Keys.Order(StringComparer.Ordinal).ToList()));
    }

    [Fact]
    public void Prompts_ShippedProfessions_FillWithoutLeftOverBraces()
    {
        var values = new Dictionary<string, Phrase>(StringComparer.Ordinal);
        var (all, _, _) = PromptRules();
        foreach (var token in all)
        {
            values[token] = "x";
        }

        var leftOver = ProfessionPrompts()
            .SelectMany(f => f.Prompts.Select(p => (f.File, p.Key, Text: PromptText.Fill(p.Value, values))))
            .Where(x => x.Text.Contains('{', StringComparison.Ordinal) || x.Text.Contains('}', StringComparison.Ordinal))
            .Select(x => $"{x.File}: prompts.{x.Key}: {x.Text}")
            .ToList();

        Assert.Empty(leftOver);
    }

    [Fact]
    public void Services_ShippedProfessionsAndDemoTenants_NoSynonymNamesAnotherService()
    {
        var catalog = ProfessionLoader.Load(Shipped);
        var offerings = catalog.All.Select(p => (Where: $"profession {p.Id}", Services: p.Services))
            .Concat(DemoTenants(catalog).Select(t => (Where: $"demo tenant {t.Id}", Services: catalog.Get(t.ProfessionId).ServicesFor(t))));

        var violations = new List<string>();
        foreach (var (where, services) in offerings)
        {
            var owner = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var s in services)
            {
                owner[SpeechText.Normalize(s.Name)] = s.Name;
            }

            foreach (var s in services)
            {
                foreach (var synonym in s.Synonyms)
                {
                    var phrase = SpeechText.Normalize(synonym);
                    if (owner.TryGetValue(phrase, out var other) && other != s.Name)
                    {
                        violations.Add($"{where}: synonym '{synonym}' of '{s.Name}' is the name of '{other}'");
                    }
                }
            }

            violations.AddRange(services
                .SelectMany(s => s.Synonyms.Select(SpeechText.Normalize).Distinct().Select(p => (Phrase: p, s.Name)))
                .GroupBy(x => x.Phrase, StringComparer.Ordinal)
                .Where(g => g.Count() > 1)
                .Select(g => $"{where}: synonym '{g.Key}' belongs to {string.Join(" and ", g.Select(x => x.Name))}"));
        }

        Assert.Empty(violations);
    }

    [Fact]
    public void Emergency_ShippedProfessions_KeywordsAreLowerCaseSpeechWithoutPunctuation()
    {
        var catalog = ProfessionLoader.Load(Shipped);

        // Keywords are matched as whole phrases in normalised speech (SpeechText.Normalize: lower case, punctuation gone,
        // the apostrophe inside "won't" kept), so a keyword that normalisation would change can never match.
        var bad = catalog.All
            .SelectMany(p => p.Emergency.Keywords.Select(k => (p.Id, Keyword: k)))
            .Where(x => !SpokenPhrase().IsMatch(x.Keyword) || SpeechText.Normalize(x.Keyword) != x.Keyword)
            .Select(x => $"{x.Id}: '{x.Keyword}'")
            .ToList();

        Assert.Empty(bad);
        Assert.All(catalog.All, p => Assert.NotEmpty(p.Emergency.Keywords));
    }

    private static List<Tenant> DemoTenants(ProfessionCatalog catalog)
    {
        var result = TenantParser.Parse(DemoFile, File.ReadAllText(DemoFile), catalog.Contains);
        Assert.True(result.Ok, string.Join(Environment.NewLine, result.Errors));
        return result.Tenants.Select(t => t.Tenant).ToList();
    }

    private static HashSet<string> Tokens(string text) =>
        Placeholder().Matches(text).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);

    /// <summary>The placeholders a prompt's {name:one|many} choices agree with.</summary>
    private static HashSet<string> Choices(string text) =>
        PromptText.Choice().Matches(text).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);

    /// <summary>From the schema: every placeholder (top-level description), the ones each prompt may use (its own
    /// description, plus {business}, which is always filled) and the read-backs (described as ending with a yes/no
    /// question).</summary>
    private static (HashSet<string> All, Dictionary<string, HashSet<string>> Allowed, List<string> ReadBacks) PromptRules()
    {
        using var schema = JsonDocument.Parse(File.ReadAllText(Path.Combine(Shipped, "profession.schema.json")));
        var all = Tokens(schema.RootElement.GetProperty("description").GetString()!);
        var allowed = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        var readBacks = new List<string>();
        foreach (var prompt in schema.RootElement.GetProperty("properties").GetProperty("prompts").GetProperty("properties").EnumerateObject())
        {
            var description = prompt.Value.TryGetProperty("description", out var d) ? d.GetString() ?? "" : "";
            var tokens = Tokens(description);
            Assert.True(tokens.IsSubsetOf(all), $"schema: prompts.{prompt.Name} names a placeholder missing from the top-level list");
            tokens.Add("business");
            allowed[prompt.Name] = tokens;
            if (description.Contains("yes/no question", StringComparison.Ordinal))
            {
                readBacks.Add(prompt.Name);
            }
        }

        Assert.Contains("business", all);
        return (all, allowed, readBacks);
    }

    private static IEnumerable<(string File, Dictionary<string, string> Prompts)> ProfessionPrompts()
    {
        var files = Directory.GetFiles(Path.Combine(Shipped, "professions"), "*.json").Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            using var json = JsonDocument.Parse(File.ReadAllText(file));
            var prompts = json.RootElement.GetProperty("prompts").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? "", StringComparer.Ordinal);
            yield return (Path.GetFileName(file), prompts);
        }
    }
}
