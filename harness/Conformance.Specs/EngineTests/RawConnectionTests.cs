using System.Diagnostics;
using Conformance.Engine.Drivers;
using Conformance.Engine.Support;
using SocketCluster.Sample.Fixture;
using Xunit;

namespace Conformance.Specs.EngineTests;

/// <summary>The raw-wire driver against the C# reference sample: frames through the shared codec, batches split, closes.</summary>
public sealed class RawConnectionTests : IAsyncLifetime
{
    private SampleServerHandle _server = null!;
    private readonly WireTranscript _transcript = new(Stopwatch.StartNew());
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    public async ValueTask InitializeAsync() => _server = await SampleServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    private Task<RawConnection> OpenAsync() =>
        RawConnection.OpenAsync("A", _server.WebSocketUrl, 2, _transcript, Wait, TestContext.Current.CancellationToken);

    [Fact]
    public async Task Handshake_switches_pongs_on_and_records_the_socket_id()
    {
        await using var connection = await OpenAsync();
        Assert.False(connection.AutoPong);
        var cid = connection.NextCid("handshake");
        await connection.SendTextAsync($$"""{"event":"#handshake","data":{"authToken":null},"cid":{{cid}}}""");
        var response = await connection.Inbound.WaitForAsync(0, f => RawExpectations.IsResponseTo(f, cid), Wait, TestContext.Current.CancellationToken);
        Assert.NotNull(response);
        Assert.True(connection.AutoPong);
        Assert.NotNull(connection.SocketId);
        Assert.Equal(3000, connection.PingTimeout);
        // A ping arrives within the fixture's 1 s interval and is answered.
        var ping = await connection.Inbound.WaitForAsync(0, f => f.IsPing, Wait, TestContext.Current.CancellationToken);
        Assert.NotNull(ping);
        var deadline = DateTime.UtcNow + Wait; // the pong is sent right after the ping is recorded
        while (!_transcript.Entries.Any(e => e.Direction == WireDirection.Out && e.Text == "''") && DateTime.UtcNow < deadline)
            await Task.Delay(20, TestContext.Current.CancellationToken);
        Assert.Contains(_transcript.Entries, e => e.Direction == WireDirection.Out && e.Text == "''");
    }

    [Fact]
    public async Task Batches_are_split_and_message_before_handshake_closes_with_4009()
    {
        await using var connection = await OpenAsync();
        await connection.SendTextAsync("""[{"event":"#handshake","data":{},"cid":1},{"event":"conformance.echo","data":[1],"cid":2}]""");
        var echo = await connection.Inbound.WaitForAsync(0, f => RawExpectations.IsResponseTo(f, 2), Wait, TestContext.Current.CancellationToken);
        Assert.NotNull(echo);
        Assert.Equal("""{"rid":2,"data":[1]}""", echo.Value.Item.Text);

        await using var early = await OpenAsync();
        await early.SendTextAsync("""{"event":"hello"}""");
        await early.Inbound.WaitForAsync(int.MaxValue, _ => false, Wait, TestContext.Current.CancellationToken);
        Assert.Equal(4009, early.Close?.Code);
        Assert.Equal("", early.Close?.Reason);
        Assert.Contains("[close 4009", _transcript.Render());
    }

    [Fact]
    public async Task A_refused_upgrade_reports_the_http_status()
    {
        var url = new Uri($"ws://127.0.0.1:{_server.Port}/wrong/");
        var refused = await Assert.ThrowsAsync<UpgradeRefusedException>(() =>
            RawConnection.OpenAsync("B", url, 2, _transcript, Wait, TestContext.Current.CancellationToken));
        Assert.Equal(400, refused.StatusCode);
    }
}
