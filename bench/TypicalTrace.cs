using BeTrace.Dsl.Model;

namespace BeTrace.Bench;

/// <summary>
/// One realistic 50-span checkout trace: six services (frontend, checkout, inventory, payment, users,
/// notification) with HTTP, database, cache, payment, messaging and logging spans, and typed attributes
/// (strings, numeric strings, integers, doubles, booleans, arrays). Shared by the benchmarks.
/// </summary>
public static class TypicalTrace
{
    public const int SpanCount = 50;

    private const string TraceId = "4bf92f3577b34da6a3ce929d0e0e4736";

    /// <summary>The spans in trace order; a new list of new spans on every call.</summary>
    public static IReadOnlyList<Span> BuildSpans()
    {
        var frontend = Resource("frontend", "2.14.0", "eu-west-1", canary: false);
        var checkout = Resource("checkout", "1.9.3", "eu-west-1", canary: false);
        var inventory = Resource("inventory", "3.2.0", "eu-west-1", canary: false);
        var payment = Resource("payment", "5.0.1", "eu-central-1", canary: false, ("pci.scope", B(true)));
        var users = Resource("users", "1.1.0", "eu-west-1", canary: false);
        var notification = Resource("notification", "0.9.7", "eu-west-1", canary: true);

        var b = new Builder();
        b.Add("POST /checkout", frontend, SpanKind.Server, SpanStatus.Ok, Ms(2450), null,
            ("http.request.method", S("POST")), ("http.route", S("/checkout")), ("http.response.status_code", I(200)),
            ("url.path", S("/api/v2/checkout")), ("user.id", S("u-48213")), ("user.tier", S("gold")),
            ("client.tags", A(S("beta"), S("mobile"))), ("request.size", I(5321)));
        b.Add("auth.validate", frontend, SpanKind.Internal, SpanStatus.Ok, Ms(4), 0,
            ("verified", B(true)), ("auth.method", S("jwt")), ("token.age_s", I(312)));
        b.Add("session.lookup", frontend, SpanKind.Internal, SpanStatus.Ok, Us(1200), 0, ("cache.hit", B(true)));
        b.Add("cache.get", frontend, SpanKind.Client, SpanStatus.Ok, Us(800), 2,
            ("cache.hit", B(true)), ("cache.key", S("session:u-48213")), ("db.system", S("redis")));
        b.Add("http.request", frontend, SpanKind.Client, SpanStatus.Ok, Ms(2400), 0,
            ("http.request.method", S("POST")), ("server.address", S("checkout.svc")),
            ("http.response.status_code", I(200)), ("retry.count", I(0)));
        b.Add("http.server", checkout, SpanKind.Server, SpanStatus.Ok, Ms(2390), 4,
            ("http.request.method", S("POST")), ("http.route", S("/v1/orders")), ("http.response.status_code", I(200)));
        b.Add("cart.load", checkout, SpanKind.Internal, SpanStatus.Ok, Ms(35), 5,
            ("cart.items", I(3)), ("cart.total", D(1249.99)), ("currency", S("USD")));
        b.Add("db.query", checkout, SpanKind.Client, SpanStatus.Ok, Ms(12), 6,
            ("db.system", S("postgresql")), ("db.operation", S("SELECT")),
            ("db.statement", S("SELECT * FROM carts WHERE user_id = $1")), ("db.rows", I(1)),
            ("data.contains_pii", B(true)));
        b.Add("db.query", checkout, SpanKind.Client, SpanStatus.Ok, Ms(9), 6,
            ("db.system", S("postgresql")), ("db.operation", S("SELECT")),
            ("db.statement", S("SELECT sku, qty FROM cart_items WHERE cart_id = $1")), ("db.rows", I(3)),
            ("data.contains_pii", B(false)));
        b.Add("audit.log", checkout, SpanKind.Internal, SpanStatus.Ok, Us(300), 5,
            ("log_type", S("pii_audit")), ("actor", S("u-48213")));
        b.Add("inventory.check", checkout, SpanKind.Client, SpanStatus.Ok, Ms(1900), 5,
            ("sku", A(S("SKU-1001"), S("SKU-2002"), S("SKU-3003"))), ("quantity", A(I(1), I(2), I(1))));
        b.Add("http.server", inventory, SpanKind.Server, SpanStatus.Ok, Ms(1850), 10,
            ("http.request.method", S("GET")), ("http.route", S("/v1/stock")), ("http.response.status_code", I(200)));
        b.Add("db.query", inventory, SpanKind.Client, SpanStatus.Ok, Ms(1800), 11,
            ("db.system", S("postgresql")), ("db.operation", S("SELECT")),
            ("db.statement", S("SELECT sku, available FROM stock WHERE sku = ANY($1)")), ("db.rows", I(3)),
            ("data.contains_pii", B(false)));
        b.Add("cache.get", inventory, SpanKind.Client, SpanStatus.Ok, Us(600), 11,
            ("cache.hit", B(false)), ("cache.key", S("stock:SKU-1001")), ("db.system", S("redis")));
        b.Add("cache.set", inventory, SpanKind.Client, SpanStatus.Ok, Us(900), 11,
            ("db.system", S("redis")), ("ttl_s", I(300)));
        b.Add("inventory.reserve", inventory, SpanKind.Internal, SpanStatus.Ok, Ms(20), 11,
            ("sku", A(S("SKU-1001"), S("SKU-2002"), S("SKU-3003"))), ("reserved", B(true)));
        b.Add("db.query", inventory, SpanKind.Client, SpanStatus.Ok, Ms(15), 15,
            ("db.system", S("postgresql")), ("db.operation", S("UPDATE")),
            ("db.statement", S("UPDATE stock SET available = available - $2 WHERE sku = $1")), ("db.rows", I(3)),
            ("data.contains_pii", B(false)));
        b.Add("pricing.compute", checkout, SpanKind.Internal, SpanStatus.Ok, Ms(8), 5,
            ("discount.pct", D(10.0)), ("coupon", S("SPRING10")), ("tax.rate", D(0.21)));
        b.Add("fraud_check", checkout, SpanKind.Client, SpanStatus.Ok, Ms(120), 5,
            ("score", I(12)), ("result", S("pass")), ("model.version", S("fraud-v7")), ("risk.score", D(0.12)));
        b.Add("http.request", checkout, SpanKind.Client, SpanStatus.Ok, Ms(340), 5,
            ("http.request.method", S("POST")), ("server.address", S("payment.svc")),
            ("http.response.status_code", I(200)), ("retry.count", I(0)));
        b.Add("payment.charge", payment, SpanKind.Server, SpanStatus.Ok, Ms(330), 19,
            ("amount", D(1249.99)), ("currency", S("USD")), ("card.brand", S("visa")), ("card.last4", S("4242")),
            ("threeds", B(true)), ("attempt", I(1)), ("merchant.id", S("m-77")));
        b.Add("payment.validate", payment, SpanKind.Internal, SpanStatus.Ok, Ms(5), 20,
            ("valid", B(true)), ("rules.checked", I(42)));
        b.Add("http.retry", payment, SpanKind.Client, SpanStatus.Error, Ms(100), 20,
            ("http.response.status_code", I(503)), ("attempt", I(1)), ("server.address", S("psp.example.com")));
        b.Add("http.retry", payment, SpanKind.Client, SpanStatus.Ok, Ms(150), 20,
            ("http.response.status_code", I(200)), ("attempt", I(2)), ("server.address", S("psp.example.com")));
        b.Add("payment.authorize", payment, SpanKind.Client, SpanStatus.Ok, Ms(140), 20,
            ("psp", S("adyen")), ("auth.code", S("A1B2C3")), ("approved", B(true)), ("amount", S("1249.99")));
        b.Add("db.query", payment, SpanKind.Client, SpanStatus.Ok, Ms(7), 20,
            ("db.system", S("postgresql")), ("db.operation", S("INSERT")),
            ("db.statement", S("INSERT INTO payments (id, amount, currency) VALUES ($1, $2, $3)")),
            ("db.rows", I(1)), ("data.contains_pii", B(true)));
        b.Add("audit.log", payment, SpanKind.Internal, SpanStatus.Ok, Us(200), 20,
            ("log_type", S("payment_audit")), ("actor", S("payment")));
        b.Add("payment.capture", payment, SpanKind.Internal, SpanStatus.Ok, Ms(25), 20,
            ("amount", D(1249.99)), ("currency", S("USD")));
        b.Add("order.create", checkout, SpanKind.Internal, SpanStatus.Ok, Ms(18), 5,
            ("order.id", S("ord-99812")), ("items", I(3)));
        b.Add("db.query", checkout, SpanKind.Client, SpanStatus.Ok, Ms(6), 28,
            ("db.system", S("postgresql")), ("db.operation", S("INSERT")),
            ("db.statement", S("INSERT INTO orders (id, user_id, total) VALUES ($1, $2, $3)")),
            ("db.rows", I(1)), ("data.contains_pii", B(false)));
        b.Add("kafka.publish", checkout, SpanKind.Producer, SpanStatus.Ok, Ms(3), 28,
            ("messaging.system", S("kafka")), ("messaging.destination.name", S("orders")),
            ("messaging.message.body.size", I(812)));
        b.Add("kafka.consume", notification, SpanKind.Consumer, SpanStatus.Ok, Ms(2), 30,
            ("messaging.system", S("kafka")), ("destination", S("orders")), ("consumer.group", S("notifier")));
        b.Add("email.render", notification, SpanKind.Internal, SpanStatus.Ok, Ms(45), 31,
            ("template", S("order_confirmation")), ("locale", S("en-GB")));
        b.Add("email.send", notification, SpanKind.Client, SpanStatus.Error, Ms(5000), 31,
            ("smtp.host", S("smtp.example.com")), ("error.type", S("timeout")), ("retry.count", I(2)));
        b.Add("http.request", notification, SpanKind.Client, SpanStatus.Ok, Ms(80), 31,
            ("server.address", S("sms.example.com")), ("http.response.status_code", I(202)), ("retry.count", I(0)));
        b.Add("sms.send", notification, SpanKind.Client, SpanStatus.Ok, Ms(75), 34,
            ("provider", S("twilio")), ("segments", I(1)));
        b.Add("http.response", frontend, SpanKind.Internal, SpanStatus.Ok, Us(400), 0,
            ("http.response.status_code", I(200)), ("body.bytes", I(2048)));
        b.Add("GET /users/{id}", frontend, SpanKind.Server, SpanStatus.Ok, Ms(30), null,
            ("http.route", S("/users/{id}")), ("http.response.status_code", I(200)), ("user.id", S("u-48213")));
        b.Add("db.query", users, SpanKind.Client, SpanStatus.Ok, Ms(4), 37,
            ("db.system", S("postgresql")), ("db.operation", S("SELECT")),
            ("db.statement", S("SELECT id, name, email FROM users WHERE id = $1")), ("db.rows", I(1)),
            ("data.contains_pii", B(true)));
        b.Add("cache.get", users, SpanKind.Client, SpanStatus.Ok, Us(500), 37,
            ("cache.hit", B(true)), ("cache.key", S("user:u-48213")), ("db.system", S("redis")));
        b.Add("GET /recommendations", frontend, SpanKind.Server, SpanStatus.Error, Ms(1200), null,
            ("http.route", S("/recommendations")), ("http.response.status_code", I(500)),
            ("error.type", S("upstream_timeout")));
        b.Add("http.request", frontend, SpanKind.Client, SpanStatus.Error, Ms(1000), 40,
            ("server.address", S("reco.svc")), ("http.response.status_code", I(504)), ("retry.count", I(1)));
        b.Add("http.retry", frontend, SpanKind.Client, SpanStatus.Error, Ms(1000), 40,
            ("server.address", S("reco.svc")), ("http.response.status_code", I(504)), ("attempt", I(2)));
        b.Add("feature.flag", frontend, SpanKind.Internal, SpanStatus.Ok, Us(100), 0,
            ("flag.key", S("new_checkout")), ("flag.enabled", B(true)), ("variant", S("B")));
        b.Add("metrics.emit", frontend, SpanKind.Internal, SpanStatus.Unset, Us(50), 0, ("metric.count", I(17)));
        b.Add("log.write", frontend, SpanKind.Internal, SpanStatus.Unset, Us(100), 40,
            ("level", S("warn")), ("message", S("slow upstream reco.svc after 1000 ms")));
        b.Add("http.response", frontend, SpanKind.Internal, SpanStatus.Ok, Us(300), 40,
            ("http.response.status_code", I(500)), ("body.bytes", I(87)));
        b.Add("rate_limit.check", frontend, SpanKind.Internal, SpanStatus.Ok, Us(200), 0,
            ("remaining", I(87)), ("limit", I(100)), ("limited", B(false)));
        b.Add("gc.pause", checkout, SpanKind.Internal, SpanStatus.Unset, Ms(15), 5,
            ("gen", I(2)), ("heap.mb", D(512.5)));
        b.Add("session.update", frontend, SpanKind.Internal, SpanStatus.Ok, Us(1100), 0,
            ("user.id", S("u-48213")), ("ttl_s", S("1800")));

        if (b.Spans.Count != SpanCount)
        {
            throw new InvalidOperationException($"the typical trace has {b.Spans.Count} spans, not {SpanCount}");
        }
        return b.Spans;
    }

