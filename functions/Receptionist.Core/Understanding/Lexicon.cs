using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace Receptionist.Core.Understanding;

/// <summary>
/// The words of one language that the classifiers read: every phrase list, number word, weekday and month name, part of
/// the day and correction marker lives here, once. The classifiers hold the rules (how the words combine); a lexicon
/// holds only the words, so another language is another instance (<see cref="English"/> is the one that ships).
/// Phrases are written in <see cref="SpeechText.Normalize"/>d form: lower case, no punctuation but apostrophes.
/// </summary>
public sealed partial class Lexicon
{
    private readonly ConcurrentDictionary<string, Regex> _patterns = new(StringComparer.Ordinal);

    /// <summary>One of this lexicon's patterns (or one a classifier builds from its words), compiled once.</summary>
    public Regex Pattern(string pattern) =>
        _patterns.GetOrAdd(pattern, p => new Regex(p, RegexOptions.CultureInvariant | RegexOptions.Compiled));

    /// <summary>The language's name (BCP 47), e.g. "en-US".</summary>
    public required string Name { get; init; }

    // ---- answers -------------------------------------------------------------------------------------------------

    /// <summary>Ways of saying yes.</summary>
    public required IReadOnlyList<string> Yes { get; init; }

    /// <summary>Yes words that mean yes only when said on their own or first ("please", "okay", "right"): "change the
    /// time please" or "okay no" are not a yes.</summary>
    public required IReadOnlySet<string> WeakYes { get; init; }

    /// <summary>Yes said with a negative word in it ("no problem", "why not").</summary>
    public required IReadOnlyList<string> YesIdioms { get; init; }

    /// <summary>Ways of saying no.</summary>
    public required IReadOnlyList<string> No { get; init; }

    /// <summary>The caller wants a moment, or something changed, or is unsure: never a yes to a read-back.</summary>
    public required IReadOnlyList<string> NotYet { get; init; }

    /// <summary>"Does that time work" answered by naming what was read back: "that time is fine".</summary>
    public required string SlotApprovalPattern { get; init; }

    // ---- leaving ------------------------------------------------------------------------------------------------

    /// <summary>The caller is done: end the call (or the current step).</summary>
    public required IReadOnlyList<string> Goodbye { get; init; }

    /// <summary>Thanks that close the call when the caller was asked whether there is anything else.</summary>
    public required IReadOnlyList<string> Thanks { get; init; }

    /// <summary>Thanking, wherever it stands ("thank you", "thanks").</summary>
    public required IReadOnlyList<string> ThanksWords { get; init; }

    /// <summary>Words that may lead a thanks ("okay great, thanks").</summary>
    public required IReadOnlySet<string> ThanksLeads { get; init; }

    /// <summary>The caller drops what they were doing: "never mind", "forget it", "stop".</summary>
    public required IReadOnlyList<string> Abandon { get; init; }

    /// <summary>Words that may stand in a goodbye without making it say more ("then", "just", "i think").</summary>
    public required IReadOnlySet<string> LeaveFillers { get; init; }

    /// <summary>"Hello?", "are you there?": not a request.</summary>
    public required IReadOnlySet<string> Greetings { get; init; }

    /// <summary>Sounds that lead an utterance without meaning anything ("uh", "um", "well").</summary>
    public required IReadOnlyList<string> LeadingFillers { get; init; }

    // ---- intents ------------------------------------------------------------------------------------------------

    public required IReadOnlyList<string> Book { get; init; }

    /// <summary>How requests are put ("could you", "I'd like to"): with a day or a time, a booking.</summary>
    public required IReadOnlyList<string> RequestForms { get; init; }

    /// <summary>Asking for a visit or a booking outright: with a service named, a booking even when phrased as a
    /// question that brushes an FAQ ("Could someone come out to look at my water heater?").</summary>
    public required IReadOnlyList<string> Visit { get; init; }

    public required IReadOnlyList<string> Person { get; init; }

