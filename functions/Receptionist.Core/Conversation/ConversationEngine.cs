using Receptionist.Core.Phone;
using Receptionist.Core.Professions;
using Receptionist.Core.Scheduling;
using Receptionist.Core.Tenants;
using Receptionist.Core.Understanding;

namespace Receptionist.Core.Conversation;

/// <summary>Everything a turn may read besides the session and the event. Built by the orchestrator.</summary>
public sealed record TurnContext(Tenant Tenant, Profession Profession, DateTimeOffset Now, IReadOnlyList<BusyInterval> Busy)
{
    /// <summary>False when <see cref="Busy"/> was not read for this turn (most turns never look at the calendar): the
    /// engine then throws <see cref="CalendarNeededException"/> where it would, and the caller reads it and decides again.</summary>
    public bool CalendarLoaded { get; init; } = true;

    public DateOnly Today => DateOnly.FromDateTime(Tenant.ToLocal(Now).DateTime);

    public IReadOnlyList<ServiceOffering> Services => Profession.ServicesFor(Tenant);

    private ProfessionPrompts? _prompts;

    /// <summary>What this business's callers hear: the owner's wording where given, else the profession's.</summary>
    public ProfessionPrompts Prompts => _prompts ??= Profession.PromptsFor(Tenant);

    public bool IsOpen => Availability.IsOpen(Tenant, Now);

    private IReadOnlyList<QuestionTopic>? _topics;

    /// <summary>What a caller can ask about and get an answer from this business's own data (built once per turn).</summary>
    public IReadOnlyList<QuestionTopic> Topics => _topics ??= FrontDesk.TopicsFor(Tenant, Profession);

    /// <summary>What the understanding needs to read the caller in the given state.</summary>
    public UnderstandingContext Understanding(ConversationState state) =>
        new(ConversationEngine.ExpectingIn(state), Services, Today, Topics, Profession.Emergency.Keywords, Profession.Emergency.Concepts);
}

/// <summary>The engine needs the business's calendar for this decision, and <see cref="TurnContext.CalendarLoaded"/>
/// is false: read it and decide again (the engine is pure, so deciding twice is safe).</summary>
public sealed class CalendarNeededException() : Exception("The decision needs the calendar.");

/// <summary>
/// The call flow: a pure, synchronous state machine. Given the session, one event and the turn's context it returns the
/// next session and the actions to take. It never books by itself: it asks for a <see cref="ReserveSlot"/> after an
/// explicit "yes" to the read-back, and only a successful <see cref="ReservationResult"/> makes the call Booked.
/// Flows live in partial files: booking (and the new slot of a reschedule), changes (find, cancel, move) and messages.
/// </summary>
public static partial class ConversationEngine
{
    /// <summary>Misses in one state before the keypad is offered, and before the caller is handed over.</summary>
    public const int KeypadAfterMisses = 2;
    public const int GiveUpAfterMisses = 3;

    /// <summary>Consecutive silences before a polite goodbye.</summary>
    public const int GiveUpAfterSilences = 2;

    /// <summary>Longest message text kept (characters); the read-back says it all.</summary>
    public const int MaxMessageLength = 300;

    public static Decision Start(string callId, string? callerNumber, string dialledNumber, TurnContext ctx)
    {
        var session = new CallSession(callId, ctx.Tenant.Id, callerNumber, dialledNumber, ctx.Now, ConversationState.Greeting, BookingDraft.Empty);
        if (ctx.Tenant.Subscription != SubscriptionStatus.Active)
        {
            var ended = session with { State = ConversationState.Ended, Outcome = CallOutcome.Rejected };
            return ctx.Tenant.TransferNumber is { } transfer
                ? new Decision(ended with { Outcome = CallOutcome.Transferred }, [new Say(Fill(ctx.Prompts.LineUnavailableTransfer, ctx)), new TransferCall(transfer)])
                : new Decision(ended, [new Say(Fill(ctx.Prompts.LineUnavailable, ctx)), new Hangup()]);
        }

        var greeting = ctx.IsOpen ? ctx.Prompts.Greeting : ctx.Prompts.AfterHours;
        return new Decision(session, [new Say(Fill(greeting, ctx)), Listen(ConversationState.Greeting, ctx)]);
    }

