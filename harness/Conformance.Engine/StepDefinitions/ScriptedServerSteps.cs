using System.Text.Json;
using Conformance.Engine.Running;
using Conformance.Engine.Support;
using Reqnroll;
using SocketCluster.Protocol;

namespace Conformance.Engine.StepDefinitions;

/// <summary>
/// STEPS.md §12: the scripted server, which client scenarios drive frame by frame to see how a client copes with a
/// server that misbehaves (issue 11 §4). Its accepted connections are raw actors: the raw phrases of §2, §4, §5 and
/// §7.2 ("sends", "receives", "disconnects with code", "is closed with code") act on them from the server's side.
/// </summary>
[Binding]
public sealed class ScriptedServerSteps(ScenarioWorld world)
{
    /// <summary>
    /// The pingTimeout the helper handshake answer advertises: longer than a scenario's hard deadline (60 s), so that a
    /// client's ping watchdog never fires in a scenario that does not send pings.
    /// </summary>
    public const int AdvertisedPingTimeout = 90_000;

    [StepDefinition("the scripted server is running")]
    public void Running()
    {
        if (world.Scripted is not null) throw new InvalidOperationException("The scripted server is already running in this scenario.");
        if (world.UsesKnownGoodServer) throw new InvalidOperationException("A scenario uses either the known-good server or the scripted server, not both.");
        world.Scripted = new ScriptedServer(world.ProtocolVersion, world.Transcript);
    }

    [StepDefinition("the scripted server withholds its upgrade responses")]
    public void Withholds() => Server.WithholdUpgrades = true;

    [StepDefinition("the scripted server accepts connection {word}")]
    public async Task Accepts(string name)
    {
        if (world.HasActor(name)) throw new InvalidOperationException($"Actor {name} already exists in this scenario.");
        var server = Server;
        var hit = await server.Arrivals.WaitForAsync(server.Cursor, _ => true, world.DefaultWait, world.Cancellation)
            ?? throw new ConformanceAssertionException(
                $"No client connected to the scripted server within {world.DefaultWait.TotalSeconds:0.#} s; expected connection {name}.");
        server.Cursor = hit.Index + 1;
        var actor = new RawActor(name);
        world.Add(actor);
        actor.Connection = server.Bind(name, hit.Item);
    }

    [StepDefinition("the scripted server gets an upgrade request within {int} ms")]
    public async Task GetsRequest(int ms)
    {
        var server = Server;
        var hit = await server.Arrivals.WaitForAsync(server.Cursor, _ => true, TimeSpan.FromMilliseconds(ms), world.Cancellation)
            ?? throw new ConformanceAssertionException($"No upgrade request reached the scripted server within {ms} ms.");
        server.Cursor = hit.Index + 1;
    }

    [StepDefinition("the scripted server gets no connection within {int} ms")]
    public async Task GetsNoConnection(int ms)
    {
        var server = Server;
        await Task.Delay(ms, world.Cancellation);
        var arrivals = server.Arrivals.Snapshot(server.Cursor);
        if (arrivals.Count > 0)
            throw new ConformanceAssertionException(
                $"A client connected to the scripted server within {ms} ms (upgrade {arrivals[0].PathAndQuery} at {arrivals[0].At.TotalSeconds:0.000} s); expected none.")
            { Expected = $"no connection within {ms} ms", Actual = [$"upgrade {arrivals[0].PathAndQuery}"] };
    }

    /// <summary>
    /// Waits for the client's #handshake on S (moving the cursor past it) and answers it like a well-behaved server:
    /// {"rid":cid,"data":{"id":"scripted-S","pingTimeout":90000,"isAuthenticated":false}}.
    /// </summary>
    [StepDefinition("{word} answers the handshake")]
    public async Task AnswersHandshake(string name)
    {
        var connection = ScriptedConnection(name, "answers the handshake");
        var handshake = await RawExpectations.ReceivesAsync(connection,
            FramePattern.Create(world, """{"event":"#handshake","cid":"<number>"}"""), world);
        connection.ReceivedCid = handshake.Json!.Value.GetProperty("cid").GetInt64();
        var id = JsonSerializer.Serialize($"scripted-{name}");
        await connection.SendTextAsync(
            $$$"""{"rid":{{{connection.ReceivedCid}}},"data":{"id":{{{id}}},"pingTimeout":{{{AdvertisedPingTimeout}}},"isAuthenticated":false}}""");
    }

    [StepDefinition("{word} sends a ping")]
    public Task SendsPing(string name) =>
        ScriptedConnection(name, "sends a ping").SendTextAsync(PingPong.Ping(world.ProtocolVersion));

    [StepDefinition("{word} drops the connection")]
    public void Drops(string name) => ScriptedConnection(name, "drops the connection").Drop();

    private ScriptedServer Server => world.Scripted ?? throw new InvalidOperationException(
        "No scripted server in this scenario ('the scripted server is running' must come first).");

    private Drivers.RawConnection ScriptedConnection(string name, string step)
    {
        var connection = world.Raw(name, step).Open;
        return connection.ServerSide ? connection
            : throw new InvalidOperationException($"step '{step}' is only for connections of the scripted server, and {name} is a raw client connection");
    }
}
