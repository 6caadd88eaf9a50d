using System.Diagnostics;
using System.Text;
using BeTrace.Testing;

namespace BeTrace.Console.Tests;

/// <summary>Runs the built <c>betrace</c> as a separate process, the way a user runs it.</summary>
internal static class BetraceProcess
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr, TimeSpan Elapsed)
    {
        public override string ToString() => $"exit {ExitCode} after {Elapsed.TotalSeconds:0.0} s\nstdout:\n{Stdout}\nstderr:\n{Stderr}";
    }

    // Generous: a loaded two-core machine may take seconds to start a .NET process.
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    public static Result Run(string? stdin, params string[] args) => RunWith(null, stdin, args);

    public static Result RunWith(IDictionary<string, string>? environment, string? stdin, params string[] args)
    {
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(StartInfo(environment, args))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardInput.Write(stdin ?? string.Empty);
        process.StandardInput.Close();
        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"betrace {string.Join(' ', args)} did not finish within {Timeout.TotalSeconds} s");
        }
        process.WaitForExit();
        return new Result(process.ExitCode, stdout.Result, stderr.Result, watch.Elapsed);
    }

    /// <summary>Starts a long-running command (such as <c>violations tail</c>) whose output is read while it runs.</summary>
    public static Running Start(params string[] args) => new(Process.Start(StartInfo(null, args))!);

    private static ProcessStartInfo StartInfo(IDictionary<string, string>? environment, string[] args)
    {
        // The console's own build output: next to the tests, ASP.NET Core (referenced by the test support) would
        // have replaced some of its package assemblies with shared-framework ones that betrace does not load.
        var betrace = ManagedProcess.BuildOutput("console", "betrace.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(betrace);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        // The developer's own settings must not leak into the tests.
        foreach (var name in new[] { "BETRACE_CLUSTER", "BETRACE_CONNECTION", "BETRACE_CLUSTER_ID", "BETRACE_TENANT", "BETRACE_SIGNING_KEY" })
        {
            start.Environment.Remove(name);
        }
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }
        return start;
    }

    /// <summary>A betrace process that is still running; its output is collected as it comes.</summary>
    public sealed class Running : IDisposable
    {
        private readonly Process _process;
        private readonly StringBuilder _stdout = new();
        private readonly StringBuilder _stderr = new();

        public Running(Process process)
        {
            _process = process;
            process.OutputDataReceived += (_, e) => Append(_stdout, e.Data);
            process.ErrorDataReceived += (_, e) => Append(_stderr, e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            process.StandardInput.Close();
        }

        public string Stdout => Read(_stdout);

        public string Stderr => Read(_stderr);

        /// <summary>Waits until the output satisfies <paramref name="condition"/>.</summary>
        public async Task WaitForAsync(Func<Running, bool> condition, TimeSpan timeout, string what)
        {
            var watch = Stopwatch.StartNew();
            while (!condition(this))
            {
                if (_process.HasExited || watch.Elapsed > timeout)
                {
                    Assert.Fail($"betrace: {what} did not happen within {timeout.TotalSeconds} s (exited: {_process.HasExited})\nstdout:\n{Stdout}\nstderr:\n{Stderr}");
                }
                await Task.Delay(100);
            }
        }

        /// <summary>Ctrl+C, as a user stops the command; returns the exit code.</summary>
        public async Task<int> InterruptAsync(TimeSpan timeout)
        {
            using (var kill = Process.Start("kill", ["-INT", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }
            using var cancel = new CancellationTokenSource(timeout);
            await _process.WaitForExitAsync(cancel.Token);
            _process.WaitForExit();
            return _process.ExitCode;
        }

        public void Dispose()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
            _process.Dispose();
        }

        private static void Append(StringBuilder builder, string? line)
        {
            if (line is null)
            {
                return;
            }
            lock (builder)
            {
                builder.AppendLine(line);
            }
        }

        private static string Read(StringBuilder builder)
        {
            lock (builder)
            {
                return builder.ToString().Replace("\r\n", "\n", StringComparison.Ordinal);
            }
        }
    }
}
