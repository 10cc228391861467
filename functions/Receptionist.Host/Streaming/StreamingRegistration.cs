using System.ComponentModel.DataAnnotations;
using Azure.Core;
using Microsoft.Extensions.Options;
using Receptionist.Audio.Vad;
using Receptionist.Telephony.Speech;

namespace Receptionist.Host.Streaming;

/// <summary>Configuration section "Streaming": the streaming voice path's own settings (docs/streaming.md).</summary>
public sealed class StreamingOptions
{
    public const string Section = "Streaming";

    /// <summary>The Silero VAD model file; empty: <c>node_modules/@ricky0123/vad-web/dist/silero_vad_v5.onnx</c>
    /// found from the app's directory upwards (the container image copies it beside the app).</summary>
    public string? VadModelPath { get; set; }

    /// <summary>Caller silence after our words have played before "are you still there?".</summary>
    [Range(1, 60, ErrorMessage = "Streaming:SilenceSeconds must be between 1 and 60.")]
    public double SilenceSeconds { get; set; } = 6;

    /// <summary>Continuous speech that cuts a prompt which a backchannel ("uh-huh") must not cut (read-backs,
    /// confirmations).</summary>
    [Range(200, 3000, ErrorMessage = "Streaming:RealSpeechMilliseconds must be between 200 and 3000.")]
    public int RealSpeechMilliseconds { get; set; } = 600;

    /// <summary>Send our audio no more than 1 s ahead of real time (true, what a call needs so a barge-in has little to
    /// flush). False sends it as fast as it is synthesised: only for a simulator that plays faster than real time (the
    /// scenario suite in stream mode).</summary>
    public bool PaceToRealTime { get; set; } = true;
}

public static class StreamingRegistration
{
    /// <summary>Azure AI Speech (only resolved when a stream opens; validated on start when configured), the VAD
    /// model (loaded once, on the first stream), the session settings.</summary>
    public static IServiceCollection AddStreaming(this IServiceCollection services, IConfiguration config)
    {
        services.AddOptions<SpeechOptions>().Bind(config.GetSection(SpeechOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<StreamingOptions>().Bind(config.GetSection(StreamingOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        // Each request bounds itself (recognition after the audio ended, synthesis to its first byte).
        services.AddHttpClient(SpeechOptions.Section, http => http.Timeout = Timeout.InfiniteTimeSpan);
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<SpeechOptions>>().Value;
            return new SpeechAuthorization(options, options.UsesEntraId ? sp.GetRequiredService<TokenCredential>() : null, TimeProvider.System);
        });
        services.AddSingleton<ISpeechToText>(sp => new AzureSpeechToText(sp.GetRequiredService<IHttpClientFactory>().CreateClient(SpeechOptions.Section),
            sp.GetRequiredService<IOptions<SpeechOptions>>().Value, sp.GetRequiredService<SpeechAuthorization>()));
        services.AddSingleton<ITextToSpeech>(sp => new AzureTextToSpeech(sp.GetRequiredService<IHttpClientFactory>().CreateClient(SpeechOptions.Section),
            sp.GetRequiredService<IOptions<SpeechOptions>>().Value, sp.GetRequiredService<SpeechAuthorization>()));
        services.AddSingleton<VadModelSource>();
        services.AddSingleton<PromptCache>();
        return services;
    }
}

/// <summary>The one Silero VAD model of the process, loaded (and its hash checked) when the first stream needs it.</summary>
public sealed class VadModelSource(IOptions<StreamingOptions> options, IHostEnvironment environment) : IDisposable
{
    private readonly Lazy<SileroVadModel> _model = new(() => SileroVadModel.Load(Locate(options.Value, environment)));

    /// <summary>The model; throws with the path and the reason when it is missing or not the expected file.</summary>
    public SileroVadModel Model => _model.Value;

    public void Dispose()
    {
        if (_model.IsValueCreated)
        {
            _model.Value.Dispose();
        }
    }

    private static string Locate(StreamingOptions options, IHostEnvironment environment)
    {
        if (!string.IsNullOrWhiteSpace(options.VadModelPath))
        {
            return options.VadModelPath;
        }

        return SileroVadModel.Find(AppContext.BaseDirectory) ?? SileroVadModel.Find(environment.ContentRootPath)
            ?? throw new FileNotFoundException($"The VAD model {SileroVadModel.RelativePath} was not found from {AppContext.BaseDirectory} upwards; run `npm ci` or set Streaming:VadModelPath.");
    }
}