    /// <summary>"Someone"/"somebody" wanted ("can I get someone") …</summary>
    public required IReadOnlyList<string> Someone { get; init; }

    /// <summary>… unless they are wanted to do a job ("can someone come out and fix it").</summary>
    public required IReadOnlyList<string> SomeoneToDoAJob { get; init; }

    public required IReadOnlyList<string> Reschedule { get; init; }

    /// <summary>Words that start a move ("move my cleaning to Friday"): a day or time after <see cref="MoveTo"/> is the new one.</summary>
    public required IReadOnlyList<string> MoveVerbs { get; init; }

    /// <summary>What separates the appointment from its new day in a move: "to", then "for".</summary>
    public required IReadOnlyList<string> MoveTo { get; init; }

    /// <summary>"move my/the/our/Max's …" (not "we're looking to move").</summary>
    public required string MoveSomethingPattern { get; init; }

    /// <summary>Without a move verb, what introduces the new day of a move ("… can we do Tuesday the 8th at 10").</summary>
    public required IReadOnlyList<string> MoveLeads { get; init; }

    /// <summary>"… the same time on Friday instead?": with the caller's own appointment said before, a move.</summary>
    public required IReadOnlyList<string> MoveInstead { get; init; }

    /// <summary>"I can't make it": with a new day or time and an appointment of the caller's, a move.</summary>
    public required IReadOnlyList<string> CantMakeIt { get; init; }

    /// <summary>"I've got a checkup tomorrow", "I'm booked for highlights": the caller speaks of an appointment they have.</summary>
    public required IReadOnlyList<string> HaveAppointment { get; init; }

    /// <summary>Words naming a booking ("appointment", "visit").</summary>
    public required IReadOnlyList<string> AppointmentWords { get; init; }

    /// <summary>"my appointment": with a move verb, a move.</summary>
    public required IReadOnlyList<string> OwnAppointment { get; init; }

    public required IReadOnlyList<string> Cancel { get; init; }

    /// <summary>Calling an appointment off in other words: "call it off", "take me off the books", "you can scratch it",
    /// "we won't need … after all" (not a bare "I don't need a filling").</summary>
    public required string CancelPattern { get; init; }

    /// <summary>"This number", "the one I'm calling from": the callback number is the caller ID.</summary>
    public required IReadOnlyList<string> ThisNumber { get; init; }

    /// <summary>Cancelling what is being said, not an appointment ("cancel that", or a bare "cancel", at a read-back).</summary>
    public required IReadOnlyList<string> CancelThat { get; init; }

    /// <summary>Ask for a message unless the same words ask for a booking ("tell them", "call me back").</summary>
    public required IReadOnlyList<string> Message { get; init; }

    /// <summary>Ask for a message whatever else is said.</summary>
    public required IReadOnlyList<string> StrongMessage { get; init; }

    /// <summary>After a request for a message, what introduces its subject ("… call me back about the quote"): the
    /// request is then the message itself.</summary>
    public required IReadOnlyList<string> MessageSubjects { get; init; }

    /// <summary>"Tell them …": what passes a message on to the business, after which a caller may name themselves.</summary>
    public required IReadOnlyList<string> PassOnTo { get; init; }

    /// <summary>What a caller naming themselves in a message goes on to say they are doing ("Cody Marsh *is* running
    /// late", "… *called*").</summary>
    public required IReadOnlyList<string> SelfReportVerbs { get; init; }

    /// <summary>"Have the manager call me back": the caller wants to be called, not put through now.</summary>
    public required IReadOnlyList<string> CallbackRequests { get; init; }

    /// <summary>A child the service is for ("my son needs a haircut"): a service for children fits better.</summary>
    public required IReadOnlyList<string> Children { get; init; }

    /// <summary>Words that say what stays as it is ("…, but keep the blowout"): what follows is not what is asked for.</summary>
    public required IReadOnlyList<string> Keep { get; init; }

