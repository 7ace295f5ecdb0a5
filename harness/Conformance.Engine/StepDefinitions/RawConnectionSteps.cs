using System.Text;
using Conformance.Engine.Drivers;
using Conformance.Engine.Running;
using Conformance.Engine.Support;
using Reqnroll;
using SocketCluster.Protocol;

namespace Conformance.Engine.StepDefinitions;

/// <summary>STEPS.md §1 rows 5–9, §2 (raw sending), §5 (raw observation) and row 72.</summary>
[Binding]
public sealed class RawConnectionSteps(ScenarioWorld world)
{
    private const string DefaultPath = "/socketcluster/";

    [StepDefinition("raw connection {word} is open")]
    public Task Open(string name) => OpenAt(name, DefaultPath);

    [StepDefinition("raw connection {word} is open at {string}")]
    public async Task OpenAt(string name, string path)
    {
        if (world.HasActor(name)) throw new InvalidOperationException($"Actor {name} already exists in this scenario.");
        var actor = new RawActor(name);
        world.Add(actor);
        actor.Connection = await ConnectAsync(name, path);
    }

    [StepDefinition("raw connection {word} tries to open at {string}")]
    public async Task TriesToOpen(string name, string path)
    {
        if (world.HasActor(name)) throw new InvalidOperationException($"Actor {name} already exists in this scenario.");
        var actor = new RawActor(name);
        world.Add(actor);
        try
        {
            actor.Connection = await ConnectAsync(name, path);
        }
        catch (UpgradeRefusedException e)
        {
            actor.RefusedStatus = e.StatusCode;
        }
    }

    [StepDefinition("the upgrade of raw connection {word} is refused with HTTP status {int}")]
    public void UpgradeRefused(string name, int status)
    {
        var actor = world.Raw(name, "the upgrade of raw connection ... is refused");
        if (actor.Connection is not null)
            throw new ConformanceAssertionException($"The upgrade of {name} succeeded (101); expected a refusal with HTTP {status}.");
        if (actor.RefusedStatus != status)
            throw new ConformanceAssertionException($"The upgrade of {name} was refused with HTTP {actor.RefusedStatus}; expected HTTP {status}.");
    }

    [StepDefinition("raw connection {word} has completed the handshake")]
    public Task CompletedHandshake(string name) => Handshake(name, null);

    [StepDefinition("raw connection {word} has completed the handshake with token {word}")]
    public Task CompletedHandshakeWithToken(string name, string token) => Handshake(name, world.Token(token));

    /// <summary>@cluster scenarios: the connection goes to node N of the cluster under test (STEPS.md §9.1 phrase 83).</summary>
    [StepDefinition("raw connection {word} has completed the handshake on node {int}")]
    public async Task CompletedHandshakeOnNode(string name, int node) => await Handshake(name, null, await world.NodeAsync(node));

    private async Task Handshake(string name, string? token, ServerEndpoint? node = null)
    {
        RawActor actor;
        if (world.HasActor(name)) actor = world.Raw(name, "has completed the handshake");
        else
        {
            actor = new RawActor(name);
            world.Add(actor);
        }
        actor.Connection ??= await ConnectAsync(name, DefaultPath, node);
        var connection = actor.Connection;
        var cid = connection.NextCid("handshake");
        var tokenJson = token is null ? "null" : System.Text.Json.JsonSerializer.Serialize(token);
        await connection.SendTextAsync($$"""{"event":"#handshake","data":{"authToken":{{tokenJson}}},"cid":{{cid}}}""");
        var response = await RawExpectations.ResponseAsync(connection, cid, world, moveCursor: true);
        if (RawExpectations.HasError(response))
            throw new ConformanceAssertionException($"The handshake of {name} was rejected: {response.GetRawText()}");
        if (connection.SocketId is null || connection.PingTimeout is null)
            throw new ConformanceAssertionException($"The handshake response of {name} lacks data.id or data.pingTimeout: {response.GetRawText()}");
    }

    private async Task<RawConnection> ConnectAsync(string name, string path, ServerEndpoint? node = null)
    {
        var target = node ?? await world.TargetAsync();
        return await RawConnection.OpenAsync(name, target.At(world.Substitute(path)), world.ProtocolVersion, world.Transcript,
            world.DefaultWait, world.Cancellation);
    }

    // ---- §2 raw sending ----

    [StepDefinition("{word} sends {string}")]
    public Task Sends(string name, string text) => RawSends(name, text);

    [StepDefinition("{word} sends:")]
    public Task SendsDocString(string name, string docString) => RawSends(name, docString.Trim());

