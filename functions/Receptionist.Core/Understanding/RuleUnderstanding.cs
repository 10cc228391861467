using Receptionist.Core.Understanding.Classifiers;

namespace Receptionist.Core.Understanding;

/// <summary>
/// The offline understanding: the named classifiers (<see cref="Classifiers"/>) over one <see cref="Lexicon"/>, no
/// network. The default understanding, and the fallback whenever an LLM is unavailable or unsure. This class only
/// composes: each rule lives in its classifier, each word in the lexicon.
/// </summary>
/// <param name="lexicon">The language's words; English by default.</param>
/// <param name="encoder">Sentence meaning, for what no rule foresaw; null: rules only.</param>
public sealed class RuleUnderstanding(Lexicon? lexicon = null, ISentenceEncoder? encoder = null) : IUnderstanding
{
    /// <summary>A question shorter than this is a question, whatever words it brushes ("do you have a sauna?").</summary>
    private const int ShortQuestionWords = 8;

    private readonly Lexicon _lexicon = lexicon ?? Lexicon.English;

    public ValueTask<Understood> UnderstandAsync(string utterance, UnderstandingContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Understand(utterance, context, _lexicon, encoder));

    /// <summary>Loads the sentence model and encodes the lexicon's example sentences now, so the first caller does not
    /// wait for them (seconds on a small machine). Nothing to do without an encoder.</summary>
    public void Warm()
    {
        if (encoder is not null)
        {
            MeaningExamples.Warm(encoder, _lexicon.UrgentExamples.Concat(_lexicon.RoutineExamples));
        }
    }

    /// <summary>Understands with the English lexicon and rules only.</summary>
    public static Understood Understand(string utterance, UnderstandingContext context) => Understand(utterance, context, Lexicon.English);