    /// <summary>Words that join a clause to the one before ("but", "and").</summary>
    public required IReadOnlyList<string> ClauseJoiners { get; init; }

    /// <summary>"for someone" (else): a booking for another person, not a request for a person.</summary>
    public required string ForSomeone { get; init; }

    /// <summary>"I'll call back later": the caller will call again — not a request to be called.</summary>
    /// <summary>Reasons to decide later ("I'll think about it", "check my calendar"): said with a goodbye, the caller puts
    /// the request off themselves.</summary>
    public required IReadOnlyList<string> PutOff { get; init; }

    public required IReadOnlyList<string> SelfCallback { get; init; }

    /// <summary>How questions start.</summary>
    public required IReadOnlyList<string> QuestionStarts { get; init; }

    /// <summary>A booking's parts as callers name them when they want one changed ("change the time").</summary>
    public required IReadOnlyList<(string Word, BookingSlot Slot)> SlotWords { get; init; }

    /// <summary>Words that ask for a change ("change the time", "a different day", "wrong name").</summary>
    public required IReadOnlyList<string> ChangeWords { get; init; }

    /// <summary>"Same time if you have it": on a move, the appointment's time is kept.</summary>
    public required IReadOnlyList<string> SameTimePhrases { get; init; }

    /// <summary>Words that carry no content of their own ("a", "the", "my", "for"): ignored when matching by content words.</summary>
    public required IReadOnlySet<string> FunctionWords { get; init; }

    /// <summary>Articles, one as good as another in a phrase a question is recognised by ("hold a date" for "hold the
    /// date").</summary>
    public required IReadOnlyList<string> Articles { get; init; }

    /// <summary>Word endings dropped to compare words in any form ("opening"/"opened" → "open"), longest first.</summary>
    public required IReadOnlyList<string> Suffixes { get; init; }

    // ---- corrections --------------------------------------------------------------------------------------------

    /// <summary>Markers of a correction anywhere in an utterance ("Friday at 2, no wait, 3"); the words after the last
    /// one win. Longest first is not needed: the last marker in the text is used.</summary>
    public required IReadOnlyList<string> CorrectionMarkers { get; init; }

    /// <summary>Words that correct when they lead the utterance or follow a pause ("no, Wednesday").</summary>
    public required IReadOnlyList<string> CorrectionLeads { get; init; }

    /// <summary>Negates the word after it ("not Tuesday"): dropped from what is read.</summary>
    public required string NotSomethingPattern { get; init; }

    // ---- names --------------------------------------------------------------------------------------------------

    /// <summary>Phrases that introduce a whole name ("my name is …").</summary>
    public required IReadOnlyList<string> ExplicitNamePrefixes { get; init; }

    /// <summary>Phrases an answer to "what's your name?" may start with.</summary>
    public required IReadOnlyList<string> NamePrefixes { get; init; }

    /// <summary>Words an answer may lead with before the name ("no, it's …", "sure, …").</summary>
    public required IReadOnlyList<string> NameAnswerLeads { get; init; }

    /// <summary>Words that are never part of a person's name in these conversations (pronouns, articles, prepositions,
    /// days, booking words).</summary>
    public required IReadOnlySet<string> NotNameWords { get; init; }

    /// <summary>Ordinary words that can be names ("Cat Power", "April Jones"): a name only when a name was asked for.</summary>
    public required IReadOnlySet<string> RarelyNames { get; init; }

    /// <summary>Words after "for" that are not a name ("a checkup for school", "a cleaning for Grandma").</summary>
    public required IReadOnlySet<string> NotNamesAfterFor { get; init; }

    /// <summary>Titles before a name ("Mrs. Ogden").</summary>
    public required IReadOnlyList<string> Titles { get; init; }

    /// <summary>"can Sam get …", "… for Jamie on Friday", "…, it's Sam Lee", "make it Sam Lee".</summary>
    public required string CanNameGetPattern { get; init; }

