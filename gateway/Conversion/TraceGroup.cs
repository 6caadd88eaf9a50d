using BeTrace.Grains.Interfaces.Spans;
using BeTrace.Grains.Interfaces.Traces;

namespace BeTrace.Gateway.Conversion;

/// <summary>The valid spans of one request that belong to one (tenant, trace): one trace grain call.</summary>
public sealed record TraceGroup(string Tenant, string TraceIdHex, WireSpan[] Spans)
{
    /// <summary>The trace grain key, "tenant/32-hex".</summary>
    public string GrainKey => new TraceKey(Tenant, TraceIdHex).ToString();
}
