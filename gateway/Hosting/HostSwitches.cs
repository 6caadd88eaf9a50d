namespace BeTrace.Gateway.Hosting;

/// <summary>Command-line flags shared by the silo and the gateway host, mapped onto configuration keys.</summary>
public static class HostSwitches
{
    public const string InstanceKey = "BeTrace:Instance";
    public const string ListenSection = "BeTrace:Listen";

    public static IReadOnlyDictionary<string, string> Listen { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["--instance"] = InstanceKey,
        ["--otlp-grpc-port"] = ListenSection + ":OtlpGrpcPort",
        ["--otlp-http-port"] = ListenSection + ":OtlpHttpPort",
        ["--otlp-address"] = ListenSection + ":OtlpAddress",
        ["--otlp"] = ListenSection + ":OtlpEnabled",
        ["--admin-port"] = ListenSection + ":AdminPort",
        ["--admin-address"] = ListenSection + ":AdminAddress",
    };

    /// <summary>The listen settings with the shared instance number applied.</summary>
    public static ListenSettings ReadListenSettings(this Microsoft.Extensions.Configuration.IConfiguration configuration)
    {
        var settings = Microsoft.Extensions.Configuration.ConfigurationBinder.Get<ListenSettings>(configuration.GetSection(ListenSection)) ?? new ListenSettings();
        settings.Instance = Microsoft.Extensions.Configuration.ConfigurationBinder.GetValue(configuration, InstanceKey, 0);
        return settings;
    }
}
