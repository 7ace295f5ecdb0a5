using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Conformance.Engine.Support;
using SocketCluster.Client;

// Fan-out across nodes. Usage: SocketCluster.Server.Redis.Figures [--subscribers 100] [--messages 1000] [--latency-samples 1000]
var subscribers = Arg("--subscribers", 100);
var messages = Arg("--messages", 1000);
var latencySamples = Arg("--latency-samples", 1000);
int Arg(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], out var v) && v > 0 ? v
        : i >= 0 ? throw new ArgumentException($"{name} needs a positive integer") : fallback;
}

const string LatencyChannel = "latency";
var sample = FindSample();
await using var redis = await RedisServerProcess.StartNewAsync();
Console.WriteLine($"fan-out: {subscribers} subscribers, {messages} publications of ~40 bytes each (transmitPublish from one client), {Environment.ProcessorCount} cores");
Console.WriteLine("| setup | deliveries | wall s | deliveries/s | server CPU ms | server CPU µs/delivery |");
Console.WriteLine("|---|---|---|---|---|---|");
await FanOutAsync("1 node, in-memory broker", 1, useRedis: false);
await FanOutAsync("1 node, Redis broker", 1, useRedis: true);
await FanOutAsync("2 nodes, Redis broker", 2, useRedis: true);
await LatencyAsync();
return 0;

async Task FanOutAsync(string label, int nodeCount, bool useRedis)
{
    var nodes = new List<SampleNode>();
    try
    {
        for (var i = 0; i < nodeCount; i++) nodes.Add(await SampleNode.StartAsync(sample, useRedis ? redis.Configuration : null));
        var channel = $"fan-out-{Guid.NewGuid():N}";
        var clients = new List<ClientSocket>();
        var received = 0L;
        var expected = (long)subscribers * messages;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        for (var i = 0; i < subscribers; i++)
        {
            var client = Connect(nodes[i % nodes.Count]);
            clients.Add(client);
            var subscription = client.Subscribe(channel);
            _ = Task.Run(async () =>
            {
                await foreach (var _ in subscription)
                    if (Interlocked.Increment(ref received) == expected) done.TrySetResult();
            });
            await subscription.Listener("subscribe").OnceAsync(TimeSpan.FromSeconds(30));
        }
        var publisher = Connect(nodes[0]);
        clients.Add(publisher);
        await publisher.InvokePublishAsync("warm-up", 0);

        var cpuBefore = nodes.Sum(n => n.CpuTime.TotalMilliseconds);
        var wall = Stopwatch.StartNew();
        // At most `window` publications in flight: sustained throughput, not a burst that overflows bounded stream
        // buffers (which drop, by design, rather than grow without end).
        const int window = 20;
        for (var m = 0; m < messages; m++)
        {
            var deadline = DateTime.UtcNow.AddMinutes(1);
            while (Interlocked.Read(ref received) < (long)(m - window) * subscribers)
            {
                if (DateTime.UtcNow > deadline) throw new TimeoutException($"{label}: deliveries stalled at {Interlocked.Read(ref received)} of {expected}");
                await Task.Delay(1);
            }
            publisher.TransmitPublish(channel, new { m, text = "fan-out payload" });
        }
        if (await Task.WhenAny(done.Task, Task.Delay(TimeSpan.FromMinutes(3))) != done.Task)
            throw new TimeoutException($"{label}: {Interlocked.Read(ref received)} of {expected} deliveries within 3 minutes");
        wall.Stop();
        var cpu = nodes.Sum(n => n.CpuTime.TotalMilliseconds) - cpuBefore;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {label} | {expected} | {wall.Elapsed.TotalSeconds:0.00} | {expected / wall.Elapsed.TotalSeconds:0} | {cpu:0} | {cpu * 1000 / expected:0.00} |"));
        foreach (var client in clients) await client.DisposeAsync();
    }
    finally
    {
        foreach (var node in nodes) await node.DisposeAsync();
    }
}

