using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;

namespace SocketCluster.Benchmarks;

/// <summary>Sizes of one run; <see cref="Smoke"/> is the seconds-long CI version.</summary>
public sealed record BenchSettings
{
    /// <summary>The shortest warm-up; it goes on while the server's CPU per operation still falls (see MeasureWindowAsync).</summary>
    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(2);
    /// <summary>The longest warm-up: a server whose CPU per operation has not settled by then is measured as it is.</summary>
    public TimeSpan MaxWarmup { get; init; } = TimeSpan.FromSeconds(30);
    public TimeSpan Window { get; init; } = TimeSpan.FromSeconds(5);
    public int RpcConnections { get; init; } = 20;
    public int RpcInFlight { get; init; } = 16;
    public int FanoutSubscribers { get; init; } = 1000;
    public int Channels { get; init; } = 100;
    public int SubscribersPerChannel { get; init; } = 10;
    public int PublishWindow { get; init; } = 4;
    public int ExchangeSubscribers { get; init; } = 100;
    public int TransmitConnections { get; init; } = 20;
    public int TransmitBatch { get; init; } = 100;
    public int HandshakeParallel { get; init; } = 16;
    public int IdleConnections { get; init; } = 5000;
    public int LatencyRate { get; init; } = 2000;
    public int ConnectParallel { get; init; } = 32;

    public static BenchSettings Smoke => new()
    {
        Warmup = TimeSpan.FromMilliseconds(200), MaxWarmup = TimeSpan.FromMilliseconds(200), Window = TimeSpan.FromMilliseconds(500), RpcConnections = 4,
        FanoutSubscribers = 50, Channels = 5, SubscribersPerChannel = 4, ExchangeSubscribers = 20, TransmitConnections = 4,
        HandshakeParallel = 4, IdleConnections = 100, LatencyRate = 200,
    };
}

/// <summary>One scenario on one server: operations in the measured window and the CPU both processes spent on them.</summary>
public sealed record Measurement(string Scenario, string Server, string Unit, long Operations, double Seconds,
    double ServerCpuSeconds, double LoadCpuSeconds)
{
    public double OpsPerSecond => Operations / Seconds;
    public double ServerCpuMicrosPerOp => Operations == 0 ? double.NaN : ServerCpuSeconds * 1e6 / Operations;
    public double LoadCpuMicrosPerOp => Operations == 0 ? double.NaN : LoadCpuSeconds * 1e6 / Operations;
    public double? BytesPerConnection { get; init; }
    public int? ConnectionsAnsweringPings { get; init; }
    public double? P50Ms { get; init; }
    public double? P99Ms { get; init; }
    public double? P999Ms { get; init; }
}

