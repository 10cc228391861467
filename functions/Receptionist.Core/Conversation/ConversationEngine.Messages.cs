using Receptionist.Core.Understanding;

namespace Receptionist.Core.Conversation;

/// <summary>Taking a message: who it is from, a callback number (caller ID, or said and read back), the message, a
/// read-back, then it is stored and the owner's alert started.</summary>
public static partial class ConversationEngine
{
    /// <param name="leadAsksName">The lead already asks who the message is from (the urgentMessage prompt does).</param>
    private static Decision StartMessage(CallSession s, TurnContext ctx, bool urgent, string? lead, bool leadAsksName = false)
    {
        var name = s.Message.Name ?? s.Draft.Name ?? s.Target?.Name ?? s.CallerName;
        // (A message said with the request — "please have them call me back about the quote" — is kept.)
        var next = s with { Task = CallTask.Message, Message = new MessageDraft(name, s.Message.Text, urgent || s.Message.Urgent), Misses = 0 };
        if (lead is not null && leadAsksName && name is null)
        {
            return new Decision(next with { State = ConversationState.MessageName }, [new Say(lead), Listen(ConversationState.MessageName, ctx)]);
        }

        var decision = MessageNext(next, ctx);
        return lead is null ? decision : decision with { Actions = [new Say(leadAsksName ? Fill(ctx.Prompts.MarkedUrgent, ctx) : lead), .. decision.Actions] };
    }

    /// <summary>While a message is taken, where to call back said instead of what was asked: "yes, this number" (the
    /// caller ID), or at the read-back another number ("please call me on my work line instead: 555 867 5309"). The
    /// number is kept and what was asked is asked again — at the read-back, the message with the new number — never
    /// taken as the message or its sender.</summary>
    private static Decision? CallbackWhileTakingAMessage(CallSession s, Understood u, TurnContext ctx)
    {
        if (s.State is not (ConversationState.MessageName or ConversationState.MessageBody or ConversationState.ConfirmMessage)
            || u.Intent is Intent.Person or Intent.Goodbye or Intent.Emergency or Intent.Reschedule or Intent.Cancel)
        {
            return null;
        }

        if (u.Phone is { } other && s.State != ConversationState.MessageBody && u.Name is null)
        {
            return Ask(s with { Callback = other, CallbackConfirmed = true, Misses = 0 }, s.State, ctx);
        }

        if (u.ThisNumber && u.Name is null && !(s.State == ConversationState.ConfirmMessage && u.Answer == Answer.Yes))
        {
            var number = s.CallerNumber ?? s.Callback;
            return Ask(s with { Callback = number, CallbackConfirmed = number is not null, Misses = 0 }, s.State, ctx);
        }

        return null;
    }

    /// <summary>A caller's words as a message: trimmed, at most <see cref="MaxMessageLength"/> characters.</summary>
    private static string Clip(string said)
    {
        var text = said.Trim();
        return text.Length > MaxMessageLength ? text[..MaxMessageLength] : text;
    }

    private static Decision MessageNext(CallSession s, TurnContext ctx) => Ask(s, NextMessageState(s.Message, s), ctx);

    private static ConversationState NextMessageState(MessageDraft m, CallSession s) =>
        m.Name is null ? ConversationState.MessageName
        : s.Callback is null ? ConversationState.CollectCallback
        : !s.CallbackConfirmed ? ConversationState.ConfirmCallback
        : m.Text is null ? ConversationState.MessageBody
        : ConversationState.ConfirmMessage;

    private static Decision SaveMessageAndContinue(CallSession s, TurnContext ctx)
    {
        var m = s.Message;
        var id = $"{s.CallId}-m{s.MessagesTaken + 1}";
        var request = new MessageRequest(s.TenantId, s.CallId, id, m.Name!, s.Callback, m.Text!, m.Urgent);
        var next = s with
        {
            Outcome = s.Outcome is CallOutcome.InProgress or CallOutcome.Answered ? CallOutcome.MessageTaken : s.Outcome,
            MessagesTaken = s.MessagesTaken + 1,
            Message = MessageDraft.Empty with { Name = m.Name },
            Concern = null,
        };
        var decision = AnythingElse(next, ctx, Fill(ctx.Prompts.MessageTaken, ctx, s));
        return decision with { Actions = [new SaveMessage(request), .. decision.Actions] };
    }
}
