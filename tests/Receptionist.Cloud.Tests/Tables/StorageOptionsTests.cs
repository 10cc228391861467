using System.ComponentModel.DataAnnotations;
using Receptionist.Cloud.Tables;

namespace Receptionist.Cloud.Tests.Tables;

/// <summary>Storage is a connection string or the account's three endpoints; a half-set or non-TLS endpoint set stops
/// the app at start with the setting named.</summary>
public sealed class StorageOptionsTests
{
    private static List<string> Errors(StorageOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return [.. results.Select(r => r.ErrorMessage!)];
    }

    [Fact]
    public void Validate_ConnectionStringOnly_Valid()
    {
        Assert.Empty(Errors(new StorageOptions()));
        Assert.False(new StorageOptions().UsesEndpoints);
    }

    [Fact]
    public void Validate_AllThreeHttpsEndpoints_ValidAndUsed()
    {
        var options = new StorageOptions
        {
            TableEndpoint = "https://acct.table.core.windows.net",
            QueueEndpoint = "https://acct.queue.core.windows.net/",
            BlobEndpoint = "https://acct.blob.core.windows.net",
        };

        Assert.Empty(Errors(options));
        Assert.True(options.UsesEndpoints);
    }

    [Fact]
    public void Validate_TableEndpointAlone_NamesTheMissingOnes()
    {
        var errors = Errors(new StorageOptions { TableEndpoint = "https://acct.table.core.windows.net" });

        Assert.Equal(2, errors.Count);
        Assert.StartsWith("Storage:QueueEndpoint is required once any storage endpoint is set", errors[0], StringComparison.Ordinal);
        Assert.StartsWith("Storage:BlobEndpoint is required", errors[1], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://acct.table.core.windows.net")]
    [InlineData("acct.table.core.windows.net")]
    [InlineData("https://acct.table.core.windows.net/?sv=2024&sig=abc")]
    public void Validate_EndpointNotPlainHttps_NamedWithAnExample(string table)
    {
        var errors = Errors(new StorageOptions { TableEndpoint = table, QueueEndpoint = "https://a.queue.core.windows.net", BlobEndpoint = "https://a.blob.core.windows.net" });

        var error = Assert.Single(errors);
        Assert.Equal($"Storage:TableEndpoint: '{table}' is not an https endpoint such as https://account.table.core.windows.net (tokens are only sent over TLS)", error);
    }
}
