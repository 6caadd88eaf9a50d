using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace BeTrace.Dsl.Syntax;

/// <summary>
/// Compiles <c>matches</c> patterns with the options dsl.md 8.9 prescribes, once: validation (V11) and
/// compilation of the same rule share the instance. Regex instances are safe to share between threads.
/// </summary>
public static class PatternCache
{
    public const RegexOptions Options = RegexOptions.NonBacktracking | RegexOptions.CultureInvariant;

    private const int MaxEntries = 10_000;
    private static readonly ConcurrentDictionary<string, Regex> Cache = new(StringComparer.Ordinal);

    /// <exception cref="ArgumentException">The pattern does not parse.</exception>
    /// <exception cref="NotSupportedException">The non-backtracking engine lacks a construct it uses.</exception>
    public static Regex Compile(string pattern)
    {
        if (Cache.TryGetValue(pattern, out var cached))
        {
            return cached;
        }
        var regex = new Regex(pattern, Options);
        if (Cache.Count >= MaxEntries)
        {
            Cache.Clear();
        }
        Cache[pattern] = regex;
        return regex;
    }
}
