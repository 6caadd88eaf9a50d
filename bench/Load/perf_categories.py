#!/usr/bin/env python3
"""Where a silo's CPU goes, from `perf script -F comm,tid,ip,sym,dso` output of a perf recording with call graphs.

Each sample is put in one category: by thread name (GC, JIT, logger, exporter), else by the leaf-most frame of its
stack that belongs to a named component (see SPECIFIC), else a generic one. Also prints the inclusive share of a few methods (samples with the method anywhere
on the stack) and the top leaf frames of each category.

usage: perf script -i silo.perf -F comm,tid,ip,sym,dso > silo.script; python3 perf_categories.py silo.script
(JIT frames need DOTNET_PerfMapEnabled=1 and DOTNET_EnableWriteXorExecute=0 in the profiled process and its
/tmp/perf-PID.map present when perf script runs.)
"""
import collections
import re
import sys

# Thread-name categories first; then the leaf-most frame of a sample that matches a specific category decides it
# (so a library's own work is charged to it, and allocation helpers and runtime stubs to their caller); samples whose
# stack matches no specific category fall back to a generic one.
THREADS = [
    ("GC (server GC + background GC threads)", lambda comm: "GC" in comm or "BGC" in comm),
    ("JIT (tiered compilation thread)", lambda comm: "Tiered Com" in comm),
    ("console logging (logger thread)", lambda comm: "Console logger" in comm),
    ("violation export (exporter thread)", lambda comm: "BeTrace violati" in comm),
]

# (category, substrings of a frame's '[Assembly] Type::Method', or of a native frame's library path)
SPECIFIC = [
    ("grain storage: read on activation / write (ADO.NET, SQLite)", ["Orleans.Storage", "AdoNet", "StateStorageBridge", "libe_sqlite3", "Microsoft.Data.Sqlite", "SQLitePCL", "System.Data"]),
    ("TraceGrain evaluate: TraceModelBuilder (wire spans -> DSL Span/AttributeSet/AttrValue)", ["TraceModelBuilder", "BeTrace.Dsl.Model.", "BeTrace.Dsl.Values."]),
    ("TraceGrain evaluate: rules (CompiledRule.Evaluate)", ["BeTrace.Dsl.Evaluation.", "BeTrace.Dsl."]),
    ("TraceGrain evaluate: violations (ViolationFactory, signature, sink, log grain)", ["BeTrace.Grains.Violations.", "ViolationSignature"]),
    ("TraceGrain evaluate: other (completeness, metrics record)", ["TraceGrain+<Evaluate>", "TraceGrain::Evaluate", "TraceCompleteness"]),
    ("TraceGrain append (dedup, caps, EstimatedBytes, metrics)", ["TraceGrain+<Append>", "TraceGrain::Append", "WireSpan::get_EstimatedBytes", "WireSpan+<>c", "WireValue::get_EstimatedBytes", "WireValue+<>c"]),
    ("TraceGrain timers, activate/deactivate hooks", ["TraceGrain"]),
    ("grain activation/deactivation/directory (Orleans catalog)", ["Orleans.Runtime.Catalog", "ActivationData::Activate", "ActivationData+<Activate", "ActivationData::Deactivate", "ActivationData+<FinishDeactivating", "ActivationData::StartDeactivating", "GrainDirectory", "ActivationWorkingSet", "ActivationCollector", "GrainLocator", "Placement"]),
    ("gateway: protobuf parse (Google.Protobuf)", ["[Google.Protobuf]"]),
    ("gateway: OTLP -> wire spans (OtlpSpanConverter, AnyValueConverter)", ["BeTrace.Gateway.Conversion."]),
    ("gateway: ingest, grain calls, export answer", ["[BeTrace.Gateway]"]),
    ("Orleans runtime: messaging, scheduling, invocation, serializer", ["[Orleans.", "Orleans.Runtime.", "Orleans.Serialization."]),
    ("ASP.NET Core / Kestrel / HTTP/2 / gRPC", ["[Microsoft.AspNetCore", "[Grpc.", "System.IO.Pipelines", "System.Net.Sockets"]),
    ("metrics (OpenTelemetry SDK, /metrics)", ["[OpenTelemetry", "System.Diagnostics.Metrics"]),
    ("logging", ["Microsoft.Extensions.Logging"]),
]
GENERIC = [
    ("thread pool, timers, async machinery, collections (no component on the stack)", ["System.", "Microsoft."]),
]

