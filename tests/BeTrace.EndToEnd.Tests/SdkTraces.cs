using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace BeTrace.EndToEnd.Tests;

/// <summary>
/// An application instrumented with the OpenTelemetry .NET SDK, exporting with the SDK's own OTLP exporter (gRPC or
/// http/protobuf) to a BeTrace endpoint. Each method records one trace and returns its ids.
/// </summary>
internal sealed class SdkTraces : IDisposable
{
    private readonly ActivitySource _source = new("betrace.e2e." + Guid.NewGuid().ToString("N")[..8]);
    private readonly TracerProvider _provider;

    public SdkTraces(Uri endpoint, OtlpExportProtocol protocol, string? tenant = null)
    {
        _provider = Sdk.CreateTracerProviderBuilder()
            .SetResourceBuilder(ResourceBuilder.CreateDefault().AddService("shop"))
            .SetSampler(new AlwaysOnSampler())
            .AddSource(_source.Name)
            .AddOtlpExporter(options =>
            {
                options.Protocol = protocol;
                options.Endpoint = protocol == OtlpExportProtocol.HttpProtobuf ? new Uri(endpoint, "/v1/traces") : endpoint;
                options.ExportProcessorType = ExportProcessorType.Simple;
                if (tenant is not null)
                {
                    options.Headers = $"X-Scope-OrgID={tenant}";
                }
            })
            .Build()!;
    }

    /// <summary>checkout → payment (amount) [→ fraud_check]; the checkout span's status is ERROR when asked.</summary>
    public RecordedTrace Checkout(long amount, bool fraudChecked, bool failed = false)
    {
        string traceId, checkoutId, paymentId;
        using (var checkout = _source.StartActivity("checkout", ActivityKind.Server)!)
        {
            traceId = checkout.TraceId.ToHexString();
            checkoutId = checkout.SpanId.ToHexString();
            using (var payment = _source.StartActivity("payment")!)
            {
                paymentId = payment.SpanId.ToHexString();
                payment.SetTag("amount", amount);
                payment.SetTag("currency", "EUR");
                if (fraudChecked)
                {
                    using var check = _source.StartActivity("fraud_check")!;
                    check.SetTag("score", 0.12);
                }
            }
            if (failed)
            {
                checkout.SetStatus(ActivityStatusCode.Error, "card declined");
            }
        }
        return new RecordedTrace(traceId, checkoutId, paymentId);
    }

    public void Flush() => Assert.True(_provider.ForceFlush(10_000), "the SDK exporter did not flush");

    public void Dispose()
    {
        _provider.Dispose();
        _source.Dispose();
    }
}

internal sealed record RecordedTrace(string TraceId, string CheckoutSpanId, string PaymentSpanId);
