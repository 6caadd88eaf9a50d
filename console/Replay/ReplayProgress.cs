using System.Diagnostics;
using System.Globalization;

namespace BeTrace.Console.Replay;

/// <summary>
/// Progress of a long replay on stderr (stdout stays the report): a line every <c>everyLines</c> lines, and at least
/// every five seconds in between so a slow input still shows life. <c>everyLines</c> 0 turns both off.
/// </summary>
public sealed class ReplayProgress(TextWriter error, long everyLines)
{
    private static readonly TimeSpan MaxQuiet = TimeSpan.FromSeconds(5);
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private TimeSpan _lastReport;

    public TimeSpan Elapsed => _clock.Elapsed;

    public void Tick(long lines, TraceReplayer replayer)
    {
        if (everyLines <= 0)
        {
            return;
        }
        if (lines % everyLines == 0 || _clock.Elapsed - _lastReport >= MaxQuiet)
        {
            _lastReport = _clock.Elapsed;
            error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"replay: {lines} lines read, {replayer.Traces} traces evaluated ({replayer.Open} open), {replayer.Violations} violations, {_clock.Elapsed.TotalSeconds:0.0} s"));
        }
    }
}
