using System.Text.Json.Nodes;
using Conformance.Mutants;

namespace Conformance.Mutants.Tests;

/// <summary>Each mutation's rewrite, checked on sample frames through a fake relay.</summary>
public sealed class MutationRewriteTests
{
    private const string HandshakeResponse = """{"rid":1,"data":{"id":"abc","pingTimeout":3000,"isAuthenticated":false}}""";

    private static JsonNode J(string text) => JsonNode.Parse(text)!;

    private static void AssertJson(string expected, string actual) =>
        Assert.True(JsonNode.DeepEquals(J(expected), J(actual)), $"expected {expected}\nactual   {actual}");

    [Fact]
    public void Identity_forwards_every_frame_byte_for_byte()
    {
        var d = new SessionDriver("identity").Handshake().FromServer("").FromServer("""{"event":"x" , "data":1}""");
        Assert.Equal([HandshakeResponse, "", """{"event":"x" , "data":1}"""], d.Relay.ToClientFrames);
        Assert.Equal(["""{"event":"#handshake","data":{"authToken":null},"cid":1}"""], d.Relay.ToServerFrames);
    }

    [Theory]
    [InlineData("handshake-missing-rid", """{"data":{"id":"abc","pingTimeout":3000,"isAuthenticated":false}}""")]
    [InlineData("handshake-rid-string", """{"rid":"1","data":{"id":"abc","pingTimeout":3000,"isAuthenticated":false}}""")]
    [InlineData("handshake-missing-id", """{"rid":1,"data":{"pingTimeout":3000,"isAuthenticated":false}}""")]
    [InlineData("handshake-missing-pingTimeout", """{"rid":1,"data":{"id":"abc","isAuthenticated":false}}""")]
    [InlineData("handshake-missing-isAuthenticated", """{"rid":1,"data":{"id":"abc","pingTimeout":3000}}""")]
    [InlineData("handshake-authError-null", """{"rid":1,"data":{"id":"abc","pingTimeout":3000,"isAuthenticated":false,"authError":null}}""")]
    public void Handshake_response_edits(string id, string expected)
    {
        var d = new SessionDriver(id).Handshake();
        Assert.Single(d.Relay.ToClientFrames);
        AssertJson(expected, d.Relay.ToClientFrames[0]);
        // Only the handshake response is touched: a later response with the same rid passes unchanged.
        d.FromServer("""{"rid":1,"data":{"id":"other"}}""");
        Assert.Equal("""{"rid":1,"data":{"id":"other"}}""", d.Relay.ToClientFrames[1]);
    }

    [Fact]
    public void AuthError_is_not_added_when_present()
    {
        const string withError = """{"rid":1,"data":{"id":"a","pingTimeout":1,"authError":{"name":"AuthTokenInvalidError","message":"m","isBadToken":true},"isAuthenticated":false}}""";
        var d = new SessionDriver("handshake-authError-null").Handshake(withError);
        Assert.Equal(withError, d.Relay.ToClientFrames[0]);
    }

    [Fact]
    public void SetAuthToken_follows_a_valid_token_handshake()
    {
        var d = new SessionDriver("handshake-valid-token-setAuthToken")
            .Handshake("""{"rid":1,"data":{"id":"a","pingTimeout":1,"isAuthenticated":true}}""", token: "t.o.k");
        Assert.Equal(2, d.Relay.ToClientFrames.Count);
        AssertJson("""{"event":"#setAuthToken","data":{"token":"t.o.k"}}""", d.Relay.ToClientFrames[1]);
        var unauth = new SessionDriver("handshake-valid-token-setAuthToken").Handshake(token: "t.o.k");
        Assert.Single(unauth.Relay.ToClientFrames);
    }

