using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Receptionist.Calls;
using Receptionist.Cloud.Tables;
using Receptionist.Core.Storage;
using Receptionist.Host.Telemetry;
using Receptionist.Telephony.Twilio;
using Receptionist.Telephony.Twilio.Simulation;
using Receptionist.Testing;

namespace Receptionist.Host.Tests.Telemetry;

/// <summary>
/// The app's OpenTelemetry end to end: a simulated Twilio call that books an appointment, exported over OTLP/HTTP
/// protobuf to a loopback collector that decodes what it receives.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class TelemetryTests(AzuriteFixture azurite) : IAsyncLifetime
{
    /// <summary>How long a test waits for what the exporters send every 200–500 ms.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    private const string Caller = "+15553217788";
    private const string CallerName = "Zelda Quimby";

    /// <summary>The caller's number in every form it could leak in, and the caller's name.</summary>
    private static readonly string[] Personal =
    [
        Caller, Caller[1..], Caller[2..], "%2B" + Caller[1..], "(555) 321-7788", "555-321-7788", "555 321 7788", "321-7788",
        CallerName, "Zelda", "Quimby",
    ];

    /// <summary>What the caller said (message text): never exported either.</summary>
    private static readonly string[] Said = ["purple elephants dancing", "I'd like a cleaning", "tomorrow at 10"];

    private OtlpCollector _collector = null!;
    private TwilioRestStandIn _twilio = null!;

    public async Task InitializeAsync()
    {
        _collector = OtlpCollector.Start();
        _twilio = await TwilioRestStandIn.StartAsync(accountSid: AppHost.AccountSid, authToken: AppHost.AuthToken);
    }

    public async Task DisposeAsync()
    {
        await _twilio.DisposeAsync();
        await _collector.DisposeAsync();
    }

    private Dictionary<string, string?> Exporting() => new()
    {
        [TelemetryOptions.OtlpEndpointVariable] = _collector.Endpoint.ToString().TrimEnd('/'),
        [TelemetryOptions.OtlpProtocolVariable] = "http/protobuf",
        // The standard batching variables, short so the test need not wait (defaults: 5 s, 1 s, 60 s).
        ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
        ["OTEL_BLRP_SCHEDULE_DELAY"] = "200",
        ["OTEL_METRIC_EXPORT_INTERVAL"] = "500",
        ["Logging:LogLevel:Default"] = "Information",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
        // The hosting log line that quotes each request's URL with its query string.
        ["Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics"] = "Information",
    };

    [Fact]
    public async Task BookingCall_OtlpHttpCollector_TurnSpansMetricsAndCorrelatedLogsWithNothingPersonal()
    {
        var settings = Exporting();
        // A model endpoint nobody listens on: the model is asked (a child span of understanding) and the rules answer.
        settings["OpenAI:Endpoint"] = $"http://127.0.0.1:{ClosedPort()}";
        settings["OpenAI:Deployment"] = "test-deployment";
        settings["OpenAI:ApiKey"] = "test-key-not-secret";
        settings["OpenAI:TimeoutMilliseconds"] = "1000";
        // The booking's confirmation text fails at Twilio once: a notification failure, retried later.
        _twilio.FailNext(500, 20500, "Internal Server Error");
        var conflicts = new ConflictingCallStore();
        await using var app = await AppHost.StartAsync(azurite.ConnectionString, TestTenants.MondayMorning, settings: settings, twilioApi: _twilio,
            services: s => s.AddSingleton<ICallStore>(sp => conflicts.Wrap(new TableCallStore(sp.GetRequiredService<TableSet>()))));
        await app.ImportTenantsAsync(TestTenants.Dentist);
        using (await app.Http.GetAsync("/healthz"))
        {
        }

        // The first read of the call once it exists (its first spoken turn) meets a concurrent write: a storage retry.
        conflicts.ConflictOnRead = 1;
        // As Twilio does, the simulated carrier sends no trace context.
        using var carrier = new HttpClient(new SocketsHttpHandler { ActivityHeadersPropagator = null })
        {
            BaseAddress = app.BaseUrl,
        };
        var call = await new TwilioCallSimulator(carrier, app.BaseUrl, AppHost.AuthToken, AppHost.AccountSid).RunAsync(TestTenants.DentistNumber, Caller,
            new ScriptedCaller([Said[0], Said[1], Said[2], CallerName, "yes", "no"]), CancellationToken.None);
        Assert.True(call.Ended);
        Assert.Single(await app.Services.GetRequiredService<IAppointmentStore>().ListAsync("bright-smiles", null, CancellationToken.None));

        string[] metrics =
        [
            ReceptionistTelemetry.Metrics.TurnDuration, ReceptionistTelemetry.Metrics.Calls, ReceptionistTelemetry.Metrics.Bookings,
            ReceptionistTelemetry.Metrics.LlmFallbacks, ReceptionistTelemetry.Metrics.StorageRetries, ReceptionistTelemetry.Metrics.NotificationsFailed,
        ];
        var complete = await _collector.WaitForAsync(d =>
            metrics.All(m => d.Metrics.Any(x => x.Name == m && x.Points.Count > 0))
            && d.Spans.Count(s => s.Name == ReceptionistTelemetry.Spans.Turn) >= 7
            && d.Logs.Any(l => l.TraceId.Length > 0), Patience);
        var missing = _collector.Read(d => metrics.Where(m => !d.Metrics.Any(x => x.Name == m)).ToList());
        Assert.True(complete, "Not everything arrived; metrics missing: " + string.Join(", ", missing));
        Assert.Empty(_collector.Rejected);

        _collector.Read(d =>
        {
            var resource = Assert.Single(d.Resources.Select(r => r.GetValueOrDefault("service.name")).Distinct());
            Assert.Equal("receptionist", resource);

            // One trace per turn: the webhook's request span, the turn under it, the stages under the turn.
            var turns = d.Spans.Where(s => s.Name == ReceptionistTelemetry.Spans.Turn && s.Text(ReceptionistTelemetry.Tags.CallId) == call.CallSid).ToList();
            Assert.True(turns.Count >= 7, $"{turns.Count} turn spans"); // start, six answers, the end
            Assert.All(turns, t =>
            {
                Assert.Equal("bright-smiles", t.Text(ReceptionistTelemetry.Tags.TenantId));
                Assert.Equal("twilio", t.Text(ReceptionistTelemetry.Tags.Channel));
                var request = Assert.Single(d.Spans, s => s.SpanId == t.ParentSpanId);
                Assert.Equal(OtlpSpan.KindServer, request.Kind);
                Assert.StartsWith("/twilio/", request.Text("url.path"), StringComparison.Ordinal);
                Assert.True(request.ParentSpanId.Length == 0, string.Join("\n", d.Spans.Where(s => s.TraceId == request.TraceId).Select(s => $"{s.SpanId} <- {s.ParentSpanId} {s.Kind} {s.Scope} {s.Name} {string.Join(",", s.Attributes.Select(a => a.Key + "=" + a.Value))}"))); // a root: each webhook is its own trace
            });
            Assert.Equal(turns.Count, turns.Select(t => t.TraceId).Distinct().Count());
            Assert.Contains(turns, t => t.Attributes.ContainsKey(ReceptionistTelemetry.Tags.Turn) && t.Text(ReceptionistTelemetry.Tags.Outcome) == "booked");

            IEnumerable<OtlpSpan> Children(OtlpSpan parent) => d.Spans.Where(s => s.ParentSpanId == parent.SpanId && s.TraceId == parent.TraceId);
            var booking = Assert.Single(turns, t => d.Spans.Any(s => s.TraceId == t.TraceId && s.Text(ReceptionistTelemetry.Tags.Operation) == "reserve"));
            Assert.Contains(Children(booking), s => s.Name == ReceptionistTelemetry.Spans.Load);
            Assert.Contains(Children(booking), s => s.Name == ReceptionistTelemetry.Spans.Understand);
            Assert.Contains(Children(booking), s => s.Name == ReceptionistTelemetry.Spans.Save);
            var decide = Assert.Single(Children(booking), s => s.Name == ReceptionistTelemetry.Spans.Decide);
            var reserve = Assert.Single(Children(decide), s => s.Name == ReceptionistTelemetry.Spans.Change);
            Assert.Contains(Children(reserve), s => s.Kind == OtlpSpan.KindClient && s.Text("url.full")!.Contains("/devstoreaccount1/", StringComparison.Ordinal));
            Assert.Contains(Children(decide), s => s.Name == ReceptionistTelemetry.Spans.Workflow);

            // The model's HTTP request is a child of understanding, in the turn it was asked in.
            Assert.Contains(d.Spans.Where(s => s.Name == ReceptionistTelemetry.Spans.Understand),
                u => Children(u).Any(s => s.Kind == OtlpSpan.KindClient && s.Text("url.full")!.Contains("/openai/v1/", StringComparison.Ordinal)));

            // Query strings keep their names only; probes are not traced; no background client span is a root.
            Assert.All(d.Spans.Where(s => s.Attributes.ContainsKey("url.query")), s => Assert.DoesNotMatch("=(?!Redacted)", s.Text("url.query")!));
            Assert.Contains(d.Spans, s => s.Text("url.query") == "?turn=Redacted");
            Assert.DoesNotContain(d.Spans, s => s.Text("url.path") is "/healthz" or "/readyz");
            Assert.DoesNotContain(d.Spans, s => s.Kind == OtlpSpan.KindClient && s.ParentSpanId.Length == 0);

            // Metrics with data points and their closed tags.
            var durations = d.Metrics.Where(m => m.Name == ReceptionistTelemetry.Metrics.TurnDuration).SelectMany(m => m.Points).ToList();
            Assert.Contains(durations, p => Equals(p.Attributes.GetValueOrDefault(ReceptionistTelemetry.Tags.Stage), "total") && p.Count > 0);
            Assert.Contains(durations, p => Equals(p.Attributes.GetValueOrDefault(ReceptionistTelemetry.Tags.Stage), "understand"));
            Assert.All(durations, p => Assert.Equal("twilio", p.Attributes[ReceptionistTelemetry.Tags.Channel]));
            Assert.Contains(Points(d, ReceptionistTelemetry.Metrics.Calls), p => Equals(p.Attributes.GetValueOrDefault(ReceptionistTelemetry.Tags.Outcome), "booked") && p.Value >= 1);
            Assert.Contains(Points(d, ReceptionistTelemetry.Metrics.Bookings), p => Equals(p.Attributes.GetValueOrDefault(ReceptionistTelemetry.Tags.Change), "booked") && p.Value >= 1);
            Assert.Contains(Points(d, ReceptionistTelemetry.Metrics.LlmFallbacks), p => Equals(p.Attributes.GetValueOrDefault("receptionist.llm.reason"), "unreachable"));
            Assert.Contains(Points(d, ReceptionistTelemetry.Metrics.StorageRetries), p => Equals(p.Attributes.GetValueOrDefault(ReceptionistTelemetry.Tags.Operation), "call-turn"));
            Assert.Contains(Points(d, ReceptionistTelemetry.Metrics.NotificationsFailed), p => Equals(p.Attributes.GetValueOrDefault("receptionist.notification.result"), "retry"));

            // Logs carry the trace of the turn they were written in, and the call id from the scope.
            var turnTraces = turns.Select(t => t.TraceId).ToHashSet();
            var correlated = d.Logs.Where(l => turnTraces.Contains(l.TraceId)).ToList();
            Assert.NotEmpty(correlated);
            Assert.Contains(correlated, l => Equals(l.Attributes.GetValueOrDefault("CallId"), call.CallSid) && l.SpanId.Length == 16);
            var requestLines = d.Logs.Where(l => l.Body?.StartsWith("Request starting", StringComparison.Ordinal) == true).ToList();
            Assert.Contains(requestLines, l => l.Body!.Contains("?turn=Redacted", StringComparison.Ordinal));
            Assert.DoesNotContain(requestLines, l => l.Body!.Contains("?turn=1", StringComparison.Ordinal));

            // Nothing personal anywhere in what was exported.
            Assert.NotEmpty(d.Strings);
            foreach (var text in d.Strings)
            {
                foreach (var secret in Personal.Concat(Said))
                {
                    Assert.False(text.Contains(secret, StringComparison.OrdinalIgnoreCase), $"Exported text contains '{secret}': {text}");
                }
            }

            return true;
        });
    }

    [Fact]
    public async Task SignInLinkOpened_OtlpHttpCollector_ItsSecretIsNeverExported()
    {
        await using var app = await AppHost.StartAsync(azurite.ConnectionString, TestTenants.MondayMorning, settings: Exporting());
        await app.ImportTenantsAsync(TestTenants.Dentist);
        var secret = await Receptionist.Core.Owners.AccessGrants.AddOwnerAsync(app.Services.GetRequiredService<Receptionist.Core.Owners.IAccessStore>(),
            "owner@bright-smiles.example.com", "bright-smiles", DateTimeOffset.UtcNow, CancellationToken.None);

        using (var page = await app.Http.GetAsync(Receptionist.Core.Owners.AccessGrants.LinkPath(secret)))
        {
            Assert.Equal(System.Net.HttpStatusCode.OK, page.StatusCode);
        }

        Assert.True(await _collector.WaitForAsync(d => d.Spans.Any(s => s.Kind == OtlpSpan.KindServer && s.Text("url.path")?.StartsWith("/signin/", StringComparison.Ordinal) == true)
            && d.Logs.Any(l => l.Body?.Contains("/signin/", StringComparison.Ordinal) == true), Patience), "the sign-in request's span and log did not arrive");
        _collector.Read(d =>
        {
            Assert.Equal("/signin/Redacted", Assert.Single(d.Spans, s => s.Kind == OtlpSpan.KindServer && s.Text("url.path")?.StartsWith("/signin/", StringComparison.Ordinal) == true).Text("url.path"));
            foreach (var text in d.Strings)
            {
                Assert.False(text.Contains(secret, StringComparison.Ordinal), $"Exported text contains the sign-in secret: {text}");
            }

            return true;
        });
    }

    [Fact]
    public async Task RelayCall_OtlpHttpCollector_EachMessageIsARootTraceLinkedToTheSocket()
    {
        await using var app = await AppHost.StartAsync(azurite.ConnectionString, TestTenants.MondayMorning, settings: Exporting());
        await app.ImportTenantsAsync(TestTenants.DentistWith("\"voice\": \"en-US-JennyNeural\"", "\"voice\": \"en-US-JennyNeural\", \"voiceMode\": \"relay\""));

        var call = await app.Simulator("relay").RunAsync(TestTenants.DentistNumber, Caller, new ScriptedCaller([Said[1], Said[2], CallerName, "yes", "no"]), CancellationToken.None);
        Assert.True(call.Ended, "the receptionist did not end the call; it went: " + string.Join(" | ", call.Turns.Select(t => $"{t.Speaker}: {t.Text}")));

        const string message = "receptionist.relay.message";
        Assert.True(await _collector.WaitForAsync(d => d.Spans.Count(s => s.Name == message) >= 5
            && d.Spans.Any(s => s.Kind == OtlpSpan.KindServer && s.Text("url.path") == "/twilio/relay"), Patience), "the relay's spans did not arrive");
        _collector.Read(d =>
        {
            var socket = Assert.Single(d.Spans, s => s.Kind == OtlpSpan.KindServer && s.Text("url.path") == "/twilio/relay");
            var messages = d.Spans.Where(s => s.Name == message && s.Text(ReceptionistTelemetry.Tags.CallId) == call.CallSid).ToList();
            Assert.True(messages.Count >= 5, $"{messages.Count} relay message spans");
            Assert.All(messages, m =>
            {
                Assert.Equal(string.Empty, m.ParentSpanId);
                Assert.Equal(OtlpSpan.KindServer, m.Kind);
                Assert.NotEqual(socket.TraceId, m.TraceId);
                Assert.Contains(socket.SpanId, m.LinkedSpanIds);
                var turn = Assert.Single(d.Spans, s => s.ParentSpanId == m.SpanId && s.Name == ReceptionistTelemetry.Spans.Turn);
                Assert.Equal("twilio", turn.Text(ReceptionistTelemetry.Tags.Channel));
            });
            Assert.Equal(messages.Count, messages.Select(m => m.TraceId).Distinct().Count());
            foreach (var text in d.Strings)
            {
                Assert.DoesNotContain(Personal.Concat(Said), secret => text.Contains(secret, StringComparison.OrdinalIgnoreCase));
            }

            return true;
        });
    }

    [Fact]
    public async Task Start_SamplingRatioNotANumber_FailsNamingTheSetting()
    {
        var ex = await Assert.ThrowsAnyAsync<InvalidOperationException>(() => AppHost.StartAsync("UseDevelopmentStorage=true", TestTenants.MondayMorning,
            settings: new Dictionary<string, string?> { ["Telemetry:SamplingRatio"] = "half", [TelemetryOptions.OtlpEndpointVariable] = "http://127.0.0.1:4318" }));

        Assert.Contains("Telemetry:SamplingRatio", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Build_NoExporterConfigured_RegistersNoOpenTelemetryProvider()
    {
        await using var app = ReceptionistHost.Build(["--environment", "Development"], Path.Combine(Path.GetTempPath(), "no-local-settings.json"), b =>
        {
            b.Configuration["Twilio:AuthToken"] = AppHost.AuthToken;
            b.Configuration[TelemetryOptions.OtlpEndpointVariable] = "";
            b.Configuration[TelemetryOptions.AzureMonitorVariable] = "";
        });

        Assert.Null(app.Services.GetService<TracerProvider>());
        Assert.Null(app.Services.GetService<MeterProvider>());
        Assert.Null(app.Services.GetService<LoggerProvider>());
    }

    [Fact]
    public async Task Build_OtlpEndpointConfigured_RegistersTracerMeterAndLoggerProviders()
    {
        await using var app = ReceptionistHost.Build(["--environment", "Development"], Path.Combine(Path.GetTempPath(), "no-local-settings.json"), b =>
        {
            b.Configuration["Twilio:AuthToken"] = AppHost.AuthToken;
            b.Configuration[TelemetryOptions.OtlpEndpointVariable] = "http://127.0.0.1:4318";
            b.Configuration[TelemetryOptions.OtlpProtocolVariable] = "http/protobuf";
        });

        Assert.NotNull(app.Services.GetService<TracerProvider>());
        Assert.NotNull(app.Services.GetService<MeterProvider>());
        Assert.NotNull(app.Services.GetService<LoggerProvider>());
    }

    [Theory]
    [InlineData("Telemetry:SamplingRatio", "1.5", "Telemetry:SamplingRatio")]
    [InlineData("Telemetry:SamplingRatio", "-0.1", "Telemetry:SamplingRatio")]
    [InlineData(TelemetryOptions.OtlpProtocolVariable, "http/json", TelemetryOptions.OtlpProtocolVariable)]
    [InlineData(TelemetryOptions.OtlpProtocolVariable, "udp", TelemetryOptions.OtlpProtocolVariable)]
    [InlineData(TelemetryOptions.OtlpEndpointVariable, "localhost:4317", TelemetryOptions.OtlpEndpointVariable)]
    [InlineData(TelemetryOptions.AzureMonitorVariable, "InstrumentationKey=not-a-guid", TelemetryOptions.AzureMonitorVariable)]
    [InlineData(TelemetryOptions.AzureMonitorVariable, "just some text", TelemetryOptions.AzureMonitorVariable)]
    public async Task Start_BadTelemetrySetting_FailsNamingTheSetting(string key, string value, string named)
    {
        var settings = new Dictionary<string, string?> { [key] = value };
        if (key != TelemetryOptions.OtlpEndpointVariable && key != TelemetryOptions.AzureMonitorVariable)
        {
            settings[TelemetryOptions.OtlpEndpointVariable] = "http://127.0.0.1:4318";
        }

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() =>
            AppHost.StartAsync("UseDevelopmentStorage=true", TestTenants.MondayMorning, settings: settings));

        Assert.Contains(named, ex.Message, StringComparison.Ordinal);
        if (key == TelemetryOptions.AzureMonitorVariable)
        {
            Assert.DoesNotContain(value, ex.Message, StringComparison.Ordinal); // the connection string is not echoed
        }
    }

    private static IEnumerable<OtlpPoint> Points(OtlpDecoder d, string metric) => d.Metrics.Where(m => m.Name == metric).SelectMany(m => m.Points);

    /// <summary>A loopback port nothing listens on (connections are refused at once).</summary>
    private static int ClosedPort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    /// <summary>The call store, but the <see cref="ConflictOnRead"/>-th read of a call is followed by another writer's
    /// update of it (as a redelivered webhook's would be), so the turn that read it loses its conditional write once.</summary>
    private sealed class ConflictingCallStore
    {
        private int _reads;

        public int ConflictOnRead { get; set; }

        public ICallStore Wrap(ICallStore inner) => new Store(this, inner);

        private sealed class Store(ConflictingCallStore owner, ICallStore inner) : ICallStore
        {
            public async Task<StoredCall?> GetAsync(string callId, CancellationToken cancellationToken)
            {
                var stored = await inner.GetAsync(callId, cancellationToken);
                if (stored is not null && owner.ConflictOnRead > 0 && Interlocked.Increment(ref owner._reads) == owner.ConflictOnRead)
                {
                    await inner.SaveTurnAsync(stored.Record, stored.ETag, [], cancellationToken); // the other writer: same content, new ETag
                }

                return stored;
            }

            public Task<bool> CreateAsync(CallRecord record, IReadOnlyList<CallTurn> history, CancellationToken cancellationToken) =>
                inner.CreateAsync(record, history, cancellationToken);

            public Task SaveTurnAsync(CallRecord record, string etag, IReadOnlyList<CallTurn> history, CancellationToken cancellationToken) =>
                inner.SaveTurnAsync(record, etag, history, cancellationToken);

            public Task<IReadOnlyList<CallTurn>> HistoryAsync(string callId, CancellationToken cancellationToken) => inner.HistoryAsync(callId, cancellationToken);

            public Task<IReadOnlyList<CallRecord>> ListByTenantAsync(string tenantId, int max, CancellationToken cancellationToken) =>
                inner.ListByTenantAsync(tenantId, max, cancellationToken);

            public Task<CallPage> PageByTenantAsync(string tenantId, DateTimeOffset? from, DateTimeOffset? to, int pageSize, string? continuation, CancellationToken cancellationToken) =>
                inner.PageByTenantAsync(tenantId, from, to, pageSize, continuation, cancellationToken);
        }
    }
}
