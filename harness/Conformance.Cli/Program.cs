using Conformance.Cli;
using Spectre.Console;

// dotnet run --project harness/Conformance.Cli -- [--endpoint URL] [--level L1..L4] [--protocol 1|2] [--strict]
//   [--tags EXPR] [--report DIR] [--junit FILE] [--expectations FILE] [--allow-untested] [--require-level L1..L4]
//   [--clients csharp,node] [--legacy v14]
// Exit codes: 0 PASSED, 1 FAILED, 2 usage error or unreachable endpoint, 3 INCOMPLETE (applicable MUSTs untested).
using var interrupt = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    interrupt.Cancel();
};
var console = AnsiConsole.Console;
// Redirected output (CI logs) has no terminal width: keep plain lines unwrapped and the table at its natural width.
// Redirected stdout is a log even when stdin is a terminal (`conformance > log.txt`): no live display there, whatever
// Spectre detects (docs/ci-gate.md, "Output in CI logs").
if (Console.IsOutputRedirected)
{
    console.Profile.Width = 400;
    console.Profile.Capabilities.Interactive = false;
}
var gate = new Gate(console, Console.Error, settings => new EngineScenarioRunner(legacyV14: settings.LegacyV14, scenarioTimeout: settings.ScenarioTimeout,
    clientAdapters: settings.ClientAdapters, knownGood: settings.KnownGood, clusterEndpoints: settings.ClusterEndpoints, clusterNodes: settings.ClusterNodes));
try
{
    return await gate.RunAsync(args, interrupt.Token);
}
catch (OperationCanceledException) when (interrupt.IsCancellationRequested)
{
    Console.Error.WriteLine("conformance: interrupted");
    return 130;
}
