namespace Receptionist.Core.Understanding;

/// <summary>The English (en-US) words of the classifiers.</summary>
public sealed partial class Lexicon
{
    private static readonly string[] EnglishYes =
        ["yes", "yeah", "yep", "yup", "yes please", "sure", "correct", "that's right", "thats right", "right", "ok", "okay",
         "absolutely", "definitely", "please do", "go ahead", "book it", "sounds good", "perfect", "great", "that works",
         "that's correct", "affirmative", "of course", "yes it is", "that's fine", "fine", "alright", "all right", "do it",
         "uh huh", "mhm", "mm hmm", "mmhmm", "mm hm", "mhmm", "yes that's right", "that's it", "please"];

    private static readonly string[] EnglishNo =
        ["no", "nope", "nah", "not", "don't", "dont", "wrong", "incorrect", "that's wrong", "negative", "no thanks", "no thank you",
         "never mind", "nevermind", "cancel that", "not really", "not right", "that's not right"];

    private static readonly string[] EnglishBook =
        ["book", "booking", "appointment", "schedule", "make an", "come in", "reserve", "available", "availability", "opening",
         "openings", "slot", "get in", "set up", "i'd like a", "i would like a", "i need a", "can i get", "i want a",
         "i'd like an", "i would like an", "i need an", "i want an",
         "what do you have", "do you have anything", "anything available", "any time", "fit me in", "squeeze me in", "sign up",
         "come out", "come by", "come over", "send someone", "send somebody", "stop by", "swing by", "can someone come",
         "can somebody come", "meet with"];

