using OtlpSpanKind = BeTrace.Gateway.Otlp.Trace.Span.Types.SpanKind;
using OtlpStatusCode = BeTrace.Gateway.Otlp.Trace.Status.Types.StatusCode;

namespace BeTrace.Bench.Load;

/// <summary>
/// Builds realistic checkout traces: 20 spans over five services (frontend, checkout, inventory, payment,
/// notification) with HTTP server/client, database, cache, fraud-check, payment, audit, order and Kafka spans, OTel
/// semantic-convention attributes with values that vary per trace, and filler attributes up to the requested count.
/// A normal trace violates none of the <see cref="LoadRuleSet"/> rules; a rule's mutation makes it violate exactly
/// that rule (checked by <see cref="LoadRuleSet.Verify"/>).
/// </summary>
internal sealed class TraceFactory
{
    public const int BaseSpanCount = 20;

    // Span positions in the 20-span base trace (the rules' mutations refer to them).
    public const int Root = 0;               // "POST /checkout", frontend SERVER
    public const int Auth = 1;               // auth.validate
    public const int FillerA = 2;            // config.load: read by no rule; some mutations rename it
    public const int HttpRequest = 3;        // http.request, frontend CLIENT → checkout
    public const int HttpServer = 4;         // http.server, checkout SERVER
    public const int CartLoad = 5;
    public const int DbSelect = 6;           // db.query SELECT (checkout)
    public const int CacheGet = 7;
    public const int CacheSet = 8;
    public const int FillerB = 9;            // metrics.emit: read by no rule; some mutations rename it
    public const int InventoryReserve = 10;
    public const int DbUpdate = 11;          // db.query UPDATE (inventory)
    public const int FraudCheck = 12;
    public const int PaymentAuthorize = 13;
    public const int PaymentCharge = 14;
    public const int PaymentCapture = 15;
    public const int AuditLog = 16;
    public const int OrderCreate = 17;
    public const int KafkaPublish = 18;
    public const int KafkaConsume = 19;

    private const long Ms = 1_000_000;
    private const int HostsPerService = 3;

    private static readonly string[] Services = ["frontend", "checkout", "inventory", "payment", "notification"];
    private static readonly string[] Versions = ["2.14.0", "1.9.3", "3.2.0", "5.0.1", "1.4.2"];
    private static readonly string[] Regions = ["eu-west-1", "eu-west-1", "eu-west-1", "eu-central-1", "eu-west-1"];

    // Attributes no rule reads, added to every span up to the requested count.
    private static readonly string[] FillerKeys =
        ["code.function", "code.namespace", "thread.id", "thread.name", "net.host.name", "otel.scope.hint", "app.build", "app.shard"];

    private readonly ServiceResource[][] _resources;
    private readonly int _spansPerTrace;
    private readonly int _attributesPerSpan;

    public TraceFactory(int spansPerTrace, int attributesPerSpan)
    {
        if (spansPerTrace < BaseSpanCount)
        {
            throw new ArgumentOutOfRangeException(nameof(spansPerTrace), $"at least {BaseSpanCount} spans per trace");
        }
        _spansPerTrace = spansPerTrace;
        _attributesPerSpan = attributesPerSpan;
        _resources = new ServiceResource[Services.Length][];
        for (var s = 0; s < Services.Length; s++)
        {
            _resources[s] = new ServiceResource[HostsPerService];
            for (var h = 0; h < HostsPerService; h++)
            {
                var attributes = new List<KeyValuePair<string, object>>
                {
                    new("service.name", Services[s]),
                    new("service.namespace", "shop"),
                    new("service.version", Versions[s]),
                    new("service.instance.id", $"{Services[s]}-{h}"),
                    new("deployment.environment", "prod"),
                    new("cloud.provider", "aws"),
                    new("cloud.region", Regions[s]),
                    new("host.name", $"ip-10-0-{s}-{10 + h}"),
                    new("telemetry.sdk.name", "opentelemetry"),
                    new("telemetry.sdk.language", "dotnet"),
                    new("telemetry.sdk.version", "1.20.1"),
                };
                if (Services[s] == "payment")
                {
                    attributes.Add(new("pci.scope", true));
                }
                _resources[s][h] = new ServiceResource(attributes);
            }
        }
    }

