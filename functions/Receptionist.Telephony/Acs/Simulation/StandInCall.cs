using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace Receptionist.Telephony.Acs.Simulation;

/// <summary>
/// One answered call on ACS's side: its connection state (connecting until CallConnected is delivered, connected,
/// disconnected), its ordered callbacks, the app's requests for the simulator playing the caller, and the plays that
/// are left running because the stand-in does not report their completion.
/// </summary>
internal sealed class StandInCall
{
    private readonly Lock _gate = new();
    private readonly StandInCallbacks _callbacks;
    private readonly Channel<AppRequest> _requests = Channel.CreateUnbounded<AppRequest>(new UnboundedChannelOptions { SingleReader = true });
    private readonly List<string?> _runningPlays = [];
    private string _state = "connecting";

    public StandInCall(string id, AcsStandInCall incoming, Uri callbackUri, StandInCallbacks callbacks, CancellationToken stop)
    {
        Id = id;
        Incoming = incoming;
        CallbackUri = callbackUri;
        _callbacks = callbacks;
        Callbacks = new StandInCallbackQueue(callbacks, callbackUri, e => _requests.Writer.TryWrite(new CallbackFailure(Stopwatch.GetTimestamp(), e)), stop);
    }

    /// <summary>The callConnectionId.</summary>
    public string Id { get; }

    public AcsStandInCall Incoming { get; }

    public Uri CallbackUri { get; }

    public StandInCallbackQueue Callbacks { get; }

    /// <summary>Answered with callIntelligenceOptions (Azure AI services): text-to-speech and speech recognition work.</summary>
    public bool HasSpeechServices { get; init; }

    /// <summary>The media streaming the call was answered with, if any.</summary>
    public AcsStandInMedia? Media { get; init; }

    /// <summary>What the app asked of this call, in order.</summary>
    public ChannelReader<AppRequest> Requests => _requests.Reader;

    /// <summary>connecting, connected or disconnected.</summary>
    public string State
    {
        get
        {
            lock (_gate)
            {
                return _state;
            }
        }
    }

    public void Notify(AppRequest request) => _requests.Writer.TryWrite(request);

    public QueuedCallback Post(string name, string? operationContext, JsonObject resultInformation, JsonObject? specific = null, Action? sending = null) =>
        Callbacks.Enqueue(_callbacks.Event(name, this, operationContext, resultInformation, specific), sending);

    /// <summary>CallConnected is being delivered: the call is established (unless it has already ended).</summary>
    public void MarkConnected()
    {
        lock (_gate)
        {
            _state = _state == "connecting" ? "connected" : _state;
        }
    }

    /// <summary>Ends the call on ACS's side; false when it had already ended (exactly one CallDisconnected).</summary>
    public bool TryDisconnect()
    {
        lock (_gate)
        {
            if (_state == "disconnected")
            {
                return false;
            }

            _state = "disconnected";
            return true;
        }
    }

    /// <summary>Ends the call from the far side (the caller hangs up, a transfer took the caller away).</summary>
    public void Disconnect(string message)
    {
        if (TryDisconnect())
        {
            Post("CallDisconnected", null, StandInCallbacks.Result(200, 0, message));
        }
    }

    public void AddRunningPlay(string? operationContext)
    {
        lock (_gate)
        {
            _runningPlays.Add(operationContext);
        }
    }

    /// <summary>The plays still running, which a cancel ends.</summary>
    public IReadOnlyList<string?> TakeRunningPlays()
    {
        lock (_gate)
        {
            var plays = _runningPlays.ToList();
            _runningPlays.Clear();
            return plays;
        }
    }
}
