using Receptionist.Core.Tenants;

namespace Receptionist.Core.Understanding.Classifiers;

/// <summary>A request for a message and what it says: whether the message itself was said with the request, and the
/// introduction before it.</summary>
public static class MessageClassifier
{
    /// <summary>A sentence of at least this many words, beside the request, says something: the message.</summary>
    private const int SaysSomethingWords = 5;

    /// <summary>A name said in a sentence this short ("It's Sofia Rossi", "my name is Sofia Rossi") introduces the
    /// caller; it is no message.</summary>
    private const int IntroductionWords = 6;

    /// <summary>Whether the message is said with its request: after it, its subject ("about", "regarding" … and two
    /// words more: "call me back about the estimate for my shower"); a sentence of its own after the request ("can I leave
    /// a message for Sergio? Tell him my credit union approved me", "… for the inspector. The sellers said he's welcome
    /// to go back in"); or, before a request that ends the call's words and points back to them ("… I'm running twenty
    /// minutes late. Can you let him know?"), the sentences it points to.</summary>
    public static bool SaysWhatAbout(Utterance u, IReadOnlyList<ServiceOffering> services)
    {
        var lexicon = u.Lexicon;
        var padded = " " + u.Text + " ";
        var request = lexicon.Message.Concat(lexicon.StrongMessage).Concat(lexicon.CallbackRequests).Select(p => (At: padded.IndexOf(" " + p + " ", StringComparison.Ordinal), p.Length))
            .Where(r => r.At >= 0).OrderBy(r => r.At).FirstOrDefault();
        if (request.Length == 0)
        {
            return false;
        }

        var after = padded[(request.At + request.Length + 1)..];
        if (lexicon.MessageSubjects.Any(subject => after.IndexOf(" " + subject + " ", StringComparison.Ordinal) is var at and >= 0
            && after[(at + subject.Length + 2)..].Split(' ', StringSplitOptions.RemoveEmptyEntries).Length >= 2))
        {
            return true;
        }

        var sentences = u.Sentences();
        var asks = RequestSentence(sentences, lexicon);
        if (asks < 0)
        {
            return false;
        }

        var pointsBack = asks == sentences.Count - 1 && sentences[asks].HasAny(lexicon.Message);
        var around = sentences.Skip(asks + 1).Concat(pointsBack ? sentences.Take(asks) : []);
        return around.Any(s => SaysSomething(s, services));
    }

    /// <summary>The sentences before the one that asks for a message ("Hi, it's Jun Watanabe. | Can I leave a message …"),
    /// as said (capitals kept), or null when the request comes first.</summary>
    public static Utterance? BeforeTheRequest(Utterance u)
    {
        var sentences = u.Sentences();
        var request = RequestSentence(sentences, u.Lexicon);
        return request > 0 ? Utterance.Read(string.Join(' ', sentences.Take(request).Select(s => s.Raw)), u.Lexicon) : null;
    }

    /// <summary>The sentences after the one that asks for a message ("Okay, I'll leave a message then. | I'm Bianca
    /// Ferreira."), as said, or null when the request comes last.</summary>
    public static Utterance? AfterTheRequest(Utterance u)
    {
        var sentences = u.Sentences();
        var request = RequestSentence(sentences, u.Lexicon);
        return request >= 0 && request < sentences.Count - 1
            ? Utterance.Read(string.Join(' ', sentences.Skip(request + 1).Select(s => s.Raw)), u.Lexicon) : null;
    }

    /// <summary>"Tell them Cody Marsh is running about twenty minutes late": the caller naming themselves in the words they
    /// pass on — a whole name (two words or more) right after "tell them", before what they are doing. Null otherwise
    /// ("tell him the car is ready", "tell her Mom called").</summary>
    public static string? SenderNamedInside(Utterance u, IReadOnlyList<ServiceOffering> services)
    {
        var lex = u.Lexicon;
        foreach (var sentence in u.Sentences())
        {
            var padded = " " + sentence.Text + " ";
            foreach (var pass in lex.PassOnTo)
            {
                var at = padded.IndexOf(" " + pass + " ", StringComparison.Ordinal);
                if (at < 0)
                {
                    continue;
                }

                var words = padded[(at + pass.Length + 2)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                var verb = Array.FindIndex(words, w => lex.SelfReportVerbs.Contains(w));
                if (verb is >= 2 and <= 4 && NameClassifier.Classify(sentence.Part(string.Join(' ', words.Take(verb))), Expecting.Name, correcting: false, requestMade: false, services)
                        is { SurnameOnly: false } said && said.Name.Contains(' ', StringComparison.Ordinal))
                {
                    return said.Name;
                }
            }
        }

        return null;
    }

    private static int RequestSentence(IReadOnlyList<Utterance> sentences, Lexicon lexicon) =>
        sentences.ToList().FindIndex(s => s.HasAny(lexicon.Message) || s.HasAny(lexicon.StrongMessage))
        is var at and >= 0 ? at : sentences.ToList().FindIndex(s => s.HasAny(lexicon.CallbackRequests));

    /// <summary>A sentence that tells something: long enough, not a question, not who is calling nor their number, not
    /// how urgent the request is ("it's not an emergency, really").</summary>
    private static bool SaysSomething(Utterance s, IReadOnlyList<ServiceOffering> services) =>
        s.Words.Length >= SaysSomethingWords && !TopicClassifier.IsQuestion(s) && PhoneClassifier.Number(s, Expecting.Anything) is null
        && !s.HasAny(s.Lexicon.Calm)
        && !(s.Words.Length <= IntroductionWords && NameClassifier.Classify(s, Expecting.Anything, correcting: false, requestMade: false, services) is not null);
}
