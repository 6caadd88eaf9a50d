using BeTrace.Gateway.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;

// The stand-alone OTLP gateway: joins the cluster as an Orleans client (localhost silo by default, or
// --cluster Postgres --postgres CONN) and serves OTLP on 4317 (gRPC) and 4318 (HTTP). See docs/ingest.md.
WebApplication app;
try
{
    app = GatewayHost.Build(args);
}
catch (Exception ex) when (ex is InvalidOperationException or FormatException or ArgumentException)
{
    Console.Error.WriteLine($"betrace gateway: invalid configuration: {ex.Message}");
    return 2;
}

try
{
    await app.RunAsync();
    return 0;
}
catch (Exception ex)
{
    app.Logger.LogCritical(ex, "BeTrace gateway stopped on an error");
    Console.Error.WriteLine($"betrace gateway: {ex.GetBaseException().Message}");
    return 1;
}
