using Receptionist.Core.Notifications;
using Receptionist.Core.Phone;
using ApiConnectionException = global::Twilio.Exceptions.ApiConnectionException;
using ApiException = global::Twilio.Exceptions.ApiException;
using MessageResource = global::Twilio.Rest.Api.V2010.Account.MessageResource;
using SdkPhoneNumber = global::Twilio.Types.PhoneNumber;
using SystemNetHttpClient = global::Twilio.Http.SystemNetHttpClient;
using TwilioException = global::Twilio.Exceptions.TwilioException;
using TwilioRestClient = global::Twilio.Clients.TwilioRestClient;

namespace Receptionist.Telephony.Twilio;

/// <summary>
/// <see cref="ISmsSender"/> on Twilio's official SDK: POST /2010-04-01/Accounts/{AccountSid}/Messages.json with To, From
/// (or MessagingServiceSid, when <see cref="TwilioRestOptions.MessagingServiceSid"/> is set) and Body, HTTP Basic auth
/// AccountSid:AuthToken. One <see cref="TwilioRestClient"/> (and one HTTP client) per sender:
/// register it as a singleton. Twilio's refusals (<see cref="ApiException"/>) become <see cref="SmsSendException"/>
/// with the HTTP status and Twilio's error code; the exception's message masks the numbers and never holds the token.
/// </summary>
public sealed class TwilioSmsSender : ISmsSender, IDisposable
{
    /// <summary>Bounds one REST call; the SDK itself sets no timeout.</summary>
    public static readonly TimeSpan RequestTimeout = ISmsSender.MaxSendTime;

    private readonly TwilioRestClient _client;
    private readonly System.Net.Http.HttpClient _http;
    private readonly string _apiBaseUrl;
    private readonly string? _messagingService;

    /// <param name="options">AccountSid and AuthToken are required here; see <see cref="TwilioRestOptions.Validate(TwilioRestOptions)"/>.</param>
    /// <param name="innerHandler">
    /// The HTTP handler to send through, e.g. from <c>IHttpMessageHandlerFactory.CreateHandler</c>; the sender does not
    /// dispose it. Null: a <see cref="SocketsHttpHandler"/> of its own that recycles connections every few minutes.
    /// </param>
    public TwilioSmsSender(TwilioRestOptions options, HttpMessageHandler? innerHandler = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = TwilioRestOptions.Validate(options).ToList();
        if (string.IsNullOrEmpty(options.AccountSid))
        {
            errors.Add($"{TwilioRestOptions.Section}:AccountSid is required to send SMS.");
            if (string.IsNullOrEmpty(options.AuthToken))
            {
                errors.Add($"{TwilioRestOptions.Section}:AuthToken is required to send SMS.");
            }
        }

        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", errors), nameof(options));
        }

