using System.ClientModel.Primitives;
using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Receptionist.Testing;

namespace Receptionist.Cloud.Tests.Llm;

/// <summary>One request as the fake server received it.</summary>
public sealed record RecordedRequest(string Path, string? Authorization, JsonNode Body)
{
    public JsonArray Messages => Body["messages"]!.AsArray();

    public string? Model => (string?)Body["model"];

    public JsonObject Schema => Body["response_format"]!["json_schema"]!["schema"]!.AsObject();
}

/// <summary>What the fake server answers to one request.</summary>
public sealed record FakeReply(int Status = 200, string? Content = null, string? Refusal = null, string FinishReason = "stop", TimeSpan Delay = default, string? RawBody = null)
{
    public static FakeReply Json(object answer) => new(Content: JsonSerializer.Serialize(answer));

    public static FakeReply Error(int status) =>
        new(status, RawBody: new JsonObject { ["error"] = new JsonObject { ["message"] = "scripted failure", ["type"] = "server_error", ["code"] = $"{status}" } }.ToJsonString());
}

/// <summary>
/// A minimal OpenAI-compatible server on http://127.0.0.1:&lt;free port&gt;: records every request and answers
/// POST /openai/v1/chat/completions with scripted replies (the last one repeats). Stopped on dispose.
/// </summary>
public sealed class FakeOpenAIServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<FakeReply> _replies = new();
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private FakeReply _last = FakeReply.Json(new { intent = "None" });

    private FakeOpenAIServer(WebApplication app) => _app = app;

    public Uri Endpoint { get; private set; } = null!;

    public IReadOnlyList<RecordedRequest> Requests => [.. _requests];

    /// <summary>The self-signed certificate served when started with https (Entra ID tokens are only sent over TLS).</summary>
    public X509Certificate2? Certificate => _certificate?.Certificate;

    private LoopbackCertificate? _certificate;

    /// <param name="https">Serve https with a fresh self-signed certificate for 127.0.0.1 (see <see cref="TrustingTransport"/>).</param>
    public static async Task<FakeOpenAIServer> StartAsync(bool https = false)
    {
        var builder = WebApplication.CreateSlimBuilder();
        var certificate = https ? new LoopbackCertificate() : null;
        if (certificate is not null)
        {
            builder.WebHost.UseKestrelCore().ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.UseHttps(certificate.Certificate)));
        }
        else
        {
            builder.WebHost.UseKestrelCore().UseUrls("http://127.0.0.1:0");
        }

        builder.Logging.ClearProviders();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(2));
        var app = builder.Build();
        var server = new FakeOpenAIServer(app) { _certificate = certificate };
        app.MapPost("/openai/v1/chat/completions", server.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        server.Endpoint = new Uri(address.Replace("[::1]", "127.0.0.1", StringComparison.Ordinal));
        return server;
    }

    /// <summary>A client transport that trusts exactly this server's self-signed certificate.</summary>
    public PipelineTransport TrustingTransport() =>
        new HttpClientPipelineTransport(new HttpClient((_certificate ?? throw new InvalidOperationException("The server was started without https.")).TrustingHandler()));

    /// <summary>Replies in this order; the last one is repeated for further requests.</summary>
    public void Script(params FakeReply[] replies)
    {
        foreach (var reply in replies)
        {
            _replies.Enqueue(reply);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _certificate?.Dispose();
    }

    private async Task HandleAsync(HttpContext http)
    {
        var body = await JsonNode.ParseAsync(http.Request.Body, cancellationToken: http.RequestAborted) ?? new JsonObject();
        _requests.Enqueue(new RecordedRequest(http.Request.Path, http.Request.Headers.Authorization.ToString(), body));

        if (_replies.TryDequeue(out var next))
        {
            _last = next;
        }

        var reply = _last;
        if (reply.Delay > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(reply.Delay, http.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        http.Response.StatusCode = reply.Status;
        http.Response.ContentType = "application/json";
        await http.Response.WriteAsync(reply.RawBody ?? Completion(reply, (string?)body["model"]), http.RequestAborted);
    }

    private static string Completion(FakeReply reply, string? model) => new JsonObject
    {
        ["id"] = "chatcmpl-fake-1",
        ["object"] = "chat.completion",
        ["created"] = 1_795_000_000,
        ["model"] = model,
        ["choices"] = new JsonArray(new JsonObject
        {
            ["index"] = 0,
            ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = reply.Content, ["refusal"] = reply.Refusal },
            ["finish_reason"] = reply.FinishReason,
            ["logprobs"] = null,
        }),
        ["usage"] = new JsonObject { ["prompt_tokens"] = 120, ["completion_tokens"] = 40, ["total_tokens"] = 160 },
    }.ToJsonString();
}

/// <summary>Keeps what was logged so tests can check warnings and that no caller text leaks into logs.</summary>
public sealed class ListLogger<T> : ILogger<T>
{
    private readonly ConcurrentQueue<(LogLevel Level, string Message)> _entries = new();

    public IReadOnlyList<(LogLevel Level, string Message)> Entries => [.. _entries];

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        _entries.Enqueue((logLevel, formatter(state, exception) + (exception is null ? string.Empty : " " + exception)));
}

/// <summary>Stands in for DefaultAzureCredential (which would reach for a managed-identity endpoint off this machine).</summary>
public sealed class FakeTokenCredential(string token) : Azure.Core.TokenCredential
{
    private readonly ConcurrentQueue<string> _scopes = new();

    public IReadOnlyList<string> Scopes => [.. _scopes];

    public override Azure.Core.AccessToken GetToken(Azure.Core.TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        foreach (var scope in requestContext.Scopes)
        {
            _scopes.Enqueue(scope);
        }

        return new Azure.Core.AccessToken(token, DateTimeOffset.UtcNow.AddHours(1));
    }

    public override ValueTask<Azure.Core.AccessToken> GetTokenAsync(Azure.Core.TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        ValueTask.FromResult(GetToken(requestContext, cancellationToken));
}
