using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace BeTrace.Console.Output;

/// <summary>How every <c>--json</c> output is written: snake_case names, text shown as written, nulls kept.</summary>
public static class JsonOutput
{
    /// <summary>One object per line (JSON lines), for streams of records.</summary>
    public static JsonSerializerOptions Compact { get; } = Create(indented: false);

    /// <summary>One indented document, for a single answer.</summary>
    public static JsonSerializerOptions Indented { get; } = Create(indented: true);

    public static string Line<T>(T value) => JsonSerializer.Serialize(value, Compact);

    public static string Document<T>(T value) => JsonSerializer.Serialize(value, Indented);

    private static JsonSerializerOptions Create(bool indented) => new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        WriteIndented = indented,
    };
}