        _apiBaseUrl = options.ApiBaseUrl;
        _messagingService = string.IsNullOrEmpty(options.MessagingServiceSid) ? null : options.MessagingServiceSid;
        var ownsHandler = innerHandler is null;
        var handler = new TwilioApiBaseHandler(new Uri(options.ApiBaseUrl))
        {
            InnerHandler = innerHandler ?? new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) },
        };

        // Disposing our DelegatingHandler would dispose its inner handler too: only when that one is ours.
        _http = new System.Net.Http.HttpClient(handler, disposeHandler: ownsHandler) { Timeout = RequestTimeout };
        _client = new TwilioRestClient(
            options.AccountSid, options.AuthToken, accountSid: options.AccountSid, httpClient: new SystemNetHttpClient(_http));
    }

    public async Task<SmsResult> SendAsync(SmsMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentException.ThrowIfNullOrWhiteSpace(message.To, nameof(message));
        ArgumentException.ThrowIfNullOrWhiteSpace(message.From, nameof(message));
        ArgumentException.ThrowIfNullOrEmpty(message.Body, nameof(message));
        cancellationToken.ThrowIfCancellationRequested();

        // The SDK's CreateAsync takes no CancellationToken and drops the HTTP status of a non-JSON error: the handler
        // takes the token from, and leaves the status in, this send's context.
        using var send = TwilioApiBaseHandler.BeginSend(cancellationToken);
        MessageResource resource;
        try
        {
            // With a Messaging Service, Twilio chooses the sender from its pool: From is left out (both would be refused
            // unless From belonged to the service).
            resource = _messagingService is null
                ? await MessageResource.CreateAsync(to: new SdkPhoneNumber(message.To), from: new SdkPhoneNumber(message.From), body: message.Body, client: _client)
                : await MessageResource.CreateAsync(to: new SdkPhoneNumber(message.To), messagingServiceSid: _messagingService, body: message.Body, client: _client);
        }
        catch (TwilioException) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(cancellationToken);
        }
        catch (ApiException e)
        {
            // Twilio's own message can quote the numbers: mask them. The SDK exception is not kept as the inner
            // exception, so logging this one (with ToString) cannot bring them back.
            int? status = e.Status != 0 ? e.Status : send.Context.ResponseStatus;
            int? code = e.Code != 0 ? e.Code : null;
            throw new SmsSendException(
                $"Twilio refused the SMS to {PhoneNumber.Mask(message.To)} (HTTP {status?.ToString() ?? "?"}, Twilio error {code?.ToString() ?? "none"}): {Detail(e.Message, message)}",
                status,
                code);
        }
        catch (ApiConnectionException e)
        {
            // No response (refused, reset, timed out). The SDK's message names method and the URL before the base was
            // rewritten — the AccountSid, never the token or the form — and wraps the transport exception.
            throw new SmsSendException(
                $"Twilio's API at {_apiBaseUrl} could not be reached to send the SMS to {PhoneNumber.Mask(message.To)}: {e.Message}", null, null, e);
        }

        return new SmsResult(resource.Sid, resource.Status?.ToString() ?? "unknown");
    }

    public void Dispose() => _http.Dispose();

    /// <summary>The SDK's message (for a non-JSON error, the whole response body), numbers masked, at most 300 characters.</summary>
    private static string Detail(string text, SmsMessage message)
    {
        var masked = text.Replace(message.To, PhoneNumber.Mask(message.To), StringComparison.Ordinal)
            .Replace(message.From, PhoneNumber.Mask(message.From), StringComparison.Ordinal);
        return masked.Length <= 300 ? masked : string.Concat(masked.AsSpan(0, 300), "…");
    }
}

/// <summary>
/// Sends what the SDK addresses to api.twilio.com to the configured API base instead (scheme, host and port rewritten;
/// path and query kept), and applies the caller's <see cref="CancellationToken"/> that the SDK cannot pass on.
/// </summary>
internal sealed class TwilioApiBaseHandler : DelegatingHandler
{
    private static readonly AsyncLocal<SendContext?> Current = new();

    private readonly Uri? _apiBase;

    public TwilioApiBaseHandler(Uri apiBase)
    {
        var isTwilio = Uri.Compare(
            apiBase, new Uri(TwilioRestOptions.TwilioApiBaseUrl), UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0;
        _apiBase = isTwilio ? null : apiBase;
    }

    /// <summary>Until disposed, requests sent from this async flow are cancelled with <paramref name="cancellationToken"/>
    /// and record their response status in the scope's context.</summary>
    public static SendScope BeginSend(CancellationToken cancellationToken)
    {
        var previous = Current.Value;
        var context = new SendContext(cancellationToken);
        Current.Value = context;
        return new SendScope(context, previous);
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (_apiBase is not null && request.RequestUri is { IsAbsoluteUri: true } uri)
        {
            request.RequestUri = new UriBuilder(uri) { Scheme = _apiBase.Scheme, Host = _apiBase.Host, Port = _apiBase.Port }.Uri;
        }

        var context = Current.Value;
        if (context is null || !context.CancellationToken.CanBeCanceled)
        {
            return Record(context, await base.SendAsync(request, cancellationToken));
        }

        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, context.CancellationToken);
        return Record(context, await base.SendAsync(request, linked.Token));
    }

    private static HttpResponseMessage Record(SendContext? context, HttpResponseMessage response)
    {
        if (context is not null)
        {
            context.ResponseStatus = (int)response.StatusCode;
        }

        return response;
    }

    internal sealed class SendContext(CancellationToken cancellationToken)
    {
        public CancellationToken CancellationToken { get; } = cancellationToken;

        public int? ResponseStatus { get; set; }
    }

    internal readonly struct SendScope(SendContext context, SendContext? previous) : IDisposable
    {
        public SendContext Context { get; } = context;

        public void Dispose() => Current.Value = previous;
    }
}
