using System.Net;
using System.Text.Json;
using SocketCluster.Server.Options;
using SocketCluster.Sample.Fixture;
using SocketCluster.Server.Tests.Infrastructure;

namespace SocketCluster.Server.Tests;

public sealed class SampleTests
{
    private static readonly HttpClient Http = new() { Timeout = Waits.Long };

    [Fact]
    public async Task StartAsync_binds_loopback_on_an_ephemeral_port_and_answers_the_health_check()
    {
        await using var sample = await SampleServer.StartAsync();
        Assert.Equal("127.0.0.1", sample.HttpUrl.Host);
        Assert.NotEqual(0, sample.Port);
        Assert.Equal($"ws://127.0.0.1:{sample.Port}/socketcluster/", sample.WebSocketUrl.ToString());
        var response = await Http.GetAsync(new Uri(sample.HttpUrl, "/health-check"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("OK", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_page_loads_the_client_bundle_and_has_stable_result_ids()
    {
        await using var sample = await SampleServer.StartAsync();
        var html = await Http.GetStringAsync(sample.HttpUrl);
        Assert.Contains("await import('/socketcluster-client.min.js')", html);
        Assert.Contains("socketClusterClient.create()", html);
        foreach (var id in new[] { "connection", "subscribe", "transmit", "transmit-received", "invoke", "invoke-error", "transmit-publish", "invoke-publish", "server-publish", "channel-messages", "summary" })
            Assert.Contains($"id=\"{id}\"", html);
    }

    [Fact]
    public async Task The_client_bundle_is_served_as_javascript_or_a_clear_404()
    {
        var bundle = Path.Combine(Path.GetTempPath(), $"bundle-{Guid.NewGuid():N}.js");
        await File.WriteAllTextAsync(bundle, "window.socketClusterClient = {};");
        try
        {
            await using (var sample = await SampleServer.StartAsync(clientBundlePath: bundle))
            {
                var response = await Http.GetAsync(new Uri(sample.HttpUrl, "/socketcluster-client.min.js"));
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.Equal("text/javascript", response.Content.Headers.ContentType!.MediaType);
                Assert.Equal("window.socketClusterClient = {};", await response.Content.ReadAsStringAsync());
            }
            await using (var sample = await SampleServer.StartAsync(clientBundlePath: bundle + ".missing"))
            {
                var response = await Http.GetAsync(new Uri(sample.HttpUrl, "/socketcluster-client.min.js"));
                Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
                Assert.Contains("run npm ci in js-client-fixtures", await response.Content.ReadAsStringAsync());
            }
        }
        finally
        {
            File.Delete(bundle);
        }
    }

    [Fact]
    public void The_default_client_bundle_is_the_pinned_official_one()
    {
        var path = ClientBundle.DefaultPath();
        Assert.Equal(Path.GetFullPath(Path.Combine(RepoPaths.Root, "js-client-fixtures/node_modules/socketcluster-client/socketcluster-client.min.js")), path);
    }

    [Fact]
    public void The_command_line_binds_its_flags_into_the_server_options()
    {
        string? NoEnv(string _) => null;
        static int Ms(TimeSpan t) => (int)t.TotalMilliseconds; // the flags are milliseconds, as the official options
        static SocketClusterServerOptions Options(FixtureCommandLine line)
        {
            var options = new SocketClusterServerOptions();
            line.ApplyTo(options);
            return options;
        }
        var line = FixtureCommandLine.Parse([], NoEnv);
        var defaults = Options(line);
        Assert.Equal((8000, 2, 1000, 3000, 2000, 2000), (line.Port, defaults.ProtocolVersion, Ms(defaults.PingInterval), Ms(defaults.PingTimeout), Ms(defaults.AckTimeout), Ms(defaults.HandshakeTimeout)));
        Assert.Equal((false, true, false), (defaults.PingTimeoutDisabled, defaults.StrictHandshake, defaults.BatchOnHandshake));
        Assert.Equal(ConformanceFixture.DefaultAuthKey, defaults.AuthKey);

        Assert.Equal(9001, FixtureCommandLine.Parse([], n => n == "PORT" ? "9001" : null).Port);
        Assert.Equal(9002, FixtureCommandLine.Parse(["--port", "9002"], n => n == "PORT" ? "9001" : null).Port);
        Assert.Equal(new string('k', 40), Options(FixtureCommandLine.Parse([], n => n == "CONFORMANCE_AUTH_KEY" ? new string('k', 40) : null)).AuthKey);

        var official = Options(FixtureCommandLine.Parse(["--official-defaults"], NoEnv));
        Assert.Equal((8000, 30000, 10000, 10000), (Ms(official.PingInterval), Ms(official.PingTimeout), Ms(official.AckTimeout), Ms(official.HandshakeTimeout)));
        var switches = Options(FixtureCommandLine.Parse(["--ping-timeout-disabled", "--no-strict-handshake", "--batch-on-handshake",
            "--batch-on-handshake-duration", "300", "--batch-interval", "20", "--handshake-timeout", "777"], NoEnv));
        Assert.Equal((true, false, true, 300, 20, 777), (switches.PingTimeoutDisabled, switches.StrictHandshake, switches.BatchOnHandshake,
            Ms(switches.BatchOnHandshakeDuration), Ms(switches.BatchInterval), Ms(switches.HandshakeTimeout)));
        // Explicit flags win over --official-defaults wherever they stand.
        var mixed = Options(FixtureCommandLine.Parse(["--ack-timeout", "1234", "--official-defaults", "--protocol", "1"], NoEnv));
        Assert.Equal((8000, 30000, 1234, 1), (Ms(mixed.PingInterval), Ms(mixed.PingTimeout), Ms(mixed.AckTimeout), mixed.ProtocolVersion));

        Assert.Contains("at least 32 bytes", Assert.Throws<UsageException>(() => FixtureCommandLine.Parse(["--auth-key", "short"], NoEnv)).Message);
        Assert.Contains("unknown argument", Assert.Throws<UsageException>(() => FixtureCommandLine.Parse(["--nope"], NoEnv)).Message);
        Assert.Contains("--protocol must be one of 1, 2", Assert.Throws<UsageException>(() => FixtureCommandLine.Parse(["--protocol", "3"], NoEnv)).Message);
        Assert.Contains("needs a value", Assert.Throws<UsageException>(() => FixtureCommandLine.Parse(["--port"], NoEnv)).Message);
    }

    [Fact]
    public async Task The_seed_example_behaves_exactly_as_the_guide()
    {
        await using var sample = await SampleServer.StartAsync();
        await using var client = await RawClient.ConnectAsync(sample.WebSocketUrl);
        await client.HandshakeAsync();
        Assert.Equal("""{"rid":2,"data":"Success"}""", (await client.InvokeAsync("customProc", new { foo = "bar" })).GetRawText());
        Assert.Equal("""{"rid":3,"data":"Success"}""", (await client.InvokeAsync("customProc", withData: false)).GetRawText());
        Assert.Equal("""{"rid":4,"error":{"message":"Server failed to execute the procedure","name":"BadCustomError"}}""",
            (await client.InvokeAsync("customProc", new { bad = true })).GetRawText());
        Assert.Equal("""{"rid":5,"data":"Success"}""", (await client.InvokeAsync("customProc", new { bad = 0 })).GetRawText());
        await client.TransmitAsync("customRemoteEvent", 123);
        Assert.Equal("""{"rid":6,"data":[123]}""", (await client.InvokeAsync("conformance.received", new { @event = "customRemoteEvent" })).GetRawText());
    }

    [Fact]
    public async Task Conformance_hello_reports_the_implementation_and_options_in_force()
    {
        await using var sample = await SampleServer.StartAsync(o => { ConformanceFixture.ApplyOfficialTimings(o); o.ProtocolVersion = 1; });
        await using var client = await RawClient.ConnectAsync(sample.WebSocketUrl, protocolVersion: 1);
        var id = (await client.HandshakeAsync()).GetProperty("data").GetProperty("id").GetString();
        var hello = (await client.InvokeAsync("conformance.hello")).GetProperty("data");
        Assert.Equal(1, hello.GetProperty("contract").GetInt32());
        Assert.Equal(ConformanceFixture.Implementation, hello.GetProperty("implementation").GetString());
        Assert.StartsWith("SocketCluster.Server@", ConformanceFixture.Implementation);
        Assert.Equal((1, 8000, 30000, 10000), (hello.GetProperty("protocolVersion").GetInt32(), hello.GetProperty("pingInterval").GetInt32(),
            hello.GetProperty("pingTimeout").GetInt32(), hello.GetProperty("ackTimeout").GetInt32()));
        Assert.Equal(10000, hello.GetProperty("handshakeTimeout").GetInt32());
        Assert.Equal((false, true, false), (hello.GetProperty("pingTimeoutDisabled").GetBoolean(), hello.GetProperty("strictHandshake").GetBoolean(),
            hello.GetProperty("batchOnHandshake").GetBoolean()));
        Assert.Equal(id, hello.GetProperty("socketId").GetString());
    }

    [Fact]
    public async Task Conformance_received_records_presence_and_argument_errors_use_the_documented_messages()
    {
        await using var sample = await SampleServer.StartAsync();
        await using var client = await RawClient.ConnectAsync(sample.WebSocketUrl);
        await client.HandshakeAsync();
        await client.TransmitAsync("ev", 123);
        await client.TransmitAsync("ev", withData: false);
        await client.TransmitAsync("ev", null);
        Assert.Equal("[123,null,null]", (await client.InvokeAsync("conformance.received", new { @event = "ev" })).GetProperty("data").GetRawText());
        Assert.Equal("""[{"data":123},{},{"data":null}]""",
            (await client.InvokeAsync("conformance.received", new { @event = "ev", withPresence = true })).GetProperty("data").GetRawText());

        (string Procedure, object? Data, string Message)[] cases =
        [
            ("conformance.received", null, "conformance.received expects {event: string}"),
            ("conformance.transmit", new { @event = "#publish" }, "conformance.transmit expects {event: string, data?: any} (event must not start with #)"),
            ("conformance.invoke", new { procedure = "p", ackTimeout = -1 }, "conformance.invoke expects {procedure: string, data?: any, ackTimeout?: number}"),
            ("conformance.publish", new { channel = "c", ack = "yes" }, "conformance.publish expects {channel: string, data?: any, ack?: boolean}"),
            ("conformance.setAuthToken", new[] { 1 }, "conformance.setAuthToken expects a JSON object payload"),
            ("conformance.login", new { username = 5 }, "conformance.login expects {username: string}"),
            ("conformance.kickOut", new { }, "conformance.kickOut expects {channel: string, message?: any}"),
            ("conformance.disconnect", new { code = 1006 }, "conformance.disconnect expects {code?: number, reason?: string}"),
        ];
        foreach (var (procedure, data, message) in cases)
        {
            var error = (await client.InvokeAsync(procedure, data)).GetProperty("error");
            Assert.Equal(("InvalidArgumentsError", message), (error.GetProperty("name").GetString(), error.GetProperty("message").GetString()));
        }
        Assert.Equal(System.Net.WebSockets.WebSocketState.Open, client.State);
    }

    [Fact]
    public async Task Blocked_and_silent_channels_and_the_rejected_handshake_follow_the_contract()
    {
        await using var sample = await SampleServer.StartAsync();
        await using var client = await RawClient.ConnectAsync(sample.WebSocketUrl);
        await client.HandshakeAsync();
        Assert.Equal("""{"rid":2,"error":{"message":"Channel conformance.blocked.x is blocked by the conformance fixture","name":"BlockedByConformanceError"}}""",
            (await client.InvokeAsync("#subscribe", new { channel = "conformance.blocked.x" })).GetRawText());
        Assert.Equal("""{"rid":3,"error":{"message":"The subscribe AGAction was blocked by inbound middleware","name":"SilentMiddlewareBlockedError","type":"inbound"}}""",
            (await client.InvokeAsync("#subscribe", new { channel = "conformance.silent.x" })).GetRawText());
        Assert.Equal("""{"rid":4,"error":{"message":"The publishIn AGAction was blocked by inbound middleware","name":"SilentMiddlewareBlockedError","type":"inbound"}}""",
            (await client.InvokeAsync("#publish", new { channel = "conformance.silent.x", data = 1 })).GetRawText());
        Assert.Equal("[]", (await client.InvokeAsync("conformance.subscriptions")).GetProperty("data").GetRawText());

        await using var rejected = await RawClient.ConnectAsync(new Uri(sample.WebSocketUrl + "?conformanceRejectHandshake=1"));
        Assert.Equal("""{"rid":1,"error":{"message":"The handshakeSC AGAction was blocked by handshake middleware","name":"SilentMiddlewareBlockedError","type":"handshake","statusCode":4008}}""",
            (await rejected.HandshakeAsync()).GetRawText());
        Assert.Equal(4008, (await rejected.ExpectCloseAsync()).Code);
    }

    [Fact]
    public async Task Conformance_invoke_returns_the_outcome_of_a_server_invoke()
    {
        await using var sample = await SampleServer.StartAsync(o => o.AckTimeout = TimeSpan.FromMilliseconds(500));
        await using var client = await RawClient.ConnectAsync(sample.WebSocketUrl);
        await client.HandshakeAsync();
        var cid = await client.SendRequestAsync("conformance.invoke", new { procedure = "clientProc", data = 5 });
        var request = await client.ReceiveJsonAsync();
        Assert.Equal("""{"event":"clientProc","cid":1,"data":5}""", request.GetRawText());
        await client.SendAsync("""{"rid":1,"error":{"message":"no","name":"ClientError","n":1}}""");
        Assert.Equal("""{"error":{"name":"ClientError","message":"no","n":1}}""", (await client.ReceiveResponseAsync(cid)).GetProperty("data").GetRawText());

        var timeout = await client.InvokeAsync("conformance.invoke", new { procedure = "silent" }, skipped: []);
        Assert.Equal("""{"error":{"name":"TimeoutError","message":"Event response for silent event timed out"}}""", timeout.GetProperty("data").GetRawText());
    }
}
