using System.Text.Json;
using Receptionist.Core.Conversation;
using Twilio.TwiML;
using Twilio.TwiML.Voice;
using Say = Receptionist.Core.Conversation.Say;
using Hangup = Receptionist.Core.Conversation.Hangup;
using HttpMethod = Twilio.Http.HttpMethod;

namespace Receptionist.Telephony.Twilio;

/// <summary>Where a ConversationRelay session connects and where Twilio reports its end.</summary>
/// <param name="WebSocketUrl">Absolute <c>wss://</c> (or <c>ws://</c> locally) URL of the relay endpoint.</param>
/// <param name="ActionUrl">The &lt;Connect action&gt; Twilio requests when the session ends.</param>
public sealed record RelaySettings(string WebSocketUrl, string ActionUrl, string Language);

/// <summary>Where a Media Streams call connects its audio and where Twilio goes when we close the stream.</summary>
/// <param name="WebSocketUrl">Absolute <c>wss://</c> (or <c>ws://</c> locally) URL of the media endpoint; Twilio allows
/// no query string on it, so the call is bound by <see cref="Tenant"/> and <see cref="Turn"/> as &lt;Parameter&gt;s.</param>
/// <param name="ActionUrl">The &lt;Connect action&gt; Twilio requests when the stream ends.</param>
public sealed record StreamSettings(string WebSocketUrl, string ActionUrl, string Tenant, int Turn, string Language);

/// <summary>
/// Renders the engine's neutral actions as TwiML with the official SDK's <see cref="VoiceResponse"/>. Gather mode: the
/// prompts before a Listen go inside its &lt;Gather&gt; so the caller can answer while they play. Relay mode: a Listen
/// becomes &lt;Connect&gt;&lt;ConversationRelay&gt; whose welcome greeting is the prompts before it; Twilio listens and
/// speaks from there and the rest of the conversation is text over the WebSocket.
/// </summary>
public static class Twiml
{
    public static string Render(IReadOnlyList<CallAction> actions, string gatherActionUrl, string language) =>
        Render(actions, gatherActionUrl, null, language);

    /// <param name="dialActionUrl">Where Twilio reports a transfer's outcome (DialCallStatus); null: the call ends with the transfer.</param>
    public static string Render(IReadOnlyList<CallAction> actions, string gatherActionUrl, string? dialActionUrl, string language) =>
        Build(actions, dialActionUrl, language, (response, pending, listen) =>
        {
            var gather = new Gather(
                input: [Gather.InputEnum.Speech, Gather.InputEnum.Dtmf],
                action: new Uri(gatherActionUrl, UriKind.RelativeOrAbsolute),
                method: HttpMethod.Post,
                timeout: Listening.NoInputSeconds,
                speechTimeout: "auto",
                language: language,
                hints: listen.Hints.Count > 0 ? string.Join(", ", listen.Hints.Take(100)) : null,
                actionOnEmptyResult: true);
            foreach (var say in pending)
            {
                gather.Say(say.Text, language: language);
            }

            response.Append(gather);
        });

    /// <summary>Relay mode: Says before a Listen become the session's welcome greeting; the rest as in gather mode.</summary>
    public static string RenderRelay(IReadOnlyList<CallAction> actions, RelaySettings relay, string? dialActionUrl) =>
        Build(actions, dialActionUrl, relay.Language, (response, pending, _) =>
        {
            var connect = new Connect(action: new Uri(relay.ActionUrl, UriKind.RelativeOrAbsolute), method: HttpMethod.Post);
            var greeting = string.Join(" ", pending.Select(s => s.Text));
            connect.Append(new ConversationRelay(
                url: relay.WebSocketUrl,
                language: relay.Language,
                welcomeGreeting: greeting.Length > 0 ? greeting : null,
                welcomeGreetingInterruptible: Interruptible(pending),
                interruptible: "any",
                dtmfDetection: true,
                reportInputDuringAgentSpeech: true));
            response.Append(connect);
        });

