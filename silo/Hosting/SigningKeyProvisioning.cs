using System.Security.Cryptography;
using BeTrace.Grains.Violations;
using BeTrace.Silo.Storage;

namespace BeTrace.Silo.Hosting;

/// <summary>
/// Makes sure violations are signed. A configured key (BeTrace:Violations:Export:SigningKey) wins. Without one,
/// the embedded default creates a random key once and keeps it in the data folder, so signatures stay verifiable
/// across restarts; a PostgreSQL cluster must be given a key (every silo needs the same one), else violations
/// go out unsigned and the silo says so.
/// </summary>
public static partial class SigningKeyProvisioning
{
    public const string KeyFileName = "violation-signing.key";

    public static void ProvideSigningKey(this IServiceCollection services, StorageOptions storage) =>
        services.AddOptions<ViolationExportOptions>().PostConfigure<ILoggerFactory>((options, loggers) =>
        {
            if (options.SigningKey.Length > 0)
            {
                return;
            }
            var logger = loggers.CreateLogger(typeof(SigningKeyProvisioning));
            if (storage.Mode == StorageMode.Sqlite)
            {
                var path = Path.Combine(Path.GetFullPath(storage.DataDirectory), KeyFileName);
                options.SigningKey = ReadOrCreate(path);
                LogKeyFile(logger, path);
            }
            else
            {
                LogUnsigned(logger);
            }
        });

    private static string ReadOrCreate(string path)
    {
        if (File.Exists(path))
        {
            return File.ReadAllText(path).Trim();
        }
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var key = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        File.WriteAllText(path, key + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        return key;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Violations are signed with the key in {Path}")]
    private static partial void LogKeyFile(ILogger logger, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No violation signing key configured (BeTrace__Violations__Export__SigningKey): violations are exported unsigned")]
    private static partial void LogUnsigned(ILogger logger);
}
