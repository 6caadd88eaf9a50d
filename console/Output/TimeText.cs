using System.Globalization;

namespace BeTrace.Console.Output;

/// <summary>Times in tables: UTC to the second, one format everywhere.</summary>
public static class TimeText
{
    public static string Utc(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + "Z";
}
