using BeTrace.Dsl.Errors;
using BeTrace.Dsl.Evaluation;
using BeTrace.Grains.Interfaces.Rules;
using static BeTrace.Bench.Load.TraceFactory;
using OtlpSpanKind = BeTrace.Gateway.Otlp.Trace.Span.Types.SpanKind;
using OtlpStatusCode = BeTrace.Gateway.Otlp.Trace.Status.Types.StatusCode;

namespace BeTrace.Bench.Load;

/// <summary>One load rule: its id, name, severity and expression, and the mutation that makes a normal trace violate it.</summary>
internal sealed record LoadRule(string Id, string Name, Severity Severity, string Expression, Action<TraceSpec> Violate);

/// <summary>
/// The 50 realistic rules of the load run, written for <see cref="TraceFactory"/>'s checkout traces: where chains
/// with numeric and text comparisons, <c>in</c> lists, <c>contains</c>, <c>matches</c>, <c>span:duration</c>,
/// <c>span:status</c>, <c>span:kind</c>, <c>span:service</c>, <c>resource.*</c>, counts (also count against count),
/// <c>not</c>, always/never blocks and detection rules. Most rules' <c>when</c> part matches every normal trace, so
/// their <c>always</c>/<c>never</c> parts are evaluated too. A normal trace violates none; each rule's mutation makes a
/// trace violate exactly that rule, so a detection can be matched to its trace id and rule id.
/// </summary>
internal static class LoadRuleSet
{
    public const int Count = 50;

    public static IReadOnlyList<LoadRule> All { get; } = Build();

