using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using BeTrace.Gateway.Otlp.Collector.Trace;
using BeTrace.Gateway.Otlp.Common;
using BeTrace.Gateway.Otlp.Trace;
using Google.Protobuf;
using OtlpResource = BeTrace.Gateway.Otlp.Resource.Resource;

namespace BeTrace.Deploy.Tests;

/// <summary>What a generated trace is, and which rule (if any) it violates.</summary>
public enum TraceKind
{
    /// <summary>checkout → payment(amount 5000), no fraud_check: violates fraud-check (HIGH).</summary>
    UncheckedPayment,

    /// <summary>checkout → payment(amount 5000) → fraud_check: violates nothing.</summary>
    CheckedPayment,

    /// <summary>checkout with status ERROR → payment(amount 50): violates failed-checkout (MEDIUM).</summary>
    FailedCheckout,
}

/// <summary>One export request: when it started and ended, and the answer (HTTP status, 0 when no answer came).</summary>
public sealed record ExportAttempt(string TraceId, DateTimeOffset Start, DateTimeOffset End, int Status, string? Error)
{
    public bool Ok => Status == 200;
}

/// <summary>A generated trace: its first export attempt, and when (if ever) the gateway accepted it.</summary>
public sealed record SentTrace(string TraceId, TraceKind Kind, DateTimeOffset FirstAttempt, DateTimeOffset? Accepted, int Attempts)
{
    public string? ViolatedRule => Kind switch
    {
        TraceKind.UncheckedPayment => "fraud-check",
        TraceKind.FailedCheckout => "failed-checkout",
        _ => null,
    };
}