    private Task RawSends(string name, string text)
    {
        var connection = world.Raw(name, "sends").Open;
        return connection.SendTextAsync(OutboundFrames.Prepare(world, connection, text, "request"));
    }

    [StepDefinition("{word} sends the binary frame {string}")]
    public Task SendsBinary(string name, string text)
    {
        var connection = world.Raw(name, "sends the binary frame").Open;
        return connection.SendBinaryAsync(Encoding.UTF8.GetBytes(OutboundFrames.Prepare(world, connection, text, "request")));
    }

    [StepDefinition("{word} sends a pong")]
    public Task SendsPong(string name) => world.Raw(name, "sends a pong").Open.SendPongAsync();

    [StepDefinition("{word} stops answering pings")]
    public void StopsAnsweringPings(string name) => world.Raw(name, "stops answering pings").Open.StopAnsweringPings();

    // ---- §5 raw observation ----

    [StepDefinition("{word} receives {string}")]
    public async Task Receives(string name, string pattern)
    {
        var connection = world.Raw(name, "receives").Open;
        await RawExpectations.ReceivesAsync(connection, FramePattern.Create(world, pattern), world);
    }

    /// <summary>Phrase 47a: as "receives", and the frame found has exactly the pattern's keys (FramePattern.Exact).</summary>
    [StepDefinition("{word} receives exactly {string}")]
    public async Task ReceivesExactly(string name, string pattern)
    {
        var connection = world.Raw(name, "receives exactly").Open;
        await RawExpectations.ReceivesAsync(connection, FramePattern.CreateExact(world, pattern), world);
    }

    [StepDefinition("{word} next receives {string}")]
    public Task NextReceives(string name, string patternText) =>
        NextReceives(name, FramePattern.Create(world, patternText));

    /// <summary>Phrase 48a: as "next receives", with exactly the pattern's keys.</summary>
    [StepDefinition("{word} next receives exactly {string}")]
    public Task NextReceivesExactly(string name, string patternText) =>
        NextReceives(name, FramePattern.CreateExact(world, patternText));

    private async Task NextReceives(string name, FramePattern pattern)
    {
        var connection = world.Raw(name, "next receives").Open;
        var hit = await connection.Inbound.WaitForAsync(connection.Cursor, f => !f.IsPing, world.DefaultWait, world.Cancellation);
        if (hit is null)
            throw new ConformanceAssertionException(
                $"{name} received no frame within {world.DefaultWait.TotalSeconds:0.#} s{RawExpectations.Ending(connection)}; expected one matching {pattern}.")
            { Expected = pattern.ToString(), Actual = RawExpectations.Received(connection) };
        if (pattern.Mismatch(hit.Value.Item, connection.LastRequestCid) is { } why)
            throw new ConformanceAssertionException($"The next frame {name} received does not match {pattern}: {why}\n  frame: {hit.Value.Item.Text}")
            { Expected = pattern.ToString(), Actual = [RawExpectations.Shown(hit.Value.Item)] };
        RawExpectations.Consume(connection, hit.Value.Index, hit.Value.Item);
    }

    [StepDefinition("{word} receives no frame matching {string} within {int} ms")]
    public async Task ReceivesNoFrame(string name, string patternText, int ms)
    {
        var connection = world.Raw(name, "receives no frame matching").Open;
        var pattern = FramePattern.Create(world, patternText);
        await Task.Delay(ms, world.Cancellation);
        var offending = connection.Inbound.Snapshot(connection.Cursor)
            .FirstOrDefault(f => !f.IsPing && pattern.Matches(f, connection.LastRequestCid));
        if (offending is not null)
            throw new ConformanceAssertionException($"{name} received a frame matching {pattern} within {ms} ms: {offending.Text}")
            { Expected = $"no frame matching {pattern} within {ms} ms", Actual = [RawExpectations.Shown(offending)] };
    }

    [StepDefinition("{word} receives a ping")]
    public async Task ReceivesPing(string name)
    {
        var actor = world.Raw(name, "receives a ping");
        var connection = actor.Open;
        var wait = world.Within(await world.NamedTimeoutAsync("interval", actor));
        var hit = await connection.Inbound.WaitForAsync(actor.PingCursor, f => f.IsPing, wait, world.Cancellation);
        if (hit is null)
            throw new ConformanceAssertionException(
                $"{name} received no ping ({Quote(PingPong.Ping(world.ProtocolVersion))}) within {wait.TotalSeconds:0.#} s{RawExpectations.Ending(connection)}.");
        actor.PingCursor = hit.Value.Index + 1;
    }

    private static string Quote(string s) => $"'{s}'";
}
