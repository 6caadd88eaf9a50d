using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace BeTrace.Console.Rules;

/// <summary>Writes a rule pack as YAML that <see cref="RulePackReader"/> reads back to the same rules.</summary>
public static class RulePackWriter
{
    public static void Write(RulePack pack, TextWriter writer)
    {
        var root = new YamlMappingNode();
        if (pack.Name is not null)
        {
            root.Add("pack", Text(pack.Name));
        }
        if (pack.Description is not null)
        {
            root.Add("description", Text(pack.Description));
        }
        var rules = new YamlSequenceNode();
        foreach (var rule in pack.Rules)
        {
            rules.Add(Rule(rule));
        }
        root.Add("rules", rules);
        new YamlStream(new YamlDocument(root)).Save(writer, assignAnchors: false);
    }

    private static YamlMappingNode Rule(PackRule rule)
    {
        var node = new YamlMappingNode
        {
            { "id", Text(rule.Id) },
            { "name", Text(rule.Name) },
        };
        if (rule.Description.Length > 0)
        {
            node.Add("description", Text(rule.Description));
        }
        node.Add("severity", SeverityText.Name(rule.Severity).ToLowerInvariant());
        if (rule.Enabled is { } enabled)
        {
            node.Add("enabled", enabled ? "true" : "false");
        }
        if (rule.Tags.Length > 0)
        {
            node.Add("tags", new YamlSequenceNode(rule.Tags.Select(Text)) { Style = YamlDotNet.Core.Events.SequenceStyle.Flow });
        }
        if (rule.ComplianceFramework is not null || rule.ComplianceControl is not null)
        {
            var compliance = new YamlMappingNode();
            if (rule.ComplianceFramework is not null)
            {
                compliance.Add("framework", Text(rule.ComplianceFramework));
            }
            if (rule.ComplianceControl is not null)
            {
                compliance.Add("control", Text(rule.ComplianceControl));
            }
            node.Add("compliance", compliance);
        }
        // A literal block keeps the rule's line breaks, comments and quotes exactly as stored.
        node.Add("expression", new YamlScalarNode(rule.Expression) { Style = ScalarStyle.Literal });
        return node;
    }

    /// <summary>
    /// Text that a YAML reader would take for a number, boolean or null (a control such as 10.2) is quoted, so every
    /// YAML tool reads it back as the text it is; other text is left to the emitter.
    /// </summary>
    private static YamlScalarNode Text(string value)
    {
        var probe = new YamlScalarNode(value) { Style = ScalarStyle.Plain };
        return YamlJson.ToJson(probe).StartsWith('"')
            ? new YamlScalarNode(value)
            : new YamlScalarNode(value) { Style = ScalarStyle.DoubleQuoted };
    }
}