/// <summary>
/// Application traffic sent to a gateway with raw OTLP/HTTP protobuf requests (one request per trace), so every
/// request's answer is seen: a client that retries retryable failures (503, 429, no answer) like an OpenTelemetry SDK,
/// plus a share of invalid spans (rejections), duplicate sends (dedup), late spans and one oversized trace (dropped
/// spans), so that every BeTrace metric has a value.
/// </summary>
public sealed class OtlpTraffic : IAsyncDisposable
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromSeconds(90);

    private readonly HttpClient _http;
    private readonly Uri _endpoint;
    private readonly ConcurrentQueue<ExportAttempt> _attempts = new();
    private readonly ConcurrentDictionary<string, SentTrace> _traces = new();
    private readonly ConcurrentBag<Task> _background = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _workers = [];
    private long _sequence;

    public OtlpTraffic(Uri gatewayHttp)
    {
        _endpoint = new Uri(gatewayHttp, "/v1/traces");
        _http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            Timeout = TimeSpan.FromSeconds(15),
        };
    }

    public IReadOnlyList<ExportAttempt> Attempts => [.. _attempts];

    public IReadOnlyCollection<SentTrace> Traces => [.. _traces.Values];

    /// <summary>Unexpected answers (anything but 200, 429, 503 or no answer), for the tests to assert there are none.</summary>
    public IReadOnlyList<ExportAttempt> Unexpected => [.. _attempts.Where(a => a.Status is not (200 or 429 or 503 or 0))];

    /// <summary>Starts <paramref name="workers"/> senders, each sending a trace and pausing <paramref name="pause"/>.</summary>
    public void Start(int workers, TimeSpan pause)
    {
        for (var i = 0; i < workers; i++)
        {
            _workers.Add(Task.Run(() => WorkAsync(pause, _stop.Token)));
        }
    }

    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_workers.Concat(_background)).WaitAsync(TimeSpan.FromSeconds(120)).ContinueWith(_ => { });
        _workers.Clear();
    }

    /// <summary>Sends one trace of <paramref name="kind"/>, retrying retryable failures; returns its record.</summary>
    public async Task<SentTrace> SendTraceAsync(TraceKind kind, bool withInvalidSpan = false, int extraSpans = 0,
        CancellationToken cancellationToken = default)
    {
        var traceId = RandomNumberGenerator.GetBytes(16);
        var hex = Convert.ToHexStringLower(traceId);
        var request = Request(BuildTrace(traceId, kind, extraSpans, out _), withInvalidSpan);
        var first = DateTimeOffset.UtcNow;
        _traces[hex] = new SentTrace(hex, kind, first, null, 0);
        var (accepted, attempts) = await ExportWithRetriesAsync(hex, request, cancellationToken);
        var sent = new SentTrace(hex, kind, first, accepted, attempts);
        _traces[hex] = sent;
        return sent;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _http.Dispose();
        _stop.Dispose();
    }

    private async Task WorkAsync(TimeSpan pause, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var n = Interlocked.Increment(ref _sequence);
            var kind = (n % 4) switch
            {
                0 or 1 => TraceKind.UncheckedPayment,
                2 => TraceKind.CheckedPayment,
                _ => TraceKind.FailedCheckout,
            };
            try
            {
                var traceId = RandomNumberGenerator.GetBytes(16);
                var hex = Convert.ToHexStringLower(traceId);
                var spans = BuildTrace(traceId, kind, 0, out var rootSpanId);
                var request = Request(spans, withInvalidSpan: n % 10 == 5);
                var first = DateTimeOffset.UtcNow;
                _traces[hex] = new SentTrace(hex, kind, first, null, 0);
                var (accepted, attempts) = await ExportWithRetriesAsync(hex, request, stop);
                _traces[hex] = new SentTrace(hex, kind, first, accepted, attempts);
                if (accepted is not null && n % 15 == 7)
                {
                    // A client retry of a request that was in fact accepted: every span is a duplicate.
                    await ExportWithRetriesAsync(hex, request, stop);
                }
                if (accepted is not null && n % 20 == 11)
                {
                    // A late span: after the trace went idle and was evaluated, within the grace period.
                    _background.Add(SendLateSpanAsync(traceId, rootSpanId, stop));
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            try
            {
                await Task.Delay(pause, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task SendLateSpanAsync(byte[] traceId, byte[] parentId, CancellationToken stop)
    {
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(3), stop);
            var now = DateTimeOffset.UtcNow;
            var late = NewSpan(traceId, parentId, "audit_log", now, now.AddMilliseconds(2), Span.Types.SpanKind.Internal);
            await ExportWithRetriesAsync(Convert.ToHexStringLower(traceId), Request([late], withInvalidSpan: false), stop);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task<(DateTimeOffset? Accepted, int Attempts)> ExportWithRetriesAsync(string traceId, ExportTraceServiceRequest request,
        CancellationToken stop)
    {
        var body = request.ToByteArray();
        var watch = Stopwatch.StartNew();
        var attempts = 0;
        while (watch.Elapsed < GiveUpAfter)
        {
            attempts++;
            var start = DateTimeOffset.UtcNow;
            int status;
            string? error = null;
            try
            {
                using var content = new ByteArrayContent(body);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
                using var response = await _http.PostAsync(_endpoint, content, stop);
                status = (int)response.StatusCode;
                if (status != 200)
                {
                    error = await response.Content.ReadAsStringAsync(stop);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                status = 0;
                error = e.Message;
            }
            _attempts.Enqueue(new ExportAttempt(traceId, start, DateTimeOffset.UtcNow, status, error));
            if (status == 200)
            {
                return (DateTimeOffset.UtcNow, attempts);
            }
            if (status is not (0 or 429 or 503))
            {
                return (null, attempts);
            }
            await Task.Delay(RetryDelay, stop);
        }
        return (null, attempts);
    }

    private static List<Span> BuildTrace(byte[] traceId, TraceKind kind, int extraSpans, out byte[] rootSpanId)
    {
        var start = DateTimeOffset.UtcNow.AddMilliseconds(-200);
        var checkout = NewSpan(traceId, null, "checkout", start, start.AddMilliseconds(150), Span.Types.SpanKind.Server);
        rootSpanId = checkout.SpanId.ToByteArray();
        if (kind == TraceKind.FailedCheckout)
        {
            checkout.Status = new Status { Code = Status.Types.StatusCode.Error, Message = "card declined" };
        }
        var payment = NewSpan(traceId, rootSpanId, "payment", start.AddMilliseconds(10), start.AddMilliseconds(120), Span.Types.SpanKind.Client);
        payment.Attributes.Add(new KeyValue { Key = "amount", Value = new AnyValue { IntValue = kind == TraceKind.FailedCheckout ? 50 : 5000 } });
        payment.Attributes.Add(new KeyValue { Key = "currency", Value = new AnyValue { StringValue = "EUR" } });
        var spans = new List<Span> { checkout, payment };
        if (kind == TraceKind.CheckedPayment)
        {
            var check = NewSpan(traceId, payment.SpanId.ToByteArray(), "fraud_check", start.AddMilliseconds(20), start.AddMilliseconds(60), Span.Types.SpanKind.Internal);
            check.Attributes.Add(new KeyValue { Key = "score", Value = new AnyValue { DoubleValue = 0.12 } });
            spans.Add(check);
        }
        for (var i = 0; i < extraSpans; i++)
        {
            spans.Add(NewSpan(traceId, rootSpanId, "cache_get", start.AddMilliseconds(30), start.AddMilliseconds(31), Span.Types.SpanKind.Client));
        }
        return spans;
    }

    private static Span NewSpan(byte[] traceId, byte[]? parentId, string name, DateTimeOffset start, DateTimeOffset end, Span.Types.SpanKind kind)
    {
        var span = new Span
        {
            TraceId = ByteString.CopyFrom(traceId),
            SpanId = ByteString.CopyFrom(RandomNumberGenerator.GetBytes(8)),
            Name = name,
            Kind = kind,
            StartTimeUnixNano = (ulong)start.ToUnixTimeMilliseconds() * 1_000_000UL,
            EndTimeUnixNano = (ulong)end.ToUnixTimeMilliseconds() * 1_000_000UL,
        };
        if (parentId is not null)
        {
            span.ParentSpanId = ByteString.CopyFrom(parentId);
        }
        return span;
    }

    private static ExportTraceServiceRequest Request(IEnumerable<Span> spans, bool withInvalidSpan)
    {
        var scope = new ScopeSpans { Scope = new InstrumentationScope { Name = "betrace.deploy.tests" } };
        scope.Spans.AddRange(spans);
        if (withInvalidSpan)
        {
            // An all-zero trace id: rejected on its own (partial success), its neighbours are kept.
            scope.Spans.Add(new Span
            {
                TraceId = ByteString.CopyFrom(new byte[16]),
                SpanId = ByteString.CopyFrom(RandomNumberGenerator.GetBytes(8)),
                Name = "broken",
            });
        }
        var resource = new OtlpResource();
        resource.Attributes.Add(new KeyValue { Key = "service.name", Value = new AnyValue { StringValue = "shop" } });
        var resourceSpans = new ResourceSpans { Resource = resource };
        resourceSpans.ScopeSpans.Add(scope);
        var request = new ExportTraceServiceRequest();
        request.ResourceSpans.Add(resourceSpans);
        return request;
    }
}
