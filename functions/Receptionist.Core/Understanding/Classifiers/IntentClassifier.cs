namespace Receptionist.Core.Understanding.Classifiers;

/// <summary>
/// What the caller wants, from their words and what the other classifiers found in them (<see cref="Signals"/>): move,
/// cancel, message, question, a person, book, goodbye — in that order of precedence, because each earlier one is the
/// more specific reading of words that also fit a later one ("change my appointment" also says "appointment").
/// </summary>
public static class IntentClassifier
{
    /// <summary>Asking for a person now (not to be called back, not a booking "for someone").</summary>
    /// A caller putting it off to talk to their own people ("I'll talk to my husband and call back") wants no one here.
    public static bool WantsPerson(Utterance u) =>
        u.HasAny(u.Lexicon.Person) && !WantsCallback(u) && !u.Has(u.Lexicon.ForSomeone) && !LeaveClassifier.PutsItOff(u);

    /// <summary>"I booked a blowout for Friday at five, but can we do Saturday at noon instead?": the caller's own
    /// appointment, then a lead ("can we do", "could we make it") to another day or time.</summary>
    private static bool OffersAnotherSlot(Utterance u)
    {
        var lex = u.Lexicon;
        var padded = " " + u.Text + " ";
        int First(IEnumerable<string> phrases) =>
            phrases.Select(p => padded.IndexOf(" " + p + " ", StringComparison.Ordinal)).Where(i => i >= 0).DefaultIfEmpty(int.MaxValue).Min();
        var own = First(lex.HaveAppointment.Concat(lex.OwnAppointment));
        var lead = First(lex.MoveLeads);
        return own < lead && lead != int.MaxValue
            && u.Part(padded[(lead + 1)..].Trim()) is var after && (TimeClassifier.Classify(after, expectingTime: true) is not null || after.Lexicon.Weekdays.Keys.Any(after.Has));
    }

    /// <summary>"Cancel", or calling it off in other words ("call it off", "take me off the books", "you can scratch it").</summary>
    public static bool SaysCancel(Utterance u) => u.HasAny(u.Lexicon.Cancel) || u.Lexicon.Pattern(u.Lexicon.CancelPattern).IsMatch(u.Text);

    public static bool WantsCallback(Utterance u) => u.HasAny(u.Lexicon.CallbackRequests) && !u.HasAny(u.Lexicon.SelfCallback);

    public static Intent Classify(Utterance u, Signals s, UnderstandingContext context)
    {
        var lex = u.Lexicon;
        var expecting = context.Expecting;
        // "I want to get my wife a gift card for Christmas", "do you take walk-ins today?": a day said only with one of
        // the business's facts is what the fact is about, not a day to come in.
        var slotSaid = s.Date is not null && !(s.Time is null && DayOfAFact(u, context)) || s.Time is not null;
        var ownAppointment = s.Service is not null || u.HasAny(lex.AppointmentWords) || u.HasAny(lex.HaveAppointment);
        if (s.QuestionShaped && s.Topic is { } asked && (asked == Topics.Prices || asked.StartsWith(Topics.FaqPrefix, StringComparison.Ordinal))
            && !u.HasAny(lex.OwnAppointment) && !u.HasAny(lex.HaveAppointment) && !slotSaid && (SaysCancel(u) || u.HasAny(lex.MoveVerbs)))
        {
            return Intent.Question; // "do you charge a fee if I cancel?", "is there a fee to reschedule?"
        }

        if (u.HasAny(lex.Reschedule) || u.HasAny(lex.MoveVerbs) && u.HasAny(lex.OwnAppointment)
            || lex.Pattern(lex.MoveSomethingPattern).IsMatch(u.Text) && (ownAppointment || ChangeClassifier.MovesToASlot(u, context.Today))
            || u.HasAny(lex.CantMakeIt) && slotSaid && ownAppointment && !SaysCancel(u)
            || (OffersAnotherSlot(u) || ChangeClassifier.Instead(u, context.Today) is not null) && !SaysCancel(u))
        {
            return Intent.Reschedule;
        }

        if (SaysCancel(u) && !(expecting == Expecting.YesNo && (u.HasAny(lex.CancelThat) || lex.Cancel.Contains(u.Text))))
        {
            return Intent.Cancel;
        }

        if (u.HasAny(lex.StrongMessage)
            || (u.HasAny(lex.Message) || WantsCallback(u) && expecting is Expecting.Anything or Expecting.YesNo) && !s.BookingWords && !slotSaid
            || PassesOnAboutOwnAppointment(u, context)
            || WantsCallback(u) && u.HasAny(lex.Person) && !slotSaid)
        {
            // "have the manager call me back"; "book a checkup and call me to confirm" is a booking; "could you get the owner
            // to give me a ring? I want a quote …" asks a person of the business to call: a message, whatever it is about.
            return Intent.Message;
        }

        if (s.Topic is not null && s.QuestionShaped && s.Time is null && u.HasAny(lex.WithoutAppointment))
        {
            return Intent.Question; // "do you guys take walk-ins today? I want to get some flash": coming without booking
        }

        if (s.Topic is { } topic && (s.QuestionShaped || !s.BookingWords && !s.ExplicitName && expecting is Expecting.Anything or Expecting.YesNo)
            && !(s.BookingWords && !s.QuestionShaped && slotSaid)
            && !(s.Service is not null && u.HasAny(lex.Visit) && topic.StartsWith(Topics.FaqPrefix, StringComparison.Ordinal))
            && !BookedInASentenceOfItsOwn(u, context)
            && !(s.BookingWords && s.Service is not null && topic is Topics.Services)
            && !(s.Service is not null && slotSaid && topic is not (Topics.Prices or Topics.Durations))
            && !(s.RequestForm && slotSaid && topic is not (Topics.Hours or Topics.OpenNow or Topics.Prices or Topics.Durations)))
        {
            // A service, or a request, with a day or a time is a booking ("Can you service my water heater Friday at 10?",
            // "could you do Friday the 4th at 9?"), whatever else the words brush against; a price, a duration or the
            // hours are still a question.
            return Intent.Question;
        }

        if (AsksForSomeone(u) && s.Service is null && !slotSaid)
        {
            return Intent.Person; // "can I get someone", "I need somebody"; not "can someone come out Friday"
        }

        if (LeaveClassifier.PutsItOff(u) && LeaveClassifier.SaysGoodbye(u) && s.Service is null && !slotSaid)
        {
            return Intent.Goodbye; // "I need to check my work schedule first. Thanks, bye!" names no booking
        }

        if (s.BookingWords || s.Service is not null && expecting is Expecting.Anything or Expecting.YesNo || s.RequestForm && slotSaid && expecting == Expecting.Anything)
        {
            return Intent.Book;
        }

        if ((LeaveClassifier.SaysGoodbye(u) || LeaveClassifier.CallsBack(u) || LeaveClassifier.GivesUp(u)
             || expecting == Expecting.YesNo && (LeaveClassifier.IsThanks(u) || LeaveClassifier.ClosesWithThanks(u))) && !slotSaid)
        {
            return Intent.Goodbye;
        }

        // ("Hi, this is Priya Nair. Do you take Delta Dental?": an introduction does not make it less of a question.)
        if (s.QuestionShaped && expecting is not (Expecting.Phone or Expecting.Choice) && s.Service is null && !slotSaid && (s.Name is null || s.ExplicitName)
            && s.Answer == Answer.None && s.Preference == TimePreference.None && !LeaveClassifier.IsGreeting(u))
        {
            return Intent.Question; // a question nothing we know answers: the engine says so honestly
        }

        return Intent.None;
    }

