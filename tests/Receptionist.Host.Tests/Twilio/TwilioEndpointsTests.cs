using System.Net;
using System.Xml.Linq;
using Microsoft.Extensions.DependencyInjection;
using Receptionist.Core.Conversation;
using Receptionist.Core.Storage;
using Receptionist.Telephony.Twilio;
using Receptionist.Testing;

namespace Receptionist.Host.Tests.Twilio;

/// <summary>Whole calls through the real app over the Twilio webhook protocol, on Azurite.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class TwilioEndpointsTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private AppHost _app = null!;

    public async Task InitializeAsync()
    {
        _app = await AppHost.StartAsync(azurite.ConnectionString, TestTenants.MondayMorning);
        await _app.ImportTenantsAsync(TestTenants.Dentist);
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private Task<IReadOnlyList<Appointment>> AppointmentsAsync() =>
        _app.Services.GetRequiredService<IAppointmentStore>().ListAsync("bright-smiles", null, CancellationToken.None);

    [Fact]
    public async Task Call_CleaningTomorrowAtTen_BooksOneAppointmentAndLogsTheCall()
    {
        var call = await _app.CallAsync(TestTenants.DentistNumber, TestTenants.Caller, "I'd like a cleaning", "tomorrow at 10", "Sam Lee", "yes", "no");

        var appointment = Assert.Single(await AppointmentsAsync());
        Assert.Equal("Cleaning", appointment.Service);
        Assert.Equal(DateTimeOffset.Parse("2026-11-24T10:00:00-05:00"), appointment.Start);
        Assert.Equal(TimeSpan.FromHours(-5), appointment.Start.Offset);
        Assert.Equal(60, appointment.Minutes);
        Assert.Equal("Sam Lee", appointment.CallerName);
        Assert.Equal(TestTenants.Caller, appointment.CallerPhone);
        Assert.Equal("booked", appointment.Status);
        Assert.True(call.Ended);

        var calls = _app.Services.GetRequiredService<ICallStore>();
        var stored = Assert.Single(await calls.ListByTenantAsync("bright-smiles", 10, CancellationToken.None));
        Assert.Equal(CallOutcome.Booked, stored.Session.Outcome);
        Assert.Equal(appointment.Id, stored.Session.AppointmentId);
        var history = await calls.HistoryAsync(call.CallSid, CancellationToken.None);
        Assert.Contains(history, h => h.Speaker == "caller" && h.Text == "Sam Lee");
        Assert.Contains(history, h => h.Speaker == "agent" && h.Text.Contains("Sam Lee", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Call_CallerSaysNoAtReadBack_BooksNothing()
    {
        await _app.CallAsync(TestTenants.DentistNumber, TestTenants.Caller, "I'd like a cleaning", "tomorrow at 10", "Sam Lee", "no", "goodbye");

        Assert.Empty(await AppointmentsAsync());
    }

    [Fact]
    public async Task Call_ConcurrentCallersConfirmTheSameSlot_ExactlyOneBooking()
    {
        const int callers = 6;
        var barrier = new Barrier(callers);
        var tasks = Enumerable.Range(0, callers).Select(i => Task.Run(() => _app.Simulator().RunAsync(TestTenants.DentistNumber, $"+1555765430{i}",
            new BarrierCaller(barrier, ["I'd like a cleaning", "tomorrow at 10", $"Caller Number{(char)('A' + i)}"], "yes"), CancellationToken.None)));
        var results = await Task.WhenAll(tasks);

        var appointment = Assert.Single(await AppointmentsAsync());
        Assert.Equal(DateTimeOffset.Parse("2026-11-24T10:00:00-05:00"), appointment.Start);
        var calls = _app.Services.GetRequiredService<ICallStore>();
        var outcomes = new List<(CallOutcome Outcome, bool ToldTaken)>();
        foreach (var r in results)
        {
            var stored = await calls.GetAsync(r.CallSid, CancellationToken.None);
            var history = await calls.HistoryAsync(r.CallSid, CancellationToken.None);
            outcomes.Add((stored!.Record.Session.Outcome, history.Any(h => h.Kind == "slot-taken")));
        }

        Assert.Single(outcomes, o => o.Outcome == CallOutcome.Booked);
        Assert.Equal(callers - 1, outcomes.Count(o => o.Outcome != CallOutcome.Booked && o.ToldTaken));
    }

    [Fact]
    public async Task Voice_Unsigned_Returns403AndStoresNothing()
    {
        using var content = new FormUrlEncodedContent(IncomingForm("CA" + new string('a', 32)));
        using var response = await _app.Http.PostAsync(TwilioPaths.Voice, content);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Empty(await _app.Services.GetRequiredService<ICallStore>().ListByTenantAsync("bright-smiles", 10, CancellationToken.None));
    }

    [Fact]
    public async Task Voice_SignedWithAnotherToken_Returns403AndStoresNothing()
    {
        var sid = "CA" + new string('b', 32);
        using var response = await PostSignedAsync(TwilioPaths.Voice, IncomingForm(sid), token: "some-other-token-123");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Null(await _app.Services.GetRequiredService<ICallStore>().GetAsync(sid, CancellationToken.None));
    }

    [Fact]
    public async Task Voice_SignatureOverTamperedBody_Returns403()
    {
        var form = IncomingForm("CA" + new string('c', 32));
        var signature = TwilioSignature.Compute(AppHost.AuthToken, new Uri(_app.BaseUrl, TwilioPaths.Voice).AbsoluteUri, form);
        form["To"] = "+15550100002";
        using var request = new HttpRequestMessage(HttpMethod.Post, TwilioPaths.Voice) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Add(TwilioSignature.Header, signature);
        using var response = await _app.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Voice_JsonBody_Returns400WithReason()
    {
        using var content = new StringContent("{\"CallSid\":\"CA1\"}", System.Text.Encoding.UTF8, "application/json");
        using var response = await _app.Http.PostAsync(TwilioPaths.Voice, content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("x-www-form-urlencoded", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Voice_SignedButMissingCallSid_Returns400WithReason()
    {
        var form = IncomingForm("x");
        form.Remove("CallSid");
        using var response = await PostSignedAsync(TwilioPaths.Voice, form);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("CallSid", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gather_TurnNotANumber_Returns400WithReason()
    {
        using var response = await PostSignedAsync(TwilioPaths.Gather + "?turn=abc", IncomingForm("CA" + new string('d', 32)));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("turn", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dial_MissingDialCallStatus_Returns400WithReason()
    {
        using var response = await PostSignedAsync(TwilioPaths.DialUrl(2), IncomingForm("CA" + new string('1', 32)));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("DialCallStatus", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dial_Unsigned_Returns403()
    {
        var form = IncomingForm("CA" + new string('2', 32));
        form["DialCallStatus"] = "completed";
        using var content = new FormUrlEncodedContent(form);
        using var response = await _app.Http.PostAsync(TwilioPaths.DialUrl(2), content);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Voice_UnknownNumber_SaysSoAndHangsUpAndLogsRejectedCall()
    {
        var sid = "CA" + new string('e', 32);
        var form = IncomingForm(sid);
        form["To"] = "+15550177777";
        using var response = await PostSignedAsync(TwilioPaths.Voice, form);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var twiml = XDocument.Parse(await response.Content.ReadAsStringAsync()).Root!;
        Assert.Contains("isn't set up", twiml.Element("Say")!.Value, StringComparison.Ordinal);
        Assert.NotNull(twiml.Element("Hangup"));
        var stored = await _app.Services.GetRequiredService<ICallStore>().GetAsync(sid, CancellationToken.None);
        Assert.Equal(CallOutcome.Rejected, stored!.Record.Session.Outcome);
    }

    [Fact]
    public async Task Gather_RetriedWebhook_AnsweredAgainWithoutASecondTurn()
    {
        var sid = "CA" + new string('f', 32);
        using (var start = await PostSignedAsync(TwilioPaths.Voice, IncomingForm(sid)))
        {
            Assert.Equal(HttpStatusCode.OK, start.StatusCode);
        }

        var turn = IncomingForm(sid);
        turn["SpeechResult"] = "I'd like a cleaning";
        using var first = await PostSignedAsync(TwilioPaths.GatherUrl(1), turn);
        var firstBody = await first.Content.ReadAsStringAsync();
        var calls = _app.Services.GetRequiredService<ICallStore>();
        var afterFirst = await calls.GetAsync(sid, CancellationToken.None);

        using var retry = await PostSignedAsync(TwilioPaths.GatherUrl(1), turn);
        var afterRetry = await calls.GetAsync(sid, CancellationToken.None);

        Assert.Equal(firstBody, await retry.Content.ReadAsStringAsync());
        Assert.Equal(afterFirst!.Record.HistoryCount, afterRetry!.Record.HistoryCount);
        Assert.Equal(1, afterRetry.Record.Turn);
        Assert.Equal(ConversationState.CollectDate, afterRetry.Record.Session.State);
    }

    [Fact]
    public async Task Status_CallerHangsUpMidBooking_CallEndsAbandoned()
    {
        var call = await _app.CallAsync(TestTenants.DentistNumber, TestTenants.Caller, "I'd like a cleaning");

        Assert.False(call.Ended);
        var stored = await _app.Services.GetRequiredService<ICallStore>().GetAsync(call.CallSid, CancellationToken.None);
        Assert.Equal(ConversationState.Ended, stored!.Record.Session.State);
        Assert.Equal(CallOutcome.Abandoned, stored.Record.Session.Outcome);
    }

    [Fact]
    public async Task Call_CallerIdWithheld_AsksForCallbackNumberAndStoresIt()
    {
        var call = await _app.CallAsync(TestTenants.DentistNumber, "anonymous", "I'd like a cleaning tomorrow at 10", "Sam Lee", "five five five two three four nine eight seven six", "yes", "yes", "no");

        Assert.Contains(call.Turns, t => t.Speaker == "agent" && t.Text.Contains("five five five, two three four, nine eight seven six", StringComparison.Ordinal));
        var appointment = Assert.Single(await AppointmentsAsync());
        Assert.Equal("+15552349876", appointment.CallerPhone);
    }

    private static Dictionary<string, string> IncomingForm(string callSid) => TwilioRequests.Form(callSid, ("CallStatus", "ringing"));

    private Task<HttpResponseMessage> PostSignedAsync(string pathAndQuery, Dictionary<string, string> form, string token = AppHost.AuthToken) =>
        TwilioRequests.PostSignedAsync(_app.Http, pathAndQuery, form, token);

    /// <summary>Says its lines, then waits for every other caller before the final "yes", so the confirmations race.</summary>
    private sealed class BarrierCaller(Barrier barrier, string[] lines, string last) : ICallerLines
    {
        private int _next;

        public ValueTask<string?> NextAsync(CancellationToken cancellationToken)
        {
            if (_next < lines.Length)
            {
                return ValueTask.FromResult<string?>(lines[_next++]);
            }

            if (_next++ == lines.Length)
            {
                barrier.SignalAndWait(TimeSpan.FromSeconds(30), cancellationToken);
                return ValueTask.FromResult<string?>(last);
            }

            return ValueTask.FromResult<string?>(null);
        }
    }
}
