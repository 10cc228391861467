using System.ClientModel;
using System.ClientModel.Primitives;
using Azure.Core;
using Azure.Identity;
using OpenAI;
using OpenAI.Chat;

namespace Receptionist.Cloud.Llm;

/// <summary>Builds the one <see cref="ChatClient"/> the app uses against the Azure OpenAI v1 endpoint.</summary>
public static class ChatClientFactory
{
    /// <summary>The Entra ID scope of Azure OpenAI (role: Cognitive Services OpenAI User).</summary>
    public const string EntraScope = "https://cognitiveservices.azure.com/.default";

    /// <summary>With <see cref="OpenAIOptions.ApiKey"/>: the key (sent as "Authorization: Bearer"); otherwise Entra ID
    /// through <paramref name="credential"/> (default: <see cref="DefaultAzureCredential"/>). The SDK's own retries are
    /// off: a turn has a budget of about a second and a half, a retry cannot fit in it.</summary>
    /// <param name="transport">Null in the app; tests pass one that trusts their loopback server's certificate.</param>
    public static ChatClient Create(OpenAIOptions options, TokenCredential? credential = null, PipelineTransport? transport = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var deployment = options.Deployment ?? throw new InvalidOperationException("OpenAI:Deployment is required.");
        var clientOptions = new OpenAIClientOptions
        {
            Endpoint = options.BaseUri(),
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            // Our own per-call budget cancels first; this only bounds a request whose caller forgot a token.
            NetworkTimeout = options.Timeout + TimeSpan.FromSeconds(1),
        };
        if (transport is not null)
        {
            clientOptions.Transport = transport;
        }

        if (!string.IsNullOrWhiteSpace(options.ApiKey))
        {
            return new ChatClient(deployment, new ApiKeyCredential(options.ApiKey), clientOptions);
        }

#pragma warning disable OPENAI001 // The AuthenticationPolicy constructor is marked experimental.
        var policy = new BearerTokenPolicy(credential ?? new DefaultAzureCredential(), EntraScope);
        return new ChatClient(deployment, policy, clientOptions);
#pragma warning restore OPENAI001
    }
}
