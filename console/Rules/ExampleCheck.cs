using BeTrace.Dsl.Evaluation;
using BeTrace.Dsl.Traces;

namespace BeTrace.Console.Rules;

/// <summary>The outcome of running a rule on its examples: a problem (or null) and a line for the report.</summary>
public sealed record ExampleVerdict(string? Problem, string Summary);

/// <summary>
/// Runs a pack rule on its example traces with the local engine: every trace of the violating example must
/// violate the rule, and no trace of the clean example may.
/// </summary>
public static class ExampleCheck
{
    public static ExampleVerdict Check(PackRule rule, CompiledRule compiled)
    {
        if (rule.Violating is null && rule.Clean is null)
        {
            return new ExampleVerdict(null, "no examples");
        }
        var problems = new List<string>();
        var found = new List<string>();
        if (rule.Violating is { } violating)
        {
            Run(violating, "violating", expectViolation: true, compiled, problems, found);
        }
        if (rule.Clean is { } clean)
        {
            Run(clean, "clean", expectViolation: false, compiled, problems, found);
        }
        return new ExampleVerdict(problems.Count == 0 ? null : string.Join("; ", problems), string.Join(", ", found));
    }

    private static void Run(RuleExample example, string kind, bool expectViolation, CompiledRule compiled, List<string> problems, List<string> found)
    {
        try
        {
            var verdicts = example.Traces().Select(trace => compiled.Evaluate(trace).Violated).ToList();
            if (expectViolation && !verdicts.All(violated => violated))
            {
                problems.Add($"the violating example (line {example.Line}) does not violate the rule");
            }
            else if (!expectViolation && verdicts.Any(violated => violated))
            {
                problems.Add($"the clean example (line {example.Line}) violates the rule");
            }
            else
            {
                found.Add(expectViolation ? "violating example fires" : "clean example passes");
            }
        }
        catch (TraceFormatException ex)
        {
            problems.Add($"the {kind} example (line {example.Line}) is not a readable trace: {ex.Message}");
        }
    }
}
