using System.Globalization;
using System.Text.RegularExpressions;
using BeTrace.Dsl.Evaluation;
using BeTrace.Dsl.Model;
using BeTrace.Dsl.Traces;

namespace BeTrace.Dsl.Tests;

/// <summary>
/// Keeps the user documentation honest: every <c>```betrace</c> block of docs/dsl.md loads (or, when marked
/// <c>```betrace error</c>, is rejected at the position the following <c>```text</c> block shows), and every
/// example under docs/examples/ is documented verbatim, violated by its violating trace and not by its clean one.
/// </summary>
public sealed partial class DocsExamplesTests
{
    private const string RuleInfo = "betrace";
    private const string ErrorInfo = "betrace error";

    private static readonly Lazy<string> RepoRoot = new(FindRepoRoot);

    private static string DocsFile => Path.Combine(RepoRoot.Value, "docs", "dsl.md");

    private static string ExamplesDirectory => Path.Combine(RepoRoot.Value, "docs", "examples");

    /// <summary>The first line of every betrace block (plain or error) in docs/dsl.md.</summary>
    public static TheoryData<int> DocumentedRuleBlocks()
    {
        var data = new TheoryData<int>();
        foreach (var block in ReadBlocks().Where(block => block.Info is RuleInfo or ErrorInfo))
        {
            data.Add(block.Line);
        }
        return data;
    }

    /// <summary>Every NAME with a docs/examples/NAME.betrace file.</summary>
    public static TheoryData<string> ExampleNames()
    {
        var data = new TheoryData<string>();
        foreach (var name in Directory.GetFiles(ExamplesDirectory, "*.betrace")
                     .Select(path => Path.GetFileNameWithoutExtension(path))
                     .Order(StringComparer.Ordinal))
        {
            data.Add(name);
        }
        return data;
    }

    [Fact]
    public void Docs_contain_rule_blocks_and_use_only_known_markers()
    {
        var blocks = ReadBlocks();
        Assert.Contains(blocks, block => block.Info == RuleInfo);
        Assert.Contains(blocks, block => block.Info == ErrorInfo);
        var unknown = blocks
            .Where(block => block.Info.StartsWith(RuleInfo, StringComparison.Ordinal) && block.Info is not (RuleInfo or ErrorInfo))
            .Select(block => $"line {block.Line}: ```{block.Info}")
            .ToList();
        Assert.True(unknown.Count == 0, "unknown betrace block markers: " + string.Join(", ", unknown));
    }

    [Theory]
    [MemberData(nameof(DocumentedRuleBlocks))]
    public void Documented_rule_block_loads_or_fails_as_marked(int line)
    {
        var blocks = ReadBlocks();
        var index = blocks.FindIndex(block => block.Line == line);
        Assert.True(index >= 0, $"no code block starts at docs/dsl.md line {line}");
        var block = blocks[index];
        var loaded = RuleCompiler.TryCompile(block.Text, out _, out var error);
        if (block.Info == RuleInfo)
        {
            Assert.True(loaded, $"docs/dsl.md line {line}: the rule does not load:\n{error?.FormatWithCaret(block.Text)}\n{block.Text}");
            return;
        }
        Assert.False(loaded, $"docs/dsl.md line {line}: the block is marked as an error, but the rule loads:\n{block.Text}");
        // When the docs show the error output right after the rule, the position shown must be the real one.
        if (index + 1 < blocks.Count && blocks[index + 1] is { Info: "text" } shown && IsDirectlyAfter(block, shown))
        {
            var match = ShownPosition().Match(shown.Text);
            Assert.True(match.Success, $"docs/dsl.md line {shown.Line}: the shown error has no LINE:COLUMN");
            var position = (
                int.Parse(match.Groups["line"].Value, CultureInfo.InvariantCulture),
                int.Parse(match.Groups["column"].Value, CultureInfo.InvariantCulture));
            Assert.True(position == (error!.Position.Line, error.Position.Column),
                $"docs/dsl.md line {shown.Line} shows {position.Item1}:{position.Item2}, the engine reports {error}");
        }
    }

    [Theory]
    [MemberData(nameof(ExampleNames))]
    public void Example_rule_is_documented_verbatim(string name)
    {
        var text = ExampleRule(name);
        var documented = ReadBlocks().Where(block => block.Info == RuleInfo).Select(block => block.Text);
        Assert.True(documented.Contains(text, StringComparer.Ordinal),
            $"docs/examples/{name}.betrace is not a ```betrace block of docs/dsl.md:\n{text}");
    }