    /// <summary>A trace that violates none of the load rules.</summary>
    public TraceSpec Normal(Random rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        // One host (resource instance) per service per trace, as one request passes one pod of each service.
        var frontend = _resources[0][rng.Next(HostsPerService)];
        var checkout = _resources[1][rng.Next(HostsPerService)];
        var inventory = _resources[2][rng.Next(HostsPerService)];
        var payment = _resources[3][rng.Next(HostsPerService)];
        var notification = _resources[4][rng.Next(HostsPerService)];

        var userId = $"u-{rng.Next(10000, 99999)}";
        var cartId = rng.Next(100000, 999999);
        var amount = Math.Round(20 + rng.NextDouble() * 1980, 2);
        var items = rng.Next(1, 20);
        var currency = Pick(rng, "USD", "EUR", "GBP");

        var spans = new List<SpanSpec>(_spansPerTrace);
        SpanSpec Add(string name, ServiceResource resource, OtlpSpanKind kind, int parent, double ms)
        {
            var jitter = 0.8 + rng.NextDouble() * 0.4;
            var span = new SpanSpec(name, resource, kind, parent, (long)(ms * jitter * Ms)) { Status = OtlpStatusCode.Ok };
            spans.Add(span);
            return span;
        }

        Add("POST /checkout", frontend, OtlpSpanKind.Server, -1, 420)
            .Set("http.request.method", "POST").Set("http.route", "/checkout").Set("http.response.status_code", 200L)
            .Set("user.id", userId).Set("user.tier", Pick(rng, "gold", "silver", "bronze"))
            .Set("request.size", (long)rng.Next(500, 50000));
        Add("auth.validate", frontend, OtlpSpanKind.Internal, Root, 4)
            .Set("verified", true).Set("auth.method", Pick(rng, "jwt", "oauth2"));
        Add("config.load", frontend, OtlpSpanKind.Internal, Root, 1);
        Add("http.request", frontend, OtlpSpanKind.Client, Root, 400)
            .Set("http.request.method", "POST").Set("server.address", "checkout.svc")
            .Set("http.response.status_code", 200L).Set("retry.count", 0L);
        Add("http.server", checkout, OtlpSpanKind.Server, HttpRequest, 390)
            .Set("http.request.method", "POST").Set("http.route", "/v1/orders").Set("http.response.status_code", 200L);
        Add("cart.load", checkout, OtlpSpanKind.Internal, HttpServer, 20)
            .Set("cart.items", (long)items).Set("cart.total", amount).Set("currency", currency);
        Add("db.query", checkout, OtlpSpanKind.Client, CartLoad, 8)
            .Set("db.system", "postgresql").Set("db.operation", "SELECT")
            .Set("db.statement", "SELECT sku, qty FROM cart_items WHERE cart_id = $1")
            .Set("db.rows", (long)items).Set("data.contains_pii", false);
        Add("cache.get", checkout, OtlpSpanKind.Client, HttpServer, 1)
            .Set("cache.hit", false).Set("cache.key", $"cart:{cartId}").Set("db.system", "redis");
        Add("cache.set", checkout, OtlpSpanKind.Client, HttpServer, 1)
            .Set("ttl_s", 300L).Set("cache.key", $"cart:{cartId}").Set("db.system", "redis");
        Add("metrics.emit", checkout, OtlpSpanKind.Internal, HttpServer, 0.2);
        Add("inventory.reserve", inventory, OtlpSpanKind.Server, HttpServer, 12)
            .Set("reserved", true).Set("sku", new[] { "SKU-1001", "SKU-2002", $"SKU-{rng.Next(3000, 3999)}" });
        Add("db.query", inventory, OtlpSpanKind.Client, InventoryReserve, 9)
            .Set("db.system", "postgresql").Set("db.operation", "UPDATE")
            .Set("db.statement", "UPDATE stock SET available = available - $2 WHERE sku = $1")
            .Set("db.rows", 3L).Set("data.contains_pii", false);
        Add("fraud_check", checkout, OtlpSpanKind.Client, HttpServer, 80)
            .Set("score", (long)rng.Next(0, 40)).Set("result", "pass").Set("risk.score", Math.Round(rng.NextDouble() * 0.3, 3))
            .Set("model.version", "fraud-v7");
        Add("payment.authorize", payment, OtlpSpanKind.Server, HttpServer, 100)
            .Set("amount", amount).Set("currency", currency).Set("approved", true).Set("psp", Pick(rng, "adyen", "stripe", "braintree"));
        Add("payment.charge", payment, OtlpSpanKind.Server, HttpServer, 150)
            .Set("amount", amount).Set("currency", currency).Set("card.brand", Pick(rng, "visa", "mastercard", "amex"))
            .Set("card.last4", rng.Next(0, 10000).ToString("D4", System.Globalization.CultureInfo.InvariantCulture))
            .Set("threeds", true).Set("attempt", 1L);
        Add("payment.capture", payment, OtlpSpanKind.Internal, PaymentCharge, 20)
            .Set("amount", amount).Set("reversed", false).Set("captured", true);
        Add("audit.log", payment, OtlpSpanKind.Internal, PaymentCharge, 0.3)
            .Set("log_type", "payment_audit").Set("actor", userId);
        Add("order.create", checkout, OtlpSpanKind.Internal, HttpServer, 15)
            .Set("items", (long)items).Set("order.state", "created").Set("total", amount);
        Add("kafka.publish", checkout, OtlpSpanKind.Producer, OrderCreate, 3)
            .Set("messaging.system", "kafka").Set("messaging.destination.name", "orders")
            .Set("messaging.message.body.size", (long)rng.Next(200, 4000));
        Add("kafka.consume", notification, OtlpSpanKind.Consumer, KafkaPublish, 40)
            .Set("messaging.system", "kafka").Set("destination", "orders").Set("consumer.group", "notifier");

        // Longer traces: extra internal steps under http.server, named so no rule reads them.
        for (var i = BaseSpanCount; i < _spansPerTrace; i++)
        {
            Add("work.step", checkout, OtlpSpanKind.Internal, HttpServer, 2).Set("step", (long)(i - BaseSpanCount));
        }

        // Start times: each child starts a little after its parent.
        for (var i = 1; i < spans.Count; i++)
        {
            spans[i].StartOffsetNanos = spans[spans[i].Parent].StartOffsetNanos + (i % 7 + 1) * Ms / 2;
        }

        // Filler attributes up to the requested count (the rules' own attributes are always kept).
        foreach (var span in spans)
        {
            for (var k = 0; span.Attributes.Count < _attributesPerSpan; k++)
            {
                var key = k < FillerKeys.Length ? FillerKeys[k] : $"app.tag.{k - FillerKeys.Length}";
                object value = (k % 3) switch
                {
                    0 => $"{key}-{rng.Next(1000)}",
                    1 => (long)rng.Next(1, 100000),
                    _ => $"v{rng.Next(100)}",
                };
                span.Set(key, value);
            }
        }
        return new TraceSpec(spans);
    }

    private static string Pick(Random rng, params string[] values) => values[rng.Next(values.Length)];
}
