using System.Diagnostics;
using System.Text.Json;

namespace Receptionist.Cli;

/// <summary>
/// The URL a running `up` serves, noted in .build/receptionist-up.json under the repo root that holds
/// local.settings.json (.build/ is git-ignored), so `call` finds the app without --url. `up` removes it when it
/// stops; a note whose process is gone (the terminal was closed, the process killed) is ignored.
/// </summary>
public sealed record RunningApp(string Url, int ProcessId)
{
    public const string RelativePath = ".build/receptionist-up.json";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static string PathUnder(string root) => Path.Combine(root, ".build", "receptionist-up.json");

    /// <summary>The note of a running `up`, or null when there is none, it is unreadable, or its process has exited.</summary>
    public static RunningApp? Read(string root)
    {
        RunningApp? note;
        try
        {
            note = JsonSerializer.Deserialize<RunningApp>(File.ReadAllText(PathUnder(root)), Json);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
        {
            return null;
        }

        return note is { Url.Length: > 0 } && IsRunning(note.ProcessId) ? note : null;
    }

    public void Write(string root)
    {
        var path = PathUnder(root);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, JsonSerializer.Serialize(this, Json) + Environment.NewLine);
    }

    /// <summary>Removes the note if it is still this one (another `up` on another port may have written its own since).</summary>
    public void Remove(string root)
    {
        try
        {
            var path = PathUnder(root);
            if (File.Exists(path) && JsonSerializer.Deserialize<RunningApp>(File.ReadAllText(path), Json) == this)
            {
                File.Delete(path);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
        {
            // Unreadable or already gone: a stale note is ignored by Read once this process has exited.
        }
    }

    private static bool IsRunning(int processId)
    {
        try
        {
            using var process = Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }
}
