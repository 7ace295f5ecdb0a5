using System.Net.WebSockets;
using SocketCluster.Protocol;

namespace SocketCluster.Protocol.Tests;

/// <summary>
/// The sender completes every frame's task whatever the socket throws: a send on a WebSocket aborted under it (the peer
/// dropped the connection) throws OperationCanceledException, and a waiting caller must see that, not wait forever.
/// </summary>
public sealed class WebSocketSenderTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(5);

    [Theory]
    [InlineData(typeof(OperationCanceledException))]
    [InlineData(typeof(ArgumentException))]
    [InlineData(typeof(WebSocketException))]
    public async Task A_failing_send_fails_its_frame_and_every_later_one_instead_of_leaving_them_pending(Type thrown)
    {
        var socket = new ThrowingWebSocket((Exception)Activator.CreateInstance(thrown)!);
        var sender = new WebSocketSender(socket);
        var first = sender.SendAsync("one");
        await Assert.ThrowsAnyAsync<Exception>(() => first.WaitAsync(Bound, TestContext.Current.CancellationToken));
        // After the failure nothing is accepted any more, and a close completes at once.
        await Assert.ThrowsAsync<InvalidOperationException>(() => sender.SendAsync("two").WaitAsync(Bound, TestContext.Current.CancellationToken));
        await sender.CloseAsync(1000, "").WaitAsync(Bound, TestContext.Current.CancellationToken);
        await sender.DisposeAsync().AsTask().WaitAsync(Bound, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task A_close_that_throws_completes_its_task()
    {
        var socket = new ThrowingWebSocket(new OperationCanceledException("aborted"));
        var sender = new WebSocketSender(socket);
        await Assert.ThrowsAsync<OperationCanceledException>(() => sender.CloseAsync(1000, "").WaitAsync(Bound, TestContext.Current.CancellationToken));
        await sender.DisposeAsync().AsTask().WaitAsync(Bound, TestContext.Current.CancellationToken);
    }

    /// <summary>An open WebSocket whose every send and close throws the given exception (as an aborted ManagedWebSocket does).</summary>
    private sealed class ThrowingWebSocket(Exception error) : WebSocket
    {
        public override WebSocketCloseStatus? CloseStatus => null;
        public override string? CloseStatusDescription => null;
        public override WebSocketState State => WebSocketState.Open;
        public override string? SubProtocol => null;

        public override void Abort() { }

        public override Task CloseAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken) =>
            Task.FromException(error);

        public override Task CloseOutputAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken) =>
            Task.FromException(error);

        public override Task<WebSocketReceiveResult> ReceiveAsync(ArraySegment<byte> buffer, CancellationToken cancellationToken) =>
            Task.FromException<WebSocketReceiveResult>(error);

        public override Task SendAsync(ArraySegment<byte> buffer, WebSocketMessageType messageType, bool endOfMessage, CancellationToken cancellationToken) =>
            Task.FromException(error);

        public override void Dispose() { }
    }
}
