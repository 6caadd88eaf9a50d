using BeTrace.Grains.Interfaces.Rules;

namespace BeTrace.Grains.Rules;

/// <summary>What a rule registry persists: its rules and the registry version (one more per change).</summary>
[GenerateSerializer, Alias("betrace.RegistryState")]
public sealed class RegistryState
{
    [Id(0)]
    public Dictionary<string, RuleDefinition> Rules { get; set; } = new(StringComparer.Ordinal);

    [Id(1)]
    public long Version { get; set; }
}
