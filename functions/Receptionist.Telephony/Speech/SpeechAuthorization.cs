using System.Net.Http.Headers;
using Azure.Core;

namespace Receptionist.Telephony.Speech;

/// <summary>
/// How a request to Azure AI Speech proves who sends it: the resource key in <c>Ocp-Apim-Subscription-Key</c>, or an
/// Entra ID token for Cognitive Services sent as <c>Authorization: Bearer aad#{resource id}#{token}</c> (the REST form
/// for custom-domain resources). Tokens are kept until five minutes before they expire.
/// </summary>
public sealed class SpeechAuthorization : IDisposable
{
    private static readonly TokenRequestContext Scope = new(["https://cognitiveservices.azure.com/.default"]);
    private static readonly TimeSpan Early = TimeSpan.FromMinutes(5);

    private readonly string? _key;
    private readonly string? _resourceId;
    private readonly TokenCredential? _credential;
    private readonly TimeProvider _clock;
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private AccessToken _token;

    public SpeechAuthorization(SpeechOptions options, TokenCredential? credential, TimeProvider clock)
    {
        _clock = clock;
        if (options.UsesEntraId)
        {
            _credential = credential ?? throw new ArgumentNullException(nameof(credential), "Speech:Key is empty: an Entra ID credential is needed");
            _resourceId = options.ResourceId;
        }
        else
        {
            _key = options.Key;
        }
    }

    public async ValueTask ApplyAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (_key is not null)
        {
            request.Headers.Add("Ocp-Apim-Subscription-Key", _key);
            return;
        }

        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", $"aad#{_resourceId}#{await TokenAsync(cancellationToken)}");
    }

    public void Dispose() => _refresh.Dispose();

    private async ValueTask<string> TokenAsync(CancellationToken cancellationToken)
    {
        if (_token.ExpiresOn - Early > _clock.GetUtcNow())
        {
            return _token.Token;
        }

        await _refresh.WaitAsync(cancellationToken);
        try
        {
            if (_token.ExpiresOn - Early <= _clock.GetUtcNow())
            {
                _token = await _credential!.GetTokenAsync(Scope, cancellationToken);
            }

            return _token.Token;
        }
        finally
        {
            _refresh.Release();
        }
    }
}
