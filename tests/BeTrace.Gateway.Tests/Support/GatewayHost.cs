using System.Globalization;
using System.Net;
using BeTrace.Gateway.Hosting;
using BeTrace.Gateway.Otlp.Collector.Trace;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BeTrace.Gateway.Tests.Support;

/// <summary>
/// The gateway hosted as the silo and the stand-alone host will: a Kestrel WebApplication on 127.0.0.1 with OTLP/gRPC
/// on an HTTP/2 cleartext port and OTLP/HTTP on an HTTP/1.1 port (both free ports), AddBeTraceGateway +
/// MapBeTraceOtlp, in front of the test cluster. Comes with a real gRPC client and an HttpClient.
/// </summary>
public sealed class GatewayHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private GatewayHost(WebApplication app, int grpcPort, int httpPort)
    {
        _app = app;
        Channel = GrpcChannel.ForAddress($"http://127.0.0.1:{grpcPort}");
        Grpc = new TraceService.TraceServiceClient(Channel);
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}"), Timeout = TimeSpan.FromMinutes(2) };
    }

    public GrpcChannel Channel { get; }

    public TraceService.TraceServiceClient Grpc { get; }

    public HttpClient Http { get; }

    public IServiceProvider Services => _app.Services;

    /// <param name="settings">Gateway settings, keys relative to BeTrace:Gateway (e.g. "MaxInFlightGroups").</param>
    public static async Task<GatewayHost> StartAsync(IGrainFactory grains, IReadOnlyDictionary<string, string>? settings = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(
            (settings ?? new Dictionary<string, string>())
            .Select(pair => new KeyValuePair<string, string?>($"{GatewayOptions.Section}:{pair.Key}", pair.Value)));
        ListenOptions? grpcListen = null;
        ListenOptions? httpListen = null;
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0, listen =>
            {
                listen.Protocols = HttpProtocols.Http2;
                grpcListen = listen;
            });
            kestrel.Listen(IPAddress.Loopback, 0, listen =>
            {
                listen.Protocols = HttpProtocols.Http1;
                httpListen = listen;
            });
        });
        builder.Services.AddSingleton(grains);
        builder.Services.AddBeTraceGateway(builder.Configuration);

        var app = builder.Build();
        app.MapBeTraceOtlp();
        await app.StartAsync();
        return new GatewayHost(app, grpcListen!.IPEndPoint!.Port, httpListen!.IPEndPoint!.Port);
    }

    /// <summary>Settings helper: <c>Settings(("MaxInFlightGroups", 1), ...)</c>.</summary>
    public static IReadOnlyDictionary<string, string> Settings(params (string Key, object Value)[] settings) =>
        settings.ToDictionary(s => s.Key, s => Convert.ToString(s.Value, CultureInfo.InvariantCulture)!, StringComparer.Ordinal);

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        Channel.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
