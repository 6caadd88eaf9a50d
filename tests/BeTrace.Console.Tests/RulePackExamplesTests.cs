using BeTrace.Grains.Interfaces.Rules;
using BeTrace.Console.Rules;
using BeTrace.Dsl.Evaluation;
using BeTrace.Testing;

namespace BeTrace.Console.Tests;

/// <summary>
/// The shipped rule packs (deploy-local/rules): every rule loads and fires on its violating example and not on its
/// clean one, with the same engine the silos use. Offline: no cluster.
/// </summary>
public sealed class RulePackExamplesTests
{
    private static readonly string Folder = Path.Combine(ManagedProcess.RepositoryRoot, "deploy-local", "rules");

    private static readonly string[] PackFiles = ["sre-reliability.yaml", "compliance-evidence.yaml", "ai-agent-safety.yaml"];

    private static RulePack Load(string file) => RulePackReader.Read(File.ReadAllText(Path.Combine(Folder, file)), file);

    public static TheoryData<string, string> Rules()
    {
        var data = new TheoryData<string, string>();
        foreach (var file in PackFiles)
        {
            foreach (var rule in Load(file).Rules)
            {
                data.Add(file, rule.Id);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Rules))]
    public void Rule_fires_on_its_violating_example_and_not_on_its_clean_one(string file, string id)
    {
        var rule = Load(file).Rules.Single(r => r.Id == id);
        Assert.Null(rule.Problem);
        Assert.Null(RuleLimits.CheckFields(rule.ToDraft()));
        Assert.True(RuleCompiler.TryCompile(rule.Expression, out var compiled, out var error), error?.ToString());
        Assert.NotNull(rule.Violating);
        Assert.NotNull(rule.Clean);
        Assert.All(rule.Violating.Traces(), trace => Assert.True(compiled!.Evaluate(trace).Violated, $"{id}: the violating example does not fire"));
        Assert.All(rule.Clean.Traces(), trace => Assert.False(compiled!.Evaluate(trace).Violated, $"{id}: the clean example fires"));
    }

    [Fact]
    public void The_packs_have_unique_ids_and_the_compliance_pack_covers_the_four_frameworks()
    {
        var all = PackFiles.SelectMany(file => Load(file).Rules).ToList();
        Assert.True(all.Count >= 18, $"{all.Count} rules");
        Assert.Equal(all.Count, all.Select(r => r.Id).Distinct().Count());
        Assert.All(all, rule => Assert.NotEmpty(rule.Description));
        var frameworks = Load("compliance-evidence.yaml").Rules.Select(r => r.ComplianceFramework).ToHashSet();
        Assert.Superset(new HashSet<string?> { "SOC2", "HIPAA", "PCI DSS", "GDPR" }, frameworks);
        Assert.All(Load("compliance-evidence.yaml").Rules, rule => Assert.NotNull(rule.ComplianceControl));
    }

    [Fact]
    public void Validate_offline_checks_every_shipped_pack_through_the_command()
    {
        var result = BetraceProcess.Run(null, ["rules", "validate", "--offline", .. PackFiles.Select(file => Path.Combine(Folder, file))]);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(22, result.Stdout.Split('\n').Count(line => line.EndsWith(": ok (violating example fires, clean example passes)", StringComparison.Ordinal)));
    }
}
