using Receptionist.Cloud.Tables;
using Receptionist.Core.Conversation;
using Receptionist.Testing;

namespace Receptionist.Cloud.Tests.Tables;

[Collection(AzuriteCollection.Name)]
public sealed class TableMessageStoreTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-11-23T08:00:00-05:00");

    private async Task<TableMessageStore> NewStoreAsync() => new(await azurite.NewTablesAsync());

    [Fact]
    public async Task Save_NewMessage_StoredAndReadableById()
    {
        var store = await NewStoreAsync();

        await store.SaveAsync(new MessageRequest("bright-smiles", "CA1", "CA1-m1", "Sam Lee", TestTenants.Caller, "Please call me about my bill", true), Now, CancellationToken.None);

        var message = Assert.Single(await store.ListAsync("bright-smiles", CancellationToken.None));
        Assert.Equal(("Sam Lee", TestTenants.Caller, "Please call me about my bill", true), (message.CallerName, message.CallerPhone, message.Text, message.Urgent));
        Assert.Equal(message, await store.GetAsync("bright-smiles", "CA1-m1", CancellationToken.None));
    }

    [Fact]
    public async Task Save_RetriedTurn_StoresOnce()
    {
        var store = await NewStoreAsync();
        var request = new MessageRequest("bright-smiles", "CA1", "CA1-m1", "Sam Lee", null, "Running late", false);

        await store.SaveAsync(request, Now, CancellationToken.None);
        await store.SaveAsync(request, Now, CancellationToken.None);

        Assert.Single(await store.ListAsync("bright-smiles", CancellationToken.None));
        Assert.Null(await store.GetAsync("bright-smiles", "CA1-m2", CancellationToken.None));
    }
}
