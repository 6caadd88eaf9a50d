using BeTrace.Dsl.Errors;
using BeTrace.Grains.Interfaces.Rules;

namespace BeTrace.Console.Rules;

/// <summary>Shows a registry's <see cref="RuleError"/> the way <c>dsl check</c> shows a compiler error: message, rule line, caret.</summary>
public static class RuleErrorText
{
    public static string Format(RuleError error, string expression)
    {
        if (error.Code != RuleErrorCode.InvalidExpression || error.Line <= 0)
        {
            return error.ToString();
        }
        var position = new SourcePosition(Offset(expression, error.Line, error.Column), error.Line, error.Column);
        return new DslError(DslErrorKind.Validation, position, error.Message).FormatWithCaret(expression).TrimEnd('\n');
    }

    /// <summary>The 0-based offset of a 1-based line and column, counting LFs as the compiler does.</summary>
    private static int Offset(string text, int line, int column)
    {
        var offset = 0;
        for (var current = 1; current < line; current++)
        {
            var next = text.IndexOf('\n', offset);
            if (next < 0)
            {
                return text.Length;
            }
            offset = next + 1;
        }
        return Math.Min(offset + Math.Max(column, 1) - 1, text.Length);
    }
}
