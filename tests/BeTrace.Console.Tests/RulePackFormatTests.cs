using System.Text.Json;
using BeTrace.Console.Rules;
using BeTrace.Dsl.Evaluation;
using BeTrace.Grains.Interfaces.Rules;
using BeTrace.Testing;

namespace BeTrace.Console.Tests;

/// <summary>The YAML rule pack format: reading, writing, typed example values and per-rule problems.</summary>
public sealed class RulePackFormatTests : IDisposable
{
    private readonly TempFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public void A_written_pack_reads_back_to_the_same_rules()
    {
        var rule = new PackRule("pii.audit-1", "PII: audited", "reads of \"pii\" are audited\nalways", Severity.Critical,
            "// comment\nwhen { \"GET /users\".where(span.data.pii == true) }\nalways { audit.log }\n", false, ["true", "10.2", "pii"],
            "HIPAA", "164.312(b)", null, null, 0);
        var numeric = rule with { Id = "n", ComplianceControl = "10.2", Expression = "when { a }", Enabled = null, Tags = [] };
        var writer = new StringWriter();
        RulePackWriter.Write(new RulePack("round trip", null, [rule, numeric]), writer);

        var read = RulePackReader.Read(writer.ToString(), "written.yaml");
        Assert.Equal("round trip", read.Name);
        Assert.Equal(2, read.Rules.Count);
        Assert.Equal(rule with { Line = read.Rules[0].Line }, read.Rules[0] with { Tags = rule.Tags });
        Assert.Equal(rule.Tags, read.Rules[0].Tags);
        Assert.Equal("10.2", read.Rules[1].ComplianceControl);
        Assert.Contains("control: \"10.2\"", writer.ToString(), StringComparison.Ordinal);
        Assert.Null(read.Rules[1].Enabled);
    }

    [Fact]
    public void Example_values_keep_their_yaml_types_as_in_json()
    {
        var pack = RulePackReader.Read("""
            rules:
              - id: r
                name: R
                expression: when { payment.where(amount > 1000) }
                examples:
                  violating:
                    - {name: payment, attributes: {amount: 5000, ratio: 0.5, code: "007", flag: true, note: null}}
                  clean: '[{"name": "payment", "attributes": {"amount": 5}}]'
            """, "typed.yaml");
        var rule = Assert.Single(pack.Rules);
        using var violating = JsonDocument.Parse(rule.Violating!.Json);
        var attributes = violating.RootElement[0].GetProperty("attributes");
        Assert.Equal("5000", attributes.GetProperty("amount").GetRawText());
        Assert.Equal("0.5", attributes.GetProperty("ratio").GetRawText());
        Assert.Equal(JsonValueKind.String, attributes.GetProperty("code").ValueKind);
        Assert.Equal(JsonValueKind.True, attributes.GetProperty("flag").ValueKind);
        Assert.Equal(JsonValueKind.Null, attributes.GetProperty("note").ValueKind);
        Assert.Equal(7, rule.Violating.Line);
        Assert.Single(rule.Clean!.Traces());
    }

    [Fact]
    public void A_broken_entry_is_kept_with_its_problem_and_a_broken_file_is_refused_with_its_line()
    {
        var pack = RulePackReader.Read("""
            rules:
              - id: ok
                name: OK
                expression: when { a }
              - id: typo
                name: Typo
                severty: high
                severity: urgent
                expression: when { a }
              - id: nested
                name: Nested
                expression: when { a }
                compliance: SOC2
                examples: {violation: [{name: a}]}
            """, "broken.yaml");
        Assert.Null(pack.Rules[0].Problem);
        Assert.Equal("unknown key 'severty' (expected id, name, description, severity, enabled, tags, compliance, expression, examples); unknown severity 'urgent' (use low, medium, high or critical)", pack.Rules[1].Problem);
        Assert.Equal(5, pack.Rules[1].Line);
        Assert.Equal("'compliance' must be a mapping of framework, control; unknown key 'examples.violation' (expected violating, clean)", pack.Rules[2].Problem);

        var notYaml = Assert.Throws<CliInputException>(() => RulePackReader.Read("rules:\n  - id: [unclosed\n", "bad.yaml"));
        Assert.StartsWith("bad.yaml:3:", notYaml.Message, StringComparison.Ordinal);
        Assert.Contains("no 'rules' list", Assert.Throws<CliInputException>(() => RulePackReader.Read("pack: x\n", "empty.yaml")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_offline_reports_an_example_that_does_not_behave_and_an_invalid_rule()
    {
        var pack = _files.Write("pack.yaml", """
            rules:
              - id: wrong-example
                name: Wrong example
                expression: when { payment.where(amount > 1000) } always { fraud_check }
                examples:
                  violating: [{name: payment, attributes: {amount: 5}}]
                  clean: [{name: payment, attributes: {amount: 5000}}, {name: fraud_check}]
              - id: invalid
                name: Invalid
                expression: when { payment } never { }
            """);
        var result = BetraceProcess.Run(null, "rules", "validate", "--offline", pack);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"{pack}:2: rule 'wrong-example': the violating example (line 6) does not violate the rule", result.Stdout, StringComparison.Ordinal);
        Assert.Contains($"{pack}:8: rule 'invalid': 1:26: ", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("0 of 2 rules ok", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void The_pack_shown_in_docs_console_md_reads_and_its_examples_behave()
    {
        var doc = File.ReadAllText(Path.Combine(ManagedProcess.RepositoryRoot, "docs", "console.md"));
        var start = doc.IndexOf("```yaml\npack: payments", StringComparison.Ordinal);
        Assert.True(start >= 0, "docs/console.md no longer shows the example pack");
        start += "```yaml\n".Length;
        var yaml = doc[start..doc.IndexOf("```", start, StringComparison.Ordinal)];

        var rule = Assert.Single(RulePackReader.Read(yaml, "console.md").Rules);
        Assert.Null(rule.Problem);
        Assert.Equal(("PCI DSS", "10.2.1", Severity.High), (rule.ComplianceFramework, rule.ComplianceControl, rule.Severity));
        Assert.True(RuleCompiler.TryCompile(rule.Expression, out var compiled, out _));
        Assert.Equal(new ExampleVerdict(null, "violating example fires, clean example passes"), ExampleCheck.Check(rule, compiled!));
    }
}
