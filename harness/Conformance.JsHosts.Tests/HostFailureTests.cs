using System.Diagnostics;
using Conformance.JsHosts;
using Conformance.JsHosts.Chromium;
using Conformance.JsHosts.Node;

namespace Conformance.JsHosts.Tests;

/// <summary>A host that dies fails its callers with a clear error instead of hanging them.</summary>
public sealed class HostFailureTests
{
    [Fact]
    public async Task A_dead_node_driver_fails_pending_and_later_calls()
    {
        await using var host = await NodeDriverHost.StartAsync(ct: TestContext.Current.CancellationToken);
        var s = new DriverSession(host);
        // A wait that would last 60 s, pending when the process dies.
        var connected = await s.Ok("connect", new { hostname = "127.0.0.1", port = 9, autoConnect = false });
        var pending = s.Call("waitForEvent", connected.GetProperty("handle").GetInt32(), "never", 60_000);
        Process.GetProcessById(host.ProcessId).Kill();

        var e = await Assert.ThrowsAnyAsync<JsDriverHostException>(() => pending);
        Assert.Contains("node client driver stopped", e.Message);
        await Assert.ThrowsAnyAsync<JsDriverHostException>(() => s.Call("info"));
    }

    [Fact]
    public async Task Unknown_host_name_is_refused()
    {
        var e = await Assert.ThrowsAsync<ArgumentException>(() => JsDriverHosts.StartAsync("firefox", ct: TestContext.Current.CancellationToken));
        Assert.Contains("node, node-v14, chromium, jint", e.Message);
    }
}

public sealed class ChromiumLocationTests
{
    [Fact]
    public void Chromium_is_taken_from_CHROMIUM_PATH_else_from_Debian_paths()
    {
        Assert.Equal("/opt/c/chrome", ChromiumBrowser.FindExecutable(_ => "/opt/c/chrome", _ => true));
        Assert.Null(ChromiumBrowser.FindExecutable(_ => "/opt/c/chrome", _ => false)); // an explicit path is never second-guessed
        Assert.Equal("/usr/bin/chromium", ChromiumBrowser.FindExecutable(_ => null, p => p == "/usr/bin/chromium"));
        Assert.Null(ChromiumBrowser.FindExecutable(_ => null, _ => false));
        Assert.Contains("apt-get install -y chromium", ChromiumBrowser.MissingMessage);
    }
}
