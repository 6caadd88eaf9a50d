using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace BeTrace.Bench.Load;

/// <summary>What the report says about the machine: CPUs, model, load average, and CPU time of processes.</summary>
internal static class MachineInfo
{
    public static string LoadAverage()
    {
        try
        {
            var fields = File.ReadAllText("/proc/loadavg").Split(' ');
            return $"{fields[0]} {fields[1]} {fields[2]}";
        }
        catch (IOException)
        {
            return "n/a";
        }
    }

    public static string Describe()
    {
        var model = "n/a";
        try
        {
            model = File.ReadLines("/proc/cpuinfo")
                .FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? model;
        }
        catch (IOException)
        {
        }
        return $"{Environment.ProcessorCount} CPUs ({model}), {RuntimeInformation.OSDescription}, .NET {Environment.Version}, "
            + $"generator GC {(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")}";
    }

    /// <summary>This process's CPU time.</summary>
    public static TimeSpan OwnCpu()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime;
    }

    /// <summary>User + system CPU time of <paramref name="pid"/> from /proc/PID/stat; null when unreadable.</summary>
    public static TimeSpan? ProcessCpu(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // Fields after the command (in parentheses, which may contain spaces): state is field 3, utime 14, stime 15.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            return TimeSpan.FromSeconds(ticks / 100.0); // USER_HZ is 100 on Linux
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Busy and total jiffies of the whole machine from /proc/stat.</summary>
    public static (long Busy, long Total)? MachineCpu()
    {
        try
        {
            var line = File.ReadLines("/proc/stat").First();
            var values = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(v => long.Parse(v, CultureInfo.InvariantCulture)).ToArray();
            var idle = values[3] + (values.Length > 4 ? values[4] : 0);
            var total = values.Take(8).Sum();
            return (total - idle, total);
        }
        catch (IOException)
        {
            return null;
        }
    }
}
