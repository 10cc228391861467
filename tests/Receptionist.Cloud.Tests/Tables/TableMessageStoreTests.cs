using Receptionist.Cloud.Queues;
using Receptionist.Cloud.Tables;
using Receptionist.Core.Conversation;
using Receptionist.Testing;

namespace Receptionist.Cloud.Tests.Tables;

[Collection(AzuriteCollection.Name)]
public sealed class TableMessageStoreTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-11-23T08:00:00-05:00");

    private async Task<(TableMessageStore Store, NotificationQueue Queue)> NewStoreAsync()
    {
        var prefix = AzuriteFixture.NewPrefix();
        var queue = new NotificationQueue(NotificationQueue.CreateService(azurite.ConnectionString), prefix);
        await queue.EnsureCreatedAsync(CancellationToken.None);
        return (new TableMessageStore(await azurite.NewTablesAsync(prefix), queue), queue);
    }

    [Fact]
    public async Task Save_NewMessage_StoredAndOwnerNotifiedWithoutTheCallersWords()
    {
        var (store, queue) = await NewStoreAsync();

        await store.SaveAsync(new MessageRequest("bright-smiles", "CA1", "CA1-m1", "Sam Lee", TestTenants.Caller, "Please call me about my bill", true), Now, CancellationToken.None);

        var message = Assert.Single(await store.ListAsync("bright-smiles", CancellationToken.None));
        Assert.Equal(("Sam Lee", TestTenants.Caller, "Please call me about my bill", true), (message.CallerName, message.CallerPhone, message.Text, message.Urgent));
        var notification = Assert.Single(await queue.PeekAsync(10, CancellationToken.None));
        Assert.Equal(("message", "bright-smiles", "CA1-m1", true), (notification.Kind, notification.TenantId, notification.ItemId, notification.Urgent));
        var raw = (await queue.Queue.PeekMessagesAsync(10)).Value.Single().Body.ToString();
        Assert.DoesNotContain("bill", raw, StringComparison.Ordinal);
        Assert.DoesNotContain("7654321", raw, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Save_RetriedTurn_StoresAndNotifiesOnce()
    {
        var (store, queue) = await NewStoreAsync();
        var request = new MessageRequest("bright-smiles", "CA1", "CA1-m1", "Sam Lee", null, "Running late", false);

        await store.SaveAsync(request, Now, CancellationToken.None);
        await store.SaveAsync(request, Now, CancellationToken.None);

        Assert.Single(await store.ListAsync("bright-smiles", CancellationToken.None));
        Assert.Single(await queue.PeekAsync(10, CancellationToken.None));
    }
}
