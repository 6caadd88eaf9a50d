using BeTrace.Console.Rules;
using BeTrace.Dsl.Evaluation;
using BeTrace.Grains.Interfaces.Rules;

namespace BeTrace.Console.Replay;

/// <summary>A rule to replay before it is compiled: its identity, text and where it came from (for error messages).</summary>
public sealed record ReplaySource(string Id, string Name, Severity Severity, string Expression, string Origin);

/// <summary>Collects replay rules from YAML packs, rule files and stored rules, and compiles them with the local engine.</summary>
public static class ReplayRuleLoader
{
    /// <summary>All rules of a YAML pack (.yaml/.yml), or the one rule of any other file, named after the file.</summary>
    /// <exception cref="CliInputException">The file is unreadable or a pack entry unusable.</exception>
    public static IEnumerable<ReplaySource> FromFile(CliIo io, string path)
    {
        var text = io.ReadText(path);
        if (!path.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) && !path.EndsWith(".yml", StringComparison.OrdinalIgnoreCase))
        {
            var id = Path.GetFileNameWithoutExtension(path);
            return [new ReplaySource(id, id, Severity.Medium, text, path)];
        }
        var pack = RulePackReader.Read(text, path);
        if (pack.Rules.FirstOrDefault(rule => rule.Problem is not null) is { } broken)
        {
            throw new CliInputException($"{path}:{broken.Line}: rule '{broken.Label}': {broken.Problem}");
        }
        return pack.Rules.Select(rule => new ReplaySource(rule.Id, rule.Name, rule.Severity, rule.Expression, $"{path}:{rule.Line}"));
    }

    public static ReplaySource FromStored(RuleDefinition rule, string tenant) =>
        new(rule.Id, rule.Name, rule.Severity, rule.Expression, $"rule '{rule.Id}' of tenant '{tenant}'");

    /// <summary>Compiles every source; reports each one that does not load and returns null if any did not.</summary>
    public static IReadOnlyList<ReplayRule>? Compile(CliIo io, IEnumerable<ReplaySource> sources)
    {
        var rules = new List<ReplayRule>();
        var failed = false;
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var source in sources)
        {
            if (!ids.Add(source.Id))
            {
                io.Error.WriteLine($"{source.Origin}: rule id '{source.Id}' is given more than once");
                failed = true;
                continue;
            }
            if (RuleCompiler.TryCompile(source.Expression, out var compiled, out var error))
            {
                rules.Add(new ReplayRule(source.Id, source.Name, source.Severity, compiled!));
                continue;
            }
            io.Error.WriteLine($"{source.Origin}: rule '{source.Id}': {error!.FormatWithCaret(source.Expression).TrimEnd('\n')}");
            failed = true;
        }
        return failed ? null : rules;
    }
}