    [Fact]
    public void Pre_handshake_frame_gets_a_fake_handshake_upstream_whose_response_is_swallowed()
    {
        var d = new SessionDriver("pre-handshake-accepted").FromClient("""{"event":"chat","data":1}""");
        Assert.Equal(2, d.Relay.ToServerFrames.Count);
        var fake = J(d.Relay.ToServerFrames[0]);
        Assert.Equal("#handshake", (string)fake["event"]!);
        var cid = (long)fake["cid"]!;
        Assert.Equal("""{"event":"chat","data":1}""", d.Relay.ToServerFrames[1]);
        d.FromServer($$$"""{"rid":{{{cid}}},"data":{"id":"x","pingTimeout":1,"isAuthenticated":false}}""");
        Assert.Empty(d.Relay.ToClientFrames);

        // A client that starts with a handshake gets the normal treatment.
        var normal = new SessionDriver("pre-handshake-accepted").Handshake();
        Assert.Single(normal.Relay.ToServerFrames);
        Assert.Equal([HandshakeResponse], normal.Relay.ToClientFrames);
    }

    [Fact]
    public void Lenient_path_maps_the_slashless_path()
    {
        var s = MutationCatalog.Get("path-without-slash-accepted").CreateSession();
        Assert.Equal("/socketcluster/", s.UpstreamPath("/socketcluster"));
        Assert.Equal("/other/", s.UpstreamPath("/other/"));
        Assert.Equal("/socketcluster", MutationCatalog.Identity.CreateSession().UpstreamPath("/socketcluster"));
    }

    [Fact]
    public void V1_ping_replaces_the_v2_ping()
    {
        var d = new SessionDriver("ping-v1-on-v2").Handshake().FromServer("");
        Assert.Equal("#1", d.Relay.ToClientFrames[^1]);
    }

    [Fact]
    public void Never_pings_answers_the_server_itself_after_the_handshake()
    {
        var d = new SessionDriver("never-pings").FromServer(""); // before the handshake: dropped, not answered
        Assert.Empty(d.Relay.ToClientFrames);
        Assert.Empty(d.Relay.ToServerFrames);
        d.Handshake().FromServer("").FromClient("");
        Assert.Equal([HandshakeResponse], d.Relay.ToClientFrames);
        Assert.Equal(["""{"event":"#handshake","data":{"authToken":null},"cid":1}""", ""], d.Relay.ToServerFrames);
    }

    [Fact]
    public void No_pong_timeout_forwards_pings_and_answers_them_itself()
    {
        var d = new SessionDriver("no-pong-timeout").Handshake().FromServer("").FromClient("");
        Assert.Equal([HandshakeResponse, ""], d.Relay.ToClientFrames);
        Assert.Equal(2, d.Relay.ToServerFrames.Count); // the handshake and the proxy's pong; the client's pong is dropped
    }

    [Theory]
    [InlineData("response-rid-off-by-one", """{"rid":2,"data":"Success"}""", """{"rid":3,"data":"Success"}""")]
    [InlineData("error-name-removed", """{"rid":2,"error":{"message":"m","name":"BadCustomError"}}""", """{"rid":2,"error":{"message":"m"}}""")]
    [InlineData("error-message-replaced", """{"rid":2,"error":{"message":"m","name":"N"}}""", """{"rid":2,"error":{"message":"An error occurred","name":"N"}}""")]
    [InlineData("error-extra-properties-dropped", """{"rid":2,"error":{"message":"m","name":"N","isBadToken":true}}""", """{"rid":2,"error":{"message":"m","name":"N"}}""")]
    [InlineData("data-null-dropped", """{"rid":2,"data":null}""", """{"rid":2}""")]
    [InlineData("data-null-dropped", """{"event":"e","data":null}""", """{"event":"e"}""")]
    [InlineData("data-absent-sent-as-null", """{"rid":2}""", """{"rid":2,"data":null}""")]
    [InlineData("data-absent-sent-as-null", """{"event":"e"}""", """{"event":"e","data":null}""")]
    [InlineData("transmit-sent-as-request", """{"event":"hello","data":"world"}""", """{"event":"hello","data":"world","cid":1700000000}""")]
    [InlineData("publish-without-envelope", """{"event":"#publish","data":{"channel":"c","data":[1]}}""", """{"event":"#publish","data":[1]}""")]
    [InlineData("publish-without-envelope", """{"event":"#publish","data":{"channel":"c"}}""", """{"event":"#publish"}""")]
    [InlineData("publish-sent-as-request", """{"event":"#publish","data":{"channel":"c","data":1}}""", """{"event":"#publish","data":{"channel":"c","data":1},"cid":1700000001}""")]
    [InlineData("kickOut-message-dropped", """{"event":"#kickOut","data":{"channel":"c","message":"bye"}}""", """{"event":"#kickOut","data":{"channel":"c"}}""")]
    public void Server_packet_edits(string id, string input, string expected)
    {
        var d = new SessionDriver(id).Handshake().FromServer(input);
        Assert.Equal(HandshakeResponse, d.Relay.ToClientFrames[0]); // the handshake response is never touched by these
        AssertJson(expected, d.Relay.ToClientFrames[1]);
    }