    public static Understood Understand(string utterance, UnderstandingContext context, Lexicon lexicon, ISentenceEncoder? encoder = null)
    {
        var u = Utterance.Read(utterance, lexicon);
        if (u.IsEmpty)
        {
            return Understood.Nothing;
        }

        var expecting = context.Expecting;
        // Danger by meaning only where the caller speaks freely, not asking a question nor for one of the business's
        // services by name ("my cat's been limping, can you see her today" is a sick visit); answers to a question (a
        // name, a time, the message) by the words alone.
        // A call that opens with a short question ("Hi, do you see rabbits? My daughter just got a bunny.") asks too; a
        // "Hello?" before the trouble asks nothing.
        var asksAQuestion = TopicClassifier.IsQuestion(u)
            && (u.Words.Length < ShortQuestionWords || TopicClassifier.Classify(u, context.Topics, dateSaid: false, serviceSaid: false) is not null)
            || u.Sentences() is [var opening, _, ..] && TopicClassifier.IsQuestion(opening) && opening.Words.Length < ShortQuestionWords && !LeaveClassifier.IsGreeting(opening)
            || encoder is not null && TopicClassifier.AsksAboutOwnFact(u, context.Topics, encoder); // "do you see bunnies there, or only cats and dogs?"
        var serviceByWords = ServiceClassifier.Classify(u, context.Services);
        var asksForAService = (u.HasAny(lexicon.Book) || u.HasAny(lexicon.RequestForms)) && serviceByWords is not null;
        var asksForSomeone = IntentClassifier.WantsPerson(u) || u.HasAny(lexicon.StrongMessage);
        // Nor a visit asked for on a later day ("… can you come out Thursday?"): trouble happening now is not put off.
        var asksForALaterDay = DateClassifier.Requested(u, context.Today) is { } day && day > context.Today;
        var byMeaning = expecting is Expecting.Anything or Expecting.YesNo or Expecting.Service && !asksAQuestion && !asksForAService && !asksForSomeone && !asksForALaterDay ? encoder : null;
        if (expecting is Expecting.Anything or Expecting.YesNo && LeaveClassifier.CallsItOff(u))
        {
            return new Understood(Intent.Goodbye) { PutsOff = LeaveClassifier.PutsItOff(u) };
        }

        // "Hi, this is Eitan Shapiro, my key broke off in the lock": who is calling, kept for the message to come.
        string? Introduced() => expecting == Expecting.Anything ? NameClassifier.Classify(u, expecting, correcting: false, requestMade: false, context.Services)?.Name : null;
        if (EmergencyClassifier.Classify(u, context.EmergencyKeywords, byMeaning, context.Services, context.EmergencyConcepts))
        {
            return new Understood(Intent.Emergency, Name: Introduced());
        }

        if (IntentClassifier.WantsPerson(u) && !u.HasAny(lexicon.StrongMessage))
        {
            // ("I'd like to leave a message for the owner" asks for a message, not to be put through.)
            return new Understood(Intent.Person, Name: Introduced());
        }

        if (expecting == Expecting.Message)
        {
            // The caller's words are the message; only a bare yes/no (to "can I take a message?") or a goodbye is not.
            return LeaveClassifier.OnlyLeaves(u) ? new Understood(Intent.Goodbye, AnswerClassifier.Bare(u))
                : new Understood(Intent.None, AnswerClassifier.Bare(u), Phone: PhoneClassifier.Number(u, expecting))
                {
                    Acknowledges = AnswerClassifier.Acknowledges(u), ThisNumber = PhoneClassifier.ThisNumber(u),
                };
        }

        var corrects = CorrectionClassifier.Corrects(u, expecting);
        var read = corrects ? CorrectionClassifier.WithoutNegated(u) : u;
        // "Wednesday… no wait, Thursday, around four", "Friday at 2, wait no, 3": a day or time after the correction
        // wins; what it does not say comes from the rest.
        var tail = corrects ? CorrectionClassifier.AfterLast(read) : null;

        var choice = expecting is Expecting.Choice or Expecting.Time ? ChoiceClassifier.Classify(u) : null;
        var date = expecting == Expecting.Name || choice is not null ? null
            : (tail is null ? null : DateClassifier.Classify(tail, context.Today)) ?? DateClassifier.Requested(read, context.Today);
        // "Actually make it 4" corrects the time even where a time is not what was just asked.
        var time = expecting is Expecting.Name or Expecting.Phone || choice is not null ? null
            : (tail is null ? null : TimeClassifier.Classify(tail, expectingTime: true))
              ?? TimeClassifier.Classify(read, expecting == Expecting.Time || corrects && date is null);
        // By meaning only where a service is wanted: asked for, or requested ("could you …", "I need a …").
        var bookingWords = u.HasAny(lexicon.Book) || u.HasAny(lexicon.RequestForms);
        // A day or a time said with no question about a known topic asks for a visit too ("the wheels need lining up.
        // Do you have Thursday at 11?") — looked for only when nothing else already says a service is wanted.
        var wanted = expecting == Expecting.Service || expecting == Expecting.Anything && (bookingWords
            || (date is not null || time is not null) && TopicClassifier.Classify(u, context.Topics, date is not null, serviceSaid: false) is null);
        var service = wanted && encoder is not null ? ServiceClassifier.Classify(u, context.Services, encoder) : serviceByWords;
        var preference = time is null && (expecting != Expecting.Name || corrects) ? TimeClassifier.Preference(u, date is not null) : TimePreference.None;
        var requestMade = service is not null || date is not null || time is not null;
        // "Dolores Fitzgerald-Ruiz. Actually just put Dolores Ruiz.": a whole name said again after a correction wins.
        var nameAgain = expecting == Expecting.Name && tail is not null ? NameClassifier.Classify(tail, expecting, correcting: true, requestMade: false, context.Services) : null;
        var name = nameAgain is { SurnameOnly: false } && nameAgain.Name.Contains(' ', StringComparison.Ordinal) ? nameAgain
            : NameClassifier.Classify(u, expecting, corrects, requestMade, context.Services);
        var answer = AnswerClassifier.Classify(u);
        var topic = TopicClassifier.Classify(u, context.Topics, date is not null, service is not null);
        if (encoder is not null && expecting is Expecting.Anything or Expecting.YesNo && u.Sentences().Any(TopicClassifier.IsQuestion))
        {
            topic = TopicClassifier.ByMeaning(u, context.Topics, encoder, topic, service is not null, date is not null);
        }
        var explicitName = name is not null && u.HasAny(lexicon.ExplicitNamePrefixes.Concat(lexicon.SurnamePrefixes));
        var intent = IntentClassifier.Classify(u, new IntentClassifier.Signals(
            service, date, time, name?.Name, explicitName, topic, TopicClassifier.IsQuestion(u) || u.Sentences().Any(TopicClassifier.IsQuestion), u.HasAny(lexicon.Book), answer, preference, u.HasAny(lexicon.RequestForms)), context);

        if (intent == Intent.Message && !explicitName)
        {
            // "A message for Jen": Jen is who it is for, not who it is from — but "it's Autumn Hill, can I leave a
            // message for Maria?" says who is calling before the request.
            // Asked who it is from, "Okay, I'll leave a message then. I'm Bianca Ferreira." says it after the request.
            name = MessageClassifier.BeforeTheRequest(u) is { } before
                ? NameClassifier.Classify(before, Expecting.Anything, correcting: false, requestMade: false, context.Services)
                : expecting == Expecting.Name && MessageClassifier.AfterTheRequest(u) is { } after
                    ? NameClassifier.Classify(after, Expecting.Name, correcting: false, requestMade: false, context.Services) : null;
            // "Can I leave a message for my artist? Tell them Cody Marsh is running late": who is calling, in the message.
            name ??= MessageClassifier.SenderNamedInside(u, context.Services) is { } sender ? new NameSaid(sender, Whole: true, SurnameOnly: false) : null;
        }

        var saysTheMessage = intent == Intent.Message && MessageClassifier.SaysWhatAbout(u, context.Services);

        if (intent == Intent.Question)
        {
            // "Are you open Saturday?" names a day to answer about, not one to book; a question fills no booking slot.
            // Who is asking ("Hi, this is Hana Kobayashi, do you take …") is kept.
            var two = TopicClassifier.TwoAsked(u, context, encoder);
            return new Understood(Intent.Question, Service: service, Date: date, Topic: two?.First ?? topic, Name: name?.Name) { AlsoAbout = two?.Second };
        }

        // "How much is an oil change? And can I get one Sunday?": a question asked in a sentence of its own is answered too.
        var alsoAsked = intent == Intent.Book ? TopicClassifier.AskedAlongside(u, context, encoder) : null;
        return new Understood(
            intent, answer, service, date, time, name?.Name, PhoneClassifier.Number(u, expecting), preference, alsoAsked,
            Corrects: corrects && (date is not null || time is not null || name is not null),
            Choice: choice,
            WholeName: name?.Whole ?? false,
            Digits: expecting == Expecting.Phone ? PhoneClassifier.Digits(u) : null,
            SurnameOnly: name?.SurnameOnly ?? false,
            Move: intent == Intent.Reschedule ? ChangeClassifier.Move(u, context.Today) : null,
            SlotNamed: ChangeClassifier.SlotNamed(u),
            AsksForChange: ChangeClassifier.AsksForChange(u),
            KeepsTime: time is null && ChangeClassifier.KeepsTime(u))
        {
            SaysTheMessage = saysTheMessage,
            ThisNumber = PhoneClassifier.ThisNumber(u),
            PutsOff = intent == Intent.Goodbye && LeaveClassifier.PutsItOff(u),
        };
    }
}
