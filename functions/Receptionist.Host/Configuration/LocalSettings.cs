using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;

namespace Receptionist.Host.Configuration;

/// <summary>
/// Reads an Azure-Functions-style local.settings.json (<c>{"IsEncrypted":false,"Values":{"Twilio__AuthToken":"…"}}</c>)
/// into configuration, "__" meaning ":". It sits below environment variables, which override it.
/// </summary>
public static class LocalSettings
{
    public const string FileName = "local.settings.json";

    public static IDictionary<string, string?> Read(string path)
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        if (!File.Exists(path))
        {
            return values;
        }

        JsonNode? root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(path), documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException ex)
        {
            throw new InvalidOperationException($"{path}: not valid JSON ({ex.Message})", ex);
        }

        if (root?["Values"] is not JsonObject settings)
        {
            throw new InvalidOperationException($"{path}: Values: expected an object of settings");
        }

        foreach (var (key, value) in settings)
        {
            values[key.Replace("__", ":", StringComparison.Ordinal)] = value?.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : value?.ToJsonString();
        }

        return values;
    }

    /// <summary>Adds the file beneath the environment-variable sources so that environment variables win.</summary>
    public static void AddBelowEnvironment(IConfigurationBuilder configuration, string path)
    {
        var source = new Microsoft.Extensions.Configuration.Memory.MemoryConfigurationSource { InitialData = Read(path) };
        var sources = configuration.Sources;
        var envIndex = sources.ToList().FindIndex(s => s is Microsoft.Extensions.Configuration.EnvironmentVariables.EnvironmentVariablesConfigurationSource);
        if (envIndex < 0)
        {
            sources.Add(source);
        }
        else
        {
            sources.Insert(envIndex, source);
        }
    }

    /// <summary>On a developer machine: creates local.settings.json with a generated Twilio auth token when none is
    /// configured, so `up` and `call` agree out of the box. Returns true when the file was written.</summary>
    public static bool EnsureDevelopmentDefaults(string path)
    {
        JsonObject root;
        if (File.Exists(path))
        {
            root = JsonNode.Parse(File.ReadAllText(path), documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }) as JsonObject
                ?? throw new InvalidOperationException($"{path}: expected a JSON object");
        }
        else
        {
            root = new JsonObject { ["IsEncrypted"] = false, ["Values"] = new JsonObject() };
        }

        if (root["Values"] is not JsonObject values)
        {
            throw new InvalidOperationException($"{path}: Values: expected an object of settings");
        }

        if (values["Twilio__AuthToken"] is JsonValue token && !string.IsNullOrWhiteSpace(token.GetValue<string>()))
        {
            return false;
        }

        values["Twilio__AuthToken"] = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        values["Twilio__AccountSid"] ??= "AC" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        values["Storage__ConnectionString"] ??= "UseDevelopmentStorage=true";
        File.WriteAllText(path, root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + Environment.NewLine);
        return true;
    }
}