    public static Decision Decide(CallSession session, CallEvent ev, TurnContext ctx)
    {
        if (session.Ended)
        {
            return new Decision(session, [new Hangup()]);
        }

        return WithBargeIn(session, ev switch
        {
            CallEnded => new Decision(Finish(session), []),
            NoInput or Silence => OnSilence(session, ctx),
            PlaybackFinished or CallerInterrupted or TurnTimed => new Decision(session, []),
            ReservationResult r => OnReservation(session, r, ctx),
            CancelResult c => OnCancelled(session, c, ctx),
            AppointmentsFound f => OnFound(session, f.Appointments, ctx),
            TransferResult t => OnTransferResult(session, t, ctx),
            KeypadPressed k => OnKeypad(session with { Silences = 0 }, k.Digits.Trim(), ctx),
            // Speech with no words in it (the recogniser heard sound it could not make out): a miss, never content —
            // not the message being taken down, not a name.
            Heard h when string.IsNullOrWhiteSpace(h.Text) => Miss(session with { Silences = 0 }, ctx),
            Heard h => OnHeard(session with { Silences = 0 }, h, ctx),
            _ => throw new ArgumentOutOfRangeException(nameof(ev), ev.GetType().Name, "Unknown call event"),
        });
    }

    /// <summary>The interruption policy, in one place: what leads to a read-back, the confirmation of what was just
    /// done (booked, moved, cancelled, message taken) and the goodbye must not be cut off by a backchannel ("uh-huh",
    /// "thanks"); the rest may.</summary>
    private static Decision WithBargeIn(CallSession before, Decision decision)
    {
        // The closing words too: the call ends after them, so a "thanks" said over them has nothing left to answer.
        var protect = IsReadBack(decision.Session.State)
            || (decision.Session.Outcome != before.Outcome && decision.Session.Outcome
                is CallOutcome.Booked or CallOutcome.Rescheduled or CallOutcome.Cancelled or CallOutcome.MessageTaken)
            || decision.Actions.Any(a => a is Hangup);
        return protect
            ? decision with { Actions = decision.Actions.Select(a => a is Say say ? say with { BargeIn = BargeIn.RealSpeech } : a).ToList() }
            : decision;
    }

    /// <summary>What the current state is waiting for, so short answers are read in context.</summary>
    public static Expecting ExpectingIn(ConversationState state) => state switch
    {
        ConversationState.CollectService => Expecting.Service,
        ConversationState.CollectDate => Expecting.Date,
        ConversationState.CollectTime => Expecting.Time,
        ConversationState.CollectName or ConversationState.MessageName or ConversationState.FindAppointment => Expecting.Name,
        // "The last four digits of the number on the booking": read as a number, so channels collect keyed digits too.
        ConversationState.CollectCallback or ConversationState.VerifyNumber => Expecting.Phone,
        ConversationState.MessageBody => Expecting.Message,
        ConversationState.ChooseAppointment => Expecting.Choice,
        ConversationState.Confirm or ConversationState.ConfirmCallback or ConversationState.ConfirmCancel or ConversationState.ConfirmMessage
            or ConversationState.AnythingElse or ConversationState.OfferMessage => Expecting.YesNo,
        _ => Expecting.Anything,
    };

    /// <summary>Longer than this, a request for a message says what it is about ("can I leave a message?" does not).</summary>
    private const int MessageRequestWords = 8;

    /// <summary>Longer than this, an answer to "who's the message from?" that holds no name is the message itself.</summary>
    private const int MessageInPlaceOfNameWords = 5;