/// <summary>The load scenarios (closed loops of raw frames); every wait has a deadline.</summary>
public sealed class Scenarios(ServerProcess server, BenchSettings settings)
{
    public static readonly string[] All = ["rpc", "fanout", "channels", "exchange", "transmit", "handshakes", "idle", "latency"];

    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);
    private static long _uniqueChannel;

    public Task<Measurement> RunAsync(string name) => name switch
    {
        "rpc" => RpcAsync(),
        "fanout" => FanoutAsync(),
        "channels" => ChannelsAsync(),
        "exchange" => ExchangeAsync(),
        "transmit" => TransmitAsync(),
        "handshakes" => HandshakesAsync(),
        "idle" => IdleAsync(),
        "latency" => LatencyAsync(),
        _ => throw new ArgumentException($"unknown scenario {name}; known: {string.Join(", ", All)}"),
    };

    /// <summary>RPC round trips: customProc with small data, a fixed number in flight per connection.</summary>
    private async Task<Measurement> RpcAsync()
    {
        using var cts = new CancellationTokenSource(Deadline);
        var connections = await RawConnection.ConnectManyAsync(server.Url, settings.RpcConnections, settings.ConnectParallel, cts.Token);
        long done = 0;
        var frame = RawConnection.Request("customProc", "{\"n\":1}", 2); // the server echoes the cid; it need not be unique
        var stop = new CancellationTokenSource();
        var loops = connections.Select(c => ClosedLoopAsync(c, frame, settings.RpcInFlight, () => Interlocked.Increment(ref done), stop.Token)).ToArray();
        var m = await MeasureWindowAsync("rpc", "round trip", () => Volatile.Read(ref done));
        await StopAsync(stop, loops, connections);
        return m;
    }

    /// <summary>Sends <paramref name="frame"/> with at most <paramref name="inFlight"/> unanswered, until stopped.</summary>
    private static async Task ClosedLoopAsync(RawConnection connection, byte[] frame, int inFlight, Action onResponse, CancellationToken stop)
    {
        using var window = new SemaphoreSlim(inFlight, inFlight);
        connection.OnResponse = _ =>
        {
            onResponse();
            window.Release();
        };
        try
        {
            while (!stop.IsCancellationRequested)
            {
                await window.WaitAsync(stop);
                await connection.SendAsync(frame);
            }
        }
        catch (OperationCanceledException)
        {
        }
        // Let the answers still on their way arrive before the semaphore goes away (bounded).
        for (var i = 0; i < inFlight; i++)
            if (!await window.WaitAsync(TimeSpan.FromSeconds(10))) break;
        connection.OnResponse = null;
    }

    /// <summary>Client publish → every subscriber of one channel (1 → N); the publisher is also subscribed.</summary>
    private async Task<Measurement> FanoutAsync()
    {
        using var cts = new CancellationTokenSource(Deadline);
        var channel = NewChannel();
        var subscribers = await RawConnection.ConnectManyAsync(server.Url, settings.FanoutSubscribers, settings.ConnectParallel, cts.Token);
        long deliveries = 0;
        foreach (var s in subscribers) s.OnPublish = () => Interlocked.Increment(ref deliveries);
        await SubscribeAllAsync(subscribers, channel, cts.Token);
        var stop = new CancellationTokenSource();
        var loop = PublishLoopAsync(subscribers[0], channel, () => Interlocked.Increment(ref deliveries), stop.Token);
        var m = await MeasureWindowAsync("fanout", $"delivery (1→{settings.FanoutSubscribers})", () => Volatile.Read(ref deliveries));
        await StopAsync(stop, [loop], subscribers);
        return m;
    }

    /// <summary>Many channels: each has subscribers, and its first subscriber publishes to it.</summary>
    private async Task<Measurement> ChannelsAsync()
    {
        using var cts = new CancellationTokenSource(Deadline);
        var all = await RawConnection.ConnectManyAsync(server.Url, settings.Channels * settings.SubscribersPerChannel, settings.ConnectParallel, cts.Token);
        long deliveries = 0;
        foreach (var s in all) s.OnPublish = () => Interlocked.Increment(ref deliveries);
        var groups = all.Chunk(settings.SubscribersPerChannel).Select(g => (Channel: NewChannel(), Members: g)).ToArray();
        foreach (var (channel, members) in groups) await SubscribeAllAsync(members, channel, cts.Token);
        var stop = new CancellationTokenSource();
        var loops = groups.Select(g => PublishLoopAsync(g.Members[0], g.Channel, () => Interlocked.Increment(ref deliveries), stop.Token)).ToArray();
        var m = await MeasureWindowAsync("channels", $"delivery ({settings.Channels} ch × {settings.SubscribersPerChannel})", () => Volatile.Read(ref deliveries));
        await StopAsync(stop, loops, all);
        return m;
    }

    /// <summary>
    /// Publishes to <paramref name="channel"/> with a window of publications in flight, counted back by the
    /// publisher's own delivery (it is a subscriber too), so the servers' queues stay bounded.
    /// </summary>
    private async Task PublishLoopAsync(RawConnection publisher, string channel, Action onDelivery, CancellationToken stop)
    {
        using var window = new SemaphoreSlim(settings.PublishWindow, settings.PublishWindow);
        publisher.OnPublish = () =>
        {
            onDelivery();
            window.Release();
        };
        var frame = Encoding.UTF8.GetBytes($"{{\"event\":\"#publish\",\"data\":{{\"channel\":\"{channel}\",\"data\":{{\"n\":1,\"text\":\"hello subscribers\"}}}}}}");
        try
        {
            while (!stop.IsCancellationRequested)
            {
                await window.WaitAsync(stop);
                await publisher.SendAsync(frame);
            }
        }
        catch (OperationCanceledException)
        {
        }
        for (var i = 0; i < settings.PublishWindow; i++)
            if (!await window.WaitAsync(TimeSpan.FromSeconds(10))) break;
    }

    /// <summary>Server exchange publishes (conformance.publish → exchange.transmitPublish) to N subscribers.</summary>
    private async Task<Measurement> ExchangeAsync()
    {
        using var cts = new CancellationTokenSource(Deadline);
        var channel = NewChannel();
        var subscribers = await RawConnection.ConnectManyAsync(server.Url, settings.ExchangeSubscribers, settings.ConnectParallel, cts.Token);
        long deliveries = 0;
        foreach (var s in subscribers) s.OnPublish = () => Interlocked.Increment(ref deliveries);
        await SubscribeAllAsync(subscribers, channel, cts.Token);
        var invoker = subscribers[0];
        using var window = new SemaphoreSlim(settings.PublishWindow, settings.PublishWindow);
        invoker.OnPublish = () =>
        {
            Interlocked.Increment(ref deliveries);
            window.Release();
        };
        var frame = RawConnection.Request("conformance.publish", $"{{\"channel\":\"{channel}\",\"data\":{{\"n\":1}}}}", 2);
        var stop = new CancellationTokenSource();
        var loop = Task.Run(async () =>
        {
            try
            {
                while (!stop.IsCancellationRequested)
                {
                    await window.WaitAsync(stop.Token);
                    await invoker.SendAsync(frame);
                }
            }
            catch (OperationCanceledException)
            {
            }
            for (var i = 0; i < settings.PublishWindow; i++)
                if (!await window.WaitAsync(TimeSpan.FromSeconds(10))) break;
        });
        var m = await MeasureWindowAsync("exchange", $"delivery (exchange → {settings.ExchangeSubscribers})", () => Volatile.Read(ref deliveries));
        await StopAsync(stop, [loop], subscribers);
        return m;
    }

    /// <summary>Client transmits (customRemoteEvent), in batches each closed by one invoke (processed in order).</summary>
    private async Task<Measurement> TransmitAsync()
    {
        using var cts = new CancellationTokenSource(Deadline);
        var connections = await RawConnection.ConnectManyAsync(server.Url, settings.TransmitConnections, settings.ConnectParallel, cts.Token);
        long transmits = 0;
        var transmit = RawConnection.Transmit("customRemoteEvent", "{\"n\":1,\"text\":\"hello server\"}");
        var fence = RawConnection.Request("customProc", "null", 2);
        var stop = new CancellationTokenSource();
        var loops = connections.Select(c => Task.Run(async () =>
        {
            var answered = new SemaphoreSlim(0);
            c.OnResponse = _ => answered.Release();
            while (!stop.IsCancellationRequested)
            {
                for (var i = 0; i < settings.TransmitBatch; i++) await c.SendAsync(transmit);
                await c.SendAsync(fence);
                if (!await answered.WaitAsync(TimeSpan.FromSeconds(30))) throw new TimeoutException("transmit fence not answered in 30 s");
                Interlocked.Add(ref transmits, settings.TransmitBatch);
            }
        })).ToArray();
        var m = await MeasureWindowAsync("transmit", "transmit", () => Volatile.Read(ref transmits));
        await StopAsync(stop, loops, connections);
        return m;
    }

    /// <summary>Connection storm: connect, #handshake, close, in parallel loops.</summary>
    private async Task<Measurement> HandshakesAsync()
    {
        long handshakes = 0;
        var stop = new CancellationTokenSource();
        var loops = Enumerable.Range(0, settings.HandshakeParallel).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                var c = await RawConnection.ConnectAsync(server.Url, cts.Token);
                Interlocked.Increment(ref handshakes);
                await c.DisposeAsync();
            }
        })).ToArray();
        var m = await MeasureWindowAsync("handshakes", "handshake", () => Volatile.Read(ref handshakes));
        await StopAsync(stop, loops, []);
        return m;
    }

    /// <summary>Idle connections held: server memory per connection, then every connection must keep answering pings.</summary>
    private async Task<Measurement> IdleAsync()
    {
        using var cts = new CancellationTokenSource(Deadline + Deadline);
        await Task.Delay(1000); // let the previous scenario's sockets go
        var before = server.ResidentBytes;
        var cpu0 = server.CpuTime;
        var clock = Stopwatch.StartNew();
        var connections = await RawConnection.ConnectManyAsync(server.Url, settings.IdleConnections, settings.ConnectParallel, cts.Token);
        await Task.Delay(2000);
        var after = server.ResidentBytes;
        // Each connection must answer at least two more pings (pingInterval 2 s): a wait of about 4-6 s, deadline 30 s.
        var pings = connections.Select(c => c.PingsAnswered).ToArray();
        var waitUntil = Stopwatch.StartNew();
        int answering;
        do
        {
            await Task.Delay(500);
            answering = connections.Where((c, i) => c.IsOpen && c.PingsAnswered >= pings[i] + 2).Count();
        } while (answering < connections.Length && waitUntil.Elapsed < TimeSpan.FromSeconds(30));
        var m = new Measurement("idle", server.Name, "connection held", connections.Length, clock.Elapsed.TotalSeconds,
            (server.CpuTime - cpu0).TotalSeconds, 0)
        {
            BytesPerConnection = (after - before) / (double)connections.Length,
            ConnectionsAnsweringPings = answering,
        };
        await RawConnection.DisposeAllAsync(connections);
        return m;
    }

    /// <summary>Latency at a fixed offered rate of customProc calls spread over the RPC connections.</summary>
    private async Task<Measurement> LatencyAsync()
    {
        using var cts = new CancellationTokenSource(Deadline);
        var connections = await RawConnection.ConnectManyAsync(server.Url, settings.RpcConnections, settings.ConnectParallel, cts.Token);
        var sent = new ConcurrentDictionary<(int, long), long>();
        var latencies = new ConcurrentBag<long>();
        var measuring = false;
        for (var i = 0; i < connections.Length; i++)
        {
            var index = i;
            connections[i].OnResponse = rid =>
            {
                if (sent.TryRemove((index, rid), out var t0) && Volatile.Read(ref measuring)) latencies.Add(Stopwatch.GetTimestamp() - t0);
            };
        }
        var stop = new CancellationTokenSource();
        var sender = Task.Run(async () =>
        {
            // Offered load: every millisecond tick sends what the rate owes since the start (no coordinated omission by a slow loop).
            var start = Stopwatch.GetTimestamp();
            long issued = 0;
            using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(1));
            while (!stop.IsCancellationRequested && await timer.WaitForNextTickAsync())
            {
                var owed = (long)(Stopwatch.GetElapsedTime(start).TotalSeconds * settings.LatencyRate);
                for (; issued < owed; issued++)
                {
                    var index = (int)(issued % connections.Length);
                    var c = connections[index];
                    var cid = c.NextCid();
                    sent[(index, cid)] = Stopwatch.GetTimestamp();
                    await c.SendAsync(RawConnection.Request("customProc", "{\"n\":1}", cid));
                }
            }
        });
        await Task.Delay(settings.Warmup);
        Volatile.Write(ref measuring, true);
        var m = await MeasureWindowAsync("latency", $"round trip at {settings.LatencyRate}/s", () => latencies.Count, warmup: false);
        Volatile.Write(ref measuring, false);
        await StopAsync(stop, [sender], connections);
        var sorted = latencies.Select(t => t * 1000.0 / Stopwatch.Frequency).Order().ToArray();
        double P(double q) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
        return m with { P50Ms = P(0.50), P99Ms = P(0.99), P999Ms = P(0.999) };
    }

    private static string NewChannel() => $"bench.{Environment.ProcessId}.{Interlocked.Increment(ref _uniqueChannel)}";

    private static async Task SubscribeAllAsync(IReadOnlyList<RawConnection> connections, string channel, CancellationToken cancellationToken)
    {
        // Subscribed when the server answers (rid of the #subscribe); the counters are reset by the measurement window.
        await Parallel.ForEachAsync(connections, new ParallelOptions { MaxDegreeOfParallelism = 32, CancellationToken = cancellationToken }, async (c, ct) =>
        {
            var answered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            c.OnResponse = _ => answered.TrySetResult();
            await c.SendAsync(RawConnection.Request("#subscribe", $"{{\"channel\":\"{channel}\"}}", c.NextCid()));
            await answered.Task.WaitAsync(TimeSpan.FromSeconds(30), ct);
            c.OnResponse = null;
        });
    }

    /// <summary>Runs the warm-up, then takes counters at the start and end of the measured window.</summary>
    private async Task<Measurement> MeasureWindowAsync(string scenario, string unit, Func<long> operations, bool warmup = true)
    {
        if (warmup) await WarmUpAsync(operations);
        var self = Process.GetCurrentProcess();
        var ops0 = operations();
        var cpu0 = server.CpuTime;
        var load0 = self.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        await Task.Delay(settings.Window);
        var ops = operations() - ops0;
        var seconds = clock.Elapsed.TotalSeconds;
        var cpu = (server.CpuTime - cpu0).TotalSeconds;
        self.Refresh();
        var load = (self.TotalProcessorTime - load0).TotalSeconds;
        return new Measurement(scenario, server.Name, unit, ops, seconds, cpu, load);
    }

    /// <summary>
    /// Loads the server until its CPU per operation has settled: at least <see cref="BenchSettings.Warmup"/>, then
    /// one-second slices until the last three are within 10% of each other (at most <see cref="BenchSettings.MaxWarmup"/>).
    /// A .NET server spends its first seconds of a new load compiling and re-compiling the hot path (tiered JIT with
    /// profile-guided optimisation), longer on a loaded machine: a fixed one-second warm-up measured that compilation
    /// (2.6× the settled CPU per RPC), not the server. Node's JIT settles the same way; both servers get the same rule.
    /// </summary>
    private async Task WarmUpAsync(Func<long> operations)
    {
        var clock = Stopwatch.StartNew();
        await Task.Delay(settings.Warmup);
        var slices = new List<double>();
        while (clock.Elapsed < settings.MaxWarmup)
        {
            var ops0 = operations();
            var cpu0 = server.CpuTime;
            await Task.Delay(TimeSpan.FromSeconds(1));
            var ops = operations() - ops0;
            if (ops == 0) return; // nothing to settle (or the load stalled: the window shows it)
            slices.Add((server.CpuTime - cpu0).TotalSeconds / ops);
            if (slices.Count >= 3 && slices[^3..].Max() <= 1.1 * slices[^3..].Min()) return;
        }
    }

    private static async Task StopAsync(CancellationTokenSource stop, Task[] loops, IEnumerable<RawConnection> connections)
    {
        stop.Cancel();
        try
        {
            await Task.WhenAll(loops).WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (Exception e) when (e is OperationCanceledException or TimeoutException)
        {
        }
        await RawConnection.DisposeAllAsync(connections);
    }
}
