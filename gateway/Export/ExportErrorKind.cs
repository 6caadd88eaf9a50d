namespace BeTrace.Gateway.Export;

/// <summary>Why an export request was not (fully) accepted; each maps to one gRPC code and one HTTP status.</summary>
public enum ExportErrorKind
{
    /// <summary>Bad input (malformed body, invalid tenant, every span invalid): gRPC INVALID_ARGUMENT, HTTP 400. Do not retry.</summary>
    InvalidArgument,

    /// <summary>Missing or wrong bearer token: gRPC UNAUTHENTICATED, HTTP 401. Do not retry.</summary>
    Unauthenticated,

    /// <summary>Body over MaxRequestBytes: HTTP 413 (gRPC: the framework's RESOURCE_EXHAUSTED without RetryInfo). Do not retry.</summary>
    PayloadTooLarge,

    /// <summary>Content-Type or Content-Encoding not supported: HTTP 415.</summary>
    UnsupportedMediaType,

    /// <summary>Not a POST: HTTP 405.</summary>
    MethodNotAllowed,

    /// <summary>No in-flight slot free in time: gRPC RESOURCE_EXHAUSTED with RetryInfo, HTTP 429 with Retry-After. Retry.</summary>
    Overloaded,

    /// <summary>A trace grain call failed or timed out: gRPC UNAVAILABLE with RetryInfo, HTTP 503 with Retry-After. Retry.</summary>
    Unavailable,
}