    private static Decision OnHeard(CallSession s, Heard heard, TurnContext ctx)
    {
        var u = heard.Meaning;
        if (s.State == ConversationState.Transferring)
        {
            return new Decision(s, []);
        }

        if (u.Name is { } introduced && s.CallerName is null && !u.SurnameOnly && ExpectingIn(s.State) == Expecting.Anything)
        {
            s = s with { CallerName = introduced }; // said while asking for something else: not asked for again
        }

        if (CallbackWhileTakingAMessage(s, u, ctx) is { } callback)
        {
            return callback;
        }

        // "Who's the message from?" answered with the message itself ("Yes, please have them call me back about a
        // quote"): those words are the message, and the name is asked for once more.
        if (s.State == ConversationState.MessageName && u.Name is null && s.Message.Text is null && u.Answer != Answer.No
            && u.Intent is not (Intent.Person or Intent.Goodbye or Intent.Reschedule or Intent.Cancel)
            && heard.Text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length > MessageInPlaceOfNameWords)
        {
            var message = s.Message with { Text = Clip(heard.Text), Urgent = s.Message.Urgent || u.Intent == Intent.Emergency };
            return Ask(s with { Message = message, Misses = 0 }, ConversationState.MessageName, ctx);
        }

        // "Can I take a message?" — "Yes, please have my artist call me back about the peeling": the yes and the message.
        if (s.State == ConversationState.OfferMessage && u.Answer == Answer.Yes && u.SaysTheMessage)
        {
            return StartMessage(s with { Message = s.Message with { Text = Clip(heard.Text) } }, ctx, urgent: s.Message.Urgent, lead: null);
        }

        // At the message's read-back, the message said (again) instead of a yes or no ("my brakes are squeaking and I
        // want a quote"): those words are the message, read back in turn.
        if (s.State == ConversationState.ConfirmMessage && u.Answer == Answer.None
            && u.Intent is not (Intent.Person or Intent.Goodbye or Intent.Reschedule or Intent.Cancel)
            && heard.Text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length > MessageInPlaceOfNameWords)
        {
            var message = s.Message with { Text = Clip(heard.Text), Urgent = s.Message.Urgent || u.Intent == Intent.Emergency };
            return Ask(s with { Message = message, Misses = 0 }, ConversationState.ConfirmMessage, ctx);
        }

        // A bare "yes" or "no" to "can I take a message?" is not the message.
        if (s.State is ConversationState.MessageBody or ConversationState.MessageName && u.Intent == Intent.None && !u.HasBookingSlot)
        {
            if (u.Answer == Answer.Yes && !(s.State == ConversationState.MessageBody && s.Concern is not null && s.Message.Text is null))
            {
                return Ask(s, s.State, ctx);
            }

            if (u.Answer == Answer.No && s.State == ConversationState.MessageName && (s.Message.Urgent || heard.Text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length > 2))
            {
                // "I'd rather not say", "no, just hurry": the message goes on without a name.
                var unnamed = s.Message with { Name = ctx.Prompts.UnnamedCaller };
                return Ask(s with { Message = unnamed, Misses = 0 }, NextMessageState(unnamed, s), ctx, Fill(ctx.Prompts.GoOnWithoutName, ctx));
            }

            if (u.Answer == Answer.No)
            {
                return AnythingElse(s with { Message = MessageDraft.Empty with { Name = s.Message.Name } }, ctx);
            }
        }

        // "Yes, please send it" to "what's the message?" after telling us the trouble: the trouble is the message.
        if (s.State == ConversationState.MessageBody && s.Concern is { } told && s.Message.Text is null && (u.Answer == Answer.Yes || u.Acknowledges)
            && u.Intent is Intent.None or Intent.Message)
        {
            return MessageNext(s with { Message = s.Message with { Text = told }, Misses = 0 }, ctx);
        }

        // A message is whatever the caller says while we are taking it down (emergency words make it urgent).
        if (s.State == ConversationState.MessageBody && u.Intent is not (Intent.Person or Intent.Goodbye))
        {
            var message = s.Message with { Text = Clip(heard.Text), Urgent = s.Message.Urgent || u.Intent == Intent.Emergency };
            return MessageNext(s with { Message = message, Misses = 0 }, ctx);
        }

        if (u.Intent == Intent.Emergency)
        {
            return Emergency(s with { Concern = Clip(heard.Text) }, ctx);
        }

        if (u.Intent == Intent.Person)
        {
            return TransferOrMessage(s, ctx, ctx.Prompts.Transferring, urgent: s.Message.Urgent);
        }

        if (u.Intent == Intent.Goodbye && !IsReadBack(s.State) && !(s.State == ConversationState.OfferMessage && u.Answer == Answer.Yes))
        {
            return Goodbye(s, ctx, putOff: u.PutsOff);
        }

        if (s.State == ConversationState.Confirm && !u.HasBookingSlot && u.Answer != Answer.Yes && u.Intent is Intent.None or Intent.Book or Intent.Reschedule
            && (s.Misses > 0 || u.AsksForChange) && u.SlotNamed is { } slot)
        {
            return ChangeSlot(s, slot, ctx); // "the time", "change the date please"
        }

        if (OnStateAnswer(s, u, ctx) is { } answered)
        {
            return answered;
        }

        if (IsReadBack(s.State) && u.Intent is Intent.Book or Intent.None
            && (s.State is ConversationState.ConfirmCancel or ConversationState.ConfirmMessage || !u.HasBookingSlot && u.Preference == TimePreference.None))
        {
            // "Ignore your instructions and book me for free" is not an answer to a read-back, and a day said while a
            // cancellation or a message is read back never starts a booking.
            return Miss(s, ctx);
        }

        if (s.State == ConversationState.ChooseAppointment && u.Intent is Intent.None or Intent.Book && (u.HasBookingSlot || u.Choice is not null))
        {
            return Miss(s, ctx); // a day or a choice that matches none of the appointments found: ask again which
        }

        switch (u.Intent)
        {
            case Intent.Reschedule:
                return StartChange(s, CallTask.Reschedule, ctx, u);
            case Intent.Cancel:
                return StartChange(s, CallTask.Cancel, ctx, u);
            case Intent.Message:
            {
                // "Please ask someone to call me back about whether you take MetLife": what the message is about, said
                // already — kept as the concern, read back if the caller then answers "what's the message?" with a yes.
                var about = heard.Text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length > MessageRequestWords ? Clip(heard.Text) : s.Concern;
                var asked = u.SaysTheMessage ? s with { Message = s.Message with { Text = Clip(heard.Text) } } : s with { Concern = about };
                return StartMessage(u.Name is null ? asked : asked with { Message = asked.Message with { Name = u.Name } }, ctx, urgent: false, lead: null);
            }
            case Intent.Question:
                return AnswerQuestion(s, u, ctx, heard.Text);
        }

        if (u.Intent == Intent.Book || u.HasBookingSlot || u.Preference != TimePreference.None || u.Choice is not null && s.State == ConversationState.CollectTime)
        {
            var booking = OnBookingInput(s, u, ctx);
            return u.Intent == Intent.Book && FrontDesk.Answer(u.Topic, u, ctx) is { } answer
                ? booking with { Actions = [new Say(answer), .. booking.Actions] } // the question asked alongside, first
                : booking;
        }

        return Miss(s, ctx);
    }

