using System.Text;

namespace BeTrace.Console.Output;

/// <summary>
/// A table for people: a header row and left-aligned columns padded to their widest cell, two spaces apart.
/// Cells are single-line: line breaks are shown as a visible <c>⏎</c> so one row stays one line.
/// </summary>
public sealed class TextTable(params string[] headers)
{
    private readonly List<string[]> _rows = [];

    public int Count => _rows.Count;

    public TextTable Add(params string?[] cells)
    {
        if (cells.Length != headers.Length)
        {
            throw new ArgumentException($"expected {headers.Length} cells, got {cells.Length}", nameof(cells));
        }
        _rows.Add(cells.Select(Clean).ToArray());
        return this;
    }

    public void WriteTo(TextWriter writer)
    {
        var widths = headers.Select(h => h.Length).ToArray();
        foreach (var row in _rows)
        {
            for (var i = 0; i < row.Length; i++)
            {
                widths[i] = Math.Max(widths[i], row[i].Length);
            }
        }
        writer.WriteLine(Line(headers, widths));
        foreach (var row in _rows)
        {
            writer.WriteLine(Line(row, widths));
        }
    }

    private static string Line(string[] cells, int[] widths)
    {
        var line = new StringBuilder();
        for (var i = 0; i < cells.Length; i++)
        {
            line.Append(cells[i]);
            if (i < cells.Length - 1)
            {
                line.Append(' ', widths[i] - cells[i].Length + 2);
            }
        }
        return line.ToString().TrimEnd();
    }

    private static string Clean(string? cell) =>
        string.IsNullOrEmpty(cell) ? "-" : cell.Replace("\r\n", "⏎", StringComparison.Ordinal).Replace('\n', '⏎').Replace('\t', ' ');
}
