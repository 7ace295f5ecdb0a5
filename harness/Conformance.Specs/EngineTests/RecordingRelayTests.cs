using System.Diagnostics;
using Conformance.Engine.Support;
using Xunit;

namespace Conformance.Specs.EngineTests;

/// <summary>
/// The relay's port is its client's token-storage origin in the run-wide Jint and Chromium drivers (see
/// RecordingRelay.UsedPorts): a repeated port once handed a later scenario an earlier scenario's auth token.
/// </summary>
public sealed class RecordingRelayTests
{
    [Fact]
    public async Task A_relay_never_listens_on_a_port_an_earlier_relay_of_the_process_used()
    {
        // The OS repeats an ephemeral loopback port after about 160 binds (birthday bound over ~28k ports), so
        // 1000 relays one after another repeat one with near certainty unless the relay prevents it.
        var transcript = new WireTranscript(Stopwatch.StartNew());
        var upstream = new Uri("ws://127.0.0.1:1");
        var ports = new HashSet<int>();
        for (var i = 0; i < 1000; i++)
        {
            var relay = new RecordingRelay("A", () => upstream, transcript);
            var port = relay.Port;
            await relay.DisposeAsync();
            Assert.True(ports.Add(port), $"relay {i} listened on port {port} again");
        }
    }
}
