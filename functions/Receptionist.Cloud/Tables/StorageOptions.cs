using System.ComponentModel.DataAnnotations;

namespace Receptionist.Cloud.Tables;

/// <summary>Configuration section "Storage".</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>An Azure Storage connection string; Azurite by default.</summary>
    [Required]
    public string ConnectionString { get; set; } = "UseDevelopmentStorage=true";

    /// <summary>Prepended to every table name (letters and digits) so tests and environments never share data.</summary>
    [RegularExpression("^[A-Za-z]?[A-Za-z0-9]{0,20}$", ErrorMessage = "Storage:TablePrefix must be letters and digits, starting with a letter.")]
    public string TablePrefix { get; set; } = string.Empty;
}