    /// <summary>"How much is a cleaning? And can I get one Friday at 10?", "how much is a trim, and can you fit me in at
    /// 4?": one part of several (a sentence, or a stretch between commas) asks for a booking with a day or a time, so the
    /// call is a booking (the question is answered alongside).</summary>
    private static bool BookedInASentenceOfItsOwn(Utterance u, UnderstandingContext context)
    {
        // "How much is a cleaning? And could I get one on Monday at nine?": a request with a day, a time or a service
        // that asks about nothing else is a booking, beside the question.
        var parts = u.Parts();
        return parts.Count > 1 && parts.Any(t =>
        {
            // "I need to bring my car in for an oil change. Do you have a shuttle?": a service asked for is enough.
            var service = ServiceClassifier.Classify(t, context.Services) is not null;
            return (t.HasAny(u.Lexicon.Book) || t.HasAny(u.Lexicon.RequestForms) && (service || TopicClassifier.Classify(t, context.Topics, dateSaid: true, serviceSaid: false) is null))
                && (service || DateClassifier.Classify(t, context.Today) is not null || TimeClassifier.Classify(t, expectingTime: false) is not null);
        });
    }

    /// <summary>Every sentence that names a day names one of the business's own facts or FAQ by its words, and no
    /// service, time or booking word ("a gift card for Christmas", "do you take walk-ins today?").</summary>
    private static bool DayOfAFact(Utterance u, UnderstandingContext context)
    {
        var dated = u.Sentences().Where(t => DateClassifier.Classify(t, context.Today) is not null).ToList();
        return dated.Count > 0 && dated.All(t => !t.HasAny(u.Lexicon.Book) && ServiceClassifier.Classify(t, context.Services) is null
            && TimeClassifier.Classify(t, expectingTime: false) is null
            && TopicClassifier.Classify(t, context.Topics, dateSaid: true, serviceSaid: false) is { } topic
            && (topic.StartsWith(Topics.FactPrefix, StringComparison.Ordinal) || topic.StartsWith(Topics.FaqPrefix, StringComparison.Ordinal)));
    }

    /// <summary>"I'm supposed to be in at three for my session and I'm running late. Can you let him know?": the day or
    /// time said belong to the caller's own appointment, and the last sentence asks for a message, nothing to book.</summary>
    private static bool PassesOnAboutOwnAppointment(Utterance u, UnderstandingContext context) =>
        u.Sentences() is [_, .., var last] && last.HasAny(u.Lexicon.Message) && !last.HasAny(u.Lexicon.Book)
        && DateClassifier.Classify(last, context.Today) is null && TimeClassifier.Classify(last, expectingTime: false) is null
        && u.HasAny(u.Lexicon.OwnAppointment.Concat(u.Lexicon.HaveAppointment));

    /// <summary>"Someone"/"somebody" wanted, and not to come out or do a job.</summary>
    private static bool AsksForSomeone(Utterance u) => u.HasAny(u.Lexicon.Someone) && !u.HasAny(u.Lexicon.SomeoneToDoAJob) && !LeaveClassifier.IsGreeting(u);

    /// <summary>What the other classifiers found in the utterance, which the intent depends on.</summary>
    public sealed record Signals(
        string? Service,
        DateOnly? Date,
        SpokenTime? Time,
        string? Name,
        bool ExplicitName,
        string? Topic,
        bool QuestionShaped,
        bool BookingWords,
        Answer Answer,
        TimePreference Preference,
        bool RequestForm);
}
