using BeTrace.Dsl.Evaluation;

namespace BeTrace.Dsl.Tests;

public sealed class SmokeTests
{
    [Fact]
    public void A_simple_rule_compiles()
    {
        var rule = RuleCompiler.Compile("when { payment } always { fraud_check }");
        Assert.False(rule.IsDetectionRule);
    }
}
