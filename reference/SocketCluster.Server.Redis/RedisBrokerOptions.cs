namespace SocketCluster.Server.Redis;

/// <summary>Options of <see cref="RedisBroker"/>.</summary>
public sealed class RedisBrokerOptions
{
    /// <summary>A StackExchange.Redis configuration string, e.g. "localhost:6379" or "redis1:6379,password=...".</summary>
    public string Configuration { get; set; } = "localhost:6379";

    /// <summary>Prepended to every channel name on Redis, so several clusters (or other apps) can share one Redis.</summary>
    public string ChannelPrefix { get; set; } = "socketcluster:";

    /// <summary>How long a connection attempt may take (null: the library's default, 5 s).</summary>
    public TimeSpan? ConnectTimeout { get; set; }

    /// <summary>The pause between reconnection attempts after Redis was lost.</summary>
    public TimeSpan ReconnectInterval { get; set; } = TimeSpan.FromSeconds(1);
}
