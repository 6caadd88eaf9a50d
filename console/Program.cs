using BeTrace.Console;

return await BetraceCli.RunAsync(args, Console.In, Console.Out, Console.Error);
