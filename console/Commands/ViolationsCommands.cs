using System.CommandLine;

namespace BeTrace.Console.Commands;

/// <summary><c>betrace violations …</c>: the tenant's recent violations, followed live, and signature checks.</summary>
public static class ViolationsCommands
{
    public static Command Build(CliIo io)
    {
        var violations = new Command("violations", "Show and follow recent violations; verify violation signatures.");
        violations.Subcommands.Add(ViolationsListCommand.Build(io));
        violations.Subcommands.Add(ViolationsTailCommand.Build(io));
        violations.Subcommands.Add(ViolationsVerifyCommand.Build(io));
        return violations;
    }
}
