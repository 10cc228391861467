using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Receptionist.Deploy.Tests;

/// <summary>functions/Receptionist.Host/Dockerfile and the root .dockerignore. No Docker here, so these read the files:
/// an image build that cannot find a project or a prompt fails only in the registry, minutes into `azd deploy`.</summary>
public sealed partial class DockerfileTests
{
    private static readonly string[] Lines = Repository.ReadText("functions", "Receptionist.Host", "Dockerfile").Split('\n').Select(l => l.Trim()).ToArray();

    [Fact]
    public void Dockerfile_Stages_BuildWithTheSdkAndRunOnAspNetAsNonRoot()
    {
        var stages = Lines.Where(l => l.StartsWith("FROM ", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, stages.Count);
        Assert.StartsWith("FROM node:20", stages[0], StringComparison.Ordinal); // only fetches the VAD model (npm ci)
        Assert.StartsWith("FROM mcr.microsoft.com/dotnet/sdk:10.0 ", stages[1], StringComparison.Ordinal);
        Assert.StartsWith("FROM mcr.microsoft.com/dotnet/aspnet:10.0 ", stages[2], StringComparison.Ordinal);
        var runtime = Lines.SkipWhile(l => l != stages[2]).ToList();
        // The streaming voice path finds its model beside the app, where SileroVadModel.Find looks.
        Assert.Contains(runtime, l => l.StartsWith("COPY --from=vad ", StringComparison.Ordinal) && l.Contains("silero_vad_v5.onnx node_modules/@ricky0123/vad-web/dist/", StringComparison.Ordinal));
        Assert.Contains("EXPOSE 8080", runtime);
        Assert.Contains("ENV ASPNETCORE_HTTP_PORTS=8080", runtime);
        var user = runtime.LastOrDefault(l => l.StartsWith("USER ", StringComparison.Ordinal));
        Assert.True(user is not null && user != "USER root" && user != "USER 0", $"the app must not run as root (USER line: {user ?? "none"})");
        Assert.Contains("ENTRYPOINT [\"dotnet\", \"Receptionist.Host.dll\"]", runtime);
    }

    [Fact]
    public void Dockerfile_ProjectFiles_IncludeEveryProjectTheHostNeeds()
    {
        // Restore runs on the copied project files alone: a project reference the Dockerfile does not copy breaks it.
        var needed = ProjectGraph("functions/Receptionist.Host/Receptionist.Host.csproj");
        var copied = Lines.Select(l => CopyLine().Match(l)).Where(m => m.Success).SelectMany(m => m.Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToHashSet(StringComparer.Ordinal);
        var missing = needed.Where(p => !copied.Contains(p)).ToList();
        Assert.True(needed.Count >= 6, "expected the Host and the projects it references");
        Assert.True(missing.Count == 0, "the Dockerfile does not COPY these project files before `dotnet restore`: " + string.Join(", ", missing));
    }

    [Fact]
    public void Dockerfile_Publish_ShipsThePrompts()
    {
        // The Host project copies ../../prompts/**/*.json next to the app; the build stage must have them.
        Assert.Contains("COPY prompts/ prompts/", Lines);
        Assert.Contains(Lines, l => l.StartsWith("RUN dotnet publish functions/Receptionist.Host/Receptionist.Host.csproj", StringComparison.Ordinal));
        var host = XDocument.Load(Repository.PathOf("functions", "Receptionist.Host", "Receptionist.Host.csproj"));
        Assert.Contains(host.Descendants("Content"), c => (string?)c.Attribute("Include") == "../../prompts/**/*.json");
    }

    [Fact]
    public void DockerIgnore_BuildInputs_AreSentAndLocalFilesAreNot()
    {
        var ignore = Repository.ReadText(".dockerignore").Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        // An allow-list: everything is left out, then what the Dockerfile copies is let back in.
        Assert.Equal("*", ignore[0]);
        var allowed = ignore.Where(l => l.StartsWith('!')).Select(l => l[1..].TrimEnd('/')).ToHashSet(StringComparer.Ordinal);
        var sources = Lines.Where(l => l.StartsWith("COPY ", StringComparison.Ordinal) && !l.Contains("--from=", StringComparison.Ordinal))
            .SelectMany(l => l["COPY ".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries).SkipLast(1))
            .Select(s => s.TrimEnd('/').Split('/')[0])
            .Distinct()
            .ToList();
        var notSent = sources.Where(s => !allowed.Contains(s)).ToList();
        Assert.True(notSent.Count == 0, ".dockerignore leaves out what the Dockerfile copies: " + string.Join(", ", notSent));
        foreach (var local in new[] { "**/bin/", "**/obj/", "**/local.settings.json" })
        {
            Assert.Contains(local, ignore);
        }
    }

    /// <summary>The project and everything it references, transitively, as paths from the repository root.</summary>
    private static List<string> ProjectGraph(string project)
    {
        var seen = new List<string>();
        var pending = new Queue<string>([project]);
        while (pending.TryDequeue(out var current))
        {
            if (seen.Contains(current))
            {
                continue;
            }

            seen.Add(current);
            var directory = Path.GetDirectoryName(Repository.PathOf(current))!;
            foreach (var reference in XDocument.Load(Repository.PathOf(current)).Descendants("ProjectReference"))
            {
                var full = Path.GetFullPath(Path.Combine(directory, (string)reference.Attribute("Include")!));
                pending.Enqueue(Path.GetRelativePath(Repository.Root, full).Replace('\\', '/'));
            }
        }

        return seen;
    }

    [GeneratedRegex(@"^COPY ((?:\S+\.csproj ?)+) \S+/$")]
    private static partial Regex CopyLine();
}
