namespace BeTrace.Gateway.Metrics;

/// <summary>How an export request ended: the <c>outcome</c> tag of betrace.gateway.requests.</summary>
public enum RequestOutcome
{
    Success,
    PartialSuccess,
    InvalidArgument,
    Unauthenticated,
    PayloadTooLarge,
    UnsupportedMediaType,
    MethodNotAllowed,
    Overloaded,
    Unavailable,
    Cancelled,
}