    public required string ForNamePattern { get; init; }

    public required string TrailingItsNamePattern { get; init; }

    public required string MakeItNamePattern { get; init; }

    /// <summary>A capitalised name introduced in the caller's own text ("Hi, it's Lucia Fernandez, on my fiancé's phone" at
    /// the start, "calling for my neighbour, Greg Olander"): applied to the raw text, group 1 is the name.</summary>
    public required IReadOnlyList<string> WrittenNamePatterns { get; init; }

    /// <summary>Words that say a surname alone is coming ("the last name is Patel").</summary>
    public required IReadOnlyList<string> SurnamePrefixes { get; init; }

    /// <summary>Words that say a first name alone is coming ("first name Chidi"), said with a surname.</summary>
    public required IReadOnlyList<string> GivenNamePrefixes { get; init; }

    // ---- choices and digits -------------------------------------------------------------------------------------

    /// <summary>Ordinal picks among offered options, 1-based; <see cref="Understood.LastChoice"/> for "the last".</summary>
    public required IReadOnlyDictionary<string, int> ChoiceWords { get; init; }

    /// <summary>Picks by comparison, only with "the" ("the later one"; "anything later" asks for more).</summary>
    public required IReadOnlyDictionary<string, int> ComparativeChoices { get; init; }

    /// <summary>Words after an ordinal that name what is picked ("the second one", "the first option").</summary>
    public required IReadOnlyList<string> ChoiceNouns { get; init; }

    /// <summary>"option 2", "number 2".</summary>
    public required IReadOnlyList<string> ChoiceNumberWords { get; init; }

    /// <summary>"the last four (digits)": what names the digits asked for, not among them.</summary>
    public required string DigitsAskedForPattern { get; init; }

    /// <summary>Words read as a zero next to digits ("five oh five").</summary>
    public required IReadOnlySet<string> ZeroWords { get; init; }

    // ---- emergencies --------------------------------------------------------------------------------------------

    /// <summary>Plain statements that there is no emergency.</summary>
    public required IReadOnlyList<string> Calm { get; init; }

    /// <summary>Words that negate the phrase right after them ("not locked out", "hasn't broken down").</summary>
    public required IReadOnlySet<string> Negators { get; init; }

    /// <summary>Kinds of danger and how callers describe them (fire, gas, water, breathing, a person or animal in danger …).</summary>
    public required IReadOnlyList<DangerConcept> Dangers { get; init; }

    /// <summary>In a clause with one of these, a danger is past and settled ("years ago", "it was repaired").</summary>
    public required IReadOnlyList<string> SettledPast { get; init; }

    /// <summary>With one of these, a settled past is back: the danger is now ("… and now it's flooding again").</summary>
    public required IReadOnlyList<string> PresentMarkers { get; init; }

    /// <summary>In a clause with one of these, a danger is asked about, not happening ("what should I do if").</summary>
    public required IReadOnlyList<string> Hypothetical { get; init; }

    /// <summary>A job wanted and what it is for ("we want the locks rekeyed so …"): a profession's emergency phrase
    /// after it ("… so the old owners can't get in") is the job's purpose, not happening now.</summary>
    public required string PurposePattern { get; init; }

    /// <summary>In a clause with one of these, danger words are a figure of speech or a wish ("the market's on fire").</summary>
    public required IReadOnlyList<string> Figurative { get; init; }

    /// <summary>What callers in danger say, for recognising danger by meaning when no cue matched.</summary>
    public required IReadOnlyList<string> UrgentExamples { get; init; }

    /// <summary>Routine things callers say that sound close to danger, the counterweight to <see cref="UrgentExamples"/>.</summary>
    public required IReadOnlyList<string> RoutineExamples { get; init; }

    /// <summary>How a service is asked for, "{0}" the service ("I need {0}"): the business's own services as routine examples.</summary>
    public required string ServiceRequestExample { get; init; }

