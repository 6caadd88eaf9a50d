using BeTrace.Console;

return BetraceCli.Run(args, Console.In, Console.Out, Console.Error);
