using System.Text.Json;

namespace Conformance.SamplePage.Tests.Matrix;

/// <summary>One seed check: passes, or throws/returns a reason it failed.</summary>
public sealed record SeedCheck(string Id, string Description, Func<IMatrixClient, Task<string?>> Run);

/// <summary>
/// The fixed list of seed checks every (client, server) cell runs, in order, on one connection. Each returns null when
/// it passed, else what it saw. The first check connects; when it fails the rest cannot pass.
/// </summary>
public static class SeedChecks
{
    static string Raw(JsonElement? e) => e?.GetRawText() ?? "(none)";

    static bool Has(IEnumerable<JsonElement?> items, string rawJson) => items.Any(i => i is { } e && e.GetRawText() == rawJson);

    /// <summary>
    /// The servers' ping timing in the matrix: short, so the ping-pong check is quick. Under v1 the server pings "#1"
    /// and needs "#2", under v2 "" and "" (PP-001..); a client answering in the wrong version, or not at all, is closed
    /// by the server once it has been silent for <see cref="PingTimeoutMs"/>.
    /// </summary>
    public const int PingIntervalMs = 300;

    public const int PingTimeoutMs = 1200;

    /// <summary>1.5 × the ping timeout: a missing pong has closed the socket by then even with a late timer tick.</summary>
    static readonly TimeSpan SilentWait = TimeSpan.FromMilliseconds(PingTimeoutMs * 3 / 2);

    /// <param name="protocolVersion">The server's protocol version; the client is configured to speak it.</param>
    public static IReadOnlyList<SeedCheck> All(int port, int protocolVersion = 2)
    {
        string? connectedId = null;
        return
    [
        new("connect-hello", "connect, then conformance.hello answers contract 1", async c =>
        {
            await c.ConnectAsync(port, protocolVersion);
            connectedId = (await c.ConnectionAsync()).Id;
            var hello = await c.InvokeAsync("conformance.hello", null);
            return hello.Ok && hello.Data is { ValueKind: JsonValueKind.Object } d && d.TryGetProperty("contract", out var k) && k.GetRawText() == "1"
                ? null : $"hello: {hello}";
        }),
        new("transmit", "transmit('customRemoteEvent', 123) is recorded (conformance.received)", async c =>
        {
            await c.TransmitAsync("customRemoteEvent", 123);
            var received = await c.InvokeAsync("conformance.received", new { @event = "customRemoteEvent" });
            return received.Ok && Raw(received.Data) == "[123]" ? null : $"conformance.received: {received}";
        }),
        new("invoke-success", "invoke('customProc', {foo: 'bar'}) resolves 'Success'", async c =>
        {
            var result = await c.InvokeAsync("customProc", new { foo = "bar" });
            return result.Ok && Raw(result.Data) == "\"Success\"" ? null : result.ToString();
        }),
        new("invoke-error", "invoke('customProc', {bad: true}) rejects with BadCustomError", async c =>
        {
            var result = await c.InvokeAsync("customProc", new { bad = true });
            return !result.Ok && result.ErrorName == "BadCustomError" ? null : result.ToString();
        }),
        new("subscribe-publish", "subscribe('foo'), transmitPublish and invokePublish are received back", async c =>
        {
            await c.SubscribeAsync("foo");
            await c.TransmitPublishAsync("foo", "This is some data");
            await c.InvokePublishAsync("foo", "This is some more data");
            var items = await c.WaitForPublicationsAsync("foo", 2);
            return Has(items, "\"This is some data\"") && Has(items, "\"This is some more data\"")
                ? null : "publications: " + string.Join(", ", items.Select(Raw));
        }),
        new("server-publish", "conformance.publish (exchange.invokePublish) is received", async c =>
        {
            var published = await c.InvokeAsync("conformance.publish", new { channel = "foo", data = "Published by the server", ack = true });
            if (!published.Ok) return $"conformance.publish: {published}";
            var items = await c.WaitForPublicationsAsync("foo", 3);
            return Has(items, "\"Published by the server\"") ? null : "publications: " + string.Join(", ", items.Select(Raw));
        }),
        new("server-transmit", "conformance.transmit reaches the client's receiver", async c =>
        {
            await c.ReceiverAsync("matrixEvent");
            var sent = await c.InvokeAsync("conformance.transmit", new { @event = "matrixEvent", data = "world" });
            if (!sent.Ok) return $"conformance.transmit: {sent}";
            var items = await c.WaitForReceivedAsync("matrixEvent", 1);
            return items.Count == 1 && Raw(items[0]) == "\"world\"" ? null : "received: " + string.Join(", ", items.Select(Raw));
        }),
        new("server-invoke", "conformance.invoke calls a client procedure and gets its answer", async c =>
        {
            await c.EchoProcedureAsync("matrixProc");
            var outcome = await c.InvokeAsync("conformance.invoke", new { procedure = "matrixProc", data = 5 });
            return outcome.Ok && Raw(outcome.Data) == """{"data":5}""" ? null : $"conformance.invoke: {outcome}";
        }),
        new("login", "conformance.login authenticates the socket", async c =>
        {
            var authenticated = await c.ArmEventAsync("authenticate");
            var login = await c.InvokeAsync("conformance.login", new { username = "alice" });
            if (!login.Ok || login.Data is not { ValueKind: JsonValueKind.String }) return $"conformance.login: {login}";
            await authenticated();
            var state = await c.AuthStateAsync();
            return state == "authenticated" ? null : $"authState {state}";
        }),
        new("kick-out", "conformance.kickOut gives the client a kickOut event", async c =>
        {
            await c.SubscribeAsync("kicked");
            var kicked = await c.ArmEventAsync("kickOut");
            var outcome = await c.InvokeAsync("conformance.kickOut", new { channel = "kicked", message = "bye" });
            if (!outcome.Ok) return $"conformance.kickOut: {outcome}";
            var data = await kicked();
            return data.Contains("\"kicked\"", StringComparison.Ordinal) ? null : $"kickOut event: {data}";
        }),
        new("ping-pong", $"silent for 1.5 × the server's pingTimeout ({PingTimeoutMs} ms), the client answers its pings in the cell's protocol version and stays connected", async c =>
        {
            // Any inbound message resets the server's watchdog, so the wait starts after the client's last message.
            await Task.Delay(SilentWait);
            var (state, id) = await c.ConnectionAsync();
            return state == "open" && id == connectedId ? null : $"after {SilentWait.TotalMilliseconds} ms: state {state}, id {id ?? "null"} (connected as {connectedId ?? "null"})";
        }),
    ];
    }
}
