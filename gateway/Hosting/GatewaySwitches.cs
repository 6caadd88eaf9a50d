namespace BeTrace.Gateway.Hosting;

/// <summary>The stand-alone gateway's command-line flags mapped onto configuration keys.</summary>
public static class GatewaySwitches
{
    public static IDictionary<string, string> Map { get; } = new Dictionary<string, string>(HostSwitches.Listen, StringComparer.Ordinal)
    {
        ["--cluster"] = ClusterConnection.Section + ":Mode",
        ["--postgres"] = ClusterConnection.Section + ":PostgresConnectionString",
        ["--cluster-id"] = ClusterConnection.Section + ":ClusterId",
        ["--silo-gateway-port"] = ClusterConnection.Section + ":SiloGatewayPort",
    };
}
