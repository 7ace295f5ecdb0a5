// Start-up and per-invoke costs of the JS hosts (and of the C# reference client), against the official Node
// fixture server. A measurement, not a test: nothing here asserts timing.
//   dotnet run -c Release --project harness/Conformance.JsHosts.Bench -- [--invokes 1000] [--starts 5] [--hosts jint,chromium,node,csharp]
using System.Diagnostics;
using System.Text.Json;
using Conformance.JsHosts;
using Conformance.JsHosts.Chromium;
using Conformance.JsHosts.Jint;
using SocketCluster.Client;

int invokes = 1000, starts = 5;
string[] hosts = ["jint", "chromium", "node", "csharp"];
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--invokes" when i + 1 < args.Length: invokes = int.Parse(args[++i]); break;
        case "--starts" when i + 1 < args.Length: starts = int.Parse(args[++i]); break;
        case "--hosts" when i + 1 < args.Length: hosts = args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries); break;
        default:
            Console.Error.WriteLine("usage: Conformance.JsHosts.Bench [--invokes N] [--starts N] [--hosts jint,chromium,node,csharp]");
            return 2;
    }
}

Console.WriteLine($"{Environment.ProcessorCount} cores, load average {LoadAverage()}; {invokes} sequential invokes of customProc per host, {starts} warm starts");
var clock = Stopwatch.StartNew();
await using var server = await NodeFixtureServer.StartAsync();
Report("fixture server start (node)", clock.Elapsed);

foreach (var name in hosts)
{
    Console.WriteLine();
    Console.WriteLine($"== {name}");
    try
    {
        if (name == "csharp") await BenchCSharpClient(server.Port);
        else await BenchHost(name, server.Port);
    }
    catch (Exception e)
    {
        Console.WriteLine($"   failed: {e.Message}");
    }
}
await ChromiumBrowser.ShutdownAsync();
return 0;

async Task BenchHost(string name, int port)
{
    if (name == "jint")
    {
        var parse = Stopwatch.StartNew();
        _ = JintModules.Instance;
        Report("bundle + driver-core parse (PrepareModule, once per process)", parse.Elapsed);
    }
    ChromiumDriverHost.KeepSparePage = false; // measure real page starts first
    var first = Stopwatch.StartNew();
    var host = await JsDriverHosts.StartAsync(name);
    Report("first host start (cold: includes one-time costs below)", first.Elapsed);
    if (name == "chromium")
    {
        var (pw, launch) = ChromiumBrowser.StartupCost;
        Report("  Playwright driver start", pw);
        Report("  Chromium launch", launch);
    }
    var startTimes = new List<double>();
    for (int i = 0; i < starts; i++)
    {
        var sw = Stopwatch.StartNew();
        await using (await JsDriverHosts.StartAsync(name)) startTimes.Add(sw.Elapsed.TotalMilliseconds);
    }
    Report($"warm host start (mean of {starts}{(name == "jint" ? ": new engine, import prepared bundle" : name == "chromium" ? ": new page + driver.html + bundle import" : ": node process")})",
        TimeSpan.FromMilliseconds(startTimes.Average()));
    if (name == "chromium")
    {
        ChromiumDriverHost.KeepSparePage = true;
        await (await JsDriverHosts.StartAsync(name)).DisposeAsync(); // primes the spare page
        var spareTimes = new List<double>();
        for (int i = 0; i < starts; i++)
        {
            await Task.Delay(3000); // time for the spare page to load in the background, as during a scenario
            var sw = Stopwatch.StartNew();
            await using (await JsDriverHosts.StartAsync(name)) spareTimes.Add(sw.Elapsed.TotalMilliseconds);
        }
        Report($"host start with the spare page ready (mean of {starts})", TimeSpan.FromMilliseconds(spareTimes.Average()));
        ChromiumDriverHost.KeepSparePage = false; // no page loading in the background during the invoke loop
        await Task.Delay(3000);
    }

    await using (host)
    {
        var resets = new List<double>();
        for (int i = 0; i < starts; i++)
        {
            var sw = Stopwatch.StartNew();
            await ((IResettableJsDriverHost)host).ResetAsync();
            resets.Add(sw.Elapsed.TotalMilliseconds);
        }
        Report($"reset instead of a new host (mean of {starts}, no sockets open)", TimeSpan.FromMilliseconds(resets.Average()));
        var connect = Stopwatch.StartNew();
        var handle = (await Call(host, "connect", new { hostname = "127.0.0.1", port })).GetProperty("handle").GetInt32();
        await Call(host, "waitForEvent", handle, "connect", 30_000);
        Report("connect + handshake", connect.Elapsed);
        await Call(host, "invoke", handle, "customProc", 1); // first invoke
        var times = new double[invokes];
        for (int i = 0; i < Math.Min(100, invokes); i++) await Call(host, "invoke", handle, "customProc", i); // warm-up
        var total = Stopwatch.StartNew();
        for (int i = 0; i < invokes; i++)
        {
            long t0 = Stopwatch.GetTimestamp();
            var result = await Call(host, "invoke", handle, "customProc", i);
            times[i] = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
            if (result.GetProperty("data").GetString() != "Success") throw new InvalidOperationException(result.GetRawText());
        }
        ReportInvokes(total.Elapsed, times);
        var reset = Stopwatch.StartNew();
        await ((IResettableJsDriverHost)host).ResetAsync();
        Report("reset with one open socket (destroy + close handshake)", reset.Elapsed);
    }
}

async Task BenchCSharpClient(int port)
{
    var first = Stopwatch.StartNew();
    await using var socket = SocketClusterClient.Create(new ClientOptions { Hostname = "127.0.0.1", Port = port });
    var firstResult = await socket.InvokeAsync("customProc", (object?)1);
    Report("create + connect + first invoke", first.Elapsed);
    if (firstResult?.GetString() != "Success") throw new InvalidOperationException($"customProc answered {firstResult}");
    for (int i = 0; i < Math.Min(100, invokes); i++) await socket.InvokeAsync("customProc", (object?)i);
    var times = new double[invokes];
    var total = Stopwatch.StartNew();
    for (int i = 0; i < invokes; i++)
    {
        long t0 = Stopwatch.GetTimestamp();
        await socket.InvokeAsync("customProc", (object?)i);
        times[i] = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
    }
    ReportInvokes(total.Elapsed, times);
}

static async Task<JsonElement> Call(IJsDriverHost host, string command, params object[] args)
{
    var result = await host.CallAsync(command, args.Select(a => JsonSerializer.SerializeToElement(a)).ToArray());
    if (!result.GetProperty("ok").GetBoolean()) throw new InvalidOperationException($"{command}: {result.GetRawText()}");
    return result;
}

static void ReportInvokes(TimeSpan total, double[] times)
{
    Array.Sort(times);
    double P(double q) => times[Math.Min(times.Length - 1, (int)(q * times.Length))];
    Console.WriteLine($"   per invoke: mean {total.TotalMilliseconds / times.Length:F3} ms, p50 {P(0.50):F3} ms, p95 {P(0.95):F3} ms, max {times[^1]:F1} ms");
}

static void Report(string what, TimeSpan elapsed) => Console.WriteLine($"   {what}: {elapsed.TotalMilliseconds:F0} ms");

static string LoadAverage()
{
    try
    {
        return File.ReadAllText("/proc/loadavg").Split(' ')[0];
    }
    catch (IOException)
    {
        return "?";
    }
}
