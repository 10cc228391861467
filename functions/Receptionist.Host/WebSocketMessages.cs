using System.Net.WebSockets;

namespace Receptionist.Host;

/// <summary>What one read of a carrier's WebSocket gave: a whole text message (its length in the buffer), a binary
/// one, the peer's close, or a message longer than the buffer (the socket is then to be closed with 1009).</summary>
public enum WebSocketRead
{
    Text,
    Binary,
    Closed,
    TooBig,
}

/// <summary>Reading whole messages from the carriers' sockets (ConversationRelay, Media Streams), bounded by the buffer.</summary>
public static class WebSocketMessages
{
    /// <summary>Reads one whole message into <paramref name="buffer"/>; never more than its length.</summary>
    public static async Task<(WebSocketRead Kind, int Count)> ReadAsync(WebSocket socket, byte[] buffer, CancellationToken ct)
    {
        var count = 0;
        ValueWebSocketReceiveResult result;
        do
        {
            if (count == buffer.Length)
            {
                return (WebSocketRead.TooBig, count);
            }

            result = await socket.ReceiveAsync(buffer.AsMemory(count), ct);
            count += result.Count;
        }
        while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);

        return result.MessageType switch
        {
            WebSocketMessageType.Close => (WebSocketRead.Closed, count),
            WebSocketMessageType.Text => (WebSocketRead.Text, count),
            _ => (WebSocketRead.Binary, count),
        };
    }
}
