using System.Text.Json;
using Conformance.JsHosts;

namespace Conformance.JsHosts.Tests;

/// <summary>
/// The hosts' checks can fail: against a server that breaks one protocol rule the official client, run by the
/// browser and Jint hosts (and Node, for comparison), notices; against the same server done right it does not.
/// </summary>
public sealed class BrokenServerTests
{
    [Theory]
    [InlineData("chromium")]
    [InlineData("jint")]
    [InlineData("node")]
    public async Task V1_style_pings_make_the_v2_client_close_with_4000(string hostName)
    {
        await using var server = await BrokenServer.StartAsync(BrokenServerMode.V1PingStyle);
        var s = await DriverSession.StartAsync(hostName);
        await using var _ = s.Host;
        int h = await s.ConnectAsync(server.Port, new() { ["autoReconnect"] = false });

        var disconnect = await s.WaitForEvent(h, "disconnect");
        Assert.Equal(4000, disconnect.GetProperty("data").GetProperty("code").GetInt32());
        Assert.Equal(0, server.Pongs); // the client never answered "#1"
        Assert.DoesNotContain("#2", server.Received);
    }

    [Theory]
    [InlineData("chromium")]
    [InlineData("jint")]
    [InlineData("node")]
    public async Task Correct_pings_keep_the_client_connected_past_the_ping_timeout(string hostName)
    {
        await using var server = await BrokenServer.StartAsync(BrokenServerMode.Correct);
        var s = await DriverSession.StartAsync(hostName);
        await using var _ = s.Host;
        int h = await s.ConnectAsync(server.Port, new() { ["autoReconnect"] = false });

        // Enough pongs to span more than one ping timeout (16 x 250 ms = 4 s > 3 s).
        int needed = BrokenServer.PingTimeoutMs / BrokenServer.PingIntervalMs + 4;
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (server.Pongs < needed && DateTime.UtcNow < deadline) await Task.Delay(100, TestContext.Current.CancellationToken);
        Assert.True(server.Pongs >= needed, $"only {server.Pongs} pongs");
        var events = (await s.Ok("events", h)).GetProperty("events").EnumerateArray().Select(e => e.GetProperty("event").GetString());
        Assert.DoesNotContain("disconnect", events);
        Assert.Equal("Success", (await s.Invoke(h, "customProc", null)).GetString());
    }

    [Theory]
    [InlineData("chromium")]
    [InlineData("jint")]
    [InlineData("node")]
    public async Task Publication_without_the_publish_envelope_never_arrives(string hostName)
    {
        await using var server = await BrokenServer.StartAsync(BrokenServerMode.PublishWithoutEnvelope);
        var s = await DriverSession.StartAsync(hostName);
        await using var _ = s.Host;
        int h = await s.ConnectAsync(server.Port, new() { ["autoReconnect"] = false });

        await s.Ok("subscribe", h, "news");
        await s.WaitForEvent(h, "subscribe");
        // The bare frame is sent right after the subscribe response; a round trip later it has surely been read.
        Assert.Equal("Success", (await s.Invoke(h, "customProc", null)).GetString());
        var error = await s.Fails("waitForPublications", h, "news", 1, 1000);
        Assert.Equal("TimeoutError", error.GetProperty("name").GetString());
        Assert.Equal(0, (await s.Ok("publications", h, "news")).GetProperty("items").GetArrayLength());
    }

    [Theory]
    [InlineData("chromium")]
    [InlineData("jint")]
    [InlineData("node")]
    public async Task Publication_with_the_envelope_arrives(string hostName)
    {
        await using var server = await BrokenServer.StartAsync(BrokenServerMode.Correct);
        var s = await DriverSession.StartAsync(hostName);
        await using var _ = s.Host;
        int h = await s.ConnectAsync(server.Port, new() { ["autoReconnect"] = false });

        await s.Ok("subscribe", h, "news");
        var items = (await s.Ok("waitForPublications", h, "news", 1, DriverSession.WaitMs)).GetProperty("items");
        Assert.Equal("""[{"data":"hello"}]""", items.GetRawText());
    }

    [Theory]
    [InlineData("chromium")]
    [InlineData("jint")]
    [InlineData("node")]
    public async Task Disposing_the_host_closes_its_sockets_with_1000(string hostName)
    {
        await using var server = await BrokenServer.StartAsync(BrokenServerMode.Correct);
        var s = await DriverSession.StartAsync(hostName);
        await using (s.Host)
        {
            await s.ConnectAsync(server.Port, new() { ["autoReconnect"] = false });
        }
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (server.CloseCodes.Count == 0 && DateTime.UtcNow < deadline) await Task.Delay(50, TestContext.Current.CancellationToken);
        Assert.Equal([1000], server.CloseCodes);
    }
}
