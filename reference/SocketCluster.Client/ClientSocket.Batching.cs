namespace SocketCluster.Client;

/// <summary>
/// Outbound batching (BA-001..BA-005): while batching, outbound packets are collected and written every
/// batchInterval as one JSON array frame. It runs after each handshake for batchOnHandshakeDuration when
/// BatchOnHandshake is set, or from StartBatching() until StopBatching()/CancelBatching(). The #handshake and
/// the pongs are never batched. A batch not yet written when the connection ends is dropped (its invokes are
/// rejected with BadConnectionError like every call in flight), as with the official client.
/// </summary>
public sealed partial class ClientSocket
{
    private bool _isBatching;
    private ITimer? _batchTimer;
    private ITimer? _handshakeBatchTimer;
    private int _batchGeneration; // a timer callback that already started when its batching ended must do nothing

    /// <summary>True between StartBatching() and StopBatching()/CancelBatching() (official isBatching).</summary>
    public bool IsBatching { get { lock (Gate) return _isBatching; } }

    /// <summary>
    /// True while the current connection collects outbound packets: when manual batching is on, or during the
    /// batchOnHandshake window (official isBufferingBatch).
    /// </summary>
    public bool IsBufferingBatch { get { lock (Gate) return _transport?.IsBufferingBatch ?? false; } }

    /// <summary>
    /// Batches outbound packets until <see cref="StopBatching"/> or <see cref="CancelBatching"/>, also across
    /// reconnects; every <see cref="ClientOptions.BatchInterval"/> the collected packets go out as one array frame.
    /// </summary>
    public void StartBatching()
    {
        lock (Gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _isBatching = true;
            StartBatchingCore();
        }
    }

    /// <summary>Stops batching (also a batchOnHandshake window) and writes what was collected at once.</summary>
    public void StopBatching()
    {
        lock (Gate)
        {
            _isBatching = false;
            StopBatchingCore();
        }
    }

    /// <summary>Stops batching (also a batchOnHandshake window) and drops what was collected, unsent.</summary>
    public void CancelBatching()
    {
        lock (Gate)
        {
            _isBatching = false;
            CancelBatchingCore();
        }
    }

    /// <summary>Official _onOpen: right after the handshake, before the resubscriptions and the offline queue.</summary>
    private void BeginBatchingOnOpen()
    {
        if (_isBatching)
        {
            StartBatchingCore();
        }
        else if (Options.BatchOnHandshake)
        {
            StartBatchingCore();
            var generation = _batchGeneration;
            _handshakeBatchTimer?.Dispose();
            _handshakeBatchTimer = Options.TimeProvider.CreateTimer(_ =>
            {
                lock (Gate)
                {
                    if (generation != _batchGeneration) return;
                    // StartBatching() during the window keeps batching on (official: if (!this.isBatching)).
                    if (!_isBatching) StopBatchingCore();
                }
            }, null, Options.BatchOnHandshakeDuration, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>Starts the flush timer if it is not running, and makes the current connection collect packets.</summary>
    private void StartBatchingCore()
    {
        if (_batchTimer is null)
        {
            var generation = ++_batchGeneration;
            _batchTimer = Options.TimeProvider.CreateTimer(_ => OnBatchInterval(generation), null,
                Options.BatchInterval, Options.BatchInterval);
        }
        _transport?.StartBatch();
    }

    private void OnBatchInterval(int generation)
    {
        lock (Gate)
        {
            if (generation != _batchGeneration || _transport is not { } transport) return;
            transport.FlushBatch();
            transport.StartBatch();
        }
    }

    private void StopBatchingCore()
    {
        StopBatchTimers();
        _transport?.FlushBatch();
    }

    /// <summary>Also run on every disconnect (official _destroy), which leaves the manual IsBatching flag as it is.</summary>
    private void CancelBatchingCore()
    {
        StopBatchTimers();
        _transport?.CancelBatch();
    }

    private void StopBatchTimers()
    {
        _batchGeneration++;
        _batchTimer?.Dispose();
        _batchTimer = null;
        _handshakeBatchTimer?.Dispose();
        _handshakeBatchTimer = null;
    }
}
