using System.ClientModel;
using Microsoft.Extensions.Logging;
using OpenAI.Chat;
using Polly;
using Polly.CircuitBreaker;
using Receptionist.Core.Understanding;

namespace Receptionist.Cloud.Llm;

/// <summary>
/// Rules first, the model only when the rules are unsure. The model extracts intent and slots and picks a known
/// question topic; it never chooses the next step. Whatever goes wrong with it (timeout, throttling, server errors,
/// malformed output, refusals, content filters, an open circuit) the rules' reading is returned: this never throws.
/// </summary>
public sealed class LlmUnderstanding : IUnderstanding
{
    /// <summary>The breaker opens when at least half of at least this many calls in <see cref="SamplingDuration"/> failed.</summary>
    public const int MinimumThroughput = 5;

    public const double FailureRatio = 0.5;

    public static readonly TimeSpan SamplingDuration = TimeSpan.FromSeconds(30);

    public static readonly TimeSpan BreakDuration = TimeSpan.FromSeconds(30);

    private const int MaxOutputTokens = 300;

    private readonly ChatClient _client;
    private readonly IUnderstanding _rules;
    private readonly TimeProvider _time;
    private readonly TimeSpan _timeout;
    private readonly ILogger<LlmUnderstanding> _logger;
    private readonly ResiliencePipeline<ChatCompletion> _pipeline;

    public LlmUnderstanding(ChatClient client, OpenAIOptions options, TimeProvider time, ILogger<LlmUnderstanding> logger, IUnderstanding? rules = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _client = client ?? throw new ArgumentNullException(nameof(client));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _rules = rules ?? new RuleUnderstanding();
        _timeout = options.Timeout;
        _pipeline = new ResiliencePipelineBuilder<ChatCompletion> { TimeProvider = time }
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<ChatCompletion>
            {
                FailureRatio = FailureRatio,
                MinimumThroughput = MinimumThroughput,
                SamplingDuration = SamplingDuration,
                BreakDuration = BreakDuration,
                // Every failed call counts (timeouts, 429, 5xx, auth, network); a caller hanging up does not.
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is not null and not OperationCanceledException),
                OnOpened = args =>
                {
                    _logger.LogWarning("LLM understanding: circuit opened for {BreakSeconds} s after repeated failures; the rules answer alone", args.BreakDuration.TotalSeconds);
                    return ValueTask.CompletedTask;
                },
                OnClosed = _ =>
                {
                    _logger.LogInformation("LLM understanding: circuit closed; the model assists again");
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
    }

    public async ValueTask<Understood> UnderstandAsync(string utterance, UnderstandingContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var rules = await _rules.UnderstandAsync(utterance, context, cancellationToken);
        if (IsSure(rules, context) || string.IsNullOrWhiteSpace(utterance) || context.Expecting == Expecting.Message)
        {
            return rules;
        }

        var completion = await CompleteAsync(utterance, context, cancellationToken);
        if (completion is null)
        {
            return rules;
        }

        // Spent whether or not the answer is used below.
        var tokens = completion.Usage is { } usage ? new LlmTokens(usage.InputTokenCount, usage.OutputTokenCount) : null;
        rules = rules with { Tokens = tokens };

        if (!string.IsNullOrEmpty(completion.Refusal))
        {
            _logger.LogWarning("LLM understanding: the model refused; using the rules");
            CloudTelemetry.LlmFallback(CloudTelemetry.LlmReasons.Refused);
            return rules;
        }

        if (completion.FinishReason != ChatFinishReason.Stop)
        {
            _logger.LogWarning("LLM understanding: finish reason {FinishReason}; using the rules", completion.FinishReason);
            CloudTelemetry.LlmFallback(CloudTelemetry.LlmReasons.Incomplete);
            return rules;
        }

        var json = completion.Content.Count > 0 ? completion.Content[0].Text : null;
        if (!ModelAnswer.TryRead(json, context, out var model))
        {
            _logger.LogWarning("LLM understanding: the model's answer is not the expected JSON; using the rules");
            CloudTelemetry.LlmFallback(CloudTelemetry.LlmReasons.Malformed);
            return rules;
        }

        return ModelAnswer.Merge(rules, model) with { Tokens = tokens };
    }

    /// <summary>Sure: the rules found an intent (for a question: also its topic, when the business has topics), or
    /// filled the slot the current state asks for, or heard yes/no where yes/no is asked.</summary>
    public static bool IsSure(Understood rules, UnderstandingContext context)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(context);
        if (rules.Intent == Intent.Question)
        {
            return rules.Topic is not null || context.Topics.Count == 0;
        }

        if (rules.Intent != Intent.None)
        {
            return true;
        }

        return context.Expecting switch
        {
            Expecting.Service => rules.Service is not null,
            Expecting.Date => rules.Date is not null,
            Expecting.Time => rules.Time is not null || rules.Preference != TimePreference.None,
            Expecting.Name => rules.Name is not null,
            Expecting.Phone => rules.Phone is not null,
            Expecting.YesNo => rules.Answer != Answer.None,
            Expecting.Choice => rules.Choice is not null,
            _ => false,
        };
    }

