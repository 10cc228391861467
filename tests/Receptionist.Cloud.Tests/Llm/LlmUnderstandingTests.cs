using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Receptionist.Cloud.Llm;
using Receptionist.Core.Tenants;
using Receptionist.Core.Understanding;

namespace Receptionist.Cloud.Tests.Llm;

/// <summary>Against a fake OpenAI-compatible server on loopback; no Azurite, so not in the Azurite collection.</summary>
public sealed class LlmUnderstandingTests : IAsyncLifetime
{
    private const string Deployment = "receptionist-mini";
    private const string ApiKey = "test-key-7f3a9c";

    /// <summary>No rule can read this: no service name, no date, no time, no booking words.</summary>
    private const string Vague = "mmm the thing with the gums, whenever Doc is free after the holiday";

    private static readonly DateOnly Today = new(2026, 11, 23);

    private static readonly UnderstandingContext Context = new(
        Expecting.Anything,
        [ServiceOffering.Create("Cleaning", 60), ServiceOffering.Create("Periodontal therapy", 45)],
        Today,
        [new QuestionTopic(Topics.Hours, "Opening hours", ["open", "hours"]), new QuestionTopic("fact:parking", "Where to park", ["park"])],
        ["severe bleeding", "knocked out tooth"]);

    private FakeOpenAIServer _server = null!;
    private readonly ListLogger<LlmUnderstanding> _log = new();

