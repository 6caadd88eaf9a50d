using System.Text;

namespace BeTrace.Dsl.Errors;

/// <summary>What kind of rule a rejected rule broke: decides nothing, helps readers and tests.</summary>
public enum DslErrorKind
{
    Size,
    Lexical,
    Syntax,
    Validation,
}

/// <summary>The one error a rejected rule yields: a position and an English message.</summary>
public sealed record DslError(DslErrorKind Kind, SourcePosition Position, string Message)
{
    /// <summary>The spec's written form: <c>LINE:COLUMN: MESSAGE</c>.</summary>
    public override string ToString() => $"{Position.Line}:{Position.Column}: {Message}";

    /// <summary>
    /// The error followed by the offending line of <paramref name="source"/> and a caret under the spot,
    /// the way the console shows it.
    /// </summary>
    public string FormatWithCaret(string source)
    {
        var builder = new StringBuilder();
        builder.Append(ToString()).Append('\n');
        var lineStart = Math.Min(Position.Offset - (Position.Column - 1), source.Length);
        if (lineStart < 0)
        {
            return builder.ToString();
        }
        var lineEnd = source.IndexOf('\n', lineStart);
        if (lineEnd < 0)
        {
            lineEnd = source.Length;
        }
        const int maxShown = 160;
        var column = Position.Column - 1;
        var from = column > maxShown - 20 ? column - (maxShown - 20) : 0;
        var to = Math.Min(lineEnd, lineStart + from + maxShown);
        var line = source[(lineStart + from)..to];
        builder.Append("  ").Append(Printable(line)).Append('\n');
        builder.Append("  ");
        for (var i = from; i < column && lineStart + i < source.Length; i++)
        {
            // Keep tabs so the caret lines up in a terminal.
            builder.Append(source[lineStart + i] == '\t' ? '\t' : ' ');
        }
        builder.Append('^');
        return builder.ToString();
    }

    private static string Printable(string line)
    {
        var builder = new StringBuilder(line.Length);
        foreach (var c in line)
        {
            builder.Append(c == '\t' || !char.IsControl(c) ? c : '\u00b7');
        }
        return builder.ToString();
    }
}
