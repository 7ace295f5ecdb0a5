using System.Text.Json;
using Conformance.Engine.Drivers;
using Conformance.Engine.Running;
using Conformance.Engine.Support;
using Reqnroll;

namespace Conformance.Engine.StepDefinitions;

/// <summary>
/// STEPS.md §4: outcomes of requests, by label (invoke, invokePublish, authenticate, subscribe, request). Raw: the
/// response frame with that rid (searched from the cursor). Clients: the settled call.
/// </summary>
[Binding]
public sealed class OutcomeSteps(ScenarioWorld world)
{
    [StepDefinition("the {word} of {word} resolves")]
    public async Task Resolves(string label, string name) => RequireSuccess(label, name, await OutcomeAsync(label, name));

    [StepDefinition("the {word} of {word} resolves with {string}")]
    public async Task ResolvesWith(string label, string name, string patternText)
    {
        var (outcome, lastCid) = await OutcomeWithCidAsync(label, name);
        RequireSuccess(label, name, outcome);
        var pattern = FramePattern.Create(world, patternText);
        if (!outcome.HasData)
            throw new ConformanceAssertionException($"The {label} of {name} resolved without data; expected data matching {pattern}.")
            { Expected = pattern.ToString(), Actual = ["(resolved without data)"] };
        var data = outcome.Data!.Value;
        // conformance.subscriptions answers in unspecified order: compare it sorted (STEPS.md §0.3).
        if (ProcedureOf(label, name) == "conformance.subscriptions" && data.ValueKind == JsonValueKind.Array
            && data.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String))
            data = JsonSerializer.SerializeToElement(data.EnumerateArray().Select(e => e.GetString()!).Order(StringComparer.Ordinal).ToList());
        if (pattern.Mismatch(data, lastCid) is { } why)
            throw new ConformanceAssertionException($"The {label} of {name} resolved with {data.GetRawText()}, which does not match {pattern}: {why}")
            { Expected = pattern.ToString(), Actual = [data.GetRawText()] };
    }

    [StepDefinition("the {word} of {word} resolves without data")]
    public async Task ResolvesWithoutData(string label, string name)
    {
        var outcome = await OutcomeAsync(label, name);
        RequireSuccess(label, name, outcome);
        if (outcome.HasData)
            throw new ConformanceAssertionException($"The {label} of {name} resolved with data {outcome.Data!.Value.GetRawText()}; expected no data.");
    }

    [StepDefinition("the {word} of {word} fails with {string}")]
    public async Task FailsWith(string label, string name, string errorName) =>
        CheckError(label, name, await OutcomeAsync(label, name), errorName, null);

    [StepDefinition("the {word} of {word} fails with {string} saying {string}")]
    public async Task FailsWithSaying(string label, string name, string errorName, string message) =>
        CheckError(label, name, await OutcomeAsync(label, name), errorName, message);

    [StepDefinition("the {word} of {word} fails with an error like {string}")]
    public async Task FailsLike(string label, string name, string patternText)
    {
        var (outcome, lastCid) = await OutcomeWithCidAsync(label, name);
        var error = RequireFailure(label, name, outcome);
        var pattern = FramePattern.Create(world, patternText);
        if (pattern.Mismatch(error, lastCid) is { } why)
            throw new ConformanceAssertionException($"The {label} of {name} failed with {error.GetRawText()}, which does not match {pattern}: {why}")
            { Expected = pattern.ToString(), Actual = [error.GetRawText()] };
    }

    [StepDefinition("the {word} of {word} gets no response within {int} ms")]
    public async Task NoResponse(string label, string name, int ms)
    {
        switch (world.Get(name))
        {
            case RawActor raw:
                var connection = raw.Open;
                var cid = CidOf(connection, label);
                await Task.Delay(ms, world.Cancellation);
                var response = connection.Inbound.Snapshot(connection.Cursor).FirstOrDefault(f => RawExpectations.IsResponseTo(f, cid));
                if (response is not null)
                    throw new ConformanceAssertionException($"The {label} of {name} (cid {cid}) got a response within {ms} ms: {response.Text}");
                break;
            case ClientActor client:
                var call = ClientExpectations.Call(client, label);
                await Task.WhenAny(call, Task.Delay(ms, world.Cancellation));
                if (call.IsCompleted)
                    throw new ConformanceAssertionException(
                        $"The {label} of {name} settled within {ms} ms: {(call.IsCompletedSuccessfully ? call.Result.ToString() : call.Exception?.GetBaseException().Message)}");
                break;
        }
    }

    private async Task<CallOutcome> OutcomeAsync(string label, string name) => (await OutcomeWithCidAsync(label, name)).Outcome;

    private async Task<(CallOutcome Outcome, long? LastCid)> OutcomeWithCidAsync(string label, string name)
    {
        switch (world.Get(name))
        {
            case RawActor raw:
                var connection = raw.Open;
                var cid = CidOf(connection, label);
                var response = await RawExpectations.ResponseAsync(connection, cid, world);
                return (FromResponse(response), connection.LastRequestCid);
            case ClientActor client:
                return (await ClientExpectations.OutcomeAsync(world, client, label), null);
            default:
                throw new InvalidOperationException();
        }
    }

    private string? ProcedureOf(string label, string name) => world.Get(name) switch
    {
        RawActor { Connection: { } c } => c.LastCidByLabel.TryGetValue(label, out var cid) ? c.EventByCid.GetValueOrDefault(cid) : null,
        ClientActor client => client.CallProcedure.GetValueOrDefault(label),
        _ => null,
    };

    private static long CidOf(RawConnection connection, string label) =>
        connection.LastCidByLabel.TryGetValue(label, out var cid)
            ? cid
            : throw new InvalidOperationException($"{connection.Name} has sent no {label} request in this scenario.");

    private static CallOutcome FromResponse(JsonElement response)
    {
        if (RawExpectations.HasError(response)) return CallOutcome.Failure(response.GetProperty("error").Clone());
        return response.TryGetProperty("data", out var data) ? CallOutcome.Success(data.Clone()) : CallOutcome.Success();
    }

    private static void RequireSuccess(string label, string name, CallOutcome outcome)
    {
        if (!outcome.Ok)
            throw new ConformanceAssertionException($"The {label} of {name} failed with {outcome.Error?.GetRawText()}; expected it to resolve.");
    }

    private static JsonElement RequireFailure(string label, string name, CallOutcome outcome)
    {
        if (outcome.Ok) throw new ConformanceAssertionException($"The {label} of {name} {outcome}; expected it to fail.");
        return outcome.Error ?? throw new ConformanceAssertionException($"The {label} of {name} failed without an error value.");
    }

    private static void CheckError(string label, string name, CallOutcome outcome, string errorName, string? message)
    {
        var error = RequireFailure(label, name, outcome);
        if (error.ValueKind != JsonValueKind.Object)
            throw new ConformanceAssertionException($"The {label} of {name} failed with the plain value {error.GetRawText()}; expected an error named {errorName}.");
        var actualName = error.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
        var actualMessage = error.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
        if (actualName != errorName || (message is not null && actualMessage != message))
            throw new ConformanceAssertionException(
                $"The {label} of {name} failed with {error.GetRawText()}; expected name '{errorName}'" +
                (message is null ? "." : $" and message '{message}'."));
    }
}
