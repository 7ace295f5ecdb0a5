using System.Text.Json;
using System.Text.Json.Nodes;
using Conformance.Engine.Drivers;
using Conformance.Engine.Running;
using Conformance.Engine.Support;
using Reqnroll;

namespace Conformance.Engine.StepDefinitions;

/// <summary>STEPS.md §1: the known-good server and tokens.</summary>
[Binding]
public sealed class ServerSteps(ScenarioWorld world)
{
    [StepDefinition("the known-good server is running")]
    public Task KnownGoodRunning() => StartKnownGood(null);

    [StepDefinition("the known-good server is running with options {string}")]
    public Task KnownGoodRunningWith(string options) => StartKnownGood(world.ParseJson(options, "server options") as JsonObject
        ?? throw new ArgumentException($"Server options must be a JSON object: {options}"));

    private async Task StartKnownGood(JsonObject? options)
    {
        if (world.KnownGood is not null) throw new InvalidOperationException("The known-good server is already running in this scenario.");
        world.KnownGood = await world.Session.KnownGood.AcquireAsync(options, world.Cancellation);
        world.Transcript.Note("server", $"known-good server: {world.KnownGood.Endpoint.Description}");
    }

    [StepDefinition("the known-good server is stopped")]
    public async Task KnownGoodStopped()
    {
        var lease = world.KnownGood ?? throw new InvalidOperationException("The known-good server is not running in this scenario.");
        await lease.StopAsync();
        world.Transcript.Note("server", "known-good server stopped (killed: every socket drops)");
    }

    [StepDefinition("the known-good server is started again")]
    public async Task KnownGoodStartedAgain()
    {
        var lease = world.KnownGood ?? throw new InvalidOperationException("The known-good server was never started in this scenario.");
        await lease.StartAgainAsync(world.Cancellation);
        world.ResetFixture();
        world.Transcript.Note("server", $"known-good server started again on {lease.Endpoint.WebSocketUrl}");
    }

    /// <summary>Declares the token; it is minted from the scenario's target when a step first uses it.</summary>
    [StepDefinition("token {word} is issued by the server for {string}")]
    public void TokenIssued(string name, string payload)
    {
        JsonPattern.Parse(world.Substitute(payload), $"the payload of token {name}");
        world.DeclaredTokens[name] = payload;
        world.Tokens.Remove(name);
    }

    [StepDefinition("token {word} is the text {string}")]
    public void TokenIsText(string name, string text)
    {
        world.DeclaredTokens.Remove(name);
        world.Tokens[name] = text;
    }
}
