using Receptionist.Cloud.Tables;
using Receptionist.Core.Conversation;
using Receptionist.Core.Storage;
using Receptionist.Core.Tenants;
using Receptionist.Testing;

namespace Receptionist.Cloud.Tests.Tables;

/// <summary>Moving, cancelling and finding appointments on Azurite: the slot locks must always match the bookings.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class TableAppointmentChangesTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-11-23T08:00:00-05:00");
    private static readonly Tenant Dentist = TenantParser.Parse("t.json", TestTenants.Dentist, _ => true).Tenants[0].Tenant;
    private static readonly DateOnly Tuesday = new(2026, 11, 24);
    private static readonly DateOnly Wednesday = new(2026, 11, 25);

    private static BookingRequest Booking(string callId, DateOnly date, string time, int minutes = 60, string name = "Sam Lee", string phone = TestTenants.Caller) =>
        new("bright-smiles", callId, "Cleaning", minutes, date, TimeOnly.Parse(time), Dentist.AtLocal(date, TimeOnly.Parse(time)), name, phone);

    private static AppointmentRef Ref(Appointment a) =>
        new(a.Id, a.Service, a.Minutes, DateOnly.FromDateTime(a.Start.DateTime), TimeOnly.FromDateTime(a.Start.DateTime), a.CallerName, a.Start);

    [Fact]
    public async Task Move_ToAnotherDay_NewSlotBookedOldReleasedAndMarked()
    {
        var store = new TableAppointmentStore(await azurite.NewTablesAsync());
        var original = (await store.ReserveAsync(Booking("CA1", Tuesday, "10:00"), Now, CancellationToken.None))!;

        var moved = await store.MoveAsync(Ref(original), Booking("CA2", Wednesday, "14:00"), Now, CancellationToken.None);

        Assert.NotNull(moved);
        var all = await store.ListAsync("bright-smiles", null, CancellationToken.None);
        Assert.Equal("rescheduled", all.Single(a => a.Id == original.Id).Status);
        Assert.Equal(DateTimeOffset.Parse("2026-11-25T14:00:00-05:00"), all.Single(a => a.Status == "booked").Start);
        // The old slot is free again: someone else can book it.
        Assert.NotNull(await store.ReserveAsync(Booking("CA3", Tuesday, "10:00", name: "Alex Kim"), Now, CancellationToken.None));
    }

    [Fact]
    public async Task Move_HalfAnHourLaterSameDay_OverlapsOnlyItselfAndSucceeds()
    {
        var store = new TableAppointmentStore(await azurite.NewTablesAsync());
        var original = (await store.ReserveAsync(Booking("CA1", Tuesday, "10:00"), Now, CancellationToken.None))!;

        var moved = await store.MoveAsync(Ref(original), Booking("CA2", Tuesday, "10:30"), Now, CancellationToken.None);

        Assert.NotNull(moved);
        // 10:00-10:30 was handed back; 10:30-11:30 is held by the moved booking.
        Assert.NotNull(await store.ReserveAsync(Booking("CA3", Tuesday, "10:00", 30, "Alex Kim"), Now, CancellationToken.None));
        Assert.Null(await store.ReserveAsync(Booking("CA4", Tuesday, "11:00", 30, "Jo Park"), Now, CancellationToken.None));
    }

    [Fact]
    public async Task Move_NewSlotTaken_ReturnsNullAndKeepsTheOriginal()
    {
        var store = new TableAppointmentStore(await azurite.NewTablesAsync());
        var original = (await store.ReserveAsync(Booking("CA1", Tuesday, "10:00"), Now, CancellationToken.None))!;
        await store.ReserveAsync(Booking("CA2", Wednesday, "14:00", name: "Alex Kim"), Now, CancellationToken.None);

        var moved = await store.MoveAsync(Ref(original), Booking("CA3", Wednesday, "14:30"), Now, CancellationToken.None);

        Assert.Null(moved);
        var mine = (await store.ListAsync("bright-smiles", null, CancellationToken.None)).Single(a => a.Id == original.Id);
        Assert.Equal("booked", mine.Status);
        Assert.Null(await store.ReserveAsync(Booking("CA4", Tuesday, "10:00", name: "Jo Park"), Now, CancellationToken.None));
    }

    [Fact]
    public async Task Move_RetriedWebhook_MovesOnce()
    {
        var store = new TableAppointmentStore(await azurite.NewTablesAsync());
        var original = (await store.ReserveAsync(Booking("CA1", Tuesday, "10:00"), Now, CancellationToken.None))!;

        var first = await store.MoveAsync(Ref(original), Booking("CA2", Wednesday, "14:00"), Now, CancellationToken.None);
        var retried = await store.MoveAsync(Ref(original), Booking("CA2", Wednesday, "14:00"), Now, CancellationToken.None);

        Assert.Equal(first!.Id, retried!.Id);
        Assert.Single(await store.ListAsync("bright-smiles", null, CancellationToken.None), a => a.Status == "booked");
    }

    [Fact]
    public async Task Cancel_Booked_ReleasesSlotAndRetryIsHarmless()
    {
        var store = new TableAppointmentStore(await azurite.NewTablesAsync());
        var original = (await store.ReserveAsync(Booking("CA1", Tuesday, "10:00"), Now, CancellationToken.None))!;

        Assert.True(await store.CancelAsync("bright-smiles", Ref(original), "CA2", Now, CancellationToken.None));
        Assert.True(await store.CancelAsync("bright-smiles", Ref(original), "CA2", Now, CancellationToken.None));
        Assert.False(await store.CancelAsync("bright-smiles", Ref(original), "CA9", Now, CancellationToken.None));

        Assert.Equal("cancelled", Assert.Single(await store.ListAsync("bright-smiles", null, CancellationToken.None)).Status);
        Assert.Empty(await store.BusyAsync(Dentist, Now, Now.AddDays(7), CancellationToken.None));
        Assert.NotNull(await store.ReserveAsync(Booking("CA3", Tuesday, "10:00", name: "Alex Kim"), Now, CancellationToken.None));
    }

    [Fact]
    public async Task FindUpcoming_ByPhoneOrName_OnlyThatCallersBookedFutureAppointmentsSoonestFirst()
    {
        var store = new TableAppointmentStore(await azurite.NewTablesAsync());
        await store.ReserveAsync(Booking("CA1", Wednesday, "10:00"), Now, CancellationToken.None);
        await store.ReserveAsync(Booking("CA2", Tuesday, "14:00", 30), Now, CancellationToken.None);
        await store.ReserveAsync(Booking("CA3", Tuesday, "10:00", name: "Alex Kim", phone: "+15551112222"), Now, CancellationToken.None);
        var cancelled = (await store.ReserveAsync(Booking("CA4", Wednesday, "15:00"), Now, CancellationToken.None))!;
        await store.CancelAsync("bright-smiles", Ref(cancelled), "CA5", Now, CancellationToken.None);

        var byPhone = await store.FindUpcomingAsync("bright-smiles", Now, TestTenants.Caller, null, CancellationToken.None);
        var byName = await store.FindUpcomingAsync("bright-smiles", Now, null, "alex kim", CancellationToken.None);
        var later = await store.FindUpcomingAsync("bright-smiles", DateTimeOffset.Parse("2026-11-24T12:00:00-05:00"), TestTenants.Caller, null, CancellationToken.None);

        Assert.Equal([new DateTime(2026, 11, 24, 14, 0, 0), new DateTime(2026, 11, 25, 10, 0, 0)], byPhone.Select(a => a.Start.DateTime));
        Assert.Equal("Alex Kim", Assert.Single(byName).CallerName);
        Assert.Equal(2, later.Count);
        Assert.Empty(await store.FindUpcomingAsync("bright-smiles", Now, null, "Nobody Here", CancellationToken.None));
    }
}