    /// <summary>Words just before a danger cue that negate it ("nothing's flooding").</summary>
    public required IReadOnlySet<string> DangerNegators { get; init; }

    /// <summary>Words that may stand between an emergency phrase's words ("locked myself out").</summary>
    public required IReadOnlySet<string> GapWords { get; init; }

    // ---- numbers ------------------------------------------------------------------------------------------------

    public required IReadOnlyDictionary<string, int> Units { get; init; }

    public required IReadOnlyDictionary<string, int> Tens { get; init; }

    public required IReadOnlyDictionary<string, int> Ordinals { get; init; }

    /// <summary>"double four" = 44, "triple oh" = 000.</summary>
    public required IReadOnlyDictionary<string, int> Repeats { get; init; }

    /// <summary>Ordinal words that are not dates when followed by one of these ("first thing", "second opinion").</summary>
    public required IReadOnlyDictionary<string, IReadOnlySet<string>> OrdinalsNotNumbers { get; init; }

    // ---- dates --------------------------------------------------------------------------------------------------

    /// <summary>Weekday abbreviations, read only right before a day of the month ("Sat 14th").</summary>
    public required IReadOnlyList<string> WeekdayAbbreviations { get; init; }

    /// <summary>Weekday names as recognised in speech (not "sun", "sat", "wed": those are words).</summary>
    public required IReadOnlyDictionary<string, DayOfWeek> Weekdays { get; init; }

    /// <summary>Month names and abbreviations, 1-based month numbers.</summary>
    public required IReadOnlyDictionary<string, int> Months { get; init; }

    /// <summary>Words before a day that make it a deadline, not the day asked for ("before the 10th").</summary>
    public required IReadOnlyList<string> DeadlineWords { get; init; }

    /// <summary>Misspellings recognisers produce for "tomorrow".</summary>
    public required IReadOnlyList<string> TomorrowSpellings { get; init; }

    // ---- times and parts of the day -----------------------------------------------------------------------------

    /// <summary>Parts of the day a caller may prefer, checked in order: the first one said counts.</summary>
    public required IReadOnlyList<(string Phrase, TimePreference Preference)> PartsOfDay { get; init; }

    /// <summary>Phrases asking for the earliest opening ("first thing", "earliest").</summary>
    public required IReadOnlyList<string> Earliest { get; init; }

    /// <summary>"Are you open now", "still open": about this moment, not a day.</summary>
    public required IReadOnlyList<string> NowWords { get; init; }

    /// <summary>"the earliest you've got next week": which day is asked, not a time.</summary>
    public required IReadOnlyList<string> WeekWords { get; init; }

    /// <summary>Words that make a clock reading morning or afternoon ("at 9 in the morning", "4 this afternoon").</summary>
    public required IReadOnlyList<string> MorningWords { get; init; }

    public required IReadOnlyList<string> AfternoonWords { get; init; }

    /// <summary>Words after a number that make it an address ("12 Oak Street").</summary>
    public required IReadOnlyList<string> StreetWords { get; init; }

    /// <summary>Words before a number that make it a label ("unit 4", "stock number 4471").</summary>
    public required IReadOnlyList<string> NumberLabels { get; init; }

    /// <summary>Words after a number that make it a count, not a time ("2 people", "3 weeks").</summary>
    public required IReadOnlySet<string> CountWords { get; init; }

    /// <summary>Words that may follow a loosely said time ("say 6 then", "like 3 or so"); any other word makes the number
    /// a count ("I'd like 2 massages").</summary>
    public required IReadOnlySet<string> TimeFollowers { get; init; }

    /// <summary>Fixed times said as words ("noon", "midnight", "lunchtime").</summary>
    public required IReadOnlyList<(string Phrase, TimeOnly Time)> NamedTimes { get; init; }

    /// <summary>Times said loosely ("lunchtime"): used only when no clock time is said.</summary>
    public required IReadOnlyList<(string Phrase, TimeOnly Time)> LooseTimes { get; init; }
}
