using System.Text.Json.Nodes;
using Receptionist.Core.Conversation;
using Receptionist.Core.Tests.Professions;
using Receptionist.Core.Tenants;

namespace Receptionist.Core.Tests.Tenants;

/// <summary>Owners can word some states themselves; the profession's phrasing covers the rest.</summary>
public sealed class TenantPromptOverridesTests
{
    private static readonly DateTimeOffset OpenNow = DateTimeOffset.Parse("2026-11-23T10:00:00-05:00");

    [Fact]
    public void Parse_KnownPromptOverride_KeptAndStoredInTheDocument()
    {
        var result = TenantJson.Parse(With(new JsonObject { ["greeting"] = "Hi, you've reached {business}. What can I do for you?" }));

        var valid = Assert.Single(result.Tenants);
        Assert.Equal("Hi, you've reached {business}. What can I do for you?", valid.Tenant.PromptOverrides["greeting"]);
        Assert.Equal(valid.Tenant.PromptOverrides["greeting"], valid.Document.Prompts!["greeting"]);
    }

    [Fact]
    public void Parse_UnknownPromptName_ErrorNamesTheField()
    {
        var result = TenantJson.Parse(With(new JsonObject { ["greting"] = "Hello there, welcome!" }));

        Assert.Empty(result.Tenants);
        Assert.Contains(result.Errors, e => e.StartsWith("t.json: $.prompts.greting:", StringComparison.Ordinal) && e.Contains("greeting", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_PromptTooShort_ErrorNamesTheField()
    {
        var result = TenantJson.Parse(With(new JsonObject { ["goodbye"] = "Bye" }));

        Assert.Contains(result.Errors, e => e.StartsWith("t.json: $.prompts.goodbye:", StringComparison.Ordinal));
    }

    [Fact]
    public void Start_TenantOverridesGreeting_CallerHearsTheOwnersWordsAndProfessionPhrasingElsewhere()
    {
        var tenant = TenantJson.Tenant(t => t["prompts"] = new JsonObject { ["greeting"] = "Bright Smiles here, {business} front desk!" });
        var ctx = new TurnContext(tenant, TestProfession.Dentist(), OpenNow, []);

        var decision = ConversationEngine.Start("CA1", "+15557654321", "+15550100001", ctx);

        Assert.Equal("Bright Smiles here, Bright Smiles Dental front desk!", Assert.IsType<Say>(decision.Actions[0]).Text);
        Assert.Equal(TestProfession.Dentist().Prompts.Goodbye, ctx.Prompts.Goodbye);
    }

    private static JsonObject With(JsonObject prompts)
    {
        var json = TenantJson.Object();
        json["prompts"] = prompts;
        return json;
    }
}