    /// <summary>The trace prepared for evaluation (name index built).</summary>
    public static TraceView Build() => new(BuildSpans());

    private static SpanResource Resource(
        string service, string version, string region, bool canary, params (string Key, AttrValue Value)[] extra)
    {
        (string Key, AttrValue Value)[] common =
        [
            ("service.name", S(service)),
            ("service.version", S(version)),
            ("deployment.environment", S("prod")),
            ("cloud.region", S(region)),
            ("host.cores", I(8)),
            ("canary", B(canary)),
        ];
        return new SpanResource(Attributes([.. common, .. extra]));
    }

    private static AttributeSet Attributes((string Key, AttrValue Value)[] pairs) =>
        new(pairs.Select(p => new KeyValuePair<string, AttrValue>(p.Key, p.Value)));

    private static AttrValue S(string value) => AttrValue.FromString(value);

    private static AttrValue I(long value) => AttrValue.FromInt(value);

    private static AttrValue D(double value) => AttrValue.FromDouble(value);

    private static AttrValue B(bool value) => AttrValue.FromBool(value);

    private static AttrValue A(params AttrValue[] items) => AttrValue.FromArray(items);

    private static long Ms(long milliseconds) => milliseconds * 1_000_000;

    private static long Us(long microseconds) => microseconds * 1_000;

    /// <summary>Appends spans with sequential ids; the parent is given by its position in the trace.</summary>
    private sealed class Builder
    {
        public List<Span> Spans { get; } = [];

        public void Add(
            string name, SpanResource resource, SpanKind kind, SpanStatus status, long durationNanos, int? parent,
            params (string Key, AttrValue Value)[] attributes)
        {
            var parentId = parent is { } p ? Spans[p].SpanId : null;
            var spanId = (Spans.Count + 1).ToString("x16", System.Globalization.CultureInfo.InvariantCulture);
            Spans.Add(new Span(name, status, kind, durationNanos, Attributes(attributes), resource, spanId, parentId, TraceId));
        }
    }
}
