using Microsoft.Extensions.Options;
using Receptionist.Telephony.Acs;

namespace Receptionist.Host.Acs;

public static class AcsRegistration
{
    /// <summary>The ACS channel: options validated on start (only when ACS is configured), the Call Automation client
    /// (HMAC with the access key, else the managed identity), the SMS sender (signed the same way), callback and Event
    /// Grid authentication, the runner.</summary>
    public static IServiceCollection AddAcs(this IServiceCollection services, IConfiguration config)
    {
        services.AddOptions<AcsOptions>().Bind(config.GetSection(AcsOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<AcsOptions>, AcsOptionsValidator>();
        services.AddHttpClient(nameof(AcsAuthentication), http => http.Timeout = TimeSpan.FromSeconds(5)); // OpenID metadata and keys
        services.AddSingleton<AcsAuthentication>();
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<AcsOptions>>().Value;
            if (!options.Configured)
            {
                throw new InvalidOperationException("ACS is not configured (Acs:ConnectionString or Acs:Endpoint).");
            }

            var connection = options.Connection();
            // Signatures carry real time, whatever clock the business runs on (Clock:Now in development).
            return new AcsCallClient(connection, connection.AccessKey is null ? sp.GetRequiredService<Azure.Core.TokenCredential>() : null, new AcsCallClientOptions { Clock = TimeProvider.System });
        });
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<AcsOptions>>().Value;
            if (!options.Configured)
            {
                throw new InvalidOperationException("ACS is not configured (Acs:ConnectionString or Acs:Endpoint).");
            }

            var connection = options.SmsConnection();
            var client = new AcsSmsClient(connection, connection.AccessKey is null ? sp.GetRequiredService<Azure.Core.TokenCredential>() : null,
                new AcsSmsClientOptions { Clock = TimeProvider.System });
            return new AcsSmsSender(client, TimeProvider.System); // its bound is real time, like the request it bounds
        });
        services.AddSingleton<AcsAfterPlay>();
        services.AddSingleton<AcsCallRunner>();
        return services;
    }
}
