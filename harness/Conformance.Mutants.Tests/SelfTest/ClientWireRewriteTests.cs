using System.Text.Json.Nodes;
using Conformance.Mutants.Clients;

namespace Conformance.Mutants.Tests.SelfTest;

/// <summary>Each client wire mutant's rewrite of what the client sends, checked on sample frames through a fake relay.</summary>
public sealed class ClientWireRewriteTests
{
    private const string Handshake = """{"event":"#handshake","data":{"authToken":"tok"},"cid":1}""";

    private static (MutationSession Session, FakeRelay Relay) Start(string id)
    {
        var session = ClientMutantCatalog.Get(id).CreateWireSession!();
        var relay = new FakeRelay();
        session.OnOpenedAsync(relay).AsTask().GetAwaiter().GetResult();
        return (session, relay);
    }

    private static void FromClient(MutationSession s, FakeRelay r, string text) =>
        s.OnClientFrameAsync(WireFrame.FromText(text), r).AsTask().GetAwaiter().GetResult();

    private static void FromServer(MutationSession s, FakeRelay r, string text) =>
        s.OnServerFrameAsync(WireFrame.FromText(text), r).AsTask().GetAwaiter().GetResult();

    [Theory]
    [InlineData("csharp/no-pong", "", null)]
    [InlineData("csharp/v1-pong-on-v2", "", "#2")]
    [InlineData("node/v2-pong-on-v1", "#2", "")]
    public void Pongs_are_dropped_or_restyled(string id, string pong, string? expected)
    {
        var (s, r) = Start(id);
        FromClient(s, r, pong);
        Assert.Equal(expected is null ? [] : [expected], r.ToServerFrames);
    }

    [Theory]
    [InlineData("csharp/cid-on-transmits", """{"event":"x","data":1}""", """{"event":"x","data":1,"cid":1000001}""")]
    [InlineData("csharp/cid-on-transmits", """{"event":"x","data":1,"cid":7}""", null)]
    [InlineData("csharp/handshake-cid-as-string", Handshake, """{"event":"#handshake","data":{"authToken":"tok"},"cid":"1"}""")]
    [InlineData("node/request-cids-as-strings", """{"event":"p","cid":2}""", """{"event":"p","cid":"2"}""")]
    [InlineData("node/request-cids-as-strings", Handshake, null)]
    [InlineData("csharp/batched-handshake", Handshake, "[" + Handshake + "]")]
    [InlineData("node/handshake-without-token", Handshake, """{"event":"#handshake","data":{"authToken":null},"cid":1}""")]
    [InlineData("csharp/subscribe-with-priority", """{"event":"#subscribe","data":{"channel":"a"},"cid":2}""", """{"event":"#subscribe","data":{"channel":"a","priority":1},"cid":2}""")]
    [InlineData("csharp/unsubscribe-as-request", """{"event":"#unsubscribe","data":"a"}""", """{"event":"#unsubscribe","data":"a","cid":1000001}""")]
    [InlineData("node/publish-request-without-cid", """{"event":"#publish","data":{"channel":"a","data":1},"cid":3}""", """{"event":"#publish","data":{"channel":"a","data":1}}""")]
    [InlineData("node/publish-request-without-cid", """{"event":"#publish","data":{"channel":"a","data":1}}""", null)]
    [InlineData("csharp/responses-without-rid", """{"rid":5,"data":"ok"}""", """{"data":"ok"}""")]
    public void Client_packets_are_rewritten(string id, string sent, string? expected)
    {
        var (s, r) = Start(id);
        FromClient(s, r, sent);
        var forwarded = Assert.Single(r.ToServerFrames);
        if (expected is null) Assert.Equal(sent, forwarded); // unchanged, byte for byte
        else Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), JsonNode.Parse(forwarded)), $"expected {expected}\nactual   {forwarded}");
    }

    [Fact]
    public async Task The_close_code_and_reason_are_replaced()
    {
        var (s, r) = Start("csharp/close-always-1000");
        await s.OnClientCloseAsync(4445, "bye", r);
        Assert.Equal((1000, ""), r.ServerClose);
    }

    [Fact]
    public void Remove_auth_token_is_dropped()
    {
        var (s, r) = Start("csharp/no-remove-auth-token");
        FromClient(s, r, """{"event":"#removeAuthToken"}""");
        Assert.Empty(r.ToServerFrames);
    }

    [Fact]
    public void Only_the_answer_to_a_set_auth_token_request_loses_its_rid()
    {
        var (s, r) = Start("csharp/set-auth-token-answer-without-rid");
        FromServer(s, r, """{"event":"#setAuthToken","data":{"token":"t"},"cid":4}""");
        FromServer(s, r, """{"event":"serverProc","data":1,"cid":5}""");
        FromClient(s, r, """{"rid":5,"data":1}""");
        FromClient(s, r, """{"rid":4}""");
        Assert.Equal(["""{"rid":5,"data":1}""", "{}"], r.ToServerFrames);
    }

    [Fact]
    public void A_transmit_goes_out_before_the_first_handshake_only()
    {
        var (s, r) = Start("csharp/sends-before-handshake");
        FromClient(s, r, Handshake);
        FromClient(s, r, Handshake);
        Assert.Equal(["""{"event":"conformanceEarly","data":"sent before the handshake"}""", Handshake, Handshake], r.ToServerFrames);
    }

    [Fact]
    public void Every_catalog_entry_is_well_formed()
    {
        Assert.Equal(ClientMutantCatalog.All.Count, ClientMutantCatalog.All.Select(m => m.Id).Distinct().Count());
        foreach (var m in ClientMutantCatalog.All)
        {
            Assert.Equal($"{m.Driver}/", m.Id[..(m.Driver.Length + 1)]);
            Assert.NotEmpty(m.Breaks);
            Assert.Equal(m.Mechanism == ClientMutantMechanism.Wire, m.CreateWireSession is not null);
            Assert.Equal(m.Mechanism == ClientMutantMechanism.Behaviour, m.Behaviour is not null);
            if (m.Driver == "csharp" && m.Behaviour is { } fault)
                Assert.True(Enum.TryParse<SocketCluster.Client.ClientFaults>(fault, out _), $"{m.Id}: no ClientFaults.{fault}");
        }
        Assert.All(ClientMutantCatalog.ExpectedSurvivors.Keys, id => ClientMutantCatalog.Get(id));
    }
}
