using BeTrace.Dsl.Evaluation;
using BeTrace.Grains.Interfaces.Rules;

namespace BeTrace.Grains.Catalog;

/// <summary>A rule as a silo holds it: its definition and its compiled evaluator.</summary>
public sealed record CatalogRule(RuleDefinition Definition, CompiledRule Compiled);
