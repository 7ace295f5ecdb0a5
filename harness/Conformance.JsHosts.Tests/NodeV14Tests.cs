using Conformance.JsHosts;

namespace Conformance.JsHosts.Tests;

/// <summary>The Node host with --v14 runs socketcluster-client 14.3.2 (protocol v1) against the v14 fixture.</summary>
public sealed class NodeV14Tests
{
    [Fact]
    public async Task V14_client_talks_protocol_v1_to_the_v14_fixture()
    {
        await using var server = await NodeFixtureServer.StartAsync("fixture-server-v14.js");
        await using var host = await JsDriverHosts.StartAsync("node-v14", ct: TestContext.Current.CancellationToken);
        var s = new DriverSession(host);
        Assert.Equal("14.3.2", (await s.Ok("info")).GetProperty("version").GetString());
        var connected = await s.Ok("connect", new { hostname = "127.0.0.1", port = server.Port });
        Assert.Equal("emitter", connected.GetProperty("api").GetString()); // the v14 on/emit API
        int h = connected.GetProperty("handle").GetInt32();
        await s.WaitForEvent(h, "connect");
        var hello = await s.Invoke(h, "conformance.hello", null);
        Assert.Equal(1, hello.GetProperty("protocolVersion").GetInt32());
        Assert.Equal("Success", (await s.Invoke(h, "customProc", new { foo = "bar" })).GetString());
        var error = await s.Fails("invoke", h, "customProc", new { bad = true });
        Assert.Equal("BadCustomError", error.GetProperty("name").GetString());
    }
}
