using System.Collections.Concurrent;
using CsCheck;
using SocketCluster.Protocol;
using SocketCluster.Server;
using SocketCluster.Server.Options;

namespace SocketCluster.Fuzz.Tests;

/// <summary>
/// One server socket's inbound processing under fuzzing, in memory (no network): each case opens a socket, usually
/// completes the handshake, sends up to 12 fuzzed messages (text or binary), then an echo invoke. It fails on a crash
/// (an exception other than an <see cref="ScError"/> reported by the socket: the inbound loop turns every exception
/// into an 'error' event, so an unexpected type is a bug the loop merely survived), on a hang (the echo is neither
/// answered nor the socket closed within 5 s, or the socket does not end within 5 s of the client's close), and on
/// an unhandled exception (any exception out of the case).
/// </summary>
public sealed class ServerSocketFuzzTests(ITestOutputHelper output)
{
    public const string AuthKey = "socketcluster-conformance-fuzz-auth-key-0123456789";
    private const long ProbeRid = 987654321;
    private static readonly TimeSpan HangLimit = TimeSpan.FromSeconds(5);

    public sealed record Case(bool Handshake, (string Text, bool Binary)[] Messages)
    {
        public override string ToString() =>
            $"handshake={Handshake} messages=[{string.Join(", ", Messages.Select(m => (m.Binary ? "binary " : "") + m.Text))}]";
    }

    public static readonly Gen<Case> Cases = Gen.Select(
        Gen.Frequency((9, Gen.Const(true)), (1, Gen.Const(false))),
        Gen.Select(FuzzInputs.Message, Gen.Frequency((9, Gen.Const(false)), (1, Gen.Const(true)))).Array[0, 12],
        (handshake, messages) => new Case(handshake, messages));

    [Fact]
    public async Task Any_sequence_of_inbound_messages_leaves_the_socket_serving_or_closed_without_crash_or_hang()
    {
        await using var fuzz = await ServerUnderFuzz.StartAsync();
        long executions = 0;
        await Cases.SampleAsync(async c =>
        {
            Interlocked.Increment(ref executions);
            await fuzz.RunAsync(c);
        }, time: FuzzBudget.Seconds, threads: 1, iter: long.MaxValue, writeLine: output.WriteLine);
        FuzzBudget.Report(output, "server socket", executions, $", {fuzz.Warnings} protocol errors reported as expected");
        Assert.True(executions > 0);
    }

    /// <summary>A server with the echo procedure on every socket, and the crash detector on its warnings.</summary>
    public sealed class ServerUnderFuzz : IAsyncDisposable
    {
        private readonly SocketClusterServer _server;
        private readonly CancellationTokenSource _stop = new();
        private readonly ConcurrentQueue<Exception> _crashes = new();
        private long _warnings;

        private ServerUnderFuzz(SocketClusterServer server) => _server = server;

        public long Warnings => Interlocked.Read(ref _warnings);

        public static Task<ServerUnderFuzz> StartAsync(Action<SocketClusterServerOptions>? configure = null)
        {
            var options = new SocketClusterServerOptions { AuthKey = AuthKey, PingInterval = TimeSpan.FromMilliseconds(600_000), PingTimeout = TimeSpan.FromMilliseconds(600_000), AckTimeout = TimeSpan.FromMilliseconds(1000) };
            configure?.Invoke(options);
            var fuzz = new ServerUnderFuzz(new SocketClusterServer(options));
            var connections = fuzz._server.Listener(ServerEvents.Connection).CreateConsumer();
            var warnings = fuzz._server.Listener(ServerEvents.Warning).CreateConsumer();
            _ = Task.Run(async () =>
            {
                await foreach (var connection in connections.WithCancellation(fuzz._stop.Token))
                    _ = Serve(connection.Socket.Procedure("echo"), request => request.Respond(request.Data));
            });
            _ = Task.Run(async () =>
            {
                await foreach (var warning in warnings.WithCancellation(fuzz._stop.Token))
                {
                    Interlocked.Increment(ref fuzz._warnings);
                    if (warning.Warning is not ScError) fuzz._crashes.Enqueue(warning.Warning);
                }
            });
            return Task.FromResult(fuzz);
        }

        private static async Task Serve<T>(IAsyncEnumerable<T> stream, Action<T> handle)
        {
            try
            {
                await foreach (var item in stream) handle(item);
            }
            catch (OperationCanceledException)
            {
            }
        }

        public async Task RunAsync(Case c)
        {
            await using var socket = InMemorySocket.Open(_server);
            if (c.Handshake) await socket.SendAsync("""{"event":"#handshake","data":{"authToken":null},"cid":1}""", false);
            foreach (var (text, binary) in c.Messages) await socket.SendAsync(text, binary);
            await socket.SendAsync($$"""{"event":"echo","data":"probe","cid":{{ProbeRid}}}""", false);
            if (!await socket.AnsweredOrClosedAsync(ProbeRid, HangLimit))
                throw new TimeoutException($"hang: the echo probe was neither answered nor the socket closed within {HangLimit.TotalSeconds:0} s");
            if (!await socket.CloseAsync(HangLimit))
                throw new TimeoutException($"hang: the server socket did not end within {HangLimit.TotalSeconds:0} s of the client's close");
            // Warnings are consumed in the background: give them a moment, then look for crashes.
            await Task.Delay(1);
            if (_crashes.TryDequeue(out var crash))
            {
                _crashes.Clear();
                throw new InvalidOperationException($"crash: the socket reported {crash.GetType().Name}: {crash.Message}", crash);
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            _server.Close();
            _stop.Dispose();
        }
    }
}
