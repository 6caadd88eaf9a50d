using System.CommandLine;
using BeTrace.Grains.Interfaces.Rules;
using BeTrace.Console.Rules;

namespace BeTrace.Console.Commands;

/// <summary>The rule fields <c>rules add</c> and <c>rules update</c> take; what is not given stays null.</summary>
public sealed class RuleFieldOptions
{
    public Option<string?> Name { get; } = new("--name") { Description = "Rule name, shown in violations.", HelpName = "NAME" };

    public Option<string?> Severity { get; } = new("--severity") { Description = $"Severity: {SeverityText.Choices}.", HelpName = "LEVEL" };

    public Option<string?> Expression { get; } = new("--expr") { Description = "The rule expression (BeTraceDSL).", HelpName = "TEXT" };

    public Option<string?> File { get; } = new("--file") { Description = "Read the rule expression from a file ('-' for standard input).", HelpName = "FILE" };

    public Option<string?> Description { get; } = new("--description") { Description = "What the rule is for.", HelpName = "TEXT" };

    public Option<string[]> Tags { get; } = new("--tag")
    {
        Description = "A tag; repeat for several. On update, the given tags replace the stored ones.",
        HelpName = "TAG",
        AllowMultipleArgumentsPerToken = false,
    };

    public Option<string?> Framework { get; } = new("--framework") { Description = "Compliance framework, e.g. SOC2, HIPAA, 'PCI DSS', GDPR.", HelpName = "NAME" };

    public Option<string?> Control { get; } = new("--control") { Description = "Compliance control, e.g. CC7.2.", HelpName = "ID" };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Name, Severity, Expression, File, Description, Tags, Framework, Control })
        {
            command.Options.Add(option);
        }
    }

    public Severity? ReadSeverity(ParseResult result) =>
        result.GetValue(Severity) is { } text ? SeverityText.Parse(text) : null;

    public string[]? ReadTags(ParseResult result) =>
        result.GetValue(Tags) is { Length: > 0 } tags ? tags : null;

    /// <summary>The expression and where it came from (the file name, or null for --expr); null when neither is given.</summary>
    /// <exception cref="CliInputException">Both are given, or the file cannot be read.</exception>
    public (string Text, string? Source)? ReadExpression(CliIo io, ParseResult result)
    {
        var text = result.GetValue(Expression);
        var file = result.GetValue(File);
        if (text is not null && file is not null)
        {
            throw new CliInputException("give the expression either with --expr or with --file, not both");
        }
        if (file is not null)
        {
            return (io.ReadText(file), file == "-" ? "<stdin>" : file);
        }
        return text is null ? null : (text, null);
    }
}
