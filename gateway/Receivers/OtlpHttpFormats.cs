using Microsoft.Net.Http.Headers;

namespace BeTrace.Gateway.Receivers;

/// <summary>The OTLP/HTTP media types.</summary>
public static class OtlpHttpFormats
{
    public const string ProtobufMediaType = "application/x-protobuf";
    public const string JsonMediaType = "application/json";

    /// <summary>The format of a Content-Type (parameters such as charset are ignored); null when not supported.</summary>
    public static OtlpHttpFormat? Parse(string? contentType)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType, out var mediaType))
        {
            return null;
        }

        if (mediaType.MediaType.Equals(ProtobufMediaType, StringComparison.OrdinalIgnoreCase))
        {
            return OtlpHttpFormat.Protobuf;
        }

        return mediaType.MediaType.Equals(JsonMediaType, StringComparison.OrdinalIgnoreCase) ? OtlpHttpFormat.Json : null;
    }

    public static string MediaType(this OtlpHttpFormat format) => format == OtlpHttpFormat.Json ? JsonMediaType : ProtobufMediaType;
}
