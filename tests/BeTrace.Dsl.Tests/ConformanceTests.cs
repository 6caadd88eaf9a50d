using System.Text.Json;
using BeTrace.Console;

namespace BeTrace.Dsl.Tests;

/// <summary>
/// Runs `betrace dsl conformance` (in-process) over the corpus files and compares every result with its
/// `want`, as the runner contract in shared/conformance/README.md describes.
/// </summary>
public sealed class ConformanceTests
{
    public static TheoryData<string> CorpusFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(RepositoryPaths.TestData("conformance"), "*.jsonl").Order())
        {
            data.Add(file);
        }
        if (RepositoryPaths.SharedConformance is { } shared)
        {
            foreach (var file in Directory.GetFiles(shared, "*.jsonl").Order())
            {
                data.Add(file);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(CorpusFiles))]
    public void Every_case_of_the_corpus_file_matches(string file)
    {
        var output = new StringWriter();
        var errors = new StringWriter();
        var exit = BetraceCli.Run(["dsl", "conformance", file], TextReader.Null, output, errors);
        Assert.True(exit == 0, $"exit {exit}: {errors}");

        var expected = File.ReadLines(file).Where(line => line.Trim().Length > 0).Select(line =>
        {
            using var row = JsonDocument.Parse(line);
            return (Id: row.RootElement.GetProperty("id").GetString()!, Want: row.RootElement.GetProperty("want").GetString()!);
        }).ToList();
        var actual = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line =>
        {
            using var row = JsonDocument.Parse(line);
            var detail = row.RootElement.TryGetProperty("detail", out var d) ? d.GetString() : null;
            return (Id: row.RootElement.GetProperty("id").GetString()!, Result: row.RootElement.GetProperty("result").GetString()!, Detail: detail);
        }).ToList();

        Assert.Equal(expected.Select(e => e.Id), actual.Select(a => a.Id));
        var mismatches = expected.Zip(actual)
            .Where(pair => pair.First.Want != pair.Second.Result)
            .Select(pair => $"{pair.First.Id}: want {pair.First.Want}, got {pair.Second.Result} ({pair.Second.Detail})")
            .ToList();
        Assert.True(mismatches.Count == 0, $"{expected.Count - mismatches.Count}/{expected.Count} cases match:\n" + string.Join('\n', mismatches));
    }

    [Fact]
    public void The_repository_copy_of_the_corpus_is_not_empty()
    {
        var rows = Directory.GetFiles(RepositoryPaths.TestData("conformance"), "*.jsonl").Sum(file => File.ReadLines(file).Count());
        Assert.True(rows >= 400, $"only {rows} corpus rows in the repository copy");
    }

    [Fact]
    public void A_line_that_is_not_json_is_reported_with_a_non_zero_exit()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "{\"id\": \"p-1\", \"rule\": \"when { a }\", \"want\": \"ok\"}\nnot json\n");
            var output = new StringWriter();
            var errors = new StringWriter();
            var exit = BetraceCli.Run(["dsl", "conformance", file], TextReader.Null, output, errors);
            Assert.NotEqual(0, exit);
            Assert.Contains("{\"id\":\"p-1\",\"result\":\"ok\"}", output.ToString(), StringComparison.Ordinal);
            Assert.Contains(":2: not a JSON row", errors.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
