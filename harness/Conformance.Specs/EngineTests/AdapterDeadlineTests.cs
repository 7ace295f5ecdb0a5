using System.Diagnostics;
using System.Text.Json.Nodes;
using Conformance.Engine.Drivers.Adapters;
using Xunit;

namespace Conformance.Specs.EngineTests;

/// <summary>
/// A misbehaving adapter never hangs the suite (spec/client-adapter.md §6): a request it ignores fails at its deadline,
/// an adapter that exits fails the pending and later requests with its exit code, a bad hello is refused.
/// </summary>
public sealed class AdapterDeadlineTests : IDisposable
{
    // Answers hello and create, ignores every other request; "exit" makes it exit with code 3.
    private const string MuteAdapter = """
        const rl = require('readline').createInterface({input: process.stdin});
        const say = (o) => process.stdout.write(JSON.stringify(o) + '\n');
        rl.on('line', (line) => {
          const r = JSON.parse(line);
          if (r.op === 'hello') say({id: r.id, ok: true, adapterProtocol: 1, client: {name: 'mute', version: '0'}, protocolVersions: [2], capabilities: process.argv[2] ? [process.argv[2]] : []});
          else if (r.op === 'create') say({id: r.id, ok: true, client: 1});
          else if (r.op === 'disconnect') { console.error('about to exit'); process.exit(3); }
        });
        """;

    private readonly string _script = Path.Combine(Path.GetTempPath(), $"mute-adapter-{Guid.NewGuid():N}.js");

    public AdapterDeadlineTests() => File.WriteAllText(_script, MuteAdapter);

    private Task<AdapterClientDriver> StartAsync(string extra = "") =>
        // Wait scale 0.1: the 10 s deadline of quick requests becomes 1 s.
        AdapterClientDriver.StartAsync(ClientAdapterSpec.Parse($"mute=node \"{_script}\"{extra}"), 0.1, TestContext.Current.CancellationToken);

    [Fact]
    public async Task A_request_the_adapter_ignores_fails_at_its_deadline()
    {
        await using var driver = await StartAsync();
        Assert.Equal("mute 0, protocol v2, capabilities: none", driver.Hello.ToString());
        var client = await driver.ConnectAsync(new JsonObject(), TestContext.Current.CancellationToken);
        var clock = Stopwatch.StartNew();
        var e = await Assert.ThrowsAsync<TimeoutException>(() => client.StateAsync(TestContext.Current.CancellationToken));
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(10));
        Assert.Contains("client adapter 'mute' did not answer \"state\" within 1 s", e.Message);
    }

    [Fact]
    public async Task An_adapter_that_exits_fails_the_request_with_its_exit_code_and_stderr()
    {
        await using var driver = await StartAsync();
        var client = await driver.ConnectAsync(new JsonObject(), TestContext.Current.CancellationToken);
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => client.DisconnectAsync(null, null, TestContext.Current.CancellationToken));
        Assert.Contains("exit code 3", e.Message);
        Assert.Contains("about to exit", e.Message);
        await Assert.ThrowsAsync<InvalidOperationException>(() => client.StateAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_hello_with_an_unknown_capability_is_refused()
    {
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => StartAsync(" pubsubb"));
        Assert.Contains("unknown capability 'pubsubb'", e.Message);
    }

    [Theory]
    [InlineData("\"legacy\":\"v14\",\"protocolVersions\":[1]", "v14", null)]
    [InlineData("\"protocolVersions\":[1,2]", null, null)]
    [InlineData("\"legacy\":\"v13\",\"protocolVersions\":[1]", null, "\"legacy\" may only be \"v14\"")]
    [InlineData("\"legacy\":\"v14\",\"protocolVersions\":[1,2]", null, "speaks protocol v1 only")]
    public void A_hello_may_declare_a_v14_era_client(string fields, string? legacy, string? error)
    {
        using var reply = System.Text.Json.JsonDocument.Parse(
            $$"""{"ok":true,"adapterProtocol":1,"client":{"name":"c","version":"14.3.2"},"capabilities":[],{{fields}}}""");
        if (error is null) Assert.Equal(legacy, AdapterHello.Parse("c", reply.RootElement).Legacy);
        else Assert.Contains(error, Assert.Throws<InvalidOperationException>(() => AdapterHello.Parse("c", reply.RootElement)).Message);
    }

    public void Dispose() => File.Delete(_script);
}
