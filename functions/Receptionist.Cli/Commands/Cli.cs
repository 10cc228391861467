using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Receptionist.Cli.Commands;

/// <summary>Shared output conventions: JSON for scripts, plain lines for people, errors on stderr with exit code.</summary>
internal static class Cli
{
    public const int Ok = 0;
    public const int Invalid = 1;
    public const int Unavailable = 2;

    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public static void WriteJson<T>(T value) => Console.Out.WriteLine(JsonSerializer.Serialize(value, Json));

    public static int Error(string message, int code = Invalid)
    {
        Console.Error.WriteLine(message);
        return code;
    }

    /// <summary>Runs a storage command; an unreachable storage account is a clear message, not a stack trace.</summary>
    public static async Task<int> WithStorage(Func<Task<int>> run)
    {
        try
        {
            return await run();
        }
        catch (Exception ex) when (ex is Azure.RequestFailedException or HttpRequestException or AggregateException)
        {
            return Error($"Storage is not reachable ({ex.Message.Split('\n')[0].Trim()}). Start it with `./receptionist up`, or set Storage__ConnectionString.", Unavailable);
        }
    }
}