    [Theory]
    [MemberData(nameof(ExampleNames))]
    public void Example_is_violated_by_its_violating_trace(string name)
    {
        var rule = RuleCompiler.Compile(ExampleRule(name));
        var verdict = rule.Evaluate(ExampleTrace(name, "violating"));
        Assert.True(verdict.Violated, $"{name}.violating.json does not violate {name}.betrace");
    }

    [Theory]
    [MemberData(nameof(ExampleNames))]
    public void Example_is_not_violated_by_its_clean_trace(string name)
    {
        var rule = RuleCompiler.Compile(ExampleRule(name));
        var verdict = rule.Evaluate(ExampleTrace(name, "clean"));
        Assert.False(verdict.Violated, $"{name}.clean.json violates {name}.betrace");
    }

    [Fact]
    public void Payment_fraud_otlp_trace_violates_the_rule_with_the_payment_as_when_witness()
    {
        var rule = RuleCompiler.Compile(ExampleRule("payment-fraud"));
        var traces = TraceDocument.Read(File.ReadAllText(Path.Combine(ExamplesDirectory, "payment-fraud.otlp.json")));
        var trace = Assert.Single(traces);

        var verdict = rule.Evaluate(trace);

        Assert.True(verdict.Violated);
        Assert.InRange(verdict.WhenWitness, 0, trace.Count - 1);
        var witness = trace.Spans[verdict.WhenWitness];
        Assert.Equal("payment", witness.Name);
        Assert.Equal("b7ad6b7169203331", witness.SpanId);
        Assert.Equal(-1, verdict.NeverWitness);
    }

    private static string ExampleRule(string name) =>
        Normalize(File.ReadAllText(Path.Combine(ExamplesDirectory, name + ".betrace")));

    private static TraceView ExampleTrace(string name, string variant)
    {
        var path = Path.Combine(ExamplesDirectory, $"{name}.{variant}.json");
        Assert.True(File.Exists(path), $"missing docs/examples/{name}.{variant}.json");
        var traces = TraceDocument.Read(File.ReadAllText(path));
        Assert.True(traces.Count == 1, $"{name}.{variant}.json holds {traces.Count} traces; an example is one trace");
        return traces[0];
    }

    private static string Normalize(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal);

    /// <summary>Only blank lines stand between the closing fence of <paramref name="rule"/> and <paramref name="next"/>.</summary>
    private static bool IsDirectlyAfter(CodeBlock rule, CodeBlock next)
    {
        var lines = Normalize(File.ReadAllText(DocsFile)).Split('\n');
        // Lines are 1-based; the rule's closing fence is at rule.Line + rule.LineCount + 1.
        for (var i = rule.Line + rule.LineCount + 1; i < next.Line - 1; i++)
        {
            if (lines[i].Trim().Length > 0)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>
    /// The fenced code blocks of docs/dsl.md: the 1-based line of the opening fence, its info string and the
    /// content (every line followed by LF, as a rule file ends).
    /// </summary>
    private static List<CodeBlock> ReadBlocks()
    {
        var lines = Normalize(File.ReadAllText(DocsFile)).Split('\n');
        var blocks = new List<CodeBlock>();
        for (var i = 0; i < lines.Length; i++)
        {
            if (!lines[i].StartsWith("```", StringComparison.Ordinal))
            {
                continue;
            }
            var start = i;
            var info = lines[i][3..].Trim();
            var content = new List<string>();
            for (i++; i < lines.Length && !lines[i].StartsWith("```", StringComparison.Ordinal); i++)
            {
                content.Add(lines[i]);
            }
            Assert.True(i < lines.Length, $"docs/dsl.md line {start + 1}: the code block is not closed");
            blocks.Add(new CodeBlock(start + 1, info, string.Concat(content.Select(line => line + "\n")), content.Count));
        }
        return blocks;
    }

    private static string FindRepoRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "BeTrace.Orleans.sln")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException($"BeTrace.Orleans.sln not found above {AppContext.BaseDirectory}");
    }

    /// <summary><c>LINE:COLUMN: </c> at the start of a shown error, after an optional <c>FILE:</c>.</summary>
    [GeneratedRegex(@"\A(?:[^\s:]+:)?(?<line>[0-9]+):(?<column>[0-9]+): ", RegexOptions.CultureInvariant)]
    private static partial Regex ShownPosition();

    private sealed record CodeBlock(int Line, string Info, string Text, int LineCount);
}