async Task LatencyAsync()
{
    // Baseline: one node on the in-memory broker (no Redis hop at all).
    var memoryLatencies = new List<double>();
    await using (var alone = await SampleNode.StartAsync(sample, null))
    {
        await using var subscriber = Connect(alone);
        await using var soloPublisher = Connect(alone);
        var done = await CollectAsync(subscriber, memoryLatencies);
        await PublishTimestampsAsync(soloPublisher, done);
    }

    await using var node1 = await SampleNode.StartAsync(sample, redis.Configuration);
    await using var node2 = await SampleNode.StartAsync(sample, redis.Configuration);
    await using var same = Connect(node1);
    await using var cross = Connect(node2);
    await using var publisher = Connect(node1);
    var sameLatencies = new List<double>();
    var crossLatencies = new List<double>();
    var sameDone = await CollectAsync(same, sameLatencies);
    var crossDone = await CollectAsync(cross, crossLatencies);
    await PublishTimestampsAsync(publisher, Task.WhenAll(sameDone, crossDone));

    double P(List<double> xs, double q) { var s = xs.Order().ToList(); return s[(int)Math.Min(s.Count - 1, Math.Floor(q * s.Count))]; }
    Console.WriteLine();
    Console.WriteLine($"latency (publish to delivery, one clock), {latencySamples} publications 2 ms apart; with Redis every delivery, same-node ones too, goes through Redis:");
    Console.WriteLine("| delivery | p50 ms | p99 ms |");
    Console.WriteLine("|---|---|---|");
    void Row(string label, List<double> xs) => Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {label} | {P(xs, 0.5):0.000} | {P(xs, 0.99):0.000} |"));
    Row("1 node, in-memory broker", memoryLatencies);
    Row("same node, Redis broker (2 nodes)", sameLatencies);
    Row("cross node, Redis broker (2 nodes)", crossLatencies);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| added by crossing (cross − same) | {P(crossLatencies, 0.5) - P(sameLatencies, 0.5):0.000} | {P(crossLatencies, 0.99) - P(sameLatencies, 0.99):0.000} |"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| added by the cluster (cross − in-memory) | {P(crossLatencies, 0.5) - P(memoryLatencies, 0.5):0.000} | {P(crossLatencies, 0.99) - P(memoryLatencies, 0.99):0.000} |"));
}

// Subscribed (acknowledged); returns the task that ends after latencySamples publications.
async Task<Task> CollectAsync(ClientSocket client, List<double> into)
{
    var subscription = client.Subscribe(LatencyChannel);
    var collecting = Task.Run(async () =>
    {
        await foreach (var data in subscription)
        {
            into.Add(Stopwatch.GetElapsedTime(data!.Value.GetProperty("t").GetInt64()).TotalMilliseconds);
            if (into.Count == latencySamples) return;
        }
    });
    await subscription.Listener("subscribe").OnceAsync(TimeSpan.FromSeconds(30));
    return collecting;
}

async Task PublishTimestampsAsync(ClientSocket publisher, Task allCollected)
{
    // One publication every 2 ms: latency, not throughput (no queueing behind earlier publications).
    for (var i = 0; i < latencySamples; i++)
    {
        publisher.TransmitPublish(LatencyChannel, new { t = Stopwatch.GetTimestamp() });
        await Task.Delay(2);
    }
    if (await Task.WhenAny(allCollected, Task.Delay(TimeSpan.FromMinutes(1))) != allCollected)
        throw new TimeoutException("latency samples did not all arrive within a minute");
}

static ClientSocket Connect(SampleNode node) =>
    SocketClusterClient.Create(new ClientOptions { Hostname = "127.0.0.1", Port = node.Port, AutoReconnect = false });

static string FindSample()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        var dll = Path.Combine(dir.FullName, "reference", "SocketCluster.Sample", "bin", "Release", "net10.0", "SocketCluster.Sample.dll");
        if (File.Exists(dll)) return dll;
    }
    throw new FileNotFoundException("SocketCluster.Sample.dll (Release) not found: dotnet build Conformance.sln -c Release");
}

/// <summary>One sample node process (its CPU time is the server's); stops when disposed (stdin closes).</summary>
sealed class SampleNode : IAsyncDisposable
{
    private readonly Process _process;
    private SampleNode(Process process, int port) { _process = process; Port = port; }
    public int Port { get; }
    public TimeSpan CpuTime { get { _process.Refresh(); return _process.TotalProcessorTime; } }

    public static async Task<SampleNode> StartAsync(string sampleDll, string? redis)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { sampleDll, "--port", "0", "--exit-on-stdin-close" }) info.ArgumentList.Add(a);
        if (redis is not null) { info.ArgumentList.Add("--redis"); info.ArgumentList.Add(redis); }
        var process = Process.Start(info)!;
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            var line = await process.StandardOutput.ReadLineAsync(timeout.Token) ?? throw new InvalidOperationException("the sample exited before LISTENING");
            if (line.StartsWith("LISTENING ", StringComparison.Ordinal)) return new SampleNode(process, int.Parse(line[10..], CultureInfo.InvariantCulture));
        }
    }

    public async ValueTask DisposeAsync()
    {
        try { _process.StandardInput.Close(); } catch (IOException) { }
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try { await _process.WaitForExitAsync(wait.Token); }
        catch (OperationCanceledException) { _process.Kill(); await _process.WaitForExitAsync(); }
        _process.Dispose();
    }
}
