using Receptionist.Cloud.Tables;
using Receptionist.Core.Tenants;
using Receptionist.Testing;

namespace Receptionist.Cloud.Tests.Tables;

[Collection(AzuriteCollection.Name)]
public sealed class TableTenantStoreTests(AzuriteFixture azurite)
{
    private static IReadOnlyList<ValidTenant> Parse(string json) => TenantParser.Parse("t.json", json, _ => true).Tenants;

    [Fact]
    public async Task Import_NewTenant_RoutesItsNumber()
    {
        var store = new TableTenantStore(await azurite.NewTablesAsync());

        Assert.Empty(await store.ImportAsync(Parse(TestTenants.Dentist), CancellationToken.None));

        Assert.Equal("bright-smiles", await store.RouteAsync(TestTenants.DentistNumber, CancellationToken.None));
        Assert.Equal("Bright Smiles Dental", (await store.GetAsync("bright-smiles", CancellationToken.None))!.Name);
    }

    [Fact]
    public async Task Import_NumberOwnedByAnotherTenant_FailsAndWritesNothing()
    {
        var store = new TableTenantStore(await azurite.NewTablesAsync());
        await store.ImportAsync(Parse(TestTenants.Dentist), CancellationToken.None);
        var clash = TestTenants.DentistWith("\"bright-smiles\"", "\"other-dental\"").Replace("Bright Smiles Dental", "Other Dental", StringComparison.Ordinal);

        var errors = await store.ImportAsync(Parse(clash), CancellationToken.None);

        Assert.Contains(errors, e => e.Contains(TestTenants.DentistNumber, StringComparison.Ordinal) && e.Contains("bright-smiles", StringComparison.Ordinal));
        Assert.Null(await store.GetAsync("other-dental", CancellationToken.None));
        Assert.Equal("bright-smiles", await store.RouteAsync(TestTenants.DentistNumber, CancellationToken.None));
    }

    [Fact]
    public async Task Import_TenantChangesNumber_OldNumberNoLongerRoutes()
    {
        var store = new TableTenantStore(await azurite.NewTablesAsync());
        await store.ImportAsync(Parse(TestTenants.Dentist), CancellationToken.None);

        await store.ImportAsync(Parse(TestTenants.DentistWith(TestTenants.DentistNumber, "+15550100055")), CancellationToken.None);

        Assert.Null(await store.RouteAsync(TestTenants.DentistNumber, CancellationToken.None));
        Assert.Equal("bright-smiles", await store.RouteAsync("+15550100055", CancellationToken.None));
        Assert.Single(await store.ListAsync(CancellationToken.None));
    }
}