    [Theory]
    [InlineData("response-rid-off-by-one", """{"event":"x","data":1}""")]
    [InlineData("error-name-removed", """{"rid":2,"data":{"name":"kept"}}""")]
    [InlineData("data-null-dropped", """{"rid":2,"data":1}""")]
    [InlineData("data-absent-sent-as-null", """{"rid":2,"error":{"message":"m","name":"N"}}""")]
    [InlineData("transmit-sent-as-request", """{"event":"#setAuthToken","data":{"token":"t"}}""")]
    [InlineData("transmit-sent-as-request", """{"event":"proc","data":1,"cid":4}""")]
    [InlineData("kickOut-dropped", """{"event":"#publish","data":{"channel":"c"}}""")]
    public void Server_packet_edits_leave_other_packets_alone(string id, string input)
    {
        var d = new SessionDriver(id).Handshake().FromServer(input);
        Assert.Equal(input, d.Relay.ToClientFrames[1]);
    }

    [Fact]
    public void Edits_apply_to_each_element_of_a_batch_and_keep_it_a_batch()
    {
        var d = new SessionDriver("error-name-removed").Handshake()
            .FromServer("""[{"rid":2,"error":{"message":"a","name":"A"}},{"rid":3,"data":1}]""");
        AssertJson("""[{"rid":2,"error":{"message":"a"}},{"rid":3,"data":1}]""", d.Relay.ToClientFrames[1]);
    }

    [Fact]
    public void KickOut_dropped_drops_only_the_kickOut()
    {
        var d = new SessionDriver("kickOut-dropped").Handshake()
            .FromServer("""{"event":"#kickOut","data":{"channel":"c"}}""")
            .FromServer("""[{"event":"#kickOut","data":{"channel":"c"}},{"rid":3}]""");
        Assert.Equal(2, d.Relay.ToClientFrames.Count);
        AssertJson("""[{"rid":3}]""", d.Relay.ToClientFrames[1]);
    }

    [Fact]
    public void String_cid_is_answered_with_the_string_as_rid()
    {
        var d = new SessionDriver("string-cid-answered").Handshake().FromClient("""{"event":"customRemoteEvent","data":1,"cid":"7f1c"}""");
        var sent = J(d.Relay.ToServerFrames[1]);
        var cid = (long)sent["cid"]!;
        d.FromServer($$$"""{"rid":{{{cid}}},"data":1}""").FromServer("""{"rid":5}""");
        AssertJson("""{"rid":"7f1c","data":1}""", d.Relay.ToClientFrames[1]);
        Assert.Equal("""{"rid":5}""", d.Relay.ToClientFrames[2]);
        d.FromClient("""{"event":"x","cid":9}""");
        Assert.Equal("""{"event":"x","cid":9}""", d.Relay.ToServerFrames[2]);
    }

