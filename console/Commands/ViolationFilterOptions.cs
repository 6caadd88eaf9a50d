using System.CommandLine;
using BeTrace.Console.Rules;
using BeTrace.Grains.Interfaces.Rules;

namespace BeTrace.Console.Commands;

/// <summary>The filters <c>violations list</c> and <c>violations tail</c> share.</summary>
public sealed class ViolationFilterOptions
{
    public Option<string?> Rule { get; } = new("--rule") { Description = "Only violations of this rule id.", HelpName = "ID" };

    public Option<string?> Severity { get; } = new("--severity") { Description = $"Only this severity or higher: {SeverityText.Choices}.", HelpName = "LEVEL" };

    public void AddTo(Command command)
    {
        command.Options.Add(Rule);
        command.Options.Add(Severity);
    }

    public Severity? MinimumSeverity(ParseResult result) =>
        result.GetValue(Severity) is { } text ? SeverityText.Parse(text) : null;
}
