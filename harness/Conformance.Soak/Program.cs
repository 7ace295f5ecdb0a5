using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using SocketCluster.Client;
using SocketCluster.Sample.Fixture;

// Soak (issue 14 §4): usage: Conformance.Soak [--clients N] [--seconds M] [--endpoint ws://host:port/socketcluster/]
// Half the clients are steady subscribers of "soak" (never disconnected), a quarter publish numbered messages with
// invokePublish, the rest churn: echo invokes, reconnect waves, server-side kickOut and disconnect (conformance.*).
// Exit 0 when every acknowledged publication reached every steady subscriber in publisher order, every invoke got
// exactly one outcome, and (embedded server) sockets, channels and memory returned to the baseline; 1 otherwise.
var clients = 40;
var seconds = 20;
Uri? endpoint = null;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--clients": clients = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--seconds": seconds = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--endpoint": endpoint = new Uri(args[++i]); break;
        default:
            Console.Error.WriteLine($"soak: unknown argument {args[i]}\nusage: Conformance.Soak [--clients N] [--seconds M] [--endpoint URL]");
            return 2;
    }
}
if (clients < 4 || seconds < 1)
{
    Console.Error.WriteLine("soak: --clients must be at least 4 and --seconds at least 1");
    return 2;
}

await using var sample = endpoint is null ? await SampleServer.StartAsync() : null;
var url = endpoint ?? sample!.WebSocketUrl;
var server = sample?.Server;
Console.WriteLine($"soak: {clients} clients for {seconds} s against {(sample is null ? url.ToString() : $"the embedded C# sample at {url}")}");

long Memory()
{
    GC.Collect();
    GC.WaitForPendingFinalizers();
    GC.Collect();
    return GC.GetTotalMemory(true);
}
var baseline = server is null ? null : new { Sockets = server.ClientsCount + server.PendingClientsCount, Channels = ChannelCount(server), Memory = Memory() };

// The channel table: the in-memory broker's channels (another broker reports none here).
static int ChannelCount(SocketCluster.Server.SocketClusterServer server) =>
    server.Broker is SocketCluster.Server.Broker.InMemoryBroker broker ? broker.Channels.Count : 0;

ClientSocket NewClient() => SocketClusterClient.Create(new ClientOptions
{
    Hostname = url.Host, Port = url.Port, Path = url.AbsolutePath, AutoReconnectOptions = new AutoReconnectOptions { InitialDelay = TimeSpan.FromMilliseconds(100), Randomness = TimeSpan.FromMilliseconds(100), MaxDelay = TimeSpan.FromMilliseconds(500) },
});

var steadyCount = clients / 2;
var publisherCount = Math.Max(1, clients / 4);
var churnCount = clients - steadyCount - publisherCount;
var steady = Enumerable.Range(0, steadyCount).Select(_ => NewClient()).ToList();
var received = steady.Select(_ => new ConcurrentQueue<(int Publisher, int Seq)>()).ToList();
var consumers = new List<Task>();
for (var s = 0; s < steadyCount; s++)
{
    var channel = steady[s].Subscribe("soak");
    var queue = received[s];
    consumers.Add(Task.Run(async () =>
    {
        await foreach (var item in channel)
            if (item is { } data) queue.Enqueue((data.GetProperty("p").GetInt32(), data.GetProperty("seq").GetInt32()));
    }));
}
// Every steady subscriber is subscribed before the first publication (bounded wait).
var subscribeDeadline = Stopwatch.StartNew();
while (steady.Any(c => c.Channel("soak").State != ChannelState.Subscribed))
{
    if (subscribeDeadline.Elapsed > TimeSpan.FromSeconds(30)) { Console.WriteLine("soak: FAILED: steady subscribers did not subscribe within 30 s"); return 1; }
    await Task.Delay(50);
}

using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
var acked = new ConcurrentDictionary<int, ConcurrentQueue<int>>();
long publishFailures = 0, invokesStarted = 0, invokesResolved = 0, invokesFailed = 0, waves = 0, kicks = 0, serverDisconnects = 0;
var duplicateOutcomes = 0L;

var publishers = Enumerable.Range(0, publisherCount).Select(p => Task.Run(async () =>
{
    await using var client = NewClient();
    var mine = acked.GetOrAdd(p, _ => new ConcurrentQueue<int>());
    for (var seq = 0; !stop.IsCancellationRequested; seq++)
    {
        try
        {
            // One at a time: the next publication starts after the acknowledgement, so publisher order is well defined.
            await client.InvokePublishAsync("soak", new { p, seq });
            mine.Enqueue(seq);
        }
        catch (Exception)
        {
            Interlocked.Increment(ref publishFailures); // not acknowledged: not required to arrive
        }
    }
})).ToList();

var churners = Enumerable.Range(0, churnCount).Select(c => Task.Run(async () =>
{
    await using var client = NewClient();
    client.Subscribe($"soak-churn-{c}");
    var random = new Random(c);
    var outstanding = new List<Task>();
    while (!stop.IsCancellationRequested)
    {
        var id = Interlocked.Increment(ref invokesStarted);
        var settled = 0;
        outstanding.Add(client.InvokeAsync("conformance.echo", id).ContinueWith(t =>
        {
            if (Interlocked.Increment(ref settled) > 1) Interlocked.Increment(ref duplicateOutcomes);
            if (t.IsCompletedSuccessfully && t.Result is { } r && r.GetInt64() == id) Interlocked.Increment(ref invokesResolved);
            else Interlocked.Increment(ref invokesFailed); // error or timeout: an outcome all the same
        }, TaskScheduler.Default));
        switch (random.Next(40))
        {
            case 0:
                Interlocked.Increment(ref waves);
                client.Disconnect(4500 - 1, "soak wave");
                client.Connect();
                break;
            case 1:
                Interlocked.Increment(ref kicks);
                _ = client.InvokeAsync("conformance.kickOut", new { channel = $"soak-churn-{c}" }).ContinueWith(_ => client.Subscribe($"soak-churn-{c}"), TaskScheduler.Default);
                break;
            case 2:
                Interlocked.Increment(ref serverDisconnects);
                _ = client.InvokeAsync("conformance.disconnect", new { code = 4001 }).ContinueWith(_ => { }, TaskScheduler.Default);
                break;
        }
        await Task.Delay(random.Next(5, 30));
    }
    // Every invoke settles: by its response, an error, or the client's ackTimeout (bounded).
    await Task.WhenAll(outstanding).WaitAsync(TimeSpan.FromSeconds(30));
})).ToList();

await Task.WhenAll(publishers.Concat(churners));
await Task.Delay(2000); // deliveries in flight

var lost = 0L;
var disorder = 0L;
var acknowledged = acked.Values.Sum(q => q.Count);
for (var s = 0; s < steadyCount; s++)
{
    var got = received[s].ToArray();
    foreach (var (p, seqs) in acked)
    {
        var fromP = got.Where(g => g.Publisher == p).Select(g => g.Seq).ToList();
        for (var i = 1; i < fromP.Count; i++) if (fromP[i] <= fromP[i - 1]) disorder++;
        var set = fromP.ToHashSet();
        lost += seqs.Count(seq => !set.Contains(seq));
    }
}

foreach (var c in steady) await c.DisposeAsync();
await Task.WhenAll(consumers).WaitAsync(TimeSpan.FromSeconds(10)).ContinueWith(_ => { }, TaskScheduler.Default);

var failures = new List<string>();
Console.WriteLine($"soak: {acknowledged} acknowledged publications × {steadyCount} steady subscribers, {publishFailures} unacknowledged; lost {lost}, out of order {disorder}");
Console.WriteLine($"soak: {invokesStarted} invokes: {invokesResolved} resolved, {invokesFailed} failed or timed out, {invokesStarted - invokesResolved - invokesFailed} without outcome, {duplicateOutcomes} duplicated");
Console.WriteLine($"soak: churn: {waves} reconnect waves, {kicks} kickOuts, {serverDisconnects} server-side disconnects");
if (lost > 0) failures.Add($"{lost} acknowledged deliveries lost");
if (disorder > 0) failures.Add($"{disorder} deliveries out of publisher order");
if (invokesStarted != invokesResolved + invokesFailed) failures.Add("invokes without an outcome");
if (duplicateOutcomes > 0) failures.Add("duplicated invoke outcomes");
if (acknowledged == 0) failures.Add("no publication was acknowledged");

if (server is not null && baseline is not null)
{
    // Back to the baseline: every socket of the soak has gone (bounded wait), the channel table holds nothing of it.
    var settle = Stopwatch.StartNew();
    while ((server.ClientsCount + server.PendingClientsCount > baseline.Sockets || ChannelCount(server) > baseline.Channels) && settle.Elapsed < TimeSpan.FromSeconds(15))
        await Task.Delay(100);
    var after = new { Sockets = server.ClientsCount + server.PendingClientsCount, Channels = ChannelCount(server), Memory = Memory() };
    var growth = (after.Memory - baseline.Memory) / (1024.0 * 1024.0);
    Console.WriteLine($"soak: server baseline → after: sockets {baseline.Sockets} → {after.Sockets}, channels {baseline.Channels} → {after.Channels}, " +
        $"managed memory {baseline.Memory / 1048576.0:0.0} → {after.Memory / 1048576.0:0.0} MB ({growth:+0.0;-0.0} MB)");
    if (after.Sockets != baseline.Sockets) failures.Add($"{after.Sockets - baseline.Sockets} server sockets left open");
    if (after.Channels != baseline.Channels) failures.Add($"{after.Channels - baseline.Channels} channels left in the channel table");
    // Bound: 32 MB of managed memory above the baseline (caches, pooled buffers, JIT'd code), far below what one
    // leaked socket per operation would leave after thousands of operations.
    if (growth > 32) failures.Add($"managed memory grew by {growth:0.0} MB");
}
else Console.WriteLine("soak: server figures n/a (external endpoint): only the client-side checks apply");

Console.WriteLine(failures.Count == 0 ? "soak: PASSED (crashes 0, hangs 0, lost 0)" : "soak: FAILED: " + string.Join("; ", failures));
return failures.Count == 0 ? 0 : 1;
