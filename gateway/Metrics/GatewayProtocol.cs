namespace BeTrace.Gateway.Metrics;

/// <summary>The <c>protocol</c> tag values (the OTLP exporter protocol names).</summary>
public static class GatewayProtocol
{
    public const string Grpc = "grpc";
    public const string HttpProtobuf = "http/protobuf";
    public const string HttpJson = "http/json";

    /// <summary>An OTLP/HTTP request whose Content-Type was not understood.</summary>
    public const string Http = "http";
}
