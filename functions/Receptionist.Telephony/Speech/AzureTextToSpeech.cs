using System.Runtime.CompilerServices;
using System.Xml.Linq;

namespace Receptionist.Telephony.Speech;

/// <summary>
/// <see cref="ITextToSpeech"/> on Azure AI Speech's text-to-speech REST API: SSML with the tenant's neural voice, raw
/// audio in the channel's format (<c>X-Microsoft-OutputFormat</c>), read from the response as it arrives so the first
/// frames reach the caller before the sentence is synthesised to its end. The answer must start within
/// <see cref="SpeechOptions.SynthesisTimeoutMilliseconds"/>.
/// </summary>
public sealed class AzureTextToSpeech(HttpClient http, SpeechOptions options, SpeechAuthorization authorization) : ITextToSpeech
{
    /// <summary>The service requires one; it is the app's name, nothing about the call.</summary>
    public const string UserAgent = "Receptionist";

    private const int ChunkBytes = 3200;

    private static readonly XNamespace Ssml = "http://www.w3.org/2001/10/synthesis";

    public async IAsyncEnumerable<ReadOnlyMemory<byte>> SynthesizeAsync(SynthesisRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, options.SynthesisUri())
        {
            Content = new StringContent(SsmlFor(request), System.Text.Encoding.UTF8, "application/ssml+xml"),
        };
        message.Content.Headers.ContentType!.CharSet = null;
        message.Headers.Add("X-Microsoft-OutputFormat", request.Format.OutputFormat());
        message.Headers.UserAgent.ParseAdd(UserAgent);
        if (request.CorrelationId is { Length: > 0 } correlation)
        {
            message.Headers.Add("X-Correlation-Id", correlation);
        }

        HttpResponseMessage response;
        using (var firstByte = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            firstByte.CancelAfter(options.SynthesisTimeoutMilliseconds);
            try
            {
                await authorization.ApplyAsync(message, firstByte.Token);
                response = await http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, firstByte.Token);
            }
            catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                throw new SpeechServiceException($"Text-to-speech did not answer within {options.SynthesisTimeoutMilliseconds} ms", 0, ex);
            }
            catch (HttpRequestException ex)
            {
                throw new SpeechServiceException($"Text-to-speech could not be reached: {ex.Message}", 0, ex);
            }
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                var said = await response.Content.ReadAsStringAsync(cancellationToken);
                throw new SpeechServiceException(
                    $"Text-to-speech answered {(int)response.StatusCode}{(said.Length > 0 ? ": " + said[..Math.Min(300, said.Length)] : string.Empty)}", (int)response.StatusCode);
            }

            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            var buffer = new byte[ChunkBytes];
            while (true)
            {
                int read;
                try
                {
                    read = await stream.ReadAsync(buffer, cancellationToken);
                }
                catch (IOException ex)
                {
                    throw new SpeechServiceException("Text-to-speech audio was cut off", (int)response.StatusCode, ex);
                }

                if (read == 0)
                {
                    yield break;
                }

                yield return buffer.AsMemory(0, read).ToArray();
            }
        }
    }

    /// <summary>The SSML document: the text (escaped as XML) in the voice, in the language.</summary>
    public static string SsmlFor(SynthesisRequest request) =>
        new XElement(Ssml + "speak",
            new XAttribute("version", "1.0"),
            new XAttribute(XNamespace.Xml + "lang", request.Language),
            new XElement(Ssml + "voice", new XAttribute("name", request.Voice), request.Text)).ToString(SaveOptions.DisableFormatting);
}