    [Fact]
    public void Subscribe_without_cid_gets_a_cid_and_its_answer_is_swallowed()
    {
        var d = new SessionDriver("subscribe-without-cid-honoured").Handshake().FromClient("""{"event":"#subscribe","data":{"channel":"c"}}""");
        var sent = J(d.Relay.ToServerFrames[1]);
        var cid = (long)sent["cid"]!;
        d.FromServer($$"""{"rid":{{cid}}}""").FromServer("""{"rid":2}""");
        Assert.Equal([HandshakeResponse, """{"rid":2}"""], d.Relay.ToClientFrames);
    }

    [Fact]
    public void Raw_message_after_the_handshake_closes_with_1011()
    {
        var d = new SessionDriver("raw-message-fatal").Handshake().FromClient("").FromClient("hello");
        Assert.Equal((1011, ""), d.Relay.ClientClose);
        Assert.Equal(2, d.Relay.ToServerFrames.Count); // the handshake and the pong; "hello" is not forwarded
    }

    [Fact]
    public void Batches_are_reversed_or_ignored()
    {
        const string batch = """[{"event":"a","data":1},{"event":"a","data":2}]""";
        var reversed = new SessionDriver("batch-reversed").Handshake().FromClient(batch);
        AssertJson("""[{"event":"a","data":2},{"event":"a","data":1}]""", reversed.Relay.ToServerFrames[1]);
        var ignored = new SessionDriver("batch-ignored").Handshake().FromClient(batch).FromClient("""{"event":"a"}""");
        Assert.Equal("""{"event":"a"}""", ignored.Relay.ToServerFrames[1]);
    }

    [Fact]
    public void Own_publication_is_not_echoed_but_others_are()
    {
        var d = new SessionDriver("own-publication-not-echoed").Handshake()
            .FromClient("""{"event":"#publish","data":{"channel":"c","data":{"a":1}},"cid":2}""")
            .FromServer("""{"event":"#publish","data":{"channel":"c","data":{"a":1}}}""")
            .FromServer("""{"event":"#publish","data":{"channel":"c","data":{"a":1}}}""")
            .FromServer("""{"rid":2}""");
        Assert.Equal([HandshakeResponse, """{"event":"#publish","data":{"channel":"c","data":{"a":1}}}""", """{"rid":2}"""], d.Relay.ToClientFrames);
    }

    [Fact]
    public async Task Publications_are_swapped_and_a_lone_one_is_released()
    {
        var d = new SessionDriver("publications-reordered").Handshake()
            .FromServer("""{"event":"#publish","data":{"channel":"c","data":1}}""")
            .FromServer("""{"event":"#publish","data":{"channel":"c","data":2}}""")
            .FromServer("""{"event":"#publish","data":{"channel":"c","data":3}}""");
        Assert.Equal(3, d.Relay.ClientFramesSnapshot().Length);
        Assert.Contains("\"data\":2", d.Relay.ClientFramesSnapshot()[1]);
        Assert.Contains("\"data\":1", d.Relay.ClientFramesSnapshot()[2]);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (d.Relay.ClientFramesSnapshot().Length < 4 && DateTime.UtcNow < deadline) await Task.Delay(50, TestContext.Current.CancellationToken);
        Assert.Contains("\"data\":3", d.Relay.ClientFramesSnapshot()[3]);
    }

    [Fact]
    public void Unsubscribe_is_swallowed_and_acknowledged()
    {
        var d = new SessionDriver("unsubscribe-ignored").Handshake()
            .FromClient("""{"event":"#unsubscribe","data":"c"}""")
            .FromClient("""{"event":"#unsubscribe","data":"c","cid":5}""");
        Assert.Single(d.Relay.ToServerFrames);
        Assert.Equal("""{"rid":5}""", d.Relay.ToClientFrames[1]);
    }

