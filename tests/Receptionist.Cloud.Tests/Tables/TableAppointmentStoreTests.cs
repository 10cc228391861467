using Receptionist.Cloud.Tables;
using Receptionist.Core.Conversation;
using Receptionist.Core.Tenants;
using Receptionist.Testing;

namespace Receptionist.Cloud.Tests.Tables;

[Collection(AzuriteCollection.Name)]
public sealed class TableAppointmentStoreTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-11-23T08:00:00-05:00");
    private static readonly Tenant Dentist = TenantParser.Parse("t.json", TestTenants.Dentist, _ => true).Tenants[0].Tenant;

    private static BookingRequest Booking(string callId, string time, int minutes, string name = "Sam Lee") =>
        new("bright-smiles", callId, "Cleaning", minutes, new DateOnly(2026, 11, 24), TimeOnly.Parse(time),
            Dentist.AtLocal(new DateOnly(2026, 11, 24), TimeOnly.Parse(time)), name, TestTenants.Caller);

    [Fact]
    public async Task Reserve_FreeSlot_StoresAppointmentWithTenantOffset()
    {
        var store = new TableAppointmentStore(await azurite.NewTablesAsync());

        var booked = await store.ReserveAsync(Booking("CA1", "10:00", 60), Now, CancellationToken.None);

        Assert.NotNull(booked);
        var listed = Assert.Single(await store.ListAsync("bright-smiles", null, CancellationToken.None));
        Assert.Equal(booked.Id, listed.Id);
        Assert.Equal(DateTimeOffset.Parse("2026-11-24T10:00:00-05:00"), listed.Start);
        Assert.Equal(TimeSpan.FromHours(-5), listed.Start.Offset);
        Assert.Equal(60, listed.Minutes);
        Assert.Equal("Sam Lee", listed.CallerName);
    }

    [Fact]
    public async Task Reserve_OverlapsAnotherBooking_ReturnsNullAndStoresNothing()
    {
        var store = new TableAppointmentStore(await azurite.NewTablesAsync());
        await store.ReserveAsync(Booking("CA1", "10:00", 60), Now, CancellationToken.None);

        var overlapping = await store.ReserveAsync(Booking("CA2", "10:45", 30, "Alex Kim"), Now, CancellationToken.None);

        Assert.Null(overlapping);
        Assert.Single(await store.ListAsync("bright-smiles", null, CancellationToken.None));
    }

    [Fact]
    public async Task Reserve_AdjacentSlot_Succeeds()
    {
        var store = new TableAppointmentStore(await azurite.NewTablesAsync());
        await store.ReserveAsync(Booking("CA1", "10:00", 60), Now, CancellationToken.None);

        var adjacent = await store.ReserveAsync(Booking("CA2", "11:00", 30, "Alex Kim"), Now, CancellationToken.None);

        Assert.NotNull(adjacent);
        Assert.Equal(2, (await store.ListAsync("bright-smiles", null, CancellationToken.None)).Count);
    }

    [Fact]
    public async Task Reserve_SameCallRetried_ReturnsSameAppointmentOnce()
    {
        var store = new TableAppointmentStore(await azurite.NewTablesAsync());
        var first = await store.ReserveAsync(Booking("CA1", "10:00", 60), Now, CancellationToken.None);

        var retried = await store.ReserveAsync(Booking("CA1", "10:00", 60), Now, CancellationToken.None);

        Assert.Equal(first!.Id, retried!.Id);
        Assert.Single(await store.ListAsync("bright-smiles", null, CancellationToken.None));
    }

    [Fact]
    public async Task Reserve_ManyCallersRaceForOneSlot_ExactlyOneWins()
    {
        var store = new TableAppointmentStore(await azurite.NewTablesAsync());

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            store.ReserveAsync(Booking($"CA{i}", i % 2 == 0 ? "10:00" : "10:30", 60, $"Caller {i}"), Now, CancellationToken.None)));

        Assert.Single(results, r => r is not null);
        Assert.Single(await store.ListAsync("bright-smiles", null, CancellationToken.None));
    }

    [Fact]
    public async Task Busy_AfterBooking_ReportsLocalInterval()
    {
        var store = new TableAppointmentStore(await azurite.NewTablesAsync());
        await store.ReserveAsync(Booking("CA1", "10:00", 60), Now, CancellationToken.None);

        var busy = Assert.Single(await store.BusyAsync(Dentist, Now, Now.AddDays(7), CancellationToken.None));

        Assert.Equal(new DateTime(2026, 11, 24, 10, 0, 0), busy.LocalStart);
        Assert.Equal(new DateTime(2026, 11, 24, 11, 0, 0), busy.LocalEnd);
    }
}
