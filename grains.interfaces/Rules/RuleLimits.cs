using System.Text;

namespace BeTrace.Grains.Interfaces.Rules;

/// <summary>
/// The field limits of architecture.md (Rules) and the checks that enforce them. The registry is the authority; the
/// console runs the same checks before an import so that a pack is refused whole, up front.
/// </summary>
public static class RuleLimits
{
    public const int MaxNameBytes = 256;
    public const int MaxDescriptionBytes = 4 * 1024;
    /// <summary>The DSL's own limit (dsl.md section 2), which the compiler enforces.</summary>
    public const int MaxExpressionBytes = 65_536;
    public const int MaxRulesPerTenant = 100_000;
    public const int MaxIdLength = 128;
    public const int MaxTags = 64;
    public const int MaxTagLength = 128;

    /// <summary>The first field problem of <paramref name="draft"/>, or null. The expression itself is the compiler's job.</summary>
    public static RuleError? CheckFields(RuleDraft draft)
    {
        if (string.IsNullOrWhiteSpace(draft.Id))
        {
            return Field("rule id is empty");
        }
        if (draft.Id.Length > MaxIdLength || !draft.Id.All(IsIdChar))
        {
            return Field($"rule id '{Shorten(draft.Id)}' must be 1-{MaxIdLength} characters of A-Z a-z 0-9 . _ -");
        }
        if (string.IsNullOrWhiteSpace(draft.Name))
        {
            return Field("rule name is empty");
        }
        if (Encoding.UTF8.GetByteCount(draft.Name) > MaxNameBytes)
        {
            return Field($"rule name is longer than {MaxNameBytes} bytes");
        }
        if (Encoding.UTF8.GetByteCount(draft.Description ?? string.Empty) > MaxDescriptionBytes)
        {
            return Field($"rule description is longer than {MaxDescriptionBytes} bytes");
        }
        if (!Enum.IsDefined(draft.Severity))
        {
            return Field($"severity {(int)draft.Severity} is not one of LOW, MEDIUM, HIGH, CRITICAL");
        }
        var tags = draft.Tags ?? [];
        if (tags.Length > MaxTags || tags.Any(tag => string.IsNullOrWhiteSpace(tag) || tag.Length > MaxTagLength))
        {
            return Field($"at most {MaxTags} tags, each 1-{MaxTagLength} characters");
        }
        return null;
    }

    private static bool IsIdChar(char c) => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '.' or '_' or '-';

    private static RuleError Field(string message) => new(RuleErrorCode.InvalidField, message);

    private static string Shorten(string text) => text.Length > 40 ? text[..37] + "..." : text;
}
