using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;

namespace BeTrace.Gateway.Hosting;

/// <summary>
/// Runs a BeTrace process so that failures end it with one clear line instead of a crash dump: exit 2 for an
/// invalid configuration, 1 for a failure while starting or running (database unreachable, port in use), 0 after a
/// clean shutdown.
/// </summary>
public static class HostRunner
{
    public static async Task<int> RunAsync(string name, Func<WebApplication> build)
    {
        WebApplication app;
        try
        {
            app = build();
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException or ArgumentException)
        {
            await Console.Error.WriteLineAsync($"{name}: invalid configuration: {ex.Message}");
            return 2;
        }

        try
        {
            await app.RunAsync();
            return 0;
        }
        catch (Exception ex)
        {
            app.Logger.LogCritical(ex, "{Name} stopped on an error", name);
            await Console.Error.WriteLineAsync($"{name}: {ex.GetBaseException().Message}");
            return 1;
        }
    }
}
