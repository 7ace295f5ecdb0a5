namespace Conformance.Engine.Support;

/// <summary>The nodes of one cluster under test (node 1 is the server under test of every other scenario).</summary>
public sealed record ServerCluster(IReadOnlyList<ServerEndpoint> Nodes, IClusterControl? Control)
{
    /// <summary>Node <paramref name="number"/>, counted from 1 as the steps name them.</summary>
    public ServerEndpoint Node(int number) => number >= 1 && number <= Nodes.Count ? Nodes[number - 1]
        : throw new InvalidOperationException($"The cluster has {Nodes.Count} node(s); node {number} does not exist (the scenario needs more nodes than the run gives)");
}

/// <summary>
/// Process control over a cluster's nodes and broker (@cluster-control scenarios, CL-008/CL-009): offered only for a
/// cluster the suite started itself; an implementer's nodes are theirs to restart.
/// </summary>
public interface IClusterControl
{
    /// <summary>Stops the node abruptly: its sockets drop without a close handshake.</summary>
    Task StopNodeAsync(int number, CancellationToken cancellation);

    /// <summary>Starts the node again at the same URL and returns once it accepts connections.</summary>
    Task StartNodeAsync(int number, CancellationToken cancellation);

    /// <summary>Kills the broker process (as in a crash).</summary>
    Task StopBrokerAsync(CancellationToken cancellation);

    /// <summary>Starts the broker again and returns once every running node is connected to it again.</summary>
    Task StartBrokerAsync(CancellationToken cancellation);
}

/// <summary>
/// SC_TARGET=cluster / --cluster N: a redis-server on a free port and N C# reference sample nodes (fixture app included)
/// in-process on it, each on its own port kept across restarts.
/// </summary>
public sealed class RedisClusterTarget(EngineSettings settings) : IServerTarget, IClusterControl
{
    private static readonly TimeSpan ReconnectTimeout = TimeSpan.FromSeconds(20);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private RedisServerProcess? _redis;
    private IEmbeddedServer?[] _nodes = [];
    private int[] _ports = [];

    public ServerCluster? Cluster { get; private set; }

    public async Task<ServerEndpoint> StartAsync(CancellationToken cancellation)
    {
        _redis = await RedisServerProcess.StartNewAsync(cancellation).ConfigureAwait(false);
        _nodes = new IEmbeddedServer?[settings.ClusterNodes];
        _ports = new int[settings.ClusterNodes];
        var endpoints = new List<ServerEndpoint>();
        for (var i = 0; i < _nodes.Length; i++)
        {
            _nodes[i] = await StartNodeProcessAsync(0, cancellation).ConfigureAwait(false);
            _ports[i] = _nodes[i]!.Port;
            endpoints.Add(new ServerEndpoint(_nodes[i]!.WebSocketUrl,
                $"C# reference sample node {i + 1} of {_nodes.Length} at {_nodes[i]!.WebSocketUrl} (Redis broker on port {_redis.Port})", settings.ProtocolVersion));
        }
        Cluster = new ServerCluster(endpoints, this);
        return endpoints[0];
    }

    private Task<IEmbeddedServer> StartNodeProcessAsync(int port, CancellationToken cancellation) =>
        EmbeddedServer.StartAsync(new EmbeddedServerOptions { Port = port, ProtocolVersion = settings.ProtocolVersion, Redis = _redis!.Configuration }, cancellation);

    public async Task StopNodeAsync(int number, CancellationToken cancellation)
    {
        await _gate.WaitAsync(cancellation).ConfigureAwait(false);
        try
        {
            var index = Index(number);
            if (_nodes[index] is { } node)
            {
                _nodes[index] = null;
                await node.DisposeAsync().ConfigureAwait(false);
            }
        }
        finally { _gate.Release(); }
    }

    public async Task StartNodeAsync(int number, CancellationToken cancellation)
    {
        await _gate.WaitAsync(cancellation).ConfigureAwait(false);
        try
        {
            var index = Index(number);
            _nodes[index] ??= await StartNodeProcessAsync(_ports[index], cancellation).ConfigureAwait(false);
        }
        finally { _gate.Release(); }
    }

    public Task StopBrokerAsync(CancellationToken cancellation) => _redis!.StopAsync();

    public async Task StartBrokerAsync(CancellationToken cancellation)
    {
        await _redis!.StartAsync(cancellation).ConfigureAwait(false);
        var deadline = DateTime.UtcNow + ReconnectTimeout * settings.WaitScale;
        while (_nodes.Any(n => n is not null && !n.BrokerConnected))
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"the nodes did not reconnect to the restarted Redis within {ReconnectTimeout.TotalSeconds * settings.WaitScale:0} s");
            await Task.Delay(50, cancellation).ConfigureAwait(false);
        }
    }

    private int Index(int number) => number >= 1 && number <= _nodes.Length ? number - 1
        : throw new InvalidOperationException($"The cluster has {_nodes.Length} node(s); node {number} does not exist");

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes)
            if (node is not null) await node.DisposeAsync().ConfigureAwait(false);
        if (_redis is not null) await _redis.DisposeAsync().ConfigureAwait(false);
    }
}
