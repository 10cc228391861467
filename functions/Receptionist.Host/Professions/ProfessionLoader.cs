using System.Text.Json;
using NJsonSchema;
using Receptionist.Core.Professions;

namespace Receptionist.Host.Professions;

/// <summary>Start-up failure caused by a prompt or configuration file; the message names the file and the field.</summary>
public sealed class ConfigurationFileException(string message) : Exception(message);

/// <summary>Loads prompts/professions/*.json, validating each against prompts/profession.schema.json.</summary>
public static class ProfessionLoader
{
    public static ProfessionCatalog Load(string promptsDirectory)
    {
        var schemaPath = Path.Combine(promptsDirectory, "profession.schema.json");
        if (!File.Exists(schemaPath))
        {
            throw new ConfigurationFileException($"{schemaPath}: the profession schema is missing (Prompts:Directory = '{promptsDirectory}')");
        }

        var schema = JsonSchema.FromJsonAsync(File.ReadAllText(schemaPath)).GetAwaiter().GetResult();
        var files = Directory.GetFiles(Path.Combine(promptsDirectory, "professions"), "*.json").Order(StringComparer.Ordinal).ToList();
        if (files.Count == 0)
        {
            throw new ConfigurationFileException($"{Path.Combine(promptsDirectory, "professions")}: no profession files");
        }

        var errors = new List<string>();
        var professions = new List<Profession>();
        foreach (var file in files)
        {
            var profession = LoadOne(file, File.ReadAllText(file), schema, errors);
            if (profession is not null)
            {
                professions.Add(profession);
            }
        }

        return errors.Count > 0 ? throw new ConfigurationFileException(string.Join(Environment.NewLine, errors)) : new ProfessionCatalog(professions);
    }

    /// <summary>NJsonSchema nests the real cause inside "ArrayItemNotValid"-style errors; report the innermost ones.</summary>
    private static IEnumerable<NJsonSchema.Validation.ValidationError> Flatten(IEnumerable<NJsonSchema.Validation.ValidationError> errors)
    {
        foreach (var error in errors)
        {
            if (error is NJsonSchema.Validation.ChildSchemaValidationError child && child.Errors.Count > 0)
            {
                foreach (var inner in Flatten(child.Errors.SelectMany(e => e.Value)))
                {
                    yield return inner;
                }
            }
            else
            {
                yield return error;
            }
        }
    }

    private static Profession? LoadOne(string file, string json, JsonSchema schema, List<string> errors)
    {
        var before = errors.Count;
        try
        {
            foreach (var error in Flatten(schema.Validate(json)))
            {
                var field = string.IsNullOrEmpty(error.Path) ? "$" : error.Path.TrimStart('#', '/').Replace('/', '.');
                errors.Add($"{file}: {(field.Length == 0 ? "$" : field)}: {error.Kind}{(error.Property is { } p && !field.EndsWith(p, StringComparison.Ordinal) ? $" ({p})" : "")}");
            }
        }
        catch (Newtonsoft.Json.JsonException ex)
        {
            errors.Add($"{file}: $: not valid JSON ({ex.Message})");
            return null;
        }

        if (errors.Count > before)
        {
            return null;
        }

        var profession = JsonSerializer.Deserialize<Profession>(json, Profession.JsonOptions)!;
        var expectedId = Path.GetFileNameWithoutExtension(file);
        if (profession.Id != expectedId)
        {
            errors.Add($"{file}: id: '{profession.Id}' must equal the file name '{expectedId}'");
            return null;
        }

        return profession with { Services = profession.Services.Select(s => s with { Synonyms = s.Synonyms ?? [] }).ToList() };
    }
}
