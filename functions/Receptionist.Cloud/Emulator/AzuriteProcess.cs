using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Receptionist.Cloud.Emulator;

/// <summary>
/// Runs Azurite (npm azurite, installed in the repo's node_modules) as a child node process on 127.0.0.1, waits until
/// every service says "successfully listening", and kills it on dispose. Port 0 lets the OS choose (tests).
/// </summary>
public sealed partial class AzuriteProcess : IAsyncDisposable
{
    public const string AccountName = "devstoreaccount1";
    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly Process _process;

    private AzuriteProcess(Process process, int blobPort, int queuePort, int tablePort, bool https)
    {
        _process = process;
        Https = https;
        BlobPort = blobPort;
        QueuePort = queuePort;
        TablePort = tablePort;
    }

    /// <summary>The node process serving the emulator (tests stall it with SIGSTOP to play a storage outage).</summary>
    public int ProcessId => _process.Id;

    /// <summary>Serving https with OAuth (bearer tokens) as well as shared keys: see <see cref="AzuriteTls"/>.</summary>
    public bool Https { get; }

    /// <summary>A service's endpoint, e.g. <c>Endpoint("table")</c>.</summary>
    public Uri Endpoint(string service) => new($"{(Https ? "https" : "http")}://127.0.0.1:{service switch
    {
        "blob" => BlobPort,
        "queue" => QueuePort,
        "table" => TablePort,
        _ => throw new ArgumentOutOfRangeException(nameof(service), service, "blob, queue or table"),
    }}/{AccountName}");

    public int BlobPort { get; }
    public int QueuePort { get; }
    public int TablePort { get; }

    public string ConnectionString =>
        $"DefaultEndpointsProtocol={(Https ? "https" : "http")};AccountName={AccountName};AccountKey={AccountKey};" +
        $"BlobEndpoint={Endpoint("blob")};QueueEndpoint={Endpoint("queue")};TableEndpoint={Endpoint("table")};";

    [GeneratedRegex(@"Azurite (Blob|Queue|Table) service is successfully listening at https?://127\.0\.0\.1:(\d+)")]
    private static partial Regex Listening();

    /// <summary>The azurite.js entry point under <paramref name="repoRoot"/>, or null when npm has not installed it.</summary>
    public static string? FindScript(string repoRoot)
    {
        var script = Path.Combine(repoRoot, "node_modules", "azurite", "dist", "src", "azurite.js");
        return File.Exists(script) ? script : null;
    }

    /// <summary>Walks up from <paramref name="start"/> to the folder holding node_modules/azurite (the repo root).</summary>
    public static string? FindRepoRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (FindScript(dir.FullName) is not null)
            {
                return dir.FullName;
            }
        }

        return null;
    }

    /// <param name="repoRoot">Holds node_modules/azurite.</param>
    /// <param name="dataDirectory">Where data persists; null keeps it in memory.</param>
    /// <param name="ports">Blob, queue and table ports; 0 for OS-chosen.</param>
    /// <param name="tls">Serve https with this certificate and accept OAuth bearer tokens (Azurite's basic check:
    /// lifetime, issuer and audience, not the signature) — how the app's Entra ID path is tested locally.</param>
    public static async Task<AzuriteProcess> StartAsync(string repoRoot, string? dataDirectory, (int Blob, int Queue, int Table) ports, TimeSpan timeout,
        CancellationToken cancellationToken, AzuriteTls? tls = null)
    {
        var script = FindScript(repoRoot) ?? throw new FileNotFoundException(
            $"Azurite is not installed under {repoRoot}/node_modules (run `npm ci` there).");
        var psi = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(script);
        foreach (var arg in new[] { "--silent", "--disableTelemetry", "--skipApiVersionCheck", "--blobHost", "127.0.0.1", "--queueHost", "127.0.0.1", "--tableHost", "127.0.0.1" })
        {
            psi.ArgumentList.Add(arg);
        }

        psi.ArgumentList.Add("--blobPort");
        psi.ArgumentList.Add(ports.Blob.ToString(CultureInfo.InvariantCulture));
        psi.ArgumentList.Add("--queuePort");
        psi.ArgumentList.Add(ports.Queue.ToString(CultureInfo.InvariantCulture));
        psi.ArgumentList.Add("--tablePort");
        psi.ArgumentList.Add(ports.Table.ToString(CultureInfo.InvariantCulture));
        if (tls is not null)
        {
            foreach (var arg in new[] { "--cert", tls.CertificatePemPath, "--key", tls.KeyPemPath, "--oauth", "basic" })
            {
                psi.ArgumentList.Add(arg);
            }
        }

        if (dataDirectory is null)
        {
            psi.ArgumentList.Add("--inMemoryPersistence");
        }
        else
        {
            Directory.CreateDirectory(dataDirectory);
            psi.ArgumentList.Add("--location");
            psi.ArgumentList.Add(dataDirectory);
        }

        var process = Process.Start(psi) ?? throw new InvalidOperationException("Could not start node for Azurite.");
        var found = new Dictionary<string, int>(StringComparer.Ordinal);
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new System.Text.StringBuilder();
        void OnLine(string? line)
        {
            if (line is null)
            {
                ready.TrySetException(new InvalidOperationException($"Azurite exited before it was ready:{Environment.NewLine}{output}"));
                return;
            }

            lock (found)
            {
                output.AppendLine(line);
                var m = Listening().Match(line);
                if (m.Success)
                {
                    found[m.Groups[1].Value] = int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
                    if (found.Count == 3)
                    {
                        ready.TrySetResult();
                    }
                }
            }
        }

        process.OutputDataReceived += (_, e) => OnLine(e.Data);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (found)
                {
                    output.AppendLine(e.Data);
                }
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        try
        {
            await ready.Task.WaitAsync(timeout, cancellationToken);
        }
        catch
        {
            Kill(process);
            process.Dispose();
            throw;
        }

        return new AzuriteProcess(process, found["Blob"], found["Queue"], found["Table"], tls is not null);
    }

    public async ValueTask DisposeAsync()
    {
        Kill(_process);
        try
        {
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (TimeoutException)
        {
            // It was killed; nothing more to wait for.
        }

        _process.Dispose();
    }

    private static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }
}

/// <summary>The PEM certificate and key Azurite serves https with.</summary>
public sealed record AzuriteTls(string CertificatePemPath, string KeyPemPath);
