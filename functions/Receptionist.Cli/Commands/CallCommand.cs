using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using Receptionist.Host.Configuration;
using Receptionist.Telephony.Acs;
using Receptionist.Telephony.Acs.Simulation;
using Receptionist.Telephony.Speech.Simulation;
using Receptionist.Telephony.Twilio;
using Receptionist.Telephony.Twilio.Streams;

namespace Receptionist.Cli.Commands;

/// <summary>`call`: place a simulated phone call against the running app over the real Twilio protocols (gather
/// webhooks, ConversationRelay with `--mode relay`, or Media Streams with real audio and a loopback stand-in for Azure
/// AI Speech with `--mode stream`) or ACS (`--channel acs`: Event Grid and Call Automation, with
/// a loopback stand-in for ACS), interactively, scripted (--say), or many at once (--calls/--concurrency/--script)
/// to measure per-turn latency.</summary>
internal static class CallCommand
{
    private static readonly TimeSpan HttpTimeout = TimeSpan.FromSeconds(30);

    private sealed record Script(string? To, string? From, List<string> Say);

    public static Command Create(Func<CliEnvironment> environment)
    {
        var to = new Option<string?>("--to") { Description = "The dialled number (selects the tenant)." };
        var from = new Option<string>("--from") { Description = "The caller's number; 'anonymous' withholds it.", DefaultValueFactory = _ => "+15557654321" };
        var say = new Option<string[]>("--say") { Description = "A caller turn (repeat for each); '#123' sends keypad digits, '' is silence.", AllowMultipleArgumentsPerToken = false };
        var json = new Option<bool>("--json") { Description = "Print the call as JSON." };
        var url = new Option<string?>("--url") { Description = $"The app's base URL (default: PublicBaseUrl, else the URL a running `up` serves, else {CliEnvironment.DefaultAppUrl})." };
        var calls = new Option<int>("--calls") { Description = "Throughput mode: how many scripted calls to run.", DefaultValueFactory = _ => 0 };
        Cli.Between(calls, 0, 1_000_000);
        var concurrency = new Option<int>("--concurrency") { Description = "Throughput mode: calls in flight at once.", DefaultValueFactory = _ => 10 };
        Cli.Between(concurrency, 1, 10_000);
        var script = new Option<FileInfo?>("--script") { Description = "Throughput mode: JSON {\"to\", \"from\", \"say\": [...]}." };
        var dialStatus = new Option<string>("--dial-status") { Description = "How a transfer goes: completed (someone answers), no-answer, busy or failed.", DefaultValueFactory = _ => "completed" };
        dialStatus.AcceptOnlyFromAmong("completed", "no-answer", "busy", "failed");
        var mode = new Option<string>("--mode") { Description = "How Twilio handles the call: gather (webhooks), relay (ConversationRelay WebSocket) or stream (Media Streams with real audio); must match the tenant's voiceMode.", DefaultValueFactory = _ => "gather" };
        mode.AcceptOnlyFromAmong([.. CallSimulators.Modes]);
        var channel = new Option<string>("--channel") { Description = "The carrier: twilio, or acs (Azure Communication Services, played by a local stand-in).", DefaultValueFactory = _ => "twilio" };
        channel.AcceptOnlyFromAmong("twilio", AcsCalls.Channel);
        var think = new Option<double>("--think") { Description = "Throughput mode: seconds the caller pauses before each answer, as on a live call.", DefaultValueFactory = _ => 0 };
        Cli.Between(think, 0.0, 60.0);
        var bargeIn = new Option<bool>("--barge-in") { Description = "Stream mode: start speaking 1 s into each of the receptionist's prompts." };
        var play = new Option<bool>("--play") { Description = "Stream mode: play the receptionist's audio on this machine's speaker (aplay)." };
        var command = new Command("call", "Place a simulated call (Twilio gather webhooks, ConversationRelay or Media Streams) to the running app.") { to, from, say, json, url, calls, concurrency, script, dialStatus, mode, channel, think, bargeIn, play };
        command.SetAction(async (parse, ct) =>
        {
            var throughput = parse.GetValue(calls);
            var scripted = throughput > 0 ? await ReadScriptAsync(parse.GetValue(script), ct) : null;
            var number = parse.GetValue(to) ?? scripted?.To;
            if (number is null)
            {
                return scripted is null
                    ? Cli.Error("--to is required: the number to dial (see `./receptionist up` for the demo numbers).", Cli.Usage)
                    : Cli.Error($"{parse.GetValue(script)!.FullName}: to: required (or pass --to)");
            }

            var streaming = parse.GetValue(mode) == "stream";
            if (!streaming && (parse.GetValue(bargeIn) || parse.GetValue(play)))
            {
                return Cli.Error("--barge-in and --play need --mode stream (the receptionist's own audio).", Cli.Usage);
            }

            if (streaming && parse.GetValue(channel) == AcsCalls.Channel)
            {
                return Cli.Error("--channel acs --mode stream (ACS media) is not built yet; --mode stream plays Twilio Media Streams.", Cli.Usage);
            }

            var env = environment().WithDevelopmentDefaults(out _);
            var (baseUrl, source) = env.AppUrl(parse.GetValue(url));
            using var http = new HttpClient { Timeout = HttpTimeout };
            await using var acs = parse.GetValue(channel) == AcsCalls.Channel ? await StartAcsStandInAsync(env, ct) : null;
            await using var speech = streaming ? await StartSpeechStandInAsync(env, ct) : null;
            ICallSimulator simulator;
            if (acs is not null)
            {
                simulator = new AcsCallSimulator(http, baseUrl, acs, env.Configuration["Acs:EventGrid:Secret"] ?? string.Empty);
            }
            else
            {
                var token = env.Configuration["Twilio:AuthToken"];
                if (string.IsNullOrWhiteSpace(token))
                {
                    return Cli.Error("Twilio:AuthToken is not configured (local.settings.json Values.Twilio__AuthToken or Twilio__AuthToken).");
                }

                simulator = CallSimulators.Create(parse.GetValue(mode)!, http, baseUrl, token, env.Configuration["Twilio:AccountSid"] ?? "AC00000000000000000000000000000000", speech);
            }

            if (simulator is TwilioStreamSimulator stream)
            {
                stream.BargeIn = parse.GetValue(bargeIn);
                stream.Play = parse.GetValue(play) && throughput == 0;
                if (stream.Play && !TwilioStreamSimulator.CanPlay)
                {
                    stream.Play = false;
                    Console.Error.WriteLine("(--play: aplay is not available here, so the receptionist's audio is not played; the call goes on)");
                }
            }

            simulator.DialStatus = parse.GetValue(dialStatus)!;
            if (simulator is TwilioRelaySimulator relay && throughput == 0 && parse.GetValue(say) is not { Length: > 0 } && !Console.IsInputRedirected)
            {
                relay.PlaybackMillisecondsPerCharacter = 60; // typing while the receptionist is still "speaking" interrupts it
            }

            try
            {
                return scripted is not null
                    ? await Throughput(simulator, number, scripted.From ?? parse.GetValue(from)!, scripted.Say ?? [], throughput, parse.GetValue(concurrency),
                        TimeSpan.FromSeconds(parse.GetValue(think)), parse.GetValue(json), ct)
                    : await Single(simulator, number, parse.GetValue(from)!, parse.GetValue(say), parse.GetValue(json), ct);
            }
            catch (Exception ex) when (ex is HttpRequestException or System.Net.WebSockets.WebSocketException)
            {
                return Cli.Error($"The app at {baseUrl} ({source}) did not take the call: {Cli.OneLine(ex.Message)}. Is `./receptionist up` running?");
            }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested)
            {
                return Cli.Error($"The app at {baseUrl} ({source}) did not answer within {HttpTimeout.TotalSeconds:0} s.");
            }
            catch (InvalidOperationException ex)
            {
                return Cli.Error($"The call broke off: {Cli.OneLine(ex.Message)}");
            }
        });
        return command;
    }

    /// <summary>The loopback stand-in for ACS at the endpoint the app is configured with (the development default is
    /// 127.0.0.1:7073), with the same access key and resource id, so the app's signed requests and our signed callbacks
    /// check out on both sides.</summary>
    private static async Task<AcsStandIn> StartAcsStandInAsync(CliEnvironment env, CancellationToken ct)
    {
        var config = env.Configuration;
        if (!AcsConnectionString.TryParse(config["Acs:ConnectionString"], out var connection, out var error))
        {
            throw new CliException($"Acs:ConnectionString: {(string.IsNullOrWhiteSpace(config["Acs:ConnectionString"]) ? "not configured" : error)} (local.settings.json Values.Acs__ConnectionString; delete it to get the local default).");
        }

        if (!connection.Endpoint.IsLoopback || connection.AccessKey is null)
        {
            throw new CliException($"--channel acs plays ACS locally: Acs:ConnectionString must point at a loopback endpoint with an access key (the default is {LocalSettings.DevelopmentAcsEndpoint}), not {connection.Endpoint.GetLeftPart(UriPartial.Authority)}.");
        }

        if (string.IsNullOrWhiteSpace(config["Acs:EventGrid:Secret"]))
        {
            throw new CliException("Acs:EventGrid:Secret is not configured (local.settings.json Values.Acs__EventGrid__Secret).");
        }

        try
        {
            return await AcsStandIn.StartAsync(new AcsStandInOptions
            {
                Port = connection.Endpoint.Port,
                AccessKey = connection.AccessKey,
                ResourceId = config["Acs:ResourceId"] ?? Guid.Empty.ToString(),
            }, ct);
        }
        catch (IOException ex)
        {
            throw new CliException($"Cannot run the ACS stand-in on {connection.Endpoint.GetLeftPart(UriPartial.Authority)} ({Cli.OneLine(ex.Message)}); is another `call --channel acs` running?");
        }
    }

    /// <summary>The loopback stand-in for Azure AI Speech at the app's Speech:Endpoint (the development default is
    /// 127.0.0.1:7074) with the app's key: it returns each caller line as the transcript of the audio the simulator
    /// speaks, and synthesises the receptionist's words with espeak-ng.</summary>
    private static async Task<SpeechStandIn> StartSpeechStandInAsync(CliEnvironment env, CancellationToken ct)
    {
        var config = env.Configuration;
        var endpoint = config["Speech:Endpoint"];
        if (!string.IsNullOrWhiteSpace(config["Speech:Region"]) || !Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttp || !uri.IsLoopback)
        {
            var configured = !string.IsNullOrWhiteSpace(config["Speech:Region"]) ? $"Speech:Region {config["Speech:Region"]}" : string.IsNullOrWhiteSpace(endpoint) ? "nothing" : endpoint;
            throw new CliException($"--mode stream plays Azure AI Speech locally: Speech:Endpoint must be a loopback http URL (the default is {LocalSettings.DevelopmentSpeechEndpoint}), not {configured} (local.settings.json Values.Speech__Endpoint; delete Speech__Region and Speech__Endpoint to get the local default).");
        }

        var key = config["Speech:Key"];
        if (string.IsNullOrWhiteSpace(key))
        {
            throw new CliException("Speech:Key is not configured (local.settings.json Values.Speech__Key): the app and the local speech stand-in must share it.");
        }

        try
        {
            return await SpeechStandIn.StartAsync(uri.Port, key, ct);
        }
        catch (IOException ex)
        {
            throw new CliException($"Cannot run the speech stand-in on {uri.GetLeftPart(UriPartial.Authority)} ({Cli.OneLine(ex.Message)}); is another `call --mode stream` running?");
        }
    }

    /// <summary>The throughput script, or a failure naming the file: missing, unreadable or not the expected JSON.</summary>
    private static async Task<Script> ReadScriptAsync(FileInfo? file, CancellationToken ct)
    {
        const string Shape = "{\"to\", \"from\", \"say\": [...]}";
        if (file is null)
        {
            throw new CliException($"--calls needs --script <file.json> with {Shape}.", Cli.Usage);
        }

        if (!file.Exists)
        {
            throw new CliException($"--script: {file.FullName}: file not found.");
        }

        try
        {
            return JsonSerializer.Deserialize<Script>(await File.ReadAllTextAsync(file.FullName, ct), Cli.Json)
                ?? throw new CliException($"{file.FullName}: expected {Shape}, found null.");
        }
        catch (JsonException ex)
        {
            throw new CliException($"{file.FullName}: not a valid script, expected {Shape} ({Cli.OneLine(ex.Message)})");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"{file.FullName}: cannot be read ({Cli.OneLine(ex.Message)})");
        }
    }

    private static async Task<int> Single(ICallSimulator simulator, string to, string from, string[]? say, bool json, CancellationToken ct)
    {
        ICallerLines caller;
        if (say is { Length: > 0 })
        {
            caller = new ScriptedCaller(say);
        }
        else if (Console.IsInputRedirected || json)
        {
            caller = new ScriptedCaller(ReadAllLines());
        }
        else
        {
            caller = new ConsoleCaller();
            Console.WriteLine("Connected. Type what you say; '#123' presses keys, an empty line is silence, Ctrl-D hangs up.");
        }

        if (!json)
        {
            simulator.TurnAdded += t =>
            {
                if (t.Speaker != "caller" || say is { Length: > 0 })
                {
                    Console.WriteLine($"{(t.Speaker == "agent" ? "Receptionist" : t.Speaker == "caller" ? "You" : "--"),12}: {t.Text}");
                }
            };
        }

        var call = await simulator.RunAsync(to, from, caller, ct);
        var stream = simulator as TwilioStreamSimulator;
        var timings = stream?.Timings.Where(t => t.CallSid == call.CallSid).ToList();
        if (json)
        {
            var turns = call.Turns.Where(t => t.Speaker != "system").Select(t => new { t.Speaker, t.Text });
            var responses = call.ResponseMilliseconds.Select(ms => Math.Round(ms, 1));
            if (timings is null)
            {
                Cli.WriteJson(new { call.CallSid, Turns = turns, call.Ended, call.TransferredTo, ResponseMilliseconds = responses });
            }
            else
            {
                Cli.WriteJson(new
                {
                    call.CallSid, Turns = turns, call.Ended, call.TransferredTo, ResponseMilliseconds = responses,
                    Timings = timings.Select(t => new { t.CallerLine, t.SpeechMilliseconds, t.EndOfTurnMilliseconds, t.TranscriptMilliseconds, t.FirstAudioMilliseconds }),
                });
            }
        }
        else
        {
            foreach (var t in timings ?? [])
            {
                Console.WriteLine($"  \"{t.CallerLine}\": end of turn {Ms(t.EndOfTurnMilliseconds)}, transcript {Ms(t.TranscriptMilliseconds)}, first audio {Ms(t.FirstAudioMilliseconds)} after the caller's last sound");
            }

            Console.WriteLine(call.Ended ? "(the receptionist ended the call)" : "(you hung up)");
        }

        if (stream?.PlayProblem is { } problem)
        {
            Console.Error.WriteLine($"(--play: {problem})");
        }

        return Cli.Ok;
    }

    private static string Ms(double? milliseconds) => milliseconds is { } ms ? $"{ms:0} ms" : "—";

    private static IEnumerable<string> ReadAllLines()
    {
        string? line;
        var lines = new List<string>();
        while ((line = Console.ReadLine()) is not null)
        {
            lines.Add(line);
        }

        return lines;
    }

    private sealed class ConsoleCaller : ICallerLines
    {
        public ValueTask<string?> NextAsync(CancellationToken cancellationToken)
        {
            Console.Write("         You: ");
            return ValueTask.FromResult(Console.ReadLine());
        }
    }

    private static async Task<int> Throughput(ICallSimulator simulator, string to, string from, List<string> say, int calls, int concurrency, TimeSpan think, bool json, CancellationToken ct)
    {
        var timings = new List<double>();
        var failures = 0;
        string? firstFailure = null;
        var ended = 0;
        var started = Stopwatch.GetTimestamp();
        await Parallel.ForEachAsync(Enumerable.Range(0, calls), new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = ct }, async (i, token) =>
        {
            try
            {
                // Live calls do not all speak at once: spread the starts over one pause so turns arrive steadily.
                await Task.Delay(think * (i % concurrency) / concurrency, token);
                var result = await simulator.RunAsync(to, from, new ThinkingCaller(new ScriptedCaller(say), think, TimeProvider.System), token);
                lock (timings)
                {
                    timings.AddRange(result.ResponseMilliseconds);
                    ended += result.Ended ? 1 : 0;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or System.Net.WebSockets.WebSocketException or InvalidOperationException
                or TaskCanceledException && !token.IsCancellationRequested)
            {
                Interlocked.Increment(ref failures);
                Interlocked.CompareExchange(ref firstFailure, Cli.OneLine(ex.Message), null);
            }
        });
        var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
        timings.Sort();
        double P(double q) => timings.Count == 0 ? 0 : timings[Math.Min(timings.Count - 1, (int)Math.Ceiling(q * timings.Count) - 1)];
        var report = new
        {
            Calls = calls, Concurrency = concurrency, ThinkSeconds = think.TotalSeconds, Failed = failures, Turns = timings.Count, ElapsedSeconds = Math.Round(elapsed, 2),
            CallsPerSecond = Math.Round(calls / elapsed, 1), TurnsPerSecond = Math.Round(timings.Count / elapsed, 1), P50Ms = Math.Round(P(0.50), 1), P95Ms = Math.Round(P(0.95), 1), P99Ms = Math.Round(P(0.99), 1),
            MaxMs = Math.Round(timings.Count > 0 ? timings[^1] : 0, 1),
        };
        if (json)
        {
            Cli.WriteJson(report);
        }
        else
        {
            Console.WriteLine($"calls {report.Calls} (failed {report.Failed}), concurrency {report.Concurrency}, think {report.ThinkSeconds} s, turns {report.Turns}, {report.ElapsedSeconds} s, {report.CallsPerSecond} calls/s, {report.TurnsPerSecond} turns/s");
            Console.WriteLine($"app response time per turn: p50 {report.P50Ms} ms, p95 {report.P95Ms} ms, p99 {report.P99Ms} ms, max {report.MaxMs} ms");
        }

        return failures == 0 ? Cli.Ok : Cli.Error($"{failures} of {calls} call(s) failed, the first: {firstFailure}");
    }
}
