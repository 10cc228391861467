using Receptionist.Core.Conversation;
using Receptionist.Core.Understanding;

namespace Receptionist.Core.Tests.Conversation;

/// <summary>
/// What the caller meant, built directly as the <see cref="Heard"/> event the engine reads — no rule understanding in
/// between, so an engine test tests the flow only (<c>call.Hear(Heard.Book(service: "Cleaning", date: Friday),
/// Heard.Time(SpokenTime.Exact(10, 0)), Heard.Name("Sam Lee"), Heard.Yes)</c>). The engine reads the raw text only
/// while it takes a message down (and counts its words when the caller declines a name), so the text defaults to the
/// meaning's own name; <see cref="Saying"/> sets the words where they matter. The engine tests that used to speak
/// words now hear, field for field, what the rules made of those words when they were converted (hence the odd
/// <c>asksForChange: true</c> next to a "no"), so each test still means what it meant.
/// </summary>
/// <remarks>Static extension members of the event type itself: <c>Heard.Yes</c> is a <see cref="Heard"/>, and
/// <c>new Heard(text, confidence, meaning)</c> still means the event.</remarks>
internal static class HeardBuilders
{
    private const double Confidence = 0.9;

    extension(Heard)
    {
        /// <summary>Any meaning; the text defaults to the answer or the intent's name.</summary>
        public static Heard Of(Understood meaning, string? text = null) =>
            new(text ?? (meaning.Answer != Answer.None ? meaning.Answer.ToString() : meaning.Intent.ToString()), Confidence, meaning);

        /// <summary>Any intent with any slots (the named arguments of <see cref="Understood"/>).</summary>
        public static Heard Of(
            Intent intent,
            Answer answer = Answer.None,
            string? service = null,
            DateOnly? date = null,
            SpokenTime? time = null,
            string? name = null,
            string? phone = null,
            TimePreference preference = TimePreference.None,
            string? topic = null,
            bool corrects = false,
            int? choice = null,
            bool wholeName = false,
            string? digits = null,
            bool surnameOnly = false,
            MoveSaid? move = null,
            BookingSlot? slotNamed = null,
            bool asksForChange = false) =>
            Heard.Of(new Understood(intent, answer, service, date, time, name, phone, preference, topic, corrects, choice, wholeName, digits, surnameOnly, move, slotNamed, asksForChange));

        /// <summary>Nothing understood: a miss wherever an answer is expected.</summary>
        public static Heard Nothing => Heard.Of(Understood.Nothing);

        /// <summary>Words with no intent and no slot (what a message is made of).</summary>
        public static Heard Words(string text) => Heard.Of(Understood.Nothing, text);

        public static Heard Yes => Heard.Of(Intent.None, Answer.Yes);

        public static Heard No => Heard.Of(Intent.None, Answer.No);

        public static Heard Goodbye => Heard.Of(Intent.Goodbye);

        public static Heard Person => Heard.Of(Intent.Person);

        public static Heard Emergency => Heard.Of(Intent.Emergency);

        /// <summary>No intent, only slots: the answer to the question just asked ("Friday", "10 am", "no, Wednesday").</summary>
        public static Heard Slots(
            Answer answer = Answer.None,
            string? service = null,
            DateOnly? date = null,
            SpokenTime? time = null,
            string? name = null,
            TimePreference preference = TimePreference.None,
            bool corrects = false,
            bool wholeName = false,
            bool surnameOnly = false,
            BookingSlot? slotNamed = null,
            bool asksForChange = false) =>
            Heard.Of(Intent.None, answer, service, date, time, name, preference: preference, corrects: corrects, wholeName: wholeName,
                surnameOnly: surnameOnly, slotNamed: slotNamed, asksForChange: asksForChange);

        public static Heard Service(string service) => Heard.Slots(service: service);

        public static Heard Date(DateOnly date) => Heard.Slots(date: date);

        public static Heard Time(SpokenTime time) => Heard.Slots(time: time);

        public static Heard Name(string name) => Heard.Slots(name: name);

        /// <summary>A 1-based pick among the options just offered (<see cref="Understood.LastChoice"/> for the last).</summary>
        public static Heard Choice(int choice) => Heard.Of(Intent.None, choice: choice);

        /// <summary>A phone number (E.164) and the digits said.</summary>
        public static Heard Phone(string phone, string digits) => Heard.Of(Intent.None, phone: phone, digits: digits);

        public static Heard Book(
            string? service = null,
            DateOnly? date = null,
            SpokenTime? time = null,
            string? name = null,
            TimePreference preference = TimePreference.None,
            string? topic = null,
            bool corrects = false,
            bool wholeName = false) =>
            Heard.Of(Intent.Book, service: service, date: date, time: time, name: name, preference: preference, topic: topic,
                corrects: corrects, wholeName: wholeName);

        public static Heard Reschedule(string? service = null, DateOnly? date = null, SpokenTime? time = null, string? name = null, MoveSaid? move = null) =>
            Heard.Of(Intent.Reschedule, service: service, date: date, time: time, name: name, move: move);

        public static Heard Cancel(string? service = null, DateOnly? date = null, SpokenTime? time = null, string? name = null) =>
            Heard.Of(Intent.Cancel, service: service, date: date, time: time, name: name);

        public static Heard Message(string? name = null) => Heard.Of(Intent.Message, name: name);

        /// <summary>A question about <paramref name="topic"/> (one of <see cref="Topics"/>), or one nothing known answers.</summary>
        public static Heard Question(string? topic) => Heard.Of(Intent.Question, topic: topic);
    }

    extension(Heard heard)
    {
        /// <summary>The same meaning said in these words (for a message, or a name declined at length).</summary>
        public Heard Saying(string text) => heard with { Text = text };
    }
}
