using BeTrace.Dsl.Errors;
using BeTrace.Dsl.Evaluation;
using BeTrace.Dsl.Model;

namespace BeTrace.Bench;

/// <summary>
/// 100 typical rules, a realistic mix for the <see cref="TypicalTrace"/> services: where chains with numeric
/// and text comparisons, <c>in</c> lists, <c>contains</c>, <c>matches</c>, the intrinsics, <c>resource.*</c>
/// keys, counts (also count against count), direct comparisons, <c>not</c>, always/never blocks and detection
/// rules. On the typical trace some are violated and some are not (see <see cref="CheckMix"/>).
/// </summary>
public static class TypicalRules
{
    public const int Count = 100;

    // One rule per line; lines starting with "#" are section headings, not rules.
    private const string Source = """
        # Examples of dsl.md section 12
        when { payment.charge.where(amount > 1000).where(currency in [USD, EUR]) } always { fraud_check } never { skip_validation }
        when { "POST /checkout".where(span:status == ERROR) } always { error_logged }
        when { db.query.where(span:duration > 1.5s and resource.deployment.environment == prod) }
        when { http.server.where(span:kind == SERVER and span.http.response.status_code >= 500) } always { incident.created }
        when { db.query.where("data.contains_pii" == true) } always { audit.log.where(log_type == pii_audit) }
        when { count(http.retry) > 3 or count(http.request) != count(http.response) }
        # Payments
        when { payment.charge.where(amount >= 10000) } always { manual_review }
        when { payment.charge } always { payment.authorize.where(approved == true) }
        when { payment.charge.where(not (currency in [USD, EUR, GBP])) }
        when { payment.authorize.where(amount > 1000) } always { fraud_check.where(score < 50) }
        when { payment.charge } always { payment.capture } never { payment.refund }
        when { payment.charge.amount > 500 } always { "POST /checkout" }
        when { payment.charge.where(span.card.brand in [amex, diners]) } always { fraud_check.where("risk.score" < 0.05) }
        when { fraud_check.where(result != pass or score >= 80) } always { manual_review }
        when { fraud_check.where("risk.score" > 0.1) } always { payment.validate.where(valid) }
        when { payment.charge.where(span:duration > 250ms) } always { payment.authorize.where(span:duration < 200ms) }
        when { count(http.retry) >= 3 } never { payment.capture }
        when { payment.capture } always { payment.charge and payment.authorize and audit.log.where(log_type == payment_audit) }
        when { payment.charge.where(attempt > 1) }
        when { payment.charge.where(resource.pci.scope == true) } never { log.write.where(message matches "\d{16}") }
        when { payment.charge.where(span.card.last4 matches "^[0-9]{4}$") } always { payment.validate }
        when { "payment.charge".where(span:service != payment) }
        when { payment.charge.where(threeds == false and amount > 500) } always { manual_review }
        when { payment.authorize.where(psp in [adyen, stripe] and not approved) } always { payment.void }
        when { payment.charge.currency == USD } always { fraud_check }
        # HTTP
        when { http.request.where(span:status == ERROR) } always { http.retry }
        when { http.request.where("http.response.status_code" >= 500) } always { http.retry.where(attempt >= 2 and span:status == OK) }
        when { "GET /recommendations".where(span:duration > 1s) }
        when { http.server.where(span.http.request.method == POST and not span.http.route matches "^/v1/") }
        when { "POST /checkout" } always { auth.validate.where(verified and "auth.method" in [jwt, oauth2]) }
        when { "POST /checkout".where("http.response.status_code" == 200) } always { order.create and kafka.publish }
        when { "POST /checkout".where(span:duration > 2s) }
        when { http.request.where(span:kind != CLIENT) }
        when { http.server.where(span:kind == SERVER) } always { http.request }
        when { "GET /users/{id}" } always { auth.validate } never { "GET /users/{id}".where(span:status == ERROR) }
        when { http.request.where("server.address" contains "example.com") } always { http.request.where("http.response.status_code" < 300) }
        when { http.request.where("server.address" matches "^[a-z]+\.svc$" and span:status == ERROR) } always { circuit_breaker.open }
        when { http.response.where("http.response.status_code" >= 500) } always { log.write.where(level in [error, fatal]) }
        when { http.request.where("retry.count" > 0) } always { http.retry }
        when { "GET /recommendations".where(span:status == ERROR) } always { error_logged }
        when { "POST /checkout".where("client.tags" contains beta) } always { feature.flag.where("flag.enabled" == true) }
        when { "POST /checkout".where("user.tier" in [gold, platinum]) } never { rate_limit.check.where(limited) }
        when { "POST /checkout".where("request.size" > 1048576) }
        when { "GET /recommendations".where("error.type" == upstream_timeout) } always { incident.created }
        when { http.server.where("http.request.method" == GET and "http.response.status_code" in [500, 502, 503, 504]) }
        when { "GET /recommendations".where(span:kind == SERVER and span:status == ERROR) } always { http.request.where("server.address" == "reco.svc" and "retry.count" >= 1) }
        when { http.request.where(span:duration in [1000, 2000]) }
        # Databases and caches
        when { db.query.where("db.system" == postgresql and "db.rows" > 1000) }
        when { db.query.where("db.operation" in [UPDATE, DELETE, INSERT]) } always { audit.log }
        when { db.query.where("db.statement" matches "(?i)^select \*") } never { cache.get.where("cache.hit" == true) }
        when { db.query.where("db.statement" contains "DROP ") }
        when { count(db.query) > 5 }
        when { count(db.query) > count(cache.get) } always { cache.set }
        when { db.query.where(span:duration >= 1s) } always { cache.get.where("cache.hit" == false) }
        when { db.query.where(span:status == ERROR) }
        when { db.query.where(span:service == inventory and span:duration > 1000) }
        when { db.query.where(resource.cloud.region != "eu-west-1") }
        when { db.query.where(span.data.contains_pii) } always { audit.log.where(log_type == pii_audit) } never { log.write.where(message contains "u-48213") }
        when { cache.get.where(not span.cache.hit) } always { cache.set.where(ttl_s <= 3600) }
        when { db.query.where("db.statement" matches "(?i)\bwhere\b" and "db.operation" == UPDATE) } always { db.query.where("db.operation" == SELECT) }
        when { cache.get.where("cache.key" matches "^session:") } always { session.lookup.where(span.cache.hit) }
        # Messaging and notifications
        when { kafka.publish } always { kafka.consume }
        when { kafka.publish.where("messaging.destination.name" == orders) } always { kafka.consume.where(destination == orders and span:kind == CONSUMER) }
        when { kafka.consume.where(span:kind in [CONSUMER, SERVER]) } always { email.send.where(span:status != ERROR) }
        when { email.send.where(span:status == error) } always { email.retry }
        when { email.send.where(span:duration >= 5s) }
        when { count(kafka.publish) != count(kafka.consume) }
        when { kafka.publish.where("messaging.message.body.size" > 1000000) }
        when { email.send.where("error.type" in [timeout, refused]) } always { email.retry } never { email.drop }
        when { email.render.where(locale matches "^[a-z]{2}-[A-Z]{2}$") } always { email.send }
        when { sms.send.where(segments > 1) }
        when { sms.send.provider in [twilio, vonage] } always { http.request.where("server.address" == "sms.example.com") }
        # Resources and deployment
        when { "POST /checkout".where(resource.deployment.environment == prod) } never { feature.flag.where(variant == debug) }
        when { feature.flag.where(resource.canary == true) }
        when { kafka.consume.where(resource.canary) } always { sms.send }
        when { http.server.where(resource.service.version matches "^1\.") } never { gc.pause.where(gen >= 2) }
        when { "POST /checkout".where(resource.host.cores < 4) }
        when { http.server.where(span:service in [checkout, inventory]) } always { db.query }
        when { "GET /users/{id}".where(span:service == frontend) } always { db.query.where(span:service == users) }
        # Authentication, sessions and logs
        when { auth.validate.where(not verified) }
        when { session.update.where(ttl_s > 3600) }
        when { log.write.where(message matches "(?i)password|secret|token=") }
        when { log.write.where(level == warn) } always { metrics.emit }
        when { "GET /users/{id}".where("user.id" matches "^u-[0-9]+$") } always { auth.validate }
        # Orders, pricing and inventory
        when { order.create } always { payment.capture and inventory.reserve }
        when { order.create.where(items != 3) }
        when { order.create } always { email.send.where(span:status == OK) or sms.send }
        when { order.create } never { payment.refund or inventory.release }
        when { cart.load.where("cart.total" > 1000 and currency == USD) } always { pricing.compute.where("discount.pct" <= 20) }
        when { pricing.compute.where(coupon matches "^[A-Z]+[0-9]+$") } always { coupon.validate }
        when { inventory.check.where(sku contains "SKU-3003") } always { inventory.reserve.where(reserved) }
        # Counts and combinations
        when { count(http.retry) >= 2 } always { incident.created }
        when { count(payment.charge) != count(payment.capture) }
        when { count(http.request) > count(http.response) and count(http.retry) > 0 }
        when { count(cache.get) >= 3 } never { cache.set }
        when { "POST /checkout" and not fraud_check }
        when { not heartbeat }
        when { (payment.charge or payment.authorize) and not audit.log.where(log_type == payment_audit) }
        when { http.server.where(span:kind == SERVER) and (count(http.retry) > 2 or http.request.where(span:status == ERROR)) } always { incident.created }
        when { gc.pause.where(span:duration > 10ms and gen == 2) }
        """;