    /// <summary>Stream mode: a Listen becomes &lt;Connect&gt;&lt;Stream&gt;; the Says before it are not TwiML — the
    /// voice session speaks them over the stream in the tenant's voice. A decision without a Listen (a transfer, a
    /// hang-up before the stream opened) renders as in gather mode.</summary>
    public static string RenderStream(IReadOnlyList<CallAction> actions, StreamSettings stream, string? dialActionUrl) =>
        Build(actions, dialActionUrl, stream.Language, (response, _, _) =>
        {
            var connect = new Connect(action: new Uri(stream.ActionUrl, UriKind.RelativeOrAbsolute), method: HttpMethod.Post);
            var media = new global::Twilio.TwiML.Voice.Stream(url: stream.WebSocketUrl);
            media.Parameter(name: StreamParameters.Tenant, value: stream.Tenant);
            media.Parameter(name: StreamParameters.Turn, value: stream.Turn.ToString(System.Globalization.CultureInfo.InvariantCulture));
            connect.Append(media);
            response.Append(connect);
        });

    /// <summary>The &lt;Parameter&gt;s of a stream, as its <c>start</c> message's customParameters.</summary>
    public static class StreamParameters
    {
        public const string Tenant = "tenant";
        public const string Turn = "turn";
    }

    /// <summary>The ConversationRelay <c>interruptible</c> value for prompts (<see cref="Say.SpeechMayInterrupt"/>).</summary>
    public static string Interruptible(IEnumerable<Say> says) => Say.SpeechMayInterrupt(says) ? "any" : "dtmf";

    /// <summary>A short holding phrase, then Twilio requests <paramref name="retryUrl"/> (the same turn, once more).</summary>
    public static string HoldAndRetry(string text, string retryUrl, string language = "en-US")
    {
        var response = new VoiceResponse();
        response.Say(text, language: language);
        response.Redirect(new Uri(retryUrl, UriKind.RelativeOrAbsolute), HttpMethod.Post);
        return response.ToString(System.Xml.Linq.SaveOptions.DisableFormatting);
    }

    /// <summary>An empty Messaging TwiML answer to an inbound text: no reply (Twilio sends the STOP/START confirmations).</summary>
    public static string EmptyResponse { get; } = new global::Twilio.TwiML.MessagingResponse().ToString(System.Xml.Linq.SaveOptions.DisableFormatting);

    /// <summary>A spoken message followed by hanging up (unknown numbers, technical difficulty).</summary>
    public static string SayAndHangup(string text, string language = "en-US") =>
        Render([new Say(text), new Hangup()], string.Empty, language);

    /// <summary>What a relay session's <c>end</c> message carries: why it ended, for the &lt;Connect action&gt;.</summary>
    public static string HandoffData(string reason) => JsonSerializer.Serialize(new Dictionary<string, string> { ["reason"] = reason });

    /// <summary>The reason in <see cref="HandoffData(string)"/>'s JSON, or null when there is none or it is not ours.</summary>
    public static string? HandoffReason(string? handoffData)
    {
        try
        {
            return handoffData is null ? null
                : JsonSerializer.Deserialize<Dictionary<string, string>>(handoffData)?.GetValueOrDefault("reason");
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The reasons a relay session hands back to TwiML.</summary>
    public static class HandoffReasons
    {
        public const string Transfer = "transfer";
        public const string Hangup = "hangup";
        public const string Error = "error";
    }

    private static string Build(IReadOnlyList<CallAction> actions, string? dialActionUrl, string language, Action<VoiceResponse, List<Say>, Listen> listen)
    {
        var response = new VoiceResponse();
        var pending = new List<Say>();
        void Flush()
        {
            foreach (var say in pending)
            {
                response.Say(say.Text, language: language);
            }

            pending.Clear();
        }

        foreach (var action in actions)
        {
            switch (action)
            {
                case Say say:
                    pending.Add(say);
                    break;
                case Listen l:
                    listen(response, pending, l);
                    pending.Clear();
                    break;
                case TransferCall transfer:
                    Flush();
                    var dial = dialActionUrl is null
                        ? new Dial(timeout: 20)
                        : new Dial(action: new Uri(dialActionUrl, UriKind.RelativeOrAbsolute), method: HttpMethod.Post, timeout: 20);
                    dial.Number(transfer.Number);
                    response.Append(dial);
                    break;
                case Hangup:
                    Flush();
                    response.Hangup();
                    break;
            }
        }

        Flush();
        return response.ToString(System.Xml.Linq.SaveOptions.DisableFormatting);
    }
}
