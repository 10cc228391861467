namespace Receptionist.Telephony.Acs.Simulation;

/// <summary>The media streaming an answer asked for (<c>mediaStreamingOptions</c>): where ACS opens the WebSocket,
/// which audio, and whether we may speak back and receive keys on it.</summary>
public sealed record AcsStandInMedia(Uri TransportUrl, string AudioChannelType, string AudioFormat, bool StartMediaStreaming, bool EnableBidirectional, bool EnableDtmfTones);
