namespace SocketCluster.Client;

/// <summary>Auto-reconnect with the official backoff (RC-001..RC-004).</summary>
public sealed partial class ClientSocket
{
    private int _connectAttempts;
    private ITimer? _reconnectTimer;
    private int _reconnectGeneration;
    private bool _pendingReconnect;
    private TimeSpan? _pendingReconnectTimeout;

    /// <summary>True while a reconnect timer is armed.</summary>
    public bool PendingReconnect { get { lock (Gate) return _pendingReconnect; } }

    /// <summary>The delay of the armed reconnect timer, or null.</summary>
    public TimeSpan? PendingReconnectTimeout { get { lock (Gate) return _pendingReconnectTimeout; } }

    /// <summary>Consecutive failed attempts; reset by a successful handshake.</summary>
    public int ConnectAttempts { get { lock (Gate) return _connectAttempts; } }

    private void TryReconnect(TimeSpan? initialDelay)
    {
        var exponent = _connectAttempts++;
        var delay = ComputeReconnectDelay(FaultyBackoff(Options.AutoReconnectOptions), exponent, initialDelay, Random.Shared.NextDouble());
        _reconnectTimer?.Dispose();
        var generation = ++_reconnectGeneration;
        _pendingReconnect = true;
        _pendingReconnectTimeout = delay;
        ClientLog.ReconnectScheduled(Logger, delay, _connectAttempts);
        _reconnectTimer = Options.TimeProvider.CreateTimer(_ =>
        {
            lock (Gate)
            {
                // A timer already fired when it was cancelled must not connect.
                if (generation != _reconnectGeneration || !_pendingReconnect || _disposed) return;
                Connect();
            }
        }, null, delay, Timeout.InfiniteTimeSpan);
    }

    /// <summary>The backoff options as the test-only RC-004 faults distort them (unchanged without a fault).</summary>
    private AutoReconnectOptions FaultyBackoff(AutoReconnectOptions o)
    {
        if (Has(ClientFaults.BackoffConstant)) o = o with { Multiplier = 1 };
        if (Has(ClientFaults.BackoffIgnoresMultiplier)) o = o with { Multiplier = new AutoReconnectOptions().Multiplier };
        if (Has(ClientFaults.BackoffUncapped)) o = o with { MaxDelay = TimeSpan.FromMilliseconds(int.MaxValue) };
        return o;
    }

    private void CancelReconnect()
    {
        _reconnectGeneration++;
        _pendingReconnect = false;
        _pendingReconnectTimeout = null;
        _reconnectTimer?.Dispose();
        _reconnectTimer = null;
    }

    /// <summary>
    /// Official _tryReconnect: the first attempt after a ping timeout or 1005 uses the given delay (0);
    /// otherwise round(initialDelay + randomness·U) · multiplier^attempt, rounded, capped at maxDelay.
    /// </summary>
    internal static TimeSpan ComputeReconnectDelay(AutoReconnectOptions options, int exponent, TimeSpan? initialDelay, double random)
    {
        double ms;
        if (initialDelay is null || exponent > 0)
        {
            var initial = JsRound(options.InitialDelay.TotalMilliseconds + options.Randomness.TotalMilliseconds * random);
            ms = JsRound(initial * Math.Pow(options.Multiplier, exponent));
        }
        else
        {
            ms = initialDelay.Value.TotalMilliseconds;
        }
        if (ms > options.MaxDelay.TotalMilliseconds) ms = options.MaxDelay.TotalMilliseconds;
        return TimeSpan.FromMilliseconds(ms);
    }

    /// <summary>JS Math.round: halves round up.</summary>
    private static double JsRound(double value) => Math.Floor(value + 0.5);
}
