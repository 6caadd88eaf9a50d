using BeTrace.Gateway.Conversion;
using BeTrace.Gateway.Ingest;
using BeTrace.Gateway.Metrics;
using BeTrace.Gateway.Otlp.Collector.Trace;
using Microsoft.Extensions.Logging;

namespace BeTrace.Gateway.Export;

/// <summary>
/// What both receivers do with a decoded request of an authenticated tenant: validate and group the spans, hand the
/// groups to the trace grains, and build the OTLP answer. Transport concerns (status codes, bodies) stay in the receivers.
/// </summary>
public sealed partial class TraceExportPipeline
{
    private readonly OtlpSpanConverter _converter;
    private readonly SpanIngestor _ingestor;
    private readonly GatewayMetrics _metrics;
    private readonly ILogger<TraceExportPipeline> _logger;

    public TraceExportPipeline(OtlpSpanConverter converter, SpanIngestor ingestor, GatewayMetrics metrics, ILogger<TraceExportPipeline> logger)
    {
        _converter = converter;
        _ingestor = ingestor;
        _metrics = metrics;
        _logger = logger;
    }

    public async Task<ExportOutcome> ExportAsync(
        ExportTraceServiceRequest request,
        string tenant,
        string protocol,
        SpanDecodeErrors? decodeErrors,
        CancellationToken cancellationToken)
    {
        var conversion = _converter.Convert(request, tenant, decodeErrors);
        _metrics.SpansReceived(conversion.TotalSpans, tenant, protocol);
        if (conversion.Refusal is { } refusal)
        {
            LogRefused(_logger, tenant, protocol, refusal);
            return ExportOutcome.Refused(ExportErrorKind.InvalidArgument, refusal);
        }

        foreach (var (reason, count) in conversion.RejectedByReason)
        {
            _metrics.SpansRejected(reason, count, tenant);
        }

        if (conversion.TotalSpans == 0)
        {
            // OTLP: an empty request is valid; there is nothing to do.
            return ExportOutcome.Accepted(new ExportTraceServiceResponse());
        }

        if (conversion.AcceptedSpans == 0)
        {
            var message = conversion.DescribeRejections();
            LogRefused(_logger, tenant, protocol, message);
            return ExportOutcome.Refused(ExportErrorKind.InvalidArgument, message);
        }

        var ingest = await _ingestor.IngestAsync(conversion.Groups, cancellationToken).ConfigureAwait(false);
        if (ingest.Error is { } error)
        {
            return ExportOutcome.Refused(error);
        }

        var response = new ExportTraceServiceResponse();
        var rejected = conversion.RejectedSpans + ingest.Dropped;
        if (rejected > 0)
        {
            var messages = new List<string>(2);
            if (conversion.RejectedSpans > 0)
            {
                messages.Add(conversion.DescribeRejections());
                LogPartial(_logger, tenant, protocol, messages[0]);
            }

            if (ingest.Dropped > 0)
            {
                messages.Add($"{ingest.Dropped} spans were dropped because their trace reached its span or size cap");
            }

            response.PartialSuccess = new ExportTracePartialSuccess
            {
                RejectedSpans = rejected,
                ErrorMessage = string.Join("; ", messages),
            };
        }

        return ExportOutcome.Accepted(response);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Refused an export of tenant {Tenant} over {Protocol}: {Reason}")]
    private static partial void LogRefused(ILogger logger, string tenant, string protocol, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Partially accepted an export of tenant {Tenant} over {Protocol}: {Reason}")]
    private static partial void LogPartial(ILogger logger, string tenant, string protocol, string reason);
}
