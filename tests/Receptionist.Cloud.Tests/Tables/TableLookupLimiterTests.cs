using Receptionist.Cloud.Tables;
using Receptionist.Testing;

namespace Receptionist.Cloud.Tests.Tables;

[Collection(AzuriteCollection.Name)]
public sealed class TableLookupLimiterTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-11-23T10:00:00-05:00");

    [Fact]
    public async Task TryAcquire_PastTheDailyLimitForANumber_RefusesUntilTheNextDay()
    {
        var limiter = new TableLookupLimiter(await azurite.NewTablesAsync());
        var granted = 0;
        for (var i = 0; i < TableLookupLimiter.PerNumber + 3; i++)
        {
            granted += await limiter.TryAcquireAsync("bright-smiles", "+15557654321", Now, CancellationToken.None) ? 1 : 0;
        }

        Assert.Equal(TableLookupLimiter.PerNumber, granted);
        Assert.True(await limiter.TryAcquireAsync("bright-smiles", "+15550000000", Now, CancellationToken.None)); // another number
        Assert.True(await limiter.TryAcquireAsync("other-tenant", "+15557654321", Now, CancellationToken.None)); // another business
        Assert.True(await limiter.TryAcquireAsync("bright-smiles", "+15557654321", Now.AddDays(1), CancellationToken.None));
    }

    [Fact]
    public async Task TryAcquire_WithheldCallers_ShareOneLargerDailyBudget()
    {
        var limiter = new TableLookupLimiter(await azurite.NewTablesAsync());
        var granted = 0;
        for (var i = 0; i < TableLookupLimiter.Withheld + 2; i++)
        {
            granted += await limiter.TryAcquireAsync("bright-smiles", null, Now, CancellationToken.None) ? 1 : 0;
        }

        Assert.Equal(TableLookupLimiter.Withheld, granted);
    }

    [Fact]
    public async Task TryAcquire_ManyAtOnce_GrantsExactlyTheLimit()
    {
        var limiter = new TableLookupLimiter(await azurite.NewTablesAsync());

        var results = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => limiter.TryAcquireAsync("bright-smiles", "+15557654321", Now, CancellationToken.None)));

        Assert.True(results.Count(r => r) <= TableLookupLimiter.PerNumber, $"{results.Count(r => r)} granted");
    }
}
