namespace BeTrace.Dsl.Errors;

/// <summary>A place in the rule text: 0-based UTF-16 offset, 1-based line and column (dsl.md section 9).</summary>
public readonly record struct SourcePosition(int Offset, int Line, int Column)
{
    public static SourcePosition Start => new(0, 1, 1);

    public override string ToString() => $"{Line}:{Column}";

    /// <summary>Computes the position of an offset by counting LFs; a CR counts as an ordinary character.</summary>
    public static SourcePosition At(string text, int offset)
    {
        var line = 1;
        var lineStart = 0;
        for (var i = 0; i < offset && i < text.Length; i++)
        {
            if (text[i] == '\n')
            {
                line++;
                lineStart = i + 1;
            }
        }
        return new SourcePosition(offset, line, offset - lineStart + 1);
    }
}
