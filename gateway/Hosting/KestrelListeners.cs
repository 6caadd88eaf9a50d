using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace BeTrace.Gateway.Hosting;

/// <summary>
/// Kestrel endpoints of a BeTrace process: OTLP/gRPC needs an HTTP/2-only endpoint (cleartext gRPC has no
/// protocol negotiation), OTLP/HTTP and the admin endpoints are HTTP/1.1.
/// </summary>
public static class KestrelListeners
{
    public static IWebHostBuilder ListenForBeTrace(this IWebHostBuilder webHost, ListenSettings settings) =>
        webHost.ConfigureKestrel(kestrel =>
        {
            if (settings.OtlpEnabled)
            {
                var otlp = IPAddress.Parse(settings.OtlpAddress);
                kestrel.Listen(otlp, settings.EffectiveOtlpGrpcPort, listen => listen.Protocols = HttpProtocols.Http2);
                kestrel.Listen(otlp, settings.EffectiveOtlpHttpPort, listen => listen.Protocols = HttpProtocols.Http1);
            }
            kestrel.Listen(IPAddress.Parse(settings.AdminAddress), settings.EffectiveAdminPort,
                listen => listen.Protocols = HttpProtocols.Http1);
        });
}
