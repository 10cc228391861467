namespace Receptionist.Core.Professions;

/// <summary>All professions by id (loaded and validated at start-up by the host).</summary>
public sealed class ProfessionCatalog(IEnumerable<Profession> professions)
{
    private readonly Dictionary<string, Profession> _byId = professions.ToDictionary(p => p.Id, StringComparer.Ordinal);

    public IReadOnlyCollection<Profession> All => _byId.Values;

    public bool Contains(string id) => _byId.ContainsKey(id);

    public Profession Get(string id) =>
        _byId.TryGetValue(id, out var p) ? p : throw new KeyNotFoundException($"Unknown profession '{id}'.");
}
