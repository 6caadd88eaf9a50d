using System.Globalization;
using BeTrace.Grains.Interfaces.Rules;
using BeTrace.Grains.Interfaces.Violations;

namespace BeTrace.Console.Rules;

/// <summary>Severities as people type them (any case) and as the violation contract writes them (upper case).</summary>
public static class SeverityText
{
    public const string Choices = "low, medium, high or critical";

    public static string Name(Severity severity) => ViolationSignature.SeverityName(severity);

    public static bool TryParse(string? text, out Severity severity)
    {
        switch (text?.Trim().ToLower(CultureInfo.InvariantCulture))
        {
            case "low":
                severity = Severity.Low;
                return true;
            case "medium":
                severity = Severity.Medium;
                return true;
            case "high":
                severity = Severity.High;
                return true;
            case "critical":
                severity = Severity.Critical;
                return true;
            default:
                severity = default;
                return false;
        }
    }

    /// <exception cref="CliInputException">Not a severity.</exception>
    public static Severity Parse(string text) =>
        TryParse(text, out var severity) ? severity : throw new CliInputException($"unknown severity '{text}': use {Choices}");
}
