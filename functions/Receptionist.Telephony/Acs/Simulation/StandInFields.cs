using System.Text.Json;
using System.Text.Json.Nodes;

namespace Receptionist.Telephony.Acs.Simulation;

/// <summary>
/// Reads a request body's fields as Call Automation does: camelCase names exactly, the JSON type each field has in the
/// spec, required fields present; anything else throws <see cref="StandInBadRequestException"/> naming the field by
/// its path (<c>recognizeOptions.dtmfOptions.maxTonesToCollect</c>), so an app mistake reads as the service's 400.
/// A JSON null counts as absent.
/// </summary>
internal sealed record StandInFields(JsonObject Json, string Path)
{
    public static StandInFields Parse(byte[] body)
    {
        if (body.Length == 0)
        {
            throw new StandInBadRequestException("The request body is missing.");
        }

        JsonNode? node;
        try
        {
            node = JsonNode.Parse(body);
        }
        catch (JsonException ex)
        {
            throw new StandInBadRequestException($"The request body is not JSON: {ex.Message}");
        }

        return node is JsonObject json ? new StandInFields(json, "") : throw new StandInBadRequestException("The request body is not a JSON object.");
    }

    /// <summary>The body if there is one (operations whose body is optional, as :terminate).</summary>
    public static StandInFields ParseOptional(byte[] body) => body.Length == 0 ? new StandInFields([], "") : Parse(body);

    public string Name(string field) => Path.Length == 0 ? field : $"{Path}.{field}";

    public string RequiredString(string field) => String(field) is { Length: > 0 } value ? value : throw Missing(field);

    public string? String(string field) => Json[field] switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        _ => throw Invalid(field, "a string"),
    };

    public Uri RequiredAbsoluteUri(string field) => AbsoluteUri(field) ?? throw Missing(field);

    public Uri? AbsoluteUri(string field) => String(field) switch
    {
        null => null,
        var s when Uri.TryCreate(s, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" => uri,
        _ => throw Invalid(field, "an absolute http(s) URI"),
    };

    public bool? Bool(string field) => Json[field] switch
    {
        null => null,
        JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => v.GetValue<bool>(),
        _ => throw Invalid(field, "true or false"),
    };

    public int? Int(string field, int min, int max) => Json[field] switch
    {
        null => null,
        JsonValue v when v.TryGetValue<int>(out var i) && i >= min && i <= max => i,
        JsonValue v when v.TryGetValue<int>(out _) => throw Invalid(field, $"from {min} to {max}"),
        _ => throw Invalid(field, "an integer"),
    };

    public StandInFields Required(string field) => Object(field) ?? throw Missing(field);

    public StandInFields? Object(string field) => Json[field] switch
    {
        null => null,
        JsonObject o => new StandInFields(o, Name(field)),
        _ => throw Invalid(field, "an object"),
    };

    /// <summary>An array of objects; empty when absent.</summary>
    public IReadOnlyList<StandInFields> Objects(string field) => Json[field] switch
    {
        null => [],
        JsonArray a => [.. a.Select((item, i) => item is JsonObject o ? new StandInFields(o, $"{Name(field)}[{i}]") : throw Invalid($"{field}[{i}]", "an object"))],
        _ => throw Invalid(field, "an array"),
    };

    /// <summary>An array of strings; empty when absent.</summary>
    public IReadOnlyList<string> Strings(string field) => Json[field] switch
    {
        null => [],
        JsonArray a => [.. a.Select((item, i) => item is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : throw Invalid($"{field}[{i}]", "a string"))],
        _ => throw Invalid(field, "an array"),
    };

    /// <summary>A string field that must be one of the spec's values (when present).</summary>
    public string? OneOf(string field, params string[] values) => String(field) switch
    {
        null => null,
        var s when values.Contains(s, StringComparer.Ordinal) => s,
        _ => throw Invalid(field, $"one of {string.Join(", ", values)}"),
    };

    public StandInBadRequestException Missing(string field) => new($"The field {Name(field)} is required.", Name(field));

    public StandInBadRequestException Invalid(string field, string what) => new($"The field {Name(field)} must be {what}.", Name(field));
}
