using System.Text.Json;
using System.Text.Json.Nodes;
using Conformance.Engine.Drivers;
using Conformance.Engine.Running;
using Conformance.Engine.Support;
using Reqnroll;

namespace Conformance.Engine.StepDefinitions;

/// <summary>
/// STEPS.md §3: operations for raw connections (the frame shown) and clients (the API named, not awaited; outcomes
/// are asserted by §4 and §7 steps).
/// </summary>
[Binding]
public sealed class OperationSteps(ScenarioWorld world)
{
    [StepDefinition("{word} transmits {string} with {string}")]
    public Task TransmitsWith(string name, string eventName, string data) => Transmit(name, eventName, data);

    [StepDefinition("{word} transmits {string} without data")]
    public Task TransmitsWithout(string name, string eventName) => Transmit(name, eventName, null);

    private Task Transmit(string name, string eventName, string? data)
    {
        switch (world.Get(name))
        {
            case RawActor raw:
                var dataPart = data is null ? "" : $",\"data\":{OutboundFrames.Json(world, data, "data")}";
                return raw.Open.SendTextAsync($"{{\"event\":{OutboundFrames.Quote(eventName)}{dataPart}}}");
            case ClientActor client:
                Track(client, "transmit", Wrap(client.Handle.TransmitAsync(eventName, Data(data), world.Cancellation)));
                return Task.CompletedTask;
            default: throw new InvalidOperationException();
        }
    }

    [StepDefinition("{word} invokes {string} with {string}")]
    public Task InvokesWith(string name, string procedure, string data) => Invoke(name, procedure, data);

    [StepDefinition("{word} invokes {string} without data")]
    public Task InvokesWithout(string name, string procedure) => Invoke(name, procedure, null);

    private Task Invoke(string name, string procedure, string? data)
    {
        switch (world.Get(name))
        {
            case RawActor raw:
                var connection = raw.Open;
                var dataPart = data is null ? "" : $",\"data\":{OutboundFrames.Json(world, data, "data")}";
                var cid = connection.NextCid("invoke");
                return connection.SendTextAsync($"{{\"event\":{OutboundFrames.Quote(procedure)}{dataPart},\"cid\":{cid}}}");
            case ClientActor client:
                Track(client, "invoke", client.Handle.InvokeAsync(procedure, Data(data), null, world.Cancellation));
                client.CallProcedure["invoke"] = client.CallProcedure["request"] = procedure;
                return Task.CompletedTask;
            default: throw new InvalidOperationException();
        }
    }

    [StepDefinition("{word} subscribes to {string}")]
    public Task Subscribes(string name, string channel) => Subscribe(name, channel, null);

    [StepDefinition("{word} subscribes to {string} with options {string}")]
    public Task SubscribesWithOptions(string name, string channel, string options) =>
        Subscribe(name, channel, world.ParseJson(options, "subscribe options") as JsonObject
            ?? throw new ArgumentException($"Subscribe options must be a JSON object: {options}"));

    [StepDefinition("{word} is subscribed to {string}")]
    public async Task IsSubscribed(string name, string channel)
    {
        await Subscribe(name, channel, null);
        switch (world.Get(name))
        {
            case RawActor raw:
                var connection = raw.Open;
                var response = await RawExpectations.ResponseAsync(connection, connection.LastCidByLabel["subscribe"], world);
                if (RawExpectations.HasError(response))
                    throw new ConformanceAssertionException($"{name} could not subscribe to {channel}: {response.GetRawText()}");
                break;
            case ClientActor client:
                await ClientExpectations.ChannelStateBecomesAsync(world, client, channel, "subscribed");
                break;
        }
    }

