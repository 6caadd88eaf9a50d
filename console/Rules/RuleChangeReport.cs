using BeTrace.Grains.Interfaces.Rules;

namespace BeTrace.Console.Rules;

/// <summary>Reports a refused rule change with the registry's message (and a caret for DSL errors) and picks the exit code.</summary>
public static class RuleChangeReport
{
    /// <param name="source">Where the expression came from (a file name), or null when typed on the command line.</param>
    public static int Refused(CliIo io, string ruleId, RuleError error, string expression, string? source)
    {
        var text = RuleErrorText.Format(error, expression);
        io.Error.WriteLine(error.Code == RuleErrorCode.InvalidExpression && source is not null
            ? $"betrace: rule '{ruleId}' refused: {source}:{text}"
            : $"betrace: rule '{ruleId}' refused: {text}");
        return ExitCode(error.Code);
    }

    public static int ExitCode(RuleErrorCode code) => code switch
    {
        RuleErrorCode.InvalidExpression or RuleErrorCode.InvalidField => ExitCodes.InvalidRule,
        RuleErrorCode.NotFound => ExitCodes.NotFound,
        _ => ExitCodes.Conflict,
    };
}
