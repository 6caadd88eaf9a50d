using BeTrace.Dsl.Values;

namespace BeTrace.Dsl.Syntax;

/// <summary>The text form (dsl.md 7.3) of a right-hand literal.</summary>
public static class LiteralText
{
    public static string Of(Value value) => value switch
    {
        StringValue s => s.Text,
        IdentifierValue i => i.Text,
        NumberValue n => NumberText.Format(n.Number),
        BoolValue b => b.Flag ? "true" : "false",
        ListValue list => "[" + string.Join(' ', list.Items.Select(Of)) + "]",
        DurationValue d => d.Raw,
        CountValue c => "count(" + c.Name.Text + ")",
        _ => throw new ArgumentOutOfRangeException(nameof(value)),
    };
}
