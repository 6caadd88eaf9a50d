using System.Globalization;

namespace BeTrace.Console.Violations;

/// <summary>
/// <c>--since</c>: an age (<c>30s</c>, <c>15m</c>, <c>2h</c>, <c>7d</c>) counted back from now, or a point in time
/// (ISO 8601; UTC unless it names an offset).
/// </summary>
public static class SinceText
{
    /// <exception cref="CliInputException">Neither an age nor a time.</exception>
    public static DateTimeOffset Parse(string text, DateTimeOffset now)
    {
        var trimmed = text.Trim();
        if (trimmed.Length >= 2 && double.TryParse(trimmed[..^1], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount))
        {
            TimeSpan? age = trimmed[^1] switch
            {
                's' => TimeSpan.FromSeconds(amount),
                'm' => TimeSpan.FromMinutes(amount),
                'h' => TimeSpan.FromHours(amount),
                'd' => TimeSpan.FromDays(amount),
                _ => null,
            };
            if (age is { } span)
            {
                return now - span;
            }
        }
        if (DateTimeOffset.TryParse(trimmed, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
        {
            return time;
        }
        throw new CliInputException($"--since '{text}' is neither an age (30s, 15m, 2h, 7d) nor a time (2025-06-01T12:00:00Z)");
    }
}
