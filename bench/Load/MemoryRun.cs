using System.Diagnostics;

namespace BeTrace.Bench.Load;

/// <summary>
/// Managed memory per live trace. The silo must hold traces for the whole phase (a long idle timeout: a started silo
/// gets <c>--memory-idle</c>). Sends a small warm-up set of traces (so one-time costs such as connections, pools and
/// JIT are in the baseline), reads the GC heap after a full GC, sends <c>--memory-traces</c> more, waits until
/// <c>betrace_traces_active</c> counts them, reads the heap again after a full GC, and reports
/// (heap − baseline heap) / (active − baseline active). A full GC is forced with dotnet-gcdump when the silo's pid is
/// known and the tool is installed; otherwise the readings depend on when the silo last collected.
/// </summary>
internal sealed class MemoryRun(LoadOptions options, RequestPool pool, PrometheusScraper scraper, int? siloPid, TextWriter report)
{
    private readonly SendCounters _counters = new();

    public async Task<bool> RunAsync()
    {
        var dumps = Directory.CreateTempSubdirectory("betrace-gcdump-").FullName;
        try
        {
            return await MeasureAsync(dumps).ConfigureAwait(false);
        }
        finally
        {
            // The dumps are hundreds of megabytes; their figures are in the report.
            Directory.Delete(dumps, recursive: true);
        }
    }

    private async Task<bool> MeasureAsync(string dumps)
    {
        using var sender = new OtlpSender(options.Protocol, options.OtlpGrpc, options.OtlpHttp, options.Tenant, options.Concurrency);
        var gcdump = GcDumpTool.Find(options.GcDump);
        report.WriteLine();
        report.WriteLine($"== memory per live trace ({options.MemoryTraces:N0} traces of {pool.SpansPerTrace} spans, "
            + $"{options.AttributesPerSpan} attributes per span; load average {MachineInfo.LoadAverage()})");
        if (gcdump is null || siloPid is null)
        {
            report.WriteLine("warning: no forced GC (dotnet-gcdump not found or silo pid unknown): heap readings are as of the silo's last GC");
        }

        var warmup = Math.Max(pool.TracesPerRequest, Math.Min(2000, options.MemoryTraces / 10));
        await SendTracesAsync(sender, warmup).ConfigureAwait(false);
        if (!await WaitForActiveAsync(warmup).ConfigureAwait(false))
        {
            report.WriteLine("memory: the silo does not hold the warm-up traces (is its idle timeout long enough?)");
            return false;
        }
        var baseline = await SettledReadingAsync(gcdump, dumps, "baseline").ConfigureAwait(false);
        if (baseline is null)
        {
            return false;
        }

        var watch = Stopwatch.StartNew();
        await SendTracesAsync(sender, options.MemoryTraces).ConfigureAwait(false);
        report.WriteLine($"sent {options.MemoryTraces:N0} traces in {watch.Elapsed.TotalSeconds:F1} s "
            + $"({_counters.RejectedRequests:N0} requests rejected, {_counters.SpansRejected:N0} spans rejected)");
        var expected = (long)baseline.Active + options.MemoryTraces - _counters.RejectedRequests * pool.TracesPerRequest;
        if (!await WaitForActiveAsync(expected).ConfigureAwait(false))
        {
            report.WriteLine($"memory: betrace_traces_active did not reach {expected:N0}");
        }
        var loaded = await SettledReadingAsync(gcdump, dumps, "loaded").ConfigureAwait(false);
        if (loaded is null)
        {
            return false;
        }

        var traces = loaded.Active - baseline.Active;
        report.WriteLine($"live traces added (betrace_traces_active): {traces:N0}");
        if (traces <= 0)
        {
            return false;
        }
        report.WriteLine($"managed memory per live trace (GC heap after full GC, incl. fragmentation): {(loaded.Heap - baseline.Heap) / traces:N0} B "
            + $"= {(loaded.Heap - baseline.Heap) / traces / 1024:F2} KiB");
        report.WriteLine($"  excluding fragmentation: {(loaded.Heap - loaded.Fragmentation - (baseline.Heap - baseline.Fragmentation)) / traces:N0} B; "
            + $"working set: {(loaded.WorkingSet - baseline.WorkingSet) / traces:N0} B per trace; "
            + $"per span: {(loaded.Heap - baseline.Heap) / traces / pool.SpansPerTrace:N0} B");
        report.WriteLine($"target <= 16 KiB per live 20-span trace: {((loaded.Heap - baseline.Heap) / traces <= 16 * 1024 ? "met" : "NOT met")}"
            + (pool.SpansPerTrace != 20 ? $" (this run used {pool.SpansPerTrace}-span traces)" : ""));

        if (gcdump is not null && baseline.Dump is not null && loaded.Dump is not null
            && await gcdump.ReportAsync(baseline.Dump).ConfigureAwait(false) is { } before
            && await gcdump.ReportAsync(loaded.Dump).ConfigureAwait(false) is { } after
            && before.TotalBytes > 0 && after.TotalBytes > 0)
        {
            // A dump of more than ~10 million objects is sampled: scale its counts to the live heap (GC heap less
            // fragmentation) measured at the same moment.
            var scaleBefore = (baseline.Heap - baseline.Fragmentation) / before.TotalBytes;
            var scaleAfter = (loaded.Heap - loaded.Fragmentation) / after.TotalBytes;
            report.WriteLine($"objects per live trace by type (dotnet-gcdump report of the last dump: {after.TotalObjects:N0} objects, "
                + $"{after.TotalBytes:N0} B in the dump, scaled x{scaleAfter:F2} to the live heap; baseline dump scaled x{scaleBefore:F2}); "
                + "bytes = count x the type's size, a lower bound for strings and arrays (marked *):");
            var rows = after.Types
                .Select(kv =>
                {
                    var countBefore = before.Types.GetValueOrDefault(kv.Key).Count * scaleBefore;
                    var perTrace = (kv.Value.Count * scaleAfter - countBefore) / traces;
                    var variable = kv.Key == "System.String" || kv.Key.EndsWith("[]", StringComparison.Ordinal);
                    return (Type: kv.Key, PerTrace: perTrace, Bytes: perTrace * kv.Value.Size, Variable: variable, kv.Value.Size);
                })
                .Where(r => r.PerTrace >= 0.5)
                .OrderByDescending(r => r.Bytes)
                .Take(25)
                .ToList();
            foreach (var row in rows)
            {
                report.WriteLine($"  {row.PerTrace,8:F1} objects  {row.Bytes,8:N0} B{(row.Variable ? "*" : " ")}  ({row.Size} B each)  {row.Type}");
            }
            report.WriteLine($"  objects per live trace, all types: {(after.TotalObjects * scaleAfter - before.TotalObjects * scaleBefore) / traces:N0}");
        }
        return true;
    }