    private async Task Subscribe(string name, string channel, JsonObject? options)
    {
        switch (world.Get(name))
        {
            case RawActor raw:
                var connection = raw.Open;
                var data = new JsonObject { ["channel"] = channel };
                if (options is not null)
                {
                    foreach (var key in options.Select(p => p.Key).ToList())
                        if (key is "waitForAuth" or "data") data[key] = options[key]?.DeepClone();
                }
                var cid = connection.NextCid("subscribe");
                await connection.SendTextAsync($"{{\"event\":\"#subscribe\",\"data\":{data.ToJsonString()},\"cid\":{cid}}}");
                break;
            case ClientActor client:
                var since = (await client.Log.RefreshAsync(world.Cancellation)).LastOrDefault()?.Seq ?? 0;
                await client.Handle.SubscribeAsync(channel, options, world.Cancellation);
                client.LastSubscribedChannel = channel;
                TrackLazy(client, "subscribe", () => ClientExpectations.SubscribeOutcomeAsync(world, client, channel, since));
                break;
        }
    }

    [StepDefinition("{word} unsubscribes from {string}")]
    public Task Unsubscribes(string name, string channel)
    {
        switch (world.Get(name))
        {
            case RawActor raw:
                return raw.Open.SendTextAsync($"{{\"event\":\"#unsubscribe\",\"data\":{OutboundFrames.Quote(channel)}}}");
            case ClientActor client:
                return client.Handle.UnsubscribeAsync(channel, world.Cancellation);
            default: throw new InvalidOperationException();
        }
    }

    [StepDefinition("{word} publishes {string} to {string} with {word}")]
    public Task Publishes(string name, string data, string channel, string method)
    {
        if (method is not ("transmitPublish" or "invokePublish" or "channel.transmitPublish" or "channel.invokePublish"))
            throw new ArgumentException($"Unknown publish method '{method}': use transmitPublish, invokePublish, channel.transmitPublish or channel.invokePublish.");
        var isInvoke = method.EndsWith("invokePublish", StringComparison.Ordinal);
        switch (world.Get(name))
        {
            case RawActor raw:
                var connection = raw.Open;
                var envelope = $"{{\"channel\":{OutboundFrames.Quote(channel)},\"data\":{OutboundFrames.Json(world, data, "publication data")}}}";
                var cidPart = isInvoke ? $",\"cid\":{connection.NextCid("invokePublish")}" : "";
                return connection.SendTextAsync($"{{\"event\":\"#publish\",\"data\":{envelope}{cidPart}}}");
            case ClientActor client:
                var call = client.Handle.PublishAsync(method, channel, Data(data), world.Cancellation);
                Track(client, isInvoke ? "invokePublish" : "transmitPublish", call);
                return Task.CompletedTask;
            default: throw new InvalidOperationException();
        }
    }

    [StepDefinition("{word} authenticates with token {word}")]
    public Task Authenticates(string name, string token)
    {
        var signed = world.Token(token);
        switch (world.Get(name))
        {
            case RawActor raw:
                var connection = raw.Open;
                var cid = connection.NextCid("authenticate");
                return connection.SendTextAsync($"{{\"event\":\"#authenticate\",\"data\":{OutboundFrames.Quote(signed)},\"cid\":{cid}}}");
            case ClientActor client:
                Track(client, "authenticate", client.Handle.AuthenticateAsync(signed, world.Cancellation));
                return Task.CompletedTask;
            default: throw new InvalidOperationException();
        }
    }

    [StepDefinition("{word} deauthenticates")]
    public Task Deauthenticates(string name)
    {
        switch (world.Get(name))
        {
            case RawActor raw:
                return raw.Open.SendTextAsync("{\"event\":\"#removeAuthToken\"}");
            case ClientActor client:
                Track(client, "deauthenticate", client.Handle.DeauthenticateAsync(world.Cancellation));
                return Task.CompletedTask;
            default: throw new InvalidOperationException();
        }
    }

    [StepDefinition("{word} disconnects")]
    public Task Disconnects(string name) => Disconnect(name, null, null);

    [StepDefinition("{word} disconnects with code {int} and reason {string}")]
    public Task DisconnectsWith(string name, int code, string reason) => Disconnect(name, code, reason);

