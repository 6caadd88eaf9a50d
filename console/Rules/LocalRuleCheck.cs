using BeTrace.Dsl.Evaluation;
using BeTrace.Grains.Interfaces.Rules;

namespace BeTrace.Console.Rules;

/// <summary>The DSL compiler of this console, answering like the registry's <c>Validate</c> (for offline checks).</summary>
public static class LocalRuleCheck
{
    public static Task<RuleError?> Validate(string expression) => Task.FromResult(Error(expression));

    public static RuleError? Error(string expression) =>
        RuleCompiler.TryCompile(expression, out _, out var error)
            ? null
            : new RuleError(RuleErrorCode.InvalidExpression, error!.Message, error.Position.Line, error.Position.Column);
}
