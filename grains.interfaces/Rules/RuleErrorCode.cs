namespace BeTrace.Grains.Interfaces.Rules;

public enum RuleErrorCode
{
    /// <summary>The expression does not load; the message and position are the DSL compiler's.</summary>
    InvalidExpression,

    /// <summary>A field is missing or too long, or the tenant has too many rules.</summary>
    InvalidField,
    NotFound,
    AlreadyExists,

    /// <summary>The caller's version is stale: someone changed the rule since it was read.</summary>
    VersionConflict,
}