    private sealed record Reading(double Heap, double Fragmentation, double WorkingSet, double Active, string? Dump);

    /// <summary>Three readings (each after a forced full GC when possible); returns the last.</summary>
    private async Task<Reading?> SettledReadingAsync(GcDumpTool? gcdump, string dumps, string label)
    {
        Reading? last = null;
        for (var i = 0; i < 3; i++)
        {
            string? dump = null;
            if (gcdump is not null && siloPid is { } pid)
            {
                var file = Path.Combine(dumps, $"{label}-{i}.gcdump");
                if (await gcdump.CollectAsync(pid, file).ConfigureAwait(false))
                {
                    dump = file;
                }
            }
            else
            {
                await Task.Delay(2000).ConfigureAwait(false);
            }
            await Task.Delay(1500).ConfigureAwait(false); // the runtime gauges are read at the next scrape
            var metrics = await scraper.TryScrapeAsync().ConfigureAwait(false);
            if (metrics is null)
            {
                report.WriteLine($"memory: {scraper.Url} does not answer");
                return null;
            }
            last = new Reading(metrics.Sum(SiloMetrics.HeapSize), metrics.Sum(SiloMetrics.HeapFragmentation),
                metrics.Sum(SiloMetrics.WorkingSet), metrics.Sum(SiloMetrics.TracesActive), dump);
            report.WriteLine($"  {label} reading {i + 1}: GC heap {last.Heap / 1048576:F1} MiB (fragmentation {last.Fragmentation / 1048576:F1} MiB), "
                + $"working set {last.WorkingSet / 1048576:F0} MiB, {SiloMetrics.TracesActive} {last.Active:N0}, "
                + $"gen2 collections {metrics.Sum(SiloMetrics.GcCollections, "gen2"):N0}");
        }
        return last;
    }

    private async Task<bool> WaitForActiveAsync(long expected)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(120))
        {
            var metrics = await scraper.TryScrapeAsync().ConfigureAwait(false);
            if (metrics is not null && metrics.Sum(SiloMetrics.TracesActive) >= expected)
            {
                return true;
            }
            await Task.Delay(500).ConfigureAwait(false);
        }
        return false;
    }

    /// <summary>Sends at least <paramref name="traces"/> new traces (whole pooled requests), <c>--concurrency</c> at a time.</summary>
    private async Task SendTracesAsync(OtlpSender sender, int traces)
    {
        var requests = (traces + pool.TracesPerRequest - 1) / pool.TracesPerRequest;
        var next = -1;
        var workers = Enumerable.Range(0, options.Concurrency).Select(_ => Task.Run(async () =>
        {
            var buffer = new byte[pool.MaxBytes];
            var ids = new UInt128[pool.Requests.Max(r => r.Slots.Length)];
            int n;
            while ((n = Interlocked.Increment(ref next)) < requests)
            {
                var index = n % pool.Requests.Count;
                var length = pool.Materialize(index, buffer, ids);
                var result = await sender.SendAsync(new ArraySegment<byte>(buffer, 0, length), CancellationToken.None).ConfigureAwait(false);
                _counters.Record(pool.Requests[index].SpanCount, pool.Requests[index].Slots.Length, result);
            }
        })).ToArray();
        await Task.WhenAll(workers).ConfigureAwait(false);
    }
}
