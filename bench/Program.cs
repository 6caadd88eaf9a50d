using BenchmarkDotNet.Running;
using BeTrace.Bench;
using BeTrace.Bench.Load;

// "load [options]": the end-to-end load generator and its baselines (bench/Load, docs/benchmarks.md "End-to-end load").
if (args is ["load", ..])
{
    return await LoadCommand.RunAsync(args[1..]);
}

// "--check": compile the typical rules, evaluate them once against the typical trace and print the verdicts
// (a quick sanity check without benchmarking). Anything else goes to BenchmarkDotNet.
if (args is ["--check"])
{
    var rules = TypicalRules.CompileAll();
    var trace = TypicalTrace.Build();
    for (var i = 0; i < rules.Length; i++)
    {
        Console.WriteLine($"{i + 1,3} {(rules[i].Evaluate(trace).Violated ? "violated" : "ok      ")} {rules[i].Text}");
    }
    var violated = TypicalRules.CheckMix(rules, trace);
    var large = CompileBenchmarks.BuildLargeRule(BeTrace.Dsl.Syntax.RuleParser.MaxRuleBytes);
    Console.WriteLine($"{rules.Length} rules load, {violated} violated, {rules.Length - violated} not; "
        + $"{trace.Count} spans; large rule {System.Text.Encoding.UTF8.GetByteCount(large)} bytes");
    return 0;
}

BenchmarkSwitcher.FromAssembly(typeof(EvaluationBenchmarks).Assembly).Run(args);
return 0;
