using BeTrace.Silo.Hosting;

// The silo host. With no configuration it runs the embedded default: one silo, localhost clustering, grain
// storage in a SQLite file under ./data. See docs/operations.md for every option.
WebApplication app;
try
{
    app = SiloHost.Build(args);
}
catch (Exception ex) when (ex is InvalidOperationException or FormatException or ArgumentException)
{
    Console.Error.WriteLine($"betrace silo: invalid configuration: {ex.Message}");
    return 2;
}

try
{
    await app.RunAsync();
    return 0;
}
catch (Exception ex)
{
    // Start-up failures (database unreachable, port in use) end the process with one clear line, not a crash dump.
    app.Logger.LogCritical(ex, "BeTrace silo stopped on an error");
    Console.Error.WriteLine($"betrace silo: {ex.GetBaseException().Message}");
    return 1;
}
