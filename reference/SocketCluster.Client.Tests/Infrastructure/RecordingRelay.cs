using System.Diagnostics;
using System.Text.Json;
using Conformance.Engine.Support;
using SocketCluster.Client;
using EngineRelay = Conformance.Engine.Support.RecordingRelay;

namespace SocketCluster.Client.Tests.Infrastructure;

/// <summary>One text frame that crossed a <see cref="RecordingRelay"/>.</summary>
public sealed record RelayedFrame(int Connection, bool FromClient, string Text)
{
    /// <summary>The parsed frame; null for pings, pongs and anything that is not JSON.</summary>
    public JsonElement? Json
    {
        get
        {
            try { return JsonDocument.Parse(Text).RootElement.Clone(); }
            catch (JsonException) { return null; }
        }
    }

    public bool IsArray => Json is { ValueKind: JsonValueKind.Array };
    public bool IsPingOrPong => Text is "" or "#1" or "#2";
    public override string ToString() => $"#{Connection} {(FromClient ? "C>S" : "S>C")} {Text}";
}

/// <summary>
/// The suite's recording relay (Conformance.Engine's, the one the scenarios put between every client and its server)
/// between a client and a real server, seen as the frames the batching tests assert on (e.g. one array frame) while
/// the real server answers.
/// </summary>
public sealed class RecordingRelay : IAsyncDisposable
{
    private readonly EngineRelay _relay;

    private RecordingRelay(ServerUnderTest server) =>
        _relay = new EngineRelay("client", () => new Uri($"ws://127.0.0.1:{server.Port}"), new WireTranscript(Stopwatch.StartNew()));

    public int Port => _relay.Port;

    public static Task<RecordingRelay> StartAsync(ServerUnderTest server) => Task.FromResult(new RecordingRelay(server));

    /// <summary>The server's client options, pointed at the relay.</summary>
    public ClientOptions ClientOptions(ServerUnderTest server) => server.ClientOptions() with { Port = Port };

    /// <summary>Every text frame so far, both directions in the order the relay passed them on.</summary>
    public IReadOnlyList<RelayedFrame> Frames =>
        _relay.FromClient.Snapshot().Select(m => (m, FromClient: true))
            .Concat(_relay.FromServer.Snapshot().Select(m => (m, FromClient: false)))
            .Where(x => !x.m.IsClose && !x.m.Binary)
            .OrderBy(x => x.m.At)
            .Select(x => new RelayedFrame(x.m.Connection, x.FromClient, x.m.Text))
            .ToList();

    /// <summary>Frames the client sent, pongs left out.</summary>
    public IReadOnlyList<RelayedFrame> SentByClient => Frames.Where(f => f.FromClient && !f.IsPingOrPong).ToList();

    /// <summary>Frames the server sent, pings left out.</summary>
    public IReadOnlyList<RelayedFrame> SentByServer => Frames.Where(f => !f.FromClient && !f.IsPingOrPong).ToList();

    public ValueTask DisposeAsync() => _relay.DisposeAsync();
}