    private static LoadRule[] Build()
    {
        var rules = new List<LoadRule>();
        void R(string name, Severity severity, string expression, Action<TraceSpec> violate) =>
            rules.Add(new LoadRule($"load-{rules.Count + 1:D2}", name, severity, expression, violate));

        // Payments
        R("charge needs a passing fraud check", Severity.High,
            "when { payment.charge.where(amount > 0) } always { fraud_check.where(result == pass) }",
            t => t[FraudCheck].Set("result", "review"));
        R("charge needs an approved authorization", Severity.Critical,
            "when { payment.charge } always { payment.authorize.where(approved == true) }",
            t => t[PaymentAuthorize].Set("approved", false));
        R("charge in a supported currency", Severity.Medium,
            "when { payment.charge.where(not (currency in [USD, EUR, GBP])) }",
            t => t[PaymentCharge].Set("currency", "JPY"));
        R("charge is captured and not reversed", Severity.High,
            "when { payment.charge } always { payment.capture } never { payment.capture.where(reversed == true) }",
            t => t[PaymentCapture].Set("reversed", true));
        R("large charge uses 3-D Secure", Severity.High,
            "when { payment.charge.where(amount > 1000 and threeds == false) }",
            t => t[PaymentCharge].Set("amount", 1500.0).Set("threeds", false));
        R("card last4 is four digits", Severity.Low,
            "when { payment.charge.where(not (span.card.last4 matches \"^[0-9]{4}$\")) }",
            t => t[PaymentCharge].Set("card.last4", "42x2"));
        R("at most two charge attempts", Severity.Medium,
            "when { payment.charge.where(attempt > 2) }",
            t => t[PaymentCharge].Set("attempt", 3L));
        R("known payment provider", Severity.Medium,
            "when { payment.authorize.where(not (psp in [adyen, stripe, braintree])) }",
            t => t[PaymentAuthorize].Set("psp", "acmepay"));
        R("slow charge", Severity.Low,
            "when { payment.charge.where(span:duration > 2s) }",
            t => t[PaymentCharge].DurationNanos = 2_500_000_000);
        R("charge is audited", Severity.Critical,
            "when { payment.charge } always { audit.log.where(log_type == payment_audit) }",
            t => t[AuditLog].Set("log_type", "debug"));
        R("high fraud score needs manual review", Severity.High,
            "when { fraud_check.where(score >= 80) } always { manual_review }",
            t => t[FraudCheck].Set("score", 90L));
        R("high risk score", Severity.Medium,
            "when { fraud_check.where(\"risk.score\" > 0.5) }",
            t => t[FraudCheck].Set("risk.score", 0.9));
        R("repeated HTTP retries", Severity.Medium,
            "when { count(http.retry) >= 2 }",
            t =>
            {
                t.Rename(FillerA, "http.retry");
                t.Rename(FillerB, "http.retry");
            });
        R("every charge captured once", Severity.High,
            "when { count(payment.charge) != count(payment.capture) }",
            t => t.Rename(FillerB, "payment.capture"));
        R("failed charge", Severity.High,
            "when { payment.charge.where(span:status == ERROR) }",
            t => t[PaymentCharge].Status = OtlpStatusCode.Error);

        // HTTP
        R("checkout error is logged", Severity.Medium,
            "when { \"POST /checkout\".where(span:status == ERROR) } always { error_logged }",
            t => t[Root].Status = OtlpStatusCode.Error);
        R("server 5xx opens an incident", Severity.High,
            "when { http.server.where(span:kind == SERVER and \"http.response.status_code\" >= 500) } always { incident.created }",
            t => t[HttpServer].Set("http.response.status_code", 503L));
        R("client 5xx is retried", Severity.Medium,
            "when { http.request.where(\"http.response.status_code\" >= 500) } always { http.retry }",
            t => t[HttpRequest].Set("http.response.status_code", 502L));
        R("http.request is a client span", Severity.Low,
            "when { http.request.where(span:kind != CLIENT) }",
            t => t[HttpRequest].Kind = OtlpSpanKind.Internal);
        R("checkout authenticates with a token", Severity.Critical,
            "when { \"POST /checkout\" } always { auth.validate.where(\"auth.method\" in [jwt, oauth2]) }",
            t => t[Auth].Set("auth.method", "basic"));
        R("unverified caller", Severity.Critical,
            "when { auth.validate.where(not verified) }",
            t => t[Auth].Set("verified", false));
        R("slow checkout", Severity.Medium,
            "when { \"POST /checkout\".where(span:duration > 3s) }",
            t => t[Root].DurationNanos = 3_500_000_000);
        R("POST routes are versioned", Severity.Low,
            "when { http.server.where(span.http.request.method == POST and not span.http.route matches \"^/v1/\") }",
            t => t[HttpServer].Set("http.route", "/orders"));
        R("oversized checkout request", Severity.Medium,
            "when { \"POST /checkout\".where(\"request.size\" > 1048576) }",
            t => t[Root].Set("request.size", 2_000_000L));
        R("internal call retried too often", Severity.Medium,
            "when { http.request.where(\"server.address\" matches \"\\.svc$\" and \"retry.count\" > 2) }",
            t => t[HttpRequest].Set("retry.count", 3L));
        R("successful checkout creates an order", Severity.High,
            "when { \"POST /checkout\".where(\"http.response.status_code\" == 200) } always { order.create.where(\"order.state\" == created) }",
            t => t[OrderCreate].Set("order.state", "pending"));
        R("orders served by checkout", Severity.Low,
            "when { http.server.where(span:service != checkout) }",
            t => t[HttpServer].Resource = t[HttpServer].Resource.With("service.name", "checkout-legacy"));

        // Databases and caches
        R("large result set", Severity.Low,
            "when { db.query.where(\"db.system\" == postgresql and \"db.rows\" > 1000) }",
            t => t[DbSelect].Set("db.rows", 5000L));
        R("stock update needs a reservation", Severity.High,
            "when { db.query.where(\"db.operation\" in [UPDATE, DELETE] and span:service == inventory) } always { inventory.reserve.where(reserved == true) }",
            t => t[InventoryReserve].Set("reserved", false));
        R("no SELECT *", Severity.Low,
            "when { db.query.where(\"db.statement\" matches \"(?i)^select \\*\") }",
            t => t[DbSelect].Set("db.statement", "SELECT * FROM cart_items WHERE cart_id = $1"));
        R("no DROP in production", Severity.Critical,
            "when { db.query.where(\"db.statement\" contains \"DROP \") }",
            t => t[DbUpdate].Set("db.statement", "DROP TABLE stock_tmp"));
        R("too many queries per checkout", Severity.Medium,
            "when { count(db.query) > 2 }",
            t => t.Rename(FillerB, "db.query"));
        R("slow query", Severity.Medium,
            "when { db.query.where(span:duration >= 1s) }",
            t => t[DbUpdate].DurationNanos = 1_200_000_000);
        R("failed query", Severity.High,
            "when { db.query.where(span:status == ERROR) }",
            t => t[DbSelect].Status = OtlpStatusCode.Error);
        R("data stays in eu-west-1", Severity.Critical,
            "when { db.query.where(resource.cloud.region != \"eu-west-1\") }",
            t => t.SetResourceAttribute("inventory", "cloud.region", "us-east-1"));
        R("PII access is audited", Severity.Critical,
            "when { db.query.where(span.data.contains_pii) } always { audit.log.where(log_type == pii_audit) }",
            t => t[DbSelect].Set("data.contains_pii", true));
        R("cache fill has a bounded TTL", Severity.Low,
            "when { cache.get.where(not span.cache.hit) } always { cache.set.where(ttl_s <= 3600) }",
            t => t[CacheSet].Set("ttl_s", 86400L));
        R("slow cache", Severity.Low,
            "when { cache.get.where(span:duration > 100ms) }",
            t => t[CacheGet].DurationNanos = 250_000_000);

        // Messaging
        R("published order is consumed", Severity.High,
            "when { kafka.publish } always { kafka.consume.where(span:kind == CONSUMER) }",
            t => t[KafkaConsume].Kind = OtlpSpanKind.Server);
        R("orders consumed from the orders topic", Severity.Medium,
            "when { kafka.publish.where(\"messaging.destination.name\" == orders) } always { kafka.consume.where(destination == orders) }",
            t => t[KafkaConsume].Set("destination", "orders-dlq"));
        R("oversized message", Severity.Medium,
            "when { kafka.publish.where(\"messaging.message.body.size\" > 1000000) }",
            t => t[KafkaPublish].Set("messaging.message.body.size", 2_000_000L));
        R("every message consumed once", Severity.High,
            "when { count(kafka.publish) != count(kafka.consume) }",
            t => t.Rename(FillerB, "kafka.publish"));

        // Orders and carts
        R("implausible order size", Severity.Medium,
            "when { order.create.where(items > 50) }",
            t => t[OrderCreate].Set("items", 80L));
        R("order is paid", Severity.Critical,
            "when { order.create.where(total > 0) } always { payment.capture.where(captured == true) }",
            t => t[PaymentCapture].Set("captured", false));
        R("implausible cart", Severity.Low,
            "when { cart.load.where(\"cart.items\" > 100) }",
            t => t[CartLoad].Set("cart.items", 150L));

        // Logs, auth and deployment
        R("no debug logging on checkout", Severity.Low,
            "when { \"POST /checkout\" } never { log.write.where(level == debug) }",
            t => t.Rename(FillerA, "log.write").Set("level", "debug").Set("message", "cache warmed"));
        R("no secrets in logs", Severity.Critical,
            "when { log.write.where(message matches \"(?i)password|secret|token=\") }",
            t => t.Rename(FillerA, "log.write").Set("level", "info").Set("message", "retrying with token=abc123"));
        R("slow authentication", Severity.Medium,
            "when { auth.validate.where(span:duration > 500ms) }",
            t => t[Auth].DurationNanos = 800_000_000);
        R("no pre-1.0 servers", Severity.Medium,
            "when { http.server.where(resource.service.version matches \"^0\\.\") }",
            t => t.SetResourceAttribute("checkout", "service.version", "0.9.1"));
        R("payments only in PCI scope", Severity.Critical,
            "when { payment.charge.where(resource.pci.scope == false) }",
            t => t.SetResourceAttribute("payment", "pci.scope", false));
        return [.. rules];
    }