    public async Task InitializeAsync() => _server = await FakeOpenAIServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData("I'd like to book a cleaning please", Expecting.Anything)]
    [InlineData("yes", Expecting.YesNo)]
    [InlineData("at 10 am", Expecting.Time)]
    public async Task UnderstandAsync_RulesAreSure_SendsNothingAndReturnsTheRules(string utterance, Expecting expecting)
    {
        _server.Script(FakeReply.Json(Answer(intent: "Cancel")));
        var context = Context with { Expecting = expecting };

        var understood = await Create().UnderstandAsync(utterance, context, CancellationToken.None);

        Assert.Empty(_server.Requests);
        Assert.Equal(RuleUnderstanding.Understand(utterance, context), understood);
    }

    [Fact]
    public async Task UnderstandAsync_RulesUnsure_SendsOneStrictSchemaRequestWithCallerTextOnlyInUserMessage()
    {
        _server.Script(FakeReply.Json(Answer(intent: "Book", service: "Periodontal therapy")));

        await Create().UnderstandAsync(Vague, Context, CancellationToken.None);

        var request = Assert.Single(_server.Requests);
        Assert.Equal("/openai/v1/chat/completions", request.Path);
        Assert.Equal(Deployment, request.Model);
        Assert.Equal($"Bearer {ApiKey}", request.Authorization);

        var format = request.Body["response_format"]!;
        Assert.Equal("json_schema", (string?)format["type"]);
        Assert.True((bool?)format["json_schema"]!["strict"]);
        var schema = request.Schema;
        Assert.False((bool?)schema["additionalProperties"]);
        var properties = schema["properties"]!.AsObject();
        Assert.Equal(properties.Select(p => p.Key).Order(), schema["required"]!.AsArray().Select(r => (string)r!).Order());
        Assert.Equal(new string?[] { "Cleaning", "Periodontal therapy", null }, EnumOf(properties, "service"));
        Assert.Equal(new string?[] { Topics.Hours, "fact:parking", null }, EnumOf(properties, "topic"));
        Assert.Equal(Enum.GetNames<Intent>(), EnumOf(properties, "intent"));
        Assert.Equal(new string?[] { "string", "null" }, properties["date"]!["type"]!.AsArray().Select(t => (string?)t));

        var system = Assert.Single(request.Messages, m => (string?)m!["role"] == "system")!;
        var user = Assert.Single(request.Messages, m => (string?)m!["role"] == "user")!;
        Assert.Equal(2, request.Messages.Count);
        Assert.Equal(Vague, ContentText(user));
        Assert.DoesNotContain("gums", ContentText(system), StringComparison.OrdinalIgnoreCase);
        Assert.Contains("2026-11-23", ContentText(system), StringComparison.Ordinal);
        Assert.Contains("Monday", ContentText(system), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnderstandAsync_ModelAnswers_FillsIntentAndSlotsTheRulesMissed()
    {
        _server.Script(FakeReply.Json(Answer(
            intent: "Book", service: "periodontal therapy", date: "2026-11-27", time: "14:30", name: " Sam  O'Neil ",
            phone: "555 123 4567", preference: "Afternoon", corrects: true)));

        var understood = await Create().UnderstandAsync(Vague, Context, CancellationToken.None);

        Assert.Equal(Intent.Book, understood.Intent);
        Assert.Equal("Periodontal therapy", understood.Service);
        Assert.Equal(new DateOnly(2026, 11, 27), understood.Date);
        Assert.Equal(SpokenTime.Exact(14, 30), understood.Time);
        Assert.Equal("Sam O'Neil", understood.Name);
        Assert.Equal("+15551234567", understood.Phone);
        Assert.Equal(TimePreference.Afternoon, understood.Preference);
        Assert.True(understood.Corrects);
        Assert.Equal(new LlmTokens(120, 40), understood.Tokens); // the API's usage, for the call's cost
    }

    [Fact]
    public async Task UnderstandAsync_ModelPicksKnownTopic_ReturnsQuestionWithThatTopic()
    {
        _server.Script(FakeReply.Json(Answer(intent: "Question", topic: "fact:parking")));

        var understood = await Create().UnderstandAsync("so like, the car, where does it go when I get there", Context, CancellationToken.None);

        Assert.Equal(Intent.Question, understood.Intent);
        Assert.Equal("fact:parking", understood.Topic);
    }

    [Fact]
    public async Task UnderstandAsync_ModelInventsServiceTopicAndPastDate_DropsThem()
    {
        _server.Script(FakeReply.Json(Answer(intent: "Question", service: "Teeth whitening", topic: "insurance", date: "2026-11-20")));

        var understood = await Create().UnderstandAsync(Vague, Context, CancellationToken.None);

        Assert.Equal(Intent.Question, understood.Intent);
        Assert.Null(understood.Service);
        Assert.Null(understood.Topic);
        Assert.Null(understood.Date);
    }

    [Theory]
    [InlineData("2026-11-23", true)]
    [InlineData("2027-01-22", true)]
    [InlineData("2027-01-23", false)]
    [InlineData("2026-11-22", false)]
    [InlineData("27/11/2026", false)]
    [InlineData("next friday", false)]
    public async Task UnderstandAsync_ModelDate_KeptOnlyFromTodayToSixtyDaysAhead(string date, bool kept)
    {
        _server.Script(FakeReply.Json(Answer(intent: "Book", date: date)));

        var understood = await Create().UnderstandAsync(Vague, Context, CancellationToken.None);

        Assert.Equal(kept ? DateOnly.ParseExact(date, "yyyy-MM-dd") : null, understood.Date);
    }

    [Theory]
    [InlineData("14:30", 14, 30)]
    [InlineData("9:05", 9, 5)]
    [InlineData("25:00", null, null)]
    [InlineData("2 pm", null, null)]
    [InlineData("noon", null, null)]
    public async Task UnderstandAsync_ModelTime_KeptOnlyAsTwentyFourHourClock(string time, int? hour, int? minute)
    {
        _server.Script(FakeReply.Json(Answer(intent: "Book", service: "Cleaning", time: time)));

        var understood = await Create().UnderstandAsync(Vague, Context, CancellationToken.None);

        Assert.Equal("Cleaning", understood.Service);
        Assert.Equal(hour is null ? null : SpokenTime.Exact(hour.Value, minute!.Value), understood.Time);
    }

    [Theory]
    [InlineData(" Sam  O'Neil ", "Sam O'Neil")]
    [InlineData("Anne-Marie", "Anne-Marie")]
    [InlineData("José Núñez", "José Núñez")]
    [InlineData("x; DROP TABLE calls", null)]
    [InlineData("Mary Jane Watson Parker Smith", null)]
    [InlineData("Agent 42", null)]
    public async Task UnderstandAsync_ModelName_KeptOnlyWhenUpToFourWordsOfLetters(string name, string? expected)
    {
        _server.Script(FakeReply.Json(Answer(intent: "Book", service: "Cleaning", name: name)));

        var understood = await Create().UnderstandAsync(Vague, Context, CancellationToken.None);

        Assert.Equal("Cleaning", understood.Service);
        Assert.Equal(expected, understood.Name);
    }

    [Theory]
    [InlineData("555 123 4567", "+15551234567")]
    [InlineData("+1 (555) 010-0001", "+15550100001")]
    [InlineData("12", null)]
    [InlineData("my cell", null)]
    public async Task UnderstandAsync_ModelPhone_NormalisedToE164OrDropped(string phone, string? expected)
    {
        _server.Script(FakeReply.Json(Answer(intent: "Book", service: "Cleaning", phone: phone)));

        var understood = await Create().UnderstandAsync(Vague, Context, CancellationToken.None);

        Assert.Equal("Cleaning", understood.Service);
        Assert.Equal(expected, understood.Phone);
    }

    [Fact]
    public async Task UnderstandAsync_RulesFoundSomeSlots_ModelOnlyFillsTheGaps()
    {
        var tomorrow = Today.AddDays(1);
        var rules = new StubRules(new Understood(Intent.None, Date: tomorrow, Name: "Sam Lee"));
        var options = Options();
        var understanding = new LlmUnderstanding(ChatClientFactory.Create(options), options, TimeProvider.System, _log, rules);
        _server.Script(FakeReply.Json(Answer(intent: "Book", service: "Periodontal therapy", date: "2026-12-01", name: "Samuel Leigh", time: "10:00")));

        var understood = await understanding.UnderstandAsync(Vague, Context with { Expecting = Expecting.Service }, CancellationToken.None);

        Assert.Single(_server.Requests);
        Assert.Equal(Intent.Book, understood.Intent);
        Assert.Equal("Periodontal therapy", understood.Service);
        Assert.Equal(tomorrow, understood.Date);
        Assert.Equal("Sam Lee", understood.Name);
        Assert.Equal(SpokenTime.Exact(10, 0), understood.Time);
    }

    [Fact]
    public async Task UnderstandAsync_RulesHaveAQuestionWithoutTopic_ModelPicksTheTopicButNotTheIntent()
    {
        var rules = new StubRules(new Understood(Intent.Question));
        var options = Options();
        var understanding = new LlmUnderstanding(ChatClientFactory.Create(options), options, TimeProvider.System, _log, rules);
        _server.Script(FakeReply.Json(Answer(intent: "Book", topic: Topics.Hours)));

        var understood = await understanding.UnderstandAsync("so when are y'all around?", Context, CancellationToken.None);

        Assert.Equal(Intent.Question, understood.Intent);
        Assert.Equal(Topics.Hours, understood.Topic);
    }

    [Fact]
    public async Task UnderstandAsync_ServerSlowerThanTimeout_ReturnsTheRulesResult()
    {
        _server.Script(FakeReply.Json(Answer(intent: "Book", service: "Cleaning")) with { Delay = TimeSpan.FromSeconds(20) });
        var understanding = Create(timeoutMs: 300);

        var turn = understanding.UnderstandAsync(Vague, Context, CancellationToken.None).AsTask();
        var finished = await Task.WhenAny(turn, Task.Delay(TimeSpan.FromSeconds(10)));

        Assert.Same(turn, finished);
        Assert.Equal(RuleUnderstanding.Understand(Vague, Context), await turn);
        Assert.Single(_server.Requests);
        Assert.Contains(_log.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("300 ms", StringComparison.Ordinal));
    }

    public static TheoryData<string, FakeReply> Failures() => new()
    {
        { "429", FakeReply.Error(429) },
        { "500", FakeReply.Error(500) },
        { "503", FakeReply.Error(503) },
        { "malformed JSON", new FakeReply(Content: "{\"intent\": \"Book\", \"service\": ") },
        { "not an object", new FakeReply(Content: "\"Book\"") },
        { "refusal", new FakeReply(Content: null, Refusal: "I can't help with that.") },
        { "content filter", FakeReply.Json(Answer(intent: "Book", service: "Cleaning")) with { FinishReason = "content_filter" } },
        { "length", FakeReply.Json(Answer(intent: "Book", service: "Cleaning")) with { FinishReason = "length" } },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task UnderstandAsync_ModelFails_ReturnsTheRulesResultAndLogsAWarningWithoutCallerText(string failure, FakeReply reply)
    {
        const string withPhone = "mmm the thing with the gums, my cell ends five five five 0134 thanks";
        _server.Script(reply);

        var understood = await Create().UnderstandAsync(withPhone, Context, CancellationToken.None);

        Assert.Equal(RuleUnderstanding.Understand(withPhone, Context), understood with { Tokens = null });
        // A completion that came back was paid for, used or not; an error was not.
        Assert.Equal(reply.Status == 200 ? new LlmTokens(120, 40) : null, understood.Tokens);
        Assert.Single(_server.Requests);
        Assert.True(_log.Entries.Any(e => e.Level == LogLevel.Warning), $"no warning logged for {failure}");
        Assert.DoesNotContain(_log.Entries, e => e.Message.Contains("gums", StringComparison.OrdinalIgnoreCase) || e.Message.Contains("0134", StringComparison.Ordinal));
    }

    [Fact]
    public async Task UnderstandAsync_RepeatedFailures_OpensTheCircuitThenRetriesAfterTheBreak()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 14, 0, 0, TimeSpan.Zero));
        var understanding = Create(time: time);
        _server.Script(FakeReply.Error(500));
        var rules = RuleUnderstanding.Understand(Vague, Context);

        for (var i = 0; i < LlmUnderstanding.MinimumThroughput; i++)
        {
            Assert.Equal(rules, await understanding.UnderstandAsync(Vague, Context, CancellationToken.None));
        }

        Assert.Equal(LlmUnderstanding.MinimumThroughput, _server.Requests.Count);

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(rules, await understanding.UnderstandAsync(Vague, Context, CancellationToken.None));
        }

        Assert.Equal(LlmUnderstanding.MinimumThroughput, _server.Requests.Count);
        Assert.Contains(_log.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("circuit opened", StringComparison.Ordinal));

        _server.Script(FakeReply.Json(Answer(intent: "Book", service: "Periodontal therapy")));
        time.Advance(LlmUnderstanding.BreakDuration + TimeSpan.FromSeconds(1));

        var afterBreak = await understanding.UnderstandAsync(Vague, Context, CancellationToken.None);

        Assert.Equal(LlmUnderstanding.MinimumThroughput + 1, _server.Requests.Count);
        Assert.Equal("Periodontal therapy", afterBreak.Service);
    }

    [Fact]
    public async Task UnderstandAsync_EntraIdWithoutKey_SendsTheTokenForTheCognitiveServicesScope()
    {
        // Bearer tokens are only ever sent over TLS, so this one talks to an https fake with a self-signed certificate.
        await using var tls = await FakeOpenAIServer.StartAsync(https: true);
        tls.Script(FakeReply.Json(Answer(intent: "Book", service: "Cleaning")));
        var credential = new FakeTokenCredential("entra-token-1");
        var options = new OpenAIOptions { Endpoint = tls.Endpoint.ToString(), Deployment = Deployment, ApiKey = null, TimeoutMilliseconds = 5000 };
        var understanding = new LlmUnderstanding(ChatClientFactory.Create(options, credential, tls.TrustingTransport()), options, TimeProvider.System, _log);

        var understood = await understanding.UnderstandAsync(Vague, Context, CancellationToken.None);

        Assert.True(understood.Service == "Cleaning", string.Join("\n", _log.Entries));
        Assert.Equal("Bearer entra-token-1", Assert.Single(tls.Requests).Authorization);
        Assert.Equal([ChatClientFactory.EntraScope], credential.Scopes.Distinct());
    }

    [Theory]
    [InlineData("")]
    [InlineData("openai/v1")]
    [InlineData("openai/v1/")]
    public async Task UnderstandAsync_EndpointWithOrWithoutV1Suffix_PostsToTheV1ChatCompletions(string suffix)
    {
        _server.Script(FakeReply.Json(Answer(intent: "Book")));
        var options = Options();
        options.Endpoint = new Uri(_server.Endpoint, suffix).ToString();

        await new LlmUnderstanding(ChatClientFactory.Create(options), options, TimeProvider.System, _log).UnderstandAsync(Vague, Context, CancellationToken.None);

        Assert.Equal("/openai/v1/chat/completions", Assert.Single(_server.Requests).Path);
    }

    private LlmUnderstanding Create(int timeoutMs = 5000, TimeProvider? time = null)
    {
        var options = Options();
        options.TimeoutMilliseconds = timeoutMs;
        return new LlmUnderstanding(ChatClientFactory.Create(options), options, time ?? TimeProvider.System, _log);
    }

    private OpenAIOptions Options() => new() { Endpoint = _server.Endpoint.ToString(), Deployment = Deployment, ApiKey = ApiKey, TimeoutMilliseconds = 5000 };

    private static Dictionary<string, object?> Answer(
        string intent = "None", string answer = "none", string? service = null, string? topic = null, string? date = null, string? time = null,
        string? name = null, string? phone = null, string preference = "None", bool corrects = false, int? choice = null) => new()
    {
        ["intent"] = intent,
        ["answer"] = answer,
        ["service"] = service,
        ["topic"] = topic,
        ["date"] = date,
        ["time"] = time,
        ["name"] = name,
        ["phone"] = phone,
        ["preference"] = preference,
        ["corrects"] = corrects,
        ["choice"] = choice,
    };

    private static string?[] EnumOf(JsonObject properties, string property) =>
        properties[property]!["enum"]!.AsArray().Select(v => (string?)v).ToArray();

    private sealed class StubRules(Understood answer) : IUnderstanding
    {
        public ValueTask<Understood> UnderstandAsync(string utterance, UnderstandingContext context, CancellationToken cancellationToken) =>
            ValueTask.FromResult(answer);
    }

    /// <summary>The SDK may send content as a string or as an array of text parts.</summary>
    private static string ContentText(JsonNode message) => message["content"] switch
    {
        JsonArray parts => string.Concat(parts.Select(p => (string?)p!["text"])),
        var node => (string?)node ?? string.Empty,
    };
}
