using System.Net;
using System.Net.Http;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Azure.Core.Pipeline;

namespace Receptionist.Testing;

/// <summary>
/// A self-signed certificate for 127.0.0.1, for loopback stand-ins that must speak https (bearer tokens are only sent
/// over TLS): PEM files for servers outside .NET (Azurite), and client handlers that trust exactly this certificate —
/// never "accept any certificate".
/// </summary>
public sealed class LoopbackCertificate : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "receptionist-cert-" + Guid.NewGuid().ToString("N")[..8]);

    public LoopbackCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(2));
        Certificate = X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pfx), null);
        Directory.CreateDirectory(_directory);
        CertificatePemPath = Path.Combine(_directory, "cert.pem");
        KeyPemPath = Path.Combine(_directory, "key.pem");
        File.WriteAllText(CertificatePemPath, created.ExportCertificatePem());
        File.WriteAllText(KeyPemPath, key.ExportPkcs8PrivateKeyPem());
    }

    /// <summary>With its private key (for Kestrel's UseHttps).</summary>
    public X509Certificate2 Certificate { get; }

    public string CertificatePemPath { get; }

    public string KeyPemPath { get; }

    /// <summary>A handler that trusts this certificate and no other.</summary>
    public HttpClientHandler TrustingHandler() => new()
    {
        ServerCertificateCustomValidationCallback = (_, cert, _, _) => cert is not null && cert.RawData.AsSpan().SequenceEqual(Certificate.RawData),
    };

    /// <summary>An Azure SDK transport over <see cref="TrustingHandler"/>.</summary>
    public HttpPipelineTransport TrustingAzureTransport() => new HttpClientTransport(TrustingHandler());

    public void Dispose()
    {
        Certificate.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Temp files; the OS cleans up.
        }
    }
}
