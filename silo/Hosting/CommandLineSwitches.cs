namespace BeTrace.Silo.Hosting;

/// <summary>Friendly command-line flags mapped onto configuration keys.</summary>
public static class CommandLineSwitches
{
    public static IDictionary<string, string> Map { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["--instance"] = "BeTrace:Silo:Instance",
        ["--silo-port"] = "BeTrace:Silo:SiloPort",
        ["--gateway-port"] = "BeTrace:Silo:GatewayPort",
        ["--admin-port"] = "BeTrace:Silo:AdminPort",
        ["--admin-address"] = "BeTrace:Silo:AdminAddress",
        ["--data"] = "BeTrace:Storage:DataDirectory",
        ["--cluster"] = "BeTrace:Storage:Mode",
        ["--postgres"] = "BeTrace:Storage:PostgresConnectionString",
        ["--cluster-id"] = "BeTrace:Storage:ClusterId",
    };
}
