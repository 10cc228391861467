namespace Receptionist.Core.Understanding;

/// <summary>
/// How callers ask about the things businesses most often have a fact for, in other words than the fact's own ("is that
/// something you'd stand behind?" for a warranty, "where do I leave the car?" for parking). Each concept names the
/// built-in topic it is about, or the words a fact's key starts with; a question close in meaning to one of its examples
/// is about the business's fact on it — answered only when the business has one (its own words are the answer).
/// Written for the product, across professions; not any caller's sentence.
/// </summary>
public sealed partial class Lexicon
{
    /// <summary>How callers ask about what businesses' facts are usually about, for recognising such questions by meaning.</summary>
    public IReadOnlyList<QuestionConcept> QuestionConcepts { get; init; } = [];

    /// <summary>Words that ask to come without booking ("do you take walk-ins today?"): a question, never a booking.</summary>
    public IReadOnlyList<string> WithoutAppointment { get; init; } = [];

    private static string[] EnglishWithoutAppointment =>
        ["walk in", "walk ins", "walkin", "walkins", "without an appointment", "without booking", "drop in", "drop ins", "just show up", "just turn up", "just come in"];

    /// <summary>Questions about things no business fact is about, the counterweight to <see cref="QuestionConcepts"/>: a
    /// question nearer one of these than to a concept's examples is not taken for that concept ("do you sell boats?" is
    /// as much like "do you sell furniture?" as like "do you have a shuttle?").</summary>
    public IReadOnlyList<string> OffTopicQuestions { get; init; } = [];

    private static string[] EnglishOffTopicQuestions =>
        ["do you sell furniture", "do you fix phones", "do you sell bicycles", "do you have wifi",
         "do you have a bathroom I can use", "what's the weather like today", "is the owner married", "do you sell lottery tickets",
         "can I bring my kids along", "do you buy gold", "do you have a vending machine", "what's your favorite color",
         "are you a real person", "do you do taxes", "can you recommend a restaurant nearby"];

    private static QuestionConcept[] EnglishQuestionConcepts =>
    [
        new(Topics.Address, [],
            ["what's your address", "what street are you on", "which road is your shop on", "where exactly are you", "where is your office",
             "how do I find your place", "what's the cross street", "what part of town are you in", "where do I go when I get there"]),
        new(Topics.Parking, [],
            ["where can I park", "where do I leave my car when I get there", "is there somewhere to put my car", "is there a lot for customers",
             "will I find a spot to park", "is parking hard around you", "I'll be driving, where should I park"]),
        new(Topics.OpenNow, [],
            ["are you open right now", "is anybody in the office at the moment", "is someone there right now", "can I stop by right now",
             "are you still there this afternoon", "is the shop open at the moment"]),
        new(null, ["warrant", "guarantee"],
            ["is the work guaranteed", "do you stand behind your repairs", "is it covered if the same problem comes back",
             "will you fix it again for free if it fails", "will you cover it if the repair fails again", "how long is the repair covered",
             "what if it breaks again after you fixed it"]),
        new(null, ["area", "region", "town", "cities", "city"],
            ["do you come out to my town", "how far do you travel", "do you cover my neighborhood", "do you work in the suburbs",
             "is my town too far for you", "do your people go that far out", "which towns do you serve"]),
        new(null, ["walk"],
            ["can I just come in without booking", "do I need an appointment or can I drop by", "can I just turn up and get it done",
             "do you take people without an appointment", "can I show up without calling first"]),
        new(null, ["language"],
            ["does anyone there speak spanish", "can I talk to someone in another language", "is there someone who speaks chinese",
             "my father doesn't speak english well, can someone talk to him in his language"]),
        new(null, ["deliver", "turnaround", "gallery", "galleries"],
            ["when will I get my photos", "how soon are the pictures ready", "how long until we see the pictures",
             "how many weeks before the files arrive", "when can we expect the finished pictures"]),
        new(null, ["report", "result", "finding"],
            ["when do I get the report", "how soon will I have the results", "how long before the written report is ready",
             "when will the findings be sent to me"]),
        new(null, ["shuttle", "loaner", "ride"],
            ["can someone drive me home after I drop off the car", "do you have a shuttle", "is there a loaner car",
             "how do I get home while my car is in the shop", "can I get a ride back to work"]),
        new(null, ["gift"],
            ["do you sell gift cards", "I want to buy a present for someone", "can I get a gift certificate",
             "how do I give your service as a gift", "I'd like to treat my wife to something from you for her birthday"]),
        new(null, ["animal", "species", "pets"],
            ["do you treat rabbits", "do you see birds", "what kinds of pets do you see", "do you only do cats and dogs", "do you take exotic pets"]),
        new(null, ["pay"],
            ["how can I pay", "do you take cards", "can I pay by check", "is cash okay", "do I pay everything up front", "when do I pay"]),
        new(null, ["product"],
            ["do you sell shampoo", "can I buy hair products there", "what products do you carry"]),
    ];
}

/// <summary>A kind of question callers ask in many words: about <see cref="Topic"/> (a built-in topic) or about the
/// business's fact whose key starts with one of <see cref="FactStems"/>; <see cref="Examples"/> are how it is asked.</summary>
public sealed record QuestionConcept(string? Topic, IReadOnlyList<string> FactStems, IReadOnlyList<string> Examples)
{
    /// <summary>Whether this concept is what <paramref name="topic"/> is about (its id, or the words of its fact's key).</summary>
    public bool IsAbout(QuestionTopic topic) =>
        Topic is not null ? topic.Id == Topic
        : topic.Subject is { } subject && subject.Split(' ', '-').Any(w => FactStems.Any(s => w.StartsWith(s, StringComparison.Ordinal)));
}
