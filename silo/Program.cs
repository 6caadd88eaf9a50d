// The silo host is built by the cluster-core issue; until then this entry point says so plainly
// instead of pretending to serve.
Console.Error.WriteLine("betrace silo: not available yet in this build; use `betrace dsl eval` for offline evaluation (see README.md).");
return 2;
