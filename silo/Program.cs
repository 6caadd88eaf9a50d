using BeTrace.Silo.Hosting;

// The silo host. With no configuration it runs the embedded default: one silo, localhost clustering, grain
// storage in a SQLite file under ./data. See docs/operations.md for every option.
var app = SiloHost.Build(args);
app.Logger.LogInformation("BeTrace silo starting; admin endpoints on {Urls}", string.Join(", ", app.Urls));
await app.RunAsync();
return 0;
