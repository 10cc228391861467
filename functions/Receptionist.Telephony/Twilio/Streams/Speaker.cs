using System.Diagnostics;
using System.Threading.Channels;

namespace Receptionist.Telephony.Twilio.Streams;

/// <summary>The agent's audio to this machine's speaker: raw μ-law 8 kHz into <c>aplay -q -f MU_LAW -r 8000 -c 1</c>,
/// written by a task of its own so a stalled player never holds up the stream. A player that fails stops playing and
/// says why in <see cref="Problem"/>; the call goes on.</summary>
internal sealed class Speaker : IAsyncDisposable
{
    public const string Command = "aplay";

    private readonly Process _process;
    private readonly Channel<byte[]> _audio = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(500) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
    private readonly Task _writing;

    private Speaker(Process process)
    {
        _process = process;
        _writing = WriteAsync();
    }

    public string? Problem { get; private set; }

    /// <summary>Whether aplay is on the PATH.</summary>
    public static bool IsAvailable => (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
        .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
        .Any(dir => File.Exists(Path.Combine(dir, Command)));

    /// <summary>A started player, or null with the reason.</summary>
    public static Speaker? TryStart(out string? problem)
    {
        problem = null;
        if (!IsAvailable)
        {
            problem = $"{Command} is not available (apt-get install alsa-utils); the receptionist's audio is not played";
            return null;
        }

        var start = new ProcessStartInfo(Command) { RedirectStandardInput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in (string[])["-q", "-f", "MU_LAW", "-r", "8000", "-c", "1"])
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            var process = Process.Start(start);
            if (process is null)
            {
                problem = $"{Command} did not start";
                return null;
            }

            process.ErrorDataReceived += (_, _) => { };
            process.BeginErrorReadLine();
            return new Speaker(process);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            problem = $"{Command} could not be started: {e.Message}";
            return null;
        }
    }

    public void Play(byte[] mulaw) => _audio.Writer.TryWrite(mulaw);

    public async ValueTask DisposeAsync()
    {
        _audio.Writer.TryComplete();
        await _writing.WaitAsync(TimeSpan.FromSeconds(2)).ContinueWith(_ => { }, TaskScheduler.Default);
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill();
            }
        }
        catch (InvalidOperationException)
        {
            // exited meanwhile
        }

        _process.Dispose();
    }

    private async Task WriteAsync()
    {
        try
        {
            var input = _process.StandardInput.BaseStream;
            await foreach (var chunk in _audio.Reader.ReadAllAsync())
            {
                await input.WriteAsync(chunk);
                await input.FlushAsync();
            }

            _process.StandardInput.Close();
        }
        catch (IOException e)
        {
            Problem = $"{Command} stopped playing ({e.Message}); is there a sound device?";
        }
    }
}
