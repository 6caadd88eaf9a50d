using System.Diagnostics;
using System.Text.Json;
using YamlDotNet.RepresentationModel;

namespace BeTrace.Deploy.Tests;

/// <summary>The deploy-local files on their own, without a cluster: scripts, dashboards, provisioning, alert rules.</summary>
public sealed class DeployFilesTests
{
    private static readonly string[] Scripts = ["up.sh", "status.sh", "down.sh", "lib.sh", "apply-schema.sh"];
    private static readonly string[] DataSourceUids = ["betrace-prometheus", "betrace-tempo"];

    [Fact]
    public async Task Scripts_parse_and_are_shellcheck_clean_when_shellcheck_is_installed()
    {
        foreach (var script in Scripts)
        {
            var (code, text) = await RunAsync("bash", "-n", DeployScript.PathOf(script));
            Assert.True(code == 0, $"bash -n {script}: {text}");
            var head = (await File.ReadAllLinesAsync(DeployScript.PathOf(script))).Take(60).ToList();
            Assert.Contains(head, line => line.Trim() is "set -euo pipefail" or "# shellcheck shell=bash");
        }
        if (File.Exists("/usr/bin/shellcheck"))
        {
            var (code, text) = await RunAsync("shellcheck", ["-x", .. Scripts.Select(DeployScript.PathOf)]);
            Assert.True(code == 0, $"shellcheck:\n{text}");
        }
    }

