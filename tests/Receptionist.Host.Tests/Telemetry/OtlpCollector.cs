using System.IO.Compression;
using System.Net;
using System.Net.Sockets;

namespace Receptionist.Host.Tests.Telemetry;

/// <summary>
/// A loopback OTLP/HTTP collector (HttpListener on 127.0.0.1, a port the OS chose): accepts POST /v1/traces,
/// /v1/metrics and /v1/logs with application/x-protobuf (gzip or not), decodes each request as it arrives and answers
/// 200 with an empty export response, as a collector does; anything else is 404/415/400. Not Kestrel: the app's
/// ASP.NET Core instrumentation sees every Kestrel server in the process and would trace the collector's own requests.
/// </summary>
public sealed class OtlpCollector : IAsyncDisposable
{
    private const long MaxBody = 16 * 1024 * 1024;
    private readonly HttpListener _listener;
    private readonly Task _loop;
    private readonly OtlpDecoder _decoder = new();
    private readonly Lock _lock = new();
    private readonly List<string> _rejected = [];

    private OtlpCollector(HttpListener listener, Uri endpoint)
    {
        _listener = listener;
        Endpoint = endpoint;
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>http://127.0.0.1:{port} — the value for OTEL_EXPORTER_OTLP_ENDPOINT.</summary>
    public Uri Endpoint { get; }

    public static OtlpCollector Start()
    {
        for (var attempt = 1; ; attempt++)
        {
            // HttpListener cannot take port 0: borrow a free one from the OS, then listen on it.
            using var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            var listener = new HttpListener();
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            try
            {
                listener.Start();
                return new OtlpCollector(listener, new Uri($"http://127.0.0.1:{port}"));
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                listener.Close(); // taken meanwhile: another port
            }
        }
    }

    /// <summary>Works on what has been received so far, under the collector's lock.</summary>
    public T Read<T>(Func<OtlpDecoder, T> read)
    {
        lock (_lock)
        {
            return read(_decoder);
        }
    }

    /// <summary>Requests that were not valid OTLP (wrong type, undecodable): none expected.</summary>
    public IReadOnlyList<string> Rejected
    {
        get
        {
            lock (_lock)
            {
                return [.. _rejected];
            }
        }
    }

    /// <summary>Polls until <paramref name="done"/> holds or <paramref name="timeout"/> passes; returns whether it held.</summary>
    public async Task<bool> WaitForAsync(Func<OtlpDecoder, bool> done, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (!Read(done))
        {
            if (DateTime.UtcNow > until)
            {
                return false;
            }

            await Task.Delay(50);
        }

        return true;
    }

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return; // stopped
            }

            try
            {
                context.Response.StatusCode = await ReceiveAsync(context.Request);
                context.Response.ContentType = "application/x-protobuf";
                context.Response.ContentLength64 = 0;
            }
            catch (Exception ex) when (ex is IOException or HttpListenerException)
            {
                Reject($"transport: {ex.Message}");
            }
            finally
            {
                context.Response.Close();
            }
        }
    }

    private async Task<int> ReceiveAsync(HttpListenerRequest request)
    {
        var path = request.Url?.AbsolutePath ?? string.Empty;
        var signal = path.StartsWith("/v1/", StringComparison.Ordinal) ? path[4..] : null;
        if (request.HttpMethod != "POST" || signal is not ("traces" or "metrics" or "logs"))
        {
            Reject($"{request.HttpMethod} {path}");
            return 404;
        }

        if (!string.Equals(request.ContentType, "application/x-protobuf", StringComparison.OrdinalIgnoreCase))
        {
            Reject($"{signal}: content type {request.ContentType}");
            return 415;
        }

        using var body = new MemoryStream();
        var source = request.Headers["Content-Encoding"] == "gzip" ? new GZipStream(request.InputStream, CompressionMode.Decompress) : request.InputStream;
        await using (source)
        {
            await source.CopyToAsync(body);
        }

        if (body.Length > MaxBody)
        {
            return 413;
        }

        try
        {
            lock (_lock)
            {
                Action<ReadOnlyMemory<byte>> decode = signal switch
                {
                    "traces" => _decoder.Traces,
                    "metrics" => _decoder.MetricsRequest,
                    _ => _decoder.LogsRequest,
                };
                decode(body.ToArray());
            }
        }
        catch (FormatException ex)
        {
            Reject($"{signal}: {ex.Message}");
            return 400;
        }

        return 200;
    }

    private void Reject(string why)
    {
        lock (_lock)
        {
            _rejected.Add(why);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _loop.WaitAsync(TimeSpan.FromSeconds(5));
    }
}
