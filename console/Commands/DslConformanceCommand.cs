using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using BeTrace.Console.Conformance;
using BeTrace.Dsl.Traces;

namespace BeTrace.Console.Commands;

/// <summary>
/// <c>betrace dsl conformance FILE...</c>: one JSON result line per corpus row on stdout, in order;
/// diagnostics on stderr; a non-zero exit only when a file or row cannot be read.
/// </summary>
public static class DslConformanceCommand
{
    // Rule texts in details are shown as written, not as \u escapes.
    private static readonly JsonSerializerOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Command Build(CliIo io)
    {
        var files = new Argument<string[]>("FILE")
        {
            Description = "Corpus files (JSON lines of parse and eval rows).",
            Arity = ArgumentArity.OneOrMore,
        };
        var command = new Command("conformance", "Run conformance corpus files and print one JSON result line per row.") { files };
        command.SetAction(result => DslCommands.Guard(io, () => Run(io, result.GetValue(files)!)));
        return command;
    }

    private static int Run(CliIo io, string[] files)
    {
        var unreadable = 0;
        var rows = 0;
        foreach (var file in files)
        {
            var lines = io.ReadText(file).Split('\n');
            for (var i = 0; i < lines.Length; i++)
            {
                if (lines[i].Trim().Length == 0)
                {
                    continue;
                }
                rows++;
                if (!TryRunLine(io, lines[i], $"{file}:{i + 1}"))
                {
                    unreadable++;
                }
            }
        }
        io.Error.WriteLine($"conformance: {rows} rows, {unreadable} unreadable");
        return unreadable == 0 ? ExitCodes.Ok : ExitCodes.BadInput;
    }

    private static bool TryRunLine(CliIo io, string line, string where)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            Write(io, ConformanceCase.Run(document.RootElement));
            return true;
        }
        catch (JsonException ex)
        {
            io.Error.WriteLine($"{where}: not a JSON row: {ex.Message}");
        }
        catch (TraceFormatException ex)
        {
            io.Error.WriteLine($"{where}: {ex.Message}");
        }
        return false;
    }

    private static void Write(CliIo io, ConformanceResult result)
    {
        var row = new Dictionary<string, string> { ["id"] = result.Id, ["result"] = result.Result };
        if (result.Detail is not null)
        {
            row["detail"] = result.Detail;
        }
        io.Out.WriteLine(JsonSerializer.Serialize(row, JsonOptions));
    }
}
