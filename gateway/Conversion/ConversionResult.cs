using System.Text;

namespace BeTrace.Gateway.Conversion;

/// <summary>An export request converted: trace groups of the valid spans, and what was rejected and why.</summary>
public sealed class ConversionResult
{
    public ConversionResult(
        IReadOnlyList<TraceGroup> groups,
        int totalSpans,
        int acceptedSpans,
        IReadOnlyDictionary<SpanRejectReason, int> rejectedByReason,
        IReadOnlyList<string> reasons)
    {
        Groups = groups;
        TotalSpans = totalSpans;
        AcceptedSpans = acceptedSpans;
        RejectedByReason = rejectedByReason;
        Reasons = reasons;
    }

    /// <summary>A request refused as a whole before looking at its spans (e.g. too many spans).</summary>
    public static ConversionResult Refused(int totalSpans, string refusal) =>
        new([], totalSpans, 0, new Dictionary<SpanRejectReason, int>(), []) { Refusal = refusal };

    public IReadOnlyList<TraceGroup> Groups { get; }

    /// <summary>Every span in the request, valid or not.</summary>
    public int TotalSpans { get; }

    public int AcceptedSpans { get; }

    public int RejectedSpans => TotalSpans - AcceptedSpans;

    public IReadOnlyDictionary<SpanRejectReason, int> RejectedByReason { get; }

    /// <summary>The first few rejections, each "position: what is wrong".</summary>
    public IReadOnlyList<string> Reasons { get; }

    /// <summary>Set when the whole request is refused; then nothing was converted.</summary>
    public string? Refusal { get; private init; }

    /// <summary>"2 of 5 spans rejected: reason; reason (and 1 more)".</summary>
    public string DescribeRejections()
    {
        var text = new StringBuilder();
        text.Append(RejectedSpans == TotalSpans ? $"all {TotalSpans} spans were rejected" : $"{RejectedSpans} of {TotalSpans} spans were rejected");
        text.Append(": ").AppendJoin("; ", Reasons);
        if (RejectedSpans > Reasons.Count)
        {
            text.Append($" (and {RejectedSpans - Reasons.Count} more)");
        }

        return text.ToString();
    }
}
