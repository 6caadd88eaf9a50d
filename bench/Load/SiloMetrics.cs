namespace BeTrace.Bench.Load;

/// <summary>The /metrics series the load run reads (Prometheus names as the silo exposes them).</summary>
internal static class SiloMetrics
{
    public const string TracesEvaluated = "betrace_traces_evaluated_total";
    public const string TracesActive = "betrace_traces_active";
    public const string SpansAccepted = "betrace_spans_accepted_total";
    public const string SpansDropped = "betrace_spans_dropped_total";
    public const string Violations = "betrace_violations_total";
    public const string EvaluationSum = "betrace_evaluation_duration_milliseconds_sum";
    public const string EvaluationCount = "betrace_evaluation_duration_milliseconds_count";
    public const string EvaluationBucket = "betrace_evaluation_duration_milliseconds_bucket";
    public const string GatewayRequests = "betrace_gateway_requests_total";
    public const string GatewayInFlight = "betrace_gateway_inflight";
    public const string CpuSeconds = "dotnet_process_cpu_time_seconds_total";
    public const string WorkingSet = "dotnet_process_memory_working_set_bytes";
    public const string Allocated = "dotnet_gc_heap_total_allocated_bytes_total";
    public const string GcPause = "dotnet_gc_pause_time_seconds_total";
    public const string GcCollections = "dotnet_gc_collections_total";
    public const string HeapSize = "dotnet_gc_last_collection_heap_size_bytes";
    public const string HeapFragmentation = "dotnet_gc_last_collection_heap_fragmentation_size_bytes";
    public const string Committed = "dotnet_gc_last_collection_memory_committed_size_bytes";
    public const string LockContentions = "dotnet_monitor_lock_contentions_total";
    public const string ThreadPoolThreads = "dotnet_thread_pool_thread_count";
    public const string Activations = "orleans_catalog_activations";
    public const string GrainCallSum = "orleans_app_requests_latency_milliseconds_sum";
    public const string GrainCallCount = "orleans_app_requests_latency_milliseconds_count";
}
