using BeTrace.Gateway.Hosting;
using BeTrace.Silo.Hosting;

// The silo host. With no configuration it runs the embedded default: one silo, localhost clustering, grain
// storage in a SQLite file under ./data, and the OTLP gateway co-hosted. See docs/cluster.md for every option.
return await HostRunner.RunAsync("betrace silo", () => SiloHost.Build(args));
