using BeTrace.Gateway.Hosting;

namespace BeTrace.Silo.Storage;

/// <summary>Orleans clients of a PostgreSQL cluster, configured from the silo's <see cref="StorageOptions"/>.</summary>
public static class PostgresClientBuilderExtensions
{
    /// <inheritdoc cref="ClusterClientRegistration.UseBeTracePostgresClustering"/>
    public static IClientBuilder UseBeTracePostgresClustering(this IClientBuilder builder, StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return builder.UseBeTracePostgresClustering(options.RequirePostgresConnectionString(), options.ClusterId, options.ServiceId);
    }
}
