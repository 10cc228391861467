using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using Receptionist.Telephony.Twilio;
using Receptionist.Testing;

namespace Receptionist.Host.Tests.Twilio;

/// <summary>Twilio's side of the socket, frame by frame, every wait bounded.</summary>
internal sealed class RelayClient : IAsyncDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);
    private readonly ClientWebSocket _socket = new();

    public static async Task<RelayClient> ConnectAsync(string url)
    {
        var client = new RelayClient();
        client._socket.Options.SetRequestHeader(TwilioSignature.Header, TwilioSignature.Compute(AppHost.AuthToken, url, []));
        using var cts = new CancellationTokenSource(Wait);
        await client._socket.ConnectAsync(new Uri(url), cts.Token);
        return client;
    }

    public Task SendAsync(JsonObject message) => SendRawAsync(message.ToJsonString());

    public async Task SendRawAsync(string text)
    {
        using var cts = new CancellationTokenSource(Wait);
        await _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, cts.Token);
    }

    public async Task<JsonObject> ReceiveAsync()
    {
        var (type, text) = await ReceiveFrameAsync();
        Assert.Equal(WebSocketMessageType.Text, type);
        return (JsonObject)JsonNode.Parse(text)!;
    }

    /// <summary>Text tokens up to and including the one with last: true.</summary>
    public async Task<List<JsonObject>> ReceiveTurnAsync()
    {
        var tokens = new List<JsonObject>();
        while (true)
        {
            var message = await ReceiveAsync();
            Assert.Equal("text", (string)message["type"]!);
            tokens.Add(message);
            if ((bool)message["last"]!)
            {
                return tokens;
            }
        }
    }

    public async Task<(WebSocketCloseStatus? Status, string? Reason)> ReceiveCloseAsync()
    {
        while (true)
        {
            var (type, _) = await ReceiveFrameAsync();
            if (type == WebSocketMessageType.Close)
            {
                return (_socket.CloseStatus, _socket.CloseStatusDescription);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            using var cts = new CancellationTokenSource(Wait);
            await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", cts.Token);
        }

        _socket.Dispose();
    }

    private async Task<(WebSocketMessageType Type, string Text)> ReceiveFrameAsync()
    {
        using var cts = new CancellationTokenSource(Wait);
        var buffer = new byte[256 * 1024];
        var count = 0;
        WebSocketReceiveResult result;
        do
        {
            result = await _socket.ReceiveAsync(new ArraySegment<byte>(buffer, count, buffer.Length - count), cts.Token);
            count += result.Count;
        }
        while (!result.EndOfMessage);

        return (result.MessageType, Encoding.UTF8.GetString(buffer, 0, count));
    }
}