    /// <summary>English.</summary>
    public static Lexicon English { get; } = new()
    {
        Name = "en-US",
        Yes = EnglishYes,
        WeakYes = new HashSet<string>(StringComparer.Ordinal) { "please", "ok", "okay", "right", "fine", "alright", "all right", "great", "perfect" },
        YesIdioms = ["why not", "no worries", "no problem", "not a problem", "can't wait", "cant wait", "don't mind", "dont mind", "no doubt", "not at all a problem"],
        No = EnglishNo,
        NotYet =
            ["hold on", "hang on", "wait", "just a moment", "one moment", "one sec", "one second", "just a sec", "just a second", "give me a",
             "let me check", "let me think", "change", "different", "another time", "another day", "not sure", "i'm not sure", "maybe"],
        SlotApprovalPattern = @"^(?:yes )?(?:that|the|this|those)(?: (?:time|date|day|number|name|one|and))+ (?:is|are|sounds|works|work|looks|seems)(?: (?:fine|good|great|perfect|right|correct|ok|okay|for me))?$",

        Goodbye =
            ["bye", "goodbye", "good bye", "bye bye", "that's all", "thats all", "that's everything", "nothing else", "no thanks",
             "no thank you", "hang up", "i'm done", "im done", "have a good day", "that will be all", "that's all thanks"],
        Thanks =
            ["thank you", "thanks", "thank you so much", "thanks so much", "i'm good", "im good", "i'm good thanks", "i'm all set", "im all set",
             "all set", "all good", "that's it", "thats it", "that's it thanks", "no that's it", "that's all i needed", "great thanks",
             "perfect thanks", "ok thanks", "okay thanks", "okay thank you", "ok thank you", "cheers"],
        ThanksWords = ["thank you", "thanks", "thank you so much", "cheers"],
        ThanksLeads = new HashSet<string>(StringComparer.Ordinal) { "no", "nope", "ok", "okay", "great", "perfect", "alright", "cool", "okay great" },
        Abandon = ["never mind", "nevermind", "forget it", "forget about it", "stop", "don't bother", "dont bother", "no need", "skip it"],
        LeaveFillers = new HashSet<string>(StringComparer.Ordinal)
        {
            "then", "just", "i", "think", "that's", "it", "and", "please", "you", "all", "for", "now", "so", "yes", "yeah", "ok", "okay",
            "have", "a", "good", "nice", "great", "day", "night", "evening", "one", "anyway", "about", "mind", "actually", "bye",
        },
        Greetings = new HashSet<string>(StringComparer.Ordinal)
        {
            "hello", "hi", "hey", "hello hello", "hi there", "hello there", "hey there", "is anyone there", "hello is anyone there", "anyone there",
            "are you there", "hello are you there", "can you hear me", "hello can you hear me",
        },
        LeadingFillers = ["uh", "um", "oh", "well", "hmm", "er", "so"],

        Book = EnglishBook,
        RequestForms =
            ["i'd like to", "i would like to", "i'd love to", "we'd like to", "could i", "can i", "could you", "can you", "could we", "can we",
             "could someone", "can someone", "i want to", "i need to", "we need to", "is it possible to", "would you be able to"],
        Visit =
            ["come out", "come by", "come over", "send someone", "send somebody", "stop by", "swing by", "can someone come", "can somebody come",
             "book", "schedule", "appointment", "make an"],
        Person =
            ["speak to", "speak with", "talk to", "talk with", "a human", "a person", "real person", "representative", "operator",
             "the owner", "the manager", "transfer me", "put me through", "live person", "staff member", "someone on the phone",
             "somebody on the phone", "get me someone", "put someone on", "connect me", "come to the phone", "get someone",
             "get somebody", "someone help", "somebody help", "help me someone"],
        Someone = ["someone", "somebody", "anyone there"],
        SomeoneToDoAJob = ["come", "fix", "look", "send", "out", "over", "repair", "install", "check", "call me", "for someone", "someone else"],
        Reschedule =
            ["reschedule", "re schedule", "change my appointment", "change my booking", "change the time of my",
             "different time for my", "move the appointment", "move it to another", "postpone",
             "change our appointment", "change our booking", "move the booking"],
        MoveVerbs = ["reschedule", "re schedule", "move", "change", "push", "postpone", "switch", "shift", "bump"],
        MoveTo = ["to", "for"],
        MoveSomethingPattern = @"\b(?:move|push|shift|switch|bump|reschedule) (?:it|that|this|my|the|our|his|her|their|[a-z]+'s)\b",
        MoveLeads = ["can we do", "could we do", "can we make it", "could we make it", "how about", "what about", "can i do", "could i do", "i could do", "we could do"],
        MoveInstead = ["instead", "instead of that"],
        CantMakeIt = ["can't make it", "cant make it", "cannot make it", "won't make it", "can't come", "can't do", "won't be able to make it"],
        HaveAppointment = ["i've got", "ive got", "i have", "i'm booked", "im booked", "we have", "we've got", "booked for", "i'm scheduled", "i'm down for", "i booked", "we booked"],
        AppointmentWords = ["appointment", "booking", "visit", "session"],
        OwnAppointment = ["my appointment", "my booking", "our appointment", "our booking", "my session", "my visit"],
        Cancel = ["cancel", "call off"],
        CancelPattern =
            @"\bcall (?:it|that|this|them|(?:my|our|the|his|her|their|[a-z]+'s)(?: [a-z']+){1,3}?) off\b"
            + @"|\btake (?:me|us|him|her|them|it|that|my name|our names?) (?:off|out of) (?:the|your) (?:books|schedule|list|calendar|diary|appointment book)\b"
            + @"|\bscratch it\b|\bscratch (?:my|our|the) (?:appointment|booking|visit|session)\b"
            + @"|\b(?:won't|will not|don't|do not) need (?:[a-z']+ ){1,6}?(?:after all|anymore|any more|any longer)\b|\bno longer need\b",
        CancelThat = ["cancel that"],
        ThisNumber = ["this number", "this number's", "this phone", "this phone number", "the number i'm calling from", "the 1 i'm calling from",
                      "the number i'm calling on", "the number you have", "the number you've got", "same number"],
        Message =
            ["pass a message", "give him a message", "give her a message", "give them a message", "message for", "pass along",
             "let them know", "let him know", "let her know", "tell them", "tell him", "tell her", "have someone call me", "call me back"],
        PassOnTo = ["tell them", "tell him", "tell her", "let them know", "let him know", "let her know", "say that"],
        SelfReportVerbs = ["is", "was", "will", "won't", "can't", "cannot", "has", "had", "called", "says", "needs", "wants", "might", "got"],
        MessageSubjects = ["about", "regarding", "concerning", "because", "to say", "to let them know", "to let her know", "to let him know"],
        StrongMessage =
            ["leave a message", "take a message", "leave a note", "another message", "an urgent message", "leave him a message",
             "leave her a message", "leave them a message", "leave my message", "voicemail", "pass on a message", "give a message"],
        CallbackRequests =
            ["call me back", "call me", "call back", "get back to me", "ring me", "phone me", "give me a call", "give me a ring", "reach me",
             "contact me", "text me"],
        ForSomeone = "for someone",
        Children = ["son", "daughter", "kid", "kids", "child", "children", "child's", "children's", "kid's", "kids'", "boy", "girl", "toddler",
                    "little one", "grandson", "granddaughter", "my little", "baby"],
        Keep = ["keep", "hold on to", "hang on to", "leave", "don't cancel", "dont cancel", "don't move", "dont move", "don't touch"],
        ClauseJoiners = ["but", "and", "just", "please"],
        PutOff = ["think about it", "think it over", "check my calendar", "check my schedule", "check my work schedule", "look at my calendar",
                  "talk to my husband", "talk to my wife", "talk to my partner", "talk it over", "get back to you",
                  "sort something out", "figure something out", "some other time", "maybe another time", "do it another time"],
        SelfCallback = ["i'll call back", "i will call back", "we'll call back", "i'll just call back", "i'll call you back", "call back later", "i'll try again", "i'll ring back",
                        "and call back", "and call you back", "then call back"],
        QuestionStarts =
            ["what", "whats", "what's", "how", "do you", "does", "are you", "is there", "is it", "where", "where's", "wheres", "when", "when's", "which",
             "can you tell", "could you tell", "tell me", "i was wondering", "i wanted to know", "i want to know", "do i", "will i", "is the",
             "can i pay", "can i use", "do you take", "do you accept", "is it possible"],
        SlotWords =
            [("time", BookingSlot.Time), ("date", BookingSlot.Date), ("day", BookingSlot.Date), ("name", BookingSlot.Name), ("number", BookingSlot.Callback),
             ("phone", BookingSlot.Callback), ("service", BookingSlot.Service), ("appointment type", BookingSlot.Service)],
        ChangeWords = ["change", "changed", "different", "wrong", "another", "not", "no", "move", "moved", "instead", "fix", "update", "updated", "other"],
        SameTimePhrases = ["same time", "the same time", "same hour", "keep the time", "keep the same time"],

        FunctionWords = new HashSet<string>(StringComparer.Ordinal)
        {
            "a", "an", "the", "my", "our", "your", "his", "her", "their", "its", "i", "i'm", "im", "me", "we", "it", "for", "to", "of", "and", "but", "in",
            "on", "at", "is", "do", "get", "some", "this", "that", "with", "or",
        },
        Articles = ["a", "an", "the"],
        Suffixes = ["ings", "ing", "ions", "ion", "ed", "s"],
        CorrectionMarkers = ["no wait", "wait no", "actually", "i mean", "i meant", "sorry", "rather", "make that", "make it", "change it to", "instead"],
        CorrectionLeads = ["no"],
        NotSomethingPattern = @"\bnot (?:on |at |the )?(?:half past |quarter past |quarter to )?(?:\w+)(?: \d{2})?(?: (?:am|pm))?\b,?",

        ExplicitNamePrefixes =
            ["my name is", "my name's", "the name is", "name is", "name's", "this is", "it's under", "its under",
             "under the name", "put it under", "put it down for", "it's for", "its for", "book it for", "book it under", "booked under",
             "it's booked under", "under the name of", "put it under me", "under me", "put it under my name", "under my name"],
        NamePrefixes =
            ["my name is", "my name's", "the name is", "name is", "name's", "this is", "it's", "its", "it is", "i'm", "im", "i am",
             "under", "put it under", "for", "call me", "it's for", "its for", "it's under", "its under", "the name's", "uh", "um",
             "just put", "put", "put me down as", "just write", "write"],
        NameAnswerLeads = ["no", "actually", "sorry", "oh", "well", "yes", "yeah", "hi", "hello", "sure", "okay", "ok", "me", "please", "yes please", "of course"],
        NotNameWords = new HashSet<string>(StringComparer.Ordinal)
        {
            "somebody", "anybody", "nobody", "someone's", "somebody's",
            "kids", "daughter", "husband", "wife", "mom", "dad", "family", "dog", "sale", "discount", "cash", "real", "cheap", "free", "question", "urgent",
            "area", "code", "help", "good", "great", "fine", "works", "work", "same", "soon", "back", "half", "quarter", "past", "see", "hold",
            "please", "thanks", "thank", "you", "yes", "yeah", "okay", "ok", "sure", "hi", "hello", "um", "uh", "well", "so", "and", "i", "i'd", "id",
            "i'm", "im", "me", "my", "we", "us", "he", "she", "it", "they", "him", "her", "them", "a", "an", "the", "to", "at", "on", "in", "of",
            "is", "be", "get", "have", "need", "want", "like", "would", "could", "can", "some", "someone", "anyone", "today", "tomorrow", "tonight",
            "morning", "afternoon", "evening", "noon", "next", "this", "week", "day", "monday", "tuesday", "wednesday", "thursday", "friday",
            "saturday", "sunday", "january", "february", "march", "july", "september", "october", "november", "december", "appointment", "booking",
            "no", "not", "that", "right", "correct", "wrong", "am", "pm", "o'clock", "time", "what", "how", "do", "does", "are", "there", "book",
            "cancel", "reschedule", "message", "just", "actually", "instead", "also", "earlier", "later", "first", "second", "third", "last", "one",
            "all", "bye", "goodbye", "from", "nothing", "anything", "something", "everything", "everyone", "everybody", "myself", "now", "asap",
            "it's", "its", "about", "regarding", "re", "wait", "make", "change", "move", "been", "calling", "because", "dr", "doctor", "mr", "mrs",
            "ms", "mister", "sir", "ma'am", "madam", "if", "whether", "for", "with", "by", "around", "who", "why", "when", "where", "which",
            "there's", "that's", "thats", "here", "hey", "hiya", "alright", "sorry", "oh", "ah", "hmm", "er", "was", "were", "ago", "few",
        },
        RarelyNames = new HashSet<string>(StringComparer.Ordinal) { "cat", "april", "june", "august", "son" },
        NotNamesAfterFor = new HashSet<string>(StringComparer.Ordinal)
        {
            "grandma", "grandpa", "grandmother", "grandfather", "baby", "boyfriend", "girlfriend", "partner", "friend", "brother", "sister", "aunt",
            "uncle", "nephew", "niece", "school", "lunch", "somebody", "anybody", "anyone", "nobody", "someone", "insurance", "purposes", "me", "us", "myself", "him", "her", "them", "work", "sure", "real",
            "two", "one", "both", "everyone", "later", "now", "sale", "rent", "you", "kids", "son", "daughter", "mom", "dad", "cat", "dog", "pet",
        },
        Titles = ["mr", "mrs", "ms", "miss", "dr", "doctor", "mister", "missus"],
        CanNameGetPattern = @"\b(?:can|could|would|will) ([a-z][a-z'\-]+)(?: ([a-z][a-z'\-]+))? (?:get|have|come|book|see|do)\b",
        ForNamePattern = @"\bfor ([a-z][a-z'\-]+)(?: ([a-z][a-z'\-]+))?(?=$| (?:on|at|next|this|tomorrow|today|please|in|the)\b)",
        TrailingItsNamePattern = @"\b(?:it's|its|it is|this is) ([a-z][a-z'\-]+(?<!ing|ed) [a-z][a-z'\-]+(?<!ing|ed))$",
        MakeItNamePattern = @"\bmake it (?:for )?([a-z][a-z'\-]+(?: [a-z][a-z'\-]+)?)$",
        WrittenNamePatterns =
            // At the start of the answer or of any later sentence ("Cool. It's Jamal Haddad.", "Sorry, she was chewing the cord. It's Siddharth Rao.").
            [@"(?:^|[.!?]\s+)\s*(?:(?i:hi|hello|hey|yes|yeah|oh)(?i: there)?[,!]?\s+)?(?i:it's|it is|this is|i'm|i am)\s+([A-Z][a-z']+(?:-[A-Za-z][a-z']+)*(?: [A-Z][a-zA-Z']+(?:-[A-Za-z][a-z']+)*){0,2})\b",
             @"^\s*(?:(?i:hi|hello|hey)(?i: there)?[,!]?\s+)?([A-Z][a-z']+(?:-[A-Za-z][a-z']+)* [A-Z][a-zA-Z']+(?:-[A-Za-z][a-z']+)*) (?i:here)\b",
             @"\b(?i:neighbou?r|friend|mother|father|mom|mum|dad|husband|wife|son|daughter|brother|sister|boss|tenant)'?s?,?\s+([A-Z][a-z']+(?:-[A-Za-z][a-z']+)* [A-Z][a-zA-Z']+(?:-[A-Za-z][a-z']+)*)\b"],
        SurnamePrefixes =
            ["last name is", "last name's", "surname is", "surname's", "family name is", "family name's", "the last name is", "my last name is", "my surname is", "last name",
             "surname", "family name"],
        GivenNamePrefixes = ["first name is", "first name's", "my first name is", "the first name is", "first name", "given name is", "given name"],

        ChoiceWords = new Dictionary<string, int>(StringComparer.Ordinal)
        {
            ["1st"] = 1, ["first"] = 1, ["2nd"] = 2, ["second"] = 2, ["3rd"] = 3, ["third"] = 3, ["4th"] = 4, ["fourth"] = 4, ["last"] = Understood.LastChoice,
        },
        ComparativeChoices = new Dictionary<string, int>(StringComparer.Ordinal)
        {
            ["earlier"] = 1, ["earliest"] = 1, ["later"] = Understood.LastChoice, ["latest"] = Understood.LastChoice,
        },
        ChoiceNouns = ["one", "option", "time", "appointment"],
        ChoiceNumberWords = ["option", "number"],
        DigitsAskedForPattern = @"\b(?:the )?last 4\b(?: (?:digits?|numbers?))?|\b4 (?:digits?|numbers?)\b",
        ZeroWords = new HashSet<string>(StringComparer.Ordinal) { "oh", "o" },

        Calm =
            ["not an emergency", "no emergency", "not urgent", "nothing urgent", "isn't urgent", "nothing serious", "not serious", "no rush", "no hurry",
             "nobody's hurt", "nobody is hurt", "nobody got hurt", "no one is hurt", "no one's hurt", "nothing hurts", "not a big deal",
             "doesn't hurt", "does not hurt", "no pain", "whenever you can", "whenever you get a chance", "whenever you have time", "not in a hurry",
             "no big rush", "not a rush", "it can wait", "non urgent"],
        Dangers = EnglishDangers,
        UrgentExamples = EnglishUrgentExamples,
        RoutineExamples = EnglishRoutineExamples,
        QuestionConcepts = EnglishQuestionConcepts,
        WithoutAppointment = EnglishWithoutAppointment,
        OffTopicQuestions = EnglishOffTopicQuestions,
        ServiceRequestExample = "I'd like to book {0}",
        SettledPast = EnglishSettledPast,
        PresentMarkers = EnglishPresentMarkers,
        Hypothetical = EnglishHypothetical,
        PurposePattern = @"\b(?:want|wants|wanted|need|needs|needed|like|get|getting|have|having)(?: [a-z']+){1,4}? [a-z]+ed so (?:that )?",
        Figurative = EnglishFigurative,
        DangerNegators = new HashSet<string>(EnglishDangerNegators, StringComparer.Ordinal),
        Negators = new HashSet<string>(StringComparer.Ordinal)
        {
            "not", "never", "isn't", "isnt", "hasn't", "hasnt", "wasn't", "wasnt", "nothing", "nothing's", "nothings", "aren't", "haven't", "hadn't",
            "without",
        },
        GapWords = new HashSet<string>(StringComparer.Ordinal)
        {
            "my", "her", "his", "their", "our", "your", "its", "the", "a", "an", "is", "are", "was", "were", "been", "has", "have",
            "got", "gotten", "just", "all", "really", "very", "so", "myself", "himself", "herself", "themselves", "ourselves",
            "front", "back", "tooth", "teeth", "kid's", "son's", "daughter's", "keys", "key", "car", "house", "bad", "badly",
            "completely", "totally", "still", "now", "right", "up", "in", "me",
        },

        Units = new Dictionary<string, int>(StringComparer.Ordinal)
        {
            ["zero"] = 0, ["oh"] = 0, ["one"] = 1, ["two"] = 2, ["three"] = 3, ["four"] = 4, ["five"] = 5, ["six"] = 6,
            ["seven"] = 7, ["eight"] = 8, ["nine"] = 9, ["ten"] = 10, ["eleven"] = 11, ["twelve"] = 12, ["thirteen"] = 13,
            ["fourteen"] = 14, ["fifteen"] = 15, ["sixteen"] = 16, ["seventeen"] = 17, ["eighteen"] = 18, ["nineteen"] = 19,
        },
        Tens = new Dictionary<string, int>(StringComparer.Ordinal)
        {
            ["twenty"] = 20, ["thirty"] = 30, ["forty"] = 40, ["fifty"] = 50, ["sixty"] = 60, ["seventy"] = 70, ["eighty"] = 80, ["ninety"] = 90,
        },
        Ordinals = new Dictionary<string, int>(StringComparer.Ordinal)
        {
            ["first"] = 1, ["second"] = 2, ["third"] = 3, ["fourth"] = 4, ["fifth"] = 5, ["sixth"] = 6, ["seventh"] = 7,
            ["eighth"] = 8, ["ninth"] = 9, ["tenth"] = 10, ["eleventh"] = 11, ["twelfth"] = 12, ["thirteenth"] = 13,
            ["fourteenth"] = 14, ["fifteenth"] = 15, ["sixteenth"] = 16, ["seventeenth"] = 17, ["eighteenth"] = 18,
            ["nineteenth"] = 19, ["twentieth"] = 20, ["thirtieth"] = 30,
        },
        Repeats = new Dictionary<string, int>(StringComparer.Ordinal) { ["double"] = 2, ["triple"] = 3 },
        OrdinalsNotNumbers = new Dictionary<string, IReadOnlySet<string>>(StringComparer.Ordinal)
        {
            ["first"] = new HashSet<string>(StringComparer.Ordinal) { "thing", "time", "timer", "timers", "visit", "appointment" },
            ["second"] = new HashSet<string>(StringComparer.Ordinal) { "one", "opinion" },
        },

        Weekdays = new Dictionary<string, DayOfWeek>(StringComparer.Ordinal)
        {
            ["monday"] = DayOfWeek.Monday, ["tuesday"] = DayOfWeek.Tuesday, ["tues"] = DayOfWeek.Tuesday, ["wednesday"] = DayOfWeek.Wednesday,
            ["thursday"] = DayOfWeek.Thursday, ["thurs"] = DayOfWeek.Thursday, ["friday"] = DayOfWeek.Friday, ["saturday"] = DayOfWeek.Saturday,
            ["sunday"] = DayOfWeek.Sunday,
        },
        WeekdayAbbreviations = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
        Months = new Dictionary<string, int>(StringComparer.Ordinal)
        {
            ["january"] = 1, ["february"] = 2, ["march"] = 3, ["april"] = 4, ["may"] = 5, ["june"] = 6, ["july"] = 7, ["august"] = 8,
            ["september"] = 9, ["october"] = 10, ["november"] = 11, ["december"] = 12, ["jan"] = 1, ["feb"] = 2, ["mar"] = 3, ["apr"] = 4,
            ["jun"] = 6, ["jul"] = 7, ["aug"] = 8, ["sep"] = 9, ["sept"] = 9, ["oct"] = 10, ["nov"] = 11, ["dec"] = 12,
        },
        DeadlineWords = ["before", "by", "until", "till", "no later than"],
        TomorrowSpellings = ["tmrw", "tmw", "tomorow", "tommorow", "tmr"],

        PartsOfDay =
            [("after lunch", TimePreference.AfterLunch), ("morning", TimePreference.Morning), ("afternoon", TimePreference.Afternoon),
             ("evening", TimePreference.Evening), ("tonight", TimePreference.Evening), ("after work", TimePreference.Evening),
             ("after school", TimePreference.Afternoon)],
        Earliest = ["first thing", "earliest", "as early as"],
        NowWords = ["now", "right now", "still"],
        WeekWords = ["next week", "week"],
        MorningWords = ["in the morning", "this morning", "morning"],
        AfternoonWords = ["in the afternoon", "in the evening", "tonight", "this afternoon", "this evening", "at night", "in the night", "afternoon", "evening", "tomorrow night"],
        NamedTimes =
            [("noon", new TimeOnly(12, 0)), ("midday", new TimeOnly(12, 0)), ("mid day", new TimeOnly(12, 0)), ("midnight", new TimeOnly(0, 0)),
             ("mid night", new TimeOnly(0, 0))],
        StreetWords =
            ["street", "st", "avenue", "ave", "road", "rd", "drive", "dr", "lane", "ln", "way", "blvd", "boulevard", "court", "ct", "place", "pl",
             "circle", "terrace", "parkway", "pkwy", "highway", "hwy", "trail"],
        NumberLabels = ["unit", "apt", "apartment", "suite", "number", "room", "lot", "exit", "route", "stock", "interstate", "i"],
        CountWords = new HashSet<string>(StringComparer.Ordinal)
        {
            "people", "persons", "kids", "children", "guests", "dogs", "dog", "cats", "cat", "cars", "car", "days", "day", "weeks", "week", "months",
            "month", "years", "year", "minutes", "minute", "hours", "hour", "dollars", "bucks", "times", "of", "more", "percent", "pounds", "miles",
            "haircuts", "tattoos", "rooms", "bedrooms", "doors", "keys", "locks", "tires", "teeth",
        },
        TimeFollowers = new HashSet<string>(StringComparer.Ordinal)
        {
            "then", "or", "please", "works", "is", "would", "sounds", "ok", "okay", "if", "maybe", "pm", "am", "in", "on", "at", "thanks", "thank",
            "ish", "that", "o'clock", "oclock", "and",
        },
        LooseTimes = [("lunchtime", new TimeOnly(12, 0))],
    };
}
