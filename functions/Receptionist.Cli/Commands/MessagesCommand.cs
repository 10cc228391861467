using System.CommandLine;
using Receptionist.Cloud.Tables;

namespace Receptionist.Cli.Commands;

/// <summary>`messages list --tenant ID [--json]`: messages callers left, newest first.</summary>
internal static class MessagesCommand
{
    public static Command Create(Func<CliEnvironment> environment)
    {
        var tenant = new Option<string>("--tenant") { Description = "Tenant id.", Required = true };
        var json = new Option<bool>("--json") { Description = "Print JSON." };
        var list = new Command("list", "List the messages callers left, newest first.") { tenant, json };
        list.SetAction((parse, ct) => List(environment(), parse.GetValue(tenant)!, parse.GetValue(json), ct));
        return new Command("messages", "See messages callers left.") { list };
    }

    private static Task<int> List(CliEnvironment env, string tenantId, bool json, CancellationToken ct) => Cli.WithStorage(env, async () =>
    {
        var tables = env.Tables();
        await tables.EnsureCreatedAsync(ct);
        await Cli.TenantAsync(tables, tenantId, ct);
        var store = new TableMessageStore(tables);
        var messages = await store.ListAsync(tenantId, ct);
        if (json)
        {
            Cli.WriteJson(messages);
        }
        else
        {
            foreach (var m in messages)
            {
                Console.WriteLine($"{m.CreatedAt:yyyy-MM-dd HH:mm} {(m.Urgent ? "URGENT " : string.Empty)}{m.CallerName} ({m.CallerPhone ?? "no number"}): {m.Text}");
            }

            Console.WriteLine($"{messages.Count} message(s)");
        }

        return Cli.Ok;
    });
}