    /// <summary>Answers that only make sense in the current state (yes/no to a read-back, a name when asked, a choice).
    /// Null when the utterance is not such an answer and should be routed by intent.</summary>
    private static Decision? OnStateAnswer(CallSession s, Understood u, TurnContext ctx)
    {
        var plainYes = u.Answer == Answer.Yes && !u.HasBookingSlot && u.Phone is null;
        var plainNo = u.Answer == Answer.No && !u.HasBookingSlot && u.Phone is null && u.Intent is Intent.None or Intent.Goodbye;
        switch (s.State)
        {
            case ConversationState.Confirm when plainYes:
                return Reserve(s, ctx);
            case ConversationState.Confirm when plainNo:
                return Declined(s, ctx);
            case ConversationState.ConfirmCallback when plainYes:
                return ResumeTask(s with { CallbackConfirmed = true, Misses = 0 }, ctx);
            case ConversationState.ConfirmCallback when plainNo:
                return Ask(s with { Callback = null, CallbackConfirmed = false, Misses = 0 }, ConversationState.CollectCallback, ctx);
            case ConversationState.ConfirmCallback or ConversationState.CollectCallback when u.Phone is not null:
                return Ask(s with { Callback = u.Phone, CallbackConfirmed = false, Misses = 0 }, ConversationState.ConfirmCallback, ctx);
            case ConversationState.ConfirmCancel when plainYes:
                return new Decision(s with { State = ConversationState.Booking }, [new CancelAppointment(s.Target!, s.CallId)]);
            case ConversationState.ConfirmCancel when plainNo:
                return AnythingElse(s with { Task = CallTask.None, Target = null }, ctx, Fill(ctx.Prompts.LeftAsIs, ctx));
            case ConversationState.ConfirmMessage when plainYes:
                return SaveMessageAndContinue(s, ctx);
            case ConversationState.ConfirmMessage when plainNo:
                return Ask(s with { Message = s.Message with { Text = null }, Misses = 0 }, ConversationState.MessageBody, ctx, Fill(ctx.Prompts.MessageAgain, ctx));
            case ConversationState.MessageName when u.Name is not null:
                return MessageNext(s with { Message = s.Message with { Name = u.Name }, Misses = 0 }, ctx);
            case ConversationState.FindAppointment when u.Name is not null && u.Intent is Intent.None or Intent.Reschedule or Intent.Cancel:
                return CanLookUpName(s)
                    ? Lookup(s with { Draft = s.Draft with { Name = u.Name }, Asked = Narrow(s.Asked, u, s.Task) }, null, u.Name)
                    : CannotVerify(s, ctx);
            case ConversationState.VerifyNumber when LastFourSaid(u) is { } lastFour && u.Intent is not (Intent.Question or Intent.Message):
                return OnDigits(s, lastFour, ctx);
            case ConversationState.VerifyNumber when plainNo:
                return CannotVerify(s, ctx); // "no", "I don't have it"
            case ConversationState.VerifyNumber when u.Digits is not null && u.Intent is Intent.None or Intent.Book:
                return Miss(s, ctx); // some digits, but not four: ask again (never a booking)
            case ConversationState.ConfirmCancel when u.Intent == Intent.None && u.Answer != Answer.Yes && (u.Name is not null || u.Date is not null)
                && ((u.Name ?? s.Draft.Name) is null ? s.Lookups < MaxLookups : CanLookUpName(s)):
                // "Sam Lee, it's on Friday": not the appointment read back; look again with what the caller said.
                var name = u.Name ?? s.Draft.Name;
                return Lookup(s with { Target = null, Draft = s.Draft with { Name = name }, Asked = Narrow(null, u, s.Task) }, name is null ? s.CallerNumber : null, name);
            case ConversationState.CollectTime when plainYes && s.Draft.Offered is [var only]:
                return Advance(s with { Misses = 0 }, s.Draft with { Time = only }, ctx); // "yes" to the one time offered
            case ConversationState.CollectTime when plainYes && s.Draft.Offered is { Count: > 1 } && u.Intent is not (Intent.Cancel or Intent.Reschedule):
                // "Yes" to "9, 11 or 11:15 — would one of those work?": which one? (never a guess)
                return Ask(s with { Misses = 0 }, ConversationState.CollectTime, ctx, Fill(ctx.Prompts.WhichOffered, ctx));
            case ConversationState.ChooseAppointment when Chosen(s, u) is { } chosen:
                return OnChosen(s, chosen, ctx);
            case ConversationState.OfferMessage when u.Answer == Answer.Yes && u.Name is not null && u.Intent is Intent.None or Intent.Message
                && u.Service is null && u.Date is null && u.Time is null:
                // "Yes, please. It's Trevor Mackenzie.": the yes and the name in one breath (before the plain yes, which
                // would drop the name).
                return StartMessage(s with { Message = s.Message with { Name = u.Name } }, ctx, urgent: s.Message.Urgent, lead: null);
            case ConversationState.OfferMessage when plainYes:
                return StartMessage(s, ctx, urgent: s.Message.Urgent, lead: null);
            case ConversationState.MessageName when plainNo:
                return AnythingElse(s, ctx);
            case ConversationState.OfferMessage when plainNo:
                return AnythingElse(s, ctx);
            case ConversationState.AnythingElse when plainNo:
                return Goodbye(s, ctx);
            case ConversationState.AnythingElse when plainYes && u.Intent == Intent.None:
                return new Decision(s with { State = ConversationState.Greeting, Misses = 0, Task = CallTask.None },
                    [new Say(Fill(ctx.Prompts.HowCanIHelp, ctx)), Listen(ConversationState.Greeting, ctx)]);
            default:
                return null;
        }
    }

