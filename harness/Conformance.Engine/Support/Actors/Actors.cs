using Conformance.Engine.Drivers;

namespace Conformance.Engine.Support;

/// <summary>A named participant of a scenario: a raw connection or a client driver handle (STEPS.md §0.1).</summary>
public abstract class Actor(string name) : IAsyncDisposable
{
    public string Name { get; } = name;

    public abstract string Kind { get; }

    public abstract ValueTask DisposeAsync();
}

/// <summary>A raw-wire connection (open, or an upgrade attempt that was refused).</summary>
public sealed class RawActor(string name) : Actor(name)
{
    public override string Kind => "raw";

    public RawConnection? Connection { get; set; }

    /// <summary>For "tries to open": the HTTP status of a refused upgrade (0 when nothing answered).</summary>
    public int? RefusedStatus { get; set; }

    /// <summary>Index of the next inbound entry "receives a ping" looks at (pings have their own cursor).</summary>
    public int PingCursor { get; set; }

    public RawConnection Open => Connection ?? throw new InvalidOperationException(
        RefusedStatus is { } status
            ? $"raw connection {Name} is not open: its upgrade was refused (HTTP {status})"
            : $"raw connection {Name} is not open");

    public override async ValueTask DisposeAsync()
    {
        if (Connection is not null) await Connection.DisposeAsync().ConfigureAwait(false);
    }
}

/// <summary>A client driver handle, connected to its server through a recording relay.</summary>
public sealed class ClientActor(string name, string driverName, IClientHandle handle, RecordingRelay relay) : Actor(name)
{
    public override string Kind => $"{DriverName} client";

    public string DriverName { get; } = driverName;

    public IClientHandle Handle { get; } = handle;

    public RecordingRelay Relay { get; } = relay;

    /// <summary>The events the driver recorded, fetched on demand (set right after creation).</summary>
    public ClientEventLog Log { get; set; } = null!;

    /// <summary>Events already consumed by forward searches ("emits") have a sequence number at or below this.</summary>
    public long EventCursor { get; set; }

    /// <summary>Index into <see cref="RecordingRelay.FromClient"/> for §8 searches.</summary>
    public int SentCursor { get; set; }

    /// <summary>Per receiver name / channel: how many items forward searches have consumed.</summary>
    public Dictionary<string, int> ReceivedCursor { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, int> PublicationCursor { get; } = new(StringComparer.Ordinal);

    /// <summary>The most recent call per label (invoke, invokePublish, authenticate, subscribe, request).</summary>
    /// <remarks>Lazy: a subscribe's outcome is only watched for (by polling events) when a step asks for it.</remarks>
    public Dictionary<string, Lazy<Task<CallOutcome>>> Calls { get; } = new(StringComparer.Ordinal);

    /// <summary>The procedure of the most recent call per label (for invokes).</summary>
    public Dictionary<string, string> CallProcedure { get; } = new(StringComparer.Ordinal);

    /// <summary>The channel of the most recent subscribe (its outcome is the channel's subscribe/subscribeFail).</summary>
    public string? LastSubscribedChannel { get; set; }

    /// <summary>The socket id from the most recent connect event.</summary>
    public string? SocketId { get; set; }

    public int? PingTimeout { get; set; }

    /// <summary>Cancelled when the actor is disposed: background waits (subscribe outcomes) stop then.</summary>
    public CancellationToken Lifetime => _lifetime.Token;

    private readonly CancellationTokenSource _lifetime = new();

    public override async ValueTask DisposeAsync()
    {
        await _lifetime.CancelAsync().ConfigureAwait(false);
        try { await Handle.DisposeAsync().ConfigureAwait(false); }
        finally { await Relay.DisposeAsync().ConfigureAwait(false); }
    }
}
