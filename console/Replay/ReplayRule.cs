using BeTrace.Dsl.Evaluation;
using BeTrace.Grains.Interfaces.Rules;

namespace BeTrace.Console.Replay;

/// <summary>A rule compiled for replay, with the identity its violations are reported under.</summary>
public sealed record ReplayRule(string Id, string Name, Severity Severity, CompiledRule Compiled);