INCLUSIVE = [
    "TraceGrain::Append", "TraceGrain+<Append>", "TraceGrain::Evaluate", "TraceGrain+<Evaluate>", "TraceModelBuilder::Build",
    "CompiledRule::Evaluate", "TraceView::.ctor", "AttributeSet::.ctor", "OtlpSpanConverter::Convert",
    "MessageParser", "WireSpan::get_EstimatedBytes", "TraceCompleteness", "ViolationFactory::Create",
    "Orleans.Runtime.Catalog", "OnActivateAsync", "StateStorageBridge", "libe_sqlite3", "TimerQueue::FireNextTimers",
    "System.Linq.Enumerable", "BeTraceMetrics", "System.Diagnostics.Metrics", "Orleans.Serialization",
]


def samples(path):
    comm, frames = None, []
    with open(path, errors="replace") as f:
        for line in f:
            if not line.strip():
                if comm is not None:
                    yield comm, frames
                comm, frames = None, []
                continue
            if not line.startswith((" ", "\t")):
                comm = re.sub(r"\s+\d+\s*$", "", line.rstrip("\n")).strip()
                frames = []
            else:
                parts = line.strip().split(" ", 1)
                frames.append(parts[1] if len(parts) > 1 else parts[0])
        if comm is not None:
            yield comm, frames


def method_id(frame):
    """'[Assembly] Namespace.Type::Method' of a JIT frame (no return type, no arguments); the dso path for native ones."""
    head = frame.split("(", 1)[0] if "::" in frame else frame
    tokens = head.split(" ")
    for i, token in enumerate(tokens):
        if "::" in token:
            return " ".join(tokens[max(0, i - 1):i + 1])
    return frame


def short(frame):
    frame = re.sub(r"\s*\(/[^)]*\)\s*$", "", frame)
    frame = re.sub(r"\[(OptimizedTier1|OptimizedTier1OSR|QuickJitted|InstrumentedTier|InstrumentedTierOptimized|Optimized|PreJIT|MinOptJitted)\]", "", frame)
    return frame[:160]


def main(path):
    total = 0
    by_category = collections.Counter()
    leaves = collections.defaultdict(collections.Counter)
    inclusive = collections.Counter()
    threads = collections.Counter()
    for comm, frames in samples(path):
        total += 1
        threads[comm] += 1
        stack = " | ".join(method_id(f) for f in frames)
        category = next((name for name, test in THREADS if test(comm)), None)
        ids = [method_id(f) for f in frames]
        for table in (SPECIFIC, GENERIC):
            if category is not None:
                break
            for frame in ids:
                category = next((name for name, needles in table if any(n in frame for n in needles)), None)
                if category is not None:
                    break
        category = category or "other (native runtime only)"
        by_category[category] += 1
        leaves[category][short(frames[0]) if frames else "?"] += 1
        for needle in INCLUSIVE:
            if needle in stack:
                inclusive[needle] += 1
    print(f"{total} samples")
    print("\nthreads:")
    for comm, n in threads.most_common(10):
        print(f"  {100.0 * n / total:5.1f}%  {comm}")
    print("\ncategories (each sample counted once):")
    for name, n in by_category.most_common():
        print(f"  {100.0 * n / total:5.1f}%  {name}")
    print("\ninclusive (samples with the frame anywhere on the stack):")
    for needle, n in inclusive.most_common():
        print(f"  {100.0 * n / total:5.1f}%  {needle}")
    print("\ntop leaf frames per category:")
    for name, _ in by_category.most_common(8):
        print(f"  {name}:")
        for leaf, n in leaves[name].most_common(6):
            print(f"    {100.0 * n / total:5.1f}%  {leaf}")


if __name__ == "__main__":
    main(sys.argv[1])
