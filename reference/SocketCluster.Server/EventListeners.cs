using SocketCluster.Server.Streams;

namespace SocketCluster.Server;

/// <summary>
/// The listener streams of the server or of one socket: <c>Listener("name")</c> streams typed as
/// <see cref="ServerEvent"/>, and typed ones (<c>Listener(ServerEvents.Connection)</c>) kept per name in a demux of
/// that name's record type, created by the first typed listener (a socket nobody listens to by type carries none).
/// </summary>
internal sealed class EventListeners(int capacity)
{
    private readonly StreamDemux<ServerEvent> _untyped = new(capacity);
    private readonly object _gate = new();
    private Dictionary<string, ITyped>? _typed;
    private bool _ended;

    public ConsumableStream<ServerEvent> Stream(string name) => _untyped.Stream(name);

    /// <summary>Every name has one record type (the event-name tokens guarantee it), so the cast cannot fail.</summary>
    public ConsumableStream<TEvent> Stream<TEvent>(string name) where TEvent : ServerEvent
    {
        Typed<TEvent> typed;
        lock (_gate)
        {
            var all = _typed ??= new Dictionary<string, ITyped>(StringComparer.Ordinal);
            if (all.TryGetValue(name, out var existing)) typed = (Typed<TEvent>)existing;
            else
            {
                all[name] = typed = new Typed<TEvent>(capacity);
                if (_ended) typed.EndAll(kill: false);
            }
        }
        return typed.Demux.Stream(name);
    }

    /// <inheritdoc cref="StreamDemux{T}.Emit"/>
    public void Emit<TEvent>(string name, TEvent item, List<Task>? handled = null) where TEvent : ServerEvent
    {
        _untyped.Emit(name, item, handled);
        if (Volatile.Read(ref _typed) is null) return;
        ITyped? typed;
        lock (_gate) _typed!.TryGetValue(name, out typed);
        (typed as Typed<TEvent>)?.Demux.Emit(name, item, handled);
    }

    public int Backpressure()
    {
        var most = _untyped.Backpressure();
        lock (_gate)
            if (_typed is not null)
                foreach (var typed in _typed.Values) most = Math.Max(most, typed.Backpressure());
        return most;
    }

    public void EndAll(bool kill)
    {
        _untyped.EndAll(kill);
        ITyped[] all;
        lock (_gate)
        {
            _ended = true;
            all = _typed is null ? [] : [.. _typed.Values];
        }
        foreach (var typed in all) typed.EndAll(kill);
    }

    private interface ITyped
    {
        int Backpressure();
        void EndAll(bool kill);
    }

    private sealed class Typed<TEvent>(int capacity) : ITyped
    {
        public StreamDemux<TEvent> Demux { get; } = new(capacity);
        public int Backpressure() => Demux.Backpressure();
        public void EndAll(bool kill) => Demux.EndAll(kill);
    }
}
