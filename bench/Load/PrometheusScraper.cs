using System.Globalization;

namespace BeTrace.Bench.Load;

/// <summary>One scrape of a Prometheus text endpoint: every sample, and per metric name the sum over its label sets.</summary>
internal sealed class MetricsSnapshot
{
    private readonly Dictionary<string, double> _sums;

    public MetricsSnapshot(IReadOnlyList<(string Name, string Labels, double Value)> samples, long timestamp)
    {
        Samples = samples;
        Timestamp = timestamp;
        _sums = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (name, _, value) in samples)
        {
            _sums[name] = _sums.GetValueOrDefault(name) + value;
        }
    }

    public IReadOnlyList<(string Name, string Labels, double Value)> Samples { get; }

    /// <summary><see cref="System.Diagnostics.Stopwatch"/> timestamp of the scrape.</summary>
    public long Timestamp { get; }

    public bool Has(string name) => _sums.ContainsKey(name);

    /// <summary>The sum over every label set of <paramref name="name"/>; 0 when the metric is absent.</summary>
    public double Sum(string name) => _sums.GetValueOrDefault(name);

    /// <summary>The sum over the label sets of <paramref name="name"/> whose labels contain <paramref name="labelFragment"/>.</summary>
    public double Sum(string name, string labelFragment) =>
        Samples.Where(s => s.Name == name && s.Labels.Contains(labelFragment, StringComparison.Ordinal)).Sum(s => s.Value);
}

/// <summary>
/// Reads the silo's <c>/metrics</c> (Prometheus text exposition format 0.0.4): lines <c>name{labels} value [timestamp]</c>,
/// comments and blank lines skipped, label values may contain escaped quotes and braces.
/// </summary>
internal sealed class PrometheusScraper(Uri url) : IDisposable
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(5) };

    public Uri Url { get; } = url;

    public async Task<MetricsSnapshot?> TryScrapeAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            var text = await _http.GetStringAsync(Url, cancellationToken).ConfigureAwait(false);
            return Parse(text, System.Diagnostics.Stopwatch.GetTimestamp());
        }
        catch (HttpRequestException)
        {
            return null;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    public static MetricsSnapshot Parse(string text, long timestamp)
    {
        ArgumentNullException.ThrowIfNull(text);
        var samples = new List<(string, string, double)>();
        foreach (var rawLine in text.Split('\n'))
        {
            var line = rawLine.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }
            var nameEnd = line.IndexOfAny(['{', ' ', '\t']);
            if (nameEnd <= 0)
            {
                continue;
            }
            var name = line[..nameEnd];
            var labels = string.Empty;
            var rest = nameEnd;
            if (line[nameEnd] == '{')
            {
                var close = LabelsEnd(line, nameEnd + 1);
                if (close < 0)
                {
                    continue;
                }
                labels = line[(nameEnd + 1)..close];
                rest = close + 1;
            }
            var fields = line[rest..].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 0)
            {
                continue;
            }
            var value = fields[0] switch
            {
                "+Inf" => double.PositiveInfinity,
                "-Inf" => double.NegativeInfinity,
                "NaN" => double.NaN,
                var number => double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) ? parsed : double.NaN,
            };
            if (!double.IsNaN(value))
            {
                samples.Add((name, labels, value));
            }
        }
        return new MetricsSnapshot(samples, timestamp);
    }

    public void Dispose() => _http.Dispose();

    // The closing brace of a label set, skipping quoted values with escapes.
    private static int LabelsEnd(string line, int from)
    {
        var quoted = false;
        for (var i = from; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '\\')
                {
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == '}')
            {
                return i;
            }
        }
        return -1;
    }
}
