using Orleans.Services;

namespace BeTrace.Grains.Traces;

/// <summary>Marker interface Orleans needs for the <see cref="ParkedTraceResumer"/> grain service; it has no calls.</summary>
[Alias("betrace.IParkedTraceResumer")]
public interface IParkedTraceResumer : IGrainService;