    [Fact]
    public void RemoveAuthToken_after_a_bad_token_is_dropped_but_a_deauthentication_is_not()
    {
        var d = new SessionDriver("removeAuthToken-missing-after-bad-token").Handshake()
            .FromServer("""{"event":"#removeAuthToken"}""")
            .FromServer("""{"rid":3,"error":{"message":"invalid token","name":"AuthTokenInvalidError","isBadToken":true}}""")
            .FromServer("""{"event":"#removeAuthToken"}""");
        Assert.Equal(3, d.Relay.ToClientFrames.Count);
        Assert.Equal("""{"event":"#removeAuthToken"}""", d.Relay.ToClientFrames[1]);

        var hs = new SessionDriver("removeAuthToken-missing-after-bad-token")
            .Handshake("""{"rid":1,"data":{"id":"a","pingTimeout":1,"authError":{"message":"m","name":"AuthTokenInvalidError","isBadToken":true},"isAuthenticated":false}}""", "bad")
            .FromServer("""{"event":"#removeAuthToken"}""");
        Assert.Single(hs.Relay.ToClientFrames);
    }

    [Fact]
    public void SetAuthToken_dropped()
    {
        var d = new SessionDriver("setAuthToken-dropped").Handshake().FromServer("""{"event":"#setAuthToken","data":{"token":"t"}}""");
        Assert.Single(d.Relay.ToClientFrames);
    }

    [Fact]
    public void Authenticate_responses_are_edited_only_for_authenticate_requests()
    {
        var d = new SessionDriver("authenticate-authError-missing").Handshake()
            .FromClient("""{"event":"#authenticate","data":"tok","cid":2}""")
            .FromServer("""{"rid":3,"data":{"isAuthenticated":true,"authError":null}}""")
            .FromServer("""{"rid":2,"data":{"isAuthenticated":true,"authError":null}}""");
        Assert.Equal("""{"rid":3,"data":{"isAuthenticated":true,"authError":null}}""", d.Relay.ToClientFrames[1]);
        AssertJson("""{"rid":2,"data":{"isAuthenticated":true}}""", d.Relay.ToClientFrames[2]);

        var bad = new SessionDriver("authenticate-bad-token-as-data").Handshake()
            .FromClient("""{"event":"#authenticate","data":"tok","cid":2}""")
            .FromServer("""{"rid":2,"error":{"message":"invalid token","name":"AuthTokenInvalidError","isBadToken":true}}""");
        AssertJson("""{"rid":2,"data":{"isAuthenticated":false,"authError":{"message":"invalid token","name":"AuthTokenInvalidError","isBadToken":true}}}""",
            bad.Relay.ToClientFrames[1]);
    }

    [Theory]
    [InlineData("close-4009-as-1000", 4009, "", 1000, "")]
    [InlineData("close-4009-as-1000", 4008, "", 4008, "")]
    [InlineData("close-4008-as-4003", 4008, "", 4003, "")]
    [InlineData("close-4001-as-4000", 4001, "", 4000, "")]
    [InlineData("close-reason-filled", 4009, "", 4009, "Server received a message before the client handshake")]
    [InlineData("close-reason-filled", 4321, "", 4321, "")]
    [InlineData("close-app-reason-dropped", 4321, "custom reason", 4321, "")]
    [InlineData("close-app-code-as-1000", 4321, "r", 1000, "r")]
    [InlineData("close-app-code-as-1000", 4001, "", 4001, "")]
    [InlineData("identity", 4005, "", 4005, "")]
    public void Close_edits(string id, int code, string reason, int expectedCode, string expectedReason)
    {
        var d = new SessionDriver(id).Handshake().ServerCloses(code, reason);
        Assert.Equal((expectedCode, expectedReason), d.Relay.ClientClose);
    }

    [Fact]
    public void Close_frame_missing_aborts_and_handshake_timeout_is_swallowed()
    {
        var d = new SessionDriver("close-frame-missing").Handshake().ServerCloses(4001);
        Assert.True(d.Relay.ClientAborted);
        Assert.Null(d.Relay.ClientClose);
        var t = new SessionDriver("handshake-timeout-not-enforced").ServerCloses(4005);
        Assert.Null(t.Relay.ClientClose);
        var other = new SessionDriver("handshake-timeout-not-enforced").ServerCloses(4009);
        Assert.Equal((4009, ""), other.Relay.ClientClose);
    }
    [Fact]
    public void Handshake_rid_is_forced_to_1()
    {
        var d = new SessionDriver("handshake-rid-always-1")
            .FromClient("""{"event":"#handshake","cid":4711}""")
            .FromServer("""{"rid":4711,"data":{"id":"a","pingTimeout":1,"isAuthenticated":false}}""");
        AssertJson("""{"rid":1,"data":{"id":"a","pingTimeout":1,"isAuthenticated":false}}""", d.Relay.ToClientFrames[0]);
    }