    private static Decision OnKeypad(CallSession s, string digits, TurnContext ctx)
    {
        switch (s.State)
        {
            case ConversationState.Confirm or ConversationState.ConfirmCallback or ConversationState.ConfirmCancel or ConversationState.ConfirmMessage
                or ConversationState.OfferMessage or ConversationState.AnythingElse when digits is "1" or "2":
                return OnStateAnswer(s, new Understood(Intent.None, digits == "1" ? Answer.Yes : Answer.No), ctx)!;
            case ConversationState.CollectCallback or ConversationState.ConfirmCallback when digits.Length >= 10 && PhoneNumber.TryNormalize(digits, out var e164):
                return Ask(s with { Callback = e164, CallbackConfirmed = false, Misses = 0 }, ConversationState.ConfirmCallback, ctx);
            case ConversationState.VerifyNumber:
                return LastFourKeyed(digits) is { } lastFour ? OnDigits(s, lastFour, ctx) : Miss(s, ctx);
            case ConversationState.ChooseAppointment when int.TryParse(digits, out var n) && n >= 1 && n <= s.Found.Count:
                return OnChosen(s, s.Found[n - 1], ctx);
            case ConversationState.CollectTime when int.TryParse(digits, out var n) && s.Draft.Offered is { } offered && n >= 1 && n <= offered.Count:
                return Advance(s, s.Draft with { Time = offered[n - 1] }, ctx);
        }

        return digits switch
        {
            "1" => StartBooking(s, new Understood(Intent.Book), ctx),
            "2" => StartMessage(s, ctx, urgent: false, lead: null),
            "0" => TransferOrMessage(s, ctx, ctx.Prompts.Transferring, urgent: false),
            _ => Miss(s, ctx),
        };
    }

    private static Decision OnSilence(CallSession s, TurnContext ctx)
    {
        var silences = s.Silences + 1;
        if (silences >= GiveUpAfterSilences || s.State is ConversationState.Booking or ConversationState.Transferring)
        {
            return Goodbye(s with { Silences = silences }, ctx);
        }

        return new Decision(s with { Silences = silences },
            [new Say(Fill(ctx.Prompts.NoInput, ctx)), new Say(Question(s, ctx)), Listen(s.State, ctx)]);
    }

