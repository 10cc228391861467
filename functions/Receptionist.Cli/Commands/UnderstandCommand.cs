using System.CommandLine;
using System.Globalization;
using Receptionist.Core.Conversation;
using Receptionist.Core.Tenants;
using Receptionist.Core.Understanding;
using Receptionist.Host.Professions;

namespace Receptionist.Cli.Commands;

/// <summary>`understand --tenant ID [--now ISO] [--expecting STATE] [--json] "utterance"`: what the receptionist makes
/// of one utterance, for debugging understanding.</summary>
internal static class UnderstandCommand
{
    public static Command Create(Func<CliEnvironment> environment)
    {
        var tenant = new Option<string>("--tenant") { Description = "Tenant id (its services, hours, time zone and facts are used).", Required = true };
        var now = new Option<string?>("--now") { Description = "The instant to resolve 'tomorrow' against (ISO-8601 with offset); default: now." };
        var expecting = new Option<Expecting>("--expecting") { Description = "What the conversation is waiting for (e.g. Time reads a bare '3' as a time).", DefaultValueFactory = _ => Expecting.Anything };
        var json = new Option<bool>("--json") { Description = "Print JSON." };
        var utterance = new Argument<string>("utterance") { Description = "What the caller said." };
        var command = new Command("understand", "Show how an utterance is understood: intent, date, time, service, name, phone.") { tenant, now, expecting, json, utterance };
        command.SetAction((parse, ct) => Run(environment(), parse.GetValue(tenant)!, parse.GetValue(now), parse.GetValue(expecting), parse.GetValue(json), parse.GetValue(utterance)!, ct));
        return command;
    }

    private static async Task<int> Run(CliEnvironment env, string tenantId, string? nowText, Expecting expecting, bool json, string utterance, CancellationToken ct)
    {
        var now = TimeProvider.System.GetUtcNow();
        if (nowText is not null && !DateTimeOffset.TryParse(nowText, CultureInfo.InvariantCulture, DateTimeStyles.None, out now))
        {
            return Cli.Error($"--now: '{nowText}' is not an ISO-8601 instant, e.g. 2026-11-23T09:00:00-05:00", Cli.Usage);
        }

        Core.Professions.ProfessionCatalog professions;
        try
        {
            professions = env.Professions();
        }
        catch (ConfigurationFileException ex)
        {
            return Cli.Error(ex.Message);
        }

        return await Cli.WithStorage(env, async () =>
        {
            var tables = env.Tables();
            await tables.EnsureCreatedAsync(ct);
            var doc = await Cli.TenantAsync(tables, tenantId, ct);
            var t = TenantParser.FromStored(doc, professions.Contains);
            var ctx = new TurnContext(t, professions.Get(t.ProfessionId), now, []);
            var understanding = new UnderstandingContext(expecting, ctx.Services, ctx.Today, ctx.Topics, ctx.Profession.Emergency.Keywords, ctx.Profession.Emergency.Concepts);
            var report = UnderstandingReport.From(RuleUnderstanding.Understand(utterance, understanding, Lexicon.English, Receptionist.Meaning.MiniLmSentenceEncoder.Shared), t, ctx.Services, ctx.Today);
            if (json)
            {
                Cli.WriteJson(report);
            }
            else
            {
                Console.WriteLine($"intent {report.Intent}, date {report.Date ?? "-"}, time {report.Time ?? "-"}, service {report.Service ?? "-"}, " +
                    $"name {report.Name ?? "-"}, phone {report.Phone ?? "-"}, preference {report.Preference ?? "-"}, topic {report.Topic ?? "-"}, answer {report.Answer ?? "-"}");
            }

            return Cli.Ok;
        });
    }
}
