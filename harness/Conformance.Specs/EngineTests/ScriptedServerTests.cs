using System.Diagnostics;
using System.Net.WebSockets;
using Conformance.Engine.Drivers;
using Conformance.Engine.Support;
using Xunit;

namespace Conformance.Specs.EngineTests;

/// <summary>
/// The scripted server (features/STEPS.md §12) with a raw client connection as its peer: accepted connections are
/// bound in arrival order, record what the client sends (pongs as ordinary entries), send and close on command, drop
/// without a close frame, and withheld upgrades never open.
/// </summary>
public sealed class ScriptedServerTests : IAsyncLifetime
{
    private readonly WireTranscript _transcript = new(Stopwatch.StartNew());
    private readonly ScriptedServer _server;
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ScriptedServerTests() => _server = new ScriptedServer(2, _transcript);

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    private async Task<RawConnection> BindNextAsync(string name)
    {
        var arrival = await _server.Arrivals.WaitForAsync(_server.Cursor, _ => true, Wait, Ct);
        Assert.NotNull(arrival);
        _server.Cursor = arrival.Value.Index + 1;
        return _server.Bind(name, arrival.Value.Item);
    }

    [Fact]
    public async Task Frames_flow_both_ways_and_the_clients_close_code_is_recorded()
    {
        await using var client = await RawConnection.OpenAsync("C", _server.Endpoint.At("/socketcluster/?x=1"), 2, _transcript, Wait, Ct);
        await using var server = await BindNextAsync("S");
        Assert.True(server.ServerSide);
        Assert.Equal("/socketcluster/?x=1", server.Uri.PathAndQuery);

        await client.SendTextAsync("""{"event":"#handshake","data":{"authToken":null},"cid":1}""");
        await client.SendTextAsync(""); // a pong: an ordinary entry on the server side, never a "ping"
        var pong = await server.Inbound.WaitForAsync(0, f => f.Text == "", Wait, Ct);
        Assert.NotNull(pong);
        Assert.False(pong.Value.Item.IsPing);
        Assert.Equal("""{"event":"#handshake","data":{"authToken":null},"cid":1}""", server.Inbound.Snapshot()[0].Text);

        await server.SendTextAsync("""{"rid":1,"data":{"id":"x","pingTimeout":90000,"isAuthenticated":false}}""");
        Assert.NotNull(await client.Inbound.WaitForAsync(0, f => RawExpectations.IsResponseTo(f, 1), Wait, Ct));

        await client.CloseAsync(4123, "bye");
        await server.Inbound.WaitForAsync(int.MaxValue, _ => false, Wait, Ct);
        Assert.Equal(4123, server.Close?.Code);
        Assert.Equal("bye", server.Close?.Reason);
    }

    [Fact]
    public async Task Drop_closes_without_a_close_frame()
    {
        await using var client = await RawConnection.OpenAsync("C", _server.Endpoint.WebSocketUrl, 2, _transcript, Wait, Ct);
        await using var server = await BindNextAsync("S");
        server.Drop();
        await client.Inbound.WaitForAsync(int.MaxValue, _ => false, Wait, Ct);
        Assert.Equal(1006, client.Close?.Code);
        Assert.False(client.Close?.ClosedByPeer);
    }

    [Fact]
    public async Task Withheld_upgrades_never_open()
    {
        _server.WithholdUpgrades = true;
        var refused = await Assert.ThrowsAsync<UpgradeRefusedException>(() =>
            RawConnection.OpenAsync("C", _server.Endpoint.WebSocketUrl, 2, _transcript, TimeSpan.FromMilliseconds(800), Ct));
        Assert.Equal(0, refused.StatusCode);
        var arrival = Assert.Single(_server.Arrivals.Snapshot());
        Assert.Null(arrival.Socket);
        Assert.Throws<InvalidOperationException>(() => _server.Bind("S", arrival));
    }
}
