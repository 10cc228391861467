using System.ClientModel;
using System.Text;
using Microsoft.Extensions.Logging;
using OpenAI.Chat;
using Receptionist.Core.Reporting;
using Receptionist.Core.Storage;
using Receptionist.Core.Tenants;
using Receptionist.Core.Understanding;

namespace Receptionist.Cloud.Llm;

/// <summary>Writes the owner's summary of a call. The rules' summary is always the starting point and the fallback.</summary>
public interface ICallSummaryWriter
{
    /// <returns>The summary to store, and the LLM tokens spent on it (null: none).</returns>
    Task<(CallSummary Summary, LlmTokens? Tokens)> WriteAsync(CallSummary rules, IReadOnlyList<CallTurn> history, Tenant tenant, DateTimeOffset callStarted,
        CancellationToken cancellationToken);
}

/// <summary>No LLM configured: the rules' summary as it is.</summary>
public sealed class RulesSummaryWriter : ICallSummaryWriter
{
    public Task<(CallSummary Summary, LlmTokens? Tokens)> WriteAsync(CallSummary rules, IReadOnlyList<CallTurn> history, Tenant tenant, DateTimeOffset callStarted,
        CancellationToken cancellationToken) => Task.FromResult<(CallSummary, LlmTokens?)>((rules, null));
}

/// <summary>
/// An LLM-written summary (two sentences at most, for the owner), given the transcript and the facts the rules found.
/// It replaces the rules' text only if <see cref="SummaryGuard"/> finds nothing in it the call did not do (a time, a
/// day, a booking); the structured facts (appointments, message, questions) stay the rules' own. A timeout, an error
/// or a refused text keeps the rules' summary. After the call there is time: the budget is seconds, not a turn's.
/// </summary>
public sealed class LlmSummaryWriter(ChatClient client, TimeSpan timeout, TimeProvider time, ILogger<LlmSummaryWriter> logger) : ICallSummaryWriter
{
    public const string Source = "llm";

    /// <summary>How long the model may take: after the call nobody waits on the line, but a report should not hang.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);
    private const int MaxOutputTokens = 160;
    private const int MaxTranscriptCharacters = 6000;

    public async Task<(CallSummary Summary, LlmTokens? Tokens)> WriteAsync(CallSummary rules, IReadOnlyList<CallTurn> history, Tenant tenant, DateTimeOffset callStarted,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(tenant);
        List<ChatMessage> messages =
        [
            new SystemChatMessage(
                $"You write the summary of one phone call to {tenant.Name} for its owner, who reads it on a phone. At most two short sentences, plain text. "
                + "State only what the transcript and the facts show; never add a day, a time or a booking that is not in the facts. "
                + "Say who called (the name they gave), what they wanted and how it ended."),
            new UserChatMessage($"Facts (from the booking system): {rules.Text}\n\nTranscript:\n{Transcript(history)}"),
        ];
        using var budget = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, budget.Token);
        try
        {
            ClientResult<ChatCompletion> result = await client.CompleteChatAsync(messages, new ChatCompletionOptions { MaxOutputTokenCount = MaxOutputTokens }, linked.Token);
            var completion = result.Value;
            var tokens = completion.Usage is { } usage ? new LlmTokens(usage.InputTokenCount, usage.OutputTokenCount) : null;
            var text = string.Concat(completion.Content.Select(c => c.Text)).Trim();
            if (completion.FinishReason != ChatFinishReason.Stop || !SummaryGuard.MayReplace(text, rules, tenant, callStarted))
            {
                logger.LogInformation("LLM summary not used ({Reason}); the rules' summary stands",
                    completion.FinishReason != ChatFinishReason.Stop ? "unfinished" : "it states what the call did not do");
                return (rules, tokens);
            }

            return (rules with { Text = text, Source = Source }, tokens);
        }
        catch (OperationCanceledException) when (budget.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("LLM summary: no answer within {Seconds} s; the rules' summary stands", timeout.TotalSeconds);
        }
        catch (ClientResultException ex)
        {
            logger.LogWarning("LLM summary: HTTP {Status} from the model endpoint; the rules' summary stands", ex.Status);
        }
        catch (HttpRequestException ex)
        {
            logger.LogWarning("LLM summary: {Error} reaching the model endpoint; the rules' summary stands", ex.GetType().Name);
        }

        return (rules, null);
    }

    /// <summary>What was said, oldest first, cut from the front if long (the end says how the call went).</summary>
    private static string Transcript(IReadOnlyList<CallTurn> history)
    {
        var text = new StringBuilder();
        foreach (var turn in history.Where(h => h.Speaker is "caller" or "agent"))
        {
            text.Append(turn.Speaker == "caller" ? "Caller: " : "Receptionist: ").AppendLine(turn.Text);
        }

        return text.Length <= MaxTranscriptCharacters ? text.ToString() : text.ToString(text.Length - MaxTranscriptCharacters, MaxTranscriptCharacters);
    }
}
