using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace BeTrace.Bench.Load;

/// <summary>
/// dotnet-gcdump (a .NET global tool: <c>dotnet tool install -g dotnet-gcdump</c>). <c>collect</c> makes the target
/// run a full, blocking, compacting GC and walk its heap, so the GC heap figures on /metrics read right after it
/// describe the live objects; <c>report</c> lists the live bytes per type.
/// </summary>
/// <summary>What <c>dotnet-gcdump report</c> says about one dump.</summary>
internal sealed record GcDumpReport(long TotalBytes, long TotalObjects, Dictionary<string, (long Size, long Count)> Types);

internal sealed partial class GcDumpTool
{
    private GcDumpTool(string path) => Path = path;

    public string Path { get; }

    public static GcDumpTool? Find(string? configured)
    {
        if (configured is not null)
        {
            return File.Exists(configured) ? new GcDumpTool(configured) : null;
        }
        var candidates = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Append(System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".dotnet", "tools"))
            .Select(dir => System.IO.Path.Combine(dir, "dotnet-gcdump"));
        return candidates.Where(File.Exists).Select(path => new GcDumpTool(path)).FirstOrDefault();
    }

    /// <summary>Collects a dump of <paramref name="pid"/> into <paramref name="file"/> (forcing a full GC there).</summary>
    public async Task<bool> CollectAsync(int pid, string file)
    {
        var (code, output) = await RunAsync(["collect", "-p", pid.ToString(CultureInfo.InvariantCulture), "-o", file], TimeSpan.FromMinutes(3)).ConfigureAwait(false);
        if (code != 0 || !File.Exists(file))
        {
            await Console.Error.WriteLineAsync($"dotnet-gcdump collect failed ({code}): {output}").ConfigureAwait(false);
            return false;
        }
        return true;
    }

    /// <summary>
    /// A dump's totals and, per type, the type's declared size and the instance count (<c>dotnet-gcdump report</c>:
    /// its "Object Bytes" column is the type's size, not a total; for strings and arrays it is not the instances' size).
    /// A dump of more than about 10 million objects is sampled, so counts are scaled by the caller.
    /// </summary>
    public async Task<GcDumpReport?> ReportAsync(string file)
    {
        var (code, output) = await RunAsync(["report", file], TimeSpan.FromMinutes(2)).ConfigureAwait(false);
        if (code != 0)
        {
            await Console.Error.WriteLineAsync($"dotnet-gcdump report failed ({code}): {output}").ConfigureAwait(false);
            return null;
        }
        long totalBytes = 0;
        long totalObjects = 0;
        var types = new Dictionary<string, (long Size, long Count)>(StringComparer.Ordinal);
        foreach (var line in output.Split('\n'))
        {
            var summary = SummaryRow().Match(line);
            if (summary.Success)
            {
                var value = long.Parse(summary.Groups[1].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
                if (summary.Groups[2].Value == "GC Heap bytes")
                {
                    totalBytes = value;
                }
                else
                {
                    totalObjects = value;
                }
                continue;
            }
            var row = ReportRow().Match(line);
            if (!row.Success)
            {
                continue;
            }
            var size = long.Parse(row.Groups[1].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
            var count = long.Parse(row.Groups[2].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
            var type = row.Groups[3].Value.Trim();
            var (s, c) = types.GetValueOrDefault(type);
            types[type] = (Math.Max(s, size), c + count);
        }
        return new GcDumpReport(totalBytes, totalObjects, types);
    }

    private async Task<(int Code, string Output)> RunAsync(IEnumerable<string> arguments, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(Path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {Path}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            return (-1, "timed out");
        }
        return (process.ExitCode, await stdout.ConfigureAwait(false) + await stderr.ConfigureAwait(false));
    }

    // "   453,457,868  GC Heap bytes" / "    10,000,000  GC Heap objects"
    [GeneratedRegex(@"^\s*([\d,]+)\s\s(GC Heap bytes|GC Heap objects)\s*$")]
    private static partial Regex SummaryRow();

    // "        56  2,198,630  BeTrace.Grains.Interfaces.Spans.WireValue  [BeTrace.Grains.Interfaces.dll]"
    [GeneratedRegex(@"^\s*([\d,]+)\s\s+([\d,]+)\s\s(.*?)(\s\s\[[^\]]*\])?\s*$")]
    private static partial Regex ReportRow();
}
