using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Receptionist.Core.Conversation;
using Receptionist.Core.Notifications;
using Receptionist.Core.Scheduling;
using Receptionist.Core.Storage;
using Receptionist.Core.Tenants;
using Receptionist.Telephony.Twilio.Simulation;
using Receptionist.Testing;
using Xunit.Abstractions;

namespace Receptionist.Host.Tests.Workflows;

/// <summary>
/// 200 bookings confirmed in bursts of 50 a second, as the call core starts their workflows: every caller gets exactly
/// one confirmation. The time from the start to the SMS request reaching Twilio is printed (the benchmark's figure;
/// README "Measured"), never asserted.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ConfirmationLoadTests(AzuriteFixture azurite, ITestOutputHelper output) : IAsyncLifetime
{
    private const int Bookings = 200;
    /// <summary>Bookings started per second (RECEPTIONIST_BENCH_BURST to measure another rate; 200 must divide by it).</summary>
    private static readonly int Burst = int.TryParse(Environment.GetEnvironmentVariable("RECEPTIONIST_BENCH_BURST"), out var b) && b > 0 && Bookings % b == 0 ? b : 50;
    private TwilioRestStandIn _twilio = null!;
    private AppHost _app = null!;

    public async Task InitializeAsync()
    {
        _twilio = await TwilioRestStandIn.StartAsync(accountSid: AppHost.AccountSid, authToken: AppHost.AuthToken);
        _app = await AppHost.StartAsync(azurite.ConnectionString, TestTenants.MondayMorning, twilioApi: _twilio, settings: Compared());
        await _app.ImportTenantsAsync(TestTenants.Dentist);
    }

    /// <summary>RECEPTIONIST_BENCH_WORKFLOWS="Outbox=false;ExpressSends=false" measures with those Workflows:* settings, to compare.</summary>
    private static Dictionary<string, string?> Compared() =>
        (Environment.GetEnvironmentVariable("RECEPTIONIST_BENCH_WORKFLOWS") ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => p.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => "Workflows:" + p[0], p => (string?)p[1]);

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _twilio.DisposeAsync();
    }

    [Fact]
    public async Task BookedAsync_200BookingsIn50PerSecondBursts_200ConfirmationsNoDuplicates()
    {
        var dentist = TenantParser.Parse("t.json", TestTenants.Dentist, _ => true).Tenants[0].Tenant;
        var store = _app.Services.GetRequiredService<IAppointmentStore>();
        var workflows = _app.Services.GetRequiredService<IWorkflows>();
        var now = DateTimeOffset.Parse(TestTenants.MondayMorning);
        var keys = new List<(AppointmentKey Key, string Phone)>();
        var day = new DateOnly(2026, 11, 24);
        while (keys.Count < Bookings)
        {
            foreach (var slot in Availability.Granules(new TimeOnly(9, 0), 8 * 60).Where(g => g.Minute % 30 == 0))
            {
                if (keys.Count == Bookings || dentist.HoursOn(day).All(r => slot < r.Start || slot.AddMinutes(30) > r.End))
                {
                    continue;
                }

                var phone = "+1555" + (7000000 + keys.Count).ToString(System.Globalization.CultureInfo.InvariantCulture);
                var booked = await store.ReserveAsync(new BookingRequest("bright-smiles", "CA-load-" + keys.Count, "Checkup", 30, day, slot, dentist.AtLocal(day, slot), "Sam Lee", phone), now, CancellationToken.None);
                keys.Add((new AppointmentKey("bright-smiles", booked!.Id, day, booked.Start), phone));
            }

            day = day.AddDays(1);
        }

        var started = new ConcurrentDictionary<string, long>();
        var arrived = new ConcurrentDictionary<string, long>();
        var startMs = new ConcurrentDictionary<string, double>(); // what starting the workflow adds to the booking's turn
        _twilio.MessageAccepted += m => arrived.TryAdd(m.To, Stopwatch.GetTimestamp());
        var clock = Stopwatch.StartNew();
        for (var burst = 0; burst < Bookings / Burst; burst++)
        {
            var second = clock.Elapsed;
            await Task.WhenAll(keys.Skip(burst * Burst).Take(Burst).Select(async k =>
            {
                started[k.Phone] = Stopwatch.GetTimestamp();
                await workflows.BookedAsync(k.Key, CancellationToken.None);
                startMs[k.Phone] = Stopwatch.GetElapsedTime(started[k.Phone]).TotalMilliseconds;
            }));
            var startsTook = clock.Elapsed - second;
            var rest = TimeSpan.FromSeconds(burst + 1) - clock.Elapsed;
            if (rest > TimeSpan.Zero)
            {
                await Task.Delay(rest);
            }

            output.WriteLine($"second {burst + 1}: {Burst} starts took {startsTook.TotalMilliseconds:0} ms");
        }

        var until = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (arrived.Count < Bookings && DateTime.UtcNow < until)
        {
            await Task.Delay(100);
        }

        await Task.Delay(TimeSpan.FromSeconds(2)); // time for a duplicate to show
        Assert.Equal(Bookings, _twilio.Messages.Count);
        Assert.Equal(keys.Select(k => k.Phone).Order(), _twilio.Messages.Select(m => m.To).Order());
        var latencies = keys.Select(k => Stopwatch.GetElapsedTime(started[k.Phone], arrived[k.Phone]).TotalMilliseconds).Order().ToList();
        double P(double q) => latencies[Math.Min(latencies.Count - 1, (int)Math.Ceiling(q * latencies.Count) - 1)];
        var starts = startMs.Values.Order().ToList();
        double S(double q) => starts[Math.Min(starts.Count - 1, (int)Math.Ceiling(q * starts.Count) - 1)];
        output.WriteLine($"the start itself (inside the booking's turn): p50 {S(0.5):0} ms, p95 {S(0.95):0} ms, p99 {S(0.99):0} ms");
        output.WriteLine($"start → SMS request at Twilio, {Bookings} bookings in bursts of {Burst}/s: p50 {P(0.5):0} ms, p95 {P(0.95):0} ms, p99 {P(0.99):0} ms, max {latencies[^1]:0} ms");
    }
}
