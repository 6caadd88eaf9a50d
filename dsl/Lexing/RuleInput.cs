using Sprache;

namespace BeTrace.Dsl.Lexing;

/// <summary>
/// A Sprache input over the rule text. Sprache's own <see cref="Input"/> allocates a memo dictionary on every
/// advance, which made tokenising a 64 KiB rule take seconds; this one creates the dictionary only if a
/// memoising parser asks for it (ours never do). Lines and columns count as dsl.md section 9 says: LF starts
/// a line, every other UTF-16 unit (CR and TAB included) is one column.
/// </summary>
internal sealed class RuleInput : IInput
{
    private IDictionary<object, object>? _memos;

    public RuleInput(string source)
        : this(source, 0, 1, 1)
    {
    }

    private RuleInput(string source, int position, int line, int column)
    {
        Source = source;
        Position = position;
        Line = line;
        Column = column;
    }

    public string Source { get; }

    public char Current => Source[Position];

    public bool AtEnd => Position == Source.Length;

    public int Position { get; }

    public int Line { get; }

    public int Column { get; }

    public IDictionary<object, object> Memos => _memos ??= new Dictionary<object, object>();

    public IInput Advance()
    {
        if (AtEnd)
        {
            throw new InvalidOperationException("The input is already at its end.");
        }
        return Current == '\n'
            ? new RuleInput(Source, Position + 1, Line + 1, 1)
            : new RuleInput(Source, Position + 1, Line, Column + 1);
    }

    /// <summary>Moves <paramref name="count"/> characters ahead in one step (lexer runs read many characters at once).</summary>
    public RuleInput AdvanceBy(int count)
    {
        var line = Line;
        var column = Column;
        for (var i = Position; i < Position + count; i++)
        {
            if (Source[i] == '\n')
            {
                line++;
                column = 1;
            }
            else
            {
                column++;
            }
        }
        return new RuleInput(Source, Position + count, line, column);
    }

    public bool Equals(IInput? other) =>
        other is not null && ReferenceEquals(Source, other.Source) && Position == other.Position;

    public override bool Equals(object? obj) => obj is IInput other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Source.Length, Position);

    public override string ToString() => $"Line {Line}, Column {Column}";
}
