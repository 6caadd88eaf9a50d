using BeTrace.Gateway.Hosting;

namespace BeTrace.Silo.Hosting;

/// <summary>The silo's command-line flags mapped onto configuration keys (plus the listen flags it shares with gateways).</summary>
public static class CommandLineSwitches
{
    public static IDictionary<string, string> Map { get; } = new Dictionary<string, string>(HostSwitches.Listen, StringComparer.Ordinal)
    {
        ["--silo-port"] = "BeTrace:Silo:SiloPort",
        ["--gateway-port"] = "BeTrace:Silo:GatewayPort",
        ["--advertised-address"] = "BeTrace:Silo:AdvertisedAddress",
        ["--data"] = "BeTrace:Storage:DataDirectory",
        ["--cluster"] = "BeTrace:Storage:Mode",
        ["--postgres"] = "BeTrace:Storage:PostgresConnectionString",
        ["--cluster-id"] = "BeTrace:Storage:ClusterId",
    };
}
