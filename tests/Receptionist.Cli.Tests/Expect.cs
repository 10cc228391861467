namespace Receptionist.Cli.Tests;

internal static class Expect
{
    /// <summary>The run failed with <paramref name="exitCode"/> and exactly one line on stderr naming what was wrong,
    /// and printed no stack trace anywhere.</summary>
    public static void OneLineError(CliResult result, int exitCode, params string[] mentions)
    {
        Assert.True(result.ExitCode == exitCode, $"expected exit {exitCode}; {result}");
        var lines = result.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.True(lines.Length == 1, $"expected one line on stderr; {result}");
        foreach (var mention in mentions)
        {
            Assert.Contains(mention, lines[0], StringComparison.Ordinal);
        }

        NoStackTrace(result);
    }

    public static void NoStackTrace(CliResult result)
    {
        Assert.DoesNotContain("   at ", result.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", result.Err, StringComparison.Ordinal);
    }
}
