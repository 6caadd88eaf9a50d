using BeTrace.Gateway.Hosting;

// The stand-alone OTLP gateway: joins the cluster as an Orleans client (localhost silo by default, or
// --cluster Postgres --postgres CONN) and serves OTLP on 4317 (gRPC) and 4318 (HTTP). See docs/ingest.md.
return await HostRunner.RunAsync("betrace gateway", () => GatewayHost.Build(args));
