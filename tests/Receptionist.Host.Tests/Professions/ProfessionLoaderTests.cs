using System.Text.Json.Nodes;
using Receptionist.Host.Professions;

namespace Receptionist.Host.Tests.Professions;

public sealed class ProfessionLoaderTests : IDisposable
{
    private static readonly string Shipped = Path.Combine(AppContext.BaseDirectory, "prompts");
    private readonly string _dir = Directory.CreateTempSubdirectory("receptionist-prompts-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Load_ShippedPrompts_AllTwelveProfessionsValidate()
    {
        var catalog = ProfessionLoader.Load(Shipped);

        string[] required = ["dentist", "plumber", "mechanic", "locksmith", "massage_therapist", "photographer", "realtor",
            "tattoo_artist", "home_inspector", "car_dealership", "hair_salon", "veterinarian"];
        Assert.All(required, id => Assert.True(catalog.Contains(id), $"missing profession {id}"));
        Assert.All(catalog.All, p => Assert.Contains("{business}", p.Prompts.Greeting, StringComparison.Ordinal));
        Assert.All(catalog.All, p => Assert.NotEmpty(p.Services));
    }

    [Fact]
    public void Load_PromptMissing_ErrorNamesFileAndField()
    {
        var file = CopyShippedWith("plumber", json => json["prompts"]!.AsObject().Remove("askDate"));

        var ex = Assert.Throws<ConfigurationFileException>(() => ProfessionLoader.Load(_dir));

        Assert.Contains(file, ex.Message, StringComparison.Ordinal);
        Assert.Contains("askDate", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ServiceMinutesNotMultipleOf15_ErrorNamesFileAndField()
    {
        var file = CopyShippedWith("dentist", json => json["services"]![0]!["minutes"] = 50);

        var ex = Assert.Throws<ConfigurationFileException>(() => ProfessionLoader.Load(_dir));

        Assert.Contains(file, ex.Message, StringComparison.Ordinal);
        Assert.Contains("services", ex.Message, StringComparison.Ordinal);
        Assert.True(ex.Message.Contains("minutes", StringComparison.Ordinal), ex.Message);
    }

    [Fact]
    public void Load_IdDiffersFromFileName_ErrorNamesFileAndField()
    {
        var file = CopyShippedWith("locksmith", json => json["id"] = "plumber");

        var ex = Assert.Throws<ConfigurationFileException>(() => ProfessionLoader.Load(_dir));

        Assert.Contains(file, ex.Message, StringComparison.Ordinal);
        Assert.Contains("id", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_NotJson_ErrorNamesFile()
    {
        var file = CopyShippedWith("realtor", _ => { });
        File.WriteAllText(file, "{ \"id\": ");

        var ex = Assert.Throws<ConfigurationFileException>(() => ProfessionLoader.Load(_dir));

        Assert.Contains(file, ex.Message, StringComparison.Ordinal);
    }

    private string CopyShippedWith(string id, Action<JsonNode> change)
    {
        Directory.CreateDirectory(Path.Combine(_dir, "professions"));
        File.Copy(Path.Combine(Shipped, "profession.schema.json"), Path.Combine(_dir, "profession.schema.json"), overwrite: true);
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(Shipped, "professions", id + ".json")))!;
        change(json);
        var path = Path.Combine(_dir, "professions", id + ".json");
        File.WriteAllText(path, json.ToJsonString());
        return path;
    }
}
