using System.Collections.Concurrent;
using System.Text.Json;
using SocketCluster.Client;
using SocketCluster.Protocol;

namespace Conformance.SamplePage.Tests.Matrix;

/// <summary>The C# reference client (reference/SocketCluster.Client), driven through its own API.</summary>
public sealed class CSharpMatrixClient : IMatrixClient
{
    static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);
    readonly CancellationTokenSource _stop = new();
    readonly ConcurrentDictionary<string, List<JsonElement?>> _publications = new();
    readonly ConcurrentDictionary<string, List<JsonElement?>> _received = new();
    ClientSocket? _socket;

    public string Name => "csharp";

    ClientSocket Socket => _socket ?? throw new InvalidOperationException("not connected");

    public async Task ConnectAsync(int port, int protocolVersion)
    {
        _socket = SocketClusterClient.Create(new ClientOptions
        {
            Hostname = "127.0.0.1", Port = port, AutoConnect = false, ProtocolVersion = protocolVersion,
        });
        var connect = _socket.Listener("connect").CreateConsumer();
        _socket.Connect();
        await connect.NextAsync(Wait);
        await connect.DisposeAsync();
    }

    public async Task<InvokeOutcome> InvokeAsync(string procedure, object? data)
    {
        try
        {
            var result = await Socket.InvokeAsync(procedure, data);
            return new InvokeOutcome(true, result, null, null);
        }
        catch (ScError e)
        {
            return new InvokeOutcome(false, null, e.Name, e.Message);
        }
    }

    public Task TransmitAsync(string eventName, object? data)
    {
        Socket.Transmit(eventName, data);
        return Task.CompletedTask;
    }

    public async Task SubscribeAsync(string channel)
    {
        var list = _publications.GetOrAdd(channel, _ => []);
        var ch = Socket.Subscribe(channel);
        _ = Collect(ch, list);
        var deadline = DateTime.UtcNow + Wait;
        while (ch.State != ChannelState.Subscribed)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{channel} was not subscribed within {Wait}");
            await Task.Delay(25);
        }
    }

    async Task Collect(IAsyncEnumerable<JsonElement?> stream, List<JsonElement?> into)
    {
        try
        {
            await foreach (var item in stream.WithCancellation(_stop.Token)) lock (into) into.Add(item?.Clone());
        }
        catch (OperationCanceledException)
        {
        }
    }

    public Task<IReadOnlyList<JsonElement?>> WaitForPublicationsAsync(string channel, int count) =>
        WaitForCount(_publications.GetOrAdd(channel, _ => []), count);

    static async Task<IReadOnlyList<JsonElement?>> WaitForCount(List<JsonElement?> list, int count)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (true)
        {
            lock (list) if (list.Count >= count || DateTime.UtcNow > deadline) return list.ToList();
            await Task.Delay(25);
        }
    }

    public Task TransmitPublishAsync(string channel, object? data)
    {
        Socket.TransmitPublish(channel, data);
        return Task.CompletedTask;
    }

    public Task InvokePublishAsync(string channel, object? data) => Socket.InvokePublishAsync(channel, data);

    public Task ReceiverAsync(string eventName)
    {
        var list = _received.GetOrAdd(eventName, _ => []);
        // The consumer exists before this returns, so nothing transmitted afterwards is missed.
        _ = Collect(Socket.Receiver(eventName).CreateConsumer(), list);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<JsonElement?>> WaitForReceivedAsync(string eventName, int count) =>
        WaitForCount(_received.GetOrAdd(eventName, _ => []), count);

    public Task EchoProcedureAsync(string procedure)
    {
        var requests = Socket.Procedure(procedure).CreateConsumer();
        _ = Task.Run(async () =>
        {
            try
            {
                await foreach (var request in requests.WithCancellation(_stop.Token)) request.End(request.Data);
            }
            catch (OperationCanceledException)
            {
            }
        });
        return Task.CompletedTask;
    }

    public Task<Func<Task<string>>> ArmEventAsync(string name)
    {
        var consumer = Socket.Listener(name).CreateConsumer();
        Func<Task<string>> wait = async () =>
        {
            await using (consumer)
            {
                var e = await consumer.NextAsync(Wait);
                return e switch
                {
                    KickOutEvent k => JsonSerializer.Serialize(new { channel = k.Channel, message = k.Message }),
                    AuthenticateEvent a => JsonSerializer.Serialize(new { signedAuthToken = a.SignedAuthToken }),
                    _ => e.ToString() ?? name,
                };
            }
        };
        return Task.FromResult(wait);
    }

    public Task<(string State, string? Id)> ConnectionAsync() =>
        Task.FromResult((Socket.State.ToString().ToLowerInvariant(), Socket.Id));

    public Task<string> AuthStateAsync() =>
        Task.FromResult(Socket.AuthState == AuthState.Authenticated ? "authenticated" : "unauthenticated");

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_socket is not null) await _socket.DisposeAsync();
        _stop.Dispose();
    }
}
