using System.Text.Json;
using BeTrace.Testing;

namespace BeTrace.Console.Tests;

/// <summary>`betrace rules …` against a real silo process, each test on its own tenant.</summary>
[Collection(EmbeddedSiloCollection.Name)]
public sealed class RulesCommandsTests(EmbeddedSilo silo) : IDisposable
{
    private const string FraudRule = "when { payment.where(amount > 1000) } always { fraud_check }";
    private readonly TempFiles _files = new();

    public void Dispose() => _files.Dispose();

    private BetraceProcess.Result Betrace(string tenant, params string[] args) =>
        BetraceProcess.Run(null, [.. args, .. silo.Target(tenant)]);

    private static JsonElement Json(BetraceProcess.Result result)
    {
        Assert.True(result.ExitCode == 0, result.ToString());
        using var document = JsonDocument.Parse(result.Stdout);
        return document.RootElement.Clone();
    }

    [Fact]
    public void Add_then_get_and_list_show_the_rule()
    {
        var added = Betrace("t-add", "rules", "add", "--id", "fraud", "--name", "Fraud check", "--severity", "high",
            "--expr", FraudRule, "--description", "large payments are fraud-checked", "--tag", "payments", "--tag", "fraud",
            "--framework", "PCI DSS", "--control", "10.2.1");
        Assert.True(added.ExitCode == 0, added.ToString());
        Assert.Equal("created rule 'fraud' (version 1) for tenant 't-add'\n", added.Stdout);

        var rule = Json(Betrace("t-add", "rules", "get", "fraud", "--json"));
        Assert.Equal("Fraud check", rule.GetProperty("name").GetString());
        Assert.Equal("HIGH", rule.GetProperty("severity").GetString());
        Assert.Equal(1, rule.GetProperty("version").GetInt64());
        Assert.Equal(["payments", "fraud"], rule.GetProperty("tags").EnumerateArray().Select(t => t.GetString()!).ToArray());
        Assert.Equal("10.2.1", rule.GetProperty("compliance_control").GetString());
        Assert.Equal(FraudRule, rule.GetProperty("expression").GetString());

        var list = Betrace("t-add", "rules", "list");
        Assert.Equal(0, list.ExitCode);
        var lines = list.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("ID     NAME         SEVERITY  ENABLED  VERSION  TAGS            COMPLIANCE      UPDATED", lines[0]);
        Assert.StartsWith("fraud  Fraud check  HIGH      yes      1        payments,fraud  PCI DSS 10.2.1  20", lines[1], StringComparison.Ordinal);
        Assert.Single(Json(Betrace("t-add", "rules", "list", "--json")).EnumerateArray());

        var duplicate = Betrace("t-add", "rules", "add", "--id", "fraud", "--name", "again", "--expr", FraudRule);
        Assert.Equal(6, duplicate.ExitCode);
        Assert.Contains("rule 'fraud' already exists", duplicate.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void An_invalid_rule_is_refused_with_the_compiler_message_the_rule_line_and_a_caret()
    {
        var rule = _files.Write("bad.betrace", "when { payment }\nalways { fraud_check && audit }");
        var result = Betrace("t-invalid", "rules", "add", "--id", "bad", "--name", "Bad", "--file", rule);
        Assert.Equal(1, result.ExitCode);
        var lines = result.Stderr.Split('\n');
        Assert.Equal($"betrace: rule 'bad' refused: {rule}:2:22: unexpected character '&' (write 'and')", lines[0]);
        Assert.Equal("  always { fraud_check && audit }", lines[1]);
        Assert.Equal("  " + new string(' ', 21) + "^", lines[2]);
        Assert.Equal("tenant 't-invalid' has no rules\n", Betrace("t-invalid", "rules", "list").Stdout);
    }

    [Fact]
    public void Update_sends_the_version_the_user_read_and_a_stale_one_is_refused_with_the_registry_message()
    {
        Assert.Equal(0, Betrace("t-update", "rules", "add", "--id", "fraud", "--name", "Fraud", "--expr", FraudRule).ExitCode);

        var first = Betrace("t-update", "rules", "update", "fraud", "--version", "1", "--severity", "critical");
        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Equal("updated rule 'fraud' to version 2\n", first.Stdout);

        var stale = Betrace("t-update", "rules", "update", "fraud", "--version", "1", "--name", "Someone else's edit");
        Assert.Equal(6, stale.ExitCode);
        Assert.Contains("rule 'fraud' is at version 2, not 1: it was changed since you read it", stale.Stderr, StringComparison.Ordinal);

        // Without --version the console reads the current version first, and says so.
        var unguarded = Betrace("t-update", "rules", "update", "fraud", "--name", "Fraud check");
        Assert.True(unguarded.ExitCode == 0, unguarded.ToString());
        Assert.Contains("updating rule 'fraud' from version 2, read just now", unguarded.Stderr, StringComparison.Ordinal);
        var rule = Json(Betrace("t-update", "rules", "get", "fraud", "--json"));
        Assert.Equal(3, rule.GetProperty("version").GetInt64());
        Assert.Equal("Fraud check", rule.GetProperty("name").GetString());
        Assert.Equal("CRITICAL", rule.GetProperty("severity").GetString());
        Assert.Equal(FraudRule, rule.GetProperty("expression").GetString());

        Assert.Equal(5, Betrace("t-update", "rules", "update", "nope", "--name", "x").ExitCode);
    }

    [Fact]
    public void Import_of_a_pack_with_one_invalid_rule_stores_nothing_and_with_partial_stores_the_valid_ones()
    {
        var pack = _files.Write("pack.yaml", """
            pack: payments
            rules:
              - id: fraud
                name: Fraud check
                severity: high
                expression: |
                  when { payment.where(amount > 1000) }
                  always { fraud_check }
              - id: broken
                name: Broken
                expression: |
                  when { payment }
                  always { fraud_check && audit }
              - id: audit
                name: PII audit
                severity: critical
                compliance: {framework: HIPAA, control: 164.312(b)}
                expression: when { pii.read } always { audit.log }
            """);

        var all = Betrace("t-import", "rules", "import", pack);
        Assert.True(all.ExitCode == 1, all.ToString());
        Assert.Contains("fraud   skipped  valid; not stored because the pack has invalid rules", all.Stdout, StringComparison.Ordinal);
        Assert.Contains("broken  invalid  2:22: unexpected character '&' (write 'and')", all.Stdout, StringComparison.Ordinal);
        Assert.Contains($"{pack}:9: rule 'broken': 2:22: unexpected character '&' (write 'and')\n  always {{ fraud_check && audit }}\n  {new string(' ', 21)}^", all.Stdout, StringComparison.Ordinal);
        Assert.Contains("nothing imported into tenant 't-import': 1 of 3 rules invalid or refused (--partial stores the valid ones)", all.Stdout, StringComparison.Ordinal);
        Assert.Empty(Json(Betrace("t-import", "rules", "list", "--json")).EnumerateArray());

        var partial = Betrace("t-import", "rules", "import", pack, "--partial", "--json");
        Assert.Equal(1, partial.ExitCode);
        using (var report = JsonDocument.Parse(partial.Stdout))
        {
            Assert.True(report.RootElement.GetProperty("stored").GetBoolean());
            var results = report.RootElement.GetProperty("rules").EnumerateArray()
                .ToDictionary(r => r.GetProperty("id").GetString()!, r => r.GetProperty("result").GetString()!);
            Assert.Equal(new Dictionary<string, string> { ["fraud"] = "created", ["broken"] = "invalid", ["audit"] = "created" }, results);
            var error = report.RootElement.GetProperty("rules")[1].GetProperty("error");
            Assert.Equal(2, error.GetProperty("line").GetInt32());
            Assert.Equal(22, error.GetProperty("column").GetInt32());
        }
        var stored = Json(Betrace("t-import", "rules", "list", "--json")).EnumerateArray().ToList();
        Assert.Equal(["audit", "fraud"], stored.Select(r => r.GetProperty("id").GetString()!).ToArray());
        Assert.Equal("164.312(b)", stored[0].GetProperty("compliance_control").GetString());

        // Fixed and imported again: the stored rules are unchanged, the fixed one is created.
        var fixedPack = _files.Write("fixed.yaml", File.ReadAllText(pack).Replace("&&", "and", StringComparison.Ordinal));
        var again = Betrace("t-import", "rules", "import", fixedPack);
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("imported pack 'payments' into tenant 't-import': 1 created, 0 updated, 2 unchanged, 0 invalid", again.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Export_writes_a_pack_that_imports_back_unchanged_and_enable_disable_delete_work()
    {
        var sre = Path.Combine(ManagedProcess.RepositoryRoot, "deploy-local", "rules", "sre-reliability.yaml");
        var imported = Betrace("t-export", "rules", "import", sre);
        Assert.True(imported.ExitCode == 0, imported.ToString());
        Assert.Equal(0, Betrace("t-export", "rules", "disable", "sre-retry-storm").ExitCode);

        var exported = Path.Combine(Path.GetTempPath(), $"betrace-export-{Guid.NewGuid():N}.yaml");
        try
        {
            var export = Betrace("t-export", "rules", "export", "--output", exported);
            Assert.True(export.ExitCode == 0, export.ToString());
            Assert.Contains("enabled: false", File.ReadAllText(exported), StringComparison.Ordinal);
            var dryRun = Betrace("t-export", "rules", "import", exported, "--dry-run");
            Assert.True(dryRun.ExitCode == 0, dryRun.ToString());
            Assert.Contains("dry run for tenant 't-export': 0 created, 0 updated, 6 unchanged, 0 invalid; nothing stored", dryRun.Stdout, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(exported);
        }

        // Re-importing the pack (which does not say 'enabled') keeps the operator's disabled rule disabled.
        Assert.Contains("6 unchanged", Betrace("t-export", "rules", "import", sre).Stdout, StringComparison.Ordinal);
        Assert.False(Json(Betrace("t-export", "rules", "get", "sre-retry-storm", "--json")).GetProperty("enabled").GetBoolean());
        Assert.Equal(0, Betrace("t-export", "rules", "enable", "sre-retry-storm").ExitCode);
        Assert.True(Json(Betrace("t-export", "rules", "get", "sre-retry-storm", "--json")).GetProperty("enabled").GetBoolean());

        Assert.Equal("deleted rule 'sre-retry-storm'\n", Betrace("t-export", "rules", "delete", "sre-retry-storm").Stdout);
        var missing = Betrace("t-export", "rules", "get", "sre-retry-storm");
        Assert.Equal(5, missing.ExitCode);
        Assert.Contains("tenant 't-export' has no rule 'sre-retry-storm'", missing.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_asks_the_cluster_and_the_tenant_can_come_from_the_environment()
    {
        var ok = Betrace("t-validate", "rules", "validate", "--expr", FraudRule);
        Assert.Equal("<expr>: ok\n", ok.Stdout);
        var bad = Betrace("t-validate", "rules", "validate", "--expr", "when { payment > 1 }");
        Assert.Equal(1, bad.ExitCode);
        Assert.StartsWith("<expr>:1:8: a direct comparison needs span.attribute", bad.Stdout, StringComparison.Ordinal);

        var environment = new Dictionary<string, string> { ["BETRACE_TENANT"] = "t-env" };
        var port = silo.Target("x")[1];
        var added = BetraceProcess.RunWith(environment, null, "rules", "add", "--gateway-port", port, "--id", "r", "--name", "R", "--expr", FraudRule);
        Assert.True(added.ExitCode == 0, added.ToString());
        Assert.Contains("for tenant 't-env'", added.Stdout, StringComparison.Ordinal);
        Assert.Single(Json(Betrace("t-env", "rules", "list", "--json")).EnumerateArray());
    }
}