    /// <summary>Compiles the first <paramref name="count"/> rules (throws naming the rule that does not load).</summary>
    public static CompiledRule[] Compile(int count)
    {
        var compiled = new CompiledRule[count];
        for (var i = 0; i < count; i++)
        {
            try
            {
                compiled[i] = RuleCompiler.Compile(All[i].Expression);
            }
            catch (DslException ex)
            {
                throw new InvalidOperationException($"load rule {All[i].Id} does not load: {ex.Message}\n{All[i].Expression}", ex);
            }
        }
        return compiled;
    }

    /// <summary>
    /// Checks the design on <paramref name="samples"/> generated traces per case: a normal trace violates no rule, and
    /// each rule's mutation makes a trace violate exactly that rule. Returns the problems (empty when all hold).
    /// </summary>
    public static List<string> Verify(TraceFactory factory, CompiledRule[] rules, int samples, int seed)
    {
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentNullException.ThrowIfNull(rules);
        var problems = new List<string>();
        var rng = new Random(seed);
        for (var s = 0; s < samples; s++)
        {
            for (var expected = -1; expected < rules.Length; expected++)
            {
                var trace = factory.Normal(rng);
                if (expected >= 0)
                {
                    All[expected].Violate(trace);
                }
                var view = DslConverter.ToView(trace);
                var violated = new List<string>();
                for (var r = 0; r < rules.Length; r++)
                {
                    if (rules[r].Evaluate(view).Violated)
                    {
                        violated.Add(All[r].Id);
                    }
                }
                var want = expected < 0 ? "none" : All[expected].Id;
                var got = violated.Count == 0 ? "none" : string.Join(",", violated);
                if (want != got)
                {
                    problems.Add($"sample {s}: a trace built to violate {want} violates {got}");
                }
            }
        }
        return problems;
    }
}