    /// <summary>The rule texts, in a fixed order.</summary>
    public static IReadOnlyList<string> Texts { get; } = Source
        .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Where(line => !line.StartsWith('#'))
        .ToArray();

    /// <summary>Compiles every rule; a rule that does not load is reported with its number and error.</summary>
    public static CompiledRule[] CompileAll()
    {
        if (Texts.Count != Count)
        {
            throw new InvalidOperationException($"the typical rule set has {Texts.Count} rules, not {Count}");
        }
        var rules = new CompiledRule[Texts.Count];
        for (var i = 0; i < Texts.Count; i++)
        {
            try
            {
                rules[i] = RuleCompiler.Compile(Texts[i]);
            }
            catch (DslException ex)
            {
                throw new InvalidOperationException($"typical rule {i + 1} does not load: {ex.Message}\n{Texts[i]}", ex);
            }
        }
        return rules;
    }

    /// <summary>
    /// Throws unless the rules give a mix on <paramref name="trace"/>: at least 10 violated and 10 not,
    /// so the benchmark exercises both outcomes. Returns the number violated.
    /// </summary>
    public static int CheckMix(IReadOnlyList<CompiledRule> rules, TraceView trace)
    {
        var violated = rules.Count(rule => rule.Evaluate(trace).Violated);
        if (violated < 10 || rules.Count - violated < 10)
        {
            throw new InvalidOperationException(
                $"{violated} of {rules.Count} typical rules are violated; the benchmark needs at least 10 of each outcome");
        }
        return violated;
    }
}
