using System.Text.Json;
using Conformance.Engine.Drivers;
using Conformance.Engine.Running;
using Conformance.Engine.Support;
using Reqnroll;

namespace Conformance.Engine.StepDefinitions;

/// <summary>STEPS.md §9 phrases 76–77: many raw connections at once.</summary>
[Binding]
public sealed class CrowdSteps(ScenarioWorld world)
{
    private readonly List<(RawConnection Connection, long HandshakeCid, long RequestCid)> _crowd = [];
    private const int MaxCrowd = 1000;

    [StepDefinition("{int} raw connections each complete the handshake and invoke {string} with {string}")]
    public async Task CrowdInvokes(int count, string procedure, string data)
    {
        if (count is < 1 or > MaxCrowd) throw new ArgumentException($"Between 1 and {MaxCrowd} connections, got {count}.");
        var dataText = OutboundFrames.Json(world, data, "data");
        var target = await world.TargetAsync();
        var tasks = Enumerable.Range(1, count).Select(async i =>
        {
            var connection = await RawConnection.OpenAsync($"crowd{i}", target.WebSocketUrl, world.ProtocolVersion, world.Transcript,
                world.DefaultWait, world.Cancellation);
            var actor = new RawActor($"crowd{i}") { Connection = connection };
            lock (_crowd) world.Add(actor);
            var handshakeCid = connection.NextCid("handshake");
            await connection.SendTextAsync($$"""{"event":"#handshake","data":{"authToken":null},"cid":{{handshakeCid}}}""");
            var response = await RawExpectations.ResponseAsync(connection, handshakeCid, world);
            var requestCid = connection.NextCid("invoke");
            if (!RawExpectations.HasError(response))
                await connection.SendTextAsync($"{{\"event\":{OutboundFrames.Quote(procedure)},\"data\":{dataText},\"cid\":{requestCid}}}");
            lock (_crowd) _crowd.Add((connection, handshakeCid, requestCid));
        });
        await Task.WhenAll(tasks);
    }

    [StepDefinition("all {int} handshakes succeed with distinct socket ids and all invokes resolve with {string}")]
    public async Task AllSucceed(int count, string patternText)
    {
        if (_crowd.Count != count) throw new ConformanceAssertionException($"{_crowd.Count} connections were opened, not {count}.");
        var pattern = FramePattern.Create(world, patternText);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var failures = new List<string>();
        var deadline = DateTime.UtcNow + world.DefaultWait;
        foreach (var (connection, handshakeCid, requestCid) in _crowd)
        {
            var remaining = deadline - DateTime.UtcNow;
            if (remaining < TimeSpan.Zero) remaining = TimeSpan.Zero;
            var handshake = (await connection.Inbound.WaitForAsync(0, f => RawExpectations.IsResponseTo(f, handshakeCid), remaining, world.Cancellation))?.Item;
            if (handshake?.Json is not { } h || RawExpectations.HasError(h)
                || !h.TryGetProperty("data", out var hd) || !hd.TryGetProperty("id", out var id) || id.ValueKind != JsonValueKind.String)
            {
                failures.Add($"{connection.Name}: no successful handshake response ({handshake?.Text ?? "none"})");
                continue;
            }
            if (!ids.Add(id.GetString()!)) failures.Add($"{connection.Name}: duplicate socket id {id.GetString()}");
            remaining = deadline - DateTime.UtcNow;
            if (remaining < TimeSpan.Zero) remaining = TimeSpan.Zero;
            var response = (await connection.Inbound.WaitForAsync(0, f => RawExpectations.IsResponseTo(f, requestCid), remaining, world.Cancellation))?.Item;
            if (response?.Json is not { } r || RawExpectations.HasError(r))
                failures.Add($"{connection.Name}: invoke did not resolve ({response?.Text ?? "no response"})");
            else if (!r.TryGetProperty("data", out var data) || pattern.Mismatch(data) is { } why)
                failures.Add($"{connection.Name}: invoke resolved with {response.Text}, not matching {pattern}");
        }
        if (failures.Count > 0)
            throw new ConformanceAssertionException($"{failures.Count} of {count} connections failed:\n  " + string.Join("\n  ", failures.Take(20)));
    }
}