    /// <summary>One chat completion through the breaker, or null when it failed (already logged).</summary>
    private async Task<ChatCompletion?> CompleteAsync(string utterance, UnderstandingContext context, CancellationToken cancellationToken)
    {
        List<ChatMessage> messages =
        [
            new SystemChatMessage(UnderstandingPrompt.SystemMessage(context)),
            new UserChatMessage(utterance),
        ];
        var options = new ChatCompletionOptions
        {
            ResponseFormat = ChatResponseFormat.CreateJsonSchemaFormat(
                jsonSchemaFormatName: UnderstandingPrompt.SchemaName,
                jsonSchema: BinaryData.FromString(UnderstandingPrompt.Schema(context).ToJsonString()),
                jsonSchemaIsStrict: true),
            MaxOutputTokenCount = MaxOutputTokens,
        };

        try
        {
            return await _pipeline.ExecuteAsync(
                static async (state, token) => await state.Self.SendAsync(state.Messages, state.Options, token),
                (Self: this, Messages: messages, Options: options),
                cancellationToken);
        }
        catch (BrokenCircuitException)
        {
            _logger.LogDebug("LLM understanding: circuit open; the rules answer");
            CloudTelemetry.LlmFallback(CloudTelemetry.LlmReasons.CircuitOpen);
        }
        catch (TimeoutException)
        {
            _logger.LogWarning("LLM understanding: no answer within {TimeoutMs} ms; using the rules", _timeout.TotalMilliseconds);
            CloudTelemetry.LlmFallback(CloudTelemetry.LlmReasons.Timeout);
        }
        catch (ClientResultException ex)
        {
            // The status only: error bodies may quote the request.
            _logger.LogWarning("LLM understanding: HTTP {Status} from the model endpoint; using the rules", ex.Status);
            CloudTelemetry.LlmFallback(ex.Status == 0 ? CloudTelemetry.LlmReasons.Unreachable : CloudTelemetry.LlmReasons.HttpError);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            _logger.LogDebug("LLM understanding: the turn was cancelled; the rules answer");
        }
        catch (Exception ex)
        {
            _logger.LogWarning("LLM understanding: {Error} calling the model endpoint; using the rules", ex.GetType().Name);
            CloudTelemetry.LlmFallback(CloudTelemetry.LlmReasons.Error);
        }

        return null;
    }

    private async ValueTask<ChatCompletion> SendAsync(List<ChatMessage> messages, ChatCompletionOptions options, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(_timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            ClientResult<ChatCompletion> result = await _client.CompleteChatAsync(messages, options, linked.Token);
            return result.Value;
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"No answer within {_timeout.TotalMilliseconds} ms.");
        }
    }
}