    [Theory]
    [InlineData("up.sh")]
    [InlineData("status.sh")]
    [InlineData("down.sh")]
    public async Task Scripts_print_their_usage_and_refuse_unknown_arguments(string script)
    {
        var help = await DeployScript.RunAsync(script, ["--help"]);
        Assert.Equal(0, help.ExitCode);
        Assert.Contains("Usage:", help.Output, StringComparison.Ordinal);
        Assert.Contains("--run-dir", help.Output, StringComparison.Ordinal);

        var wrong = await DeployScript.RunAsync(script, ["--no-such-option"]);
        Assert.Equal(1, wrong.ExitCode);
        Assert.Contains($"{script}: error: unknown argument '--no-such-option'", wrong.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--silos", "0", "--silos must be a number from 1 to 50, not '0'")]
    [InlineData("--gateways", "x", "--gateways must be a number from 0 to 20, not 'x'")]
    [InlineData("--configuration", "Fast", "--configuration must be Release or Debug")]
    [InlineData("--export-endpoint", "localhost:4317", "--export-endpoint must be an http(s) URL")]
    public async Task Up_refuses_bad_values_before_starting_anything(string option, string value, string message)
    {
        var run = Path.Combine(Path.GetTempPath(), "betrace-deploy-bad-" + Guid.NewGuid().ToString("N")[..8]);
        var result = await DeployScript.RunAsync("up.sh", ["--run-dir", run, option, value]);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains(message, result.Output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(run), "nothing is created for a bad option");
    }

    [Fact]
    public async Task Status_and_down_of_a_missing_run_folder_say_so()
    {
        var run = Path.Combine(Path.GetTempPath(), "betrace-deploy-none-" + Guid.NewGuid().ToString("N")[..8]);
        var status = await DeployScript.RunAsync("status.sh", ["--run-dir", run]);
        Assert.Equal(1, status.ExitCode);
        Assert.Contains("no cluster in", status.Output, StringComparison.Ordinal);
        var down = await DeployScript.RunAsync("down.sh", ["--run-dir", run]);
        Assert.Equal(0, down.ExitCode);
        Assert.Contains("nothing to stop", down.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dashboards_use_the_provisioned_data_sources_and_link_violations_to_Tempo()
    {
        var files = Directory.GetFiles(Path.Combine(DeployScript.Folder, "grafana", "dashboards"), "*.json");
        Assert.Equal(["betrace-cluster.json", "betrace-ingest.json", "betrace-traces.json", "betrace-violations.json"],
            files.Select(Path.GetFileName).Order(StringComparer.Ordinal));
        var uids = new HashSet<string>(StringComparer.Ordinal);
        var links = 0;
        var traceQl = 0;
        foreach (var file in files)
        {
            using var document = JsonDocument.Parse(await File.ReadAllTextAsync(file));
            var root = document.RootElement;
            Assert.True(uids.Add(root.GetProperty("uid").GetString()!), $"duplicate dashboard uid in {file}");
            var ids = new HashSet<int>();
            foreach (var panel in root.GetProperty("panels").EnumerateArray())
            {
                Assert.True(ids.Add(panel.GetProperty("id").GetInt32()), $"{file}: duplicate panel id");
                if (panel.GetProperty("type").GetString() == "row")
                {
                    continue;
                }
                var title = panel.GetProperty("title").GetString();
                Assert.False(string.IsNullOrWhiteSpace(panel.GetProperty("description").GetString()), $"{file} / {title}: no description");
                Assert.Contains(panel.GetProperty("datasource").GetProperty("uid").GetString(), DataSourceUids);
                Assert.NotEqual(0, panel.GetProperty("targets").GetArrayLength());
                foreach (var target in panel.GetProperty("targets").EnumerateArray())
                {
                    var source = target.GetProperty("datasource").GetProperty("uid").GetString();
                    Assert.Contains(source, DataSourceUids);
                    if (source == "betrace-tempo")
                    {
                        traceQl++;
                        Assert.StartsWith("{ span.betrace.violation", target.GetProperty("query").GetString(), StringComparison.Ordinal);
                    }
                    else
                    {
                        Assert.DoesNotContain("trace_id", target.GetProperty("expr").GetString(), StringComparison.Ordinal);
                    }
                }
                if (panel.TryGetProperty("fieldConfig", out var config) && config.GetProperty("defaults").TryGetProperty("links", out var panelLinks))
                {
                    foreach (var link in panelLinks.EnumerateArray())
                    {
                        links++;
                        var url = Uri.UnescapeDataString(link.GetProperty("url").GetString()!);
                        Assert.StartsWith("/explore?", url, StringComparison.Ordinal);
                        Assert.Contains("\"datasource\":\"betrace-tempo\"", url, StringComparison.Ordinal);
                        Assert.Contains("span.betrace.violation.rule_id = \\\"${__data.fields.rule_id:percentencode}\\\"", url, StringComparison.Ordinal);
                    }
                }
            }
        }
        Assert.Equal(1, links);
        Assert.Equal(1, traceQl);

        var yaml = new YamlStream();
        yaml.Load(new StringReader(await File.ReadAllTextAsync(Path.Combine(DeployScript.Folder, "grafana", "provisioning", "datasources", "betrace.yml"))));
        var sources = (YamlSequenceNode)((YamlMappingNode)yaml.Documents[0].RootNode)["datasources"];
        Assert.Equal(DataSourceUids, sources.Cast<YamlMappingNode>().Select(s => ((YamlScalarNode)s["uid"]).Value!).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Alert_rules_and_the_example_configuration_pass_promtool()
    {
        var promtool = File.Exists("/usr/bin/promtool") ? "/usr/bin/promtool"
            : throw new InvalidOperationException("promtool is missing: apt-get install -y prometheus (.ci/run does this)");
        var folder = Path.Combine(DeployScript.Folder, "prometheus");
        var (code, text) = await RunAsync(promtool, "check", "rules", Path.Combine(folder, "alerts.yml"));
        Assert.True(code == 0, text);
        (code, text) = await RunAsync(promtool, "check", "config", Path.Combine(folder, "prometheus.example.yml"));
        Assert.True(code == 0, text);
        foreach (var name in new[] { "BeTraceCriticalViolation", "BeTraceHighViolation", "BeTraceIngestRejections", "BeTraceViolationExportFailing",
                     "BeTraceViolationsDropped", "BeTraceSiloDown" })
        {
            Assert.Contains($"alert: {name}", await File.ReadAllTextAsync(Path.Combine(folder, "alerts.yml")), StringComparison.Ordinal);
        }
    }

    private static async Task<(int Code, string Output)> RunAsync(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }
}
