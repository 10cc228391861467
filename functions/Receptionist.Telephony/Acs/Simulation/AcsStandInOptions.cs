namespace Receptionist.Telephony.Acs.Simulation;

/// <summary>How the loopback Call Automation stand-in is set up: the credentials the app is given for it, and the
/// one behaviour a test may want to take away from it.</summary>
public sealed record AcsStandInOptions
{
    /// <summary>The port on 127.0.0.1; 0 lets the OS choose (tests), the CLI uses 7073 (the development defaults).</summary>
    public int Port { get; init; }

    /// <summary>The access key of the connection string (base64): the HMAC key every REST request must be signed with.</summary>
    public required string AccessKey { get; init; }

    /// <summary>The ACS resource's immutable id (a GUID string): the audience of the JWT on every callback.</summary>
    public required string ResourceId { get; init; }

    /// <summary>False: a play never reports PlayCompleted, so the app's own play timeout is what moves the call on.</summary>
    public bool SendPlayCompleted { get; init; } = true;

    /// <summary>The clock the x-ms-date of a request is checked against and callback tokens and event times come
    /// from; durations the simulator measures are taken from the monotonic clock regardless.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