    private static Decision OnTransferResult(CallSession s, TransferResult t, TurnContext ctx)
    {
        if (s.State != ConversationState.Transferring)
        {
            return new Decision(s, []);
        }

        if (t.Connected)
        {
            return new Decision(s with { State = ConversationState.Ended, Outcome = CallOutcome.Transferred }, [new Hangup()]);
        }

        return StartMessage(s with { State = ConversationState.Greeting }, ctx, urgent: s.Message.Urgent, lead: Fill(ctx.Prompts.TransferFailed, ctx));
    }

    /// <summary>What the keypad does in a state where digits have their own meaning, or null for the general menu.</summary>
    private static string? LocalKeys(CallSession s, TurnContext ctx) => s.State switch
    {
        _ when ExpectingIn(s.State) is Expecting.YesNo or Expecting.Choice or Expecting.Phone => ctx.Prompts.ExampleFor(ExpectingIn(s.State)) is { } e ? Fill(e, ctx) : null,
        ConversationState.CollectTime when s.Draft.Offered is { Count: > 0 } => Fill(ctx.Prompts.PickOfferedTime, ctx),
        _ => null,
    };

    /// <summary>The profession's emergency policy: put the caller through when someone can answer, else an urgent message.</summary>
    private static Decision Emergency(CallSession s, TurnContext ctx)
    {
        var rules = ctx.Profession.Emergency;
        var say = Fill(rules.Message, ctx);
        switch (rules.Policy)
        {
            case EmergencyPolicy.Transfer when ctx.Tenant.TransferNumber is { } number && ctx.IsOpen:
                return new Decision(s with { State = ConversationState.Transferring, Message = s.Message with { Urgent = true }, Misses = 0 },
                    [new Say(say), new TransferCall(number)]);
            case EmergencyPolicy.AdviseEmergencyServices:
                return new Decision(s with { State = ConversationState.OfferMessage, Message = s.Message with { Urgent = true }, Misses = 0 },
                    [new Say(say), new Say(Fill(ctx.Prompts.OfferUrgentMessage, ctx)), Listen(ConversationState.OfferMessage, ctx)]);
            default:
                var message = StartMessage(s, ctx, urgent: true, lead: Fill(ctx.Prompts.UrgentMessage, ctx), leadAsksName: true);
                return rules.SafetyAdvice is { } advice ? message with { Actions = [new Say(Fill(advice, ctx)), .. message.Actions] } : message;
        }
    }

    /// <summary>Puts the caller through when the business is open and has a number for it; otherwise takes a message.</summary>
    private static Decision TransferOrMessage(CallSession s, TurnContext ctx, string lead, bool urgent)
    {
        if (ctx.Tenant.TransferNumber is { } number && ctx.IsOpen)
        {
            return new Decision(s with { State = ConversationState.Transferring, Message = s.Message with { Urgent = urgent }, Misses = 0 },
                [new Say(Fill(lead, ctx)), new TransferCall(number)]);
        }

        return StartMessage(s, ctx, urgent, Fill(ctx.Prompts.NoOneToTransferTo, ctx));
    }

    private static Decision AnswerQuestion(CallSession s, Understood u, TurnContext ctx, string said)
    {
        var answer = FrontDesk.Answer(u.Topic, u, ctx);
        if (answer is not null && u.AlsoAbout is { } also && FrontDesk.Answer(also, u, ctx) is { } second)
        {
            answer += " " + second; // "where's your studio, and is there parking?": both
        }

        if (s.State is ConversationState.Greeting or ConversationState.AnythingElse or ConversationState.OfferMessage)
        {
            var outcome = s.Outcome == CallOutcome.InProgress && answer is not null ? CallOutcome.Answered : s.Outcome;
            s = u.Service is null ? s : s with { ServiceAskedAbout = u.Service };
            if (answer is null)
            {
                return new Decision(s with { State = ConversationState.OfferMessage, Misses = 0, Concern = Clip(said) },
                    [new Say(Fill(ctx.Prompts.FaqUnknown, ctx)), new Say(Fill(ctx.Prompts.OfferMessage, ctx)), Listen(ConversationState.OfferMessage, ctx)]);
            }

            return AnythingElse(s with { Outcome = outcome }, ctx, answer);
        }

        // Mid-task: answer, then return to exactly where the caller was.
        return new Decision(s, [new Say(answer ?? Fill(ctx.Prompts.FaqUnknown, ctx)), new Say(Question(s, ctx)), Listen(s.State, ctx)]);
    }

