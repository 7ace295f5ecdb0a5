// The load benchmark: each scenario against the C# sample (Release) and the official Node server 20.0.1 (the Node
// fixture of js-client-fixtures), in the same run, then a table with ratios, JSON and a chart.
//   dotnet run -c Release --project bench/SocketCluster.Benchmarks -- [--smoke] [--scenarios rpc,fanout,...]
//        [--servers csharp,node,attach=PORT:PID] [--idle N] [--window seconds] [--no-clients] [--out docs/benchmarks]
// A measurement, not a test: nothing asserts figures except --smoke, which checks every scenario did some work.
using System.Reflection;
using SocketCluster.Benchmarks;

var settings = new BenchSettings();
var scenarios = Scenarios.All.ToList();
string[] servers = ["csharp", "node"];
var clients = true;
var smoke = false;
string? outDir = null;
for (var i = 0; i < args.Length; i++)
{
    string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
    switch (args[i])
    {
        case "--smoke": smoke = true; settings = BenchSettings.Smoke; break;
        case "--scenarios": scenarios = [.. Value().Split(',', StringSplitOptions.RemoveEmptyEntries)]; break;
        case "--servers": servers = Value().Split(',', StringSplitOptions.RemoveEmptyEntries); break;
        case "--idle": settings = settings with { IdleConnections = int.Parse(Value()) }; break;
        case "--window": settings = settings with { Window = TimeSpan.FromSeconds(double.Parse(Value(), System.Globalization.CultureInfo.InvariantCulture)) }; break;
        case "--no-clients": clients = false; break;
        case "--out": outDir = Value(); break;
        default:
            Console.Error.WriteLine("usage: SocketCluster.Benchmarks [--smoke] [--scenarios " + string.Join(",", Scenarios.All)
                + "] [--servers csharp,node,attach=PORT:PID] [--idle N] [--window s] [--no-clients] [--out dir]");
            return 2;
    }
}
foreach (var s in scenarios)
    if (!Scenarios.All.Contains(s)) { Console.Error.WriteLine($"unknown scenario {s}"); return 2; }

var repoRoot = typeof(Scenarios).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
    .First(a => a.Key == "ConformanceRepoRoot").Value!;
var machine = Machine.Describe();
Console.WriteLine($"{DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {machine}");

var results = new List<Measurement>();
foreach (var serverName in servers)
{
    await using var server = serverName switch
    {
        "csharp" => await ServerProcess.StartCSharpAsync(repoRoot),
        "node" => await ServerProcess.StartNodeAsync(repoRoot),
        _ when serverName.StartsWith("attach=", StringComparison.Ordinal) => ServerProcess.Attach(serverName["attach=".Length..]),
        _ => throw new ArgumentException($"unknown server {serverName} (csharp, node)"),
    };
    var runner = new Scenarios(server, settings);
    foreach (var scenario in scenarios)
    {
        Console.Write($"{server.Name,-12} {scenario,-11} ");
        var m = await runner.RunAsync(scenario);
        results.Add(m);
        Console.WriteLine($"{m.Operations,9} ops in {m.Seconds:F1} s, server {m.ServerCpuMicrosPerOp,7:F1} µs CPU/op, load generator {m.LoadCpuMicrosPerOp,7:F1} µs/op"
            + (m.BytesPerConnection is { } b ? $", {b / 1024:F1} KB/conn, {m.ConnectionsAnsweringPings} answering pings" : ""));
    }
    if (clients && serverName == "csharp")
    {
        // A warm-up as long as the measurement: the C# client (like the server) spends its first thousands of invokes in the tiered JIT.
        int warmup = smoke ? 100 : 20000, invokes = smoke ? 500 : 20000;
        foreach (var client in new Func<Task<Measurement>>[]
        {
            () => Clients.CSharpAsync(server, warmup, invokes, 16),
            () => Clients.OfficialAsync(server, repoRoot, warmup, invokes, 16),
        })
        {
            var m = await client();
            results.Add(m);
            Console.WriteLine($"{m.Server,-12} {"client",-11} {m.Operations,9} invokes in {m.Seconds:F1} s, client {m.LoadCpuMicrosPerOp,7:F1} µs CPU/invoke");
        }
    }
}

var report = new BenchReport(DateTime.UtcNow, machine, smoke, results);
Console.WriteLine();
Console.WriteLine(report.Table());
if (outDir is not null)
{
    var dir = Path.GetFullPath(outDir);
    Directory.CreateDirectory(dir);
    report.Write(dir);
    Console.WriteLine($"wrote {Path.Combine(dir, BenchReport.JsonName)}, {Path.Combine(dir, BenchReport.ChartName)}, {Path.Combine(dir, BenchReport.TableName)}");
}
if (smoke)
{
    var idle = results.Where(r => r.Scenario == "idle").ToList();
    var failed = results.Where(r => r.Operations == 0).Select(r => $"{r.Server} {r.Scenario}: no operations")
        .Concat(idle.Where(r => r.ConnectionsAnsweringPings != r.Operations).Select(r => $"{r.Server} idle: {r.ConnectionsAnsweringPings}/{r.Operations} answering pings"))
        .ToList();
    foreach (var f in failed) Console.Error.WriteLine($"smoke: {f}");
    return failed.Count == 0 ? 0 : 1;
}
return 0;
