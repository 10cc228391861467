using System.Xml.Linq;
using Azure.Data.Tables;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Receptionist.Cloud.Tables;

namespace Receptionist.Host.Owners;

/// <summary>
/// The app's Data Protection keys (what owners' cookies, antiforgery tokens and notices are sealed with) in the Access
/// table, partition <c>dataprotection</c>: every instance of the app, and the app after a restart or a deploy, reads
/// the same keys, so a signed-in owner stays signed in and a form posted to another instance still validates.
/// </summary>
public sealed class TableKeyRepository(TableSet tables) : IXmlRepository
{
    private const string Partition = "dataprotection";

    public IReadOnlyCollection<XElement> GetAllElements() =>
        tables.Access.Query<TableEntity>(e => e.PartitionKey == Partition)
            .Select(e => XElement.Parse(e.GetString("Xml") ?? "<none/>"))
            .Where(x => x.Name != "none")
            .ToList();

    public void StoreElement(XElement element, string friendlyName)
    {
        var name = string.IsNullOrWhiteSpace(friendlyName) ? Guid.NewGuid().ToString("N") : friendlyName;
        tables.Access.UpsertEntity(new TableEntity(Partition, name) { ["Xml"] = element.ToString(SaveOptions.DisableFormatting) }, TableUpdateMode.Replace);
    }
}
