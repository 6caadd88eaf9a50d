using System.CommandLine;
using BeTrace.Console.Output;
using BeTrace.Console.Violations;
using BeTrace.Grains.Interfaces.Violations;

namespace BeTrace.Console.Commands;

/// <summary>
/// <c>betrace violations verify [FILE|-] (--key-file F | --key K | $BETRACE_SIGNING_KEY)</c>: checks each violation's
/// HMAC-SHA256 signature (docs/violations.md) offline; no cluster is needed.
/// </summary>
public static class ViolationsVerifyCommand
{
    public static Command Build(CliIo io)
    {
        var file = new Argument<string>("FILE")
        {
            Description = "Violations as JSON lines (violations list --json) or OTLP/JSON with violation spans; '-' or nothing reads standard input.",
            DefaultValueFactory = _ => "-",
        };
        var key = new Option<string?>("--key") { Description = $"The signing key (visible in the process list: prefer --key-file or ${SigningKeySource.Variable}).", HelpName = "KEY" };
        var keyFile = new Option<string?>("--key-file") { Description = "A file holding the signing key, such as DATA/violation-signing.key.", HelpName = "FILE" };
        var json = RulesCommands.JsonOption("Print one JSON object per violation and line.");
        var command = new Command("verify", "Verify violation signatures with the signing key.") { file, key, keyFile, json };
        command.SetAction(result => DslCommands.Guard(io, () =>
        {
            var secret = SigningKeySource.Resolve(result.GetValue(key), result.GetValue(keyFile), io);
            var path = result.GetValue(file)!;
            var violations = SignedViolationReader.Read(io.ReadText(path), path == "-" ? "<stdin>" : path);
            if (violations.Count == 0)
            {
                throw new CliInputException("no violations in the input");
            }
            var asJson = result.GetValue(json);
            var table = new TextTable("RESULT", "VIOLATION", "RULE", "TRACE", "DETAIL");
            var failed = 0;
            foreach (var violation in violations)
            {
                var verdict = violation.Verify(secret);
                failed += verdict.Ok ? 0 : 1;
                if (asJson)
                {
                    io.Out.WriteLine(JsonOutput.Line(new
                    {
                        ViolationId = violation.Field(ViolationAttributes.Id),
                        RuleId = violation.Field(ViolationAttributes.RuleId),
                        TraceId = violation.Field(ViolationAttributes.TraceId),
                        Result = verdict.Code,
                        verdict.Detail,
                        violation.Where,
                    }));
                }
                else
                {
                    table.Add(verdict.Ok ? "ok" : "FAILED", violation.Field(ViolationAttributes.Id), violation.Field(ViolationAttributes.RuleId),
                        violation.Field(ViolationAttributes.TraceId), verdict.Ok ? verdict.Detail : $"{verdict.Detail} ({violation.Where})");
                }
            }
            if (!asJson)
            {
                table.WriteTo(io.Out);
            }
            io.Error.WriteLine($"{violations.Count - failed} of {violations.Count} violations verified");
            return failed == 0 ? ExitCodes.Ok : ExitCodes.BadSignature;
        }));
        return command;
    }
}
