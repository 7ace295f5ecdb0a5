using System.Text.Json.Nodes;
using Conformance.Mutants;
using SocketCluster.Protocol;

namespace Conformance.Mutants.Tests;

/// <summary>The legal variations change the form of frames, never their meaning.</summary>
public sealed class LegalVariationTests
{
    private const string HandshakeResponse = """{"rid":1,"data":{"id":"abc","pingTimeout":3000,"isAuthenticated":false}}""";

    [Fact]
    public void Reserialized_frames_keep_their_meaning_but_not_their_text()
    {
        const string frame = """{"event":"#publish","data":{"channel":"c","data":{"a":[1,{"b":null}],"é":"<&>"}}}""";
        var d = new SessionDriver("legal-reserialized").Handshake().FromServer(frame).FromServer("");
        var sent = d.Relay.ToClientFrames[1];
        Assert.NotEqual(frame, sent);
        Assert.StartsWith(" \r\n{", sent);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(frame), JsonNode.Parse(sent)));
        Assert.True(sent.IndexOf("\"data\"", StringComparison.Ordinal) < sent.IndexOf("\"event\"", StringComparison.Ordinal));
        Assert.Contains("\"é\": \"<&>\"", sent);
        Assert.Equal("", d.Relay.ToClientFrames[2]); // pings are not JSON and stay as they are
        // The shared codec and packet reader classify the re-serialised frame exactly like the original.
        Assert.Equal(PacketReader.Read(frame).Single().GetType(), PacketReader.Read(sent).Single().GetType());
    }

    [Fact]
    public async Task Batched_frames_are_arrays_in_order_and_the_handshake_response_is_alone()
    {
        var d = new SessionDriver("legal-batched").Handshake()
            .FromServer("""{"rid":2,"data":1}""")
            .FromServer("""{"event":"e","data":2}""")
            .FromServer("")
            .FromServer("""{"rid":3}""");
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!d.Relay.ClientFramesSnapshot().Contains("""[{"rid":3}]""") && DateTime.UtcNow < deadline)
            await Task.Delay(20, TestContext.Current.CancellationToken);
        var frames = d.Relay.ClientFramesSnapshot();
        Assert.Equal(HandshakeResponse, frames[0]);
        // However the window splits them, every JSON frame is an array and packets and pings keep their order.
        Assert.All(frames[1..].Where(f => f.Length > 0), f => Assert.StartsWith("[", f));
        var flattened = frames[1..].SelectMany(f => f.Length == 0
            ? ["PING"]
            : JsonNode.Parse(f)!.AsArray().Select(n => n!.ToJsonString()));
        Assert.Equal(["""{"rid":2,"data":1}""", """{"event":"e","data":2}""", "PING", """{"rid":3}"""], flattened);
    }

    [Fact]
    public void Split_batches_go_out_as_single_frames_both_ways()
    {
        var d = new SessionDriver("legal-split-batches").Handshake()
            .FromServer("""[{"rid":2},{"event":"e"}]""")
            .FromClient("""[{"event":"a","data":1},{"event":"b","cid":3}]""");
        Assert.Equal([HandshakeResponse, """{"rid":2}""", """{"event":"e"}"""], d.Relay.ToClientFrames);
        Assert.Equal(["""{"event":"a","data":1}""", """{"event":"b","cid":3}"""], d.Relay.ToServerFrames[1..]);
    }

    [Fact]
    public void Jitter_keeps_order_and_adds_one_ping_after_the_handshake()
    {
        var d = new SessionDriver("legal-jitter-extra-ping").Handshake();
        for (var i = 0; i < 5; i++) d.FromServer($$"""{"event":"e","data":{{i}}}""");
        d.ServerCloses(1000); // the close goes out after the delayed frames before it
        Assert.Equal([HandshakeResponse, "", .. Enumerable.Range(0, 5).Select(i => $$"""{"event":"e","data":{{i}}}""")], d.Relay.ClientFramesSnapshot());
        Assert.Equal((1000, ""), d.Relay.ClientClose);
    }

    [Fact]
    public void Jitter_is_latency_not_a_cost_per_frame()
    {
        // 500 frames at 0-40 ms each, one after the other, would take about 10 s; as latency they all arrive within
        // 40 ms of the last one leaving. 3 s leaves a wide margin for a loaded machine and still fails the per-frame model.
        var d = new SessionDriver("legal-jitter-extra-ping").Handshake();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < 500; i++) d.FromServer($$"""{"event":"e","data":{{i}}}""");
        d.ServerCloses(1000);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"500 jittered frames took {clock.Elapsed.TotalMilliseconds:F0} ms");
        Assert.Equal(502, d.Relay.ClientFramesSnapshot().Length);
    }

    [Fact]
    public void Catalog_has_at_least_20_violations_and_3_legal_variations_with_unique_ids()
    {
        Assert.True(MutationCatalog.Violations.Count >= 20);
        Assert.True(MutationCatalog.LegalVariations.Count >= 3);
        Assert.All(MutationCatalog.Violations, m => Assert.False(m.IsLegal));
        Assert.All(MutationCatalog.LegalVariations, m => Assert.True(m.IsLegal));
        Assert.Equal(MutationCatalog.All.Count, MutationCatalog.All.Select(m => m.Id).Distinct().Count());
    }
}