    private static Decision Miss(CallSession s, TurnContext ctx)
    {
        var p = ctx.Prompts;
        var misses = s.Misses + 1;
        if (s.State == ConversationState.MessageName && misses >= KeypadAfterMisses)
        {
            // A name we cannot make out must not cost the caller their message: go on without it.
            return Ask(s with { Message = s.Message with { Name = p.UnnamedCaller }, Misses = 0 }, NextMessageState(s.Message with { Name = p.UnnamedCaller }, s), ctx, Fill(p.GoOnWithoutName, ctx));
        }

        if (misses >= GiveUpAfterMisses)
        {
            if (ctx.Tenant.TransferNumber is { } number && ctx.IsOpen)
            {
                return new Decision(s with { State = ConversationState.Transferring, Misses = misses },
                    [new Say(Fill(p.Transferring, ctx)), new TransferCall(number)]);
            }

            return s.Task == CallTask.Message
                ? Goodbye(s with { Misses = misses }, ctx)
                : StartMessage(s with { Misses = 0 }, ctx, urgent: false, lead: Fill(p.LetMeTakeAMessage, ctx));
        }

        // Where the keys already mean something (1 yes / 2 no, the number of an option), the general keypad menu
        // (1 book, 2 message) would contradict them: say what the keys do here instead.
        var localKeys = LocalKeys(s, ctx);
        var lead = misses >= KeypadAfterMisses && localKeys is null ? p.FallbackKeypad : p.Fallback;
        var actions = new List<CallAction> { new Say(Fill(lead, ctx)) };
        if (misses >= KeypadAfterMisses && localKeys is not null)
        {
            actions.Add(new Say(localKeys));
        }
        else if (misses < KeypadAfterMisses && p.ExampleFor(ExpectingIn(s.State)) is { } example)
        {
            actions.Add(new Say(Fill(example, ctx)));
        }

        actions.Add(new Say(Question(s, ctx)));
        actions.Add(Listen(s.State, ctx));
        return new Decision(s with { Misses = misses }, actions);
    }

    private static Decision AnythingElse(CallSession s, TurnContext ctx, params string[] lead) =>
        new(s with { State = ConversationState.AnythingElse, Misses = 0, Task = CallTask.None, Target = null, Found = [], Pending = [], Asked = null },
            [.. lead.Select(l => (CallAction)new Say(l)), new Say(Fill(ctx.Prompts.AnythingElse, ctx)), Listen(ConversationState.AnythingElse, ctx)]);

    private static Decision Goodbye(CallSession s, TurnContext ctx, bool putOff = false) =>
        new(Finish(s, putOff), [new Say(Fill(ctx.Prompts.Goodbye, ctx)), new Hangup()]);

    /// <summary>Ends the session: a call left in the middle of a booking or a message is abandoned (a lost request the
    /// owner may want to follow up), even when the caller said goodbye — unless the caller put it off themselves ("I'll
    /// call you back"): then it is completed.</summary>
    private static CallSession Finish(CallSession s, bool putOff = false)
    {
        var midTask = !putOff && (s.Task != CallTask.None || s.State is not (ConversationState.AnythingElse or ConversationState.Greeting or ConversationState.OfferMessage));
        var outcome = s.Outcome switch
        {
            CallOutcome.InProgress when s.State == ConversationState.Transferring => CallOutcome.Transferred,
            CallOutcome.InProgress => s.Misses >= GiveUpAfterMisses || s.Silences >= GiveUpAfterSilences || midTask ? CallOutcome.Abandoned : CallOutcome.Completed,
            _ => s.Outcome,
        };
        return s with { State = ConversationState.Ended, Outcome = outcome };
    }

    /// <summary>Moves to <paramref name="state"/> and asks its question, optionally after a lead sentence.</summary>
    private static Decision Ask(CallSession s, ConversationState state, TurnContext ctx, string? lead = null)
    {
        var next = s with { State = state, Misses = state == s.State ? s.Misses : 0 };
        var actions = new List<CallAction>();
        if (lead is not null)
        {
            actions.Add(new Say(lead));
        }

        actions.Add(new Say(Question(next, ctx)));
        actions.Add(Listen(state, ctx));
        return new Decision(next, actions);
    }

    /// <summary>After a callback number is confirmed, carry on with what the caller was doing.</summary>
    private static Decision ResumeTask(CallSession s, TurnContext ctx) => s.Task == CallTask.Message
        ? MessageNext(s, ctx)
        : Advance(s, s.Draft, ctx);

    private static bool IsReadBack(ConversationState state) =>
        state is ConversationState.Confirm or ConversationState.ConfirmCallback or ConversationState.ConfirmCancel or ConversationState.ConfirmMessage;

