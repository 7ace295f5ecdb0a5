using System.Net;
using System.Net.WebSockets;
using System.Text.Json.Nodes;
using Conformance.Mutants;

namespace Conformance.Mutants.Tests;

/// <summary>The proxy in front of the official Node fixture server, driven by a raw WebSocket.</summary>
public sealed class ProxyEndToEndTests(UpstreamFixture upstream)
{
    private Task<MutationProxy> Proxy(string mutationId) => MutationProxy.StartAsync(upstream.BaseUri, MutationCatalog.Get(mutationId));

    [Fact]
    public async Task Identity_relays_handshake_requests_transmits_pings_and_closes()
    {
        await using var proxy = await Proxy("identity");
        await using var s = await RawSocket.ConnectAsync(proxy.EndpointUri);
        var hs = await s.HandshakeAsync();
        Assert.Equal(20, hs["data"]!["id"]!.GetValue<string>().Length);

        var echo = await s.InvokeAsync("conformance.echo", """{"a":[1,2]}""");
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"a":[1,2]}"""), echo["data"]));

        await s.InvokeAsync("conformance.transmit", """{"event":"hello","data":"world"}""");
        var hello = await s.ReceiveAsync(o => o["event"]?.GetValue<string>() == "hello");
        Assert.Equal("world", hello["data"]!.GetValue<string>());

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (Volatile.Read(ref s.PingsSeen) == 0 && DateTime.UtcNow < deadline) await Task.Delay(100, TestContext.Current.CancellationToken);
        Assert.True(s.PingsSeen > 0, "no ping was relayed");

        await s.InvokeAsync("conformance.disconnect", """{"code":4321,"reason":"custom reason"}""");
        var closed = await s.ClosedAsync();
        Assert.Equal((4321, "custom reason", false), closed);
        Assert.Empty(proxy.Faults);
    }

    [Fact]
    public async Task Identity_relays_the_servers_refusal_of_a_wrong_path()
    {
        await using var proxy = await Proxy("identity");
        using var ws = new ClientWebSocket();
        ws.Options.CollectHttpResponseDetails = true;
        await Assert.ThrowsAsync<WebSocketException>(() => ws.ConnectAsync(new Uri(proxy.BaseUri, "/socketcluster"), TestContext.Current.CancellationToken));
        Assert.Equal(HttpStatusCode.BadRequest, ws.HttpStatusCode);
    }

    [Fact]
    public async Task Lenient_path_upgrades_the_slashless_path()
    {
        await using var proxy = await Proxy("path-without-slash-accepted");
        await using var s = await RawSocket.ConnectAsync(new Uri(proxy.BaseUri, "/socketcluster?x=1"));
        var hs = await s.HandshakeAsync();
        Assert.NotNull(hs["data"]!["id"]);
    }

    [Fact]
    public async Task Identity_closes_pre_handshake_traffic_with_4009_and_the_mutant_answers_it()
    {
        await using (var proxy = await Proxy("identity"))
        await using (var s = await RawSocket.ConnectAsync(proxy.EndpointUri))
        {
            await s.SendAsync("""{"event":"conformance.echo","data":1,"cid":1}""");
            var closed = await s.ClosedAsync();
            Assert.Equal(4009, closed.Code);
        }
        await using (var proxy = await Proxy("pre-handshake-accepted"))
        await using (var s = await RawSocket.ConnectAsync(proxy.EndpointUri))
        {
            var echo = await s.InvokeAsync("conformance.echo", "1");
            Assert.Equal(1, echo["data"]!.GetValue<int>());
        }
    }

    [Fact]
    public async Task Close_code_edit_applies_to_the_servers_4009()
    {
        await using var proxy = await Proxy("close-4009-as-1000");
        await using var s = await RawSocket.ConnectAsync(proxy.EndpointUri);
        await s.SendAsync("""{"event":"x"}""");
        var closed = await s.ClosedAsync();
        Assert.Equal(1000, closed.Code);
    }

    [Fact]
    public async Task Close_frame_missing_drops_the_connection()
    {
        await using var proxy = await Proxy("close-frame-missing");
        await using var s = await RawSocket.ConnectAsync(proxy.EndpointUri);
        await s.HandshakeAsync();
        await s.InvokeAsync("conformance.disconnect", """{"code":4321}""");
        var closed = await s.ClosedAsync();
        Assert.True(closed.Abrupt);
    }

    [Fact]
    public async Task Publish_without_envelope_reaches_a_subscriber_without_channel()
    {
        await using var proxy = await Proxy("publish-without-envelope");
        await using var s = await RawSocket.ConnectAsync(proxy.EndpointUri);
        await s.HandshakeAsync();
        var sub = await s.InvokeAsync("#subscribe", """{"channel":"ch"}""");
        Assert.Null(sub["error"]);
        await s.InvokeAsync("conformance.publish", """{"channel":"ch","data":{"n":1}}""");
        var pub = await s.ReceiveAsync(o => o["event"]?.GetValue<string>() == "#publish");
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"n":1}"""), pub["data"]));
    }

    [Fact]
    public async Task Never_pings_keeps_the_connection_alive_without_pings()
    {
        await using var proxy = await Proxy("never-pings");
        await using var s = await RawSocket.ConnectAsync(proxy.EndpointUri);
        await s.HandshakeAsync();
        await Task.Delay(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken); // > pingTimeout 3000 of the fixture
        Assert.Equal(0, s.PingsSeen);
        Assert.False(s.Closed.IsCompleted);
        var echo = await s.InvokeAsync("conformance.echo", "2");
        Assert.Equal(2, echo["data"]!.GetValue<int>());
    }

    [Fact]
    public async Task Legal_batching_delivers_batches_the_suite_can_split()
    {
        await using var proxy = await Proxy("legal-batched");
        await using var s = await RawSocket.ConnectAsync(proxy.EndpointUri);
        await s.HandshakeAsync();
        var echo = await s.InvokeAsync("conformance.echo", "3");
        Assert.Equal(3, echo["data"]!.GetValue<int>());
        Assert.Empty(proxy.Faults);
    }
}
