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

    /// <summary>Where `call --channel acs` runs its loopback stand-in for ACS Call Automation.</summary>
    public const string DevelopmentAcsEndpoint = "http://127.0.0.1:7073/";

    /// <summary>Where `call --mode stream` runs its loopback stand-in for Azure AI Speech (the app's Speech:Endpoint).</summary>
    public const string DevelopmentSpeechEndpoint = "http://127.0.0.1:7074/";

    /// <summary>On a developer machine: creates or completes local.settings.json with generated secrets (the Twilio
    /// auth token, the local ACS stand-in's access key, resource id and Event Grid secret, the local speech stand-in's
    /// endpoint and key), so `up` and `call` agree out of the box. Settings already there are kept. Returns true when the file was written.</summary>
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

        var written = false;
        void Default(string key, Func<string> value)
        {
            if (values[key] is JsonValue v && !string.IsNullOrWhiteSpace(v.GetValue<string>()))
            {
                return;
            }

            values[key] = value();
            written = true;
        }

        Default("Twilio__AuthToken", () => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)));
        Default("Twilio__AccountSid", () => "AC" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)));
        Default("Storage__ConnectionString", () => "UseDevelopmentStorage=true");
        if (values["Acs__Endpoint"] is null)
        {
            Default("Acs__ConnectionString", () => $"endpoint={DevelopmentAcsEndpoint};accesskey={Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))}");
            Default("Acs__ResourceId", () => Guid.NewGuid().ToString());
            Default("Acs__OpenIdMetadataUrl", () => DevelopmentAcsEndpoint + "calling/.well-known/acsopenidconfiguration");
            Default("Acs__EventGrid__Secret", () => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)));
            Default("Acs__CognitiveServicesEndpoint", () => DevelopmentAcsEndpoint + "cognitive-services/"); // the stand-in plays AI services too
        }

        if (values["Speech__Region"] is null && values["Speech__Endpoint"] is null)
        {
            Default("Speech__Endpoint", () => DevelopmentSpeechEndpoint);
            Default("Speech__Key", () => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)));
        }

        if (written)
        {
            File.WriteAllText(path, root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + Environment.NewLine);
        }

        return written;
    }
}