    private Task Disconnect(string name, int? code, string? reason) => world.Get(name) switch
    {
        RawActor raw => raw.Open.CloseAsync(code ?? 1000, reason ?? ""),
        ClientActor client => client.Handle.DisconnectAsync(code, reason, world.Cancellation),
        _ => throw new InvalidOperationException(),
    };

    [StepDefinition("{word} connects")]
    public Task Connects(string name) => world.Client(name, "connects").Handle.ConnectAgainAsync(null, world.Cancellation);

    [StepDefinition("{word} connects with new options {string}")]
    public Task ConnectsWith(string name, string options) =>
        world.Client(name, "connects with new options").Handle.ConnectAgainAsync(
            world.ParseJson(options, "client options") as JsonObject ?? throw new ArgumentException($"Options must be a JSON object: {options}"),
            world.Cancellation);

    [StepDefinition("{word} connects and at once disconnects with code {int} and reason {string}")]
    public Task ConnectsAndDisconnects(string name, int code, string reason) =>
        world.Client(name, "connects and at once disconnects").Handle.ConnectAndDisconnectAsync(code, reason, world.Cancellation);

    [StepDefinition("{word} publishes {int} numbered messages {string} to {string} with {word}")]
    public async Task PublishesNumbered(string name, int count, string text, string channel, string method)
    {
        for (var i = 0; i < count; i++)
            await Publishes(name, System.Text.Json.JsonSerializer.Serialize($"{text}{i}"), channel, method);
    }

    [StepDefinition("{word} reconnects")]
    public Task Reconnects(string name) => world.Client(name, "reconnects").Handle.ReconnectAsync(null, null, world.Cancellation);

    [StepDefinition("{word} reconnects with code {int} and reason {string}")]
    public Task ReconnectsWith(string name, int code, string reason) =>
        world.Client(name, "reconnects with code").Handle.ReconnectAsync(code, reason, world.Cancellation);

    [StepDefinition("{word} answers procedure {string} with {string}")]
    public Task AnswersWith(string name, string procedure, string data) =>
        world.Client(name, "answers procedure").Handle.ProcedureAsync(procedure,
            ProcedureBehaviour.EndWith(JsonPattern.Parse(world.Substitute(data), "procedure result")), world.Cancellation);

    [StepDefinition("{word} answers procedure {string} by echoing")]
    public Task AnswersByEchoing(string name, string procedure) =>
        world.Client(name, "answers procedure ... by echoing").Handle.ProcedureAsync(procedure, ProcedureBehaviour.Echo, world.Cancellation);

    [StepDefinition("{word} answers procedure {string} with the error {string} saying {string}")]
    public Task AnswersWithError(string name, string procedure, string errorName, string message) =>
        world.Client(name, "answers procedure ... with the error").Handle.ProcedureAsync(procedure,
            ProcedureBehaviour.ErrorWith(errorName, message), world.Cancellation);

    private JsonElement? Data(string? text) => text is null ? null : JsonPattern.Parse(world.Substitute(text), "data");

    private static async Task<CallOutcome> Wrap(Task task)
    {
        await task.ConfigureAwait(false);
        return CallOutcome.Success();
    }

    /// <summary>Remembers a client call under its label and as "request"; failures of unawaited calls are noted in the transcript.</summary>
    private void Track(ClientActor client, string label, Task<CallOutcome> call)
    {
        var observed = Observe(client.Name, label, call);
        TrackLazy(client, label, () => observed);
    }

    private void TrackLazy(ClientActor client, string label, Func<Task<CallOutcome>> call)
    {
        var lazy = new Lazy<Task<CallOutcome>>(call);
        client.Calls[label] = lazy;
        if (label is not ("transmit" or "transmitPublish" or "deauthenticate")) client.Calls["request"] = lazy;
    }

    private async Task<CallOutcome> Observe(string actor, string label, Task<CallOutcome> call)
    {
        try
        {
            var outcome = await call.ConfigureAwait(false);
            world.Transcript.Note(actor, $"{label} {outcome}");
            return outcome;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            world.Transcript.Note(actor, $"{label} threw {e.GetType().Name}: {e.Message}");
            throw;
        }
    }
}