    [Theory]
    [InlineData("handshake-without-cid-accepted", """{"event":"#handshake","data":{"authToken":null}}""")]
    [InlineData("handshake-without-cid-accepted", """{"event":"#handshake","data":{"authToken":null},"cid":"1"}""")]
    [InlineData("authenticate-without-cid-accepted", """{"event":"#authenticate","data":"tok"}""")]
    public void Cid_less_requests_get_a_cid_and_their_answer_is_swallowed(string id, string frame)
    {
        var d = new SessionDriver(id).FromClient(frame);
        var cid = (long)J(d.Relay.ToServerFrames[^1])["cid"]!;
        d.FromServer($$$"""{"rid":{{{cid}}},"data":{"id":"x"}}""");
        Assert.Empty(d.Relay.ToClientFrames);
    }

    [Fact]
    public async Task Binary_frames_and_whitespace_led_frames_are_ignored()
    {
        var binary = MutationCatalog.Get("binary-frames-ignored").CreateSession();
        var relay = new FakeRelay();
        await binary.OnClientFrameAsync(WireFrame.FromBinary("{}"u8.ToArray()), relay);
        await binary.OnClientFrameAsync(WireFrame.FromText("{}"), relay);
        Assert.Equal(["{}"], relay.ToServerFrames);

        var ws = new SessionDriver("leading-whitespace-rejected").Handshake().FromClient("  {\"event\":\"a\"}").FromClient("{\"event\":\"b\"}");
        Assert.Equal(["""{"event":"#handshake","data":{"authToken":null},"cid":1}""", """{"event":"b"}"""], ws.Relay.ToServerFrames);
    }

    [Fact]
    public void Pongs_are_ignored_but_pings_reach_the_client()
    {
        var d = new SessionDriver("pongs-ignored").Handshake().FromServer("").FromClient("");
        Assert.Equal([HandshakeResponse, ""], d.Relay.ToClientFrames);
        Assert.Single(d.Relay.ToServerFrames);
    }

    [Fact]
    public void Transmits_become_requests_whose_answers_reach_the_client()
    {
        var d = new SessionDriver("transmit-answered").Handshake()
            .FromClient("""{"event":"customProc","data":1}""")
            .FromClient("""{"event":"#unsubscribe","data":"c"}""");
        var cid = (long)J(d.Relay.ToServerFrames[1])["cid"]!;
        Assert.Equal("""{"event":"#unsubscribe","data":"c"}""", d.Relay.ToServerFrames[2]);
        d.FromServer($$$"""{"rid":{{{cid}}},"data":"Success"}""");
        Assert.Equal($$$"""{"rid":{{{cid}}},"data":"Success"}""", d.Relay.ToClientFrames[1]);
    }

    [Fact]
    public void Unknown_procedures_are_answered_by_the_proxy_and_known_ones_forwarded()
    {
        var d = new SessionDriver("unknown-procedure-answered").Handshake()
            .FromClient("""{"event":"conformance.doesNotExist","data":{},"cid":2}""")
            .FromClient("""{"event":"conformance.echo","data":1,"cid":3}""")
            .FromClient("""{"event":"#subscribe","data":{"channel":"c"},"cid":4}""");
        AssertJson("""{"rid":2,"error":{"message":"Unknown procedure conformance.doesNotExist","name":"UnknownProcedureError"}}""", d.Relay.ToClientFrames[1]);
        Assert.Equal(3, d.Relay.ToServerFrames.Count);
    }

