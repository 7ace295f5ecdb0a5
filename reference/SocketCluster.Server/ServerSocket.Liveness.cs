using SocketCluster.Protocol;

namespace SocketCluster.Server;

public sealed partial class ServerSocket
{
    private Timer? _pingTimer;
    private Timer? _pongTimer;
    private Timer? _handshakeTimer;
    private long _lastPongResetTicks;

    /// <summary>Timers start when the socket is created, before the handshake (HS-007).</summary>
    private void StartLiveness()
    {
        if (!_options.PingTimeoutDisabled)
        {
            _pingTimer = new Timer(_ => SendPing(), null, _options.PingInterval, _options.PingInterval);
            _pongTimer = new Timer(_ => OnPongTimeout(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            ResetPongTimeout();
        }
        _handshakeTimer = new Timer(_ => OnHandshakeTimeout(), null, _options.HandshakeTimeout, Timeout.InfiniteTimeSpan);
    }

    private void StopLiveness()
    {
        _pingTimer?.Dispose();
        _pongTimer?.Dispose();
        Interlocked.Exchange(ref _handshakeTimer, null)?.Dispose();
    }

    private void SendPing()
    {
        // Pings never go through the codec or a batch.
        if (State != SocketState.Closed) _sender.Send(PingPong.Ping(ProtocolVersion));
    }

    private void ResetPongTimeout()
    {
        if (_options.PingTimeoutDisabled) return;
        try
        {
            _pongTimer?.Change(_options.PingTimeout, Timeout.InfiniteTimeSpan);
        }
        catch (ObjectDisposedException)
        {
        }
        Interlocked.Exchange(ref _lastPongResetTicks, Environment.TickCount64);
    }

    /// <summary>Since 19.2.1 any message resets the watchdog too, at most once per pingTimeout/4.</summary>
    private void ResetPongTimeoutIfDue()
    {
        if (Environment.TickCount64 - Interlocked.Read(ref _lastPongResetTicks) > (long)_options.PingTimeout.TotalMilliseconds / 4) ResetPongTimeout();
    }

    private void OnPongTimeout()
    {
        if (State == SocketState.Closed) return;
        Destroy(CloseCodes.ClientPongTimedOut, null);
        CloseTransport(CloseCodes.ClientPongTimedOut, "");
    }

    private void StopHandshakeTimer()
    {
        // Disposed, not just stopped: an open socket then holds no handshake timer (idle memory, issue 13).
        Interlocked.Exchange(ref _handshakeTimer, null)?.Dispose();
    }

    private void OnHandshakeTimeout()
    {
        if (State != SocketState.Connecting) return;
        Destroy(CloseCodes.HandshakeTimedOut, null);
        CloseTransport(CloseCodes.HandshakeTimedOut, "");
    }
}
