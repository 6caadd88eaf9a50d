using BeTrace.Dsl.Syntax;
using BeTrace.Grains.Interfaces.Rules;

namespace BeTrace.Grains.Tests.Rules;

public sealed class RuleLimitsTests
{
    [Fact]
    public void The_expression_limit_is_the_dsl_limit() => Assert.Equal(RuleParser.MaxRuleBytes, RuleLimits.MaxExpressionBytes);
}
