using System.Net;
using System.Net.Sockets;
using System.Text;
using Receptionist.Cloud.Emulator;
using Receptionist.Testing;

namespace Receptionist.Cli.Tests;

// Inside the namespace: `Cli` alone would name the Receptionist.Cli namespace.
using Cli = Receptionist.Cli.Commands.Cli;

/// <summary>What one run of the command line printed and returned.</summary>
public sealed record CliResult(int ExitCode, string Out, string Err)
{
    public override string ToString() => $"exit {ExitCode}{Environment.NewLine}stdout:{Environment.NewLine}{Out}{Environment.NewLine}stderr:{Environment.NewLine}{Err}";
}

/// <summary>
/// The CLI run in-process against a fresh repo root of its own (a temp folder: local.settings.json is created there,
/// the `up` note too), with the real prompts, and, when given Azurite, its own table prefix. Output is captured per
/// run through <see cref="FlowWriter"/>, so runs may overlap (an `up` serving while a `call` dials it).
/// </summary>
public sealed class CliRun : IDisposable
{
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    public CliRun(AzuriteFixture? azurite = null)
    {
        Root = Directory.CreateTempSubdirectory("receptionist-cli-").FullName;
        var repo = AzuriteProcess.FindRepoRoot(AppContext.BaseDirectory) ?? throw new InvalidOperationException("Run `npm ci` in the repository root.");
        Settings["Prompts:Directory"] = Path.Combine(repo, "prompts");
        Settings["Logging:LogLevel:Default"] = "Warning";
        if (azurite is not null)
        {
            Settings["Storage:ConnectionString"] = azurite.ConnectionString;
            Settings["Storage:TablePrefix"] = AzuriteFixture.NewPrefix();
        }
    }

    public string Root { get; }

    public Dictionary<string, string?> Settings { get; } = [];

    public CliEnvironment Environment() => CliEnvironment.Load(Root, Settings);

    public async Task<CliResult> RunAsync(params string[] args)
    {
        using var cts = new CancellationTokenSource(Bound);
        var run = Start(args, cts.Token);
        return await run.Result.WaitAsync(Bound + TimeSpan.FromSeconds(10));
    }

    /// <summary>Starts a run that goes on (`up`) until <paramref name="cancellationToken"/> stops it.</summary>
    public Running Start(string[] args, CancellationToken cancellationToken)
    {
        var output = new Running();
        output.Result = RunCapturedAsync(args, output, cancellationToken);
        return output;
    }

    private async Task<CliResult> RunCapturedAsync(string[] args, Running output, CancellationToken cancellationToken)
    {
        FlowWriter.Install();
        FlowWriter.Out.Value = output.OutWriter;
        FlowWriter.Error.Value = output.ErrWriter;
        await Task.Yield();
        var code = await Cli.RunAsync(args, Environment, cancellationToken);
        return new CliResult(code, output.Out, output.Err);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A file still open by a stopping app; the temp folder is the OS's to clean.
        }
    }

    /// <summary>A loopback port that was free a moment ago.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public sealed class Running
    {
        private readonly StringBuilder _out = new();
        private readonly StringBuilder _err = new();

        public Running()
        {
            OutWriter = TextWriter.Synchronized(new StringWriter(_out));
            ErrWriter = TextWriter.Synchronized(new StringWriter(_err));
        }

        internal TextWriter OutWriter { get; }
        internal TextWriter ErrWriter { get; }

        public Task<CliResult> Result { get; internal set; } = Task.FromResult(new CliResult(-1, "", ""));

        public string Out
        {
            get
            {
                lock (OutWriter)
                {
                    return _out.ToString();
                }
            }
        }

        public string Err
        {
            get
            {
                lock (ErrWriter)
                {
                    return _err.ToString();
                }
            }
        }

        /// <summary>Waits (bounded) until stdout holds <paramref name="text"/>; fails with the output if the run ended first.</summary>
        public async Task WaitForOutputAsync(string text, TimeSpan timeout)
        {
            var deadline = DateTime.UtcNow + timeout;
            while (!Out.Contains(text, StringComparison.Ordinal))
            {
                if (Result.IsCompleted)
                {
                    Assert.Fail($"The run ended before printing '{text}':{System.Environment.NewLine}{await Result}");
                }

                if (DateTime.UtcNow > deadline)
                {
                    Assert.Fail($"No '{text}' within {timeout}:{System.Environment.NewLine}{Out}{System.Environment.NewLine}{Err}");
                }

                await Task.Delay(50);
            }
        }
    }
}

/// <summary>Console.Out and Console.Error for the whole test process, writing to the writer of the async flow that
/// writes (one CLI run), or to the real console outside any run.</summary>
internal sealed class FlowWriter(TextWriter fallback, AsyncLocal<TextWriter?> current) : TextWriter
{
    private static readonly Lock Gate = new();
    private static bool _installed;

    public static AsyncLocal<TextWriter?> Out { get; } = new();
    public static AsyncLocal<TextWriter?> Error { get; } = new();

    public override Encoding Encoding => Encoding.UTF8;

    private TextWriter Target => current.Value ?? fallback;

    public static void Install()
    {
        lock (Gate)
        {
            if (!_installed)
            {
                Console.SetOut(new FlowWriter(Console.Out, Out));
                Console.SetError(new FlowWriter(Console.Error, Error));
                _installed = true;
            }
        }
    }

    public override void Write(char value) => Target.Write(value);

    public override void Write(string? value) => Target.Write(value);

    public override void Write(char[] buffer, int index, int count) => Target.Write(buffer, index, count);

    public override void WriteLine(string? value) => Target.WriteLine(value);

    public override void WriteLine() => Target.WriteLine();

    public override void Flush() => Target.Flush();
}
