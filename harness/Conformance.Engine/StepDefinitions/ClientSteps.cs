using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Conformance.Engine.Running;
using Conformance.Engine.Support;
using Reqnroll;

namespace Conformance.Engine.StepDefinitions;

/// <summary>
/// STEPS.md §1 rows 10–12: client actors, created by a driver and connected through a recording relay. "a client C"
/// is the client under test, the run dimension of a @client case (ClientDimension); "a node client B" names a fixed
/// helper driver, whatever client is under test.
/// </summary>
[Binding]
public sealed partial class ClientSteps(ScenarioWorld world)
{
    [StepDefinition("a client {word} is connected")]
    public Task UnderTestConnected(string name) => Create(ClientUnderTest(), name, null, waitForConnect: true);

    [StepDefinition("a client {word} is connected with options {string}")]
    public Task UnderTestConnectedWith(string name, string options) => Create(ClientUnderTest(), name, options, waitForConnect: true);

    [StepDefinition("a client {word} is created with options {string}")]
    public Task UnderTestCreatedWith(string name, string options) => Create(ClientUnderTest(), name, options, waitForConnect: false);

    private string ClientUnderTest() => world.Run.Case.Client
        ?? throw new InvalidOperationException(
            "\"a client X\" means the client under test, which only a @client scenario has (it runs once per client); "
            + "tag the scenario @client, or name a fixed helper driver (\"a node client X\").");

    [StepDefinition("a {word} client {word} is connected")]
    public Task Connected(string driver, string name) => Create(driver, name, null, waitForConnect: true);

    [StepDefinition("a {word} client {word} is connected with options {string}")]
    public Task ConnectedWith(string driver, string name, string options) => Create(driver, name, options, waitForConnect: true);

    [StepDefinition("a {word} client {word} is created with options {string}")]
    public Task CreatedWith(string driver, string name, string options) => Create(driver, name, options, waitForConnect: false);

    private async Task Create(string driverName, string name, string? optionsText, bool waitForConnect)
    {
        if (world.HasActor(name)) throw new InvalidOperationException($"Actor {name} already exists in this scenario.");
        var target = await world.TargetAsync();
        var driver = await world.Session.Clients.GetAsync(driverName);

        // Each client talks to its server through its own relay (a distinct port: a distinct token storage origin too).
        var relay = new RecordingRelay(name, () => target.WebSocketUrl, world.Transcript);
        var options = new JsonObject
        {
            ["hostname"] = "127.0.0.1",
            ["port"] = relay.Port,
            ["path"] = target.WebSocketUrl.AbsolutePath,
            ["protocolVersion"] = world.ProtocolVersion,
        };
        if (optionsText is not null)
        {
            var extra = world.ParseJson(optionsText, "client options") as JsonObject
                ?? throw new ArgumentException($"Client options must be a JSON object: {optionsText}");
            foreach (var key in extra.Select(p => p.Key).ToList()) options[key] = extra[key]?.DeepClone();
        }

        // Created with autoConnect false so that the recorders are attached before the first connecting event.
        var autoConnect = options["autoConnect"]?.GetValueKind() != System.Text.Json.JsonValueKind.False;
        options["autoConnect"] = false;
        world.Transcript.Note(name, $"{driverName} client created with {options.ToJsonString()}{(autoConnect ? ", then connect()" : "")}");
        Drivers.IClientHandle handle;
        try
        {
            handle = await driver.ConnectAsync(options, world.Cancellation);
        }
        catch
        {
            await relay.DisposeAsync();
            throw;
        }
        var actor = new ClientActor(name, driverName, handle, relay);
        actor.Log = new ClientEventLog(actor, world.Transcript);
        world.Add(actor);

        // Receivers for every event name this scenario expects the client to receive (STEPS.md §3, last paragraph).
        foreach (var eventName in ReceivedEventNames(name)) await handle.ReceiverAsync(eventName, world.Cancellation);
        if (autoConnect) await handle.ConnectAgainAsync(null, world.Cancellation);

        if (!waitForConnect) return;
        var connect = await actor.Log.WaitForAsync(e => e.Name == "connect", 0, world.DefaultWait, world.Cancellation);
        if (connect is null)
        {
            var events = string.Join("; ", actor.Log.Events.Select(e => $"{e.Name} {ClientEventLog.Compact(e.Data)}"));
            throw new ConformanceAssertionException(
                $"The {driverName} client {name} did not emit connect within {world.DefaultWait.TotalSeconds:0.#} s. Events: {(events.Length == 0 ? "none" : events)}");
        }
    }

    [GeneratedRegex("^(\\S+) receives the event [\"']([^\"']*)[\"']")]
    private static partial Regex ReceivesEventStep();

    private IEnumerable<string> ReceivedEventNames(string actor) =>
        world.Run.Case.Steps
            .Select(s => ReceivesEventStep().Match(s.Text))
            .Where(m => m.Success && m.Groups[1].Value == actor)
            .Select(m => m.Groups[2].Value)
            .Distinct(StringComparer.Ordinal);
}
