using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Numerics;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Receptionist.Cloud.Tables;
using Receptionist.Core.Tenants;

namespace Receptionist.Cli.Commands;

/// <summary>The command line's one entry point and its output conventions: JSON for scripts, plain lines for people,
/// every error one line on stderr with one of the exit codes below — never a stack trace.</summary>
public static class Cli
{
    public const int Ok = 0;

    /// <summary>The command ran and failed: storage or the app unreachable, a file missing or malformed, an unknown
    /// tenant, a port taken.</summary>
    public const int Failed = 1;

    /// <summary>The command line itself is wrong: an unknown option, a value out of range, a missing argument.</summary>
    public const int Usage = 2;

    /// <summary>Set to 1 to see the full exception of an unexpected error.</summary>
    public const string DebugVariable = "RECEPTIONIST_DEBUG";

    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <summary>Runs the command line. <paramref name="environment"/> reads the repo and configuration when a command
    /// needs them (tests pass their own root and storage).</summary>
    public static async Task<int> RunAsync(string[] args, Func<CliEnvironment> environment, CancellationToken cancellationToken)
    {
        var root = new RootCommand("Receptionist: the AI telephone receptionist. Run `up`, then place a call with `call`.")
        {
            UpCommand.Create(environment),
            CallCommand.Create(environment),
            TenantsCommand.Create(environment),
            AppointmentsCommand.Create(environment),
            CallsCommand.Create(environment),
            MessagesCommand.Create(environment),
            NotificationsCommand.Create(environment),
            CostsCommand.Create(environment),
            OwnersCommand.Create(environment),
            OwnersCommand.CreateKeys(environment),
            UnderstandCommand.Create(environment),
            BenchCommand.Create(environment),
        };
        var config = new InvocationConfiguration { EnableDefaultExceptionHandler = false, Output = Console.Out, Error = Console.Error };
        if (args.Length == 0)
        {
            await root.Parse(["--help"]).InvokeAsync(config, cancellationToken);
            return Usage;
        }

        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            return Error($"{string.Join(" ", parse.Errors.Select(e => OneLine(e.Message)))} See `{CommandPath(parse.CommandResult)} --help`.", Usage);
        }

        try
        {
            return await parse.InvokeAsync(config, cancellationToken);
        }
        catch (CliException ex)
        {
            return Error(ex.Message, ex.ExitCode);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return Error("Cancelled.");
        }
        catch (Exception ex)
        {
            if (Environment.GetEnvironmentVariable(DebugVariable) == "1")
            {
                Console.Error.WriteLine(ex);
            }

            return Error($"Unexpected error: {OneLine(ex.Message)} ({ex.GetType().Name}; set {DebugVariable}=1 for details).");
        }
    }

    public static void WriteJson<T>(T value) => Console.Out.WriteLine(JsonSerializer.Serialize(value, Json));

    public static int Error(string message, int code = Failed)
    {
        Console.Error.WriteLine(message);
        return code;
    }

    /// <summary>The first line of a message, trimmed: exception messages of the Azure SDK run to many lines.</summary>
    public static string OneLine(string message) => message.Split('\n', 2)[0].Trim();

    /// <summary>Runs a storage command; storage that is unreachable or refuses the key is a clear line, not a stack trace.</summary>
    public static async Task<int> WithStorage(CliEnvironment env, Func<Task<int>> run)
    {
        try
        {
            return await run();
        }
        catch (Exception ex) when (StorageFailure(env, ex) is { } message)
        {
            return Error(message);
        }
    }

    /// <summary>What a storage exception means for the person at the keyboard; null when it is not one.</summary>
    public static string? StorageFailure(CliEnvironment env, Exception ex) => ex switch
    {
        Azure.RequestFailedException { Status: 401 or 403 } r =>
            $"Storage at {env.StorageEndpoint} refused the account key ({Status(r)}): check AccountName and AccountKey in Storage:ConnectionString.",
        Azure.RequestFailedException { Status: > 0 } r =>
            $"Storage at {env.StorageEndpoint} answered {Status(r)}: {OneLine(r.Message)}",
        Azure.RequestFailedException or HttpRequestException or AggregateException =>
            $"Storage is not reachable at {env.StorageEndpoint} ({Cause(ex)}). Start it with `./receptionist up`, or set Storage__ConnectionString.",
        _ => null,
    };

    /// <summary>Rejects a value out of [min, max] as a usage error naming the option and the value.</summary>
    public static void Between<T>(Option<T> option, T min, T max)
        where T : INumber<T>
    {
        option.Validators.Add(r =>
        {
            // A value that does not parse is reported by the parser itself; GetValueOrDefault would throw on it.
            if (r.Tokens is [.., var last] && T.TryParse(last.Value, CultureInfo.InvariantCulture, out var value) && (value < min || value > max))
            {
                r.AddError($"{option.Name}: {last.Value} is out of range ({min}-{max}).");
            }
        });
    }

    private static string Status(Azure.RequestFailedException ex) => ex.ErrorCode is { Length: > 0 } code ? $"{ex.Status} {code}" : $"{ex.Status}";

    /// <summary>The network error under the SDK's retry wrapper ("Retry failed after 3 tries…").</summary>
    private static string Cause(Exception ex) => ex switch
    {
        AggregateException { InnerExceptions: [var first, ..] } => Cause(first),
        Azure.RequestFailedException { Status: 0, InnerException: { } inner } => Cause(inner),
        _ => OneLine(ex.Message),
    };

    /// <summary>The tenant, or a failure naming it: a list for a tenant that does not exist is an error, not "0 items".</summary>
    public static async Task<TenantDocument> TenantAsync(TableSet tables, string tenantId, CancellationToken cancellationToken) =>
        await new TableTenantStore(tables).GetAsync(tenantId, cancellationToken)
            ?? throw new CliException($"no tenant '{tenantId}'; see `./receptionist tenants list`.");

    private static string CommandPath(CommandResult command)
    {
        var names = new List<string>();
        for (SymbolResult? r = command; r is CommandResult c && c.Parent is not null; r = c.Parent)
        {
            names.Insert(0, c.Command.Name);
        }

        return string.Join(' ', ["./receptionist", .. names]);
    }
}

/// <summary>A command failed in a way the user can act on: the message is the one line shown, the code the exit code.</summary>
public sealed class CliException(string message, int exitCode = Cli.Failed) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
