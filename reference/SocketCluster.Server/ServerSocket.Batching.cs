using SocketCluster.Protocol;

namespace SocketCluster.Server;

public sealed partial class ServerSocket
{
    private readonly object _batchGate = new();
    private List<string>? _batchBuffer;
    private Timer? _batchTimer;
    private bool _isBatching;

    /// <summary>Writes one encoded packet: into the batch when batching, else straight to the single writer.</summary>
    internal void SendObject(string frame)
    {
        lock (_batchGate)
        {
            if (_batchBuffer is not null)
            {
                _batchBuffer.Add(frame);
                return;
            }
        }
        _sender.Send(frame);
        EnforceOutboundLimit();
    }

    /// <summary>Batches outbound packets until <see cref="StopBatching"/>, flushing every batchInterval as one array frame.</summary>
    public void StartBatching()
    {
        lock (_batchGate) _isBatching = true;
        StartBatchingCore();
    }

    /// <summary>Stops batching and writes what was collected at once.</summary>
    public void StopBatching()
    {
        lock (_batchGate) _isBatching = false;
        StopBatchingCore();
    }

    /// <summary>Stops batching and drops what was buffered.</summary>
    public void CancelBatching()
    {
        lock (_batchGate)
        {
            _isBatching = false;
            _batchTimer?.Dispose();
            _batchTimer = null;
            _batchBuffer = null;
        }
    }

    /// <summary>batchOnHandshake: starts after the handshake response is written, for batchOnHandshakeDuration.</summary>
    private void StartBatchOnHandshake()
    {
        StartBatchingCore();
        _ = Task.Delay(_options.BatchOnHandshakeDuration).ContinueWith(_ =>
        {
            bool manual;
            lock (_batchGate) manual = _isBatching;
            if (!manual) StopBatchingCore();
        }, TaskScheduler.Default);
    }

    private void StartBatchingCore()
    {
        lock (_batchGate)
        {
            if (_batchTimer is not null || State == SocketState.Closed) return;
            _batchBuffer = [];
            _batchTimer = new Timer(_ => FlushBatch(restart: true), null, _options.BatchInterval, _options.BatchInterval);
        }
    }

    private void StopBatchingCore()
    {
        lock (_batchGate)
        {
            _batchTimer?.Dispose();
            _batchTimer = null;
        }
        FlushBatch(restart: false);
    }

    private void FlushBatch(bool restart)
    {
        List<string>? batch;
        lock (_batchGate)
        {
            batch = _batchBuffer;
            _batchBuffer = restart && _batchTimer is not null ? [] : null;
        }
        if (batch is not { Count: > 0 }) return;
        _sender.Send(Frames.Batch(batch));
        EnforceOutboundLimit();
    }
}
