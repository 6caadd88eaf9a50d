using System.Diagnostics;

namespace BeTrace.Console.Tests;

/// <summary>Runs the built <c>betrace</c> as a separate process, the way a user runs it.</summary>
internal static class BetraceProcess
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    public static Result Run(string? stdin, params string[] args)
    {
        var betrace = Path.Combine(AppContext.BaseDirectory, "betrace.dll");
        Assert.True(File.Exists(betrace), $"betrace.dll not found next to the tests ({betrace})");
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
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardInput.Write(stdin ?? string.Empty);
        process.StandardInput.Close();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"betrace {string.Join(' ', args)} did not finish within 60 s");
        }
        return new Result(process.ExitCode, stdout.Result, stderr.Result);
    }
}
