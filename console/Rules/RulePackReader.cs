using BeTrace.Grains.Interfaces.Rules;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace BeTrace.Console.Rules;

/// <summary>
/// Reads a YAML rule pack. A file that is not YAML or has no <c>rules</c> list is unusable as a whole
/// (<see cref="CliInputException"/>); a single unusable entry (missing field, unknown key or severity) is kept with
/// its <see cref="PackRule.Problem"/>, so an import can report every rule of the pack at once.
/// </summary>
public static class RulePackReader
{
    private static readonly HashSet<string> PackKeys = ["pack", "description", "rules"];

    private static readonly HashSet<string> RuleKeys =
        ["id", "name", "description", "severity", "enabled", "tags", "compliance", "expression", "examples"];

    /// <exception cref="CliInputException">The text is not a rule pack.</exception>
    public static RulePack Read(string text, string source)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException ex)
        {
            throw new CliInputException($"{source}:{ex.Start.Line}:{ex.Start.Column}: not valid YAML: {ex.Message}", ex);
        }
        if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new CliInputException($"{source}: a rule pack is one YAML mapping with a 'rules' list (see docs/console.md)");
        }
        foreach (var key in Keys(root).Where(key => !PackKeys.Contains(key.Value!)))
        {
            throw new CliInputException($"{source}:{key.Start.Line}: unknown key '{key.Value}' (expected {string.Join(", ", PackKeys)})");
        }
        if (Child(root, "rules") is not YamlSequenceNode rules)
        {
            throw new CliInputException($"{source}: the pack has no 'rules' list");
        }
        return new RulePack(Text(root, "pack"), Text(root, "description"), rules.Children.Select(ReadRule).ToList());
    }

    private static PackRule ReadRule(YamlNode node)
    {
        var line = (int)node.Start.Line;
        if (node is not YamlMappingNode rule)
        {
            return Unusable(line, "a rule must be a mapping with id, name, expression, ...");
        }
        var id = Text(rule, "id") ?? "";
        var unknown = Keys(rule).FirstOrDefault(key => !RuleKeys.Contains(key.Value!));
        var problems = new List<string>();
        if (unknown is not null)
        {
            problems.Add($"unknown key '{unknown.Value}' (expected {string.Join(", ", RuleKeys)})");
        }
        var name = Text(rule, "name");
        var expression = Text(rule, "expression");
        if (id.Length == 0)
        {
            problems.Add("'id' is missing");
        }
        if (string.IsNullOrWhiteSpace(name))
        {
            problems.Add("'name' is missing");
        }
        if (string.IsNullOrWhiteSpace(expression))
        {
            problems.Add("'expression' is missing");
        }
        var severity = Severity.Medium;
        if (Text(rule, "severity") is { } severityText && !SeverityText.TryParse(severityText, out severity))
        {
            problems.Add($"unknown severity '{severityText}' (use {SeverityText.Choices})");
        }
        bool? enabled = null;
        if (Text(rule, "enabled") is { } enabledText)
        {
            enabled = enabledText switch
            {
                "true" => true,
                "false" => false,
                _ => null,
            };
            if (enabled is null)
            {
                problems.Add($"'enabled' must be true or false, not '{enabledText}'");
            }
        }
        var compliance = Nested(rule, "compliance", ["framework", "control"], problems);
        var examples = Nested(rule, "examples", ["violating", "clean"], problems);
        return new PackRule(
            id,
            name ?? "",
            Text(rule, "description") ?? "",
            severity,
            expression ?? "",
            enabled,
            Tags(rule, problems),
            compliance is null ? null : Text(compliance, "framework"),
            compliance is null ? null : Text(compliance, "control"),
            examples is null ? null : Example(examples, "violating"),
            examples is null ? null : Example(examples, "clean"),
            line,
            problems.Count == 0 ? null : string.Join("; ", problems));
    }

    /// <summary>A nested mapping such as <c>compliance</c>; a wrong shape or an unknown key is a problem of the rule.</summary>
    private static YamlMappingNode? Nested(YamlMappingNode rule, string key, string[] keys, List<string> problems)
    {
        switch (Child(rule, key))
        {
            case null:
                return null;
            case YamlMappingNode mapping:
                foreach (var unknown in Keys(mapping).Where(k => !keys.Contains(k.Value)))
                {
                    problems.Add($"unknown key '{key}.{unknown.Value}' (expected {string.Join(", ", keys)})");
                }
                return mapping;
            default:
                problems.Add($"'{key}' must be a mapping of {string.Join(", ", keys)}");
                return null;
        }
    }

    private static string[] Tags(YamlMappingNode rule, List<string> problems)
    {
        switch (Child(rule, "tags"))
        {
            case null:
                return [];
            case YamlSequenceNode list when list.Children.All(tag => tag is YamlScalarNode):
                return list.Children.Select(tag => ((YamlScalarNode)tag).Value ?? "").ToArray();
            case YamlScalarNode single when !string.IsNullOrWhiteSpace(single.Value):
                return [single.Value!];
            default:
                problems.Add("'tags' must be a list of words");
                return [];
        }
    }

    /// <summary>A list of spans in YAML (or JSON) syntax, or a text block holding corpus or OTLP/JSON.</summary>
    private static RuleExample? Example(YamlMappingNode examples, string key) => Child(examples, key) switch
    {
        null => null,
        YamlScalarNode text => new RuleExample(text.Value ?? "", (int)text.Start.Line),
        var node => new RuleExample(YamlJson.ToJson(node), (int)node.Start.Line),
    };

    private static PackRule Unusable(int line, string problem) =>
        new("", "", "", Severity.Medium, "", null, [], null, null, null, null, line, problem);

    private static IEnumerable<YamlScalarNode> Keys(YamlMappingNode mapping) =>
        mapping.Children.Keys.OfType<YamlScalarNode>();

    private static YamlNode? Child(YamlMappingNode mapping, string key) =>
        mapping.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    private static string? Text(YamlMappingNode mapping, string key) => Child(mapping, key) switch
    {
        YamlScalarNode { Value: var value } scalar when !(scalar.Style == ScalarStyle.Plain && value is "" or "~" or "null") => value,
        _ => null,
    };
}
