using BeTrace.Grains;

namespace BeTrace.Silo.Storage;

/// <summary>The grain storage provider names the grains use (<see cref="BeTraceStorage"/>); each gets a provider.</summary>
internal static class StorageProviderNames
{
    public static IReadOnlyList<string> All { get; } = [BeTraceStorage.Rules, BeTraceStorage.Traces];
}