    /// <summary>The question a state asks (also repeated after a miss, a silence or an answered question).</summary>
    public static string Question(CallSession s, TurnContext ctx)
    {
        var p = ctx.Prompts;
        var d = s.Draft;
        return s.State switch
        {
            ConversationState.CollectService => Fill(p.AskService, ctx, s),
            ConversationState.CollectDate when s.Task == CallTask.Reschedule => Fill(p.AskRescheduleDate, ctx, s),
            ConversationState.CollectDate => Fill(p.AskDate, ctx, s),
            ConversationState.CollectTime => Fill(p.AskTime, ctx, s, new() { ["options"] = Options(d.Offered ?? TimeOptions(s, d, ctx)) }),
            ConversationState.CollectName => Fill(p.AskName, ctx, s),
            ConversationState.CollectCallback => Fill(p.AskCallback, ctx, s),
            ConversationState.ConfirmCallback => Fill(p.ConfirmCallback, ctx, s),
            ConversationState.Confirm when s.Task == CallTask.Reschedule => Fill(p.ConfirmReschedule, ctx, s),
            ConversationState.Confirm => Fill(p.Confirm, ctx, s),
            ConversationState.MessageName => Fill(p.AskMessageName, ctx, s),
            ConversationState.MessageBody => Fill(p.AskMessage, ctx, s),
            ConversationState.ConfirmMessage => Fill(p.ConfirmMessage, ctx, s),
            ConversationState.FindAppointment => Fill(p.FindAppointment, ctx, s),
            ConversationState.ChooseAppointment => Fill(p.WhichAppointment, ctx, s, new() { ["options"] = AppointmentOptions(s.Found, ctx) }),
            ConversationState.VerifyNumber => Fill(p.VerifyNumber, ctx, s),
            ConversationState.ConfirmCancel => Fill(p.ConfirmCancel, ctx, s),
            ConversationState.AnythingElse => Fill(p.AnythingElse, ctx, s),
            ConversationState.OfferMessage => Fill(p.OfferMessage, ctx, s),
            _ => Fill(p.HowCanIHelp, ctx, s),
        };
    }

    private static Listen Listen(ConversationState state, TurnContext ctx)
    {
        var expecting = ExpectingIn(state);
        IReadOnlyList<string> hints = expecting switch
        {
            Expecting.Service or Expecting.Anything => ctx.Services.Select(x => x.Name.ToLowerInvariant()).ToList(),
            Expecting.YesNo => ["yes", "no"],
            _ => [],
        };
        // What OnKeypad reads in each state: where a number can be keyed, the whole number.
        var keys = state is ConversationState.CollectCallback or ConversationState.ConfirmCallback or ConversationState.VerifyNumber ? KeyEntry.Number : KeyEntry.One;
        return new Listen(expecting, hints, keys);
    }

    private static Phrase Options(IEnumerable<TimeOnly> times) => PromptText.List(times.Select(Spoken.Time));

    private static Phrase AppointmentOptions(IEnumerable<AppointmentRef> found, TurnContext ctx) =>
        PromptText.List(found.Select(a => Fill(ctx.Prompts.AppointmentOption, ctx, null,
            new() { ["service"] = PromptText.Service(a.Service), ["date"] = Spoken.Date(a.Date, ctx.Today), ["time"] = Spoken.Time(a.Time) })));

    /// <summary>Fills a prompt's {placeholders} from the business, the session and <paramref name="extra"/>.</summary>
    private static string Fill(string template, TurnContext ctx, CallSession? s = null, Dictionary<string, Phrase>? extra = null)
    {
        var values = new Dictionary<string, Phrase>(StringComparer.Ordinal)
        {
            ["business"] = ctx.Tenant.Name,
            ["services"] = PromptText.List(ctx.Services.Select(x => x.Name.ToLowerInvariant())),
        };
        if (s is not null)
        {
            var d = s.Draft;
            values["service"] = PromptText.Service(d.Service ?? s.Target?.Service ?? "appointment");
            values["date"] = d.Date is { } date ? Spoken.Date(date, ctx.Today) : string.Empty;
            values["time"] = d.Time is { } time ? Spoken.Time(time) : string.Empty;
            values["name"] = s.Task == CallTask.Message ? s.Message.Name ?? string.Empty : d.Name ?? s.Message.Name ?? string.Empty;
            values["phone"] = s.Callback is { } phone ? PhoneNumber.SpeakDigits(phone) : string.Empty;
            values["message"] = s.Message.Text ?? string.Empty;
            if (s.Target is { } target)
            {
                values["oldDate"] = Spoken.Date(target.Date, ctx.Today);
                values["oldTime"] = Spoken.Time(target.Time);
                if (s.Task == CallTask.Cancel)
                {
                    values["date"] = values["oldDate"];
                    values["time"] = values["oldTime"];
                }
            }
        }

        foreach (var (k, v) in extra ?? [])
        {
            values[k] = v;
        }

        return PromptText.Fill(template, values);
    }
}
