using System.Diagnostics;
using System.Text;
using BeTrace.Testing;

namespace BeTrace.Deploy.Tests;

/// <summary>The outcome of one deploy-local script run.</summary>
public sealed record ScriptResult(string Script, int ExitCode, string Output, TimeSpan Elapsed)
{
    public ScriptResult EnsureSuccess()
    {
        Assert.True(ExitCode == 0, $"{Script} failed with exit code {ExitCode} after {Elapsed.TotalSeconds:F1}s:\n{Output}");
        return this;
    }
}

/// <summary>Runs deploy-local/*.sh with bash, as an operator does, and captures everything they print.</summary>
public static class DeployScript
{
    public static string Folder => Path.Combine(ManagedProcess.RepositoryRoot, "deploy-local");

    public static string PathOf(string script) => Path.Combine(Folder, script);

    public static async Task<ScriptResult> RunAsync(string script, IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string>? environment = null, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = ManagedProcess.RepositoryRoot,
        };
        start.ArgumentList.Add(PathOf(script));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        var output = new StringBuilder();
        var watch = Stopwatch.StartNew();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{script} did not finish within {timeout}:\n{Text(output)}");
        }
        // The output handlers may still be draining the pipes.
        process.WaitForExit();
        return new ScriptResult(script, process.ExitCode, Text(output), watch.Elapsed);
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (output)
        {
            output.AppendLine(line);
        }
    }

    private static string Text(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }
}