    [Fact]
    public void Unsolicited_responses_close_the_connection_but_answers_to_server_requests_do_not()
    {
        var d = new SessionDriver("unsolicited-response-fatal").Handshake()
            .FromServer("""{"event":"clientProc","cid":7,"data":5}""")
            .FromClient("""{"rid":7,"data":10}""");
        Assert.Null(d.Relay.ClientClose);
        d.FromClient("""{"rid":"1","data":"string rid"}""");
        Assert.Equal((1011, ""), d.Relay.ClientClose);
    }

    [Fact]
    public void Legacy_disconnect_closes()
    {
        var d = new SessionDriver("legacy-disconnect-closes").Handshake().FromClient("""{"event":"#disconnect","data":{"code":4000}}""");
        Assert.Equal((1000, ""), d.Relay.ClientClose);
    }

    [Theory]
    [InlineData("server-invoke-sent-as-transmit", """{"event":"clientProc","cid":1,"data":5}""", """{"event":"clientProc","data":5}""")]
    [InlineData("removeAuthToken-never-sent", """{"event":"#removeAuthToken"}""", null)]
    public void More_server_packet_edits(string id, string input, string? expected)
    {
        var d = new SessionDriver(id).Handshake().FromServer(input);
        if (expected is null) Assert.Single(d.Relay.ToClientFrames);
        else AssertJson(expected, d.Relay.ToClientFrames[1]);
    }

    [Theory]
    [InlineData("subscribe-ack-with-data", """{"event":"#subscribe","data":{"channel":"c"},"cid":2}""", """{"rid":2}""", """{"rid":2,"data":{"channel":"c"}}""")]
    [InlineData("publish-ack-with-data", """{"event":"#publish","data":{"channel":"c","data":1},"cid":2}""", """{"rid":2}""", """{"rid":2,"data":"published"}""")]
    [InlineData("unsubscribe-errors-hidden", """{"event":"#unsubscribe","data":"c","cid":2}""", """{"rid":2,"error":{"name":"BrokerError","message":"m"}}""", """{"rid":2}""")]
    public void Responses_to_tracked_requests_are_edited(string id, string request, string response, string expected)
    {
        var d = new SessionDriver(id).Handshake().FromClient(request).FromServer(response);
        AssertJson(expected, d.Relay.ToClientFrames[1]);
        d.FromServer(response); // the request is answered once: a second response with that rid is left alone
        Assert.Equal(response, d.Relay.ToClientFrames[2]);
    }

    [Fact]
    public void Malformed_subscribe_is_acknowledged_by_the_proxy()
    {
        var d = new SessionDriver("malformed-subscribe-accepted").Handshake()
            .FromClient("""{"event":"#subscribe","data":{"channel":42},"cid":2}""")
            .FromClient("""{"event":"#subscribe","cid":3}""")
            .FromClient("""{"event":"#subscribe","data":{"channel":"ok"},"cid":4}""");
        Assert.Equal(["""{"rid":2}""", """{"rid":3}"""], d.Relay.ToClientFrames[1..]);
        Assert.Equal(2, d.Relay.ToServerFrames.Count);
    }

    [Fact]
    public void Not_before_verdicts_are_followed_by_removeAuthToken_and_client_removal_is_answered()
    {
        var d = new SessionDriver("removeAuthToken-after-not-before-token").Handshake(
            """{"rid":1,"data":{"id":"a","pingTimeout":1,"isAuthenticated":false,"authError":{"name":"AuthTokenNotBeforeError","message":"jwt not active","isBadToken":false}}}""", "t");
        Assert.Equal("""{"event":"#removeAuthToken"}""", d.Relay.ToClientFrames[1]);

        var r = new SessionDriver("client-removeAuthToken-answered").Handshake()
            .FromClient("""{"event":"#removeAuthToken"}""")
            .FromClient("""{"event":"#removeAuthToken","cid":5}""");
        Assert.Equal("""{"rid":5}""", r.Relay.ToClientFrames[1]);
        Assert.Equal(2, r.Relay.ToServerFrames.Count);
    }
}
